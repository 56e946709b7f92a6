"""Reads for projects: querysets with their joins, so pages do a fixed number of queries."""

import datetime

from django.utils import timezone

from practicum.projects.models import Project


def closed_reason(project: Project, *, today: datetime.date | None = None) -> str:
    """Why the project takes no applications now, or "" when it does.

    A project past its deadline is closed even before anything has recorded it: the deadline
    alone decides, so no background job has to run on time for this to be right.
    """
    today = today or timezone.localdate()
    if project.status == Project.Status.OPEN:
        if project.application_deadline and project.application_deadline < today:
            return Project.ClosedReason.DEADLINE.label
        return ""
    if project.status == Project.Status.CLOSED and project.closed_reason:
        return project.get_closed_reason_display()
    return f"This project is {project.get_status_display().lower()}."
