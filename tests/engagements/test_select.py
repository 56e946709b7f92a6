"""Selecting: offers and their expiry, rejections, the skill match, overdue flags and filters."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from practicum.engagements import selectors, services
from practicum.engagements.models import Application
from practicum.engagements.selectors import Sort
from practicum.projects.models import Project
from tests.factories import (
    ApplicationFactory,
    ProjectSkillFactory,
    SkillFactory,
    StudentFactory,
    StudentSkillFactory,
)

from .conftest import days, make_offered

pytestmark = pytest.mark.django_db


class TestOffer:
    def test_an_offer_holds_five_days_by_default(self, application, mentor):
        before = timezone.now()

        services.make_offer(application, by=mentor, message="Welcome aboard!")

        application.refresh_from_db()
        assert application.status == Application.Status.OFFERED
        assert application.offer_message == "Welcome aboard!"
        assert before <= application.offered_at <= timezone.now()
        assert application.offer_expires_at - application.offered_at == datetime.timedelta(days=5)

    @pytest.mark.parametrize("days_valid", [1, 30])
    def test_from_one_to_thirty_days(self, application, owner, days_valid):
        services.make_offer(application, by=owner, expires_in_days=days_valid)

        application.refresh_from_db()
        assert (application.offer_expires_at - application.offered_at).days == days_valid

    @pytest.mark.parametrize("days_valid", [0, 31, -1, "5", True])
    def test_other_durations_are_refused(self, application, owner, days_valid):
        with pytest.raises(ValidationError) as caught:
            services.make_offer(application, by=owner, expires_in_days=days_valid)

        assert caught.value.message_dict == {
            "expires_in_days": ["The offer must hold between 1 and 30 days."]
        }
        assert Application.objects.get(pk=application.pk).status == Application.Status.SUBMITTED

    def test_the_message_is_at_most_2000_characters(self, application, owner):
        with pytest.raises(ValidationError) as caught:
            services.make_offer(application, by=owner, message="x" * 2001)

        assert "message" in caught.value.message_dict

    def test_an_offer_expires(self, application):
        assert not selectors.offer_is_expired(make_offered(application))
        make_offered(application, expires_in=-datetime.timedelta(seconds=1))
        assert selectors.offer_is_expired(application)


class TestReject:
    def test_with_a_message(self, application, owner):
        services.reject(application, by=owner, message="We chose someone closer to us.")

        application.refresh_from_db()
        assert application.status == Application.Status.REJECTED
        assert application.get_status_display() == "Not selected"
        assert application.rejection_message == "We chose someone closer to us."

    def test_rejecting_an_offer_rescinds_it(self, offered, owner):
        services.reject(offered, by=owner)

        offered.refresh_from_db()
        assert offered.status == Application.Status.REJECTED


class TestSkillMatch:
    @pytest.fixture
    def wanted(self, project):
        """Required: SQL (level 3), Python (2), Statistics (2), Excel (1). Preferred: Tableau."""
        names = [("SQL", 3, True), ("Python", 2, True), ("Statistics", 2, True), ("Excel", 1, True)]
        names.append(("Tableau", 2, False))
        return {
            name: ProjectSkillFactory(
                project=project, skill=SkillFactory(name=name), min_level=level, is_required=req
            )
            for name, level, req in names
        }

    def hold(self, student, wanted, levels: dict[str, int]):
        for name, level in levels.items():
            StudentSkillFactory(
                profile=student.student_profile, skill=wanted[name].skill, level=level
            )

    def test_met_below_and_missing(self, project, application, student, wanted):
        self.hold(student, wanted, {"SQL": 4, "Python": 2, "Statistics": 1, "Tableau": 3})

        [applicant] = selectors.applicants_of(project)

        match = applicant.match
        states = {c.wanted.skill.name: (c.state, c.held_level_display) for c in match.checks}
        assert states == {
            "SQL": ("met", "Expert"),
            "Python": ("met", "Working"),
            "Statistics": ("below", "Beginner"),
            "Excel": ("missing", ""),
            "Tableau": ("met", "Proficient"),
        }
        assert (match.required_met, match.required_total) == (2, 4)
        assert not match.meets_required
        assert match.summary == (
            "2 of 4 required skills at the level asked; 1 of 1 preferred skill"
        )

    def test_required_first_in_the_list(self, project, application, wanted):
        [applicant] = selectors.applicants_of(project)

        assert [c.wanted.is_required for c in applicant.match.checks] == [True] * 4 + [False]

    def test_nothing_asked(self, project, application):
        [applicant] = selectors.applicants_of(project)

        assert applicant.match.meets_required
        assert applicant.match.summary == "No particular skills asked for"

    def test_filter_meets_all_required_and_sort_by_match(self, project, wanted):
        strong, partial, weak = (ApplicationFactory(project=project) for _ in range(3))
        self.hold(strong.student, wanted, {"SQL": 3, "Python": 3, "Statistics": 2, "Excel": 1})
        self.hold(partial.student, wanted, {"SQL": 3, "Python": 3})
        self.hold(weak.student, wanted, {"SQL": 1})
        by_pk = Application.objects.filter(pk__in=[strong.pk, partial.pk, weak.pk])
        # Newest first by default: weak applied last.
        for hours_ago, application in enumerate([weak, partial, strong]):
            by_pk.filter(pk=application.pk).update(
                created_at=timezone.now() - datetime.timedelta(hours=hours_ago)
            )

        def listed(**filters):
            return [a.application.pk for a in selectors.applicants_of(project, **filters)]

        assert listed() == [weak.pk, partial.pk, strong.pk]
        assert listed(sort=Sort.BEST_MATCH) == [strong.pk, partial.pk, weak.pk]
        assert listed(meets_required=True) == [strong.pk]

    def test_filter_by_status(self, project):
        submitted = ApplicationFactory(project=project)
        shortlisted = ApplicationFactory(project=project, status="shortlisted")

        assert [a.application for a in selectors.applicants_of(project, status="shortlisted")] == [
            shortlisted
        ]
        assert len(selectors.applicants_of(project, status="")) == 2
        assert submitted


class TestOverdue:
    """Unanswered 14 days after the deadline: flagged to the organization."""

    def test_fourteen_days_after_the_deadline(self, project, application):
        Project.objects.filter(pk=project.pk).update(application_deadline=days(-14))

        [applicant] = selectors.applicants_of(project)

        assert applicant.overdue

    def test_thirteen_days_is_not_yet_overdue(self, project, application):
        Project.objects.filter(pk=project.pk).update(application_deadline=days(-13))

        [applicant] = selectors.applicants_of(project)

        assert not applicant.overdue

    @pytest.mark.parametrize(
        ("status", "overdue"),
        [
            ("submitted", True),
            ("shortlisted", True),
            ("offered", False),
            ("rejected", False),
            ("withdrawn", False),
        ],
    )
    def test_only_unanswered_applications(self, project, application, status, overdue):
        Project.objects.filter(pk=project.pk).update(application_deadline=days(-30))
        Application.objects.filter(pk=application.pk).update(status=status)

        [applicant] = selectors.applicants_of(project)

        assert applicant.overdue is overdue


def test_applicants_without_a_profile_are_listed(project):
    from tests.factories import UserFactory

    ApplicationFactory(project=project, student=UserFactory())
    ApplicationFactory(project=project, student=StudentFactory())

    assert len(selectors.applicants_of(project)) == 2
