"""A pass of the periodic job with nothing new due costs the same number of queries whatever
the number of engagements, open rounds, pending reveals, offers and digests: the finders read
sets, never one engagement at a time (issue 14: 56,000 queries a pass at full scale)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practicum.engagements import services as engagement_services
from practicum.notifications import services
from tests.factories import ApplicationFactory, MembershipFactory, ProjectFactory, StudentFactory
from tests.fixtures_engagements import make_offered, sign_both
from tests.reviews.conftest import open_midpoint, submit

pytestmark = pytest.mark.django_db

# The whole pass, every registered finder included, with nothing new due (and one DELETE of the
# idempotency keys older than a week), one look for saved searches due an alert, and the stored
# reciprocity index's 2 look-ups for rows to recompute.
BUDGET = 34


def grow(n: int) -> None:
    """n organizations, each with an active engagement whose mid-point round is open and
    written by the student only (a reveal waits for the window to close), an offer that does
    not expire soon, and an owner whose digest went out today with more news since."""
    for i in range(n):
        owner = MembershipFactory().user
        organization = owner.memberships.get().organization
        project = ProjectFactory(organization=organization, mentor=owner)
        student = StudentFactory()
        application = make_offered(ApplicationFactory(project=project, student=student))
        engagement = engagement_services.accept_offer(application, by=student)
        engagement = sign_both(engagement, student, owner)
        open_midpoint(engagement)
        submit(engagement, "midpoint", student)
        make_offered(
            ApplicationFactory(project=ProjectFactory(organization=organization)),
            expires_in=datetime.timedelta(days=5),
        )
        services.notify(owner, "application_received", project, occurrence=f"first-{i}")
    services.run_periodic_pass()  # records and sends what became due, digests included
    for i, membership in enumerate(MembershipFactory._meta.model.objects.filter(role="owner")):
        services.notify(membership.user, "application_received", None, occurrence=f"later-{n}-{i}")


def queries_of_a_quiet_pass() -> int:
    services.run_periodic_pass()
    with CaptureQueriesContext(connection) as captured:
        summary = services.run_periodic_pass()
    assert summary == {"reminders": 0, "digests": 0, "sent": 0, "retry": 0, "failed": 0}
    return len(captured.captured_queries)


def test_a_quiet_pass_costs_a_fixed_number_of_queries(clock, django_assert_max_num_queries):
    grow(2)
    small = queries_of_a_quiet_pass()
    grow(5)
    with django_assert_max_num_queries(BUDGET):
        services.run_periodic_pass()
    assert queries_of_a_quiet_pass() == small
