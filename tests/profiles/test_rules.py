import pytest
from django.contrib.auth.models import AnonymousUser

from practicum.accounts.models import User
from tests.factories import (
    InstitutionFactory,
    InstitutionStaffFactory,
    MembershipFactory,
    StudentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(profile):
    profile.institution = InstitutionFactory()
    profile.save()
    return profile


def test_student_sees_and_changes_own_profile(student, profile):
    assert student.has_perm("profiles.view_profile", profile)
    assert student.has_perm("profiles.change_profile", profile)


def test_another_student_neither_sees_nor_changes(profile):
    other = StudentFactory()
    profile.discoverable = True
    profile.save()
    assert not other.has_perm("profiles.view_profile", profile)
    assert not other.has_perm("profiles.change_profile", profile)


def test_platform_admin_sees_but_does_not_change(profile):
    admin = UserFactory(account_type=User.AccountType.ADMIN, is_staff=True)
    assert admin.has_perm("profiles.view_profile", profile)
    assert not admin.has_perm("profiles.change_profile", profile)


def test_career_staff_do_not_see_the_profile_of_a_student_who_names_them(enrolled):
    """The profile is not an outcome: staff see consenting students' outcomes in careers."""
    staff = InstitutionStaffFactory(institution=enrolled.institution).user
    assert not staff.has_perm("profiles.view_profile", enrolled)
    assert not staff.has_perm("profiles.change_profile", enrolled)


def test_organization_members_see_only_discoverable_students(owner, profile):
    mentor = MembershipFactory(role="mentor").user
    assert not owner.has_perm("profiles.view_profile", profile)
    profile.discoverable = True
    profile.save()
    assert owner.has_perm("profiles.view_profile", profile)
    assert mentor.has_perm("profiles.view_profile", profile)
    assert not owner.has_perm("profiles.change_profile", profile)


def test_anonymous_sees_nothing(profile):
    profile.discoverable = True
    profile.save()
    assert not AnonymousUser().has_perm("profiles.view_profile", profile)


def test_organization_sees_the_profile_of_a_student_who_applied_to_it():
    from practicum.profiles.rules import may_view_profile
    from tests.factories import ApplicationFactory, MembershipFactory

    application = ApplicationFactory(student__profile__discoverable=False)
    profile = application.student.student_profile
    member = MembershipFactory(organization=application.project.organization).user
    outsider = MembershipFactory().user
    assert may_view_profile.test(member, profile)
    assert not may_view_profile.test(outsider, profile)
