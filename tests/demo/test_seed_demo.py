import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from practicum.accounts.models import Institution, Membership, Organization, User
from practicum.completion.models import Payment
from practicum.engagements.models import Application, Engagement, EngagementEvent
from practicum.notifications.kinds import Delivery
from practicum.notifications.models import EmailDelivery, Notification
from practicum.notifications.services import queue_digests
from practicum.profiles.models import StudentProfile
from practicum.projects.models import Project
from practicum.reciprocity.selectors import organization_reciprocity
from practicum.reviews.models import Review, VerifiedSkill
from practicum.talent.models import TalentEntry
from practicum.workspace.checkins.models import CheckIn
from practicum.workspace.deliverables.models import Submission
from practicum.workspace.learning.models import LearningItem, PractisedSkill
from practicum.workspace.messaging.models import Message
from practicum.workspace.progress.models import ProgressComment, ProgressUpdate

pytestmark = pytest.mark.django_db

NORTHWIND = "Northwind Analytics"


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
    # 30 postings, plus the projects of the five engagements that tell the lifecycle.
    assert Project.objects.count() == 35
    assert set(Application.objects.values_list("status", flat=True)) == {
        "submitted",
        "shortlisted",
        "offered",
        "accepted",
        "declined",
        "rejected",
        "withdrawn",
    }
    assert set(Engagement.objects.values_list("state", flat=True)) == {
        "agreement_pending",
        "active",
        "completed",
        "cancelled",
    }

    users_before = set(User.objects.values_list("pk", flat=True))
    call_command("seed_demo")
    assert set(User.objects.values_list("pk", flat=True)) == users_before
    assert "no demo data added" in capsys.readouterr().out


def test_an_engagement_is_under_way(taxonomy):
    call_command("seed_demo")
    now = timezone.now()
    engagement = Engagement.objects.get(student__email="ana.silva@students.example", state="active")
    assert engagement.project.organization.name == NORTHWIND
    assert engagement.mentor.email == "mateo@northwind.example"
    assert engagement.agreement_versions.get(status="current").signatures.count() == 2
    assert (timezone.localdate() - engagement.project.starts_on).days in range(19, 24)

    checkins = CheckIn.objects.filter(engagement=engagement)
    held = checkins.filter(status="held")
    assert held.count() == 2
    assert all(c.notes and c.agenda.exists() for c in held)
    assert checkins.filter(status="missed").count() == 1
    assert checkins.filter(reschedule_count__gt=0, status="held").count() == 1
    assert checkins.filter(status="scheduled", scheduled_at__gt=now).count() >= 2
    assert not checkins.filter(status="scheduled", scheduled_at__lt=now).exists()

    messages = Message.objects.filter(engagement=engagement)
    assert messages.count() >= 8
    assert messages.filter(is_question=True, answered_at__isnull=False).exists()
    assert messages.filter(is_question=True, answered_at__isnull=True).count() == 1
    assert list(messages.order_by("pk")) == list(messages.order_by("created_at"))

    submissions = Submission.objects.filter(engagement=engagement, deliverable_key="d1")
    assert [s.status for s in submissions.order_by("number")] == [
        "changes_requested",
        "accepted",
    ]

    updates = ProgressUpdate.objects.filter(engagement=engagement)
    assert updates.count() >= 2 and all(u.hours > 0 for u in updates)
    assert ProgressComment.objects.filter(update__engagement=engagement, side="organization")

    items = LearningItem.objects.filter(engagement=engagement)
    assert items.filter(kind="resource").exists()
    assert items.filter(kind="training", status="in_progress").exists()
    assert items.filter(kind="goal", from_agreement=True).exists()
    assert PractisedSkill.objects.filter(engagement=engagement).exists()

    # The story happened in the past, in order: nothing is stamped in the future and the work
    # began after the agreement was signed.
    events = EngagementEvent.objects.filter(engagement=engagement)
    assert not events.filter(at__gt=now).exists()
    activated = events.get(kind="activated").at
    assert activated < held.order_by("scheduled_at").first().scheduled_at
    assert events.filter(kind="checkin_held").count() == 2
    assert events.filter(kind="question_answered").exists()


def test_northwind_has_a_history(taxonomy):
    call_command("seed_demo")
    northwind = Organization.objects.get(name=NORTHWIND)
    completed = Engagement.objects.filter(project__organization=northwind, state="completed")
    assert completed.count() >= 3
    assert len({e.student_id for e in completed}) == completed.count()
    for engagement in completed:
        final = Review.objects.filter(engagement=engagement, round="final")
        assert {r.side for r in final} == {"student", "organization"}
        assert all(r.revealed_at for r in final)
        assert Payment.objects.filter(engagement=engagement).exists()
    statuses = set(
        Payment.objects.filter(engagement__in=completed).values_list("status", flat=True)
    )
    assert statuses == {"confirmed", "recorded"}

    index = organization_reciprocity(northwind)
    assert index.enough_history and index.engagements >= 3
    assert index.value is not None and 0 < index.value < 100
    payments = next(c for c in index.components if c.key == "payments_on_time")
    assert (payments.numerator, payments.denominator) == (2, 3)  # one was paid late

    assert VerifiedSkill.objects.filter(student__email="ana.silva@students.example").exists()
    entry = TalentEntry.objects.get(organization=northwind)
    assert entry.student.student_profile.open_to_future_roles

    # Each story happened when it says: the first finished engagement lies months back.
    oldest = completed.order_by("project__starts_on").first()
    assert (timezone.localdate() - oldest.project.ends_on).days > 60
    assert oldest.events.latest("at").at < timezone.now() - datetime.timedelta(days=60)

    cancelled = Engagement.objects.get(state="cancelled")
    assert cancelled.events.get(kind="cancelled").details["reason"]


def test_northwinds_completed_engagements_hold_credentials(taxonomy):
    """Issued through the same code path: at completion, then again with the skills endorsed
    in the final reviews; every version verifies."""
    from practicum.credentials.selectors import current_credential
    from practicum.credentials.verification import verify_token

    call_command("seed_demo")
    completed = Engagement.objects.filter(state="completed", project__organization__name=NORTHWIND)
    assert completed.count() == 3
    for engagement in completed:
        current = current_credential(engagement)
        assert current.student == engagement.student
        assert current.document["credentialSubject"]["achievement"]["alignment"]
        assert current.supersedes.engagement == engagement
        for version in engagement.credentials.all():
            assert verify_token(version.jwt).verified


def test_the_demo_history_sends_no_email(taxonomy):
    """Notifications of the seeded history stay in the app; the worker finds nothing to send."""
    call_command("seed_demo")
    assert Notification.objects.exists()
    assert not EmailDelivery.objects.filter(status=EmailDelivery.Status.PENDING).exists()
    assert not Notification.objects.exclude(delivery=Delivery.IN_APP).exists()
    assert queue_digests(now=timezone.now() + datetime.timedelta(days=1)) == 0


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
    counts = {
        model: model.objects.count()
        for model in (Engagement, EngagementEvent, CheckIn, Message, Submission, Review, Payment)
    }
    call_command("seed_demo", force=True)
    assert Organization.objects.count() == 3
    assert StudentProfile.objects.count() == 25
    assert {model: model.objects.count() for model in counts} == counts
    assert TalentEntry.objects.count() == 1


def test_seed_refuses_without_taxonomy(capsys):
    call_command("seed_demo")
    assert not User.objects.exists()
    assert "load_skills" in capsys.readouterr().err


def test_the_career_center_sees_students_who_share(taxonomy, client):
    from practicum.careers.models import AccessLogEntry, Enrollment

    call_command("seed_demo")
    assert client.login(email="carla@riverside.example", password="practicum-demo")
    students = client.get("/dashboard/").context["students"]
    assert len(students) == 2
    assert Enrollment.objects.filter(state="pending").count() == 1
    first = students.object_list[0].student
    assert client.get(f"/careers/students/{first.pk}/").status_code == 200
    assert AccessLogEntry.objects.filter(student=first).exists()
