"""Deleting an account: re-authenticated, final, and fair to the other side."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from practicum.accounts import services as accounts
from practicum.accounts.models import ApiToken, Membership, User
from practicum.core.errors import Conflict
from practicum.credentials.models import Credential
from practicum.engagements.models import Application, Signature
from practicum.notifications.models import Notification
from practicum.workspace.checkins import selectors as calendar
from practicum.workspace.messaging.models import Message
from tests.factories import MembershipFactory

PASSWORD = "correct horse battery"


@pytest.fixture
def with_password():
    def set_(user):
        user.set_password(PASSWORD)
        user.save()
        return user

    return set_


def test_a_wrong_password_changes_nothing(student, with_password):
    with_password(student)
    with pytest.raises(ValidationError) as refused:
        accounts.delete_account(student, password="guess")
    assert refused.value.message_dict == {"password": ["That is not your password."]}
    student.refresh_from_db()
    assert student.is_active and student.name != accounts.FORMER_MEMBER


def test_what_they_wrote_stays_for_the_other_side_as_a_former_member(
    history, student, mentor, with_password
):
    with_password(student)
    accounts.create_api_token(student, name="script")
    feed_path = calendar.feed_of(student).path
    accounts.delete_account(student, password=PASSWORD)

    student.refresh_from_db()
    assert not student.is_active and not student.has_usable_password()
    assert student.name == "Former member" and "deleted.invalid" in student.email
    assert not ApiToken.objects.filter(user=student).exists()
    assert not Notification.objects.filter(recipient=student).exists()
    profile = student.student_profile
    assert profile.headline == "" and not profile.skills.exists() and not profile.discoverable
    # The mentor still has the thread and the signed agreement, without the student's name.
    assert Message.objects.filter(engagement=history, author=student).exists()
    assert set(Signature.objects.filter(user=student).values_list("full_name", flat=True)) == {
        "Former member"
    }
    # Credentials stay verifiable unless the student asked otherwise.
    assert Credential.objects.filter(student=student, revoked_at__isnull=True).exists()
    assert calendar.user_for_feed(feed_path.rstrip("/").split("/")[-1].removesuffix(".ics")) is None


def test_credentials_are_revoked_when_asked(history, student, with_password):
    with_password(student)
    accounts.delete_account(student, password=PASSWORD, revoke_credentials=True)
    assert not Credential.objects.filter(student=student, revoked_at__isnull=True).exists()


def test_open_applications_are_withdrawn(application, student, with_password):
    with_password(student)
    accounts.delete_account(student, password=PASSWORD)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_an_engagement_in_progress_must_be_finished_first(
    active_engagement, student, with_password
):
    with_password(student)
    with pytest.raises(Conflict) as refused:
        accounts.delete_account(student, password=PASSWORD)
    assert refused.value.code == "engagement_in_progress"
    assert User.objects.get(pk=student.pk).is_active


def test_the_last_owner_hands_the_organization_over_first(owner, with_password):
    with_password(owner)
    with pytest.raises(Conflict) as refused:
        accounts.delete_account(owner, password=PASSWORD)
    assert refused.value.code == "last_owner"
    organization = Membership.objects.get(user=owner).organization
    MembershipFactory(organization=organization, role=Membership.Role.OWNER)
    accounts.delete_account(owner, password=PASSWORD)
    assert not Membership.objects.filter(user=owner).exists()


def test_the_page_re_authenticates_logs_out_and_says_so(client, student, with_password):
    with_password(student)
    client.force_login(student)
    url = reverse("privacy:delete_account")
    wrong = client.post(url, {"password": "guess", "confirm": "on"})
    assert wrong.status_code == 422 and "That is not your password." in wrong.content.decode()
    unconfirmed = client.post(url, {"password": PASSWORD})
    assert unconfirmed.status_code == 422 and "Tick the box" in unconfirmed.content.decode()
    done = client.post(url, {"password": PASSWORD, "confirm": "on"}, follow=True)
    assert "Your account is deleted" in done.content.decode()
    assert client.get(reverse("privacy:data")).status_code == 302  # logged out


def test_other_sessions_die_with_the_account(client, student, with_password):
    with_password(student)
    client.force_login(student)
    assert client.get(reverse("privacy:data")).status_code == 200
    accounts.delete_account(student, password=PASSWORD)
    assert client.get(reverse("privacy:data")).status_code == 302


def test_the_page_warns_the_last_owner(client, owner):
    client.force_login(owner)
    page = client.get(reverse("privacy:delete_account")).content.decode()
    assert "You are the only owner of" in page


def test_the_api_deletes_and_the_token_dies_at_once(client, student, with_password):
    with_password(student)
    _, raw = accounts.create_api_token(student, name="script", scope=ApiToken.Scope.WRITE)
    headers = {"Authorization": f"Bearer {raw}"}
    wrong = client.post(
        "/api/v1/me/delete", {"password": "guess"}, content_type="application/json", headers=headers
    )
    assert wrong.status_code == 422 and "password" in wrong.json()["fields"]
    done = client.post(
        "/api/v1/me/delete",
        {"password": PASSWORD},
        content_type="application/json",
        headers=headers,
    )
    assert done.status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
