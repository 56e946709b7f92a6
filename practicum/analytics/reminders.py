"""Periodic work of the analytics app (see practicum/notifications/reminders.py)."""

import datetime

from practicum.analytics import services
from practicum.notifications.reminders import periodic_job


@periodic_job
def month_ends(now: datetime.datetime) -> int:
    """Store the past month ends of organizations that lack the last one. It notifies nobody,
    so it adds nothing to the pass's count of reminders."""
    services.store_last_month_ends(now)
    return 0
