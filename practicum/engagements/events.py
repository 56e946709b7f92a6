"""The one event log of an engagement: every app that changes an engagement (agreement,
workspace, reviews, completion) records what happened through `record()`, so the timeline and
the reciprocity index read a single table.

Details are facts, not prose: ids, ISO times and the side that acted, so promptness (asked →
answered, submitted → reviewed, scheduled → held) can be computed later without other tables.
"""

from django.utils import timezone

from practicum.engagements.models import Engagement, EngagementEvent, Side


def side_of(user, engagement: Engagement) -> str:
    """The side a person acts for; only meaningful for someone allowed to act."""
    return Side.STUDENT if user.pk == engagement.student_id else Side.ORGANIZATION


def record(engagement: Engagement, kind: str, actor, *, at=None, **details) -> EngagementEvent:
    """Append one event. An actor's side is added to the details unless given. `at` is the
    moment the service acted (services that take `now=` pass it on, so the log and the rows
    they wrote agree); by default, now."""
    if actor is not None and "side" not in details:
        details["side"] = side_of(actor, engagement)
    return EngagementEvent.objects.create(
        engagement=engagement, kind=kind, actor=actor, at=at or timezone.now(), details=details
    )
