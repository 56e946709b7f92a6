"""Writes for applications and engagements. Each function is one transaction, checks who may do
it once, and moves the status only through the lifecycle's tables (lifecycle.py)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from practicum.accounts.models import Membership
from practicum.accounts.services import FORMER_MEMBER
from practicum.core.errors import Conflict, Refused
from practicum.engagements import agreements, lifecycle, notices, selectors
from practicum.engagements.events import record
from practicum.engagements.models import (
    Application,
    Engagement,
    EngagementEvent,
    Side,
    Signature,
)
from practicum.profiles.models import StudentProfile
from practicum.projects import selectors as project_selectors
from practicum.projects import status as project_status
from practicum.projects.models import Project

# Limits shown in help texts too, so the form and the rules cannot drift apart.
PITCH_MAX = 2_000
ANSWER_MAX = 2_000
MESSAGE_MAX = 2_000
OFFER_DAYS_DEFAULT, OFFER_DAYS_MIN, OFFER_DAYS_MAX = 5, 1, 30

Status = Application.Status
LIVE_ENGAGEMENT_STATES = (Engagement.State.AGREEMENT_PENDING, Engagement.State.ACTIVE)


def _text(value, *, field: str, max_length: int, required: bool, errors: dict) -> str:
    if not isinstance(value, str):
        errors.setdefault(field, []).append(ValidationError("Enter text.", code="invalid"))
        return ""
    # Browsers send line breaks as CRLF but count them as one character.
    value = value.replace("\r\n", "\n").strip()
    if required and not value:
        errors.setdefault(field, []).append(
            ValidationError("This field is required.", code="required")
        )
    elif len(value) > max_length:
        errors.setdefault(field, []).append(
            ValidationError(
                "At most %(max)s characters (this has %(count)s).",
                code="max_length",
                params={"max": f"{max_length:,}", "count": f"{len(value):,}"},
            )
        )
    return value


def _clean_answers(questions: list[str], answers, errors: dict) -> list[str]:
    if not isinstance(answers, list | tuple) or not all(isinstance(a, str) for a in answers):
        errors["answers"] = [ValidationError("Send the answers as a list of texts.")]
        return []
    if len(answers) > len(questions):
        errors["answers"] = [
            ValidationError(
                "This project asks %(count)s question(s); you sent %(sent)s answers.",
                code="too_many",
                params={"count": len(questions), "sent": len(answers)},
            )
        ]
        return []
    cleaned = []
    for index, question in enumerate(questions):
        answer = answers[index] if index < len(answers) else ""
        answer = answer.replace("\r\n", "\n").strip()
        if not answer:
            errors.setdefault("answers", []).append(
                ValidationError(
                    "Answer question %(number)s (“%(question)s”).",
                    code="required",
                    params={"number": index + 1, "question": question, "index": index},
                )
            )
        elif len(answer) > ANSWER_MAX:
            errors.setdefault("answers", []).append(
                ValidationError(
                    "The answer to question %(number)s has more than %(max)s characters.",
                    code="max_length",
                    params={"number": index + 1, "max": f"{ANSWER_MAX:,}", "index": index},
                )
            )
        cleaned.append(answer)
    return cleaned


@transaction.atomic
def apply_to_project(
    project: Project, *, by, pitch: str, availability_confirmed: bool, answers=()
) -> Application:
    """Send a student's application. Only students apply, only to a project that takes
    applications (selectors.closed_reason is empty), once per project; the pitch (at most 2,000
    characters), the confirmation of availability for the project's dates and hours, and an
    answer to each screening question are required."""
    if not by.has_perm("engagements.apply", project):
        raise Refused("students_only", "Only student accounts can apply to projects.")
    reason = project_selectors.closed_reason(project)
    if reason:
        raise Conflict("not_accepting", f"This project is not taking applications: {reason}")
    if Application.objects.filter(project=project, student=by).exists():
        raise _already_applied()
    errors: dict[str, list[ValidationError]] = {}
    pitch = _text(pitch, field="pitch", max_length=PITCH_MAX, required=True, errors=errors)
    if availability_confirmed is not True:
        errors["availability_confirmed"] = [
            ValidationError(
                "Confirm that you can work the project's hours on its dates.", code="required"
            )
        ]
    answers = _clean_answers(list(project.screening_questions or []), answers, errors)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    try:
        # A savepoint, so a twin request that won the race leaves this transaction usable.
        with transaction.atomic():
            application = Application.objects.create(
                project=project,
                student=by,
                pitch=pitch,
                availability_confirmed=True,
                answers=answers,
                created_at=now,
                status_changed_at=now,
            )
    except IntegrityError:
        # The unique constraint (project, student) is the only one a valid row can break.
        raise _already_applied() from None
    notices.application_received(application)
    return application


def _already_applied() -> Conflict:
    return Conflict("already_applied", "You have already applied to this project.")


def _locked(application: Application) -> Application:
    # Re-read under a row lock: two requests answering the same application take turns, and the
    # second sees the status the first left.
    return Application.objects.select_for_update().get(pk=application.pk)


def _locked_project(application: Application) -> Project:
    """Lock the project first: offers and acceptances of one project take turns, so its count
    of places taken is exact when they check it (lifecycle._place_available)."""
    return Project.objects.select_for_update().get(pk=application.project_id)


def _move(application: Application, action: str, *, by, **changes) -> Application:
    return lifecycle.move(lifecycle.APPLICATION, application, action, by=by, changes=changes)


@transaction.atomic
def shortlist(application: Application, *, by) -> Application:
    """Put a submitted application on the shortlist; members of the project's organization."""
    lifecycle.require(lifecycle.APPLICATION, application, "shortlist", by)
    application = _move(_locked(application), "shortlist", by=by)
    notices.shortlisted(application)
    return application


@transaction.atomic
def make_offer(
    application: Application, *, by, message: str = "", expires_in_days: int = OFFER_DAYS_DEFAULT
) -> Application:
    """Offer the place to a submitted or shortlisted applicant; members of the project's
    organization. The offer holds 1–30 days (5 unless said otherwise) and may carry a message
    of at most 2,000 characters. Only on an open project with a place left (the lifecycle's
    guard)."""
    lifecycle.require(lifecycle.APPLICATION, application, "offer", by)
    errors: dict[str, list[ValidationError]] = {}
    message = _text(message, field="message", max_length=MESSAGE_MAX, required=False, errors=errors)
    if (
        isinstance(expires_in_days, bool)
        or not isinstance(expires_in_days, int)
        or not OFFER_DAYS_MIN <= expires_in_days <= OFFER_DAYS_MAX
    ):
        errors["expires_in_days"] = [
            ValidationError(
                "The offer must hold between %(min)s and %(max)s days.",
                code="out_of_range",
                params={"min": OFFER_DAYS_MIN, "max": OFFER_DAYS_MAX},
            )
        ]
    if errors:
        raise ValidationError(errors)
    project = _locked_project(application)
    application = _locked(application)
    application.project = project
    now = timezone.now()
    application = _move(
        application,
        "offer",
        by=by,
        offer_message=message,
        offered_at=now,
        offer_expires_at=now + datetime.timedelta(days=expires_in_days),
    )
    notices.offer_made(application)
    return application


@transaction.atomic
def offer_from_round(
    project: Project, student, *, by, round_name: str, expires_in_days: int = OFFER_DAYS_DEFAULT
) -> Application:
    """Offer the student the place a match round gave them: their application to the project
    is created already offered (its pitch notes the round; the student confirms nothing
    until they accept), or a submitted or shortlisted one moves to offered. An offer already
    standing is left as it is. Refused for an application past answering (illegal_transition)
    and once every place is taken (project_full). Only for student accounts. Who may do this
    is the round's rule: rounds.services.publish_round checks that `by` runs the round, then
    calls this inside its own transaction."""
    if not student.is_student:
        raise Refused("students_only", "Only student accounts receive offers.")
    project = Project.objects.select_for_update().get(pk=project.pk)
    now = timezone.now()
    offer = {
        "offer_message": f"You were matched with this project in the round “{round_name}”, "
        f"published by {by.name or by.email}.",
        "offered_at": now,
        "offer_expires_at": now + datetime.timedelta(days=expires_in_days),
    }
    application = (
        Application.objects.select_for_update().filter(project=project, student=student).first()
    )
    if application is None:
        try:
            # A savepoint: a twin application that won the race leaves this transaction usable.
            with transaction.atomic():
                application = Application.objects.create(
                    project=project,
                    student=student,
                    pitch=f"Matched in round “{round_name}”.",
                    created_at=now,
                    status_changed_at=now,
                )
        except IntegrityError:
            application = Application.objects.select_for_update().get(
                project=project, student=student
            )
    if application.status == Status.OFFERED:
        # The organization made this offer already; the round does not rewrite its terms.
        return application
    application.project = project
    application = lifecycle.move(
        lifecycle.APPLICATION, application, "offer_from_round", by=by, at=now, changes=offer
    )
    notices.offer_made(application)
    return application


@transaction.atomic
def reject(application: Application, *, by, message: str = "") -> Application:
    """Tell an applicant they were not selected, with an optional message of at most 2,000
    characters; members of the project's organization. Rejecting an offer rescinds it."""
    lifecycle.require(lifecycle.APPLICATION, application, "reject", by)
    errors: dict[str, list[ValidationError]] = {}
    message = _text(message, field="message", max_length=MESSAGE_MAX, required=False, errors=errors)
    if errors:
        raise ValidationError(errors)
    application = _move(_locked(application), "reject", by=by, rejection_message=message)
    notices.rejected(application)
    return application


@transaction.atomic
def message_applicant(application: Application, *, by, text: str) -> Application:
    """Send an applicant a note (required, at most 2,000 characters); members of the project's
    organization, to any applicant but one who withdrew (Conflict "withdrawn")."""
    if not by.has_perm("engagements.select_application", application):
        raise Refused(*lifecycle.APPLICATION.refusals[lifecycle.Who.ORGANIZATION])
    errors: dict[str, list[ValidationError]] = {}
    text = _text(text, field="message", max_length=MESSAGE_MAX, required=True, errors=errors)
    if errors:
        raise ValidationError(errors)
    if application.status == Status.WITHDRAWN:
        raise Conflict("withdrawn", "This student withdrew their application.")
    notices.applicant_message(application, text, sent_at=timezone.now())
    return application


# --- Several applicants at once -------------------------------------------------------------

BULK_MAX = 100
BULK_ACTIONS = ("shortlist", "reject", "message")
# What a bulk message or rejection may say about each applicant: {student} is their first name.
PLACEHOLDERS = ("student", "project", "organization")
DEFAULT_REJECTION = (
    "Dear {student},\n\n"
    "Thank you for applying to “{project}” and for the time you gave your application. "
    "We have decided not to go further with it this time: we had more good applicants than "
    "places. We hope to see your name again on one of our next projects.\n\n"
    "With our best wishes,\n{organization}"
)


def fill_template(template: str, application: Application) -> str:
    """The template with its placeholders replaced. Plain replacement, not str.format: an
    organization's text cannot reach any attribute beyond these three values."""
    values = {
        "student": application.student.get_short_name(),
        "project": application.project.title,
        "organization": application.project.organization.name,
    }
    for name in PLACEHOLDERS:
        template = template.replace("{" + name + "}", values[name])
    return template


@dataclass(frozen=True)
class Skipped:
    application: Application
    code: str  # the refusal's code: illegal_transition (see the status), withdrawn, invalid
    status: str  # the application's status when it was skipped


@dataclass(frozen=True)
class BulkResult:
    action: str
    done: list[Application]
    skipped: list[Skipped]


def _bulk_ids(ids, errors: dict) -> list[int]:
    if not isinstance(ids, list | tuple) or not all(
        isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in ids
    ):
        errors["application_ids"] = [
            ValidationError("Send the applications as a list of their ids.", code="invalid")
        ]
        return []
    unique = list(dict.fromkeys(ids))
    if not unique:
        errors["application_ids"] = [
            ValidationError("Select at least one applicant.", code="required")
        ]
    elif len(unique) > BULK_MAX:
        errors["application_ids"] = [
            ValidationError(
                "Select at most %(max)s applicants at once (%(count)s selected).",
                code="too_many",
                params={"max": BULK_MAX, "count": len(unique)},
            )
        ]
    return unique


def bulk_act(
    project: Project, *, by, action: str, application_ids, message: str = ""
) -> BulkResult:
    """Shortlist, reject or message several of a project's applicants at once; members of its
    organization. The whole request is refused, with nothing changed, when the action is
    unknown, the message is missing (a message) or too long, or the ids are not a list of 1–100
    applications of this project. Then each application moves on its own, in its own
    transaction with its notification, exactly as one would by hand (shortlist, reject,
    message_applicant); one its state does not allow is skipped, with the refusal's code. A
    rejection's or a message's text is a template: {student}, {project} and {organization} are
    filled in for each applicant."""
    if not by.has_perm("engagements.list_applicants", project):
        raise Refused(*lifecycle.APPLICATION.refusals[lifecycle.Who.ORGANIZATION])
    errors: dict[str, list[ValidationError]] = {}
    if action not in BULK_ACTIONS:
        errors["action"] = [
            ValidationError(
                "Choose one of: %(actions)s.",
                code="invalid_choice",
                params={"actions": ", ".join(BULK_ACTIONS)},
            )
        ]
    ids = _bulk_ids(application_ids, errors)
    message = _text(
        message,
        field="message",
        max_length=MESSAGE_MAX,
        required=action == "message",
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    by_id = {
        a.pk: a
        for a in Application.objects.filter(project=project, pk__in=ids).select_related(
            "project__organization", "student"
        )
    }
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise ValidationError(
            {
                "application_ids": [
                    ValidationError(
                        "Not applications to this project: %(ids)s.",
                        code="unknown",
                        params={"ids": ", ".join(map(str, unknown))},
                    )
                ]
            }
        )
    done, skipped = [], []
    for pk in ids:
        application = by_id[pk]
        try:
            if action == "shortlist":
                shortlist(application, by=by)
            elif action == "reject":
                reject(application, by=by, message=fill_template(message, application))
            else:
                message_applicant(application, by=by, text=fill_template(message, application))
        except Conflict as exc:
            skipped.append(Skipped(application, exc.code, _status_now(application)))
        except ValidationError:
            # The filled-in template grew past the limit for this one applicant.
            skipped.append(Skipped(application, "invalid", application.status))
        else:
            done.append(application)
    return BulkResult(action, done, skipped)


def _status_now(application: Application) -> str:
    # Another request may have moved it since the page was read: report what stopped it.
    return Application.objects.filter(pk=application.pk).values_list("status", flat=True).get()


@transaction.atomic
def withdraw(application: Application, *, by) -> Application:
    """The student takes back their application, at any time until they accept an offer."""
    return _move(_locked(application), "withdraw", by=by)


@transaction.atomic
def decline_offer(application: Application, *, by) -> Application:
    """The student says no to an offer (an expired one too); only the applicant."""
    application = _move(_locked(application), "decline", by=by)
    notices.offer_answered(application, "offer_declined")
    return application


@transaction.atomic
def accept_offer(application: Application, *, by) -> Engagement:
    """The student takes the place they were offered and the engagement begins, waiting for the
    agreement, whose first draft is written now (agreements.draft_agreement). Only the applicant,
    only before the offer expires ("offer_expired"), only on an open project with a place left
    ("project_not_open", "project_full"), and only when the hours a week of this project and of
    the student's live engagements whose dates overlap it fit in the weekly hours on their
    profile ("schedule_clash"). Taking the last place closes the project, which takes back the
    offers still open on it (lifecycle.take_place).

    The project row is locked first, so acceptances of one project take turns and the count of
    places taken is exact when the capacity is checked.
    """
    lifecycle.require(lifecycle.APPLICATION, application, "accept", by)
    project = _locked_project(application)
    # Then the student's profile: two acceptances by one student (of different projects, so
    # not serialized by the project lock) see each other's engagement in the clash check.
    profile = StudentProfile.objects.select_for_update().filter(user_id=by.pk).first()
    application = _locked(application)
    application.project = project
    if application.withdrawn_reason:
        raise Conflict(
            "offer_withdrawn",
            f"This offer was withdrawn: {notices.WITHDRAWN_BECAUSE[application.withdrawn_reason]}.",
        )
    lifecycle.check(lifecycle.APPLICATION, application, "accept")
    if selectors.offer_is_expired(application):
        raise Conflict(
            "offer_expired",
            f"This offer expired on {_moment(application.offer_expires_at)} and can no longer "
            "be accepted.",
        )
    _check_schedule(project, student=by, profile=profile)
    now = timezone.now()
    application = lifecycle.move(lifecycle.APPLICATION, application, "accept", by=by, at=now)
    engagement = Engagement.objects.create(
        application=application,
        project=project,
        student=by,
        mentor_id=project.mentor_id,
        state=Engagement.State.AGREEMENT_PENDING,
    )
    notices.offer_answered(application, "offer_accepted")
    lifecycle.take_place(project, by=by, at=now)
    agreements.draft_agreement(engagement)
    return engagement


def _check_schedule(project: Project, *, student, profile: StudentProfile | None) -> None:
    """Conflict("schedule_clash") when the hours a week of this project plus those of the
    student's live engagements overlapping its dates exceed the student's weekly hours."""
    if not (project.starts_on and project.ends_on):
        return
    overlapping = list(
        Engagement.objects.filter(
            student=student,
            state__in=LIVE_ENGAGEMENT_STATES,
            project__starts_on__lte=project.ends_on,
            project__ends_on__gte=project.starts_on,
        )
        .exclude(project=project)
        .select_related("project")
        .order_by("project__starts_on", "pk")
    )
    if not overlapping:
        return
    available = (
        profile.weekly_hours
        if profile is not None
        else StudentProfile._meta.get_field("weekly_hours").get_default()
    )
    this_week = project.hours_per_week or 0
    total = this_week + sum(e.project.hours_per_week or 0 for e in overlapping)
    if total <= available:
        return
    others = ", ".join(
        f"“{e.project.title}” ({e.project.hours_per_week or 0} h/week, "
        f"{_day(e.project.starts_on)} – {_day(e.project.ends_on)})"
        for e in overlapping
    )
    raise Conflict(
        "schedule_clash",
        f"This project ({this_week} h/week, {_day(project.starts_on)} – {_day(project.ends_on)}) "
        f"overlaps {others}: {total} hours a week in all, more than the {available} hours a week "
        "your profile says you have.",
    )


def _day(value: datetime.date) -> str:
    return date_format(value, "j M Y")


def _moment(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value), "j M Y, H:i")


# The service behind each application action that takes no input but the user.
SIMPLE_ACTIONS = {
    "shortlist": shortlist,
    "withdraw": withdraw,
    "decline": decline_offer,
    "accept": accept_offer,
}


@transaction.atomic
def change_project_status(project: Project, action: str, *, by) -> Project:
    """Publish, close, reopen or archive a project: members of its organization, through the
    lifecycle's project table (its guards: publishable, reopenable). Closing or archiving a
    project takes back the offers still open on it."""
    lifecycle.require(lifecycle.PROJECT, project, action, by)
    project = (
        Project.objects.select_related("organization")
        .select_for_update(of=("self",))
        .get(pk=project.pk)
    )
    return lifecycle.move(lifecycle.PROJECT, project, action, by=by)


def project_actions(project: Project, user) -> list[project_status.Action]:
    """The status changes `user` may make on `project` now, for its page's buttons."""
    return [
        project_status.Action(move.action, move.label)
        for move in lifecycle.allowed(lifecycle.PROJECT, project, user)
        if move.action in project_status.ACTIONS
    ]


# --- Mentors -------------------------------------------------------------------------------

MENTORED = (Engagement.State.AGREEMENT_PENDING, Engagement.State.ACTIVE)


def _change_mentor(engagement: Engagement, mentor, *, by, reason: str) -> None:
    """Record and announce a new mentor (or none) on a locked engagement."""
    before = engagement.mentor
    engagement.mentor = mentor
    engagement.save(update_fields=["mentor"])
    record(
        engagement,
        EngagementEvent.Kind.MENTOR_CHANGED,
        by,
        side=Side.ORGANIZATION,
        previous=before.pk if before else None,
        previous_name=before.name if before else "",
        mentor=mentor.pk if mentor else None,
        mentor_name=mentor.name if mentor else "",
        reason=reason,
    )
    told = {engagement.student, *notices.engagement_organization_side(engagement)}
    if (
        before is not None
        and before.memberships.filter(organization_id=engagement.project.organization_id).exists()
    ):
        told.add(before)
    told.discard(by)
    notices.mentor_changed(sorted(told, key=lambda p: p.pk), engagement, reason=reason)


@transaction.atomic
def reassign_mentor(engagement: Engagement, *, by, mentor_id) -> Engagement:
    """An owner of the organization gives a live engagement (waiting for the agreement, or
    active) a new mentor: a member of the organization. The student, the new and the previous
    mentor and the owners are told; the change is on the timeline."""
    if not by.has_perm("engagements.assign_mentor", engagement):
        raise Refused("not_owner", "Only the organization's owners can change the mentor.")
    engagement = (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("project__organization", "student", "mentor")
        .get(pk=engagement.pk)
    )
    if engagement.state not in MENTORED:
        raise Conflict(
            "engagement_not_active",
            f"This engagement is {engagement.get_state_display().lower()}; "
            "its mentor no longer changes.",
        )
    member = (
        Membership.objects.select_related("user")
        .filter(organization_id=engagement.project.organization_id, user_id=mentor_id)
        .first()
        if isinstance(mentor_id, int) and not isinstance(mentor_id, bool)
        else None
    )
    if member is None:
        raise ValidationError(
            {"mentor": [ValidationError("Choose a member of the organization.", code="invalid")]}
        )
    if member.user_id == engagement.mentor_id:
        raise ValidationError(
            {"mentor": [ValidationError("They mentor it already.", code="unchanged")]}
        )
    _change_mentor(engagement, member.user, by=by, reason="reassigned")
    return engagement


def release_mentor(sender, organization, user, by=None, **kwargs) -> None:
    """Receiver of accounts.signals.member_removed: a person who leaves the organization
    mentors none of its engagements from that moment; the owners are told to choose another."""
    engagements = (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("project__organization", "student", "mentor")
        .filter(project__organization=organization, mentor=user, state__in=MENTORED)
    )
    for engagement in engagements:
        _change_mentor(engagement, None, by=by, reason="member_removed")


def leave_with_account(sender, user, **kwargs) -> None:
    """accounts.signals.account_deleted, inside the deletion's transaction.

    A student with an engagement still pending or under way finishes or cancels it first (the
    organization would be left with work nobody can do): the deletion is refused. Open
    applications and offers are withdrawn, as the student would withdraw them, and the typed
    names on signed agreements become "Former member" (the agreements themselves stay).
    """
    live = Engagement.objects.filter(
        student=user, state__in=[Engagement.State.AGREEMENT_PENDING, Engagement.State.ACTIVE]
    )
    if live.exists():
        raise Conflict(
            "engagement_in_progress",
            "Finish or cancel your engagements in progress before you delete your account.",
        )
    for application in Application.objects.filter(
        student=user, status__in=lifecycle.APPLICATION_OPEN
    ).select_related("project"):
        lifecycle.move(lifecycle.APPLICATION, application, "withdraw", by=user)
    Signature.objects.filter(user=user).update(full_name=FORMER_MEMBER)
