"""The reciprocity pages and the index fragment on the organization, project and profile pages:
who sees what, and a fixed query budget."""

import pytest
from django.urls import reverse

from practicum.reciprocity import index as idx
from tests.factories import UserFactory
from tests.reciprocity.conftest import held_checkin, make_engagement, rating

NOT_ENOUGH = "Not enough history yet"


def get(client_for, user, url):
    from django.test import Client

    return (client_for(user) if user is not None else Client()).get(url)


class TestHowItWorks:
    def test_anyone_reads_the_weights_the_index_uses(self, client):
        response = client.get(reverse("reciprocity:about"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "How the reciprocity index works" in page
        for weights in (idx.ORGANIZATION_WEIGHTS, idx.STUDENT_WEIGHTS):
            table = page[page.index(f'data-component="{next(iter(weights))}"') :]
            for key, weight in weights.items():
                row = table[table.index(f'data-component="{key}"') :].split("</tr>")[0]
                assert f"{round(weight * 100)} %" in row
                assert idx.LABELS[key] in row


class TestOrganizationPage:
    def test_public_with_components_and_number(self, client, history_of_three, organization):
        response = client.get(reverse("reciprocity:organization", args=[organization.slug]))
        assert response.status_code == 200
        page = response.content.decode()
        assert "held 3 of 6 check-ins as scheduled".capitalize() in page
        assert NOT_ENOUGH not in page
        index = response.context["index"]
        assert f"{index.value:.1f}" in page

    def test_not_enough_history(self, client, organization):
        make_engagement(organization=organization)
        response = client.get(reverse("reciprocity:organization", args=[organization.slug]))
        assert NOT_ENOUGH in response.content.decode()
        assert "Check-ins held as scheduled" in response.content.decode()

    def test_unknown_organization(self, client, db):
        assert client.get("/organizations/nobody-here/reciprocity/").status_code == 404

    @pytest.mark.parametrize("count", [1, 5])
    def test_fixed_query_budget(
        self, client_for, owner, organization, django_assert_max_num_queries, count
    ):
        for _ in range(count):
            engagement = make_engagement(organization=organization)
            held_checkin(engagement, 1, days_ago=40)
            rating(engagement, side="student", scores={"a": 4})
        client = client_for(owner)
        url = reverse("reciprocity:organization", args=[organization.slug])
        # + 4 on a first read: the rows are recomputed (3 to load, 1 to store); + 2 interviews
        with django_assert_max_num_queries(15):
            response = client.get(url)
        assert response.status_code == 200


class TestStudentPage:
    @pytest.fixture
    def url(self, student):
        return reverse("reciprocity:student", args=[student.student_profile.pk])

    @pytest.mark.parametrize(
        "role, status",
        [
            ("student", 200),
            ("owner", 200),  # the student applied to the organization
            ("mentor", 200),
            ("outsider", 404),  # another organization; the student is not discoverable
            ("other_student", 404),
            ("staff", 404),  # outcomes in the careers app only
            ("other_staff", 404),
        ],
    )
    def test_who_sees_a_students_index(self, role, status, people, client_for, url, application):
        response = client_for(people[role]).get(url)
        assert response.status_code == status
        if status == 200:
            assert "Deliverables on time" in response.content.decode()

    def test_organizations_see_discoverable_students(self, outsider, student, client_for, url):
        profile = student.student_profile
        profile.discoverable = True
        profile.save()
        assert client_for(outsider).get(url).status_code == 200

    def test_platform_admins_do_not(self, client_for, url):
        # The app's rules decide for superusers too (accounts.User.has_perm).
        admin = UserFactory(account_type="admin", is_staff=True, is_superuser=True)
        assert client_for(admin).get(url).status_code == 404

    def test_anonymous_users_log_in_first(self, client, url):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_unknown_student(self, client_for, student):
        assert client_for(student).get("/students/999999/reciprocity/").status_code == 404

    @pytest.mark.parametrize("count", [1, 5])
    def test_fixed_query_budget(
        self, client_for, student, url, django_assert_max_num_queries, count
    ):
        for _ in range(count):
            engagement = make_engagement(student=student)
            event_rating = rating(engagement, side="organization", scores={"a": 4})
            assert event_rating.pk
        client = client_for(student)
        # + 4 on a first read: the rows are recomputed (3 to load, 1 to store)
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200


class TestFragment:
    """The index on other apps' pages: a card the page loads (HTMX), a link without JavaScript."""

    def card_url(self, organization):
        return reverse("reciprocity:organization_card", args=[organization.slug])

    def test_on_the_organization_page_for_everyone(self, people, client_for, organization):
        for role, user in people.items():
            response = get(client_for, user, organization.get_absolute_url())
            assert response.status_code == 200, role
            page = response.content.decode()
            assert f'hx-get="{self.card_url(organization)}"' in page, role
            assert reverse("reciprocity:organization", args=[organization.slug]) in page, role

    def test_on_the_project_page_for_everyone(self, people, client_for, project):
        for role, user in people.items():
            page = get(client_for, user, project.get_absolute_url()).content.decode()
            assert f'hx-get="{self.card_url(project.organization)}"' in page, role

    def test_the_card_for_everyone(self, people, client_for, organization, history_of_three):
        for role, user in people.items():
            response = get(client_for, user, self.card_url(organization))
            assert response.status_code == 200, role
            card = response.content.decode()
            assert "<html" not in card
            assert "held 3 of 6 check-ins as scheduled" in card, role
            assert reverse("reciprocity:organization", args=[organization.slug]) in card
            assert reverse("reciprocity:about") in card

    def test_the_card_says_when_there_is_not_enough_history(self, client, organization):
        card = client.get(self.card_url(organization)).content.decode()
        assert NOT_ENOUGH in card
        assert "nothing to measure yet" in card

    def test_the_card_of_an_unknown_organization(self, client, db):
        assert client.get("/organizations/nobody/reciprocity/card/").status_code == 404

    @pytest.mark.parametrize("count", [1, 5])
    def test_the_card_query_budget(
        self, client, organization, django_assert_max_num_queries, count
    ):
        for _ in range(count):
            held_checkin(make_engagement(organization=organization), 1, days_ago=40)
        # organization, 2 + 4 for the rows, ratings, applications, interviews (2)
        with django_assert_max_num_queries(11):
            assert client.get(self.card_url(organization)).status_code == 200

    @pytest.mark.parametrize(
        "role, shown",
        [("student", True), ("owner", True), ("mentor", True)],
    )
    def test_on_the_profile_for_the_student_and_organizations(
        self, role, shown, people, client_for, student, application
    ):
        profile = student.student_profile
        client = client_for(people[role])
        response = client.get(profile.get_absolute_url())
        assert response.status_code == 200  # everyone here sees the profile itself
        card_url = reverse("reciprocity:student_card", args=[profile.pk])
        assert (f'hx-get="{card_url}"' in response.content.decode()) is shown
        card = client.get(card_url)
        assert card.status_code == (200 if shown else 404)
        if shown:
            assert "Deliverables on time" in card.content.decode()

    def test_on_the_students_own_profile_page(self, client_for, student):
        page = client_for(student).get(reverse("profiles:mine")).content.decode()
        assert reverse("reciprocity:student_card", args=[student.student_profile.pk]) in page

    def test_not_for_platform_admins(self, client_for, student):
        admin = UserFactory(account_type="admin", is_staff=True)
        profile = student.student_profile
        client = client_for(admin)
        assert client.get(profile.get_absolute_url()).status_code == 200
        assert "reciprocity" not in client.get(profile.get_absolute_url()).content.decode()
        card_url = reverse("reciprocity:student_card", args=[profile.pk])
        assert client.get(card_url).status_code == 404

    def test_the_student_card_for_others(self, client_for, other_student, outsider, student):
        card_url = reverse("reciprocity:student_card", args=[student.student_profile.pk])
        assert client_for(other_student).get(card_url).status_code == 404
        assert client_for(outsider).get(card_url).status_code == 404  # not discoverable
        assert client_for(student).get("/students/999999/reciprocity/card/").status_code == 404
