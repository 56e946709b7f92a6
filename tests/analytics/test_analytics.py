"""Analytics: the funnel, first answers and progress are counted right, shown only to whom
they belong, and drawn as SVG pictures beside their figures."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from practicum.analytics import selectors, services
from practicum.analytics.models import MonthEnd
from practicum.analytics.selectors import MONTHS
from practicum.engagements import events
from practicum.engagements import services as engagements
from practicum.engagements.models import Application
from practicum.workspace.progress import services as progress
from tests.factories import ApplicationFactory, ProjectFactory


def test_the_funnel_only_narrows_and_counts_views_by_outsiders(
    client, project, application, owner, mentor, student, other_student, outsider
):
    for viewer in (student, other_student, outsider):
        client.force_login(viewer)
        client.get(project.get_absolute_url())
    client.force_login(mentor)  # members' own visits are not views
    client.get(project.get_absolute_url())
    straight_to_offer = ApplicationFactory(project=project, student=other_student)
    engagements.make_offer(straight_to_offer, by=mentor, message="Welcome", expires_in_days=7)
    ApplicationFactory(project=project)
    engagements.shortlist(application, by=mentor)

    funnel = selectors.organization_funnel(project.organization)
    assert funnel.steps == [
        ("Views", 3),
        ("Applications", 3),
        ("Shortlisted", 2),  # the offer made straight from the inbox passed the shortlist
        ("Offered", 1),
        ("Accepted", 0),
        ("Completed", 0),
    ]


def test_first_answers_are_stamped_once_and_measured(project, application, mentor):
    sent = timezone.now() - datetime.timedelta(hours=10)
    Application.objects.filter(pk=application.pk).update(created_at=sent)
    application.refresh_from_db()
    engagements.shortlist(application, by=mentor)
    first = Application.objects.get(pk=application.pk).answered_at
    engagements.reject(Application.objects.get(pk=application.pk), by=mentor)
    assert Application.objects.get(pk=application.pk).answered_at == first  # the first answer
    old = ApplicationFactory(project=project)
    Application.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=15)
    )
    ApplicationFactory(project=project)
    answers = selectors.organization_first_answers(project.organization)
    assert answers.answered == 1 and 9.9 <= answers.median_hours <= 10.1
    assert (answers.waiting, answers.overdue) == (2, 1)


def test_the_organization_page_is_for_its_members(client, organization, mentor, outsider):
    url = reverse("analytics:organization", args=[organization.slug])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert (
        client.get(
            reverse("analytics:organization_chart", args=[organization.slug, "funnel"])
        ).status_code
        == 404
    )
    client.force_login(mentor)
    page = client.get(url)
    assert page.status_code == 200 and "From views to completion" in page.content.decode()


def test_the_page_keeps_its_queries_whatever_the_number_of_projects(
    client, organization, mentor, django_assert_max_num_queries
):
    client.force_login(mentor)
    url = reverse("analytics:organization", args=[organization.slug])
    ProjectFactory(organization=organization)
    # The month's first look stores the past month ends (as the periodic job does early on).
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(15):
        project = ProjectFactory(organization=organization)
        ApplicationFactory.create_batch(2, project=project)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


@pytest.mark.parametrize("chart", ["funnel", "reciprocity", "checkins"])
def test_charts_are_svg_pictures_without_scripts_from_elsewhere(
    client, organization, mentor, chart
):
    client.force_login(mentor)
    response = client.get(reverse("analytics:organization_chart", args=[organization.slug, chart]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    body = response.content.decode()
    assert "<svg" in body and "src=" not in body and 'xlink:href="http' not in body


def test_an_unknown_chart_is_a_404(client, organization, mentor):
    client.force_login(mentor)
    url = reverse("analytics:organization_chart", args=[organization.slug, "nothing"])
    assert client.get(url).status_code == 404


def test_the_student_sees_their_hours_by_month(client, started_engagement, student, outsider):
    progress.post_update(started_engagement, by=student, done="Cleaned the data", hours="3.5")
    series = selectors.student_progress(student).series()
    assert series["hours"].values[-1] == 3.5
    assert series["engagements"].values[-1] == 1
    client.force_login(student)
    page = client.get(reverse("analytics:progress"))
    assert page.status_code == 200 and "Hours reported" in page.content.decode()
    chart = client.get(reverse("analytics:progress_chart", args=["hours"]))
    assert chart["Content-Type"].startswith("image/svg+xml")
    client.force_login(outsider)
    assert client.get(reverse("analytics:progress")).status_code == 404


def test_the_api_gives_the_same_figures(client, project, application, mentor, outsider):
    engagements.shortlist(application, by=mentor)
    client.force_login(mentor)
    data = client.get(f"/api/v1/organizations/{project.organization.slug}/analytics").json()
    assert data["funnel"]["shortlisted"] == 1
    assert data["first_answers"]["answered"] == 1
    assert set(data["over_time"]) == {"reciprocity", "checkins"}
    client.force_login(outsider)
    refused = client.get(f"/api/v1/organizations/{project.organization.slug}/analytics")
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"


def hold_a_checkin(engagement, mentor, *, hours_ago: int) -> None:
    """A check-in held as it was planned, `hours_ago`."""
    planned = (timezone.now() - datetime.timedelta(hours=hours_ago)).isoformat()
    events.record(
        engagement, "checkin_held", mentor, checkin=1, scheduled_at=planned, originally_at=planned
    )


def test_the_check_ins_series_follows_the_check_ins_held(started_engagement, mentor):
    """The over-time chart's second series reads the index's check-ins component (it once
    looked for a key the index does not have and stayed empty)."""
    hold_a_checkin(started_engagement, mentor, hours_ago=24)
    over_time = services.organization_over_time(started_engagement.project.organization)
    assert over_time.checkins[-1] == 100.0


class TestMonthEnds:
    """The reciprocity over time: past month ends stored once, the current one live."""

    def test_stored_once_then_read(self, started_engagement, django_assert_max_num_queries):
        organization = started_engagement.project.organization
        first = services.organization_over_time(organization)
        assert MonthEnd.objects.filter(organization=organization).count() == MONTHS - 1

        with django_assert_max_num_queries(12):
            again = services.organization_over_time(organization)
        assert again == first

    def test_the_current_point_is_the_live_index(self, started_engagement, mentor):
        from practicum.reciprocity.selectors import organization_reciprocity

        organization = started_engagement.project.organization
        services.organization_over_time(organization)  # past months stored before the news
        hold_a_checkin(started_engagement, mentor, hours_ago=2)

        over_time = services.organization_over_time(organization)
        live = organization_reciprocity(organization)
        assert over_time.index[-1] == (None if live.value is None else round(live.value, 1))
        assert over_time.checkins[-1] == 100.0
        assert over_time.checkins[:-1] == [None] * (MONTHS - 1)  # past months keep their figures

    def test_the_periodic_job_stores_them_a_batch_at_a_time(
        self, organization, monkeypatch, django_assert_max_num_queries
    ):
        from tests.factories import OrganizationFactory

        OrganizationFactory.create_batch(3)
        monkeypatch.setattr(services, "MONTH_ENDS_PER_PASS", 2)
        now = timezone.now()

        assert services.store_last_month_ends(now) == 2
        assert services.store_last_month_ends(now) == 2
        with django_assert_max_num_queries(1):
            assert services.store_last_month_ends(now) == 0
        assert MonthEnd.objects.count() == 4 * (MONTHS - 1)
