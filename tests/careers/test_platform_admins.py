"""A platform admin (superuser) is no party: the app's rules give them nothing, whatever
Django's superuser shortcut would; their support work goes through the Django admin, where
every change is logged."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from practicum.careers import services
from practicum.careers.models import AccessLogEntry, InstitutionDomain

pytestmark = pytest.mark.django_db

ENGAGEMENT_PERMS = (
    "engagements.view_engagement",
    "engagements.act_on_engagement",
    "engagements.assign_mentor",
)


def test_the_rules_give_a_superuser_nothing(superuser, mentor, active_engagement, sharing):
    for perm in ENGAGEMENT_PERMS:
        assert not superuser.has_perm(perm, active_engagement), perm
        assert mentor.has_perm("engagements.act_on_engagement", active_engagement)
    assert not superuser.has_perm("careers.read_record", sharing)
    assert not superuser.has_perm("engagements.apply", active_engagement.project)


def test_a_superuser_who_is_also_a_party_acts_as_that_party(superuser, active_engagement):
    from practicum.accounts.models import Membership

    Membership.objects.create(
        user=superuser,
        organization=active_engagement.project.organization,
        role=Membership.Role.OWNER,
    )
    assert superuser.has_perm("engagements.act_on_engagement", active_engagement)


def test_model_permissions_keep_the_shortcut_for_the_admin(superuser, client_for):
    assert superuser.has_perm("careers.change_enrollment")
    # A rule's name that is also a model permission: without an object, the admin's meaning.
    assert superuser.has_perm("engagements.view_engagement")
    client = client_for(superuser)
    for name in ("engagements_engagement", "engagements_application", "credentials_credential"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name


def test_support_work_in_the_admin_is_logged(client_for, superuser, institution):
    client = client_for(superuser)
    domain = InstitutionDomain.objects.create(institution=institution, domain="old.example.edu")

    response = client.post(
        reverse("admin:careers_institutiondomain_change", args=[domain.pk]),
        {"institution": institution.pk, "domain": "new.example.edu"},
    )

    assert response.status_code == 302
    assert InstitutionDomain.objects.get().domain == "new.example.edu"
    entry = LogEntry.objects.get()
    assert (entry.user, entry.action_flag, entry.object_id) == (superuser, CHANGE, str(domain.pk))


def test_the_access_log_is_read_only_in_the_admin(client_for, superuser, sharing, staff):
    services.open_record(sharing.pk, by=staff, what=AccessLogEntry.What.RECORD_PAGE)
    entry = AccessLogEntry.objects.get()
    client = client_for(superuser)
    assert client.get(reverse("admin:careers_accesslogentry_changelist")).status_code == 200
    change = client.get(reverse("admin:careers_accesslogentry_change", args=[entry.pk]))
    assert change.status_code == 200 and not change.context["has_change_permission"]
    assert (
        client.post(reverse("admin:careers_accesslogentry_delete", args=[entry.pk])).status_code
        == 403
    )
    for name in ("enrollment", "consent", "institutiondomain"):
        assert client.get(reverse(f"admin:careers_{name}_changelist")).status_code == 200
