import re

import pytest
from django.urls import reverse
from django.utils import timezone

from practicum.accounts import services
from practicum.accounts.models import InstitutionStaff, Invitation, Membership, User
from practicum.core.errors import Conflict, Refused
from tests.factories import (
    PASSWORD,
    InstitutionStaffFactory,
    MembershipFactory,
    StudentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def org_of(user):
    return user.memberships.get().organization


def invitation_link(mailoutbox) -> str:
    return re.search(r"https?://\S+/invitations/\S+/", mailoutbox[-1].body).group(0)


def invite(client, org, email="mentor@example.org"):
    return client.post(reverse("accounts:members", args=[org.slug]), {"email": email})


def test_owner_invites_and_the_invitee_signs_up_through_the_link(
    client_for, owner, client, mailoutbox, django_capture_on_commit_callbacks
):
    org = org_of(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_for(owner), org)
    assert response.status_code == 302
    assert mailoutbox[-1].to == ["mentor@example.org"]
    link = invitation_link(mailoutbox)
    page = client.get(link)
    assert "Create your account" in page.content.decode()

    response = client.post(link, {"name": "Mia Mentor", "password": PASSWORD})
    assert response.status_code == 302
    mentor = User.objects.get(email="mentor@example.org")
    assert mentor.account_type == User.AccountType.ORGANIZATION
    assert Membership.objects.get(user=mentor, organization=org).role == Membership.Role.MENTOR
    # The link proved the address, and the invitee is logged in.
    assert mentor.emailaddress_set.get().verified
    assert client.get(reverse("accounts:settings")).status_code == 200


def test_existing_account_accepts_when_logged_in(client_for, owner):
    org = org_of(owner)
    mentor = UserFactory(email="m@example.org", account_type=User.AccountType.ORGANIZATION)
    _, raw = services.create_invitation(by=owner, email="M@example.org", organization=org)
    response = client_for(mentor).post(reverse("accounts:invitation", args=[raw]))
    assert response.status_code == 302
    assert Membership.objects.filter(user=mentor, organization=org, role="mentor").exists()


def test_invitation_is_single_use(owner):
    org = org_of(owner)
    mentor = UserFactory(email="m@example.org", account_type=User.AccountType.ORGANIZATION)
    _, raw = services.create_invitation(by=owner, email="m@example.org", organization=org)
    services.accept_invitation(raw, user=mentor)
    with pytest.raises(Conflict) as exc:
        services.accept_invitation(raw, user=mentor)
    assert exc.value.code == "invitation_used"


def test_expired_invitation_is_refused(owner, client_for):
    org = org_of(owner)
    mentor = UserFactory(email="m@example.org", account_type=User.AccountType.ORGANIZATION)
    invitation, raw = services.create_invitation(by=owner, email="m@example.org", organization=org)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timezone.timedelta(seconds=1)
    )
    with pytest.raises(Conflict) as exc:
        services.accept_invitation(raw, user=mentor)
    assert exc.value.code == "invitation_expired"
    response = client_for(mentor).post(reverse("accounts:invitation", args=[raw]), follow=True)
    assert "expired" in response.content.decode()
    assert not Membership.objects.filter(user=mentor).exists()


def test_invitation_is_valid_for_seven_days(owner):
    invitation, _ = services.create_invitation(
        by=owner, email="m@example.org", organization=org_of(owner)
    )
    assert invitation.expires_at - invitation.created_at == timezone.timedelta(days=7)


def test_wrong_account_is_refused(owner, client_for):
    org = org_of(owner)
    other = UserFactory(
        email="someone-else@example.org", account_type=User.AccountType.ORGANIZATION
    )
    _, raw = services.create_invitation(by=owner, email="m@example.org", organization=org)
    with pytest.raises(Refused) as exc:
        services.accept_invitation(raw, user=other)
    assert exc.value.code == "wrong_account"
    response = client_for(other).post(reverse("accounts:invitation", args=[raw]), follow=True)
    assert "sent to m@example.org" in response.content.decode()
    assert not Membership.objects.filter(user=other).exists()


def test_student_account_cannot_join_an_organization(owner):
    student = StudentFactory(email="s@example.org")
    _, raw = services.create_invitation(by=owner, email="s@example.org", organization=org_of(owner))
    with pytest.raises(Refused) as exc:
        services.accept_invitation(raw, user=student)
    assert exc.value.code == "wrong_account_type"


def test_unknown_token_shows_a_clear_404(client):
    response = client.get(reverse("accounts:invitation", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_mentor_cannot_invite(client_for):
    mentor = MembershipFactory(role=Membership.Role.MENTOR)
    org = mentor.organization
    response = invite(client_for(mentor.user), org)
    assert response.status_code == 403
    with pytest.raises(Refused):
        services.create_invitation(by=mentor.user, email="x@example.org", organization=org)
    assert not Invitation.objects.exists()


def test_member_of_another_organization_cannot_see_members_page(client_for, owner):
    other_owner = MembershipFactory().user
    response = client_for(other_owner).get(reverse("accounts:members", args=[org_of(owner).slug]))
    assert response.status_code == 403


def test_members_page_lists_members_and_pending_invitations(client_for, owner):
    org = org_of(owner)
    services.create_invitation(by=owner, email="pending@example.org", organization=org)
    body = client_for(owner).get(reverse("accounts:members", args=[org.slug])).content.decode()
    assert owner.email in body
    assert "pending@example.org" in body


def test_owner_revokes_a_pending_invitation(client_for, owner):
    org = org_of(owner)
    invitation, raw = services.create_invitation(by=owner, email="m@example.org", organization=org)
    client_for(owner).post(reverse("accounts:revoke_invitation", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    mentor = UserFactory(email="m@example.org", account_type=User.AccountType.ORGANIZATION)
    with pytest.raises(Conflict):
        services.accept_invitation(raw, user=mentor)


def test_inviting_an_invalid_email_or_a_member_gets_a_form_error(client_for, owner):
    org = org_of(owner)
    body = invite(client_for(owner), org, email="not-an-email").content.decode()
    assert "Enter a valid email address." in body
    body = invite(client_for(owner), org, email=owner.email).content.decode()
    assert "already a member" in body
    assert not Invitation.objects.exists()


def test_last_owner_cannot_be_removed(owner, client_for):
    membership = owner.memberships.get()
    second_owner = MembershipFactory(organization=membership.organization).user
    services.remove_member(membership, by=second_owner)
    with pytest.raises(Conflict):
        services.remove_member(second_owner.memberships.get(), by=second_owner)


def test_institution_staff_invite_staff(
    client, mailoutbox, django_capture_on_commit_callbacks, client_for
):
    staff = InstitutionStaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff.user).post(
            reverse("accounts:institution_staff", args=[staff.institution.slug]),
            {"email": "colleague@uni.example"},
        )
    assert response.status_code == 302
    client.post(invitation_link(mailoutbox), {"name": "Cole League", "password": PASSWORD})
    colleague = User.objects.get(email="colleague@uni.example")
    assert colleague.account_type == User.AccountType.CAREER_CENTER
    assert InstitutionStaff.objects.filter(user=colleague, institution=staff.institution).exists()


def test_outsider_cannot_see_institution_staff_page(client_for, owner):
    staff = InstitutionStaffFactory()
    response = client_for(owner).get(
        reverse("accounts:institution_staff", args=[staff.institution.slug])
    )
    assert response.status_code == 403
