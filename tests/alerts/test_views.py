"""The saved-search pages and API: students only, each their own searches."""

import pytest

from practicum.alerts import services
from practicum.alerts.models import SavedSearch
from tests.factories import ProjectFactory, StudentFactory

from .conftest import later

pytestmark = pytest.mark.django_db


def token_of(search) -> str:
    return services.unsubscribe_path(search).split("/")[-2]


class TestPages:
    def test_discovery_offers_students_to_save_the_search(self, client_for, student, owner):
        html = client_for(student).get("/projects/", {"q": "cafe"}).content.decode()
        assert 'action="/searches/"' in html
        assert 'name="query" value="q=cafe"' in html
        assert 'action="/searches/"' not in client_for(owner).get("/projects/").content.decode()

    def test_a_students_account_menu_leads_to_the_saved_searches(self, client_for, student, owner):
        assert 'href="/searches/"' in client_for(student).get("/").content.decode()
        assert 'href="/searches/"' not in client_for(owner).get("/").content.decode()

    def test_a_student_saves_lists_changes_and_deletes(self, client_for, student):
        client = client_for(student)
        response = client.post(
            "/searches/",
            {"name": "Cafés", "frequency": "weekly", "query": "q=cafe&page=2", "form_token": "t1"},
        )
        assert response.status_code == 302
        # The same form sent twice makes one search.
        client.post(
            "/searches/",
            {"name": "Cafés", "frequency": "weekly", "query": "q=cafe&page=2", "form_token": "t1"},
        )
        search = SavedSearch.objects.get()
        assert (search.name, search.query, search.frequency) == ("Cafés", "q=cafe", "weekly")
        assert "Cafés" in client.get("/searches/").content.decode()
        assert client.get(f"/searches/{search.pk}/")["Location"] == "/projects/?q=cafe"
        client.post(f"/searches/{search.pk}/frequency/", {f"s{search.pk}-frequency": "off"})
        search.refresh_from_db()
        assert search.frequency == "off" and search.next_run_at is None
        client.post(f"/searches/{search.pk}/delete/")
        assert not SavedSearch.objects.exists()

    def test_bad_input_is_shown_on_the_form(self, client_for, student):
        response = client_for(student).post(
            "/searches/", {"name": "", "frequency": "hourly", "query": "min_pay=lots"}
        )
        assert response.status_code == 422
        html = response.content.decode()
        assert "Select a valid choice" in html and "This field is required" in html
        response = client_for(student).post(
            "/searches/", {"name": "X", "frequency": "daily", "query": "min_pay=lots"}
        )
        assert response.status_code == 422
        assert "Pay from: Enter a number." in response.content.decode()
        assert not SavedSearch.objects.exists()

    def test_another_student_gets_a_404(self, client_for, student, save):
        search = save()
        other = client_for(StudentFactory())
        assert other.get(f"/searches/{search.pk}/").status_code == 404
        assert other.post(f"/searches/{search.pk}/delete/").status_code == 404
        response = other.post(
            f"/searches/{search.pk}/frequency/", {f"s{search.pk}-frequency": "off"}
        )
        assert response.status_code == 404
        assert "My search" not in other.get("/searches/").content.decode()
        assert SavedSearch.objects.get().frequency == "instant"

    def test_organizations_and_visitors_cannot_save(self, client_for, owner, client):
        assert client_for(owner).get("/searches/").status_code == 403
        data = {"name": "X", "frequency": "daily", "query": ""}
        assert client_for(owner).post("/searches/", data).status_code == 403
        assert client.get("/searches/").status_code == 302  # to the login page
        assert not SavedSearch.objects.exists()

    def test_the_list_keeps_its_query_budget(
        self, client_for, student, save, django_assert_max_num_queries
    ):
        for n in range(services.MAX_SEARCHES):
            save(name=f"S{n}")
        client = client_for(student)
        # session, user, count, the page of searches, and the layout's own
        with django_assert_max_num_queries(8):
            response = client.get("/searches/")
        assert len(response.context["page"]) == 20


class TestUnsubscribeLink:
    def test_get_asks_post_unsubscribes_once_without_login(self, client, save):
        search = save()
        other = save(name="Other")
        url = f"/searches/unsubscribe/{token_of(search)}/"
        page = client.get(url)
        assert page.status_code == 200 and "Stop these alerts" in page.content.decode()
        search.refresh_from_db()
        assert search.frequency == "instant"  # a GET (a mail scanner) changes nothing
        assert client.post(url).status_code == 200
        search.refresh_from_db()
        other.refresh_from_db()
        assert (search.frequency, other.frequency) == ("off", "instant")
        again = client.post(url)
        assert again.status_code == 400 and "used already" in again.content.decode()
        ProjectFactory(title="Anything")
        assert services.deliver_alerts(later()) == 1  # the other search only

    def test_a_tampered_token_is_a_clear_error(self, client, save):
        token = token_of(save())
        response = client.get(f"/searches/unsubscribe/{token}x/")
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
        assert client.post(f"/searches/unsubscribe/{token}x/").status_code == 400


class TestApi:
    URL = "/api/v1/me/searches"

    def test_create_list_update_delete(self, api_client_for, student):
        api = api_client_for(student)
        created = api.post(
            self.URL,
            {"name": "Cafés", "query": "q=cafe", "frequency": "daily"},
            content_type="application/json",
            headers={"Idempotency-Key": "k1"},
        )
        assert created.status_code == 201, created.content
        again = api.post(
            self.URL,
            {"name": "Cafés", "query": "q=cafe", "frequency": "daily"},
            content_type="application/json",
            headers={"Idempotency-Key": "k1"},
        )
        assert again.json()["id"] == created.json()["id"]
        body = api.get(self.URL).json()
        assert body["count"] == 1 and body["items"][0]["query"] == "q=cafe"
        pk = created.json()["id"]
        patched = api.patch(
            f"{self.URL}/{pk}", {"frequency": "weekly"}, content_type="application/json"
        )
        assert patched.status_code == 200 and patched.json()["frequency"] == "weekly"
        assert api.delete(f"{self.URL}/{pk}").status_code == 204
        assert api.get(self.URL).json()["count"] == 0

    @pytest.mark.parametrize(
        "payload, field",
        [
            ({"name": "", "query": ""}, "name"),
            ({"name": "X", "query": "min_pay=lots"}, "query"),
            ({"name": "X", "frequency": "hourly"}, "frequency"),
            ({"name": "X\x00"}, "name"),
            ({"name": "X", "extra": 1}, "extra"),
        ],
    )
    def test_bad_input_is_a_422(self, api_client_for, student, payload, field):
        response = api_client_for(student).post(self.URL, payload, content_type="application/json")
        assert response.status_code == 422, response.content
        assert field in str(response.json())
        assert not SavedSearch.objects.exists()

    def test_others_get_404_and_organizations_403(self, api_client_for, owner, save):
        search = save()
        other = api_client_for(StudentFactory())
        assert (
            other.patch(
                f"{self.URL}/{search.pk}", {"name": "Mine"}, content_type="application/json"
            ).status_code
            == 404
        )
        assert other.delete(f"{self.URL}/{search.pk}").status_code == 404
        assert other.get(self.URL).json()["count"] == 0
        organization = api_client_for(owner)
        assert organization.get(self.URL).status_code == 403
        response = organization.post(self.URL, {"name": "X"}, content_type="application/json")
        assert response.status_code == 403 and response.json()["code"] == "students_only"


def test_the_admin_lists_and_opens_saved_searches(client_for, save):
    from tests.factories import UserFactory

    search = save()
    admin = client_for(UserFactory(is_staff=True, is_superuser=True, account_type="admin"))
    assert admin.get("/admin/alerts/savedsearch/", {"q": search.student.email}).status_code == 200
    assert admin.get(f"/admin/alerts/savedsearch/{search.pk}/change/").status_code == 200
    # A platform admin is not a party: the student's pages stay theirs.
    assert admin.get(f"/searches/{search.pk}/").status_code == 404
