"""Where check-ins take place: a location or meeting link per check-in, a usual place per
engagement, on the pages, over the API, and as LOCATION / URL in iCal (parsed with icalendar)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from practicum.core.errors import Refused
from practicum.workspace.checkins import services
from practicum.workspace.checkins.models import CheckIn, CheckInPlace
from tests.workspace.checkins.test_calendar import events_of, feed_url_of

pytestmark = pytest.mark.django_db
LINK = "https://meet.example.org/weekly"


def ics_events(client, engagement) -> dict:
    response = client.get(reverse("checkins:engagement_ics", args=[engagement.pk]))
    assert response.status_code == 200
    return events_of(Calendar.from_ical(response.content))


def uid(checkin) -> str:
    return f"checkin-{checkin.pk}@practicum"


class TestServices:
    def test_a_check_in_has_its_own_place_and_the_others_the_usual_one(
        self, engagement, checkins, student, mentor, client_for
    ):
        services.set_default_place(engagement, by=mentor, meeting_url=LINK)
        own = services.set_place(checkins[0], by=student, location="Library, room 2")
        assert own.sequence == 2  # the usual place, then its own

        events = ics_events(client_for(student), engagement)
        first, second = events[uid(checkins[0])], events[uid(checkins[1])]
        assert str(first["LOCATION"]) == "Library, room 2"
        assert str(first["URL"]).endswith(checkins[0].get_absolute_url())
        assert str(second["LOCATION"]) == LINK
        assert str(second["URL"]) == LINK
        assert LINK in str(second["DESCRIPTION"])

    def test_no_place_no_location(self, engagement, checkin, student, client_for):
        event = ics_events(client_for(student), engagement)[uid(checkin)]
        assert "LOCATION" not in event

    def test_the_usual_place_bumps_the_sequence_of_check_ins_using_it(
        self, engagement, checkins, student
    ):
        services.set_place(checkins[0], by=student, meeting_url=LINK)
        services.set_default_place(engagement, by=student, location="Office")
        sequences = dict(CheckIn.objects.values_list("pk", "sequence"))
        assert sequences[checkins[0].pk] == 1  # its own place: set once, not bumped again
        assert sequences[checkins[1].pk] == 1

    @pytest.mark.parametrize(
        "url", ["javascript:alert(1)", "ftp://x.example.org", "meet", "https://" + "a" * 600]
    )
    def test_only_web_links(self, engagement, checkin, student, url):
        with pytest.raises(ValidationError):
            services.set_place(checkin, by=student, meeting_url=url)
        with pytest.raises(ValidationError):
            services.set_default_place(engagement, by=student, meeting_url=url)
        assert not CheckInPlace.objects.exists()
        checkin.refresh_from_db()
        assert checkin.meeting_url == ""

    @pytest.mark.parametrize("who", ["other_student", "outsider"])
    def test_only_parties(self, request, engagement, checkin, who):
        person = request.getfixturevalue(who)
        with pytest.raises(Refused):
            services.set_place(checkin, by=person, location="Here")
        with pytest.raises(Refused):
            services.set_default_place(engagement, by=person, location="Here")


class TestPages:
    def test_set_and_shown(self, engagement, checkin, mentor, student, client_for):
        client = client_for(mentor)
        response = client.post(
            reverse("checkins:default_place", args=[engagement.pk]),
            {"default-location": "Main St 1", "default-meeting_url": ""},
        )
        assert response.status_code == 302
        detail = reverse("checkins:detail", args=[engagement.pk, checkin.pk])
        body = client_for(student).get(detail).content.decode()
        assert "Main St 1" in body and "usual place" in body
        response = client.post(
            reverse("checkins:place", args=[engagement.pk, checkin.pk]),
            {"place-location": "", "place-meeting_url": LINK},
        )
        assert response.status_code == 302
        assert LINK in client_for(student).get(detail).content.decode()
        listing = client_for(student).get(reverse("checkins:list", args=[engagement.pk]))
        assert LINK in listing.content.decode() and "Main St 1" in listing.content.decode()

    def test_a_bad_link_is_shown_on_the_form(self, engagement, checkin, student, client_for):
        response = client_for(student).post(
            reverse("checkins:place", args=[engagement.pk, checkin.pk]),
            {"place-location": "", "place-meeting_url": "javascript:alert(1)"},
        )
        assert response.status_code == 422
        assert "https://" in response.content.decode()
        checkin.refresh_from_db()
        assert checkin.meeting_url == ""

    @pytest.mark.parametrize("who", ["other_student", "outsider", "superuser"])
    def test_strangers_get_404(self, request, engagement, checkin, client_for, who):
        client = client_for(request.getfixturevalue(who))
        response = client.post(
            reverse("checkins:default_place", args=[engagement.pk]), {"default-location": "X"}
        )
        assert response.status_code == 404
        assert not CheckInPlace.objects.exists()


class TestApi:
    def test_set_and_read(self, engagement, checkin, student, api_client_for):
        client = api_client_for(student)
        base = f"/api/v1/engagements/{engagement.pk}/checkins"
        response = client.put(
            f"{base}/place", {"meeting_url": LINK}, content_type="application/json"
        )
        assert response.status_code == 200
        assert client.get(f"{base}/place").json() == {"location": "", "meeting_url": LINK}
        body = client.get(f"{base}/{checkin.pk}").json()
        assert (body["meeting_url"], body["place_is_default"]) == (LINK, True)
        response = client.put(
            f"{base}/{checkin.pk}/place", {"location": "Room 9"}, content_type="application/json"
        )
        assert (response.json()["location"], response.json()["place_is_default"]) == (
            "Room 9",
            False,
        )

    def test_bad_link_is_422(self, engagement, checkin, student, api_client_for):
        response = api_client_for(student).put(
            f"/api/v1/engagements/{engagement.pk}/checkins/{checkin.pk}/place",
            {"meeting_url": "javascript:alert(1)"},
            content_type="application/json",
        )
        assert response.status_code == 422
        assert "meeting_url" in response.json()["fields"]

    def test_strangers_get_404(self, engagement, outsider, api_client_for):
        response = api_client_for(outsider).put(
            f"/api/v1/engagements/{engagement.pk}/checkins/place",
            {"location": "X"},
            content_type="application/json",
        )
        assert response.status_code == 404


def test_the_feed_carries_the_place(engagement, checkin, student, client_for):
    services.set_place(checkin, by=student, location="Café, 2nd floor", meeting_url=LINK)
    events = events_of(Calendar.from_ical(Client().get(feed_url_of(client_for(student))).content))
    event = events[uid(checkin)]
    assert str(event["LOCATION"]) == "Café, 2nd floor"
    assert str(event["URL"]) == LINK
