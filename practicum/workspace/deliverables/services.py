"""Writes for deliverables: the student submits, the organization accepts or requests changes.

Each service is one transaction that locks the engagement row first, so two people acting at
once take turns (a review and a resubmission, two reviews, two submissions) and the numbering
of submissions has no gaps or twins.

A submission sent while the previous one still waits for review replaces it: the older one is
kept in the history as "superseded" and is no longer reviewable (the student noticed a mistake;
the reviewer should look at the newest work). The review events carry the reviewed
submission's submitted_at, so the organization's response time counts from that one. Once a
deliverable is accepted it cannot be submitted again.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from practicum.core import uploads
from practicum.core.cleaning import as_date
from practicum.core.errors import Conflict, ServiceError
from practicum.core.idempotency import idempotent
from practicum.engagements.events import record
from practicum.engagements.models import Engagement, EngagementEvent, Side
from practicum.engagements.notices import engagement_organization_side
from practicum.notifications.services import notify
from practicum.workspace import access
from practicum.workspace.deliverables import selectors
from practicum.workspace.deliverables.models import SUBMISSION_STATES, Submission

Kind = EngagementEvent.Kind
Status = Submission.Status
NOTE_MAX = 5_000
FEEDBACK_MAX = 5_000
LINK_MAX = 2_000


def _locked(engagement: Engagement) -> Engagement:
    # Only the engagement row: PostgreSQL cannot lock the outer-joined (nullable) mentor.
    return (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("project", "student", "mentor")
        .get(pk=engagement.pk)
    )


def _text(value, name: str, limit: int, *, required: bool = False, message: str = "") -> str:
    value = value.replace("\r\n", "\n").strip() if isinstance(value, str) else ""
    if required and not value:
        raise ValidationError({name: [ValidationError(message, code="required")]})
    if len(value) > limit:
        raise ValidationError(
            {name: [ValidationError(f"At most {limit:,} characters.", code="max_length")]}
        )
    return value


def _link(value) -> str:
    value = value.strip() if isinstance(value, str) else ""
    if not value:
        return ""
    if len(value) > LINK_MAX:
        raise ValidationError(
            {"link": [ValidationError(f"At most {LINK_MAX:,} characters.", code="max_length")]}
        )
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError(
            {"link": [ValidationError("Enter a web address starting with https://.")]}
        ) from None
    return value


def _deliverable(engagement: Engagement, key: str) -> dict:
    deliverable = selectors.deliverable_of(engagement, key)
    if deliverable is None:
        raise ServiceError(
            "no_such_deliverable", "The agreement in force has no such deliverable.", status=404
        )
    return deliverable


def _title(deliverable: dict) -> str:
    return deliverable.get("title") or deliverable["key"]


def _iso_utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat()


def check_may_submit(engagement: Engagement, key: str, *, by) -> dict:
    """The deliverable's terms if `by` may submit it now: the student, the engagement active,
    the key in the terms in force, not accepted yet. Refused, Conflict or a 404 otherwise."""
    access.require_side(by, engagement, Side.STUDENT)
    access.require_state(engagement)
    deliverable = _deliverable(engagement, key)
    if engagement.submissions.filter(deliverable_key=key, status=Status.ACCEPTED).exists():
        raise Conflict(
            "already_accepted",
            f"“{_title(deliverable)}” is accepted already; it cannot be submitted again.",
        )
    return deliverable


@idempotent("deliverables.submit")
def submit(
    engagement: Engagement, key: str, *, by, note: str = "", link: str = "", file=None
) -> Submission:
    """The student hands in a deliverable of the terms in force: a link and/or a file (at
    least one; the file at most 20 MB, of an allowed type read from its content) with a note.
    Only the student, only while the engagement is active, never for an accepted deliverable;
    a submission still waiting for review is superseded. The organization's side is told."""
    # Who, when and what first, so a refusal does not wait for the file to be read; the file
    # is checked before the lock is taken, and everything is checked again under the lock.
    check_may_submit(engagement, key, by=by)
    note = _text(note, "note", NOTE_MAX)
    link = _link(link)
    if file is None and not link:
        raise ValidationError(
            {"__all__": [ValidationError("Add a link, a file or both.", code="nothing_submitted")]}
        )
    file_type = ""
    if file is not None:
        uploads.check_size(file)
        file_type = uploads.check_type(file)
    stored = ""
    try:
        with transaction.atomic():
            engagement = _locked(engagement)
            deliverable = check_may_submit(engagement, key, by=by)
            submissions = engagement.submissions.filter(deliverable_key=key)
            last = submissions.aggregate(last=Max("number"))["last"] or 0
            SUBMISSION_STATES.move_all(submissions, "supersede")
            if file is not None:
                stored = uploads.store(file, file_type, folder="deliverables")
            submission = Submission.objects.create(
                engagement=engagement,
                deliverable_key=key,
                number=last + 1,
                note=note,
                link=link,
                file=stored,
                file_name=uploads.clean_name(file.name) if file is not None else "",
                file_type=file_type,
                file_size=file.size if file is not None else None,
                due_on=as_date(deliverable.get("due_on")),
                submitted_by=by,
            )
            record(
                engagement,
                Kind.SUBMITTED,
                by,
                deliverable=key,
                submission=submission.pk,
                number=submission.number,
                due_on=deliverable.get("due_on"),
            )
            for person in engagement_organization_side(engagement):
                _notify(person, "submission_received", submission, deliverable)
    except BaseException:
        # The row that would have named the stored file is rolled back: remove the file too.
        uploads.delete(stored)
        raise
    return submission


def _notify(person, kind: str, submission: Submission, deliverable: dict) -> None:
    notify(
        person,
        kind,
        submission,
        {
            "deliverable": deliverable["key"],
            "number": submission.number,
            "project": submission.engagement.project.title,
        },
        str(submission.pk),
        url=reverse("deliverables:list", args=[submission.engagement_id])
        + f"#submission-{submission.pk}",
        title=_title(deliverable),
    )


def check_may_review(engagement: Engagement, *, by) -> None:
    """The mentor or an owner, while the engagement is active; Refused or Conflict otherwise."""
    access.require_side(by, engagement, Side.ORGANIZATION)
    access.require_state(engagement)


def _reviewable(submission: Submission, *, by) -> tuple[Engagement, Submission, dict]:
    """Lock, check who and when, and read the submission again under the lock."""
    engagement = _locked(submission.engagement)
    check_may_review(engagement, by=by)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status == Status.SUPERSEDED:
        raise Conflict(
            "superseded", "The student sent a newer submission; review that one instead."
        )
    if submission.status != Status.WAITING:
        raise Conflict("already_reviewed", "This submission has been reviewed already.")
    deliverable = selectors.deliverable_of(engagement, submission.deliverable_key)
    if deliverable is None:
        raise Conflict(
            "deliverable_removed", "The agreement in force no longer lists this deliverable."
        )
    submission.engagement = engagement
    return engagement, submission, deliverable


def _review(submission: Submission, *, by, action: str, feedback, kind: str, notice: str):
    engagement, submission, deliverable = _reviewable(submission, by=by)
    # After the checks of who and when: a refusal says so rather than "fix the feedback".
    required = action == "request_changes"
    feedback = _text(
        feedback, "feedback", FEEDBACK_MAX, required=required, message="Say what should change."
    )
    SUBMISSION_STATES.move(
        submission, action, feedback=feedback, reviewed_by=by, reviewed_at=timezone.now()
    )
    record(
        engagement,
        kind,
        by,
        deliverable=submission.deliverable_key,
        submission=submission.pk,
        submitted_at=_iso_utc(submission.submitted_at),
    )
    _notify(engagement.student, notice, submission, deliverable)
    return submission


@transaction.atomic
def accept(submission: Submission, *, by, feedback: str = "") -> Submission:
    """The mentor or an owner accepts the submission waiting for review (feedback optional).
    A submission reviewed already or superseded is a Conflict. The student is told."""
    return _review(
        submission,
        by=by,
        action="accept",
        feedback=feedback,
        kind=Kind.SUBMISSION_ACCEPTED,
        notice="submission_accepted",
    )


@transaction.atomic
def request_changes(submission: Submission, *, by, feedback: str) -> Submission:
    """The mentor or an owner asks for changes to the waiting submission, saying which in the
    feedback (required). The student is told and may submit again."""
    return _review(
        submission,
        by=by,
        action="request_changes",
        feedback=feedback,
        kind=Kind.CHANGES_REQUESTED,
        notice="changes_requested",
    )
