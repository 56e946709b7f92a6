"""The schedule: each cadence over the agreement's dates at the agreed wall-clock time in the
organization's zone (daylight-saving changes included), regeneration after an amendment, and
calling off what is still to come when the engagement ends."""

import datetime
import zoneinfo

import pytest

from practicum.engagements import agreements
from practicum.engagements.selectors import agreement_versions, shown_version
from practicum.workspace.checkins import services
from practicum.workspace.checkins.models import CheckIn
from tests.workspace.checkins.conftest import move_to_past

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
LONG_AGO = datetime.datetime(2020, 1, 1, tzinfo=UTC)


def terms(**changes) -> dict:
    base = {
        "starts_on": "2025-10-13",
        "ends_on": "2025-11-09",
        "checkin_cadence": "weekly",
        "checkin_weekday": 0,
        "checkin_time": "10:00",
    }
    return {**base, **changes}


def at(*args, tz=UTC) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=tz)


class TestSlots:
    def test_weekly_on_the_agreed_weekday_between_the_dates(self):
        # 13 Oct 2025 is a Monday; 9 Nov a Sunday.
        assert services.slots(terms(), "UTC") == [
            at(2025, 10, 13, 10),
            at(2025, 10, 20, 10),
            at(2025, 10, 27, 10),
            at(2025, 11, 3, 10),
        ]

    def test_weekly_starts_at_the_first_agreed_weekday_on_or_after_the_start(self):
        slots = services.slots(terms(checkin_weekday=2), "UTC")  # Wednesdays
        assert [s.date() for s in slots] == [
            datetime.date(2025, 10, 15),
            datetime.date(2025, 10, 22),
            datetime.date(2025, 10, 29),
            datetime.date(2025, 11, 5),
        ]

    def test_the_end_date_is_included(self):
        slots = services.slots(terms(ends_on="2025-11-03"), "UTC")
        assert slots[-1] == at(2025, 11, 3, 10)

    def test_biweekly_every_other_week(self):
        assert services.slots(terms(checkin_cadence="biweekly"), "UTC") == [
            at(2025, 10, 13, 10),
            at(2025, 10, 27, 10),
        ]

    def test_twice_weekly_on_the_day_and_three_days_later(self):
        slots = services.slots(terms(checkin_cadence="twice_weekly"), "UTC")
        assert [(s.date().isoformat(), s.strftime("%a")) for s in slots] == [
            ("2025-10-13", "Mon"),
            ("2025-10-16", "Thu"),
            ("2025-10-20", "Mon"),
            ("2025-10-23", "Thu"),
            ("2025-10-27", "Mon"),
            ("2025-10-30", "Thu"),
            ("2025-11-03", "Mon"),
            ("2025-11-06", "Thu"),
        ]

    def test_twice_weekly_keeps_the_second_day_of_a_week_that_began_before_the_start(self):
        # Starting on a Wednesday with Monday check-ins: that week's Thursday still counts.
        slots = services.slots(terms(checkin_cadence="twice_weekly", starts_on="2025-10-15"), "UTC")
        assert slots[0] == at(2025, 10, 16, 10)

    def test_every_cadence_the_project_offers_is_handled(self):
        from practicum.projects.models import Project

        for cadence in Project.Cadence.values:
            assert services.slots(terms(checkin_cadence=cadence), "UTC"), cadence

    def test_local_time_stays_across_the_autumn_change_and_utc_moves(self):
        # Europe/Berlin leaves summer time on Sunday 26 October 2025.
        slots = services.slots(terms(), "Europe/Berlin")
        assert [s.astimezone(BERLIN).strftime("%a %H:%M") for s in slots] == ["Mon 10:00"] * 4
        assert [s.hour for s in slots] == [8, 8, 9, 9]
        assert all(s.tzinfo == UTC for s in slots)

    def test_local_time_stays_across_the_spring_change(self):
        # Summer time starts on Sunday 29 March 2026.
        slots = services.slots(terms(starts_on="2026-03-16", ends_on="2026-04-12"), "Europe/Berlin")
        assert [s.astimezone(BERLIN).hour for s in slots] == [10, 10, 10, 10]
        assert [s.hour for s in slots] == [9, 9, 8, 8]

    def test_a_time_skipped_by_the_spring_change_moves_an_hour_later(self):
        slots = services.slots(
            terms(
                starts_on="2026-03-29",
                ends_on="2026-03-29",
                checkin_weekday=6,
                checkin_time="02:30",
            ),
            "Europe/Berlin",
        )
        assert slots == [at(2026, 3, 29, 1, 30)]
        assert slots[0].astimezone(BERLIN).strftime("%H:%M %Z") == "03:30 CEST"

    @pytest.mark.parametrize(
        "broken",
        [
            {"starts_on": None},
            {"ends_on": "not a date"},
            {"checkin_time": "25:99"},
            {"checkin_cadence": "hourly"},
            {"checkin_weekday": None},
        ],
    )
    def test_incomplete_terms_give_no_slots(self, broken):
        assert services.slots(terms(**broken), "UTC") == []

    def test_an_unknown_zone_falls_back_to_utc(self):
        assert services.slots(terms(), "Mars/Olympus")[0] == at(2025, 10, 13, 10)


def times(engagement) -> list[datetime.datetime]:
    return list(
        CheckIn.objects.filter(engagement=engagement)
        .order_by("scheduled_at")
        .values_list("scheduled_at", flat=True)
    )


def current_terms(engagement) -> dict:
    return shown_version(agreement_versions(engagement)).terms


def amend(engagement, student, mentor, **changes):
    version = agreements.propose_amendment(
        engagement, by=student, changes=changes, reason="A better rhythm.", full_name=student.name
    )
    agreements.accept_amendment(engagement, version.number, by=mentor, full_name=mentor.name)
    engagement.refresh_from_db()
    return engagement


class TestSchedule:
    def test_signing_schedules_the_weekly_check_ins(self, engagement, project):
        checkins = list(CheckIn.objects.filter(engagement=engagement))
        assert len(checkins) == 4
        assert {c.scheduled_at.weekday() for c in checkins} == {project.checkin_weekday}
        assert {c.scheduled_at.timetz() for c in checkins} == {datetime.time(10, tzinfo=UTC)}
        assert all(project.starts_on <= c.scheduled_at.date() <= project.ends_on for c in checkins)
        assert all(c.status == "scheduled" and c.originally_at == c.scheduled_at for c in checkins)

    @pytest.mark.parametrize("cadence,count", [("biweekly", 2), ("twice_weekly", 8)])
    def test_each_cadence_through_the_agreement(
        self, pending_engagement, student, mentor, cadence, count
    ):
        from tests.fixtures_engagements import sign_both

        agreements.propose_edit(pending_engagement, by=mentor, changes={"checkin_cadence": cadence})
        engagement = sign_both(pending_engagement, student, mentor)
        assert CheckIn.objects.filter(engagement=engagement).count() == count

    def test_in_the_organizations_zone_across_a_dst_change(self, engagement):
        engagement.project.timezone = "Europe/Berlin"
        engagement.project.save(update_fields=["timezone"])
        CheckIn.objects.filter(engagement=engagement).delete()

        services.schedule(engagement, terms(), now=LONG_AGO)

        stored = times(engagement)
        assert [s.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M") for s in stored] == [
            "2025-10-13 10:00",
            "2025-10-20 10:00",
            "2025-10-27 10:00",
            "2025-11-03 10:00",
        ]
        assert [s.astimezone(UTC).hour for s in stored] == [8, 8, 9, 9]

    def test_is_idempotent(self, engagement):
        before = list(
            CheckIn.objects.filter(engagement=engagement).values_list("pk", "scheduled_at")
        )

        services.schedule(engagement, current_terms(engagement))
        services.schedule(engagement, current_terms(engagement))

        after = list(
            CheckIn.objects.filter(engagement=engagement).values_list("pk", "scheduled_at")
        )
        assert after == before

    def test_no_check_in_is_made_in_the_past(self, engagement):
        CheckIn.objects.filter(engagement=engagement).delete()
        first, second, *_ = services.slots(current_terms(engagement), "UTC")

        services.schedule(engagement, current_terms(engagement), now=first)

        assert times(engagement)[0] == second

    def test_an_amendment_to_the_cadence_replaces_untouched_future_check_ins(
        self, engagement, student, mentor
    ):
        weekly = list(CheckIn.objects.filter(engagement=engagement).order_by("scheduled_at"))
        services.add_agenda_item(weekly[1], by=student, text="Dataset questions")

        amend(engagement, student, mentor, checkin_cadence="biweekly")

        left = list(CheckIn.objects.filter(engagement=engagement).order_by("scheduled_at"))
        # Weeks 1 and 3 are the biweekly slots (same check-ins, same ids, so calendars keep
        # them); week 2 stays for its agenda; week 4 is gone.
        assert [c.pk for c in left] == [weekly[0].pk, weekly[1].pk, weekly[2].pk]

    def test_an_amendment_keeps_what_happened_or_was_touched(self, engagement, student, mentor):
        weekly = list(CheckIn.objects.filter(engagement=engagement).order_by("scheduled_at"))
        held = move_to_past(weekly[0], hours=2)
        services.record_outcome(held, by=mentor, outcome="held")
        services.update_notes(weekly[1], by=mentor, notes="Prepare the survey export.")
        services.reschedule(
            weekly[2],
            by=student,
            to=weekly[2].scheduled_at + datetime.timedelta(hours=3),
            reason="Exam that morning",
        )

        amend(engagement, student, mentor, checkin_time="14:30")

        left = list(CheckIn.objects.filter(engagement=engagement).order_by("scheduled_at"))
        kept = [c for c in left if c.pk in {weekly[0].pk, weekly[1].pk, weekly[2].pk}]
        assert len(kept) == 3
        assert weekly[3].pk not in {c.pk for c in left}
        new = [c for c in left if c.pk not in {w.pk for w in weekly}]
        # Each of the four Mondays gets a 14:30 check-in; the kept ones stay at their times.
        assert [c.scheduled_at.strftime("%H:%M") for c in new] == ["14:30"] * 4

    def test_a_rescheduled_check_in_does_not_get_its_slot_back(self, engagement, student):
        first = CheckIn.objects.filter(engagement=engagement).order_by("scheduled_at").first()
        services.reschedule(
            first, by=student, to=first.scheduled_at + datetime.timedelta(days=1), reason="Ill"
        )

        services.schedule(engagement, current_terms(engagement))

        assert CheckIn.objects.filter(engagement=engagement).count() == 4
        assert CheckIn.objects.filter(originally_at=first.originally_at).count() == 1


class TestCancelUpcoming:
    def test_cancelling_the_engagement_calls_off_future_check_ins(self, engagement, student):
        first, *rest = CheckIn.objects.filter(engagement=engagement).order_by("scheduled_at")
        move_to_past(first)

        agreements.cancel(engagement, by=student, reason="Found a full-time job.")

        first.refresh_from_db()
        assert first.status == "scheduled"  # its time has passed: it happened or not
        for checkin in rest:
            checkin.refresh_from_db()
            assert (checkin.status, checkin.sequence) == ("cancelled", 1)
        assert CheckIn.objects.filter(engagement=engagement).count() == 4

    def test_is_idempotent(self, engagement):
        services.cancel_upcoming(engagement)
        services.cancel_upcoming(engagement)

        assert set(
            CheckIn.objects.filter(engagement=engagement).values_list("status", "sequence")
        ) == {("cancelled", 1)}
