"""Each application event reaches the right people, and only them, as notifications."""

import pytest

from practicum.accounts.models import Membership
from practicum.core.errors import Conflict
from practicum.engagements import services
from practicum.notifications.models import Notification
from tests.factories import ApplicationFactory, MembershipFactory, ProjectFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    project = ProjectFactory()
    MembershipFactory(organization=project.organization, role=Membership.Role.OWNER)
    # A mentor of the organization who does not mentor this project hears nothing.
    MembershipFactory(organization=project.organization, role=Membership.Role.MENTOR)
    return project


def organization_side(project) -> set:
    owners = project.organization.memberships.filter(role=Membership.Role.OWNER)
    return {m.user_id for m in owners} | {project.mentor_id}


def recipients(kind) -> set:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_application_received_goes_to_the_mentor_and_owners(project):
    application = services.apply_to_project(
        project, by=StudentFactory(), pitch="Hello", availability_confirmed=True
    )
    assert recipients("application_received") == organization_side(project)
    assert application.student_id not in recipients("application_received")


def test_offer_made_goes_to_the_student_only(project):
    application = ApplicationFactory(project=project)
    services.make_offer(application, by=project.mentor)
    assert recipients("offer_made") == {application.student_id}


def test_offer_accepted_and_declined_go_to_the_organization_side(project):
    project.capacity = 2
    project.save()
    first, second = ApplicationFactory(project=project), ApplicationFactory(project=project)
    for application in (first, second):
        services.make_offer(application, by=project.mentor)
    services.accept_offer(first, by=first.student)
    services.decline_offer(second, by=second.student)
    assert recipients("offer_accepted") == organization_side(project)
    assert recipients("offer_declined") == organization_side(project)


def test_a_refused_change_announces_nothing(project):
    application = ApplicationFactory(project=project)
    with pytest.raises(Conflict):
        services.accept_offer(application, by=application.student)  # no offer yet
    assert not Notification.objects.filter(kind="offer_accepted").exists()
