"""The interviews page and the panel on the application page: who sees and does what, bad
input shown on the form with nothing written, and query budgets that do not grow."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practicum.core.idempotency import FORM_FIELD
from practicum.interviews import services
from practicum.interviews.models import Interview
from tests.interviews.conftest import at, slot, start_now

pytestmark = pytest.mark.django_db
PARTIES = ["student", "owner", "mentor"]
STRANGERS = ["other_student", "outsider", "superuser"]


def page(application):
    return reverse("interviews:list", args=[application.pk])


def url(name, interview):
    return reverse(f"interviews:{name}", args=[interview.application_id, interview.pk])


def local(moment) -> str:
    """As a datetime-local input sends it, in the viewer's zone (UTC in the tests)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def slots_post(*rows, total=None) -> dict:
    data = {
        "slots-TOTAL_FORMS": str(total or len(rows)),
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "10",
    }
    for n, row in enumerate(rows):
        data.update({f"slots-{n}-{key}": value for key, value in row.items()})
    return data


def row(hours, *, place="", video_url="https://meet.example.org/x", minutes="30"):
    return {
        "starts_at": local(at(hours)),
        "duration_minutes": minutes,
        "place": place,
        "video_url": "" if place else video_url,
    }


class TestSeeing:
    @pytest.mark.parametrize("who", PARTIES)
    def test_parties_see_the_picked_time(self, request, scheduled, client_for, who):
        response = client_for(request.getfixturevalue(who)).get(page(scheduled.application))
        assert response.status_code == 200
        assert "https://meet.example.org/abc" in response.content.decode()
        assert "Scheduled" in response.content.decode()

    @pytest.mark.parametrize("who", STRANGERS)
    def test_strangers_get_404(self, request, scheduled, client_for, who):
        client = client_for(request.getfixturevalue(who))
        assert client.get(page(scheduled.application)).status_code == 404
        response = client.post(url("cancel", scheduled), {"cancel-reason": ""})
        assert response.status_code == 404
        scheduled.refresh_from_db()
        assert scheduled.status == Interview.Status.SCHEDULED

    def test_anonymous_is_sent_to_log_in(self, scheduled):
        response = Client().get(page(scheduled.application))
        assert response.status_code == 302

    @pytest.mark.parametrize("who", ["student", "owner"])
    def test_the_application_page_shows_the_interview(self, request, scheduled, client_for, who):
        response = client_for(request.getfixturevalue(who)).get(
            reverse("engagements:application", args=[scheduled.application_id])
        )
        body = response.content.decode()
        assert 'id="interview-panel"' in body
        assert "https://meet.example.org/abc" in body
        assert page(scheduled.application) in body

    def test_the_organization_is_offered_to_invite(self, shortlisted, client_for, owner, student):
        application_url = reverse("engagements:application", args=[shortlisted.pk])
        assert "Invite to an interview" in client_for(owner).get(application_url).content.decode()
        assert (
            'id="interview-panel"' not in client_for(student).get(application_url).content.decode()
        )
        body = client_for(owner).get(page(shortlisted)).content.decode()
        assert 'id="propose"' in body

    @pytest.mark.parametrize("who", ["student", "owner"])
    def test_query_budget(self, request, scheduled, client_for, django_assert_max_num_queries, who):
        client = client_for(request.getfixturevalue(who))
        with django_assert_max_num_queries(14):
            assert client.get(page(scheduled.application)).status_code == 200
        # More interviews and events do not cost more queries.
        services.reschedule(
            scheduled,
            by=request.getfixturevalue("owner"),
            reason="Clash",
            slots=[slot(200), slot(220)],
        )
        with django_assert_max_num_queries(14):
            assert client.get(page(scheduled.application)).status_code == 200


class TestJourney:
    def test_propose_pick_reschedule_cancel(self, shortlisted, owner, student, client_for):
        org, me = client_for(owner), client_for(student)
        response = org.post(
            reverse("interviews:propose", args=[shortlisted.pk]),
            slots_post(row(48), row(72, place="Room 4"), {"duration_minutes": "30"}),
        )
        assert response.status_code == 302
        interview = Interview.objects.get()
        assert interview.slots.count() == 2

        body = me.get(page(shortlisted)).content.decode()
        assert 'id="pick"' in body and "Room 4" in body
        room = interview.slots.get(place="Room 4")
        assert me.post(url("pick", interview), {"pick-slot": room.pk}).status_code == 302
        interview.refresh_from_db()
        assert interview.slot == room

        response = org.post(url("reschedule", interview), {"reschedule-reason": "Ill"})
        assert response.status_code == 302
        interview.refresh_from_db()
        assert interview.status == Interview.Status.PROPOSED

        response = me.post(url("cancel", interview), {"cancel-reason": "Found another"})
        assert response.status_code == 302
        interview.refresh_from_db()
        assert interview.status == Interview.Status.CANCELLED

    def test_outcome(self, scheduled, owner, student, client_for):
        start_now(scheduled)
        assert (
            'id="outcome"'
            not in client_for(student).get(page(scheduled.application)).content.decode()
        )
        response = client_for(student).post(url("outcome", scheduled), {"outcome-outcome": "held"})
        assert response.status_code == 403
        response = client_for(owner).post(
            url("outcome", scheduled),
            {"outcome-outcome": "no_show", "outcome-no_show_by": "organization"},
        )
        assert response.status_code == 302
        scheduled.refresh_from_db()
        assert (scheduled.status, scheduled.no_show_by) == ("no_show", "organization")

    def test_a_double_submit_makes_one_interview(self, shortlisted, owner, client_for):
        client = client_for(owner)
        data = {**slots_post(row(48)), FORM_FIELD: "b3c1e0f2-token"}
        path = reverse("interviews:propose", args=[shortlisted.pk])
        assert client.post(path, data).status_code == 302
        assert client.post(path, data).status_code == 302
        assert Interview.objects.count() == 1

    def test_the_student_may_not_propose(self, shortlisted, student, client_for):
        response = client_for(student).post(
            reverse("interviews:propose", args=[shortlisted.pk]), slots_post(row(48))
        )
        assert response.status_code == 403
        assert not Interview.objects.exists()


class TestBadInput:
    @pytest.mark.parametrize(
        "rows",
        [
            [row(-2)],
            [row(48), row(48)],
            [row(48, video_url="javascript:alert(1)")],
            [{**row(48), "starts_at": "9999-01-01T10:00"}],
            [{**row(48), "video_url": ""}],
            [row(24 * (n + 1)) for n in range(11)],
        ],
    )
    def test_refused_on_the_form(self, shortlisted, owner, client_for, rows):
        response = client_for(owner).post(
            reverse("interviews:propose", args=[shortlisted.pk]), slots_post(*rows)
        )
        assert response.status_code == 422
        assert 'id="propose"' in response.content.decode()
        assert not Interview.objects.exists()

    def test_a_reschedule_without_reason(self, scheduled, student, client_for):
        response = client_for(student).post(url("reschedule", scheduled), {"reschedule-reason": ""})
        assert response.status_code == 422
        scheduled.refresh_from_db()
        assert scheduled.status == Interview.Status.SCHEDULED
