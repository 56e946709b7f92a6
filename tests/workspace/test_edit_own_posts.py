"""Issue 12: authors edit or delete their own progress updates and agenda points until the other
side has responded, and the timeline keeps what they said.

- A progress update (the student's) changes until the organization comments on it.
- An agenda point changes until the check-in has an outcome (held or missed) or the other side
  has added a point after it.
Through the services, the pages and the API, for the author and for those who may not.
"""

import datetime

import pytest
from django.urls import reverse

from practicum.core.errors import Conflict, Refused
from practicum.engagements.models import EngagementEvent
from practicum.workspace import selectors as timeline
from practicum.workspace.checkins import services as checkins
from practicum.workspace.checkins.models import AgendaItem, CheckIn
from practicum.workspace.progress import services as progress
from practicum.workspace.progress.models import ProgressUpdate
from tests.fixtures_engagements import local_today, set_dates
from tests.workspace.checkins.conftest import move_to_past

pytestmark = pytest.mark.django_db

Kind = EngagementEvent.Kind
API = "/api/v1/engagements"


@pytest.fixture
def update(active_engagement, student):
    return progress.post_update(
        active_engagement, by=student, done="Read the brief", hours="2", blockers="None"
    )


@pytest.fixture
def checkin(active_engagement):
    return CheckIn.objects.filter(engagement=active_engagement).order_by("scheduled_at").first()


@pytest.fixture
def point(checkin, student):
    return checkins.add_agenda_item(checkin, by=student, text="Scope of the survey")


def events(engagement, kind):
    return list(engagement.events.filter(kind=kind).order_by("pk"))


def timeline_text(client, engagement) -> str:
    return client.get(reverse("workspace:timeline", args=[engagement.pk])).content.decode()


class TestProgressUpdateServices:
    def test_the_author_edits_and_the_history_is_kept(self, active_engagement, update, student):
        progress.edit_update(update, by=student, done="Read the brief twice", hours="3")
        update.refresh_from_db()
        assert (update.done, update.hours_text, update.blockers) == (
            "Read the brief twice",
            "3",
            "",
        )
        assert update.edited_at is not None
        [event] = events(active_engagement, Kind.UPDATE_EDITED)
        assert event.details["before"] == {
            "done": "Read the brief",
            "blockers": "None",
            "next_steps": "",
            "hours": "2",
        }

    def test_the_author_deletes_and_the_history_is_kept(self, active_engagement, update, student):
        progress.delete_update(update, by=student)
        assert not ProgressUpdate.objects.exists()
        [event] = events(active_engagement, Kind.UPDATE_DELETED)
        assert event.details["before"]["done"] == "Read the brief"

    def test_the_students_own_comment_does_not_close_it(self, update, student):
        progress.comment_on_update(update, by=student, body="One more thing")
        progress.edit_update(update, by=student, done="Changed", hours="2")

    def test_not_once_the_organization_commented(self, update, student, mentor):
        progress.comment_on_update(update, by=mentor, body="Good start")
        for change in (
            lambda: progress.edit_update(update, by=student, done="Changed", hours="2"),
            lambda: progress.delete_update(update, by=student),
        ):
            with pytest.raises(Conflict) as caught:
                change()
            assert caught.value.code == "already_answered"
        update.refresh_from_db()
        assert update.done == "Read the brief"

    @pytest.mark.parametrize("who", ["mentor", "owner", "staff", "outsider"])
    def test_only_the_author(self, request, update, who):
        person = request.getfixturevalue(who)
        with pytest.raises(Refused):
            progress.edit_update(update, by=person, done="Mine now", hours="1")
        with pytest.raises(Refused):
            progress.delete_update(update, by=person)
        assert ProgressUpdate.objects.get().done == "Read the brief"


class TestAgendaPointServices:
    def test_the_author_edits_and_deletes_with_history(self, active_engagement, point, student):
        checkins.edit_agenda_item(point, by=student, text="Scope and budget")
        point.refresh_from_db()
        assert point.text == "Scope and budget" and point.edited_at is not None
        [edited] = events(active_engagement, Kind.AGENDA_ITEM_EDITED)
        assert edited.details["before"] == "Scope of the survey"
        checkins.delete_agenda_item(point, by=student)
        assert not AgendaItem.objects.exists()
        [deleted] = events(active_engagement, Kind.AGENDA_ITEM_DELETED)
        assert deleted.details["before"] == "Scope and budget"

    def test_a_later_point_of_their_own_does_not_close_it(self, checkin, point, student):
        checkins.add_agenda_item(checkin, by=student, text="Another")
        checkins.edit_agenda_item(point, by=student, text="Changed")

    def test_not_once_the_other_side_added_a_point(self, checkin, point, student, mentor):
        checkins.add_agenda_item(checkin, by=mentor, text="Re scope: let's fix it")
        with pytest.raises(Conflict) as caught:
            checkins.edit_agenda_item(point, by=student, text="Changed")
        assert caught.value.code == "already_answered"
        with pytest.raises(Conflict):
            checkins.delete_agenda_item(point, by=student)

    def test_not_once_the_checkin_was_held(self, active_engagement, checkin, point, student):
        set_dates(
            active_engagement,
            local_today(active_engagement) - datetime.timedelta(days=1),
            local_today(active_engagement) + datetime.timedelta(days=20),
        )
        checkin = move_to_past(checkin)
        checkins.record_outcome(checkin, by=student, outcome="held")
        with pytest.raises(Conflict) as caught:
            checkins.edit_agenda_item(point, by=student, text="Changed")
        assert caught.value.code == "checkin_closed"

    @pytest.mark.parametrize("who", ["mentor", "staff", "outsider"])
    def test_only_the_author(self, request, point, who):
        person = request.getfixturevalue(who)
        with pytest.raises(Refused):
            checkins.edit_agenda_item(point, by=person, text="Mine now")
        with pytest.raises(Refused):
            checkins.delete_agenda_item(point, by=person)
        assert AgendaItem.objects.get().text == "Scope of the survey"


class TestPages:
    def test_the_author_sees_the_forms_and_edits(
        self, client_for, active_engagement, update, student, mentor
    ):
        client = client_for(student)
        edit = reverse("progress:edit", args=[active_engagement.pk, update.pk])
        page = client.get(reverse("progress:list", args=[active_engagement.pk])).content.decode()
        assert f'href="{edit}"' in page
        mentor_page = client_for(mentor).get(reverse("progress:list", args=[active_engagement.pk]))
        assert f'href="{edit}"' not in mentor_page.content.decode()
        form = client.get(edit)
        assert form.status_code == 200 and "Read the brief" in form.content.decode()

        prefix = f"edit-{update.pk}"
        bad = client.post(edit, {f"{prefix}-done": "", f"{prefix}-hours": "3"})
        assert bad.status_code == 422 and "There is a problem" in bad.content.decode()
        response = client.post(edit, {f"{prefix}-done": "Read it twice", f"{prefix}-hours": "3"})
        assert response.status_code == 302
        assert ProgressUpdate.objects.get().done == "Read it twice"
        history = timeline_text(client_for(mentor), active_engagement)
        assert "edited a progress update" in history and "Read the brief" in history

    def test_others_are_refused(self, client_for, active_engagement, update, mentor, outsider):
        url = reverse("progress:edit", args=[active_engagement.pk, update.pk])
        data = {f"edit-{update.pk}-done": "Hijacked", f"edit-{update.pk}-hours": "1"}
        assert client_for(mentor).get(url).status_code == 403
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(mentor).post(url, data).status_code == 403
        assert client_for(outsider).post(url, data).status_code == 404
        remove = reverse("progress:remove", args=[active_engagement.pk, update.pk])
        assert client_for(mentor).post(remove).status_code == 403
        assert ProgressUpdate.objects.get().done == "Read the brief"

    def test_after_a_comment_the_form_is_gone_and_a_post_is_told_why(
        self, client_for, active_engagement, update, student, mentor
    ):
        progress.comment_on_update(update, by=mentor, body="Good")
        client = client_for(student)
        edit = reverse("progress:edit", args=[active_engagement.pk, update.pk])
        page = client.get(reverse("progress:list", args=[active_engagement.pk])).content.decode()
        assert f'href="{edit}"' not in page
        assert client.get(edit).status_code == 302
        response = client.post(
            reverse("progress:remove", args=[active_engagement.pk, update.pk]), follow=True
        )
        assert "has commented on this update" in response.content.decode()
        assert ProgressUpdate.objects.exists()

    def test_agenda_point_edit_and_delete(
        self, client_for, active_engagement, checkin, point, student, mentor
    ):
        client = client_for(student)
        detail = reverse("checkins:detail", args=[active_engagement.pk, checkin.pk])
        assert "Edit or delete" in client.get(detail).content.decode()
        assert "Edit or delete" not in client_for(mentor).get(detail).content.decode()
        edit = reverse("checkins:agenda_edit", args=[active_engagement.pk, checkin.pk, point.pk])
        assert client_for(mentor).post(edit, {f"point-{point.pk}-text": "X"}).status_code == 403
        assert client.post(edit, {f"point-{point.pk}-text": "Scope, v2"}).status_code == 302
        assert AgendaItem.objects.get().text == "Scope, v2"
        remove = reverse(
            "checkins:agenda_remove", args=[active_engagement.pk, checkin.pk, point.pk]
        )
        assert client.post(remove).status_code == 302
        assert not AgendaItem.objects.exists()
        assert "deleted an agenda point" in timeline_text(client_for(mentor), active_engagement)


class TestApi:
    def test_patch_and_delete_an_update(self, api_client_for, active_engagement, update, student):
        client = api_client_for(student)
        url = f"{API}/{active_engagement.pk}/updates/{update.pk}"
        response = client.patch(url, {"hours": "4"}, content_type="application/json")
        assert response.status_code == 200
        body = response.json()
        assert (body["done"], body["hours"]) == ("Read the brief", "4")
        assert body["edited_at"] is not None
        assert client.delete(url).status_code == 204
        assert not ProgressUpdate.objects.exists()

    def test_others_and_answered_updates_are_refused(
        self, api_client_for, active_engagement, update, student, mentor, outsider
    ):
        url = f"{API}/{active_engagement.pk}/updates/{update.pk}"
        patch = {"done": "Hijacked"}
        response = api_client_for(mentor).patch(url, patch, content_type="application/json")
        assert response.status_code == 403
        assert api_client_for(outsider).delete(url).status_code == 404
        progress.comment_on_update(update, by=mentor, body="Good")
        response = api_client_for(student).patch(url, patch, content_type="application/json")
        assert (response.status_code, response.json()["code"]) == (409, "already_answered")

    def test_patch_and_delete_an_agenda_point(
        self, api_client_for, active_engagement, checkin, point, student, mentor
    ):
        url = f"{API}/{active_engagement.pk}/checkins/{checkin.pk}/agenda/{point.pk}"
        refused = api_client_for(mentor).patch(url, {"text": "X"}, content_type="application/json")
        assert (refused.status_code, refused.json()["code"]) == (403, "not_author")
        client = api_client_for(student)
        response = client.patch(url, {"text": "Scope, v2"}, content_type="application/json")
        assert response.status_code == 200
        [item] = response.json()["agenda"]
        assert item["text"] == "Scope, v2" and item["edited_at"] is not None
        assert client.delete(url).status_code == 204
        assert not AgendaItem.objects.exists()


def test_the_timeline_groups_the_edits_with_their_section():
    assert timeline.GROUP_OF[Kind.UPDATE_EDITED] == "updates"
    assert timeline.GROUP_OF[Kind.AGENDA_ITEM_DELETED] == "checkins"


def test_the_edit_page_keeps_a_fixed_query_budget(
    client_for, active_engagement, update, student, django_assert_max_num_queries
):
    client = client_for(student)
    url = reverse("progress:edit", args=[active_engagement.pk, update.pk])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
