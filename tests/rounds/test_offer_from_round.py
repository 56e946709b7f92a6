"""engagements.services.offer_from_round: a round's match becomes an offer."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from practicum.core.errors import Conflict, Refused
from practicum.engagements import services
from practicum.engagements.models import Application
from practicum.projects.models import Project
from tests.factories import ApplicationFactory, MembershipFactory, ProjectFactory, StudentFactory

pytestmark = pytest.mark.django_db

Status = Application.Status


@pytest.fixture
def project(db):
    return ProjectFactory(title="Survey analysis", capacity=2)


@pytest.fixture
def by(staff):
    return staff


def offer(project, student, by, **kwargs) -> Application:
    return services.offer_from_round(project, student, by=by, round_name="Spring", **kwargs)


def test_creates_the_application_already_offered(project, student, by):
    before = timezone.now()

    application = offer(project, student, by, expires_in_days=7)

    assert application.status == Status.OFFERED
    assert application.pitch == "Matched in round “Spring”."
    assert application.answers == []
    assert application.availability_confirmed is False
    assert "Spring" in application.offer_message and by.name in application.offer_message
    assert application.offered_at >= before
    assert application.offer_expires_at - application.offered_at == datetime.timedelta(days=7)
    assert Application.objects.get() == application


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.SHORTLISTED])
def test_moves_an_open_application_to_offered(project, student, by, status):
    application = ApplicationFactory(project=project, student=student, status=status)

    offered = offer(project, student, by)

    assert offered.pk == application.pk
    assert offered.status == Status.OFFERED
    assert offered.pitch == application.pitch
    assert offered.offer_expires_at is not None


def test_leaves_a_standing_offer_as_it_is(project, student, by):
    expires = timezone.now() + datetime.timedelta(days=2)
    application = ApplicationFactory(
        project=project,
        student=student,
        status=Status.OFFERED,
        offered_at=timezone.now(),
        offer_expires_at=expires,
        offer_message="From us.",
    )

    kept = offer(project, student, by)

    kept.refresh_from_db()
    assert (kept.pk, kept.offer_message, kept.offer_expires_at) == (
        application.pk,
        "From us.",
        expires,
    )


@pytest.mark.parametrize(
    "status", [Status.ACCEPTED, Status.DECLINED, Status.REJECTED, Status.WITHDRAWN]
)
def test_refuses_an_application_past_answering(project, student, by, status):
    ApplicationFactory(project=project, student=student, status=status)

    with pytest.raises(Conflict) as refused:
        offer(project, student, by)

    assert (refused.value.code, refused.value.status) == ("illegal_transition", 409)
    assert Application.objects.get().status == status


def test_refuses_once_every_place_is_taken(project, student, by):
    ApplicationFactory.create_batch(2, project=project, status=Status.ACCEPTED)
    Project.objects.filter(pk=project.pk).update(places_taken=2)

    with pytest.raises(Conflict) as refused:
        offer(project, student, by)

    assert refused.value.code == "project_full"


def test_only_students_receive_offers(project, by):
    with pytest.raises(Refused):
        offer(project, MembershipFactory().user, by)


def test_normal_applications_still_need_a_pitch(project):
    """The round's note does not loosen the rules of applying."""
    with pytest.raises(ValidationError):
        services.apply_to_project(
            project, by=StudentFactory(), pitch="", availability_confirmed=True
        )
