"""Writes for projects. Each function is one transaction and checks who may do it."""

from django.db import transaction
from django.utils import timezone

from practicum.projects.models import Project


@transaction.atomic
def close_when_full(project: Project, *, accepted_count: int) -> bool:
    """Close an open project to new applications once its places are taken.

    Called by engagements.services.accept_offer inside its transaction, with the project row
    already locked, so the count it passes is exact. Returns whether the project closed.
    """
    if project.status != Project.Status.OPEN or accepted_count < project.capacity:
        return False
    project.status = Project.Status.CLOSED
    project.closed_reason = Project.ClosedReason.FULL
    project.closed_at = timezone.now()
    project.save(update_fields=["status", "closed_reason", "closed_at"])
    return True
