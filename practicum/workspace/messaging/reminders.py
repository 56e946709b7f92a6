"""Reminders about unanswered questions, found by the periodic job (see
practicum/notifications/reminders.py)."""

import datetime
from collections.abc import Iterator

from practicum.engagements.models import Side
from practicum.engagements.notices import engagement_organization_side
from practicum.notifications.reminders import Reminder, reminder_finder
from practicum.workspace import access
from practicum.workspace.messaging import selectors
from practicum.workspace.messaging.models import Message
from practicum.workspace.messaging.services import thread_url


@reminder_finder
def questions_unanswered(now: datetime.datetime) -> Iterator[Reminder]:
    """The organization's side (mentor and owners), once per question, when a question the
    student asked is still open past the response time the organization promised."""
    questions = list(
        Message.objects.filter(
            is_question=True,
            answered_at__isnull=True,
            side=Side.STUDENT,
            engagement__state__in=access.TALKING,
        ).select_related("author", "engagement__project", "engagement__mentor")
    )
    terms = selectors.terms_of_engagements({q.engagement_id for q in questions})
    people: dict[int, list] = {}
    for question in questions:
        hours = selectors.promised_hours(terms.get(question.engagement_id, {}), Side.ORGANIZATION)
        if hours is None or now < question.created_at + datetime.timedelta(hours=hours):
            continue
        engagement = question.engagement
        if engagement.pk not in people:
            people[engagement.pk] = engagement_organization_side(engagement)
        for person in people[engagement.pk]:
            yield Reminder(
                person,
                "question_unanswered",
                engagement,
                str(question.pk),
                {
                    "student": question.author.name,
                    "asked_at": question.created_at,
                    "response_time_hours": hours,
                },
                url=thread_url(engagement, question),
                title=engagement.project.title,
            )
