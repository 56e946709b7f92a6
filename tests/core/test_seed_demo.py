import pytest
from django.core.management import call_command

from practicum.accounts.models import Institution, Membership, Organization, User
from practicum.engagements.models import Application, Engagement
from practicum.profiles.models import StudentProfile
from practicum.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def taxonomy():
    call_command("load_skills", verbosity=0)


def test_seed_demo_builds_the_world_once(taxonomy, client, capsys):
    call_command("seed_demo")
    assert Organization.objects.count() == 3
    assert Membership.objects.filter(role="owner").count() == 3
    assert Membership.objects.filter(role="mentor").count() >= 3
    assert Institution.objects.get().staff.count() == 1
    profiles = StudentProfile.objects.prefetch_related("skills", "availability")
    assert profiles.count() == 25
    assert all(p.skills.all() and p.availability.all() for p in profiles)
    assert len({p.headline for p in profiles}) >= 5  # varied, not one profile 25 times

    statuses = set(Project.objects.values_list("status", flat=True))
    assert statuses == {"draft", "open", "closed", "archived"}
    assert Project.objects.count() == 30
    assert set(Application.objects.values_list("status", flat=True)) == {
        "submitted",
        "shortlisted",
        "offered",
        "accepted",
        "declined",
        "rejected",
        "withdrawn",
    }
    assert Engagement.objects.filter(state="agreement_pending").exists()

    users_before = set(User.objects.values_list("pk", flat=True))
    call_command("seed_demo")
    assert set(User.objects.values_list("pk", flat=True)) == users_before
    assert "no demo data added" in capsys.readouterr().out


def test_demo_logins_work(taxonomy, client):
    call_command("seed_demo")
    for email in (
        "nora@northwind.example",
        "mateo@northwind.example",
        "ana.silva@students.example",
    ):
        assert client.login(email=email, password="practicum-demo"), email


def test_force_reseeds_without_duplicates(taxonomy):
    call_command("seed_demo")
    call_command("seed_demo", force=True)
    assert Organization.objects.count() == 3
    assert StudentProfile.objects.count() == 25


def test_seed_refuses_without_taxonomy(capsys):
    call_command("seed_demo")
    assert not User.objects.exists()
    assert "load_skills" in capsys.readouterr().err
