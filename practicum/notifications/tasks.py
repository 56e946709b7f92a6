"""Background work for notifications, run by the task worker (manage.py db_worker)."""

from django_tasks import task

from practicum.notifications import services


@task()
def send_notification_email(delivery_id: int) -> str | None:
    """Send one queued email right away; "sent", "retry", "failed", or None if it was no longer
    due (already sent by another worker, or its batch window has not ended)."""
    return services.send_delivery(delivery_id)
