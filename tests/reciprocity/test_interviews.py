"""Interviews in the index: "interviews kept" for the organization, "interviews attended" for
the student. A side's own no-shows and its moves with less than 24 hours' notice count against
it, the other side's do not; with no interview the component is left out; pages, card and API
show it; reading it costs the same queries for 3 interviews as for 30."""

import datetime

import pytest
from django.urls import reverse

from practicum.engagements import services as engagement_services
from practicum.interviews import services
from practicum.interviews.models import Interview, InterviewEvent, Side
from practicum.reciprocity import index as idx
from practicum.reciprocity import selectors
from tests.factories import ApplicationFactory, ProjectFactory, StudentFactory
from tests.interviews.conftest import slot, start_now
from tests.reciprocity.conftest import held_checkin, make_engagement
from tests.reciprocity.histories import NOW, component, held, history, missed
from tests.reciprocity.histories import at as on


def scheduled(organization, owner, student, *, hours: float = 48) -> Interview:
    """An application of `student` to a new project of `organization`, shortlisted, with an
    interview the student booked `hours` from now (a later time, 100 hours after, stays
    offered)."""
    project = ProjectFactory(organization=organization)
    application = engagement_services.shortlist(
        ApplicationFactory(project=project, student=student), by=owner
    )
    interview = services.propose(application, by=owner, slots=[slot(hours), slot(hours + 100)])
    first = interview.slots.order_by("starts_at").first()
    return services.pick(interview, by=student, slot_id=first.pk)


def outcome(interview, owner, no_show_by: str = "") -> Interview:
    start_now(interview)
    return services.record_outcome(
        interview, by=owner, outcome="no_show" if no_show_by else "held", no_show_by=no_show_by
    )


def repick(interview, student) -> Interview:
    """The student books the time still offered after a reschedule."""
    return services.pick(interview, by=student, slot_id=interview.slots.get(withdrawn=False).pk)


def organization_component(organization):
    return component(selectors.organization_reciprocity(organization), "interviews_kept")


def student_component(student):
    return component(selectors.student_reciprocity(student), "interviews_attended")


def counts(c) -> tuple[int, int]:
    return c.numerator, c.denominator


class TestOrganization:
    def test_its_own_no_show_lowers_it_the_students_does_not(
        self, owner, organization, student, other_student
    ):
        outcome(scheduled(organization, owner, student), owner)
        outcome(scheduled(organization, owner, other_student), owner, no_show_by=Side.STUDENT)
        kept = organization_component(organization)
        assert counts(kept) == (1, 1) and kept.rate == 1.0
        assert kept.sentence == "kept 1 of 1 interview"

        third = StudentFactory()
        outcome(scheduled(organization, owner, third), owner, no_show_by=Side.ORGANIZATION)
        kept = organization_component(organization)
        assert counts(kept) == (1, 2) and kept.rate == 0.5
        assert kept.sentence == "kept 1 of 2 interviews"

    @pytest.mark.parametrize(("hours", "expected"), [(48, (1, 1)), (2, (1, 2))])
    def test_a_move_with_two_days_notice_is_no_broken_promise_two_hours_is(
        self, owner, organization, student, hours, expected
    ):
        interview = services.reschedule(
            scheduled(organization, owner, student, hours=hours),
            by=owner,
            reason="The mentor is ill",
        )
        outcome(repick(interview, student), owner)
        assert counts(organization_component(organization)) == expected
        # The organization's move is not the student's broken promise.
        assert counts(student_component(student)) == (1, 1)

    def test_another_organizations_interviews_do_not_count(
        self, owner, organization, student, outsider
    ):
        elsewhere = outsider.memberships.get().organization
        outcome(scheduled(elsewhere, outsider, student), outsider, no_show_by=Side.ORGANIZATION)
        outcome(scheduled(elsewhere, outsider, student), outsider)
        outcome(scheduled(organization, owner, student), owner)
        assert counts(organization_component(organization)) == (1, 1)
        # The student's record holds every organization's interviews (the other's no-show is
        # not theirs).
        assert counts(student_component(student)) == (2, 2)


class TestStudent:
    def test_their_own_no_show_lowers_it_the_organizations_does_not(
        self, owner, organization, student
    ):
        outcome(scheduled(organization, owner, student), owner)
        outcome(scheduled(organization, owner, student), owner, no_show_by=Side.ORGANIZATION)
        attended = student_component(student)
        assert counts(attended) == (1, 1)
        assert attended.sentence == "attended 1 of 1 interview"

        outcome(scheduled(organization, owner, student), owner, no_show_by=Side.STUDENT)
        attended = student_component(student)
        assert counts(attended) == (1, 2) and attended.rate == 0.5
        assert attended.sentence == "attended 1 of 2 interviews"

    @pytest.mark.parametrize(("hours", "expected"), [(48, (1, 1)), (2, (1, 2))])
    def test_a_move_with_two_days_notice_is_no_broken_promise_two_hours_is(
        self, owner, organization, student, hours, expected
    ):
        interview = services.reschedule(
            scheduled(organization, owner, student, hours=hours), by=student, reason="An exam moved"
        )
        outcome(repick(interview, student), owner)
        assert counts(student_component(student)) == expected
        assert counts(organization_component(organization)) == (1, 1)


class TestLeftOutWithoutInterviews:
    """No interview: nothing to measure, and the other weights are scaled up without it."""

    def histories(self):
        return [
            history(held(1, on(2, 3)), missed(2, on(2, 10), "both"), state="completed", pk=n)
            for n in range(3)
        ]

    def test_organization(self):
        w = idx.ORGANIZATION_WEIGHTS
        without = idx.organization_index(self.histories(), [5], NOW)
        kept = component(without, "interviews_kept")
        assert (kept.rate, kept.sentence) == (None, "nothing to measure yet")
        # Check-ins 3 of 6 and ratings 5 of 5: only their weights count.
        expected = (w["checkins_held"] * 0.5 + w["ratings"]) / (w["checkins_held"] + w["ratings"])
        assert without.value == round(100 * expected, 1)
        assert (
            dict((c.key, share) for c, share, _ in without.breakdown())["interviews_kept"] is None
        )

        with_interviews = idx.organization_index(self.histories(), [5], NOW, interviews=(1, 4))
        measured = w["checkins_held"] + w["ratings"] + w["interviews_kept"]
        expected = (
            w["checkins_held"] * 0.5 + w["ratings"] + w["interviews_kept"] * 0.25
        ) / measured
        assert with_interviews.value == round(100 * expected, 1)
        assert with_interviews.value < without.value

    def test_student(self):
        weight = idx.STUDENT_WEIGHTS["interviews_attended"]
        without = idx.student_index(self.histories(), [5], NOW)
        attended = component(without, "interviews_attended")
        assert (attended.rate, attended.sentence) == (None, "nothing to measure yet")
        measured = without.measured_weight
        shown = {c.key for c in without.components if c.rate is not None}
        assert shown == {"checkins_attended", "weekly_updates", "ratings"}
        with_interviews = idx.student_index(self.histories(), [5], NOW, interviews=(3, 3))
        attended = component(with_interviews, "interviews_attended")
        assert (attended.rate, attended.sentence) == (1.0, "attended 3 of 3 interviews")
        # Adding it rescales: the weighted sum gains its weight times its rate.
        expected = (without.value * measured + 100 * weight) / (measured + weight)
        assert with_interviews.value == pytest.approx(expected, abs=0.1)
        assert with_interviews.value > without.value

    def test_from_the_database(self, history_of_three, organization, student):
        assert organization_component(organization).rate is None
        assert student_component(student).rate is None


class TestShown:
    @pytest.fixture
    def record(self, owner, organization, student, other_student):
        """The organization kept 1 of 2 interviews; `student` attended 1 of 2."""
        outcome(scheduled(organization, owner, student), owner)
        outcome(scheduled(organization, owner, other_student), owner, no_show_by=Side.ORGANIZATION)
        outcome(scheduled(organization, owner, student), owner, no_show_by=Side.STUDENT)

    def test_the_api(self, record, api_client_for, outsider, organization, student):
        body = api_client_for(outsider).get(
            f"/api/v1/organizations/{organization.slug}/reciprocity"
        )
        kept = {c["key"]: c for c in body.json()["components"]}["interviews_kept"]
        assert kept == {
            "key": "interviews_kept",
            "label": "Interviews kept",
            "numerator": 1,
            "denominator": 2,
            "count": 2,
            "rate": 0.5,
            "weight": idx.ORGANIZATION_WEIGHTS["interviews_kept"],
            "sentence": "kept 1 of 2 interviews",
        }
        url = f"/api/v1/students/{student.student_profile.pk}/reciprocity"
        attended = {c["key"]: c for c in api_client_for(student).get(url).json()["components"]}
        assert attended["interviews_attended"]["sentence"] == "attended 1 of 2 interviews"
        assert attended["interviews_attended"]["rate"] == 0.5

    def test_the_pages_and_cards(self, record, client, client_for, organization, student):
        page = client.get(reverse("reciprocity:organization", args=[organization.slug]))
        row = page.content.decode().split('data-component="interviews_kept"')[1].split("</tr>")[0]
        assert "Interviews kept" in row and "Kept 1 of 2 interviews" in row and "50 %" in row
        card = client.get(reverse("reciprocity:organization_card", args=[organization.slug]))
        assert "kept 1 of 2 interviews" in card.content.decode()

        profile = student.student_profile
        mine = client_for(student)
        page = mine.get(reverse("reciprocity:student", args=[profile.pk])).content.decode()
        row = page.split('data-component="interviews_attended"')[1].split("</tr>")[0]
        assert "Interviews attended" in row and "Attended 1 of 2 interviews" in row
        card = mine.get(reverse("reciprocity:student_card", args=[profile.pk])).content.decode()
        assert "attended 1 of 2 interviews" in card

    def test_the_about_page(self, client):
        page = client.get(reverse("reciprocity:about")).content.decode()
        for key in ("interviews_kept", "interviews_attended"):
            row = page.split(f'data-component="{key}"')[1].split("</tr>")[0]
            assert "8 %" in row and "24 hours" in row


@pytest.mark.parametrize("count", [3, 30])
class TestQueryBudgetWhateverTheNumber:
    """Interviews are counted in aggregate: two queries on each side, for 3 as for 30."""

    @pytest.fixture
    def interviews(self, organization, project, student, count):
        application = ApplicationFactory(project=project, student=student)
        for engagement in (make_engagement(organization=organization) for _ in range(2)):
            held_checkin(engagement, 1, days_ago=40)
        # Rows written directly: one application, its interviews one after another; a third of
        # them missed by each side, and each side moving one at two hours' notice.
        made = []
        for n in range(count):
            kind = n % 3
            made.append(
                Interview.objects.create(
                    application=application,
                    status=Interview.Status.HELD if kind == 0 else Interview.Status.NO_SHOW,
                    no_show_by=["", Side.ORGANIZATION, Side.STUDENT][kind],
                )
            )
        InterviewEvent.objects.bulk_create(
            InterviewEvent(
                interview=interview,
                kind=InterviewEvent.Kind.RESCHEDULED,
                side=Side.ORGANIZATION if n % 2 else Side.STUDENT,
                notice=datetime.timedelta(hours=2),
            )
            for n, interview in enumerate(made[:2])
        )
        return count

    def test_organization(self, organization, interviews, django_assert_num_queries):
        selectors.organization_reciprocity(organization)  # the stored rows become current
        # The stored rows (2), ratings, applications, interviews (2).
        with django_assert_num_queries(6):
            kept = component(selectors.organization_reciprocity(organization), "interviews_kept")
        third = interviews // 3
        assert counts(kept) == (third, third + third + 1)

    def test_student(self, student, interviews, django_assert_num_queries):
        selectors.student_reciprocity(student)
        # The stored rows (2), ratings, interviews (2).
        with django_assert_num_queries(5):
            attended = component(selectors.student_reciprocity(student), "interviews_attended")
        third = interviews // 3
        assert counts(attended) == (third, third + third + 1)
