"""Fixtures for deliverables: files never land in the repository (MEDIA_ROOT is a temporary
folder), and a way to set the terms' deliverables. Sample files are in tests/uploads.py."""

import pytest

from practicum.engagements.models import AgreementVersion


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def set_deliverables(engagement, *deliverables: dict) -> None:
    """Replace the deliverables of the version in force (a test shortcut for an amendment);
    each dict needs key and due_on (an ISO date or None), title defaults to the key."""
    version = engagement.agreement_versions.get(status=AgreementVersion.Status.CURRENT)
    version.terms = {
        **version.terms,
        "deliverables": [{"title": d["key"].upper(), "description": "", **d} for d in deliverables],
    }
    version.save(update_fields=["terms"])


@pytest.fixture
def engagement(active_engagement):
    """Active, with the one deliverable the project lists: d1 "Findings report", due at the
    project's end (41 days from now)."""
    return active_engagement


@pytest.fixture
def dated(engagement):
    """The engagement with d1 due on 10 March 2030 (late from midnight UTC between the 10th
    and the 11th) and d2 undated."""
    set_deliverables(
        engagement,
        {"key": "d1", "title": "Report", "due_on": "2030-03-10"},
        {"key": "d2", "title": "Undated", "due_on": None},
    )
    return engagement
