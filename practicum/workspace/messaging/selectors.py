"""Reads for the message thread: pages of messages, the open questions with their promised
response times, and unread counts. Each is a fixed number of queries whatever the thread's size."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from practicum.engagements import selectors as engagement_selectors
from practicum.engagements.models import AgreementVersion, Engagement, Side
from practicum.workspace.messaging.models import (
    Message,
    MessageAttachment,
    MessageRevision,
    ReadMarker,
)

PAGE_SIZE = 100

# Whose promise a question waits on: a question asked by the student is the organization's to
# answer, and the other way round.
PROMISE_OF_SIDE = {
    Side.ORGANIZATION: "response_time_hours",
    Side.STUDENT: "student_response_time_hours",
}


def _messages(engagement: Engagement) -> QuerySet[Message]:
    """With what a message shows: its author, who marked it answered, the quoted message and its
    author (joined), and its files (one more query for any number of messages)."""
    return (
        Message.objects.filter(engagement=engagement)
        .select_related("author", "answered_by", "quote__author")
        .prefetch_related("attachments")
    )


def message_of(engagement: Engagement, message_id: int) -> Message | None:
    message = _messages(engagement).filter(pk=message_id).first()
    if message is not None:
        message.engagement = engagement  # already loaded, with what permission checks read
    return message


def attachment_of(engagement: Engagement, message_id: int, attachment_id: int):
    """A file of a message of this thread, or None."""
    return MessageAttachment.objects.filter(
        pk=attachment_id, message_id=message_id, message__engagement=engagement
    ).first()


def revisions_of(message: Message) -> QuerySet[MessageRevision]:
    """The texts the message had before its edits, newest first (the one shown now is on the
    message itself)."""
    return MessageRevision.objects.filter(message=message).order_by("-number")


def on_latest_page(message: Message) -> bool:
    """Whether the thread's first page (the latest PAGE_SIZE messages) shows the message."""
    later = Message.objects.filter(engagement_id=message.engagement_id, pk__gt=message.pk)
    return later.count() < PAGE_SIZE


@dataclass(frozen=True)
class ThreadPage:
    messages: list[Message]
    has_earlier: bool  # older messages exist than the first one shown

    @property
    def last_id(self) -> int:
        return self.messages[-1].pk if self.messages else 0


def thread_page(engagement: Engagement, *, before: int | None = None) -> ThreadPage:
    """The latest PAGE_SIZE messages (or those just before `before`), oldest first."""
    queryset = _messages(engagement)
    if before is not None:
        queryset = queryset.filter(pk__lt=before)
    newest_first = list(queryset.order_by("-pk")[: PAGE_SIZE + 1])
    return ThreadPage(newest_first[:PAGE_SIZE][::-1], has_earlier=len(newest_first) > PAGE_SIZE)


def messages_after(engagement: Engagement, after: int, *, limit: int = PAGE_SIZE) -> list[Message]:
    """The messages posted after message `after`, oldest first, at most `limit` (a reader that
    wants more asks again after the last one it got)."""
    return list(_messages(engagement).filter(pk__gt=after).order_by("pk")[:limit])


def last_read_id(user, engagement: Engagement) -> int:
    marker = ReadMarker.objects.filter(engagement=engagement, user=user).values("last_read_id")
    return next(iter(marker), {"last_read_id": 0})["last_read_id"]


def unread_counts(user, engagement_ids) -> dict[int, int]:
    """For each engagement id: how many messages by other people the user has not read yet.
    One query for any number of engagements; every id asked for is in the answer."""
    engagement_ids = list(engagement_ids)
    counts = dict.fromkeys(engagement_ids, 0)
    if not engagement_ids or not user.is_authenticated:
        return counts
    read_up_to = ReadMarker.objects.filter(
        engagement_id=OuterRef("engagement_id"), user=user
    ).values("last_read_id")
    rows = (
        Message.objects.filter(engagement_id__in=engagement_ids)
        .exclude(author=user)
        .annotate(read_up_to=Coalesce(Subquery(read_up_to), Value(0)))
        .filter(pk__gt=F("read_up_to"))
        .values("engagement_id")
        .annotate(unread=Count("pk"))
        .values_list("engagement_id", "unread")
    )
    counts.update(rows)
    return counts


def unread_count(user, engagement: Engagement) -> int:
    return unread_counts(user, [engagement.pk])[engagement.pk]


def terms_in_force(engagement: Engagement) -> dict:
    shown = engagement_selectors.shown_version(engagement_selectors.agreement_versions(engagement))
    return shown.terms if shown else {}


def terms_of_engagements(engagement_ids) -> dict[int, dict]:
    """The terms that speak for each engagement (the version in force, else the draft), in one
    query: what the reminder finder needs for many engagements at once."""
    found: dict[int, dict] = {}
    versions = AgreementVersion.objects.filter(
        engagement_id__in=list(engagement_ids),
        status__in=[AgreementVersion.Status.CURRENT, AgreementVersion.Status.DRAFT],
    ).values_list("engagement_id", "status", "terms")
    for engagement_id, status, terms in versions:
        if status == AgreementVersion.Status.CURRENT or engagement_id not in found:
            found[engagement_id] = terms
    return found


def promised_hours(terms: dict, side: str) -> int | None:
    """The response time (hours) the side promised in the terms; None when it promised none."""
    return terms.get(PROMISE_OF_SIDE[side])


@dataclass(frozen=True)
class OpenQuestion:
    message: Message
    promised_hours: int | None  # of the side asked
    now: datetime.datetime

    @property
    def asked_side(self) -> str:
        return self.message.asked_side

    @property
    def open_for(self) -> datetime.timedelta:
        return self.now - self.message.created_at

    @property
    def due_at(self) -> datetime.datetime | None:
        if self.promised_hours is None:
            return None
        return self.message.created_at + datetime.timedelta(hours=self.promised_hours)

    @property
    def is_overdue(self) -> bool:
        return self.due_at is not None and self.now > self.due_at


def open_questions(
    engagement: Engagement, terms: dict, *, now: datetime.datetime | None = None
) -> list[OpenQuestion]:
    """The questions nobody has marked answered yet, oldest first, each with the response time
    promised by the side it is put to."""
    now = now or timezone.now()
    # The list names the asker and shows the question's text: no quotes or files to load.
    questions = Message.objects.filter(
        engagement=engagement, is_question=True, answered_at__isnull=True
    ).select_related("author")
    return [
        OpenQuestion(question, promised_hours(terms, question.asked_side), now)
        for question in questions.order_by("pk")
    ]
