"""The stored round windows (models.ScheduledRound) kept in step with selectors.windows_of().

A round's window depends on the terms in force (dates, deliverables), on when the last
deliverable was accepted, on the engagement's state and on the project's time zone. Receivers
of those models' post_save (connected in ReviewsConfig.ready) rewrite the windows of the
engagement concerned, so every way of saving them keeps the rows right: the lifecycle's moves,
an amendment, a review of a submission, an edit in the admin. Queryset updates and COPY bypass
signals: whoever writes that way calls refresh() (the demo) or rebuild() (bench/scale/generate.py).
"""

from collections.abc import Iterable

from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from practicum.engagements.models import AgreementVersion, Engagement
from practicum.projects.models import Project
from practicum.reviews import selectors
from practicum.reviews.models import ScheduledRound
from practicum.workspace.deliverables.models import Submission

BATCH = 2_000


def refresh(engagement_ids: Iterable[int]) -> None:
    """Rewrite the round windows of these engagements: four queries whatever their number."""
    ids = set(engagement_ids)
    if not ids:
        return
    engagements = Engagement.objects.filter(
        pk__in=ids, state__in=selectors.FEEDBACK_STATES
    ).select_related("project")
    windows = selectors.windows_of_many(engagements)
    ScheduledRound.objects.filter(engagement_id__in=ids).delete()
    ScheduledRound.objects.bulk_create(
        ScheduledRound(
            engagement_id=engagement_id,
            round=window.round,
            opens_at=window.opens_at,
            due_at=window.due_at,
        )
        for engagement_id, rounds in windows.items()
        for window in rounds
    )


def rebuild() -> int:
    """Rewrite the windows of every engagement that may have rounds (after rows were written
    without signals); the number of engagements read."""
    ids = list(
        Engagement.objects.filter(state__in=selectors.FEEDBACK_STATES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        refresh(ids[start : start + BATCH])
    return len(ids)


def _saved(update_fields, *fields: str) -> bool:
    return update_fields is None or not set(fields).isdisjoint(update_fields)


@receiver(post_save, sender=AgreementVersion, dispatch_uid="reviews_windows_terms")
def terms_saved(sender, instance: AgreementVersion, **kwargs) -> None:
    # Any status: a version superseded or taking effect changes which terms are in force.
    refresh([instance.engagement_id])


@receiver(post_save, sender=Engagement, dispatch_uid="reviews_windows_state")
def engagement_saved(sender, instance: Engagement, update_fields=None, **kwargs) -> None:
    if _saved(update_fields, "state", "state_changed_at"):
        refresh([instance.pk])


@receiver(post_save, sender=Submission, dispatch_uid="reviews_windows_acceptance")
def submission_saved(sender, instance: Submission, update_fields=None, **kwargs) -> None:
    # An acceptance may open the final round early; only reviews move a submission's status.
    if _saved(update_fields, "status", "reviewed_at"):
        refresh([instance.engagement_id])


@receiver(post_save, sender=Project, dispatch_uid="reviews_windows_time_zone")
def project_saved(sender, instance: Project, created: bool, update_fields=None, **kwargs) -> None:
    if not created and _saved(update_fields, "timezone"):
        refresh(Engagement.objects.filter(project=instance).values_list("pk", flat=True))


@receiver(post_migrate, dispatch_uid="reviews_windows_after_upgrade")
def fill_after_upgrade(sender, **kwargs) -> None:
    """The first migrate after this table was added fills it from the data already there; an
    empty table beside engagements that need rows means nothing else has."""
    if (
        sender.label == "reviews"
        and not ScheduledRound.objects.exists()
        and Engagement.objects.filter(state__in=selectors.FEEDBACK_STATES).exists()
    ):
        rebuild()
