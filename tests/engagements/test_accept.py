"""Accepting an offer: expiry, capacity (one by one and all at once) and the weekly-hours rule."""

import datetime

import pytest
from django.db import connection

from practicum.core.errors import Conflict, Refused
from practicum.engagements import services
from practicum.engagements.models import Application, Engagement
from practicum.projects.models import Project
from tests.factories import ApplicationFactory, ProjectFactory, UserFactory

from .conftest import days, make_offered

pytestmark = pytest.mark.django_db


class TestAccept:
    def test_accepting_creates_the_engagement_waiting_for_the_agreement(
        self, offered, student, project, mentor
    ):
        engagement = services.accept_offer(offered, by=student)

        offered.refresh_from_db()
        assert offered.status == Application.Status.ACCEPTED
        assert engagement.application == offered
        assert engagement.project == project
        assert engagement.student == student
        assert engagement.mentor == mentor
        assert engagement.state == Engagement.State.AGREEMENT_PENDING

    def test_taking_the_last_place_closes_the_project(self, offered, student, project):
        services.accept_offer(offered, by=student)

        project.refresh_from_db()
        assert project.status == Project.Status.CLOSED
        assert project.closed_reason == Project.ClosedReason.FULL

    def test_a_place_left_keeps_the_project_open(self, offered, student, project):
        Project.objects.filter(pk=project.pk).update(capacity=2)

        services.accept_offer(offered, by=student)

        project.refresh_from_db()
        assert project.status == Project.Status.OPEN

    def test_only_the_applicant_accepts(self, offered, other_student, owner):
        for someone in (other_student, owner):
            with pytest.raises(Refused):
                services.accept_offer(offered, by=someone)
        assert Application.objects.get(pk=offered.pk).status == Application.Status.OFFERED

    def test_an_expired_offer_cannot_be_accepted(self, application, student):
        make_offered(application, expires_in=-datetime.timedelta(minutes=1))

        with pytest.raises(Conflict) as caught:
            services.accept_offer(application, by=student)

        assert caught.value.code == "offer_expired"
        assert caught.value.status == 409
        assert "expired" in caught.value.message
        assert not Engagement.objects.exists()
        assert Application.objects.get(pk=application.pk).status == Application.Status.OFFERED

    def test_an_expired_offer_can_still_be_declined_or_withdrawn(self, project, student):
        for service in (services.decline_offer, services.withdraw):
            application = make_offered(
                ApplicationFactory(project=ProjectFactory(), student=student),
                expires_in=-datetime.timedelta(days=1),
            )
            service(application, by=student)
            application.refresh_from_db()
            assert application.status in (
                Application.Status.DECLINED,
                Application.Status.WITHDRAWN,
            )

    def test_accepting_on_a_project_past_its_deadline_is_fine(self, offered, student, project):
        # Selection happens after the deadline: only the places limit acceptance.
        Project.objects.filter(pk=project.pk).update(application_deadline=days(-3))

        services.accept_offer(offered, by=student)

        assert Application.objects.get(pk=offered.pk).status == Application.Status.ACCEPTED


class TestCapacity:
    def test_once_every_place_is_taken_the_other_offers_are_withdrawn(self, project):
        Project.objects.filter(pk=project.pk).update(capacity=2)
        offers = [make_offered(ApplicationFactory(project=project)) for _ in range(3)]

        services.accept_offer(offers[0], by=offers[0].student)
        services.accept_offer(offers[1], by=offers[1].student)
        with pytest.raises(Conflict) as caught:
            services.accept_offer(offers[2], by=offers[2].student)

        assert caught.value.code == "offer_withdrawn"
        assert caught.value.message == "This offer was withdrawn: all places are filled."
        assert Application.objects.get(pk=offers[2].pk).status == Application.Status.WITHDRAWN
        assert Engagement.objects.count() == 2

    def test_one_place_is_named_as_one(self, project, owner):
        first = make_offered(ApplicationFactory(project=project))
        services.accept_offer(first, by=first.student)

        with pytest.raises(Conflict) as caught:
            services.make_offer(ApplicationFactory(project=project), by=owner)

        assert caught.value.message == "This project is full: the place is taken."

    def test_no_offer_is_made_once_the_project_is_full(self, project, owner):
        accepted = make_offered(ApplicationFactory(project=project))
        services.accept_offer(accepted, by=accepted.student)
        waiting = ApplicationFactory(project=project)

        with pytest.raises(Conflict) as caught:
            services.make_offer(waiting, by=owner)

        assert caught.value.code == "project_full"


@pytest.mark.django_db(transaction=True)
def test_twenty_students_accept_three_places_at_the_same_moment(concurrently):
    project = ProjectFactory(capacity=3)
    offers = [make_offered(ApplicationFactory(project=project)) for _ in range(20)]

    def accept(application):
        def call():
            return services.accept_offer(application, by=application.student)

        return call

    results = concurrently.run([accept(a) for a in offers])

    accepted = [r for r in results if isinstance(r, Engagement)]
    # The third acceptance filled the project and took back every other offer at once.
    withdrawn = [r for r in results if isinstance(r, Conflict) and r.code == "offer_withdrawn"]
    others = [r for r in results if r not in accepted and r not in withdrawn]
    assert (len(accepted), len(withdrawn), others) == (3, 17, []), (connection.vendor, others)

    def outcome():
        return (
            Application.objects.filter(status=Application.Status.ACCEPTED).count(),
            Application.objects.filter(status=Application.Status.WITHDRAWN).count(),
            Engagement.objects.count(),
            Project.objects.get(pk=project.pk).status,
            Project.objects.get(pk=project.pk).places_taken,
        )

    assert concurrently.read(outcome) == (3, 17, 3, Project.Status.CLOSED, 3)


class TestSchedule:
    """The project's hours a week plus those of the student's live engagements overlapping its
    dates must fit in the weekly hours of the student's profile."""

    def engaged(self, student, *, starts, ends, hours, state=Engagement.State.AGREEMENT_PENDING):
        other = ProjectFactory(
            title="Brand workshop",
            starts_on=days(starts),
            ends_on=days(ends),
            hours_per_week=hours,
            capacity=1,
        )
        application = ApplicationFactory(
            project=other, student=student, status=Application.Status.ACCEPTED
        )
        return Engagement.objects.create(
            application=application, project=other, student=student, state=state
        )

    def weekly_hours(self, student, hours):
        student.student_profile.weekly_hours = hours
        student.student_profile.save()

    def test_overlapping_hours_beyond_the_profile_clash(self, offered, student, project):
        # project: days 14–41, 10 h/week. Brand workshop: days 30–60, 8 h/week. 18 > 15.
        self.weekly_hours(student, 15)
        self.engaged(student, starts=30, ends=60, hours=8)

        with pytest.raises(Conflict) as caught:
            services.accept_offer(offered, by=student)

        assert caught.value.code == "schedule_clash"
        message = caught.value.message
        assert "“Brand workshop” (8 h/week" in message
        assert "This project (10 h/week" in message
        assert "18 hours a week in all, more than the 15 hours a week" in message
        assert Application.objects.get(pk=offered.pk).status == Application.Status.OFFERED

    def test_overlapping_hours_within_the_profile_do_not_clash(self, offered, student):
        # 10 + 8 = 18 ≤ 18.
        self.weekly_hours(student, 18)
        self.engaged(student, starts=30, ends=60, hours=8)

        services.accept_offer(offered, by=student)

        assert Engagement.objects.filter(student=student).count() == 2

    def test_engagements_at_other_dates_do_not_count(self, offered, student):
        # Ends the day before the project starts (day 14).
        self.weekly_hours(student, 10)
        self.engaged(student, starts=1, ends=13, hours=20)

        services.accept_offer(offered, by=student)

    def test_sharing_one_day_is_an_overlap(self, offered, student):
        self.weekly_hours(student, 10)
        self.engaged(student, starts=41, ends=50, hours=1)

        with pytest.raises(Conflict) as caught:
            services.accept_offer(offered, by=student)

        assert "11 hours a week in all, more than the 10 hours a week" in caught.value.message

    @pytest.mark.parametrize("state", [Engagement.State.COMPLETED, Engagement.State.CANCELLED])
    def test_finished_engagements_do_not_count(self, offered, student, state):
        self.weekly_hours(student, 10)
        self.engaged(student, starts=20, ends=30, hours=20, state=state)

        services.accept_offer(offered, by=student)

    def test_every_overlapping_engagement_is_added_up_and_named(self, offered, student):
        self.weekly_hours(student, 20)
        self.engaged(student, starts=10, ends=20, hours=5, state=Engagement.State.ACTIVE)
        second = self.engaged(student, starts=35, ends=50, hours=6)
        second.project.title = "Podcast editing"
        second.project.save()

        with pytest.raises(Conflict) as caught:
            services.accept_offer(offered, by=student)

        message = caught.value.message
        assert "“Brand workshop” (5 h/week" in message
        assert "“Podcast editing” (6 h/week" in message
        assert "21 hours a week in all, more than the 20 hours a week" in message


def test_a_student_without_a_profile_counts_the_default_weekly_hours(project):
    # Accounts made in the admin have no profile until first use; the profile's default holds.
    student = UserFactory()
    other = ProjectFactory(starts_on=days(20), ends_on=days(30), hours_per_week=1)
    accepted = ApplicationFactory(project=other, student=student, status="accepted")
    Engagement.objects.create(application=accepted, project=other, student=student)
    offered = make_offered(ApplicationFactory(project=project, student=student))

    with pytest.raises(Conflict) as caught:
        services.accept_offer(offered, by=student)

    assert "11 hours a week in all, more than the 10 hours a week" in caught.value.message
