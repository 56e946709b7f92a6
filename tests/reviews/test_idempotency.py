"""Issue 12, double submits: a review form sent twice with one token writes once; the second
send returns the first result and changes nothing."""

import pytest

from practicum.core.models import IdempotencyKey
from practicum.reviews.models import Review
from tests.reviews.conftest import submit

pytestmark = pytest.mark.django_db


def test_the_same_token_writes_the_review_once(midpoint, student):
    first = submit(midpoint, "midpoint", student, strengths="Kind", idempotency_key="k")
    second = submit(midpoint, "midpoint", student, strengths="Changed", idempotency_key="k")
    assert second.pk == first.pk
    assert Review.objects.get().strengths == "Kind"
    assert IdempotencyKey.objects.get().result_id == first.pk


def test_a_new_token_edits_it(midpoint, student):
    submit(midpoint, "midpoint", student, strengths="Kind", idempotency_key="k1")
    submit(midpoint, "midpoint", student, strengths="Changed", idempotency_key="k2")
    assert Review.objects.get().strengths == "Changed"
