"""The periodic pass (manage.py run_periodic) keeps the stored index current: rows whose history
changed or whose deadline span ended are recomputed in bounded batches (imported by
NotificationsConfig, like every app's reminders module)."""

from practicum.notifications.reminders import periodic_job
from practicum.reciprocity.services import refresh_due

periodic_job(refresh_due)
