"""The project state machine (lifecycle.PROJECT), reached through projects.status."""

import pytest

from practicum.core.errors import Conflict
from practicum.engagements import lifecycle
from practicum.projects import status as project_status
from practicum.projects.models import Project

pytestmark = pytest.mark.django_db

Status = Project.Status

# The whole state machine, written out by hand: (from, action) → to. Anything missing is illegal.
LEGAL = {
    (Status.DRAFT, "publish"): Status.OPEN,
    (Status.OPEN, "close"): Status.CLOSED,
    (Status.CLOSED, "reopen"): Status.OPEN,
    (Status.DRAFT, "archive"): Status.ARCHIVED,
    (Status.OPEN, "archive"): Status.ARCHIVED,
    (Status.CLOSED, "archive"): Status.ARCHIVED,
}
ALL = [(status, action) for status in Status.values for action in project_status.ACTIONS]
ILLEGAL = [pair for pair in ALL if pair not in LEGAL]


def test_the_table_is_the_documented_machine():
    table = {
        (source, m.action): m.target
        for m in lifecycle.PROJECT.moves
        if m.who == lifecycle.Who.ORGANIZATION
        for source in m.sources
    }
    assert table == LEGAL
    # Practicum closes an open project itself when its last place is taken.
    platform = [
        (m.action, m.sources, m.target)
        for m in lifecycle.PROJECT.moves
        if m.who != lifecycle.Who.ORGANIZATION
    ]
    assert platform == [("fill", frozenset({Status.OPEN}), Status.CLOSED)]


@pytest.mark.parametrize(("status", "action"), list(LEGAL), ids="{0[0]}-{0[1]}".format)
def test_legal_transitions(project, owner, status, action):
    Project.objects.filter(pk=project.pk).update(status=status)
    project.refresh_from_db()

    project_status.change(project, action, by=owner)

    project.refresh_from_db()
    assert project.status == LEGAL[(status, action)]


@pytest.mark.parametrize(("status", "action"), ILLEGAL, ids="{0[0]}-{0[1]}".format)
def test_every_illegal_transition_is_refused(project, owner, status, action):
    Project.objects.filter(pk=project.pk).update(status=status)
    project.refresh_from_db()

    with pytest.raises(Conflict) as caught:
        project_status.change(project, action, by=owner)

    assert caught.value.code == "illegal_transition"
    assert caught.value.status == 409
    assert caught.value.message.endswith(".")
    assert Project.objects.get(pk=project.pk).status == status


def test_the_refusal_is_a_sentence(project, owner):
    project_status.change(project, "archive", by=owner)
    with pytest.raises(Conflict) as caught:
        project_status.change(project, "reopen", by=owner)
    assert caught.value.message == "An archived project cannot be reopened."


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        (Status.DRAFT, ["publish", "archive"]),
        (Status.OPEN, ["close", "archive"]),
        (Status.CLOSED, ["reopen", "archive"]),
        (Status.ARCHIVED, []),
    ],
)
def test_allowed_actions_follow_the_table(project, owner, status, actions):
    project.status = status
    assert [a.action for a in project_status.allowed(project, owner)] == actions


def test_closing_records_why_and_when(project, owner):
    project_status.change(project, "close", by=owner)
    project.refresh_from_db()
    assert project.closed_reason == Project.ClosedReason.MANUAL
    assert project.closed_at is not None
