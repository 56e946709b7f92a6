"""The alert pass runs on every pass of the periodic job (imported by NotificationsConfig)."""

from practicum.alerts.services import deliver_alerts
from practicum.notifications.reminders import periodic_job

periodic_job(deliver_alerts)
