"""The alert pass: each new matching project announced once per saved search, in the app and
the digest; frequencies kept; one-use unsubscribe links."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practicum.alerts import services
from practicum.alerts.models import SavedSearch, SavedSearchHit
from practicum.core.errors import Conflict, Refused
from practicum.notifications.models import Notification
from practicum.notifications.services import queue_digests, send_due_emails
from practicum.projects.models import Project
from tests.factories import MembershipFactory, ProjectFactory, StudentFactory

from .conftest import DAY, MINUTE, later

pytestmark = pytest.mark.django_db

# What notify() costs for one alert: the preference, the get_or_create of the notification
# with its savepoints.
PER_ALERT = 7


def alerts_of(user):
    return list(Notification.objects.filter(recipient=user, kind="saved_search_match"))


class TestDelivery:
    def test_a_new_matching_project_is_announced_once(self, student, save):
        search = save("q=cafe")
        match = ProjectFactory(title="Café menu")
        ProjectFactory(title="Bookkeeping")  # does not match
        assert services.deliver_alerts(later(1)) == 1
        assert services.deliver_alerts(later(2)) == 0
        assert services.deliver_alerts(later(30)) == 0
        (alert,) = alerts_of(student)
        assert alert.message == "1 new project matches your saved search “My search”."
        assert alert.url == f"/searches/{search.pk}/"
        assert alert.context["project_ids"] == [match.pk]
        assert list(SavedSearchHit.objects.values_list("project", flat=True)) == [match.pk]

    def test_projects_published_before_the_search_was_saved_are_not_news(self, student, save):
        ProjectFactory(title="Café menu", published_at=timezone.now() - MINUTE)
        save("q=cafe")
        assert services.deliver_alerts(later()) == 0

    def test_a_later_project_makes_a_second_alert_with_only_itself(self, student, save):
        save("q=cafe")
        first = ProjectFactory(title="Café one")
        services.deliver_alerts(later(1))
        second = ProjectFactory(title="Café two", published_at=later(2))
        services.deliver_alerts(later(3))
        assert [a.context["project_ids"] for a in alerts_of(student)] == [[second.pk], [first.pk]]

    def test_every_filter_counts(self, student, save):
        acme = MembershipFactory().organization
        save(f"work_mode=on_site&organization={acme.slug}&max_hours_per_week=5")
        ProjectFactory(organization=acme, work_mode="on_site", hours_per_week=10)
        ProjectFactory(work_mode="on_site", hours_per_week=4)
        ProjectFactory(organization=acme, work_mode="remote", hours_per_week=4)
        assert services.deliver_alerts(later()) == 0
        hit = ProjectFactory(
            organization=acme, work_mode="on_site", hours_per_week=4, published_at=later(15)
        )
        assert services.deliver_alerts(later(20)) == 1
        assert alerts_of(student)[0].context["project_ids"] == [hit.pk]

    def test_drafts_and_closed_projects_are_not_announced(self, student, save):
        save()
        ProjectFactory(status=Project.Status.DRAFT)
        ProjectFactory(status=Project.Status.CLOSED)
        assert services.deliver_alerts(later()) == 0

    def test_each_search_has_its_own_hits(self, student, save):
        other = StudentFactory()
        save("q=cafe")
        save("q=cafe", by=other)
        ProjectFactory(title="Café menu")
        assert services.deliver_alerts(later()) == 2
        assert len(alerts_of(student)) == len(alerts_of(other)) == 1

    def test_the_alert_reaches_the_email_digest_with_its_stop_link(self, student, save):
        search = save("q=cafe")
        ProjectFactory(title="Café menu")
        now = later()
        services.deliver_alerts(now)
        queue_digests(now=now.replace(hour=23))
        send_due_emails(now=now.replace(hour=23))
        (email,) = mail.outbox
        assert "1 new project matches your saved search “My search”." in email.body
        stop = next(line for line in email.body.splitlines() if "Stop these:" in line)
        token = stop.rsplit("/searches/unsubscribe/", 1)[1].strip("/")
        assert services.search_for_token(token) == search


class TestFrequency:
    def test_daily_waits_a_day(self, student, save):
        save("q=cafe", frequency="daily")
        start = timezone.now()
        services.deliver_alerts(start + MINUTE)  # due at once: nothing new yet
        ProjectFactory(title="Café menu", published_at=start + 2 * MINUTE)
        assert services.deliver_alerts(start + 3 * MINUTE) == 0
        assert services.deliver_alerts(start + DAY - MINUTE) == 0
        assert services.deliver_alerts(start + DAY + 2 * MINUTE) == 1

    def test_weekly_waits_a_week(self, student, save):
        save("q=cafe", frequency="weekly")
        start = timezone.now()
        services.deliver_alerts(start + MINUTE)
        ProjectFactory(title="Café menu", published_at=start + 2 * MINUTE)
        assert services.deliver_alerts(start + 6 * DAY) == 0
        assert services.deliver_alerts(start + 7 * DAY + 2 * MINUTE) == 1

    def test_off_never_alerts(self, student, save):
        search = save("q=cafe")
        services.update_search(search, by=student, frequency="off")
        ProjectFactory(title="Café menu")
        assert services.deliver_alerts(later()) == 0


class TestUnsubscribe:
    def test_the_link_works_once_and_only_for_its_search(self, student, save):
        search, other = save("q=cafe"), save("q=tea", name="Tea")
        token = services.unsubscribe_path(search).split("/")[-2]
        services.unsubscribe(token)
        search.refresh_from_db()
        other.refresh_from_db()
        assert search.frequency == SavedSearch.Frequency.OFF
        assert other.frequency == SavedSearch.Frequency.INSTANT
        with pytest.raises(services.InvalidLink, match="used already"):
            services.unsubscribe(token)

    def test_a_tampered_link_is_refused_clearly(self, student, save):
        token = services.unsubscribe_path(save()).split("/")[-2]
        with pytest.raises(services.InvalidLink, match="not valid"):
            services.unsubscribe(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))


class TestSaving:
    def test_the_query_is_normalized_through_the_discovery_form(self, student, save):
        # As discovery reads it: the last of repeated values, without the page.
        search = save("?page=3&q=tea&min_pay=100.50&work_mode=remote&q=+cafe+")
        assert search.query == "q=cafe&min_pay=100.5&work_mode=remote"

    @pytest.mark.parametrize(
        "query, message",
        [
            ("min_pay=lots", "Enter a number."),
            ("skills=999999", "There is no skill with the id 999999."),
            ("q=" + "x" * 201, "at most 200 characters"),
            ("q=a%00b", "not allowed (U+0000)"),
            ("x" * 3000, "at most 2000 characters"),
        ],
    )
    def test_hostile_queries_are_refused(self, save, query, message):
        with pytest.raises(ValidationError) as caught:
            save(query)
        assert message.lower() in str(caught.value).lower()

    def test_only_students_save_searches(self, owner):
        with pytest.raises(Refused):
            services.save_search(owner, by=owner, name="X", query="", frequency="daily")

    def test_a_student_keeps_at_most_twenty(self, save):
        for n in range(services.MAX_SEARCHES):
            save(name=f"S{n}")
        with pytest.raises(Conflict, match="delete one"):
            save(name="One too many")

    def test_a_deleted_account_keeps_no_searches(self, student, save):
        from practicum.accounts.signals import account_deleted

        save()
        account_deleted.send(sender=type(student), user=student)
        assert not SavedSearch.objects.exists()


@pytest.mark.parametrize("searches", [3, 30])
def test_the_pass_costs_the_same_whatever_the_number_of_searches(
    searches, django_assert_max_num_queries
):
    """Set-based: due searches, new projects (+ skills), known hits, new hits, cursors — and a
    few queries per alert recorded. With nothing new the count is fixed."""
    for n in range(searches):
        student = StudentFactory()
        services.save_search(student, by=student, name=f"S{n}", query="q=zzz", frequency="instant")
    ProjectFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        assert services.deliver_alerts(later()) == 0
    # due, projects, skills, hits, bulk insert (none), and one cursor update per frequency
    assert len(queries) <= 9


@pytest.mark.parametrize("searches", [3, 30])
def test_each_alert_recorded_costs_a_few_queries_more(searches):
    """With news for every search the pass grows with what it delivers, a fixed few queries per
    alert (notify: the preference, the notification), never with a query per project."""
    for n in range(searches):
        student = StudentFactory()
        services.save_search(student, by=student, name=f"S{n}", query="", frequency="instant")
    ProjectFactory.create_batch(5)
    with CaptureQueriesContext(connection) as queries:
        assert services.deliver_alerts(later()) == searches
    assert len(queries) <= 9 + PER_ALERT * searches
