"""What the parties do with a check-in: agenda, shared notes, outcome, reschedule; who may, when,
and the events and notifications each leaves behind."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from practicum.core.errors import Conflict, Refused
from practicum.engagements import agreements, lifecycle
from practicum.engagements.models import EngagementEvent
from practicum.notifications.models import Notification
from practicum.workspace.checkins import services
from practicum.workspace.checkins.models import AGENDA_ITEM_MAX, NOTES_MAX, CheckIn
from tests.workspace.checkins.conftest import move_to_past

pytestmark = pytest.mark.django_db


def events(engagement, kind):
    return list(EngagementEvent.objects.filter(engagement=engagement, kind=kind).order_by("pk"))


def iso(moment) -> str:
    return moment.astimezone(datetime.UTC).isoformat()


def field_codes(caught) -> dict:
    return {name: [e.code for e in errors] for name, errors in caught.value.error_dict.items()}


class TestAgenda:
    @pytest.mark.parametrize(
        "who,side", [("student", "student"), ("mentor", "organization"), ("owner", "organization")]
    )
    def test_either_side_adds_points(self, request, checkin, who, side):
        person = request.getfixturevalue(who)

        item = services.add_agenda_item(checkin, by=person, text="  Survey sample size  ")

        assert (item.text, item.author, item.side) == ("Survey sample size", person, side)
        assert item.created_at is not None

    def test_staff_may_not(self, checkin, staff):
        with pytest.raises(Refused) as caught:
            services.add_agenda_item(checkin, by=staff, text="A point")
        assert caught.value.code == "not_a_party"

    @pytest.mark.parametrize(
        "text,code", [("   ", "required"), ("x" * (AGENDA_ITEM_MAX + 1), "max_length")]
    )
    def test_bad_text(self, checkin, student, text, code):
        with pytest.raises(ValidationError) as caught:
            services.add_agenda_item(checkin, by=student, text=text)
        assert field_codes(caught) == {"text": [code]}

    def test_not_once_it_has_an_outcome(self, past_checkin, student, mentor):
        services.record_outcome(past_checkin, by=mentor, outcome="held")

        with pytest.raises(Conflict) as caught:
            services.add_agenda_item(past_checkin, by=student, text="Late point")
        assert caught.value.code == "checkin_closed"

    def test_not_once_the_engagement_is_over(self, checkin, student):
        agreements.cancel(checkin.engagement, by=student, reason="Moving abroad.")

        with pytest.raises(Conflict) as caught:
            services.add_agenda_item(checkin, by=student, text="A point")
        assert caught.value.code == "engagement_not_active"


class TestNotes:
    def test_either_side_edits_and_the_last_editor_is_kept(self, checkin, student, mentor):
        services.update_notes(checkin, by=student, notes="# Plan\n- export")
        checkin = services.update_notes(checkin, by=mentor, notes="# Plan\n- export\n- clean")

        checkin.refresh_from_db()
        assert checkin.notes == "# Plan\n- export\n- clean"
        assert checkin.notes_edited_by == mentor
        assert checkin.notes_revision == 2
        assert timezone.now() - checkin.notes_edited_at < datetime.timedelta(minutes=1)

    def test_notes_may_be_written_after_it_was_held(self, past_checkin, student):
        services.record_outcome(past_checkin, by=student, outcome="held")

        services.update_notes(past_checkin, by=student, notes="We agreed on three themes.")

        past_checkin.refresh_from_db()
        assert past_checkin.notes == "We agreed on three themes."

    def test_an_edit_from_an_outdated_copy_is_refused(self, checkin, student, mentor):
        services.update_notes(checkin, by=mentor, notes="Mentor's notes", revision=0)

        with pytest.raises(Conflict) as caught:
            services.update_notes(checkin, by=student, notes="Student's notes", revision=0)

        assert caught.value.code == "notes_changed"
        checkin.refresh_from_db()
        assert checkin.notes == "Mentor's notes"

    def test_too_long(self, checkin, student):
        with pytest.raises(ValidationError) as caught:
            services.update_notes(checkin, by=student, notes="x" * (NOTES_MAX + 1))
        assert field_codes(caught) == {"notes": ["max_length"]}

    def test_staff_may_not(self, checkin, staff):
        with pytest.raises(Refused):
            services.update_notes(checkin, by=staff, notes="Hello")


class TestOutcome:
    def test_not_before_its_time(self, checkin, mentor):
        with pytest.raises(Conflict) as caught:
            services.record_outcome(checkin, by=mentor, outcome="held")

        assert caught.value.code == "too_early"
        assert caught.value.status == 409
        checkin.refresh_from_db()
        assert checkin.status == "scheduled"
        assert events(checkin.engagement, "checkin_held") == []

    def test_from_its_time_on(self, checkin, mentor):
        checkin = services.record_outcome(
            checkin, by=mentor, outcome="held", now=checkin.scheduled_at
        )
        assert checkin.status == "held"

    def test_held_is_recorded_with_its_event(self, past_checkin, student):
        services.record_outcome(past_checkin, by=student, outcome="held")

        past_checkin.refresh_from_db()
        assert past_checkin.status == "held"
        assert past_checkin.outcome_recorded_by == student
        assert past_checkin.missed_by == ""
        [event] = events(past_checkin.engagement, "checkin_held")
        assert event.actor == student
        assert event.details == {
            "side": "student",
            "checkin": past_checkin.pk,
            "scheduled_at": iso(past_checkin.scheduled_at),
            "originally_at": iso(past_checkin.originally_at),
        }

    @pytest.mark.parametrize("missed_by", ["student", "organization", "both"])
    def test_missed_says_by_whom(self, past_checkin, owner, missed_by):
        services.record_outcome(past_checkin, by=owner, outcome="missed", missed_by=missed_by)

        past_checkin.refresh_from_db()
        assert (past_checkin.status, past_checkin.missed_by) == ("missed", missed_by)
        [event] = events(past_checkin.engagement, "checkin_missed")
        assert event.details == {
            "side": "organization",
            "checkin": past_checkin.pk,
            "scheduled_at": iso(past_checkin.scheduled_at),
            "originally_at": iso(past_checkin.originally_at),
            "missed_by": missed_by,
        }

    def test_a_rescheduled_check_in_reports_both_times(self, checkin, student, mentor):
        moved = services.reschedule(
            checkin, by=student, to=checkin.scheduled_at + datetime.timedelta(hours=4), reason="Bus"
        )

        services.record_outcome(moved, by=mentor, outcome="held", now=moved.scheduled_at)

        [event] = events(checkin.engagement, "checkin_held")
        assert event.details["scheduled_at"] == iso(moved.scheduled_at)
        assert event.details["originally_at"] == iso(checkin.originally_at)
        assert event.details["scheduled_at"] != event.details["originally_at"]

    def test_only_once(self, past_checkin, student, mentor):
        services.record_outcome(past_checkin, by=student, outcome="held")

        with pytest.raises(Conflict) as caught:
            services.record_outcome(past_checkin, by=mentor, outcome="missed", missed_by="both")

        assert caught.value.code == "outcome_recorded"
        past_checkin.refresh_from_db()
        assert past_checkin.status == "held"
        assert len(events(past_checkin.engagement, "checkin_held")) == 1
        assert events(past_checkin.engagement, "checkin_missed") == []

    @pytest.mark.parametrize(
        "outcome,missed_by,field",
        [
            ("cancelled", "", "outcome"),
            ("", "", "outcome"),
            ("missed", "", "missed_by"),
            ("missed", "nobody", "missed_by"),
            ("held", "student", "missed_by"),
        ],
    )
    def test_bad_input(self, past_checkin, student, outcome, missed_by, field):
        with pytest.raises(ValidationError) as caught:
            services.record_outcome(past_checkin, by=student, outcome=outcome, missed_by=missed_by)
        assert list(caught.value.error_dict) == [field]

    def test_staff_may_not(self, past_checkin, staff):
        with pytest.raises(Refused):
            services.record_outcome(past_checkin, by=staff, outcome="held")

    def test_not_for_a_cancelled_check_in(self, checkin, mentor):
        CheckIn.objects.filter(pk=checkin.pk).update(status="cancelled")
        with pytest.raises(Conflict) as caught:
            services.record_outcome(checkin, by=mentor, outcome="held", now=checkin.scheduled_at)
        assert caught.value.code == "checkin_cancelled"


class TestReschedule:
    def later(self, checkin, **delta):
        return checkin.scheduled_at + datetime.timedelta(**delta)

    def test_moves_it_with_an_event_and_tells_the_other_side(self, checkin, student, mentor, owner):
        new_time = self.later(checkin, days=1, hours=3)

        moved = services.reschedule(checkin, by=student, to=new_time, reason="Exam that day")

        assert (moved.scheduled_at, moved.originally_at) == (new_time, checkin.originally_at)
        assert (moved.sequence, moved.reschedule_count) == (1, 1)
        [event] = events(checkin.engagement, "checkin_rescheduled")
        assert event.details == {
            "side": "student",
            "checkin": checkin.pk,
            "from": iso(checkin.scheduled_at),
            "to": iso(new_time),
            "reason": "Exam that day",
        }
        told = Notification.objects.filter(kind="checkin_rescheduled")
        assert set(told.values_list("recipient", flat=True)) == {mentor.pk, owner.pk}
        assert told.first().url == checkin.get_absolute_url()

    @pytest.mark.parametrize("side", ["before", "after"])
    def test_not_outside_the_engagements_dates(self, checkin, student, side):
        engagement = checkin.engagement
        zone = engagement.project.zone
        day = (
            lifecycle.starts_on(engagement) - datetime.timedelta(days=1)
            if side == "before"
            else lifecycle.ends_on(engagement) + datetime.timedelta(days=1)
        )
        outside = datetime.datetime.combine(day, datetime.time(10), zone)
        with pytest.raises(ValidationError) as caught:
            services.reschedule(checkin, by=student, to=outside, reason="Holiday")
        assert caught.value.error_dict["scheduled_at"][0].code == "outside_engagement"
        checkin.refresh_from_db()
        assert checkin.reschedule_count == 0

    def test_on_the_last_day_in_the_projects_zone(self, checkin, student):
        engagement = checkin.engagement
        last = lifecycle.ends_on(engagement)
        late_evening = datetime.datetime.combine(
            last, datetime.time(23, 30), engagement.project.zone
        )
        moved = services.reschedule(checkin, by=student, to=late_evening, reason="Evening")
        assert moved.scheduled_at == late_evening

    def test_the_organization_moving_it_tells_the_student(self, checkin, student, mentor):
        services.reschedule(checkin, by=mentor, to=self.later(checkin, hours=2), reason="Clash")

        told = Notification.objects.filter(kind="checkin_rescheduled")
        assert list(told.values_list("recipient", flat=True)) == [student.pk]

    def test_every_move_is_kept_and_told(self, checkin, student, mentor):
        services.reschedule(checkin, by=student, to=self.later(checkin, hours=2), reason="One")
        moved = services.reschedule(
            checkin, by=student, to=self.later(checkin, hours=1), reason="Two"
        )

        assert moved.sequence == 2
        history = events(checkin.engagement, "checkin_rescheduled")
        assert [e.details["reason"] for e in history] == ["One", "Two"]
        assert (
            Notification.objects.filter(kind="checkin_rescheduled", recipient=mentor).count() == 2
        )

    def test_a_past_check_in_without_outcome_may_move_to_the_future(self, past_checkin, student):
        moved = services.reschedule(
            past_checkin,
            by=student,
            to=timezone.now() + datetime.timedelta(days=2),
            reason="We both forgot",
        )
        assert moved.status == "scheduled"

    @pytest.mark.parametrize(
        "when,reason,field",
        [
            (datetime.timedelta(hours=-1), "Reason", "scheduled_at"),
            (datetime.timedelta(days=400), "Reason", "scheduled_at"),
            (datetime.timedelta(days=3), "   ", "reason"),
            (datetime.timedelta(days=3), "x" * 501, "reason"),
        ],
    )
    def test_bad_input(self, checkin, student, when, reason, field):
        with pytest.raises(ValidationError) as caught:
            services.reschedule(checkin, by=student, to=timezone.now() + when, reason=reason)
        assert field in caught.value.error_dict
        checkin.refresh_from_db()
        assert checkin.reschedule_count == 0

    def test_a_time_without_zone_is_refused(self, checkin, student):
        naive = datetime.datetime.now() + datetime.timedelta(days=3)
        with pytest.raises(ValidationError) as caught:
            services.reschedule(checkin, by=student, to=naive, reason="Reason")
        assert list(caught.value.error_dict) == ["scheduled_at"]

    def test_not_once_it_has_an_outcome(self, past_checkin, student):
        services.record_outcome(past_checkin, by=student, outcome="held")
        with pytest.raises(Conflict) as caught:
            services.reschedule(
                past_checkin,
                by=student,
                to=timezone.now() + datetime.timedelta(days=1),
                reason="Again",
            )
        assert caught.value.code == "outcome_recorded"

    def test_staff_may_not(self, checkin, staff):
        with pytest.raises(Refused):
            services.reschedule(checkin, by=staff, to=self.later(checkin, hours=1), reason="X")


@pytest.mark.django_db(transaction=True)
def test_two_people_recording_the_outcome_at_once_record_it_once(
    concurrently, active_engagement, student, mentor
):
    checkin = move_to_past(CheckIn.objects.filter(engagement=active_engagement).first())

    results = concurrently.run(
        [
            lambda: services.record_outcome(checkin, by=student, outcome="held"),
            lambda: services.record_outcome(
                checkin, by=mentor, outcome="missed", missed_by="student"
            ),
        ]
    )

    recorded = [r for r in results if isinstance(r, CheckIn)]
    refused = [r for r in results if isinstance(r, Conflict) and r.code == "outcome_recorded"]
    assert (len(recorded), len(refused)) == (1, 1), results

    def outcome_events():
        return EngagementEvent.objects.filter(
            engagement=active_engagement, kind__in=["checkin_held", "checkin_missed"]
        ).count()

    assert concurrently.read(outcome_events) == 1
