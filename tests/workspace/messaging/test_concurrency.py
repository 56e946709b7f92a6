"""Many people posting at the same moment: nothing lost, nothing doubled, each writer's messages
in the order they wrote them, ids in thread order."""

import random
import time
import uuid

import pytest
from django.db import OperationalError, connection

from practicum.accounts.models import Membership
from practicum.workspace.messaging import services
from practicum.workspace.messaging.models import Message
from tests.factories import MembershipFactory

THREADS, EACH = 10, 50
# A post that keeps meeting a busy database gives up after this long (the test then fails).
RETRY_DEADLINE = 30


def post_until_done(engagement, person, body, key) -> int:
    """Post like a client: a request that failed on a busy database is sent again with the same
    key (which is what the key is for). Returns how many retries it took."""
    retries = 0
    deadline = time.monotonic() + RETRY_DEADLINE
    while time.monotonic() < deadline:
        try:
            services.post_message(engagement, by=person, body=body, idempotency_key=key)
            return retries
        except OperationalError as exc:
            # SQLite's writers take turns on one lock with a 5 s busy timeout and no queue:
            # a writer can be starved past it. PostgreSQL queues writers on the row lock.
            if "locked" not in str(exc):
                raise
            retries += 1
    raise AssertionError(f"{person} could not post {body!r} within {RETRY_DEADLINE} s")


@pytest.mark.django_db(transaction=True)
def test_ten_writers_post_fifty_messages_each_at_once(concurrently, active_engagement, student):
    engagement = active_engagement
    owner = MembershipFactory(
        organization=engagement.project.organization, role=Membership.Role.OWNER
    ).user
    # Ten writers from both sides; a person may write from two tabs at once.
    writers = [student, engagement.mentor, owner] * 3 + [student]

    def writer(index, person):
        def run():
            retries = 0
            for n in range(EACH):
                key = str(uuid.uuid4())
                retries += post_until_done(engagement, person, f"{index}:{n}", key)
                if n % 10 == 0:  # a double click: the same submission again changes nothing
                    retries += post_until_done(engagement, person, f"{index}:{n}", key)
                if connection.vendor == "sqlite":
                    # People pause between messages. Without a pause, ten writers that never
                    # let go of SQLite's single write lock starve each other; their posts still
                    # overlap (a post holds the lock a few ms), which is what is tested here.
                    time.sleep(random.uniform(0.02, 0.1))
            return retries

        return run

    results = concurrently.run([writer(i, p) for i, p in enumerate(writers)])
    assert all(isinstance(r, int) for r in results), (connection.vendor, results)
    if connection.vendor == "postgresql":
        assert sum(results) == 0  # row locks queue the writers: nobody is turned away

    def thread():
        return list(
            Message.objects.filter(engagement=engagement)
            .order_by("pk")
            .values_list("author_id", "body")
        )

    posted = concurrently.read(thread)
    assert len(posted) == THREADS * EACH
    assert len({body for _, body in posted}) == THREADS * EACH
    for index, person in enumerate(writers):
        mine = [(author, body) for author, body in posted if body.startswith(f"{index}:")]
        assert mine == [(person.pk, f"{index}:{n}") for n in range(EACH)]
