import pytest

from practicum.core.errors import Conflict
from practicum.projects import services, transitions
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
ALL = [(status, action) for status in Status.values for action in services.STATUS_CHANGES]
ILLEGAL = [pair for pair in ALL if pair not in LEGAL]


def test_the_table_is_the_documented_machine():
    table = {
        (source, t.action): t.target
        for t in transitions.TRANSITIONS.values()
        for source in t.sources
    }
    assert table == LEGAL
    assert set(services.STATUS_CHANGES) == set(transitions.TRANSITIONS)


@pytest.mark.parametrize(("status", "action"), list(LEGAL), ids="{0[0]}-{0[1]}".format)
def test_legal_transitions(project, owner, status, action):
    Project.objects.filter(pk=project.pk).update(status=status)
    project.refresh_from_db()

    services.STATUS_CHANGES[action](project, by=owner)

    project.refresh_from_db()
    assert project.status == LEGAL[(status, action)]


@pytest.mark.parametrize(("status", "action"), ILLEGAL, ids="{0[0]}-{0[1]}".format)
def test_every_illegal_transition_is_refused(project, owner, status, action):
    Project.objects.filter(pk=project.pk).update(status=status)
    project.refresh_from_db()

    with pytest.raises(Conflict) as caught:
        services.STATUS_CHANGES[action](project, by=owner)

    assert caught.value.code == "illegal_transition"
    assert caught.value.status == 409
    assert caught.value.message.endswith(".")
    assert Project.objects.get(pk=project.pk).status == status


def test_the_refusal_is_a_sentence(project, owner):
    services.archive_project(project, by=owner)
    with pytest.raises(Conflict) as caught:
        services.reopen_project(project, by=owner)
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
def test_allowed_actions_follow_the_table(status, actions):
    assert [t.action for t in transitions.allowed_actions(status)] == actions


def test_closing_records_why_and_when(project, owner):
    services.close_project(project, by=owner)
    project.refresh_from_db()
    assert project.closed_reason == Project.ClosedReason.MANUAL
    assert project.closed_at is not None
