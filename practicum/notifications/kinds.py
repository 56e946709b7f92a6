"""The one registry of notification kinds: what each is called, how it is delivered by default,
whether people may switch it off, and who it is for.

A kind's `subject` and `message` are plain-text `str.format` strings. They may use `{title}` (the
target's title, always known); a `message` may also use the keys of the notification's context.
For kinds with a batch window, `batch_subject` and `batch_message` also get `{count}`.
"""

import datetime
from dataclasses import dataclass

from django.db import models

from practicum.accounts.models import User


class Delivery(models.TextChoices):
    IN_APP = "in_app", "In the app only"
    EMAIL_NOW = "email_now", "Email right away"
    EMAIL_DIGEST = "email_digest", "In the daily email digest"
    OFF = "off", "Off (not even in the app)"


STUDENTS = frozenset({User.AccountType.STUDENT})
ORGANIZATIONS = frozenset({User.AccountType.ORGANIZATION})
BOTH_SIDES = STUDENTS | ORGANIZATIONS
EVERYONE = frozenset(User.AccountType.values)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    default: Delivery
    audience: frozenset
    subject: str
    message: str
    can_switch_off: bool = True
    # Events that come in bursts (chat messages) are emailed at most once per window and
    # (recipient, target): one email at the end of the window says how many arrived.
    batch_window: datetime.timedelta | None = None
    batch_subject: str = ""
    batch_message: str = ""

    def is_for(self, user) -> bool:
        return user.account_type in self.audience


_KINDS = [
    Kind(
        "application_received",
        "A student applied to your project",
        Delivery.EMAIL_DIGEST,
        ORGANIZATIONS,
        subject="New application for “{title}”",
        message="A student applied to “{title}”.",
    ),
    Kind(
        "offer_made",
        "You received an offer",
        Delivery.EMAIL_NOW,
        STUDENTS,
        subject="You have an offer for “{title}”",
        message="You received an offer for “{title}”. Accept or decline it before it expires.",
    ),
    Kind(
        "offer_withdrawn",
        "An offer to you was withdrawn",
        Delivery.EMAIL_NOW,
        STUDENTS,
        subject="Offer withdrawn: “{title}”",
        message="Your offer for “{title}” was withdrawn: {because}. You need not do anything.",
    ),
    Kind(
        "application_shortlisted",
        "Your application was shortlisted",
        Delivery.EMAIL_NOW,
        STUDENTS,
        subject="Shortlisted: “{title}”",
        message="{organization} put your application to “{title}” on its shortlist.",
    ),
    Kind(
        "application_rejected",
        "Your application was not selected",
        Delivery.EMAIL_NOW,
        STUDENTS,
        subject="Your application to “{title}”",
        message="{organization} answered your application to “{title}”: not selected this "
        "time. Their note is on your application.",
    ),
    Kind(
        "application_declined",
        "A project you applied to closed without an offer to you",
        Delivery.EMAIL_NOW,
        STUDENTS,
        subject="Your application to “{title}”",
        message="“{title}” no longer takes applicants: {because}. Thank you for applying; "
        "other projects are open in discovery.",
    ),
    Kind(
        "applicant_message",
        "A message about your application",
        Delivery.EMAIL_NOW,
        STUDENTS,
        subject="A message about “{title}”",
        message="{organization} wrote about your application to “{title}”:\n\n{text}",
    ),
    Kind(
        "mentor_changed",
        "An engagement's mentor changed",
        Delivery.EMAIL_NOW,
        BOTH_SIDES,
        subject="New mentor for “{title}”",
        message="The mentor of “{title}” is now {mentor}: {because}.",
    ),
    Kind(
        "offer_expiring",
        "An offer to you expires within a day",
        Delivery.EMAIL_NOW,
        STUDENTS,
        subject="Your offer for “{title}” expires soon",
        message="Your offer for “{title}” expires within 24 hours.",
    ),
    Kind(
        "offer_accepted",
        "A student accepted your offer",
        Delivery.EMAIL_NOW,
        ORGANIZATIONS,
        subject="Offer accepted: “{title}”",
        message="Your offer for “{title}” was accepted.",
    ),
    Kind(
        "offer_declined",
        "A student declined your offer",
        Delivery.EMAIL_NOW,
        ORGANIZATIONS,
        subject="Offer declined: “{title}”",
        message="Your offer for “{title}” was declined.",
    ),
    Kind(
        "offer_expired",
        "An offer you made expired",
        Delivery.EMAIL_NOW,
        ORGANIZATIONS,
        subject="Offer expired: “{title}”",
        message="Your offer for “{title}” expired without an answer.",
    ),
    Kind(
        "agreement_ready",
        "An agreement is ready to sign",
        Delivery.EMAIL_NOW,
        BOTH_SIDES,
        subject="Agreement ready to sign: “{title}”",
        message="The agreement for “{title}” is ready for your signature.",
    ),
    Kind(
        "amendment_proposed",
        "An amendment to an agreement was proposed",
        Delivery.EMAIL_NOW,
        BOTH_SIDES,
        subject="Amendment proposed: “{title}”",
        message="An amendment to the agreement for “{title}” needs your signature.",
    ),
    Kind(
        "amendment_accepted",
        "An amendment was signed by both sides",
        Delivery.EMAIL_NOW,
        BOTH_SIDES,
        subject="Amendment accepted: “{title}”",
        message="The amendment to the agreement for “{title}” was accepted.",
    ),
    Kind(
        "amendment_rejected",
        "An amendment was rejected",
        Delivery.EMAIL_NOW,
        BOTH_SIDES,
        subject="Amendment rejected: “{title}”",
        message="The amendment to the agreement for “{title}” was rejected.",
    ),
    Kind(
        "engagement_cancelled",
        "An engagement was cancelled",
        Delivery.EMAIL_NOW,
        BOTH_SIDES,
        subject="Engagement cancelled: “{title}”",
        message="The engagement “{title}” was cancelled.",
    ),
    Kind(
        "checkin_tomorrow",
        "Reminder: a check-in within a day",
        Delivery.EMAIL_NOW,
        BOTH_SIDES,
        subject="Check-in coming up: “{title}”",
        message="You have a check-in for “{title}” {when}.",
    ),
    Kind(
        "checkin_rescheduled",
        "A check-in was rescheduled",
        Delivery.EMAIL_NOW,
        BOTH_SIDES,
        subject="Check-in rescheduled: “{title}”",
        message="A check-in for “{title}” was moved.",
    ),
    Kind(
        "interview_proposed",
        "You are invited to an interview",
        Delivery.EMAIL_NOW,
        STUDENTS,
        subject="Interview for “{title}”: pick a time",
        message="The organization behind “{title}” invites you to an interview: pick a time.",
    ),
    Kind(
        "interview_scheduled",
        "A student picked an interview time",
        Delivery.EMAIL_NOW,
        ORGANIZATIONS,
        subject="Interview time picked: “{title}”",
        message="{student} picked a time for the interview for “{title}”.",
    ),
    Kind(
        "interview_rescheduled",
        "An interview was rescheduled",
        Delivery.EMAIL_NOW,
        BOTH_SIDES,
        subject="Interview rescheduled: “{title}”",
        message="{by} took back the interview time for “{title}”: {reason}",
    ),
    Kind(
        "interview_cancelled",
        "An interview was cancelled",
        Delivery.EMAIL_NOW,
        BOTH_SIDES,
        subject="Interview cancelled: “{title}”",
        message="{by} cancelled the interview for “{title}”.",
    ),
    Kind(
        "interview_outcome",
        "An interview's outcome was recorded",
        Delivery.IN_APP,
        STUDENTS,
        subject="Interview for “{title}”: outcome recorded",
        message="The organization recorded the interview for “{title}” as {outcome}.",
    ),
    Kind(
        "deliverable_due_soon",
        "Reminder: a deliverable is due soon",
        Delivery.EMAIL_NOW,
        STUDENTS,
        subject="Due soon: “{title}”",
        message="The deliverable “{title}” is due soon.",
    ),
    Kind(
        "deliverable_overdue",
        "A deliverable is overdue",
        Delivery.EMAIL_NOW,
        BOTH_SIDES,
        subject="Overdue: “{title}”",
        message="The deliverable “{title}” is past its due date.",
    ),
    Kind(
        "submission_received",
        "A deliverable was submitted for review",
        Delivery.EMAIL_NOW,
        ORGANIZATIONS,
        subject="Submitted for review: “{title}”",
        message="“{title}” was submitted and waits for your review.",
    ),
    Kind(
        "changes_requested",
        "Changes were requested on your submission",
        Delivery.EMAIL_NOW,
        STUDENTS,
        subject="Changes requested: “{title}”",
        message="Your mentor asked for changes to “{title}”.",
    ),
    Kind(
        "submission_accepted",
        "Your submission was accepted",
        Delivery.EMAIL_NOW,
        STUDENTS,
        subject="Accepted: “{title}”",
        message="Your submission “{title}” was accepted.",
    ),
    Kind(
        "new_message",
        "New messages in a conversation",
        Delivery.EMAIL_NOW,
        BOTH_SIDES,
        subject="New message in “{title}”",
        message="New message in “{title}”.",
        batch_window=datetime.timedelta(minutes=15),
        batch_subject="{count} new messages in “{title}”",
        batch_message="{count} new messages arrived in “{title}”.",
    ),
    Kind(
        "question_unanswered",
        "A student's question waits for an answer",
        Delivery.EMAIL_NOW,
        ORGANIZATIONS,
        subject="Unanswered question in “{title}”",
        message="A question in “{title}” is past the response time you promised.",
    ),
    Kind(
        "feedback_open",
        "A feedback round opened",
        Delivery.EMAIL_NOW,
        BOTH_SIDES,
        subject="Feedback is open: “{title}”",
        message="You can now give feedback on “{title}”.",
    ),
    Kind(
        "feedback_closing",
        "Reminder: a feedback round closes soon",
        Delivery.EMAIL_NOW,
        BOTH_SIDES,
        subject="Feedback closes soon: “{title}”",
        message="The feedback round for “{title}” closes soon.",
    ),
    Kind(
        "reviews_revealed",
        "Reviews became visible",
        Delivery.EMAIL_NOW,
        BOTH_SIDES,
        subject="Reviews revealed: “{title}”",
        message="Both reviews for “{title}” are now visible.",
    ),
    Kind(
        "engagement_completed",
        "An engagement was completed",
        Delivery.EMAIL_NOW,
        STUDENTS,
        subject="Engagement completed: “{title}”",
        message="The organization completed “{title}”. Your payment is now due.",
    ),
    Kind(
        "payment_recorded",
        "A payment was recorded",
        Delivery.EMAIL_NOW,
        STUDENTS,
        subject="Payment recorded: “{title}”",
        message="A payment for “{title}” was recorded.",
    ),
    Kind(
        "payment_disputed",
        "A student disputed a payment",
        Delivery.EMAIL_NOW,
        ORGANIZATIONS,
        subject="Payment disputed: “{title}”",
        message="The student says the payment for “{title}” did not arrive as recorded.",
    ),
    Kind(
        "payment_overdue",
        "A payment is overdue",
        Delivery.EMAIL_NOW,
        BOTH_SIDES,
        subject="Payment overdue: “{title}”",
        message="The payment for “{title}” is overdue.",
    ),
    Kind(
        "saved_search_match",
        "New projects match a search you saved",
        Delivery.EMAIL_DIGEST,
        STUDENTS,
        subject="New projects for your search “{title}”",
        message="{projects} your saved search “{title}”.",
    ),
    Kind(
        "data_export_ready",
        "Your data export is ready",
        Delivery.EMAIL_NOW,
        EVERYONE,
        subject="{title} is ready",
        message="{title} is ready to download until {until}.",
    ),
    # Sent by allauth (address verification, password reset), never through notify(); listed so
    # the preferences page can say that these emails always arrive.
    Kind(
        "account_security",
        "Account security: address verification and password reset",
        Delivery.EMAIL_NOW,
        EVERYONE,
        subject="{title}",
        message="{title}",
        can_switch_off=False,
    ),
]

KINDS: dict[str, Kind] = {kind.key: kind for kind in _KINDS}


def get(key: str) -> Kind:
    try:
        return KINDS[key]
    except KeyError:
        raise ValueError(f"Unknown notification kind {key!r}.") from None


def kinds_for(user) -> list[Kind]:
    """The kinds a user can receive, in registry order (the order pages show them in)."""
    return [kind for kind in _KINDS if kind.is_for(user)]
