"""Reminders about payments, found by the periodic job (practicum/notifications/reminders.py)."""

import datetime
from collections.abc import Iterator

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from practicum.accounts.models import Membership
from practicum.completion import selectors
from practicum.notifications.reminders import Reminder, reminder_finder
from practicum.projects import money

OWNERS = Prefetch(
    "engagement__project__organization__memberships",
    queryset=Membership.objects.filter(role=Membership.Role.OWNER).select_related("user"),
    to_attr="owners",
)


@reminder_finder
def payments_overdue(now: datetime.datetime) -> Iterator[Reminder]:
    """The student and the organization's side (the mentor and the owners), once per
    engagement (the occurrence is the due date), when the payment was not recorded within
    14 days of completion."""
    candidates = (
        # A day's slack for the time zones; each candidate is checked exactly below.
        selectors.overdue_completions(on_or_before=now.date() + datetime.timedelta(days=1))
        .select_related("engagement__project__organization", "engagement__student")
        .select_related("engagement__mentor")
        .prefetch_related(OWNERS)
    )
    for completion in candidates:
        engagement = completion.engagement
        today = timezone.localdate(now, timezone=engagement.project.zone)
        if today <= completion.payment_due_on:
            continue
        people = {m.user for m in engagement.project.organization.owners}
        if engagement.mentor is not None:
            people.add(engagement.mentor)
        context = {
            "due_on": completion.payment_due_on.isoformat(),
            "amount": money.format_money(completion.amount, completion.currency),
        }
        for person in [engagement.student, *sorted(people, key=lambda p: p.pk)]:
            yield Reminder(
                person,
                "payment_overdue",
                engagement,
                completion.payment_due_on.isoformat(),
                context,
                url=reverse("completion:detail", args=[engagement.pk]),
                title=engagement.project.title,
            )
