"""The talent pages: the organization's private list, adding from the completion page, the
student's page and withdrawal; who may use each, errors kept (422), fixed query budgets."""

import pytest
from django.test import Client
from django.urls import reverse

from practicum.accounts.models import User
from practicum.talent.models import TalentEntry
from tests.factories import OrganizationFactory, StudentFactory
from tests.talent.conftest import set_open

pytestmark = pytest.mark.django_db

EVERYONE = [
    "student",
    "mentor",
    "other_mentor",
    "owner",
    "outsider",
    "other_student",
    "staff",
    "other_staff",
    "superuser",
    "anonymous",
]
MEMBERS = {"mentor", "other_mentor", "owner"}


def client_of(client_for, person):
    return Client() if person is None else client_for(person)


def html_of(response) -> str:
    return response.content.decode()


def list_url(organization):
    return reverse("talent:organization", args=[organization.slug])


def entry_url(name, entry):
    return reverse(f"talent:{name}", args=[entry.organization.slug, entry.pk])


def to_login(response) -> bool:
    return response.status_code == 302 and "login" in response.url


class TestList:
    def test_members_read_the_list(self, client_for, other_mentor, entry, organization):
        html = html_of(client_for(other_mentor).get(list_url(organization)))
        assert entry.student.name in html
        assert "Great <em>analyst</em>" in html
        assert "<li>SQL</li>" in html
        assert "Edit notes and tags" in html

    def test_tag_filter(self, client_for, owner, entry, organization):
        html = html_of(client_for(owner).get(list_url(organization) + "?tag=design"))
        assert "Nobody on the list has the tag “design”." in html
        html = html_of(client_for(owner).get(list_url(organization) + "?tag=sql"))
        assert entry.student.name in html

    @pytest.mark.parametrize("who", EVERYONE)
    def test_private_to_the_organization(self, client_for, people, entry, organization, who):
        client = client_of(client_for, people[who])
        responses = [
            client.get(list_url(organization)),
            client.post(entry_url("update", entry), {f"entry-{entry.pk}-notes": "Mine"}),
            client.post(entry_url("remove", entry)),
        ]
        for response in responses:
            if who == "anonymous":
                assert to_login(response)
            elif who in MEMBERS:
                assert response.status_code in (200, 302)
            else:
                assert response.status_code == 404
        assert TalentEntry.objects.exists() is (who not in MEMBERS)

    def test_an_entry_of_another_organization_is_404(self, client_for, outsider, entry):
        other = outsider.memberships.get().organization
        url = reverse("talent:remove", args=[other.slug, entry.pk])
        assert client_for(outsider).post(url).status_code == 404
        assert TalentEntry.objects.exists()

    def test_update(self, client_for, mentor, entry):
        response = client_for(mentor).post(
            entry_url("update", entry),
            {f"entry-{entry.pk}-notes": "Hire for Q3", f"entry-{entry.pk}-tags": "ux, research"},
        )
        assert response.status_code == 302
        entry.refresh_from_db()
        assert (entry.notes, entry.tags) == ("Hire for Q3", ["ux", "research"])

    def test_bad_update_is_422_and_keeps_what_was_typed(self, client_for, mentor, entry):
        response = client_for(mentor).post(
            entry_url("update", entry),
            {f"entry-{entry.pk}-notes": "Typed notes", f"entry-{entry.pk}-tags": "t" * 41},
        )
        assert response.status_code == 422
        html = html_of(response)
        assert "longer than 40 characters" in html and "Typed notes" in html
        entry.refresh_from_db()
        assert entry.notes == "Great *analyst*"

    def test_remove(self, client_for, owner, entry):
        response = client_for(owner).post(entry_url("remove", entry), follow=True)
        assert "is off your talent list" in html_of(response)
        assert not TalentEntry.objects.exists()

    @pytest.mark.parametrize("count", [1, 6])
    def test_query_budget(
        self, client_for, owner, entry, organization, count, django_assert_max_num_queries
    ):
        for _ in range(count - 1):
            TalentEntry.objects.create(organization=organization, student=StudentFactory())
        client = client_for(owner)
        client.get(list_url(organization))
        with django_assert_max_num_queries(7):
            response = client.get(list_url(organization))
        assert response.status_code == 200
        assert html_of(response).count('class="card talent-entry"') == count

    def test_linked_from_the_organization_page(self, client_for, mentor, organization):
        html = html_of(client_for(mentor).get(organization.get_absolute_url()))
        assert list_url(organization) in html


class TestAdd:
    def url(self, engagement):
        return reverse("talent:add", args=[engagement.pk])

    def completion_page(self, engagement):
        return reverse("completion:detail", args=[engagement.pk])

    def test_the_form_is_on_the_completion_page(self, client_for, mentor, completed_engagement):
        html = html_of(client_for(mentor).get(self.completion_page(completed_engagement)))
        assert "Add to the talent list" in html

    def test_no_form_without_consent(self, client_for, mentor, student, completed_engagement):
        set_open(student, False)
        html = html_of(client_for(mentor).get(self.completion_page(completed_engagement)))
        assert "Add to the talent list" not in html
        assert "is not open to future roles" in html

    def test_add(self, client_for, mentor, completed_engagement, organization):
        response = client_for(mentor).post(
            self.url(completed_engagement), {"talent-notes": "Good", "talent-tags": "data"}
        )
        assert response.status_code == 302
        entry = TalentEntry.objects.get()
        assert (entry.organization, entry.tags) == (organization, ["data"])
        html = html_of(client_for(mentor).get(self.completion_page(completed_engagement)))
        assert "is on your <a" in html

    def test_bad_input_is_422_on_the_completion_page(self, client_for, owner, completed_engagement):
        response = client_for(owner).post(
            self.url(completed_engagement),
            {"talent-notes": "Kept notes", "talent-tags": ",".join(f"t{n}" for n in range(11))},
        )
        assert response.status_code == 422
        html = html_of(response)
        assert "At most 10 tags" in html and "Kept notes" in html
        assert not TalentEntry.objects.exists()

    def test_twice_is_a_message(self, client_for, owner, entry, completed_engagement):
        response = client_for(owner).post(self.url(completed_engagement), {}, follow=True)
        assert "already on your talent list" in html_of(response)

    def test_not_completed_is_a_message(self, client_for, owner, student, active_engagement):
        set_open(student, True)
        response = client_for(owner).post(self.url(active_engagement), {}, follow=True)
        assert "after the engagement" in html_of(response)
        assert not TalentEntry.objects.exists()

    @pytest.mark.parametrize("who", EVERYONE)
    def test_permission_matrix(self, client_for, people, completed_engagement, who):
        response = client_of(client_for, people[who]).post(self.url(completed_engagement), {})
        if who == "anonymous":
            assert to_login(response)
        elif who in ("mentor", "owner"):
            assert response.status_code == 302
        elif who == "student":
            assert response.status_code == 403
        else:
            assert response.status_code == 404
        assert TalentEntry.objects.exists() is (who in ("mentor", "owner"))


class TestMine:
    url = reverse("talent:mine")
    withdraw_url = reverse("talent:withdraw")

    def test_the_student_sees_who_listed_them_not_the_notes(self, client_for, student, entry):
        html = html_of(client_for(student).get(self.url))
        assert entry.organization.name in html
        assert "analyst" not in html and "SQL" not in html
        assert "You are <strong>open to future roles</strong>" in html

    def test_linked_from_the_profile(self, client_for, student):
        html = html_of(client_for(student).get(reverse("profiles:mine"), follow=True))
        assert self.url in html

    def test_withdraw(self, client_for, student, entry):
        response = client_for(student).post(self.withdraw_url, follow=True)
        html = html_of(response)
        assert "left 1 talent list." in html
        assert "not open to future roles" in html
        assert not TalentEntry.objects.exists()

    def test_a_profile_that_cannot_be_saved_changes_nothing(self, client_for, student, entry):
        # A graduation year saved long ago, now outside the range the profile accepts.
        type(student.student_profile).objects.filter(user=student).update(graduation_year=1990)
        response = client_for(student).post(self.withdraw_url, follow=True)
        assert "Your profile needs fixing" in html_of(response)
        assert TalentEntry.objects.exists()

    @pytest.mark.parametrize("who", EVERYONE)
    def test_permission_matrix(self, client_for, people, entry, who):
        client = client_of(client_for, people[who])
        page, withdraw = client.get(self.url), client.post(self.withdraw_url)
        if who == "anonymous":
            assert to_login(page) and to_login(withdraw)
        elif people[who].account_type == User.AccountType.STUDENT:
            assert (page.status_code, withdraw.status_code) == (200, 302)
        else:
            assert (page.status_code, withdraw.status_code) == (404, 404)
        # Only the listed student's own withdrawal removes the entry.
        assert TalentEntry.objects.exists() is (who != "student")

    @pytest.mark.parametrize("count", [1, 5])
    def test_query_budget(self, client_for, student, entry, count, django_assert_max_num_queries):
        for _ in range(count - 1):
            TalentEntry.objects.create(organization=OrganizationFactory(), student=student)
        client = client_for(student)
        client.get(self.url)
        with django_assert_max_num_queries(5):
            response = client.get(self.url)
        assert html_of(response).count('<li><a href="/organizations/') == count
