"""The picked interview time in both sides' calendar feeds, parsed with icalendar."""

import datetime

import pytest
from django.test import Client
from icalendar import Calendar

from practicum.interviews import selectors, services
from tests.interviews.conftest import slot
from tests.workspace.checkins.test_calendar import events_of, feed_url_of

pytestmark = pytest.mark.django_db


def feed_events(person, client_for) -> dict:
    response = Client().get(feed_url_of(client_for(person)))
    assert response.status_code == 200
    return events_of(Calendar.from_ical(response.content))


def uid(interview) -> str:
    return f"interview-{interview.pk}@practicum"


@pytest.mark.parametrize("who", ["student", "owner", "mentor"])
def test_both_sides_have_the_picked_time(request, scheduled, client_for, who):
    event = feed_events(request.getfixturevalue(who), client_for)[uid(scheduled)]
    picked = scheduled.slot
    assert event.decoded("DTSTART") == picked.starts_at
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(minutes=30)
    assert str(event["LOCATION"]) == "https://meet.example.org/abc"
    assert str(event["URL"]) == "https://meet.example.org/abc"
    assert str(event["SUMMARY"]) == f"Interview: {scheduled.application.project.title}"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == 1


def test_a_place_is_the_location_and_the_page_the_url(proposed, student, client_for):
    room = proposed.slots.get(place__startswith="Room")
    interview = services.pick(proposed, by=student, slot_id=room.pk)
    event = feed_events(student, client_for)[uid(interview)]
    assert str(event["LOCATION"]) == "Room 4, Main St 1"
    assert str(event["URL"]).endswith(f"/applications/{interview.application_id}/interviews/")


def test_nothing_before_a_pick_nor_for_strangers(proposed, student, other_student, client_for):
    assert uid(proposed) not in feed_events(student, client_for)
    assert feed_events(other_student, client_for) == {}


def test_a_cancelled_interview_shows_as_cancelled(scheduled, owner, student, client_for):
    services.cancel(scheduled, by=owner, reason="Position filled")
    event = feed_events(student, client_for)[uid(scheduled)]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 2


def test_a_reschedule_takes_it_out_until_the_next_pick(scheduled, owner, student, client_for):
    interview = services.reschedule(scheduled, by=owner, reason="Clash", slots=[slot(100)])
    assert uid(interview) not in feed_events(student, client_for)
    new = interview.slots.get(
        withdrawn=False, starts_at__gt=scheduled.slot.starts_at + datetime.timedelta(hours=30)
    )
    interview = services.pick(interview, by=student, slot_id=new.pk)
    event = feed_events(owner, client_for)[uid(interview)]
    assert event.decoded("DTSTART") == new.starts_at
    assert event["SEQUENCE"] == 3


def test_the_provider_reads_in_one_query(scheduled, owner, django_assert_num_queries):
    with django_assert_num_queries(1):
        interviews = selectors.calendar_interviews(owner)
        assert [i.application.project.organization.name for i in interviews]
