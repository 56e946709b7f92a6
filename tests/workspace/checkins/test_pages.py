"""The check-ins pages: who sees and uses what, times in the viewer's zone, forms that keep what
was typed, and query budgets that do not grow with the number of check-ins."""

import datetime
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse

from practicum.engagements import agreements, lifecycle
from practicum.workspace.checkins import services
from practicum.workspace.checkins.models import CheckIn
from tests.factories import ApplicationFactory, ProjectFactory
from tests.fixtures_engagements import make_offered, sign_both
from tests.workspace.checkins.conftest import move_to_past

pytestmark = pytest.mark.django_db

READERS = ["student", "mentor", "owner"]
STRANGERS = ["other_mentor", "outsider", "other_student", "other_staff", "staff"]


def list_url(engagement):
    return reverse("checkins:list", args=[engagement.pk])


def url(name, checkin):
    return reverse(f"checkins:{name}", args=[checkin.engagement_id, checkin.pk])


def html(response) -> str:
    return response.content.decode()


class TestList:
    @pytest.mark.parametrize("who", READERS)
    def test_readers_see_the_check_ins(self, request, engagement, checkins, client_for, who):
        response = client_for(request.getfixturevalue(who)).get(list_url(engagement))

        assert response.status_code == 200
        page = html(response)
        assert "Upcoming check-ins" in page
        for checkin in checkins:
            assert url("detail", checkin) in page
        assert reverse("checkins:calendar") in page
        assert reverse("checkins:engagement_ics", args=[engagement.pk]) in page

    @pytest.mark.parametrize("who", STRANGERS)
    def test_strangers_get_404(self, request, engagement, client_for, who):
        client = client_for(request.getfixturevalue(who))
        assert client.get(list_url(engagement)).status_code == 404

    def test_anonymous_is_sent_to_log_in(self, engagement):
        response = Client().get(list_url(engagement))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_times_are_in_the_viewers_zone(self, engagement, checkin, student, client_for):
        student.timezone = "America/New_York"
        student.save()
        local = checkin.scheduled_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))

        page = html(client_for(student).get(list_url(engagement)))

        assert local.strftime("%H:%M") in page
        assert "America/New_York" in page
        # The organization (UTC here) sees its own wall-clock time next to it.
        assert "10:00 UTC for the organization" in page

    def test_past_check_ins_are_listed_apart_and_ask_for_an_outcome(
        self, engagement, past_checkin, mentor, client_for
    ):
        response = client_for(mentor).get(list_url(engagement))

        schedule = response.context["schedule"]
        assert schedule.past == [past_checkin]
        assert past_checkin not in schedule.upcoming
        assert "1 check-in still needs an outcome" in html(response)

    def test_a_pending_engagement_says_when_check_ins_come(
        self, pending_engagement, student, client_for
    ):
        page = html(client_for(student).get(list_url(pending_engagement)))
        assert "once both sides have signed" in page

    def test_query_budget_does_not_grow_with_check_ins(
        self, engagement, checkins, student, mentor, client_for, django_assert_max_num_queries
    ):
        client = client_for(mentor)
        for checkin in checkins:
            services.add_agenda_item(checkin, by=student, text="A point")
            services.reschedule(
                checkin,
                by=student,
                to=checkin.scheduled_at + datetime.timedelta(hours=1),
                reason="Moved",
            )
        services.schedule(
            engagement,
            {
                "starts_on": "2030-01-01",
                "ends_on": "2030-12-31",
                "checkin_cadence": "twice_weekly",
                "checkin_weekday": 0,
                "checkin_time": "09:00",
            },
        )
        assert CheckIn.objects.filter(engagement=engagement).count() > 100
        # Two of them read the engagement's usual check-in place (for the rows, for the form).
        with django_assert_max_num_queries(12):
            response = client.get(list_url(engagement))
        assert response.status_code == 200


class TestDetail:
    @pytest.mark.parametrize("who", READERS)
    def test_readers_see_it(self, request, checkin, client_for, who):
        response = client_for(request.getfixturevalue(who)).get(url("detail", checkin))

        assert response.status_code == 200
        page = html(response)
        assert "Agenda" in page and "Shared notes" in page
        assert "Add to the agenda" in page
        assert "Move this check-in" in page

    @pytest.mark.parametrize("who", STRANGERS)
    def test_strangers_get_404(self, request, checkin, client_for, who):
        response = client_for(request.getfixturevalue(who)).get(url("detail", checkin))
        assert response.status_code == 404

    def test_a_check_in_of_another_engagement_is_404(
        self, engagement, checkin, client_for, owner, mentor, other_student
    ):
        project = ProjectFactory(organization=engagement.project.organization, mentor=mentor)
        offered = make_offered(ApplicationFactory(project=project, student=other_student))
        from practicum.engagements import services as engagement_services

        other = sign_both(
            engagement_services.accept_offer(offered, by=other_student), other_student, mentor
        )
        foreign = CheckIn.objects.filter(engagement=other).first()
        response = client_for(owner).get(
            reverse("checkins:detail", args=[engagement.pk, foreign.pk])
        )
        assert response.status_code == 404

    def test_outcome_form_only_once_its_time_has_come(self, checkin, mentor, client_for):
        client = client_for(mentor)
        assert "Record the outcome" not in html(client.get(url("detail", checkin)))
        move_to_past(checkin)
        assert "Record the outcome" in html(client.get(url("detail", checkin)))

    def test_shows_notes_as_markdown_agenda_and_history(self, checkin, student, mentor, client_for):
        services.add_agenda_item(checkin, by=student, text="<b>Codebook</b>")
        services.update_notes(checkin, by=mentor, notes="**Decided**: 3 themes <script>x</script>")
        services.reschedule(
            checkin,
            by=student,
            to=checkin.scheduled_at + datetime.timedelta(hours=2),
            reason="Dentist",
        )

        page = html(client_for(student).get(url("detail", checkin)))

        assert "&lt;b&gt;Codebook&lt;/b&gt;" in page
        assert "<strong>Decided</strong>" in page
        assert "<script>x</script>" not in page
        assert f"Last edited by {mentor.name}" in page
        assert "Dentist" in page
        assert "Originally" in page

    def test_query_budget(
        self, checkin, student, mentor, client_for, django_assert_max_num_queries
    ):
        for n in range(20):
            services.add_agenda_item(checkin, by=student if n % 2 else mentor, text=f"Point {n}")
        for n in range(5):
            services.reschedule(
                checkin,
                by=student,
                to=checkin.scheduled_at + datetime.timedelta(hours=n + 1),
                reason=f"Move {n}",
            )
        client = client_for(mentor)
        with django_assert_max_num_queries(10):
            assert client.get(url("detail", checkin)).status_code == 200


class TestAgendaForm:
    def test_adds_a_point(self, checkin, student, client_for):
        response = client_for(student).post(url("agenda", checkin), {"agenda-text": "Timeline"})

        assert response.status_code == 302
        assert response["Location"] == url("detail", checkin)
        assert list(checkin.agenda.values_list("text", flat=True)) == ["Timeline"]

    def test_invalid_input_is_shown_with_what_was_typed(self, checkin, student, client_for):
        long = "y" * 501
        response = client_for(student).post(url("agenda", checkin), {"agenda-text": long})

        assert response.status_code == 422
        assert long in html(response)
        assert not checkin.agenda.exists()

    def test_career_staff_get_404(self, checkin, staff, client_for):
        response = client_for(staff).post(url("agenda", checkin), {"agenda-text": "Hi"})
        assert response.status_code == 404

    def test_other_mentor_gets_404(self, checkin, other_mentor, client_for):
        response = client_for(other_mentor).post(url("agenda", checkin), {"agenda-text": "Hi"})
        assert response.status_code == 404

    def test_anonymous_is_sent_to_log_in(self, checkin):
        response = Client().post(url("agenda", checkin), {"agenda-text": "Hi"})
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_a_closed_engagement_is_refused_with_a_message(self, checkin, student, client_for):
        agreements.cancel(checkin.engagement, by=student, reason="Sorry.")
        client = client_for(student)

        response = client.post(url("agenda", checkin), {"agenda-text": "Hi"}, follow=True)

        assert "read-only" in html(response)
        assert not checkin.agenda.exists()

    def test_get_is_not_allowed(self, checkin, student, client_for):
        assert client_for(student).get(url("agenda", checkin)).status_code == 405


class TestNotesForm:
    def test_saves_the_notes(self, checkin, mentor, client_for):
        response = client_for(mentor).post(
            url("notes", checkin), {"notes-notes": "- export", "notes-revision": 0}
        )
        assert response.status_code == 302
        checkin.refresh_from_db()
        assert (checkin.notes, checkin.notes_edited_by) == ("- export", mentor)

    def test_an_outdated_edit_comes_back_with_the_typed_text(
        self, checkin, student, mentor, client_for
    ):
        services.update_notes(checkin, by=mentor, notes="The mentor version")

        response = client_for(student).post(
            url("notes", checkin), {"notes-notes": "Student's version", "notes-revision": 0}
        )

        assert response.status_code == 409
        page = html(response)
        assert "Student&#x27;s version" in page  # kept in the form
        assert "The mentor version" in page  # and the other side's version shown
        assert "changed by someone else" in page
        form = response.context["notes_form"]
        assert form.data["notes-revision"] == 1  # saving again goes through
        checkin.refresh_from_db()
        assert checkin.notes == "The mentor version"

    def test_a_missing_revision_is_422(self, checkin, student, client_for):
        response = client_for(student).post(url("notes", checkin), {"notes-notes": "Hi"})
        assert response.status_code == 422


class TestOutcomeForm:
    def test_records_it(self, past_checkin, mentor, client_for):
        response = client_for(mentor).post(
            url("outcome", past_checkin),
            {"outcome-outcome": "missed", "outcome-missed_by": "student"},
        )
        assert response.status_code == 302
        past_checkin.refresh_from_db()
        assert (past_checkin.status, past_checkin.missed_by) == ("missed", "student")

    def test_missed_needs_by_whom(self, past_checkin, mentor, client_for):
        response = client_for(mentor).post(
            url("outcome", past_checkin), {"outcome-outcome": "missed"}
        )
        assert response.status_code == 422
        assert "Say who missed it." in html(response)

    def test_before_its_time_is_refused_with_a_message(self, checkin, mentor, client_for):
        response = client_for(mentor).post(
            url("outcome", checkin), {"outcome-outcome": "held"}, follow=True
        )
        assert "has not happened yet" in html(response)
        checkin.refresh_from_db()
        assert checkin.status == "scheduled"

    def test_twice_is_refused_with_a_message(self, past_checkin, mentor, student, client_for):
        services.record_outcome(past_checkin, by=student, outcome="held")
        response = client_for(mentor).post(
            url("outcome", past_checkin),
            {"outcome-outcome": "missed", "outcome-missed_by": "both"},
            follow=True,
        )
        assert "already" in html(response)
        past_checkin.refresh_from_db()
        assert past_checkin.status == "held"

    def test_career_staff_get_404(self, past_checkin, staff, client_for):
        response = client_for(staff).post(url("outcome", past_checkin), {"outcome-outcome": "held"})
        assert response.status_code == 404


class TestRescheduleForm:
    def test_the_time_typed_is_in_the_viewers_zone(self, checkin, student, client_for):
        student.timezone = "Asia/Tokyo"
        student.save()
        day = lifecycle.starts_on(checkin.engagement) + datetime.timedelta(days=3)

        response = client_for(student).post(
            url("reschedule", checkin),
            {"reschedule-scheduled_at": f"{day}T18:00", "reschedule-reason": "Lab session"},
        )

        assert response.status_code == 302
        checkin.refresh_from_db()
        assert checkin.scheduled_at == datetime.datetime.combine(
            day, datetime.time(9), tzinfo=datetime.UTC
        )  # 18:00 in Tokyo (UTC+9)

    @pytest.mark.parametrize(
        "data",
        [
            {"reschedule-scheduled_at": "2001-01-01T10:00", "reschedule-reason": "Old"},
            {"reschedule-scheduled_at": "next tuesday", "reschedule-reason": "Vague"},
            {"reschedule-scheduled_at": "2031-01-01T10:00", "reschedule-reason": ""},
        ],
    )
    def test_bad_input_is_422_with_what_was_typed(self, checkin, student, client_for, data):
        response = client_for(student).post(url("reschedule", checkin), data)

        assert response.status_code == 422
        if data["reschedule-reason"]:
            assert data["reschedule-reason"] in html(response)
        checkin.refresh_from_db()
        assert checkin.reschedule_count == 0

    def test_career_staff_get_404(self, checkin, staff, client_for):
        response = client_for(staff).post(
            url("reschedule", checkin),
            {"reschedule-scheduled_at": "2031-01-01T10:00", "reschedule-reason": "X"},
        )
        assert response.status_code == 404


class TestCalendarPage:
    def test_shows_the_feed_url_and_a_way_to_replace_it(self, student, client_for):
        response = client_for(student).get(reverse("checkins:calendar"))

        page = html(response)
        assert response.status_code == 200
        assert response.context["feed_url"] in page
        assert response.context["feed_url"].startswith("http://testserver/calendar/")
        assert reverse("checkins:regenerate_feed") in page

    def test_query_budget(self, student, client_for, django_assert_max_num_queries):
        client = client_for(student)
        with django_assert_max_num_queries(6):
            assert client.get(reverse("checkins:calendar")).status_code == 200
