"""The design system's server side: status pills, the header, error pages, forms' error
summary, sign-up and log-in flows, time-zone and currency pickers, reading by target."""

import datetime

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from practicum.accounts.forms import AccountForm
from practicum.core import views
from practicum.core.status import TONES, tone_of
from practicum.core.timezones import timezone_choices
from practicum.notifications import services as notifications
from practicum.notifications.models import Notification
from practicum.projects.money import CURRENCY_CHOICES
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    InstitutionStaffFactory,
    MembershipFactory,
    ProjectFactory,
    StudentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def render(template: str, **context) -> str:
    return Template("{% load practicum %}" + template).render(Context(context))


# --- status pills ------------------------------------------------------------------------------


def test_each_state_has_one_tone():
    states = [state for group in TONES.values() for state in group]
    assert len(states) == len(set(states))


@pytest.mark.parametrize(
    ("state", "tone"),
    [("accepted", "success"), ("missed", "danger"), ("draft", "warning"), ("withdrawn", "neutral")],
)
def test_a_pill_takes_its_tone_from_the_state(state, tone):
    html = render("{% pill state label %}", state=state, label="<Label>")
    assert html == (
        f'<span class="badge tone-{tone} status-{state}" data-state="{state}">&lt;Label&gt;</span>'
    )


def test_an_unknown_state_is_neutral():
    assert tone_of("something-new") == "neutral"


def test_initials_and_human_dates():
    assert render("{{ u|initials }}", u=UserFactory.build(name="ana maria silva")) == "AS"
    assert render("{{ u|initials }}", u=UserFactory.build(name="", email="zoe@x.example")) == "Z"
    assert render("{{ d|human_date }}", d="2027-02-01") == "Mon 1 Feb 2027"
    assert render("{{ d|human_date }}", d=datetime.date(2027, 2, 3)) == "Wed 3 Feb 2027"
    assert render("{{ d|human_date }}", d="soon") == "soon"


# --- the header ---------------------------------------------------------------------------------


def test_the_header_is_for_the_role(client_for):
    student = StudentFactory(name="Ana Silva")
    html = client_for(student).get("/").content.decode()
    assert 'href="/applications/"' in html and ">AS</span>" in html
    assert 'aria-controls="site-nav"' in html  # the phone's menu button

    owner = MembershipFactory(role="owner").user
    slug = owner.memberships.get().organization.slug
    html = client_for(owner).get("/dashboard/").content.decode()
    assert f'href="/organizations/{slug}/members/"' in html
    assert 'href="/applications/"' not in html
    assert 'href="/dashboard/" aria-current="page"' in html

    mentor = MembershipFactory(role="mentor").user
    html = client_for(mentor).get("/").content.decode()
    assert "/members/" not in html

    staff = InstitutionStaffFactory().user
    html = client_for(staff).get("/").content.decode()
    assert "/staff/" in html and 'href="/rounds/"' in html

    html = Client().get("/").content.decode()
    assert 'href="/accounts/signup/"' in html and "user-menu" not in html


# --- error pages --------------------------------------------------------------------------------


def test_404_is_styled_and_offers_a_way_on(client):
    response = client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "We couldn't find that page" in html
    assert "css/practicum.css" in html and 'href="/projects/"' in html


def test_403_is_styled_with_debug_off(client_for, settings):
    settings.DEBUG = False
    organization = MembershipFactory().organization
    outsider = MembershipFactory().user
    response = client_for(outsider).get(f"/organizations/{organization.slug}/projects/")
    assert response.status_code == 403
    assert "You can't do that here" in response.content.decode()


def test_a_csrf_failure_is_a_styled_403(settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@b.example", "password": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your form expired before it was sent" in html
    assert "css/practicum.css" in html


def test_400_and_500_pages(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = views.server_error(request)
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"css/practicum.css" in response.content
    request.user = UserFactory.build()
    response = views.bad_request(request)
    assert response.status_code == 400
    assert b"We could not understand that request" in response.content


# --- forms --------------------------------------------------------------------------------------


def test_a_form_with_errors_sums_them_up_first_each_linking_to_its_field():
    form = AccountForm(data={"name": "", "timezone": "Mars/Olympus"})
    html = form.as_div()
    assert html.index("There is a problem") < html.index('name="name"')
    assert '<a href="#id_name">Full name: This field is required.</a>' in html
    assert 'href="#id_timezone"' in html


def test_time_zones_come_grouped_by_region_with_utc_first():
    choices = timezone_choices()
    assert choices[0] == ("UTC", "UTC")
    groups = dict(choices[1:])
    assert ("Europe/Lisbon", "Lisbon") in groups["Europe"]
    assert ("America/Argentina/Buenos_Aires", "Argentina / Buenos Aires") in groups["America"]
    form = AccountForm(data={"name": "Ana", "timezone": "Europe/Lisbon"})
    assert form.is_valid(), form.errors
    assert 'data-browser-timezone="UTC"' in str(form["timezone"])
    assert '<optgroup label="Europe">' in str(form["timezone"])


def test_common_currencies_come_first():
    (common_label, common), (_, every) = CURRENCY_CHOICES
    assert common_label == "Common" and common[0][0] == "EUR"
    assert {code for code, _ in common} <= {code for code, _ in every}


# --- sign-up and log-in -------------------------------------------------------------------------


def test_sign_up_asks_the_account_type_first(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert "Who are you signing up as?" in html
    assert 'name="password1"' not in html
    student = client.get(reverse("account_signup") + "?type=student").content.decode()
    assert 'name="password1"' in student and 'name="organization_name"' not in student
    assert '<input type="hidden" name="account_type" value="student">' in student
    organization = client.get(reverse("account_signup") + "?type=organization").content.decode()
    assert 'name="organization_name"' in organization


def test_allauth_pages_speak_in_sentence_case(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "Log in" in html and "Sign In" not in html
    html = client.get(reverse("account_reset_password")).content.decode()
    assert "Password reset" in html and "Password Reset" not in html


@pytest.mark.parametrize("who", ["student", "owner", "staff"])
def test_everyone_lands_on_their_dashboard(who):
    user = {
        "student": StudentFactory,
        "owner": lambda: MembershipFactory().user,
        "staff": lambda: InstitutionStaffFactory().user,
    }[who]()
    response = Client().post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.url == reverse("reciprocity:dashboard")


def test_a_platform_admin_lands_on_the_admin():
    admin = UserFactory(account_type="admin", is_staff=True, is_superuser=True)
    response = Client().post(reverse("account_login"), {"login": admin.email, "password": PASSWORD})
    assert response.url == reverse("admin:index")


# --- pages ---------------------------------------------------------------------------------------


def test_the_applicants_list_shows_each_pitch(client_for):
    application = ApplicationFactory(pitch="I mapped 300 bus stops for my thesis. " * 10)
    owner = MembershipFactory(organization=application.project.organization).user
    html = client_for(owner).get(f"/projects/{application.project.pk}/applicants/").content
    assert b'class="pitch"' in html
    assert b"I mapped 300 bus stops for my thesis." in html
    assert "…".encode() in html  # an excerpt: the whole pitch is on the application's page


def test_discovery_counts_the_filters_set(client):
    html = client.get("/projects/?q=maps&work_mode=remote&sort=pay").content.decode()
    assert 'id="filter-count">2</span>' in html
    assert 'id="filter-count" hidden>0</span>' in client.get("/projects/").content.decode()


# --- a notification is read once its page is open -------------------------------------------


def test_opening_the_page_a_notification_leads_to_marks_it_read(
    client_for, django_assert_max_num_queries
):
    student = StudentFactory()
    project = ProjectFactory()
    mine = notifications.notify(student, "new_message", project, occurrence="1")
    other = notifications.notify(student, "new_message", ProjectFactory(), occurrence="2")
    assert mine.url and mine.url != other.url
    client = client_for(student)
    headers = {"HX-Request": "true", "HX-Current-URL": f"http://testserver{mine.url}"}
    # Session, user, the update, the count.
    with django_assert_max_num_queries(4):
        response = client.get("/notifications/bell/", headers=headers)
    assert response.status_code == 200
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(pk=other.pk).read_at is None
    assert '<span class="badge" aria-hidden="true">1</span>' in response.content.decode()
