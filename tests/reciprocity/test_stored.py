"""The stored index (one row per engagement) always equals the index recomputed from every
history: after the first read, after time passes (deadlines fall due), after new events, after
the periodic pass and after `recompute_reciprocity`; and reading it costs the same number of
queries for 3 engagements as for 30."""

import datetime
import io
import random

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from practicum.engagements.models import AgreementVersion, Application, EngagementEvent
from practicum.reciprocity import selectors, services
from practicum.reciprocity.models import EngagementTally, current_at
from tests.factories import ApplicationFactory, ProjectFactory
from tests.reciprocity import generated
from tests.reciprocity.conftest import held_checkin, make_engagement, rating


def generated_engagement(organization, seed: int):
    """An engagement of `organization` whose agreement and events come from generated.py."""
    rng = random.Random(seed)
    now = timezone.now()
    t = generated.terms(rng, timezone.localdate())
    engagement = make_engagement(organization=organization, state=t["state"])
    engagement.project.timezone = t["timezone"]
    engagement.project.save(update_fields=["timezone"])
    version = AgreementVersion.objects.get(engagement=engagement)
    version.terms.update(
        starts_on=t["starts_on"].isoformat(),
        ends_on=t["ends_on"].isoformat(),
        response_time_hours=t["org_hours"],
        student_response_time_hours=t["student_hours"],
        deliverables=[
            {"key": key, "title": key, "due_on": due.isoformat() if due else None}
            for key, due in t["deliverables"]
        ],
    )
    version.save()
    for kind, at, details in generated.events(rng, t, now):
        EngagementEvent.objects.create(engagement=engagement, kind=kind, at=at, details=details)
    return engagement


def assert_stored_equals_recomputed(organization, students):
    assert selectors.organization_reciprocity(
        organization
    ) == selectors.recomputed_organization_reciprocity(organization)
    for student in students:
        assert selectors.student_reciprocity(student) == selectors.recomputed_student_reciprocity(
            student
        )


def not_current() -> int:
    return EngagementTally.objects.exclude(current_at(timezone.now())).count()


@pytest.fixture
def clock(monkeypatch):
    """Moves timezone.now() forward, as the passing of time would."""
    real = timezone.now

    def advance(delta: datetime.timedelta):
        moved = real() + delta
        monkeypatch.setattr(timezone, "now", lambda: moved)

    return advance


@pytest.mark.parametrize("seed", range(5))
def test_stored_equals_recomputed_as_time_passes_and_events_arrive(organization, clock, seed):
    engagements = [generated_engagement(organization, seed * 100 + n) for n in range(5)]
    students = [e.student for e in engagements]
    for engagement in engagements[:3]:
        rating(engagement, side="student", scores={"a": 4})
    answered = ApplicationFactory(project=engagements[0].project)
    Application.objects.filter(pk=answered.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=20),
        answered_at=timezone.now() - datetime.timedelta(days=2),
    )

    assert_stored_equals_recomputed(organization, students)
    assert not_current() == 0  # the first read stored every row
    for days in (0.5, 2, 9, 30, 75):
        clock(datetime.timedelta(days=days))
        assert_stored_equals_recomputed(organization, students)
    # New events on a row that was current.
    held_checkin(engagements[1], 99, days_ago=1, moved=True)
    EngagementEvent.objects.create(
        engagement=engagements[2],
        kind="message_posted",
        at=timezone.now(),
        details={"side": "student", "message": 1000, "question": True},
    )
    assert not_current() >= 2
    assert_stored_equals_recomputed(organization, students)


def test_the_periodic_pass_and_the_command_bring_rows_up_to_date(organization, clock):
    engagements = [generated_engagement(organization, 7000 + n) for n in range(6)]
    students = [e.student for e in engagements]
    assert EngagementTally.objects.count() == 6  # made with the engagements, not current yet
    assert services.refresh_due(timezone.now(), limit=4) == 4  # bounded
    assert services.refresh_due(timezone.now()) == 2
    assert not_current() == 0
    assert services.refresh_due(timezone.now()) == 0

    clock(datetime.timedelta(days=40))
    services.refresh_due(timezone.now())
    assert not_current() == 0
    assert_stored_equals_recomputed(organization, students)

    # Rows lost (or engagements loaded in bulk, without signals): the command rebuilds them.
    EngagementTally.objects.all().delete()
    call_command("recompute_reciprocity", stdout=io.StringIO())
    assert EngagementTally.objects.count() == 6 and not_current() == 0
    assert_stored_equals_recomputed(organization, students)


def test_rows_missing_are_recomputed_on_read(organization):
    engagements = [generated_engagement(organization, 9000 + n) for n in range(3)]
    EngagementTally.objects.filter(engagement=engagements[0]).delete()
    assert_stored_equals_recomputed(organization, [e.student for e in engagements])
    assert EngagementTally.objects.filter(engagement=engagements[0]).exists()


def test_a_past_moment_is_computed_not_stored(organization):
    engagement = generated_engagement(organization, 1)
    selectors.organization_reciprocity(organization)
    stored = EngagementTally.objects.get(engagement=engagement)
    earlier = timezone.now() - datetime.timedelta(days=30)
    assert selectors.organization_reciprocity(
        organization, now=earlier
    ) == selectors.recomputed_organization_reciprocity(organization, now=earlier)
    assert EngagementTally.objects.get(engagement=engagement).computed_at == stored.computed_at


class TestApplicationsAnswered:
    def test_answered_in_time_late_and_waiting(self, organization):
        project = ProjectFactory(organization=organization)
        now = timezone.now()
        day = datetime.timedelta(days=1)

        def application(created_days_ago, answered_days_ago=None, **extra):
            made = ApplicationFactory(project=project)
            Application.objects.filter(pk=made.pk).update(
                created_at=now - created_days_ago * day,
                answered_at=None if answered_days_ago is None else now - answered_days_ago * day,
                **extra,
            )

        application(20, 10)  # answered after 10 days: in time
        application(30, 10)  # after 20 days: late
        application(20)  # waiting 20 days: late
        application(5)  # waiting 5 days: not due yet
        application(30, None, status="withdrawn", status_changed_at=now - 25 * day)  # left early
        application(30, None, status="withdrawn", status_changed_at=now - 10 * day)  # waited 20
        ApplicationFactory()  # another organization's
        assert selectors.applications_answered(organization, now) == (1, 4)
        component = {c.key: c for c in selectors.organization_reciprocity(organization).components}[
            "applications_answered"
        ]
        assert (component.numerator, component.denominator) == (1, 4)
        assert component.sentence == "answered 1 of 4 applications within 14 days"


@pytest.mark.parametrize("count", [3, 30])
class TestQueryBudgetWhateverTheNumber:
    """The same number of queries for 3 engagements as for 30, cold (rows to recompute) and
    warm (every row current)."""

    @pytest.fixture
    def engagements(self, organization, student, count):
        made = [make_engagement(organization=organization) for _ in range(count - 1)]
        made.append(make_engagement(organization=organization, student=student))
        for n, engagement in enumerate(made):
            held_checkin(engagement, n, days_ago=40)
            rating(engagement, side="student", scores={"a": 4})
        return made

    def test_organization_index(self, organization, engagements, django_assert_num_queries):
        with django_assert_num_queries(10):
            cold = selectors.organization_reciprocity(organization)
        with django_assert_num_queries(6):
            warm = selectors.organization_reciprocity(organization)
        assert cold == warm and cold.engagements == len(engagements)

    def test_student_index(self, student, engagements, django_assert_num_queries):
        with django_assert_num_queries(9):
            selectors.student_reciprocity(student)
        with django_assert_num_queries(5):
            selectors.student_reciprocity(student)

    def test_page_card_and_api(
        self,
        client,
        api_client_for,
        outsider,
        organization,
        engagements,
        django_assert_max_num_queries,
    ):
        selectors.organization_reciprocity(organization)  # warm
        page = reverse("reciprocity:organization", args=[organization.slug])
        card = reverse("reciprocity:organization_card", args=[organization.slug])
        # + 2 each for the interviews
        with django_assert_max_num_queries(7):
            assert client.get(page).status_code == 200
        with django_assert_max_num_queries(7):
            assert client.get(card).status_code == 200
        api = api_client_for(outsider)
        with django_assert_max_num_queries(10):
            response = api.get(f"/api/v1/organizations/{organization.slug}/reciprocity")
        assert response.json()["engagements"] == len(engagements)


def test_writes_mark_only_their_engagement(organization):
    first, second = (make_engagement(organization=organization) for _ in range(2))
    selectors.organization_reciprocity(organization)
    held_checkin(first, 1, days_ago=1)
    EngagementEvent.objects.create(engagement=second, kind="skill_practised", details={})
    changed = set(
        EngagementTally.objects.exclude(current_at(timezone.now())).values_list(
            "engagement_id", flat=True
        )
    )
    assert changed == {first.pk}
