"""Applying to a project: the service's rules, and the page that shows them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from practicum.core.errors import Conflict, Refused
from practicum.engagements import services
from practicum.engagements.models import Application
from practicum.projects.models import Project
from tests.factories import ApplicationFactory

from .conftest import days

pytestmark = pytest.mark.django_db

PITCH = "I cleaned and coded 500 survey answers for my thesis."


def apply(project, by, **changes):
    data = {"pitch": PITCH, "availability_confirmed": True, "answers": []} | changes
    return services.apply_to_project(project, by=by, **data)


def messages_of(exc: ValidationError) -> dict[str, list[str]]:
    return {
        field: [m for e in errors for m in e.messages] for field, errors in exc.error_dict.items()
    }


class TestApplyService:
    def test_a_student_applies(self, project, student):
        project.screening_questions = ["Which tools do you use?"]
        project.save()

        application = apply(project, student, pitch=f"  {PITCH}\r\n", answers=[" pandas "])

        assert application.status == Application.Status.SUBMITTED
        assert application.pitch == PITCH
        assert application.answers == ["pandas"]
        assert application.availability_confirmed is True

    def test_once_per_project(self, project, student):
        apply(project, student)

        with pytest.raises(Conflict) as caught:
            apply(project, student)

        assert caught.value.code == "already_applied"
        assert caught.value.message == "You have already applied to this project."
        assert Application.objects.count() == 1

    def test_a_twin_request_that_loses_the_race_gets_the_same_conflict(
        self, project, student, monkeypatch
    ):
        # Both requests passed the "already applied?" check; the unique constraint decides.
        original = Application.objects.create

        def create_after_twin(**fields):
            original(**fields)
            raise IntegrityError("UNIQUE constraint failed")

        monkeypatch.setattr(Application.objects, "create", create_after_twin)

        with pytest.raises(Conflict) as caught:
            apply(project, student)

        assert caught.value.code == "already_applied"

    def test_the_unique_constraint_backs_the_rule(self, application):
        with pytest.raises(IntegrityError):
            Application.objects.create(
                project=application.project, student=application.student, pitch="Again"
            )

    @pytest.mark.parametrize(
        ("change", "reason"),
        [
            ({"application_deadline": days(-1)}, "The application deadline has passed"),
            (
                {
                    "status": Project.Status.CLOSED,
                    "closed_reason": Project.ClosedReason.FULL,
                    "places_taken": 1,
                },
                "All places are filled",
            ),
            (
                {"status": Project.Status.CLOSED, "closed_reason": Project.ClosedReason.MANUAL},
                "Closed by the organization",
            ),
            ({"status": Project.Status.ARCHIVED}, "This project is archived."),
            ({"status": Project.Status.DRAFT}, "This project is draft."),
        ],
        ids=["deadline", "full", "closed", "archived", "draft"],
    )
    def test_not_while_the_project_takes_no_applications(self, project, student, change, reason):
        Project.objects.filter(pk=project.pk).update(**change)
        project.refresh_from_db()

        with pytest.raises(Conflict) as caught:
            apply(project, student)

        assert caught.value.code == "not_accepting"
        assert caught.value.message == f"This project is not taking applications: {reason}"
        assert not Application.objects.exists()

    def test_the_deadline_day_itself_is_fine(self, project, student):
        Project.objects.filter(pk=project.pk).update(application_deadline=days(0))
        project.refresh_from_db()

        apply(project, student)

    def test_only_students(self, project, owner, mentor):
        for person in (owner, mentor):
            with pytest.raises(Refused) as caught:
                apply(project, person)
            assert caught.value.code == "students_only"
        assert not Application.objects.exists()

    def test_the_pitch_is_required_and_at_most_2000_characters(self, project, student):
        with pytest.raises(ValidationError) as caught:
            apply(project, student, pitch="   ")
        assert messages_of(caught.value) == {"pitch": ["This field is required."]}

        with pytest.raises(ValidationError) as caught:
            apply(project, student, pitch="x" * 2001)
        assert messages_of(caught.value) == {
            "pitch": ["At most 2,000 characters (this has 2,001)."]
        }

        # CRLF counts as one character, as the browser counted it.
        apply(project, student, pitch="x\r\n" * 666 + "x")

    def test_availability_must_be_confirmed(self, project, student):
        with pytest.raises(ValidationError) as caught:
            apply(project, student, availability_confirmed=False)

        assert messages_of(caught.value) == {
            "availability_confirmed": [
                "Confirm that you can work the project's hours on its dates."
            ]
        }

    def test_every_screening_question_needs_an_answer(self, project, student):
        project.screening_questions = ["Which tools?", "Why us?"]
        project.save()

        with pytest.raises(ValidationError) as caught:
            apply(project, student, answers=["pandas"])
        assert messages_of(caught.value) == {"answers": ["Answer question 2 (“Why us?”)."]}

        with pytest.raises(ValidationError) as caught:
            apply(project, student, answers=["pandas", "Fun", "Extra"])
        assert messages_of(caught.value) == {
            "answers": ["This project asks 2 question(s); you sent 3 answers."]
        }

    def test_every_problem_is_reported_at_once(self, project, student):
        project.screening_questions = ["Which tools?"]
        project.save()

        with pytest.raises(ValidationError) as caught:
            apply(project, student, pitch="", availability_confirmed=False, answers=[])

        assert set(caught.value.error_dict) == {"pitch", "availability_confirmed", "answers"}


class TestApplyPage:
    def url(self, project):
        return reverse("engagements:apply", args=[project.pk])

    def test_url(self):
        assert reverse("engagements:apply", args=[7]) == "/projects/7/apply/"

    def test_the_form_shows_the_questions_and_the_commitment(self, client_for, student, project):
        project.screening_questions = ["Which tools do you use?"]
        project.save()

        response = client_for(student).get(self.url(project))

        html = response.content.decode()
        assert response.status_code == 200
        assert "Which tools do you use?" in html
        assert f"I can work 10 hours a week from {project.starts_on:%-d %b %Y}" in html
        assert "Send application" in html

    def test_applying_leads_to_the_application(self, client_for, student, project):
        project.screening_questions = ["Which tools do you use?"]
        project.save()

        response = client_for(student).post(
            self.url(project),
            {"pitch": PITCH, "availability_confirmed": "on", "answer_1": "pandas"},
            follow=True,
        )

        application = Application.objects.get()
        assert response.redirect_chain[-1][0] == f"/applications/{application.pk}/"
        assert application.answers == ["pandas"]
        assert "is sent" in response.content.decode()

    def test_mistakes_are_shown_next_to_the_fields(self, client_for, student, project):
        project.screening_questions = ["Which tools do you use?"]
        project.save()

        response = client_for(student).post(self.url(project), {"pitch": "x" * 2001})

        html = response.content.decode()
        assert response.status_code == 200
        assert "Ensure this value has at most 2000 characters (it has 2001)." in html
        assert "Answer this question." in html
        assert "Confirm that you can work the project&#x27;s hours on its dates." in html
        assert not Application.objects.exists()

    def test_applying_twice_leads_to_the_first_application(self, client_for, student, project):
        first = ApplicationFactory(project=project, student=student)

        response = client_for(student).get(self.url(project))

        assert response.status_code == 302
        assert response["Location"] == f"/applications/{first.pk}/"

    def test_a_closed_project_says_why(self, client_for, student, project):
        Project.objects.filter(pk=project.pk).update(application_deadline=days(-1))

        for method in ("get", "post"):
            response = getattr(client_for(student), method)(self.url(project))
            assert response.status_code == 409
            assert "The application deadline has passed" in response.content.decode()
        assert not Application.objects.exists()

    def test_a_draft_does_not_exist(self, client_for, student, project):
        Project.objects.filter(pk=project.pk).update(status=Project.Status.DRAFT)

        assert client_for(student).get(self.url(project)).status_code == 404

    def test_no_such_project(self, client_for, student):
        assert client_for(student).get("/projects/999999/apply/").status_code == 404

    def test_non_students_are_told(self, client_for, owner, project):
        response = client_for(owner).post(self.url(project), {"pitch": PITCH})

        assert response.status_code == 403
        assert "Only student accounts can apply" in response.content.decode()
        assert not Application.objects.exists()

    def test_anonymous_visitors_log_in_first(self, client, project):
        response = client.post(self.url(project), {"pitch": PITCH})

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert not Application.objects.exists()
