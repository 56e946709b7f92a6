"""Background work for a person's data, run by the task worker."""

from django_tasks import task

from practicum.privacy import services


@task()
def build_export_task(export_id: int) -> str:
    return services.build_export(export_id)
