"""Several applicants at once: shortlist, reject with an editable template, or message them;
only the organization's own applicants, each one moved in its own transaction with its
notification, and hostile input refused with nothing changed."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from practicum.accounts.models import User
from practicum.core.errors import Refused
from practicum.engagements import notices, services
from practicum.engagements.models import Application
from practicum.notifications.models import Notification
from tests.factories import ApplicationFactory, ProjectFactory, StudentFactory

from .conftest import make_offered

pytestmark = pytest.mark.django_db

API = "/api/v1"
S = Application.Status


@pytest.fixture
def three(project):
    return [
        ApplicationFactory(project=project, student=StudentFactory(name=name))
        for name in ("Ana Lopez", "Ben Okafor", "Chen Wei")
    ]


def statuses(applications) -> list[str]:
    return [Application.objects.get(pk=a.pk).status for a in applications]


def told(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def bulk_url(project):
    return f"{API}/projects/{project.pk}/applications/bulk"


def page_url(project, query=""):
    return reverse("engagements:applicants", args=[project.pk]) + query


class TestService:
    def test_shortlist_several_each_told(self, project, mentor, three):
        result = services.bulk_act(
            project, by=mentor, action="shortlist", application_ids=[a.pk for a in three[:2]]
        )

        assert [a.pk for a in result.done] == [three[0].pk, three[1].pk]
        assert result.skipped == []
        assert statuses(three) == [S.SHORTLISTED, S.SHORTLISTED, S.SUBMITTED]
        assert told("application_shortlisted") == {three[0].student_id, three[1].student_id}

    def test_reject_fills_the_template_for_each(self, project, owner, three):
        services.bulk_act(
            project,
            by=owner,
            action="reject",
            application_ids=[three[0].pk, three[2].pk],
            message=services.DEFAULT_REJECTION,
        )

        ana, _, chen = (Application.objects.get(pk=a.pk) for a in three)
        assert ana.status == chen.status == S.REJECTED
        assert ana.rejection_message.startswith("Dear Ana,")
        assert chen.rejection_message.startswith("Dear Chen,")
        assert f"“{project.title}”" in ana.rejection_message
        assert ana.rejection_message.endswith(project.organization.name)
        assert ana.answered_at is not None
        assert told("application_rejected") == {ana.student_id, chen.student_id}

    def test_the_template_reaches_nothing_but_its_three_values(self, project, owner, three):
        services.bulk_act(
            project,
            by=owner,
            action="reject",
            application_ids=[three[0].pk],
            message="{student.password} {student.__class__} {0} {student}",
        )

        message = Application.objects.get(pk=three[0].pk).rejection_message
        assert message == "{student.password} {student.__class__} {0} Ana"

    def test_message_them_by_notification_and_email(self, project, owner, three):
        result = services.bulk_act(
            project,
            by=owner,
            action="message",
            application_ids=[a.pk for a in three],
            message="Hi {student}, interviews are next week.",
        )

        assert len(result.done) == 3
        assert statuses(three) == [S.SUBMITTED] * 3  # a message moves nothing
        note = Notification.objects.get(kind="applicant_message", recipient=three[1].student)
        assert note.context["text"] == "Hi Ben, interviews are next week."
        assert note.url == f"/applications/{three[1].pk}/"

    def test_those_the_action_does_not_fit_are_skipped_with_why(self, project, owner, three):
        Application.objects.filter(pk=three[0].pk).update(status=S.REJECTED)
        Application.objects.filter(pk=three[1].pk).update(status=S.WITHDRAWN)

        shortlisted = services.bulk_act(
            project, by=owner, action="shortlist", application_ids=[a.pk for a in three]
        )
        messaged = services.bulk_act(
            project,
            by=owner,
            action="message",
            application_ids=[a.pk for a in three],
            message="Thank you",
        )

        assert [a.pk for a in shortlisted.done] == [three[2].pk]
        assert [(s.application.pk, s.code, s.status) for s in shortlisted.skipped] == [
            (three[0].pk, "illegal_transition", S.REJECTED),
            (three[1].pk, "illegal_transition", S.WITHDRAWN),
        ]
        assert [(s.application.pk, s.code) for s in messaged.skipped] == [
            (three[1].pk, "withdrawn")
        ]

    def test_rejecting_an_offer_rescinds_it_accepted_is_left(self, project, owner, three):
        make_offered(three[0])
        Application.objects.filter(pk=three[1].pk).update(status=S.ACCEPTED)

        result = services.bulk_act(
            project, by=owner, action="reject", application_ids=[three[0].pk, three[1].pk]
        )

        assert statuses(three[:2]) == [S.REJECTED, S.ACCEPTED]
        assert [s.status for s in result.skipped] == [S.ACCEPTED]

    def test_each_application_is_its_own_transaction_with_its_notification(
        self, project, owner, three, monkeypatch
    ):
        real = notices.shortlisted

        def fails_for_the_second(application):
            if application.pk == three[1].pk:
                raise RuntimeError("the mail queue is down")
            real(application)

        monkeypatch.setattr(notices, "shortlisted", fails_for_the_second)

        with pytest.raises(RuntimeError):
            services.bulk_act(
                project, by=owner, action="shortlist", application_ids=[a.pk for a in three]
            )

        # The first stays shortlisted and told; the second's move went with its notification.
        assert statuses(three) == [S.SHORTLISTED, S.SUBMITTED, S.SUBMITTED]
        assert told("application_shortlisted") == {three[0].student_id}

    @pytest.mark.parametrize("who", ["outsider", "student", "superuser"])
    def test_only_the_organization(self, request, project, three, who):
        if who == "superuser":
            user = User.objects.create_superuser("root@example.com", "pw", name="Root")
        else:
            user = request.getfixturevalue(who)

        with pytest.raises(Refused):
            services.bulk_act(
                project, by=user, action="shortlist", application_ids=[a.pk for a in three]
            )

        assert statuses(three) == [S.SUBMITTED] * 3

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"action": "delete"}, "action"),
            ({"application_ids": []}, "application_ids"),
            ({"application_ids": "1,2"}, "application_ids"),
            ({"application_ids": [True]}, "application_ids"),
            ({"application_ids": list(range(1, 102))}, "application_ids"),
            ({"action": "message", "message": "  "}, "message"),
            ({"action": "reject", "message": "x" * 2001}, "message"),
        ],
    )
    def test_bad_input_changes_nothing(self, project, owner, three, data, field):
        arguments = {"action": "shortlist", "application_ids": [three[0].pk], **data}

        with pytest.raises(ValidationError) as caught:
            services.bulk_act(project, by=owner, **arguments)

        assert field in caught.value.message_dict
        assert statuses(three) == [S.SUBMITTED] * 3

    def test_another_projects_application_refuses_the_whole_request(
        self, project, owner, organization, three
    ):
        # The same organization's other project: still not this list.
        elsewhere = ApplicationFactory(project=ProjectFactory(organization=organization))

        with pytest.raises(ValidationError) as caught:
            services.bulk_act(
                project,
                by=owner,
                action="shortlist",
                application_ids=[three[0].pk, elsewhere.pk],
            )

        assert caught.value.message_dict == {
            "application_ids": [f"Not applications to this project: {elsewhere.pk}."]
        }
        assert statuses([three[0], elsewhere]) == [S.SUBMITTED, S.SUBMITTED]


class TestPage:
    def test_the_form_with_a_courteous_default_and_a_checkbox_each(
        self, client_for, owner, project, three
    ):
        html = client_for(owner).get(page_url(project)).content.decode()

        assert '<form method="post" id="bulk"' in html
        assert "Select all on this page" in html
        assert html.count('name="applications"') == 3
        assert "Thank you for applying to “{project}”" in html

    def test_shortlist_two_and_hear_how_many(self, client_for, owner, project, three):
        client = client_for(owner)
        query = "?sort=oldest"

        response = client.post(
            page_url(project, query),
            {"action": "shortlist", "applications": [three[0].pk, three[1].pk]},
        )

        assert response.status_code == 302
        assert response["Location"] == page_url(project, query)
        assert statuses(three) == [S.SHORTLISTED, S.SHORTLISTED, S.SUBMITTED]
        html = client.get(response["Location"]).content.decode()
        assert "2 applicants shortlisted." in html

    def test_skipped_ones_are_named_with_why(self, client_for, owner, project, three):
        Application.objects.filter(pk=three[0].pk).update(status=S.REJECTED)
        client = client_for(owner)

        response = client.post(
            page_url(project),
            {"action": "shortlist", "applications": [three[0].pk, three[1].pk]},
            follow=True,
        )

        html = response.content.decode()
        assert "1 applicant shortlisted." in html
        assert "1 left as it was (Ana Lopez: their application is “Not selected”)." in html

    def test_reject_with_the_edited_template(self, client_for, owner, project, three):
        client_for(owner).post(
            page_url(project),
            {
                "action": "reject",
                "applications": [three[2].pk],
                "rejection": "Thank you {student}; the places went to others.",
                "message": "not this one",
            },
        )

        chen = Application.objects.get(pk=three[2].pk)
        assert (chen.status, chen.rejection_message) == (
            S.REJECTED,
            "Thank you Chen; the places went to others.",
        )

    @pytest.mark.parametrize(
        "data",
        [
            {"action": "shortlist", "applications": ["abc"]},
            {"action": "shortlist", "applications": ["99999999999999999999"]},
            {"action": "shortlist"},
            {"action": "explode", "applications": ["1"]},
            {"action": "message", "applications": ["1"], "message": ""},
            {"action": "shortlist", "applications": [str(i) for i in range(1, 102)]},
        ],
    )
    def test_bad_input_shows_the_form_again(self, client_for, owner, project, three, data):
        response = client_for(owner).post(page_url(project), data)

        assert response.status_code == 422
        assert "There is a problem" in response.content.decode()
        assert statuses(three) == [S.SUBMITTED] * 3

    def test_an_unknown_id_is_a_form_error(self, client_for, owner, project, three):
        other = ApplicationFactory()

        response = client_for(owner).post(
            page_url(project), {"action": "shortlist", "applications": [three[0].pk, other.pk]}
        )

        assert response.status_code == 422
        assert f"Not applications to this project: {other.pk}." in response.content.decode()
        assert statuses([three[0], other]) == [S.SUBMITTED, S.SUBMITTED]

    @pytest.mark.parametrize("who", ["outsider", "student", "superuser"])
    def test_others_get_a_404_and_nothing_changes(self, request, client_for, project, three, who):
        if who == "superuser":
            user = User.objects.create_superuser("root@example.com", "pw", name="Root")
        else:
            user = request.getfixturevalue(who)

        response = client_for(user).post(
            page_url(project), {"action": "shortlist", "applications": [three[0].pk]}
        )

        assert response.status_code == 404
        assert statuses(three) == [S.SUBMITTED] * 3


class TestApi:
    def test_shortlist_and_the_facts_back(self, api_client_for, mentor, project, three):
        Application.objects.filter(pk=three[2].pk).update(status=S.REJECTED)

        response = post_json(
            api_client_for(mentor),
            bulk_url(project),
            {"action": "shortlist", "application_ids": [a.pk for a in three]},
        )

        assert response.status_code == 200
        assert response.json() == {
            "action": "shortlist",
            "done": [three[0].pk, three[1].pk],
            "skipped": [
                {"application_id": three[2].pk, "code": "illegal_transition", "status": "rejected"}
            ],
        }
        assert told("application_shortlisted") == {three[0].student_id, three[1].student_id}

    def test_message(self, api_client_for, owner, project, three):
        response = post_json(
            api_client_for(owner),
            bulk_url(project),
            {"action": "message", "application_ids": [three[0].pk], "message": "Hello {student}"},
        )

        assert response.json()["done"] == [three[0].pk]
        assert Notification.objects.get(kind="applicant_message").context["text"] == "Hello Ana"

    @pytest.mark.parametrize(
        "body",
        [
            {"action": "shortlist", "application_ids": ["1"]},
            {"action": "shortlist", "application_ids": [True]},
            {"action": "shortlist", "application_ids": [1.5]},
            {"action": "shortlist", "application_ids": [0]},
            {"action": "shortlist", "application_ids": [2**70]},
            {"action": "shortlist", "application_ids": "1"},
            {"action": "shortlist", "application_ids": []},
            {"action": "shortlist", "application_ids": list(range(1, 102))},
            {"action": "shortlist", "application_ids": [1], "extra": 1},
            {"action": 3, "application_ids": [1]},
            {"action": "delete", "application_ids": [1]},
            {"action": "message", "application_ids": [1]},
            {"application_ids": [1]},
        ],
    )
    def test_hostile_bodies_get_a_422_and_change_nothing(
        self, api_client_for, owner, project, three, body
    ):
        response = post_json(api_client_for(owner), bulk_url(project), body)

        assert response.status_code == 422
        assert set(response.json()) == {"code", "message", "fields"}
        assert statuses(three) == [S.SUBMITTED] * 3

    def test_unknown_ids_get_a_422_and_change_nothing(self, api_client_for, owner, project, three):
        response = post_json(
            api_client_for(owner),
            bulk_url(project),
            {"action": "shortlist", "application_ids": [three[0].pk, 10**9]},
        )

        assert response.status_code == 422
        assert "application_ids" in response.json()["fields"]
        assert statuses(three) == [S.SUBMITTED] * 3

    @pytest.mark.parametrize("who", ["outsider", "student", "superuser"])
    def test_others_get_a_404(self, request, api_client_for, project, three, who):
        if who == "superuser":
            user = User.objects.create_superuser("root@example.com", "pw", name="Root")
        else:
            user = request.getfixturevalue(who)

        response = post_json(
            api_client_for(user),
            bulk_url(project),
            {"action": "shortlist", "application_ids": [three[0].pk]},
        )

        assert response.status_code == 404
        assert statuses(three) == [S.SUBMITTED] * 3
