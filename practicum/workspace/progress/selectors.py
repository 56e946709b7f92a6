"""Reads for progress updates: the list with its comments and the hours reported against the
hours agreed. A fixed number of queries whatever the number of updates."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum

from practicum.engagements import selectors as engagement_selectors
from practicum.engagements.models import Engagement, Side
from practicum.workspace.progress.models import ProgressComment, ProgressUpdate, hours_text


def _updates(engagement: Engagement) -> QuerySet[ProgressUpdate]:
    return (
        ProgressUpdate.objects.filter(engagement=engagement)
        .select_related("author")
        .prefetch_related(Prefetch("comments", ProgressComment.objects.select_related("author")))
    )


# Updates on a page of the list (the API takes its own page size).
PER_PAGE = 20


def updates_of(engagement: Engagement) -> QuerySet[ProgressUpdate]:
    """The updates, newest first, with their comments (oldest first) and their authors: one
    query for a page of them and one for their comments, once sliced."""
    return _updates(engagement).order_by("-created_at", "-pk")


def update_of_with_comments(engagement: Engagement, update_id: int) -> ProgressUpdate | None:
    return _updates(engagement).filter(pk=update_id).first()


def update_of(engagement: Engagement, update_id: int) -> ProgressUpdate | None:
    update = ProgressUpdate.objects.filter(engagement=engagement, pk=update_id).first()
    if update is not None:
        update.engagement = engagement  # already loaded, with what permission checks read
    return update


def hours_summary(engagement: Engagement) -> tuple[Decimal, int | None]:
    """(hours reported in all updates, hours agreed in the terms that speak for the engagement
    or None when they state none)."""
    reported = ProgressUpdate.objects.filter(engagement=engagement).aggregate(total=Sum("hours"))[
        "total"
    ]
    shown = engagement_selectors.shown_version(engagement_selectors.agreement_versions(engagement))
    agreed = shown.terms.get("estimated_hours") if shown else None
    return (reported or Decimal(0)), agreed


@dataclass(frozen=True)
class HoursProgress:
    """Hours reported against hours agreed, for the page's progress bar."""

    reported: Decimal
    agreed: int | None

    @property
    def reported_text(self) -> str:
        return hours_text(self.reported)

    @property
    def is_over(self) -> bool:
        return self.agreed is not None and self.reported > self.agreed

    @property
    def over_by_text(self) -> str:
        return hours_text(self.reported - self.agreed) if self.is_over else "0"

    @property
    def percent(self) -> int:
        """Of the agreed hours, capped at 100 for the bar."""
        if not self.agreed:
            return 0
        return min(100, int(self.reported * 100 / self.agreed))


def may_change(update: ProgressUpdate, user) -> bool:
    """Whether `user` wrote the update and the organization has not commented on it yet (what
    services.edit_update and delete_update allow); reads the prefetched comments."""
    return update.author_id == user.pk and not any(
        comment.side == Side.ORGANIZATION for comment in update.comments.all()
    )
