"""The application state machine (lifecycle.APPLICATION), checked over every pair of statuses."""

import itertools

import pytest

from practicum.core.errors import Conflict, Refused
from practicum.engagements import lifecycle, services
from practicum.engagements.models import Application, Engagement

from .conftest import make_offered

pytestmark = pytest.mark.django_db

S = Application.Status
STUDENT, ORGANIZATION = "student", "organization"

# The moves people make, written out by hand: (from, to) → the side that makes the move.
LEGAL = {
    (S.SUBMITTED, S.SHORTLISTED): ORGANIZATION,
    (S.SUBMITTED, S.OFFERED): ORGANIZATION,
    (S.SUBMITTED, S.REJECTED): ORGANIZATION,
    (S.SUBMITTED, S.WITHDRAWN): STUDENT,
    (S.SHORTLISTED, S.OFFERED): ORGANIZATION,
    (S.SHORTLISTED, S.REJECTED): ORGANIZATION,
    (S.SHORTLISTED, S.WITHDRAWN): STUDENT,
    (S.OFFERED, S.ACCEPTED): STUDENT,
    (S.OFFERED, S.DECLINED): STUDENT,
    (S.OFFERED, S.WITHDRAWN): STUDENT,
    (S.OFFERED, S.REJECTED): ORGANIZATION,  # the organization rescinds its offer
}
ALL_PAIRS = list(itertools.product(S.values, repeat=2))
ILLEGAL = [pair for pair in ALL_PAIRS if pair not in LEGAL]
FINAL = {S.ACCEPTED, S.DECLINED, S.REJECTED, S.WITHDRAWN}

# The service that moves an application to each status; nothing moves one back to submitted.
SERVICE_FOR = {
    S.SHORTLISTED: services.shortlist,
    S.OFFERED: services.make_offer,
    S.REJECTED: services.reject,
    S.WITHDRAWN: services.withdraw,
    S.ACCEPTED: services.accept_offer,
    S.DECLINED: services.decline_offer,
}


def pair_id(pair) -> str:
    return f"{pair[0]}-{pair[1]}"


def in_status(application, status):
    if status == S.OFFERED:
        return make_offered(application)
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


# And the moves Practicum makes itself: a match round's offer, an offer taken back because the
# project filled, closed or was archived, and the applications nobody decided on declined then.
PLATFORM = {
    (S.SUBMITTED, S.OFFERED),
    (S.SHORTLISTED, S.OFFERED),
    (S.OFFERED, S.WITHDRAWN),
    (S.SUBMITTED, S.REJECTED),
    (S.SHORTLISTED, S.REJECTED),
}


def test_the_table_is_the_documented_machine():
    table = lifecycle.APPLICATION
    people = {
        (source, m.target): m.who
        for m in table.moves
        if m.who != lifecycle.Who.PLATFORM
        for source in m.sources
    }
    platform = {
        (source, m.target)
        for m in table.moves
        if m.who == lifecycle.Who.PLATFORM
        for source in m.sources
    }
    assert people == LEGAL
    assert platform == PLATFORM
    assert lifecycle.APPLICATION_FINAL == FINAL


@pytest.mark.parametrize("move", lifecycle.APPLICATION.moves, ids=lambda m: m.action)
@pytest.mark.parametrize("source", S.values)
def test_check_refuses_every_move_the_table_lacks_with_a_sentence(application, source, move):
    application.status = source
    if source in move.sources:
        assert lifecycle.check(lifecycle.APPLICATION, application, move.action) is move
        return
    with pytest.raises(Conflict) as caught:
        lifecycle.check(lifecycle.APPLICATION, application, move.action)

    assert caught.value.code == "illegal_transition"
    assert caught.value.status == 409
    assert f"from “{S(source).label}” to “{S(move.target).label}”" in caught.value.message
    assert caught.value.message.endswith(".")


@pytest.mark.parametrize("pair", [p for p in ILLEGAL if p[1] in SERVICE_FOR], ids=pair_id)
def test_every_service_refuses_an_illegal_move(application, owner, student, pair):
    source, target = pair
    application = in_status(application, source)
    # The side allowed to make moves to `target`, so only the table can refuse.
    by = student if target in (S.WITHDRAWN, S.ACCEPTED, S.DECLINED) else owner

    with pytest.raises(Conflict) as caught:
        SERVICE_FOR[target](application, by=by)

    assert caught.value.code == "illegal_transition"
    assert Application.objects.get(pk=application.pk).status == source
    assert not Engagement.objects.exists()


@pytest.mark.parametrize("pair", list(LEGAL), ids=pair_id)
def test_every_legal_move_is_made_by_its_side(application, owner, student, pair):
    source, target = pair
    application = in_status(application, source)
    by = student if LEGAL[pair] == STUDENT else owner

    SERVICE_FOR[target](application, by=by)

    application.refresh_from_db()
    assert application.status == target
    assert application.status_changed_at >= application.created_at


@pytest.mark.parametrize("pair", list(LEGAL), ids=pair_id)
def test_the_other_side_is_refused(application, owner, student, pair):
    source, target = pair
    application = in_status(application, source)
    by = owner if LEGAL[pair] == STUDENT else student

    with pytest.raises(Refused) as caught:
        SERVICE_FOR[target](application, by=by)

    assert caught.value.status == 403
    assert Application.objects.get(pk=application.pk).status == source


def test_a_final_decision_says_so(application, student):
    application = in_status(application, S.REJECTED)

    with pytest.raises(Conflict) as caught:
        services.withdraw(application, by=student)

    assert caught.value.message == (
        "An application cannot go from “Not selected” to “Withdrawn”. That decision is final."
    )


def test_allowed_actions_per_side():
    def actions(status, side):
        return [m.action for m in lifecycle.moves_of(lifecycle.APPLICATION, status, side)]

    assert actions(S.SUBMITTED, ORGANIZATION) == ["shortlist", "offer", "reject"]
    assert actions(S.OFFERED, STUDENT) == ["accept", "decline", "withdraw"]
    assert actions(S.ACCEPTED, STUDENT) == []
