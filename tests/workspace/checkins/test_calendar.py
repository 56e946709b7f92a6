"""Calendars: the personal feed behind a secret URL (no login), its regeneration, the
per-engagement download, and valid RFC 5545 with stable UIDs."""

import datetime

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from practicum.engagements import agreements
from practicum.engagements import services as engagement_services
from practicum.workspace.checkins import calendar, services
from practicum.workspace.checkins.models import CheckIn
from tests.factories import ApplicationFactory, ProjectFactory
from tests.fixtures_engagements import make_offered, sign_both

pytestmark = pytest.mark.django_db


def feed_url_of(client) -> str:
    """The feed URL as the calendar page shows it (absolute)."""
    response = client.get(reverse("checkins:calendar"))
    assert response.status_code == 200
    return response.context["feed_url"]


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_of(cal: Calendar) -> dict:
    return {str(event["UID"]): event for event in cal.walk("VEVENT")}


def checkin_uids(engagement) -> set[str]:
    return {
        f"checkin-{pk}@practicum"
        for pk in CheckIn.objects.filter(engagement=engagement).values_list("pk", flat=True)
    }


class TestFeed:
    def test_lists_check_ins_and_due_dates_without_login(self, engagement, student, client_for):
        url = feed_url_of(client_for(student))

        cal = parse(Client().get(url))

        assert str(cal["VERSION"]) == "2.0"
        assert "Practicum" in str(cal["PRODID"])
        events = events_of(cal)
        deliverable = f"deliverable-{engagement.pk}-d1@practicum"
        assert set(events) == checkin_uids(engagement) | {deliverable}
        for uid in checkin_uids(engagement):
            event = events[uid]
            for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "URL", "SEQUENCE"):
                assert prop in event, (uid, prop)
            start = event.decoded("DTSTART")
            assert start.utcoffset() == datetime.timedelta(0)
            assert event.decoded("DTEND") - start == datetime.timedelta(minutes=30)
            assert str(event["STATUS"]) == "CONFIRMED"
            assert str(event["URL"]).startswith("http://testserver/engagements/")
        due = events[deliverable]
        # All day: a date, not a date-time, ending (exclusively) the next day.
        assert due.decoded("DTSTART") == engagement.project.ends_on
        assert due.decoded("DTEND") == engagement.project.ends_on + datetime.timedelta(days=1)
        assert "Findings report" in str(due["SUMMARY"])

    def test_times_match_the_stored_utc_times(self, engagement, student, client_for):
        events = events_of(parse(Client().get(feed_url_of(client_for(student)))))
        for checkin in CheckIn.objects.filter(engagement=engagement):
            assert events[f"checkin-{checkin.pk}@practicum"].decoded("DTSTART") == (
                checkin.scheduled_at
            )

    @pytest.mark.parametrize("who", ["student", "mentor", "owner"])
    def test_every_party_gets_the_engagement(self, request, engagement, client_for, who):
        person = request.getfixturevalue(who)
        events = events_of(parse(Client().get(feed_url_of(client_for(person)))))
        assert checkin_uids(engagement) <= set(events)

    @pytest.mark.parametrize("who", ["other_mentor", "staff", "outsider", "other_student"])
    def test_others_do_not(self, request, engagement, client_for, who):
        person = request.getfixturevalue(who)
        events = events_of(parse(Client().get(feed_url_of(client_for(person)))))
        assert events == {}

    def test_a_rescheduled_check_in_has_a_higher_sequence(
        self, engagement, checkin, student, client_for
    ):
        url = feed_url_of(client_for(student))
        services.reschedule(
            checkin, by=student, to=checkin.scheduled_at + datetime.timedelta(hours=1), reason="X"
        )

        event = events_of(parse(Client().get(url)))[f"checkin-{checkin.pk}@practicum"]

        assert event.decoded("SEQUENCE") == 1
        assert event.decoded("DTSTART") == checkin.scheduled_at + datetime.timedelta(hours=1)

    def test_called_off_check_ins_are_cancelled_events(self, engagement, student, client_for):
        url = feed_url_of(client_for(student))
        agreements.cancel(engagement, by=student, reason="No longer available.")

        events = events_of(parse(Client().get(url)))

        for uid in checkin_uids(engagement):
            assert str(events[uid]["STATUS"]) == "CANCELLED"
            assert events[uid].decoded("SEQUENCE") == 1

    def test_agenda_is_in_the_description(self, engagement, checkin, mentor, client_for):
        services.add_agenda_item(checkin, by=mentor, text="Walk through the codebook")
        events = events_of(parse(Client().get(feed_url_of(client_for(mentor)))))
        assert "Walk through the codebook" in str(
            events[f"checkin-{checkin.pk}@practicum"]["DESCRIPTION"]
        )

    def test_query_count_does_not_grow_with_engagements(
        self, engagement, student, client_for, django_assert_max_num_queries, mentor
    ):
        url = feed_url_of(client_for(student))
        student.student_profile.weekly_hours = 60  # room for four engagements at once
        student.student_profile.save()
        for _ in range(3):
            project = ProjectFactory(organization=engagement.project.organization, mentor=mentor)
            other = make_offered(ApplicationFactory(project=project, student=student))
            sign_both(engagement_services.accept_offer(other, by=student), student, mentor)
        client = Client()
        # Two of them: the engagements' usual check-in places and the person's interviews.
        with django_assert_max_num_queries(8):
            cal = parse(client.get(url))
        assert len(events_of(cal)) == 4 * 5


class TestRegenerate:
    def test_a_new_url_revokes_the_old_and_keeps_the_uids(self, engagement, student, client_for):
        client = client_for(student)
        old = feed_url_of(client)
        before = set(events_of(parse(Client().get(old))))

        response = client.post(reverse("checkins:regenerate_feed"))
        assert response.status_code == 302
        new = feed_url_of(client)

        assert new != old
        assert Client().get(old).status_code == 404
        assert set(events_of(parse(Client().get(new)))) == before

    def test_regenerating_twice_revokes_each_previous_url(self, student, client_for):
        client = client_for(student)
        urls = [feed_url_of(client)]
        for _ in range(2):
            client.post(reverse("checkins:regenerate_feed"))
            urls.append(feed_url_of(client))
        assert [Client().get(u).status_code for u in urls] == [404, 404, 200]

    def test_regenerate_is_a_post(self, student, client_for):
        assert client_for(student).get(reverse("checkins:regenerate_feed")).status_code == 405

    def test_the_page_needs_a_login(self):
        response = Client().get(reverse("checkins:calendar"))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        response = Client().post(reverse("checkins:regenerate_feed"))
        assert response.status_code == 302


class TestBadTokens:
    @pytest.mark.parametrize(
        "token",
        [
            "nonsense",
            "WzEsMF0:1abcde:forged",
            "unsalted",  # signed, but not with the feed's salt
        ],
    )
    def test_are_404(self, token, student):
        if token == "unsalted":
            token = signing.dumps([1, 0])
        assert Client().get(reverse("checkins:feed", args=[token])).status_code == 404

    def test_a_token_of_the_wrong_shape_is_404(self, student):
        token = signing.dumps({"u": student.pk}, salt=calendar.SALT)
        assert Client().get(reverse("checkins:feed", args=[token])).status_code == 404

    def test_an_address_handed_out_with_a_timestamp_still_works(self, student):
        token = signing.dumps([student.pk, 0], salt=calendar.SALT)
        assert Client().get(reverse("checkins:feed", args=[token])).status_code == 200

    def test_an_inactive_account_has_no_feed(self, student):
        token = calendar.feed_token(student.pk, 0)
        assert Client().get(reverse("checkins:feed", args=[token])).status_code == 200
        student.is_active = False
        student.save()
        assert Client().get(reverse("checkins:feed", args=[token])).status_code == 404

    def test_tampering_with_the_generation_is_404(self, student, client_for):
        client_for(student).post(reverse("checkins:regenerate_feed"))
        value = calendar.feed_token(student.pk, 1)
        forged = calendar.feed_token(student.pk, 0).split(":")[0] + ":" + value.split(":", 1)[1]
        assert Client().get(reverse("checkins:feed", args=[forged])).status_code == 404


class TestEngagementDownload:
    def url(self, engagement):
        return reverse("checkins:engagement_ics", args=[engagement.pk])

    @pytest.mark.parametrize("who", ["student", "mentor", "owner"])
    def test_readers_download(self, request, engagement, client_for, who):
        response = client_for(request.getfixturevalue(who)).get(self.url(engagement))

        events = events_of(parse(response))
        assert "attachment" in response["Content-Disposition"]
        assert set(events) == checkin_uids(engagement) | {
            f"deliverable-{engagement.pk}-d1@practicum"
        }

    @pytest.mark.parametrize(
        "who", ["other_mentor", "outsider", "other_student", "other_staff", "staff"]
    )
    def test_strangers_get_404(self, request, engagement, client_for, who):
        response = client_for(request.getfixturevalue(who)).get(self.url(engagement))
        assert response.status_code == 404

    def test_anonymous_is_sent_to_log_in(self, engagement):
        response = Client().get(self.url(engagement))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_uids_are_the_feeds(self, engagement, student, client_for):
        client = client_for(student)
        download = set(events_of(parse(client.get(self.url(engagement)))))
        feed = set(events_of(parse(Client().get(feed_url_of(client)))))
        assert download == feed

    def test_a_pending_engagement_has_no_due_dates_yet(
        self, pending_engagement, student, client_for
    ):
        response = client_for(student).get(self.url(pending_engagement))
        assert events_of(parse(response)) == {}
