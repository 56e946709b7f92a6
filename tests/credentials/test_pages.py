"""The credentials' pages: who may open each (allowed and refused), what the public page shows,
hiding and showing, revoking from the admin, the links from the completion page and the
dashboard, and a fixed number of queries whatever the data."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client

from practicum.core.errors import Refused
from practicum.credentials import services
from practicum.credentials.models import Credential
from tests.credentials.conftest import complete, endorse
from tests.factories import ApplicationFactory, ProjectFactory
from tests.fixtures_engagements import sign_both, start_today

pytestmark = pytest.mark.django_db

PUBLIC = ["detail", "json", "jwt", "qr"]
ADDRESSES = {
    "detail": "/credentials/{}/",
    "json": "/credentials/{}/credential.json",
    "jwt": "/credentials/{}/credential.jwt",
    "qr": "/credentials/{}/qr.svg",
}
VISITORS = ["anonymous", "other_student", "mentor", "owner", "outsider", "staff", "platform_admin"]


def as_(client_for, user):
    return Client() if user is None else client_for(user)


def who(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


class TestPublicAddresses:
    @pytest.mark.parametrize("address", PUBLIC)
    @pytest.mark.parametrize("visitor", ["student", *VISITORS])
    def test_anybody_while_shown(self, request, client_for, credential, address, visitor):
        response = as_(client_for, who(request, visitor)).get(
            ADDRESSES[address].format(credential.pk)
        )
        assert response.status_code == 200

    @pytest.mark.parametrize("address", PUBLIC)
    @pytest.mark.parametrize("visitor", VISITORS)
    def test_nobody_else_once_hidden(
        self, request, client_for, credential, student, address, visitor
    ):
        services.set_hidden(credential, by=student, hidden=True)
        response = as_(client_for, who(request, visitor)).get(
            ADDRESSES[address].format(credential.pk)
        )
        assert response.status_code == 404

    @pytest.mark.parametrize("address", PUBLIC)
    def test_the_student_still_once_hidden(self, client_for, credential, student, address):
        services.set_hidden(credential, by=student, hidden=True)
        url = ADDRESSES[address].format(credential.pk)
        assert client_for(student).get(url).status_code == 200

    @pytest.mark.parametrize("address", PUBLIC)
    def test_an_unknown_id(self, client, db, address):
        url = ADDRESSES[address].format("6f1c2b4e-0000-4000-8000-000000000000")
        assert client.get(url).status_code == 404
        assert client.get(ADDRESSES[address].format("not-a-uuid")).status_code == 404

    @pytest.mark.parametrize("address", PUBLIC)
    def test_only_get(self, client, credential, address):
        assert client.post(ADDRESSES[address].format(credential.pk)).status_code == 405

    @pytest.mark.parametrize("path", ["/credentials/issuer/", "/.well-known/jwks.json"])
    def test_the_issuer_and_its_keys_are_public(self, client, db, path):
        assert client.get(path).status_code == 200


class TestThePublicPage:
    def test_shows_who_earned_what_from_whom_and_verified(self, client, completed, credential):
        response = client.get(credential.get_absolute_url())
        page = response.content.decode()
        assert completed.student.name in page
        assert completed.project.title in page
        assert completed.project.organization.name in page
        assert response.context["result"].verified
        assert 'data-state="verified"' in page
        assert page.count('class="done"') == 5  # every check, each passed
        assert f'src="/credentials/{credential.pk}/qr.svg"' in page
        assert "None yet." in page  # no skill endorsed yet
        assert 'id="hide-credential"' not in page  # not the student's

    def test_the_endorsed_skills(self, client, endorsed):
        current = endorsed.credentials.get(superseded_at=None)
        page = client.get(current.get_absolute_url()).content.decode()
        assert '<strong>Survey analysis</strong> <span class="level">Proficient</span>' in page
        assert '<strong>Data cleaning</strong> <span class="level">Expert</span>' in page

    def test_an_earlier_version_points_to_the_newer(self, client, credential, endorsed):
        newer = endorsed.credentials.get(superseded_at=None)
        response = client.get(credential.get_absolute_url())
        assert response.context["result"].verified  # superseded, still valid
        assert "A newer version exists" in response.content.decode()
        assert newer.get_absolute_url() in response.content.decode()

    def test_add_to_linkedin(self, client, credential, settings):
        link = client.get(credential.get_absolute_url()).context["linkedin_url"]
        parts = urlsplit(link)
        assert (parts.scheme, parts.netloc, parts.path) == (
            "https",
            "www.linkedin.com",
            "/profile/add",
        )
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        assert query == {
            "startTask": "CERTIFICATION_NAME",
            "name": credential.document["name"],
            "organizationName": "Practicum",
            "issueYear": str(credential.awarded_at.year),
            "issueMonth": str(credential.awarded_at.month),
            "certUrl": f"{settings.SITE_URL}/credentials/{credential.pk}/",
            "certId": str(credential.pk),
        }

    def test_the_qr_code_is_an_svg_of_the_page_address(self, client, credential):
        response = client.get(f"/credentials/{credential.pk}/qr.svg")
        assert response["Content-Type"] == "image/svg+xml"
        assert response.content.startswith(b"<?xml") and b"<svg" in response.content

    def test_revoked(self, client_for, client, credential, student, platform_admin):
        services.revoke(credential, by=platform_admin, reason="Issued for the wrong person.")
        public = client.get(credential.get_absolute_url())
        assert not public.context["result"].verified
        assert 'data-state="revoked"' in public.content.decode()
        assert "wrong person" not in public.content.decode()  # the reason is the student's
        assert (
            "wrong person"
            in client_for(student).get(credential.get_absolute_url()).content.decode()
        )

    @pytest.mark.parametrize("skills_endorsed", [0, 2])
    def test_query_budget(
        self, client, client_for, credential, student, mentor, skills, skills_endorsed,
        django_assert_max_num_queries,
    ):  # fmt: skip
        if skills_endorsed:
            completed = credential.engagement
            endorse(completed, student, mentor, [(s, 2) for s in skills[:skills_endorsed]])
            credential = completed.credentials.get(superseded_at=None)
        for viewer in (client, client_for(student)):
            viewer.get(credential.get_absolute_url())  # warm the session
            # credential, verification's record, status list; session and user when logged in
            with django_assert_max_num_queries(6):
                assert viewer.get(credential.get_absolute_url()).status_code == 200


class TestHideAndShow:
    def test_the_student_hides_then_shows(self, client_for, client, credential, student):
        mine = client_for(student)
        response = mine.post(f"/credentials/{credential.pk}/hide/")
        assert response.status_code == 302 and response.url == credential.get_absolute_url()
        credential.refresh_from_db()
        assert credential.hidden
        assert client.get(credential.get_absolute_url()).status_code == 404
        assert mine.post(f"/credentials/{credential.pk}/show/").status_code == 302
        credential.refresh_from_db()
        assert not credential.hidden
        assert client.get(credential.get_absolute_url()).status_code == 200

    def test_every_version_follows(self, credential, endorsed, student):
        services.set_hidden(credential, by=student, hidden=True)
        assert set(Credential.objects.values_list("hidden", flat=True)) == {True}

    @pytest.mark.parametrize("action", ["hide", "show"])
    @pytest.mark.parametrize("visitor", VISITORS[1:])
    def test_nobody_else_while_shown(self, request, client_for, credential, action, visitor):
        response = client_for(who(request, visitor)).post(f"/credentials/{credential.pk}/{action}/")
        assert response.status_code == 403
        credential.refresh_from_db()
        assert not credential.hidden

    @pytest.mark.parametrize("visitor", VISITORS[1:])
    def test_nobody_else_once_hidden(self, request, client_for, credential, student, visitor):
        services.set_hidden(credential, by=student, hidden=True)
        response = client_for(who(request, visitor)).post(f"/credentials/{credential.pk}/show/")
        assert response.status_code == 404
        credential.refresh_from_db()
        assert credential.hidden

    def test_anonymous_is_sent_to_log_in(self, client, credential):
        response = client.post(f"/credentials/{credential.pk}/hide/")
        assert response.status_code == 302 and "/accounts/login/" in response.url

    def test_only_post(self, client_for, credential, student):
        assert client_for(student).get(f"/credentials/{credential.pk}/hide/").status_code == 405

    def test_the_service_refuses_others(self, credential, other_student):
        with pytest.raises(Refused):
            services.set_hidden(credential, by=other_student, hidden=True)


def completed_for(student):
    """Another completed engagement of `student`, through the services."""
    from practicum.engagements import services as engagements

    project = ProjectFactory()
    application = ApplicationFactory(project=project, student=student)
    engagements.make_offer(application, by=project.mentor)
    engagement = engagements.accept_offer(application, by=student)
    engagement = start_today(sign_both(engagement, student, project.mentor))
    return complete(engagement, student, project.mentor)


class TestYourCredentials:
    def test_lists_the_current_versions(self, client_for, credential, endorsed, student):
        response = client_for(student).get("/credentials/")
        assert response.status_code == 200
        [(listed, shown)] = response.context["rows"]
        assert listed.is_current and shown.skills

    def test_empty(self, client_for, student):
        assert "No credentials yet" in client_for(student).get("/credentials/").content.decode()

    @pytest.mark.parametrize("visitor", ["mentor", "owner", "staff", "platform_admin"])
    def test_students_only(self, request, client_for, visitor):
        assert client_for(request.getfixturevalue(visitor)).get("/credentials/").status_code == 404

    def test_anonymous_is_sent_to_log_in(self, client, db):
        response = client.get("/credentials/")
        assert response.status_code == 302 and "/accounts/login/" in response.url

    def test_query_budget(self, client_for, credential, student, django_assert_max_num_queries):
        client = client_for(student)
        client.get("/credentials/")
        with django_assert_max_num_queries(4):  # session, user, count, page
            client.get("/credentials/")
        for _ in range(3):
            completed_for(student)
        with django_assert_max_num_queries(4):
            response = client.get("/credentials/")
        assert len(response.context["rows"]) == 4


class TestLinks:
    def test_the_completion_page_links_the_credential(
        self, client_for, completed, credential, student, mentor
    ):
        url = f"/engagements/{completed.pk}/completion/"
        assert credential.get_absolute_url() in client_for(student).get(url).content.decode()
        assert credential.get_absolute_url() in client_for(mentor).get(url).content.decode()

    def test_no_link_to_a_hidden_credential_for_the_organization(
        self, client_for, completed, credential, student, mentor
    ):
        services.set_hidden(credential, by=student, hidden=True)
        url = f"/engagements/{completed.pk}/completion/"
        assert credential.get_absolute_url() not in client_for(mentor).get(url).content.decode()
        assert credential.get_absolute_url() in client_for(student).get(url).content.decode()

    def test_the_dashboard_and_the_menu(self, client_for, credential, student):
        page = client_for(student).get("/dashboard/").content.decode()
        assert credential.get_absolute_url() in page
        assert 'href="/credentials/"' in page


class TestRevokingInTheAdmin:
    def changelist(self):
        return "/admin/credentials/credential/"

    def test_asks_for_a_reason_then_revokes_every_version(
        self, client_for, credential, endorsed, platform_admin
    ):
        admin = client_for(platform_admin)
        selected = {"action": "revoke", "_selected_action": [str(credential.pk)]}
        form = admin.post(self.changelist(), selected)
        assert form.status_code == 200 and "Reason" in form.content.decode()
        assert not Credential.objects.filter(revoked_at__isnull=False).exists()

        missing = admin.post(self.changelist(), {**selected, "reason": "  "})
        assert missing.status_code == 200
        assert not Credential.objects.filter(revoked_at__isnull=False).exists()

        done = admin.post(self.changelist(), {**selected, "reason": "Fraud reported."})
        assert done.status_code == 302
        assert Credential.objects.filter(revoked_at__isnull=True).count() == 0
        revoked = Credential.objects.get(pk=credential.pk)
        assert (revoked.revoked_by, revoked.revocation_reason) == (
            platform_admin,
            "Fraud reported.",
        )
        [entry] = LogEntry.objects.filter(object_id=str(credential.pk))
        assert entry.user == platform_admin and "Fraud reported." in entry.get_change_message()

    def test_read_only_in_the_admin(self, client_for, credential, platform_admin):
        admin = client_for(platform_admin)
        page = f"{self.changelist()}{credential.pk}/change/"
        assert admin.get(page).status_code == 200
        assert admin.get(f"{self.changelist()}add/").status_code == 403
        assert admin.post(f"{page.replace('change', 'delete')}", {"post": "yes"}).status_code == 403

    @pytest.mark.parametrize("visitor", ["student", "mentor", "owner"])
    def test_nobody_else(self, request, client_for, credential, visitor):
        response = client_for(request.getfixturevalue(visitor)).post(
            self.changelist(),
            {"action": "revoke", "_selected_action": [str(credential.pk)], "reason": "x"},
        )
        assert response.status_code == 302 and "/admin/login/" in response.url
        credential.refresh_from_db()
        assert not credential.is_revoked

    def test_the_service_refuses_others_and_needs_a_reason(
        self, credential, mentor, student, platform_admin
    ):
        for person in (mentor, student):
            with pytest.raises(Refused):
                services.revoke(credential, by=person, reason="Because.")
        from django.core.exceptions import ValidationError

        for reason in ("", "   ", "x" * 2001, None):
            with pytest.raises(ValidationError):
                services.revoke(credential, by=platform_admin, reason=reason)
        credential.refresh_from_db()
        assert not credential.is_revoked
