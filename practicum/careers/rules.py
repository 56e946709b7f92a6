"""Who may do what with enrollments and students' records: one place for pages and API.

Career-center staff decide their own institution's pending enrollments, and read the outcomes
of a student who is verified there and consents to share with it. Nobody else does either: not
staff of another institution, not a platform admin (whose support work goes through the Django
admin), not a student about anyone but themselves.
"""

import rules
from django.db.models import Exists, OuterRef

from practicum.accounts.models import InstitutionStaff
from practicum.careers.models import Consent, Enrollment


@rules.predicate
def is_staff_of_enrollment_institution(user, enrollment) -> bool:
    if not user.is_authenticated or enrollment is None:
        return False
    return InstitutionStaff.objects.filter(
        user=user, institution_id=enrollment.institution_id
    ).exists()


def sharing_consents(user):
    """The consents in force of students verified at an institution where `user` is staff."""
    verified = Enrollment.objects.filter(
        student=OuterRef("student"),
        institution=OuterRef("institution"),
        state=Enrollment.State.VERIFIED,
    )
    return Consent.objects.filter(withdrawn_at__isnull=True, institution__staff__user=user).filter(
        Exists(verified)
    )


@rules.predicate
def student_shares_with_user(user, student) -> bool:
    if not user.is_authenticated or student is None:
        return False
    return sharing_consents(user).filter(student=student).exists()


rules.add_perm("careers.decide_enrollment", is_staff_of_enrollment_institution)
rules.add_perm("careers.read_record", student_shares_with_user)
