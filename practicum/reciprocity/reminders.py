"""The periodic pass (manage.py run_periodic) keeps the stored index current: rows whose history
changed or whose deadline span ended are recomputed in bounded batches. It sends nothing; it
rides on the reminder finders' registry because that is the periodic job's one hook."""

from practicum.notifications.reminders import reminder_finder
from practicum.reciprocity import services


@reminder_finder
def refresh_reciprocity(now):
    services.refresh_due(now)
    return ()
