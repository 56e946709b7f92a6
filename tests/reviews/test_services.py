"""Submitting and editing reviews, the double-blind reveal, events, verified skills and the
ratings other parts compute with. Time moves through `now=`."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from practicum.core.errors import Conflict, Refused
from practicum.engagements.models import EngagementEvent
from practicum.notifications.models import Notification
from practicum.reviews import selectors, services
from practicum.reviews.models import Review, VerifiedSkill
from practicum.reviews.selectors import State
from tests.factories import SkillFactory
from tests.reviews.conftest import ORGANIZATION_SCORES, STUDENT_SCORES, submit, window

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def inside(engagement, round="midpoint"):
    return window(engagement, round).opens_at + HOUR


def events(engagement, kind):
    return list(EngagementEvent.objects.filter(engagement=engagement, kind=kind).order_by("pk"))


def rows_for(engagement, user, now):
    return {row.round: row for row in selectors.review_rows_for(engagement, user, now=now)}


class TestSubmitting:
    def test_the_student_submits_and_an_event_is_recorded(self, engagement, student):
        now = inside(engagement)
        review = submit(engagement, "midpoint", student, now=now)

        assert review.side == "student"
        assert review.scores == STUDENT_SCORES
        assert review.recommend is True
        assert review.submitted_at == now
        assert review.revealed_at is None
        (event,) = events(engagement, "review_submitted")
        assert event.actor == student
        assert event.details == {
            "side": "student",
            "round": "midpoint",
            "review": review.pk,
            "due_at": window(engagement, "midpoint").due_at.isoformat(),
        }
        assert "PRIVATE" not in str(event.details)

    def test_edits_record_no_event_and_keep_one_review(self, engagement, student):
        now = inside(engagement)
        submit(engagement, "midpoint", student, now=now)
        review = submit(engagement, "midpoint", student, now=now + HOUR, strengths="Better words")

        assert Review.objects.count() == 1
        assert review.strengths == "Better words"
        assert review.submitted_at == now
        assert review.updated_at == now + HOUR
        assert len(events(engagement, "review_submitted")) == 1

    def test_mentor_and_owner_write_one_review_for_the_organization(
        self, engagement, mentor, owner
    ):
        now = inside(engagement)
        submit(engagement, "midpoint", mentor, now=now)
        review = submit(engagement, "midpoint", owner, now=now, to_improve="From the owner")

        assert Review.objects.get(side="organization") == review
        assert review.author == mentor
        assert review.to_improve == "From the owner"

    def test_before_the_round_opens_is_a_conflict(self, engagement, student):
        with pytest.raises(Conflict) as exc:
            before = window(engagement, "midpoint").opens_at - HOUR
            submit(engagement, "midpoint", student, now=before)
        assert exc.value.code == "round_not_open"
        assert not Review.objects.exists()

    def test_after_an_empty_window_closed_is_a_conflict(self, engagement, student):
        with pytest.raises(Conflict) as exc:
            submit(engagement, "midpoint", student, now=window(engagement, "midpoint").due_at)
        assert exc.value.code == "round_closed"

    def test_no_rounds_before_the_engagement_is_active(self, pending_engagement, student):
        with pytest.raises(Conflict) as exc:
            submit(pending_engagement, "midpoint", student)
        assert exc.value.code == "round_not_open"

    def test_career_staff_may_not_write(self, engagement, staff):
        with pytest.raises(Refused) as exc:
            submit(engagement, "midpoint", staff, now=inside(engagement), scores={})
        assert exc.value.code == "not_a_party"


class TestValidation:
    @pytest.mark.parametrize("score", [0, 6, -1, "high", None])
    def test_scores_are_one_to_five(self, engagement, student, score):
        scores = {**STUDENT_SCORES, "clarity": score}
        with pytest.raises(ValidationError) as exc:
            submit(engagement, "midpoint", student, now=inside(engagement), scores=scores)
        assert set(exc.value.error_dict) == {"clarity"}
        assert not Review.objects.exists()

    def test_every_criterion_is_scored_and_no_other(self, engagement, mentor):
        scores = {"quality": 3, "clarity": 4}
        with pytest.raises(ValidationError) as exc:
            submit(engagement, "midpoint", mentor, now=inside(engagement), scores=scores)
        assert {"scores", "communication", "reliability", "initiative", "growth"} == set(
            exc.value.error_dict
        )

    def test_the_student_answers_whether_they_would_recommend(self, engagement, student):
        with pytest.raises(ValidationError) as exc:
            submit(engagement, "midpoint", student, now=inside(engagement), recommend=None)
        assert "recommend" in exc.value.error_dict

    def test_the_organization_answers_work_again_only_at_the_end(self, engagement, mentor):
        with pytest.raises(ValidationError) as exc:
            submit(engagement, "midpoint", mentor, now=inside(engagement), recommend=True)
        assert "recommend" in exc.value.error_dict

        final = window(engagement, "final").opens_at + HOUR
        with pytest.raises(ValidationError) as exc:
            submit(engagement, "final", mentor, now=final, recommend=None)
        assert "recommend" in exc.value.error_dict

    def test_texts_have_a_limit(self, engagement, student):
        with pytest.raises(ValidationError) as exc:
            submit(engagement, "midpoint", student, now=inside(engagement), private_note="x" * 2001)
        assert "private_note" in exc.value.error_dict

    def test_endorsements_only_from_the_organization_at_the_end(self, engagement, student, mentor):
        skill = SkillFactory()
        given = [{"skill": skill.pk, "level": 3}]
        with pytest.raises(ValidationError):
            submit(engagement, "midpoint", mentor, now=inside(engagement), endorsements=given)
        final = window(engagement, "final").opens_at + HOUR
        with pytest.raises(ValidationError):
            submit(engagement, "final", student, now=final, endorsements=given)

    @pytest.mark.parametrize(
        "endorsements",
        [
            [{"skill": 999_999, "level": 2}],
            [{"skill": "SKILL", "level": 0}],
            [{"skill": "SKILL", "level": 5}],
            [{"skill": "SKILL", "level": 2}, {"skill": "SKILL", "level": 3}],
            ["not an object"],
        ],
    )
    def test_endorsements_name_known_skills_once_with_a_level(
        self, engagement, mentor, endorsements
    ):
        skill = SkillFactory()
        given = [
            {k: (skill.pk if v == "SKILL" else v) for k, v in e.items()}
            if isinstance(e, dict)
            else e
            for e in endorsements
        ]
        final = window(engagement, "final").opens_at + HOUR
        with pytest.raises(ValidationError) as exc:
            submit(engagement, "final", mentor, now=final, endorsements=given)
        assert "endorsements" in exc.value.error_dict


class TestDoubleBlind:
    def test_hidden_from_the_other_side_until_both_submitted(
        self, engagement, student, mentor, staff
    ):
        now = inside(engagement)
        submit(engagement, "midpoint", student, now=now)

        for person in (mentor, staff):
            row = rows_for(engagement, person, now)["midpoint"]
            assert row.state == State.OPEN
            assert row.visible == {}
        assert rows_for(engagement, mentor, now)["midpoint"].other_submitted
        mine = rows_for(engagement, student, now)["midpoint"].mine
        assert mine.private_note == "PRIVATE NOTE OF THE STUDENT"

    def test_the_second_submission_reveals_both(self, engagement, student, mentor, staff):
        now = inside(engagement)
        submit(engagement, "midpoint", student, now=now)
        submit(engagement, "midpoint", mentor, now=now + HOUR)

        assert set(Review.objects.values_list("revealed_at", flat=True)) == {now + HOUR}
        (event,) = events(engagement, "reviews_revealed")
        assert event.actor is None
        assert event.details == {"round": "midpoint", "reason": "both_submitted"}
        student_row = rows_for(engagement, student, now + HOUR)["midpoint"]
        assert student_row.state == State.REVEALED
        assert student_row.other.side == "organization"
        assert student_row.other.private_note == ""  # never to the other side
        assert student_row.mine.private_note == "PRIVATE NOTE OF THE STUDENT"
        staff_row = rows_for(engagement, staff, now + HOUR)["midpoint"]
        assert staff_row.by_student.strengths == "Strengths from the student"
        assert staff_row.by_organization.private_note == ""
        assert staff_row.by_student.private_note == ""

    def test_no_edits_after_the_reveal(self, engagement, student, mentor):
        now = inside(engagement)
        submit(engagement, "midpoint", student, now=now)
        submit(engagement, "midpoint", mentor, now=now)

        for person in (student, mentor):
            with pytest.raises(Conflict) as exc:
                submit(engagement, "midpoint", person, now=now + HOUR, strengths="Changed")
            assert exc.value.code == "revealed"
        assert not Review.objects.filter(strengths="Changed").exists()

    def test_a_closed_window_reveals_the_one_review(self, engagement, student, mentor):
        midpoint = window(engagement, "midpoint")
        submit(engagement, "midpoint", student, now=inside(engagement))

        before = rows_for(engagement, mentor, midpoint.due_at - datetime.timedelta(seconds=1))
        after = rows_for(engagement, mentor, midpoint.due_at)
        assert before["midpoint"].other is None
        assert after["midpoint"].state == State.REVEALED
        assert after["midpoint"].other.strengths == "Strengths from the student"
        with pytest.raises(Conflict) as exc:
            submit(engagement, "midpoint", mentor, now=midpoint.due_at)
        assert exc.value.code == "revealed"
        with pytest.raises(Conflict):
            submit(engagement, "midpoint", student, now=midpoint.due_at, strengths="Late edit")

    def test_the_periodic_reveal_stamps_and_records_once(self, engagement, student):
        midpoint = window(engagement, "midpoint")
        submit(engagement, "midpoint", student, now=inside(engagement))

        assert services.reveal_closed_rounds(now=midpoint.due_at - HOUR) == 0
        assert services.reveal_closed_rounds(now=midpoint.due_at) == 1
        assert services.reveal_closed_rounds(now=midpoint.due_at + HOUR) == 0

        assert Review.objects.get().revealed_at == midpoint.due_at
        (event,) = events(engagement, "reviews_revealed")
        assert event.details == {"round": "midpoint", "reason": "window_closed"}

    def test_a_reveal_stays_when_the_dates_move_later(self, engagement, student, mentor):
        from tests.reviews.conftest import set_dates

        now = inside(engagement)
        submit(engagement, "midpoint", student, now=now)
        submit(engagement, "midpoint", mentor, now=now)
        set_dates(
            engagement,
            engagement.project.starts_on,
            engagement.project.ends_on.replace(year=engagement.project.ends_on.year + 1),
        )

        assert rows_for(engagement, student, now)["midpoint"].state == State.REVEALED


class TestNotifications:
    def test_both_sides_are_told_once_when_revealed(self, engagement, student, mentor, owner):
        now = inside(engagement)
        submit(engagement, "midpoint", student, now=now)
        assert not Notification.objects.filter(kind="reviews_revealed").exists()
        submit(engagement, "midpoint", mentor, now=now)

        told = Notification.objects.filter(kind="reviews_revealed")
        assert sorted(n.recipient_id for n in told) == sorted([student.pk, mentor.pk, owner.pk])
        assert {n.url for n in told} == {f"/engagements/{engagement.pk}/feedback/"}


class TestVerifiedSkills:
    def endorse(self, engagement, mentor, student, *, both=True):
        python, sql = SkillFactory(name="Python"), SkillFactory(name="SQL")
        final = window(engagement, "final").opens_at + HOUR
        submit(
            engagement,
            "final",
            mentor,
            now=final,
            endorsements=[{"skill": python.pk, "level": 3}, {"skill": sql.pk, "level": 2}],
        )
        if both:
            submit(engagement, "final", student, now=final)
        return python, sql

    def test_endorsements_become_verified_skills_when_revealed(
        self, engagement, mentor, student, organization
    ):
        python, _ = self.endorse(engagement, mentor, student)

        verified = selectors.verified_skills_of(student)
        assert [(v.skill.name, v.level) for v in verified] == [("Python", 3), ("SQL", 2)]
        assert {v.organization for v in verified} == {organization}
        assert {v.engagement for v in verified} == {engagement}
        # Kept apart from self-assessment: the profile's own skills are untouched.
        assert not student.student_profile.skills.filter(skill=python).exists()

    def test_nothing_is_verified_before_the_reveal(self, engagement, mentor, student):
        self.endorse(engagement, mentor, student, both=False)

        assert selectors.verified_skills_of(student) == []

    def test_a_closed_window_verifies_them_once(self, engagement, mentor, student):
        self.endorse(engagement, mentor, student, both=False)
        due = window(engagement, "final").due_at

        services.reveal_closed_rounds(now=due)
        services.reveal_closed_rounds(now=due + HOUR)

        assert VerifiedSkill.objects.count() == 2

    def test_verified_skills_load_in_one_query(
        self, engagement, mentor, student, django_assert_num_queries
    ):
        self.endorse(engagement, mentor, student)
        with django_assert_num_queries(1):
            verified = selectors.verified_skills_of(student)
            assert [v.engagement.project.title for v in verified]
            assert [v.organization.name for v in verified]


class TestRatings:
    def test_ratings_count_revealed_reviews_only(self, engagement, student, mentor, organization):
        now = inside(engagement)
        submit(engagement, "midpoint", student, now=now, scores={**STUDENT_SCORES, "clarity": 2})
        assert selectors.ratings_received_by_organization(organization) == []

        submit(engagement, "midpoint", mentor, now=now, scores={**ORGANIZATION_SCORES, "growth": 5})

        assert selectors.ratings_received_by_organization(organization) == [pytest.approx(3.6)]
        assert selectors.ratings_received_by_student(student) == [pytest.approx(4.2)]
