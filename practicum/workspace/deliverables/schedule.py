"""The stored deadlines (models.Deadline) kept in step with the terms in force.

Receivers of the models' post_save (connected in DeliverablesConfig.ready), so every way the
terms or the project's time zone are saved keeps the rows right: the lifecycle's moves, an
amendment, an edit in the admin. Queryset updates and COPY bypass signals: whoever writes that
way calls refresh() (the demo) or rebuild() (bench/scale/generate.py) itself.
"""

from collections.abc import Iterable

from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from practicum.engagements.models import AgreementVersion, Engagement
from practicum.projects.models import Project
from practicum.workspace.deliverables import selectors
from practicum.workspace.deliverables.models import Deadline

BATCH = 2_000


def refresh(engagement_ids: Iterable[int]) -> None:
    """Rewrite the deadlines of these engagements from their terms in force: three queries."""
    ids = set(engagement_ids)
    if not ids:
        return
    versions = AgreementVersion.objects.filter(
        engagement_id__in=ids, status=AgreementVersion.Status.CURRENT
    ).select_related("engagement__project")
    rows = []
    for version in versions:
        zone = version.engagement.project.zone
        for deliverable in version.terms.get("deliverables") or []:
            row = selectors.DeliverableRow(deliverable, [])
            if row.due_on is None:
                continue
            rows.append(
                Deadline(
                    engagement_id=version.engagement_id,
                    deliverable_key=row.key,
                    due_on=row.due_on,
                    deadline=selectors.deadline(row.due_on, zone),
                    occurrence=f"{row.key}:{row.due_on.isoformat()}",
                )
            )
    Deadline.objects.filter(engagement_id__in=ids).delete()
    Deadline.objects.bulk_create(rows)


def rebuild() -> int:
    """Rewrite every engagement's deadlines (after rows were written without signals); the
    number of engagements read."""
    ids = list(
        AgreementVersion.objects.filter(status=AgreementVersion.Status.CURRENT)
        .order_by("engagement_id")
        .values_list("engagement_id", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        refresh(ids[start : start + BATCH])
    return len(ids)


@receiver(post_save, sender=AgreementVersion, dispatch_uid="deliverables_deadlines_terms")
def terms_saved(sender, instance: AgreementVersion, **kwargs) -> None:
    # Any status: a version superseded or taking effect changes which terms are in force.
    refresh([instance.engagement_id])


@receiver(post_save, sender=Project, dispatch_uid="deliverables_deadlines_time_zone")
def project_saved(sender, instance: Project, created: bool, update_fields=None, **kwargs) -> None:
    if created or (update_fields is not None and "timezone" not in update_fields):
        return
    refresh(Engagement.objects.filter(project=instance).values_list("pk", flat=True))


@receiver(post_migrate, dispatch_uid="deliverables_deadlines_after_upgrade")
def fill_after_upgrade(sender, **kwargs) -> None:
    """The first migrate after this table was added fills it from the data already there; an
    empty table beside engagements that need rows means nothing else has."""
    if (
        sender.label == "deliverables"
        and not Deadline.objects.exists()
        and AgreementVersion.objects.filter(status=AgreementVersion.Status.CURRENT).exists()
    ):
        rebuild()
