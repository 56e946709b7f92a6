"""The progress updates page: hours against the agreed total, the student's form, comments."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from practicum.workspace.progress import services
from practicum.workspace.progress.models import ProgressComment, ProgressUpdate
from practicum.workspace.progress.selectors import PER_PAGE
from tests.workspace.progress.conftest import report, set_state

pytestmark = pytest.mark.django_db


def list_url(engagement):
    return reverse("progress:list", args=[engagement.pk])


def post_url(engagement):
    return reverse("progress:post", args=[engagement.pk])


def comment_url(engagement, update):
    return reverse("progress:comment", args=[engagement.pk, update.pk])


def update_ids(html):
    return [
        int(i) for i in re.findall(r'<article class="card progress-update" id="update-(\d+)"', html)
    ]


class TestListPage:
    def test_hours_against_the_agreed_total(self, client_for, engagement, student, mentor):
        first = report(engagement, student, hours="2.5", done="Read the **brief**")
        second = report(engagement, student, hours="10", blockers="No access to the data")
        services.comment_on_update(first, by=mentor, body="Good start")

        html = client_for(mentor).get(list_url(engagement)).content.decode()

        assert "<strong>12.5</strong> of 40 agreed hours reported" in html
        assert '<progress value="31" max="100"' in html
        assert "over the agreed" not in html
        assert update_ids(html) == [second.pk, first.pk]  # newest first
        assert "Read the <strong>brief</strong>" in html
        assert "No access to the data" in html
        assert "Good start" in html

    def test_a_warning_when_over(self, client_for, engagement, student):
        report(engagement, student, hours="30")
        report(engagement, student, hours="12.25")

        html = client_for(student).get(list_url(engagement)).content.decode()

        assert "<strong>42.25</strong> of 40 agreed hours reported" in html
        assert "2.25 hours over the agreed 40." in html

    def test_the_student_gets_the_form_the_mentor_comments(
        self, client_for, engagement, student, mentor
    ):
        update = report(engagement, student)

        as_student = client_for(student).get(list_url(engagement)).content.decode()
        as_mentor = client_for(mentor).get(list_url(engagement)).content.decode()

        assert f'action="{post_url(engagement)}"' in as_student
        assert f'action="{post_url(engagement)}"' not in as_mentor
        assert f'action="{comment_url(engagement, update)}"' in as_mentor
        assert f'action="{comment_url(engagement, update)}"' in as_student

    def test_read_only_once_completed(self, client_for, engagement, student):
        report(engagement, student)
        set_state(engagement, "completed")

        html = client_for(student).get(list_url(engagement)).content.decode()

        assert "updates are read-only" in html
        assert f'action="{post_url(engagement)}"' not in html

    @pytest.mark.parametrize("count", [3, 30])
    def test_fixed_query_budget(
        self, client_for, engagement, student, mentor, django_assert_max_num_queries, count
    ):
        for n in range(count):
            update = report(engagement, student, hours="1")
            if n % 2:
                services.comment_on_update(update, by=mentor, body="Noted")
                services.comment_on_update(update, by=student, body="Thanks")
        client = client_for(mentor)

        # Session, user, engagement, the updates' count and a page of them, their comments, the
        # hours' sum, agreement versions and their signatures, navigation (2).
        with django_assert_max_num_queries(12):
            response = client.get(list_url(engagement))

        # One page of them: test_paging.py goes through the others.
        assert len(update_ids(response.content.decode())) == min(count, PER_PAGE)


class TestPosting:
    def test_the_student_posts_an_update(self, client_for, engagement, student):
        response = client_for(student).post(
            post_url(engagement),
            {"done": "Coded the answers", "blockers": "", "next_steps": "Themes", "hours": "3.75"},
        )

        assert response.status_code == 302
        assert response["Location"] == list_url(engagement)
        update = ProgressUpdate.objects.get()
        assert (update.done, update.next_steps, str(update.hours)) == (
            "Coded the answers",
            "Themes",
            "3.75",
        )

    @pytest.mark.parametrize(
        ("data", "field", "error"),
        [
            ({"done": "Work", "hours": "-1"}, "hours", "Hours cannot be negative."),
            ({"done": "Work", "hours": "200"}, "hours", "At most 168 hours"),
            ({"done": "Work", "hours": "1.1"}, "hours", "Use quarter hours"),
            ({"done": "Work", "hours": "lots"}, "hours", "Enter a number."),
            ({"done": "", "hours": "1", "blockers": "Stuck on access"}, "done", "required"),
        ],
    )
    def test_bad_input_comes_back_with_what_was_typed(
        self, client_for, engagement, student, data, field, error
    ):
        response = client_for(student).post(post_url(engagement), data)

        html = response.content.decode()
        assert response.status_code == 422
        assert error in html
        for value in data.values():
            if value:
                assert value in html
        assert not ProgressUpdate.objects.exists()

    def test_the_mentor_may_not_post_an_update(self, client_for, engagement, mentor):
        response = client_for(mentor).post(post_url(engagement), {"done": "x", "hours": "1"})

        assert response.status_code == 403

    def test_after_completion_it_is_told(self, client_for, engagement, student):
        set_state(engagement, "completed")

        response = client_for(student).post(
            post_url(engagement), {"done": "x", "hours": "1"}, follow=True
        )

        assert "the workspace is read-only" in response.content.decode()
        assert not ProgressUpdate.objects.exists()


class TestCommenting:
    def test_the_mentor_comments(self, client_for, engagement, student, mentor):
        update = report(engagement, student)

        response = client_for(mentor).post(
            comment_url(engagement, update), {f"{update.pk}-body": "Try pandas for this."}
        )

        assert response.status_code == 302
        comment = ProgressComment.objects.get()
        assert (comment.update, comment.author, comment.side) == (update, mentor, "organization")

    def test_an_empty_comment_comes_back_on_its_update(
        self, client_for, engagement, student, mentor
    ):
        other, update = report(engagement, student), report(engagement, student)

        response = client_for(mentor).post(
            comment_url(engagement, update), {f"{update.pk}-body": " "}
        )

        html = response.content.decode()
        assert response.status_code == 422
        article = html[
            html.index(f'id="update-{update.pk}"') : html.index(f'id="update-{other.pk}"')
        ]
        assert "This field is required." in article

    def test_an_unknown_update_is_not_found(self, client_for, engagement, student, mentor):
        update = report(engagement, student)
        url = reverse("progress:comment", args=[engagement.pk, update.pk + 1000])

        assert client_for(mentor).post(url, {"body": "x"}).status_code == 404


class TestPermissions:
    @pytest.mark.parametrize(
        ("role", "read", "comment"),
        [
            ("student", 200, 302),
            ("mentor", 200, 302),
            ("owner", 200, 302),
            ("staff", 404, 404),
            ("other_mentor", 404, 404),
            ("outsider", 404, 404),
            ("other_student", 404, 404),
            ("other_staff", 404, 404),
        ],
    )
    def test_by_role(self, client_for, people, engagement, student, role, read, comment):
        update = report(engagement, student)
        client = client_for(people[role])

        assert client.get(list_url(engagement)).status_code == read
        response = client.post(comment_url(engagement, update), {f"{update.pk}-body": "Hi"})
        assert response.status_code == comment

    def test_career_staff_may_not_post_updates(self, client_for, engagement, staff):
        response = client_for(staff).post(post_url(engagement), {"done": "x", "hours": "1"})

        assert response.status_code == 404

    def test_anonymous_visitors_log_in_first(self, engagement):
        for response in (
            Client().get(list_url(engagement)),
            Client().post(post_url(engagement), {"done": "x", "hours": "1"}),
        ):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))


def test_admins_moderate_updates(admin_client, engagement, student, mentor):
    update = report(engagement, student, done="Visible to moderators")
    services.comment_on_update(update, by=mentor, body="A comment")

    assert admin_client.get("/admin/progress/progressupdate/").status_code == 200
    page = admin_client.get(f"/admin/progress/progressupdate/{update.pk}/change/")
    assert "Visible to moderators" in page.content.decode()
    assert "A comment" in page.content.decode()
