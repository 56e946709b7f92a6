"""The one write of the analytics app: exporting a career center's outcomes leaves a trace in
each included student's access log, as opening their record does."""

from django.db import transaction

from practicum.analytics import outcomes
from practicum.careers.models import AccessLogEntry


def export_outcomes(user, filters: outcomes.Filters) -> list[outcomes.StudentRow]:
    """The export's rows, each student's look logged for them to see. Seven queries."""
    with transaction.atomic():
        rows = outcomes.student_rows(user, filters)
        institution_of = outcomes.institution_of_students(
            user, filters, [r.student_id for r in rows]
        )
        # A consent withdrawn between the two reads takes the student out of the export.
        rows = [row for row in rows if row.student_id in institution_of]
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(
                staff=user,
                staff_name=user.name,
                student_id=row.student_id,
                institution_id=institution_of[row.student_id],
                what=AccessLogEntry.What.OUTCOMES_EXPORT,
            )
            for row in rows
        )
    return rows
