"""The span a stored row claims (valid_from..valid_until) is true: at every moment inside it the
engagement's tallies, recomputed from its history, are the ones stored."""

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from practicum.reciprocity import index as idx
from tests.reciprocity.generated import history

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def facts(tallies: idx.Tallies):
    """The tallies without their span."""
    return dataclasses.replace(tallies, valid_from=None, valid_until=None)


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 10**9), shifts=st.lists(st.integers(-90 * 24, 90 * 24), max_size=6))
def test_the_tallies_hold_over_their_span(seed, shifts):
    h = history(seed, NOW)
    stored = idx.engagement_tallies(h, NOW)
    lo, hi = stored.valid_from, stored.valid_until
    assert lo is None or lo <= NOW
    assert hi is None or hi >= NOW
    inside = [m for m in (lo, hi) if m is not None]
    for hours in shifts:
        moment = NOW + dt.timedelta(hours=hours, minutes=hours % 60)
        if (lo is None or lo <= moment) and (hi is None or moment <= hi):
            inside.append(moment)
    for moment in inside:
        assert facts(idx.engagement_tallies(h, moment)) == facts(stored), moment


@settings(max_examples=100, deadline=None)
@given(
    seeds=st.lists(st.integers(0, 10**9), min_size=1, max_size=8), hours=st.integers(-2000, 2000)
)
def test_summed_tallies_are_the_index(seeds, hours):
    """Summing per-engagement tallies is the index over all the histories, on both sides."""
    now = NOW + dt.timedelta(hours=hours)
    histories = [history(seed, NOW, engagement_id=n) for n, seed in enumerate(seeds)]
    tallies = [idx.engagement_tallies(h, now) for h in histories]
    half = len(tallies) // 2
    for side, whole, from_totals in (
        (idx.ORGANIZATION, idx.organization_index, idx.organization_index_from),
        (idx.STUDENT, idx.student_index, idx.student_index_from),
    ):
        combined = idx.combine(idx.total(tallies[:half], side), idx.total(tallies[half:], side))
        assert from_totals(combined, [4, 5]) == whole(histories, [4, 5], now)
