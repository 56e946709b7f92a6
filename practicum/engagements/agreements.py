"""Writes for the agreement of an engagement: drafting, edits before signing, signatures,
amendments while active, cancellation. Each service is one transaction, locks the engagement
row first (so two people acting at once take turns and see each other's change), checks once
who may act, records an EngagementEvent and notifies the other side.

Versions are never edited: before both sign, an edit is a new draft that replaces the previous
one (signatures stay with the version they were made on, so they no longer count); once active,
a change is a proposed version that the other side accepts (it becomes current) or rejects.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from practicum.core.errors import Conflict, Refused
from practicum.engagements import lifecycle, notices, terms
from practicum.engagements.events import record, side_of
from practicum.engagements.models import (
    AgreementVersion,
    Engagement,
    EngagementEvent,
    Side,
    Signature,
)

State = Engagement.State
VersionStatus = AgreementVersion.Status
Kind = EngagementEvent.Kind
REASON_MAX = 2_000
STUDENT_COMMITMENT = ("student_hours_per_week", "student_response_time_hours")


def _other_side(engagement: Engagement, side: str) -> list:
    if side == Side.STUDENT:
        return notices.engagement_organization_side(engagement)
    return [engagement.student]


def _both_sides(engagement: Engagement) -> list:
    return [engagement.student, *notices.engagement_organization_side(engagement)]


def _check_may_act(by, engagement: Engagement) -> None:
    if not by.has_perm("engagements.act_on_engagement", engagement):
        raise Refused(
            "not_a_party", "Only the student and the organization's side can change this."
        )


def _locked(engagement: Engagement) -> Engagement:
    # Only the engagement row: PostgreSQL cannot lock the outer-joined (nullable) mentor.
    return (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("project", "student", "mentor")
        .get(pk=engagement.pk)
    )


def _latest(engagement: Engagement) -> AgreementVersion:
    return engagement.agreement_versions.order_by("-number").first()


def _reason(value, *, required: bool) -> str:
    value = (value or "").replace("\r\n", "\n").strip() if isinstance(value, str) else ""
    if required and not value:
        raise ValidationError({"reason": [ValidationError("Give a reason.", code="required")]})
    if len(value) > REASON_MAX:
        raise ValidationError(
            {"reason": [ValidationError(f"At most {REASON_MAX:,} characters.", code="max_length")]}
        )
    return value


def _check_name(by, full_name) -> str:
    """The typed name must be the account's name (case and spacing aside): a signature says
    who agreed, so nobody signs as someone else by mistake."""
    typed = " ".join(full_name.split()) if isinstance(full_name, str) else ""
    if not typed or typed.casefold() != " ".join(by.name.split()).casefold():
        raise ValidationError(
            {
                "full_name": [
                    ValidationError(
                        f"Type your full name exactly as on your account: {by.name}.",
                        code="name_mismatch",
                    )
                ]
            }
        )
    return typed


def _new_version(engagement, *, terms_, status, by, reason: str) -> AgreementVersion:
    latest = _latest(engagement)
    return AgreementVersion.objects.create(
        engagement=engagement,
        number=(latest.number + 1) if latest else 1,
        terms=terms_,
        status=status,
        created_by=by,
        side=side_of(by, engagement) if by is not None else "",
        reason=reason,
    )


def draft_agreement(engagement: Engagement) -> AgreementVersion:
    """Version 1, drafted from the project, the application and the student's profile when the
    offer is accepted; both sides are told it is ready to sign. Called by accept_offer inside
    its transaction, which already checked that the student may accept."""
    profile = getattr(engagement.student, "student_profile", None)
    version = AgreementVersion.objects.create(
        engagement=engagement,
        number=1,
        terms=terms.draft_from(
            engagement.project,
            mentor=engagement.mentor,
            learning_goals=profile.learning_goals if profile is not None else [],
        ),
        status=VersionStatus.DRAFT,
        reason="Drafted from the project and the application.",
    )
    record(engagement, Kind.DRAFTED, None, version=1)
    notices.tell_about_engagement(_both_sides(engagement), "agreement_ready", engagement, "v1")
    return version


def _pending_draft(engagement: Engagement) -> AgreementVersion:
    if engagement.state != State.AGREEMENT_PENDING:
        raise Conflict(
            "not_pending",
            "The agreement is already in force; propose an amendment instead."
            if engagement.state == State.ACTIVE
            else f"This engagement is {engagement.get_state_display().lower()}.",
        )
    return engagement.agreement_versions.get(status=VersionStatus.DRAFT)


@transaction.atomic
def propose_edit(
    engagement: Engagement, *, by, changes: dict, reason: str = ""
) -> AgreementVersion:
    """Before both have signed, either side (the student, the mentor, an owner) changes the
    draft: a new draft replaces the previous one, whose signatures no longer count. The other
    side is told it is ready to sign again."""
    _check_may_act(by, engagement)
    engagement = _locked(engagement)
    draft = _pending_draft(engagement)
    reason = _reason(reason, required=False)
    new_terms = terms.changed(draft.terms, changes)
    return _replace_draft(engagement, draft, new_terms, by=by, reason=reason)


def _replace_draft(engagement, draft, new_terms, *, by, reason) -> AgreementVersion:
    draft.engagement = engagement
    lifecycle.move(lifecycle.AGREEMENT, draft, "replace", by=by)
    version = _new_version(
        engagement, terms_=new_terms, status=VersionStatus.DRAFT, by=by, reason=reason
    )
    record(engagement, Kind.EDIT_PROPOSED, by, version=version.number, replaces=draft.number)
    notices.tell_about_engagement(
        _other_side(engagement, version.side),
        "agreement_ready",
        engagement,
        f"v{version.number}",
    )
    return version


@transaction.atomic
def sign(
    engagement: Engagement,
    *,
    by,
    version_number: int,
    full_name: str,
    student_hours_per_week: int | None = None,
    student_response_time_hours: int | None = None,
) -> AgreementVersion:
    """Sign the draft for one's side, typing one's full name as on the account. Only the latest
    draft can be signed (409 outdated_version otherwise: the terms changed since it was read),
    once per side. The student states the hours a week and the response time they commit to;
    when those differ from the draft, they make a new draft carrying them, which the student
    signs and the organization must sign again. The engagement is active once both sides have
    signed the same version."""
    _check_may_act(by, engagement)
    engagement = _locked(engagement)
    draft = _pending_draft(engagement)
    if version_number != draft.number:
        raise Conflict(
            "outdated_version",
            f"Version {version_number} is not the draft to sign; version {draft.number} is. "
            "Read it and sign that one.",
            status=409,
        )
    side = side_of(by, engagement)
    typed = _check_name(by, full_name)
    if side == Side.STUDENT:
        commitment = {
            "student_hours_per_week": student_hours_per_week,
            "student_response_time_hours": student_response_time_hours,
        }
        missing = {
            name: [ValidationError("State what you commit to.", code="required")]
            for name, value in commitment.items()
            if value is None
        }
        if missing:
            raise ValidationError(missing)
        if any(draft.terms.get(name) != value for name, value in commitment.items()):
            draft = _replace_draft(
                engagement,
                draft,
                terms.changed(draft.terms, commitment),
                by=by,
                reason="The student's commitment, stated when signing.",
            )
    if draft.signatures.filter(side=side).exists():
        raise Conflict("already_signed", "Your side has already signed this version.")
    Signature.objects.create(version=draft, user=by, full_name=typed, side=side)
    record(engagement, Kind.SIGNED, by, version=draft.number, side=side)
    if draft.signatures.count() == 2:
        _activate(engagement, draft, by=by)
    return draft


def _activate(engagement, version, *, by) -> None:
    """Both sides signed `version`: the engagement is active and the version in force (the
    workspace schedules its check-ins and plans its goals on "take_effect")."""
    lifecycle.move(lifecycle.ENGAGEMENT, engagement, "activate", by=by, version=version.number)
    version.engagement = engagement
    lifecycle.move(lifecycle.AGREEMENT, version, "take_effect", by=by)


def _open_amendment(engagement: Engagement, number: int) -> AgreementVersion:
    version = engagement.agreement_versions.filter(number=number).first()
    if version is None:
        raise Conflict("no_such_amendment", f"There is no version {number}.", status=404)
    if version.status != VersionStatus.PROPOSED:
        raise Conflict(
            "not_open",
            f"Version {number} is not an open amendment ({version.get_status_display()}).",
        )
    return version


@transaction.atomic
def propose_amendment(
    engagement: Engagement, *, by, changes: dict, reason: str, full_name: str
) -> AgreementVersion:
    """While the engagement is active, either side proposes changed terms with a reason and
    signs the proposal with their typed full name. One open proposal at a time (409
    amendment_open); the other side is told to answer it."""
    _check_may_act(by, engagement)
    engagement = _locked(engagement)
    if engagement.state != State.ACTIVE:
        raise Conflict("not_active", "Amendments are for active engagements.")
    reason = _reason(reason, required=True)
    typed = _check_name(by, full_name)
    if engagement.agreement_versions.filter(status=VersionStatus.PROPOSED).exists():
        raise Conflict(
            "amendment_open", "An amendment is already waiting for an answer; answer it first."
        )
    current = engagement.agreement_versions.get(status=VersionStatus.CURRENT)
    new_terms = terms.changed(current.terms, changes)
    version = _new_version(
        engagement, terms_=new_terms, status=VersionStatus.PROPOSED, by=by, reason=reason
    )
    Signature.objects.create(version=version, user=by, full_name=typed, side=version.side)
    record(engagement, Kind.AMENDMENT_PROPOSED, by, version=version.number, reason=reason)
    notices.tell_about_engagement(
        _other_side(engagement, version.side),
        "amendment_proposed",
        engagement,
        f"v{version.number}",
    )
    return version


@transaction.atomic
def accept_amendment(engagement: Engagement, number: int, *, by, full_name: str):
    """The side that did not propose it signs the amendment (typed full name): it becomes the
    current version and the previous one is superseded. The proposer is told."""
    _check_may_act(by, engagement)
    engagement = _locked(engagement)
    version = _open_amendment(engagement, number)
    version.engagement = engagement
    lifecycle.require(lifecycle.AMENDMENT, version, "accept", by)
    lifecycle.check(lifecycle.AMENDMENT, version, "accept")
    side = side_of(by, engagement)
    typed = _check_name(by, full_name)
    current = engagement.agreement_versions.get(status=VersionStatus.CURRENT)
    current.engagement = engagement
    lifecycle.move(lifecycle.AGREEMENT, current, "supersede", by=by)
    Signature.objects.create(version=version, user=by, full_name=typed, side=side)
    lifecycle.move(lifecycle.AMENDMENT, version, "accept", by=by, version=number)
    notices.tell_about_engagement(
        _other_side(engagement, side), "amendment_accepted", engagement, f"v{number}"
    )
    return version


@transaction.atomic
def reject_amendment(engagement: Engagement, number: int, *, by, reason: str = ""):
    """The side that did not propose it turns the amendment down, optionally saying why; the
    current version stays in force and the proposer is told."""
    _check_may_act(by, engagement)
    engagement = _locked(engagement)
    version = _open_amendment(engagement, number)
    version.engagement = engagement
    lifecycle.require(lifecycle.AMENDMENT, version, "reject", by)
    lifecycle.check(lifecycle.AMENDMENT, version, "reject")
    side = side_of(by, engagement)
    reason = _reason(reason, required=False)
    lifecycle.move(lifecycle.AMENDMENT, version, "reject", by=by, version=number, reason=reason)
    notices.tell_about_engagement(
        _other_side(engagement, side), "amendment_rejected", engagement, f"v{number}"
    )
    return version


@transaction.atomic
def cancel(engagement: Engagement, *, by, reason: str) -> Engagement:
    """Either side ends the engagement, before or during the work, with a reason (required).
    Its versions and events stay; an open amendment is left as it was, for the record. The
    other side is told."""
    lifecycle.require(lifecycle.ENGAGEMENT, engagement, "cancel", by)
    engagement = _locked(engagement)
    lifecycle.check(lifecycle.ENGAGEMENT, engagement, "cancel")
    reason = _reason(reason, required=True)
    side = side_of(by, engagement)
    lifecycle.move(lifecycle.ENGAGEMENT, engagement, "cancel", by=by, reason=reason, side=side)
    notices.tell_about_engagement(
        _other_side(engagement, side), "engagement_cancelled", engagement, ""
    )
    return engagement
