"""Writes for career centers: enrollment (requested, confirmed by email or decided by staff),
consent (given, withdrawn) and the access log written whenever staff open a student's record.

Each function is one transaction with one check of who may act; they return the row they wrote
and raise ServiceError subclasses (Refused 403, Conflict 409, NotFound 404) or a ValidationError
by field.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from practicum.accounts.models import Institution, User
from practicum.careers import selectors
from practicum.careers.models import (
    ENROLLMENT,
    AccessLogEntry,
    Consent,
    Enrollment,
    InstitutionDomain,
)
from practicum.core.errors import Conflict, Refused, ServiceError

LINK_SALT = "practicum.careers.enrollment-email"
LINK_VALID_FOR = datetime.timedelta(days=3)
State = Enrollment.State


def _require_student(user) -> None:
    if not (user.is_authenticated and user.is_student):
        raise Refused("students_only", "Only students enroll at an institution.")


def _domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower()


def _belongs_to(email: str, institution: Institution) -> bool:
    domain = _domain_of(email)
    domains = InstitutionDomain.objects.filter(institution=institution).values_list(
        "domain", flat=True
    )
    return any(domain == d or domain.endswith("." + d) for d in domains)


def _institution(pk) -> Institution:
    institution = Institution.objects.filter(pk=pk).first() if pk is not None else None
    if institution is None:
        raise ValidationError({"institution": ["Choose an institution from the list."]})
    return institution


def confirmation_token(enrollment: Enrollment) -> str:
    return signing.dumps({"e": enrollment.pk, "a": enrollment.email}, salt=LINK_SALT)


def confirmation_link(enrollment: Enrollment) -> str:
    path = reverse("careers:confirm", args=[confirmation_token(enrollment)])
    return settings.SITE_URL.rstrip("/") + path


def request_enrollment(student, *, institution, email: str = "") -> Enrollment:
    """Ask to be enrolled at `institution` (an Institution or its id). With an `email` at one of
    its domains, a signed link is mailed there and following it verifies the enrollment; without
    one, the institution's staff approve or reject the request. Asking again replaces the
    address of a pending request (older links stop working) and reopens a rejected one; a
    verified enrollment → Conflict "already_verified"."""
    _require_student(student)
    if not isinstance(institution, Institution):
        institution = _institution(institution)
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": ["Enter an email address."]}) from None
        if not _belongs_to(email, institution):
            raise ValidationError({"email": [f"This is not an address of {institution.name}."]})
    now = timezone.now()
    with transaction.atomic():
        enrollment, _ = Enrollment.objects.select_for_update().get_or_create(
            student=student,
            institution=institution,
            defaults={"method": "", "requested_at": now},
        )
        if enrollment.state == State.VERIFIED:
            raise Conflict("already_verified", f"You are already verified at {institution.name}.")
        method = Enrollment.Method.EMAIL if email else Enrollment.Method.STAFF
        if enrollment.state == State.REJECTED:
            ENROLLMENT.move(
                enrollment, "ask_again", method=method, email=email, requested_at=now,
                decided_by=None,
            )  # fmt: skip
        else:
            enrollment.method, enrollment.email, enrollment.requested_at = method, email, now
            enrollment.save(update_fields=["method", "email", "requested_at"])
        if email:
            context = {"enrollment": enrollment, "url": confirmation_link(enrollment)}
            transaction.on_commit(
                lambda: send_mail(
                    f"Confirm your address at {institution.name} on Practicum",
                    render_to_string("careers/email/confirm.txt", context),
                    None,
                    [email],
                )
            )
    return enrollment


def confirm_enrollment(token: str, *, by) -> Enrollment:
    """Follow the emailed link: verifies the enrollment it names, for its student only.
    Conflict "link_expired" / "link_invalid" / "link_replaced" (a newer address was asked);
    Refused "not_yours" for anyone else. Confirming twice changes nothing."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_VALID_FOR)
    except signing.SignatureExpired:
        raise Conflict("link_expired", "This link has expired. Ask for a new one.") from None
    except signing.BadSignature:
        raise Conflict("link_invalid", "This link is not valid.") from None
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update()
            .select_related("institution")
            .filter(pk=data.get("e"))
            .first()
        )
        if enrollment is None:
            raise Conflict("link_invalid", "This link is not valid.")
        if enrollment.student_id != by.pk:
            raise Refused("not_yours", "This link confirms another person's address.")
        if enrollment.state == State.VERIFIED:
            return enrollment
        if enrollment.email != data.get("a") or enrollment.method != Enrollment.Method.EMAIL:
            raise Conflict("link_replaced", "You asked again since; use the newest link.")
        return ENROLLMENT.move(enrollment, "confirm_email", verified_at=timezone.now())


def _decide(enrollment: Enrollment, action: str, *, by, **changes) -> Enrollment:
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if not by.has_perm("careers.decide_enrollment", enrollment):
            raise Refused("not_staff", "Only the institution's career-center staff decide this.")
        return ENROLLMENT.move(enrollment, action, decided_by=by, **changes)


def approve_enrollment(enrollment: Enrollment, *, by) -> Enrollment:
    """Staff of the institution confirm that the student studies there."""
    return _decide(enrollment, "approve", by=by, verified_at=timezone.now())


def reject_enrollment(enrollment: Enrollment, *, by) -> Enrollment:
    """Staff of the institution do not know the student; they may ask again."""
    return _decide(enrollment, "reject", by=by)


def give_consent(student, *, institution) -> Consent:
    """Share outcomes with an institution the student asked to be enrolled at (staff see them
    once the enrollment is verified). Giving it again changes nothing."""
    _require_student(student)
    if not isinstance(institution, Institution):
        institution = _institution(institution)
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update()
            .filter(student=student, institution=institution)
            .first()
        )
        if enrollment is None or enrollment.state == State.REJECTED:
            raise Conflict("not_enrolled", f"Ask to be enrolled at {institution.name} first.")
        consent = Consent.objects.filter(
            student=student, institution=institution, withdrawn_at__isnull=True
        ).first()
        return consent or Consent.objects.create(student=student, institution=institution)


def withdraw_consent(student, *, institution) -> int:
    """Stop sharing with the institution at once. Returns how many consents ended (0 or 1)."""
    with transaction.atomic():
        return Consent.objects.filter(
            student=student, institution=institution, withdrawn_at__isnull=True
        ).update(withdrawn_at=timezone.now())


def open_record(
    student_id: int, *, by, what: str, page=1, page_size=selectors.PAGE_SIZE
) -> selectors.StudentRecord:
    """The outcomes record of a student who shares with an institution where `by` is staff,
    logged for the student to see (one entry per look). Anybody else → 404 not_found: the
    record does not exist for them."""
    with transaction.atomic():
        consent = selectors.sharing_consent(by, student_id)
        if consent is None:
            raise ServiceError("not_found", "No such student.", status=404)
        AccessLogEntry.objects.create(
            staff=by,
            staff_name=by.name or by.email,
            student_id=student_id,
            institution_id=consent.institution_id,
            what=what,
        )
    student = User.objects.get(pk=student_id)
    return selectors.record_of(student, consent.institution, page_number=page, page_size=page_size)
