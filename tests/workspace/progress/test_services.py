"""Progress updates' rules: the student reports while active, either party comments, hours are
checked and summed against the agreed total, every write leaves its event."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from practicum.core.errors import Conflict, Refused
from practicum.engagements.models import Engagement, EngagementEvent
from practicum.workspace.progress import selectors, services
from practicum.workspace.progress.models import TEXT_MAX, ProgressComment, ProgressUpdate
from tests.workspace.progress.conftest import report, set_agreed_hours, set_state

pytestmark = pytest.mark.django_db


def events(engagement, kind):
    return [e.details for e in EngagementEvent.objects.filter(engagement=engagement, kind=kind)]


class TestPostUpdate:
    def test_the_student_reports(self, engagement, student):
        update = report(
            engagement,
            student,
            hours=Decimal("2.50"),
            done=" Cleaned **300** answers.\r\n",
            blockers="Waiting for the export",
            next_steps="Themes",
        )

        assert (update.done, update.blockers, update.next_steps) == (
            "Cleaned **300** answers.",
            "Waiting for the export",
            "Themes",
        )
        assert update.author == student
        assert events(engagement, "update_posted") == [
            {"side": "student", "update": update.pk, "hours": "2.5"}
        ]

    @pytest.mark.parametrize("hours", ["0", "0.25", "7.75", "168", 3, 1.5])
    def test_hours_in_quarter_hours_up_to_a_week(self, engagement, student, hours):
        assert report(engagement, student, hours=hours).hours == Decimal(str(hours))

    @pytest.mark.parametrize(
        ("hours", "error"),
        [
            ("-0.5", "negative"),
            ("168.25", "At most 168"),
            ("0.3", "quarter hours"),
            ("abc", "Enter the hours"),
            (None, "Enter the hours"),
            ("NaN", "Enter the hours"),
        ],
    )
    def test_bad_hours(self, engagement, student, hours, error):
        with pytest.raises(ValidationError) as caught:
            report(engagement, student, hours=hours)

        assert error in caught.value.message_dict["hours"][0]
        assert not ProgressUpdate.objects.exists()

    @pytest.mark.parametrize("done", ["", "   ", None])
    def test_done_is_required(self, engagement, student, done):
        with pytest.raises(ValidationError) as caught:
            report(engagement, student, done=done)

        assert list(caught.value.message_dict) == ["done"]

    def test_texts_have_a_maximum_length(self, engagement, student):
        with pytest.raises(ValidationError) as caught:
            report(engagement, student, blockers="x" * (TEXT_MAX + 1), hours="-1")

        assert set(caught.value.message_dict) == {"blockers", "hours"}

    @pytest.mark.parametrize("role", ["mentor", "owner"])
    def test_only_the_student_reports(self, engagement, people, role):
        with pytest.raises(Refused) as caught:
            report(engagement, people[role])

        assert caught.value.code == "wrong_side"

    def test_career_staff_may_not_post(self, engagement, staff):
        with pytest.raises(Refused) as caught:
            report(engagement, staff)

        assert caught.value.code == "not_a_party"

    @pytest.mark.parametrize("state", ["agreement_pending", "completed", "cancelled"])
    def test_only_while_active(self, engagement, student, state):
        set_state(engagement, state)

        with pytest.raises(Conflict) as caught:
            report(engagement, student)

        assert caught.value.code == "engagement_not_active"


class TestComments:
    @pytest.mark.parametrize(("role", "side"), [("mentor", "organization"), ("student", "student")])
    def test_either_party_comments(self, engagement, student, people, role, side):
        update = report(engagement, student)

        comment = services.comment_on_update(update, by=people[role], body=" Nice work! ")

        assert (comment.body, comment.side, comment.author) == ("Nice work!", side, people[role])
        assert events(engagement, "update_commented") == [
            {"side": side, "update": update.pk, "comment": comment.pk}
        ]

    def test_staff_do_not_comment(self, engagement, student, staff):
        with pytest.raises(Refused):
            services.comment_on_update(report(engagement, student), by=staff, body="Hi")

    @pytest.mark.parametrize("body", ["", "  ", "x" * (TEXT_MAX + 1)])
    def test_a_comment_needs_words_within_the_limit(self, engagement, student, mentor, body):
        with pytest.raises(ValidationError) as caught:
            services.comment_on_update(report(engagement, student), by=mentor, body=body)

        assert list(caught.value.message_dict) == ["body"]
        assert not ProgressComment.objects.exists()

    def test_not_once_the_engagement_is_over(self, engagement, student, mentor):
        update = report(engagement, student)
        set_state(engagement, Engagement.State.COMPLETED)

        with pytest.raises(Conflict):
            services.comment_on_update(update, by=mentor, body="Late")


class TestHours:
    def test_reported_hours_add_up_against_the_agreed_total(self, engagement, student):
        assert selectors.hours_summary(engagement) == (Decimal(0), 40)
        report(engagement, student, hours="2.5")
        report(engagement, student, hours="10")
        report(engagement, student, hours="0")

        assert selectors.hours_summary(engagement) == (Decimal("12.5"), 40)

    def test_the_total_in_force_counts(self, engagement, student):
        report(engagement, student, hours="45.75")
        set_agreed_hours(engagement, 60)

        reported, agreed = selectors.hours_summary(engagement)

        assert (reported, agreed) == (Decimal("45.75"), 60)
        assert not selectors.HoursProgress(reported, agreed).is_over

    def test_over_the_agreed_hours(self):
        hours = selectors.HoursProgress(Decimal("42.5"), 40)

        assert (hours.is_over, hours.over_by_text, hours.percent) == (True, "2.5", 100)
        assert selectors.HoursProgress(Decimal("10"), 40).percent == 25
        assert selectors.HoursProgress(Decimal("10"), None).percent == 0
