"""Fill a fresh PostgreSQL database with a university system's year, scaled.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practicum_scale \\
        .venv/bin/python bench/scale/generate.py --scale 0.02

At scale 1: 100,000 students, 2,000 organizations, 20,000 projects, ~490,000 applications,
20,000 engagements with their agreements, ~1,000,000 messages and as many timeline events,
500,000 notifications. Rows go in with bulk inserts, in states the services could have left
them in:

- half the projects ran: each took two students (two accepted applications, the rest not
  selected), is closed as full, and has two active engagements whose version 1 both sides
  signed (its terms drafted from the project, as on acceptance) and whose messages and events
  (drafted, signed twice, activated, one per message) are on their timelines;
- the other half are open, taking applications (submitted or shortlisted);
- the first organization holds 2.5% of the projects (the "biggest organization"), the first
  open project gets 2% of the students as applicants (the "most applicants");
- every student gets notifications, in app.

It migrates the database first and refuses one that already has users. Prints what it wrote
and how long it took.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practicum.settings")

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from practicum.accounts.models import Membership, Organization, User  # noqa: E402
from practicum.engagements import terms as agreement_terms  # noqa: E402
from practicum.engagements.models import (  # noqa: E402
    AgreementVersion,
    Application,
    Engagement,
    EngagementEvent,
    Side,
    Signature,
)
from practicum.notifications.models import Notification  # noqa: E402
from practicum.profiles.models import StudentProfile  # noqa: E402
from practicum.projects.models import Deliverable, Project  # noqa: E402
from practicum.workspace.messaging.models import Message  # noqa: E402

PASSWORD = "practicum-bench"
BATCH = 5_000
FULL = {
    "students": 100_000,
    "organizations": 2_000,
    "projects": 20_000,
    "applications_per_project": 24,
    "messages_per_engagement": 50,
    "notifications_per_student": 5,
}


def scaled(name: str, scale: float) -> int:
    return max(1, round(FULL[name] * scale))


def bulk(model, rows: list) -> list:
    """Insert in batches; PostgreSQL returns the primary keys."""
    return model.objects.bulk_create(rows, batch_size=BATCH)


def generate(scale: float, seed: int = 14) -> dict:
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    password = make_password(PASSWORD)
    n_students = scaled("students", scale)
    n_orgs = scaled("organizations", scale)
    n_projects = max(2, scaled("projects", scale))
    written = {}

    students = bulk(
        User,
        [
            User(
                email=f"student{i}@bench.example",
                name=f"Student {i}",
                account_type=User.AccountType.STUDENT,
                password=password,
            )
            for i in range(n_students)
        ],
    )
    owners = bulk(
        User,
        [
            User(
                email=f"owner{i}@bench.example",
                name=f"Owner {i}",
                account_type=User.AccountType.ORGANIZATION,
                password=password,
            )
            for i in range(n_orgs)
        ],
    )
    bulk(
        EmailAddress,
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in students]
        + [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in owners],
    )
    bulk(
        StudentProfile,
        [StudentProfile(user=u, learning_goals=["Ship real work"]) for u in students],
    )
    organizations = bulk(
        Organization,
        [Organization(name=f"Organization {i}", slug=f"organization-{i}") for i in range(n_orgs)],
    )
    bulk(
        Membership,
        [
            Membership(user=owner, organization=organization, role=Membership.Role.OWNER)
            for owner, organization in zip(owners, organizations, strict=True)
        ],
    )
    written.update(students=n_students, organizations=n_orgs)

    # Projects: the first organization holds 2.5% of them (50 times the average at scale 1;
    # at least 5 times the average at small scales, so it stays the biggest), the rest are
    # spread evenly.
    big = min(n_projects // 2, max(round(n_projects * 0.025), 5 * n_projects // n_orgs))
    owner_of = {}
    projects = []
    for i in range(n_projects):
        organization_index = 0 if i < big or n_orgs == 1 else 1 + i % (n_orgs - 1)
        ran = i % 2 == 0
        starts = today + datetime.timedelta(days=-20 if ran else 21)
        project = Project(
            organization=organizations[organization_index],
            title=f"Project {i}: analyse survey data",
            summary="Turn the answers into three recommendations.",
            description="We ran a **survey** and need help.",
            objectives=["Clean the data", "Find three themes"],
            learning_outcomes=["Survey analysis"],
            starts_on=starts,
            ends_on=starts + datetime.timedelta(days=41),
            application_deadline=starts - datetime.timedelta(days=7),
            estimated_hours=40,
            hours_per_week=10,
            compensation_amount=60_000,
            currency="EUR",
            capacity=2,
            mentor=owners[organization_index],
            created_by=owners[organization_index],
            status=Project.Status.CLOSED if ran else Project.Status.OPEN,
            places_taken=2 if ran else 0,
            closed_reason=Project.ClosedReason.FULL if ran else "",
            published_at=now - datetime.timedelta(days=40),
            closed_at=now - datetime.timedelta(days=25) if ran else None,
        )
        project.fold_search_text()  # bulk_create skips save(), which fills the search columns
        owner_of[i] = owners[organization_index]
        projects.append(project)
    projects = bulk(Project, projects)
    deliverables = bulk(
        Deliverable,
        [
            Deliverable(
                project=p,
                position=0,
                title="Findings report",
                description="Five pages.",
                due_on=p.ends_on,
            )
            for p in projects
        ],
    )
    deliverable_of = {d.project_id: d for d in deliverables}
    written["projects"] = n_projects

    # Applications; two accepted per project that ran, the biggest open project (index 1) gets
    # 2% of the students.
    applications, accepted = [], []
    ACCEPTED = Application.Status.ACCEPTED
    per_project = min(FULL["applications_per_project"], n_students)
    for i, project in enumerate(projects):
        count = max(per_project, round(n_students * 0.02)) if i == 1 else per_project
        chosen = rng.sample(students, min(count, n_students))
        for position, student in enumerate(chosen):
            if i % 2 == 0:
                status = ACCEPTED if position < 2 else Application.Status.REJECTED
            else:
                status = rng.choice([Application.Status.SUBMITTED, Application.Status.SHORTLISTED])
            application = Application(
                project=project,
                student=student,
                pitch="I analysed survey data for my statistics course.",
                availability_confirmed=True,
                status=status,
                created_at=now - datetime.timedelta(days=35),
                status_changed_at=now - datetime.timedelta(days=25),
                offered_at=now - datetime.timedelta(days=27) if position < 2 else None,
                offer_expires_at=now - datetime.timedelta(days=20) if position < 2 else None,
            )
            applications.append(application)
            if status == ACCEPTED:
                accepted.append(application)
    bulk(Application, applications)
    written["applications"] = len(applications)

    engagements = bulk(
        Engagement,
        [
            Engagement(
                application=a,
                project=a.project,
                student=a.student,
                mentor=a.project.mentor,
                state=Engagement.State.ACTIVE,
                created_at=now - datetime.timedelta(days=25),
                state_changed_at=now - datetime.timedelta(days=24),
            )
            for a in accepted
        ],
    )
    written["engagements"] = len(engagements)

    versions = []
    for engagement in engagements:
        project = engagement.project
        # draft_from reads the project's deliverables: hand it the one written above.
        project._prefetched_objects_cache = {"deliverables": [deliverable_of[project.pk]]}
        versions.append(
            AgreementVersion(
                engagement=engagement,
                number=1,
                terms=agreement_terms.draft_from(
                    project, mentor=engagement.mentor, learning_goals=["Ship real work"]
                ),
                status=AgreementVersion.Status.CURRENT,
                reason="Drafted from the project and the application.",
                created_at=engagement.created_at,
            )
        )
    versions = bulk(AgreementVersion, versions)
    signed_at = now - datetime.timedelta(days=24)
    bulk(
        Signature,
        [
            Signature(version=v, user=user, full_name=user.name, side=side, signed_at=signed_at)
            for v in versions
            for user, side in (
                (v.engagement.student, Side.STUDENT),
                (v.engagement.mentor, Side.ORGANIZATION),
            )
        ],
    )

    messages, events, total_events = [], [], 0
    per_engagement = max(1, round(FULL["messages_per_engagement"]))
    for engagement in engagements:
        start = engagement.state_changed_at
        events += [
            EngagementEvent(engagement=engagement, kind="drafted", at=engagement.created_at,
                            details={"version": 1}),
            EngagementEvent(engagement=engagement, kind="signed", actor=engagement.student,
                            at=signed_at, details={"version": 1, "side": Side.STUDENT}),
            EngagementEvent(engagement=engagement, kind="signed", actor=engagement.mentor,
                            at=signed_at, details={"version": 1, "side": Side.ORGANIZATION}),
            EngagementEvent(engagement=engagement, kind="activated", actor=engagement.mentor,
                            at=signed_at, details={"version": 1}),
        ]  # fmt: skip
        for m in range(per_engagement):
            by_student = m % 2 == 0
            at = start + datetime.timedelta(hours=8 * (m + 1))
            messages.append(
                Message(
                    engagement=engagement,
                    author=engagement.student if by_student else engagement.mentor,
                    side=Side.STUDENT if by_student else Side.ORGANIZATION,
                    body=f"Message {m} about the survey data.",
                    created_at=at,
                )
            )
        if len(messages) >= BATCH * 4:
            events += _message_events(bulk(Message, messages))
            messages = []
        if len(events) >= BATCH * 4:
            total_events += len(bulk(EngagementEvent, events))
            events = []
    events += _message_events(bulk(Message, messages))
    total_events += len(bulk(EngagementEvent, events))
    written["messages"] = len(engagements) * per_engagement
    written["events"] = total_events

    notifications = []
    per_student = FULL["notifications_per_student"]
    for student in students:
        for k in range(per_student):
            notifications.append(
                Notification(
                    recipient=student,
                    kind="offer_withdrawn",
                    title=f"Project {k}",
                    url="/projects/",
                    message="Your offer was withdrawn: the project closed.",
                    key=f"bench:{student.pk}:{k}",
                    delivery="in_app",
                    created_at=now - datetime.timedelta(days=k),
                    read_at=None if k == 0 else now,
                )
            )
        if len(notifications) >= BATCH * 4:
            bulk(Notification, notifications)
            notifications = []
    bulk(Notification, notifications)
    written["notifications"] = n_students * per_student
    return written


def _message_events(messages: list) -> list:
    return [
        EngagementEvent(
            engagement_id=m.engagement_id,
            kind="message_posted",
            actor_id=m.author_id,
            at=m.created_at,
            details={"side": m.side, "message": m.pk, "question": m.is_question},
        )
        for m in messages
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.01, help="1 = the full volumes")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("bench/scale needs PostgreSQL: set DATABASE_URL.", file=sys.stderr)
        return 2
    started = time.monotonic()
    call_command("migrate", "--noinput", verbosity=0)
    if User.objects.exists():
        print("The database has users already: give the generator a fresh one.", file=sys.stderr)
        return 2
    with transaction.atomic():
        written = generate(args.scale)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seconds = time.monotonic() - started
    print(", ".join(f"{name}: {count:,}" for name, count in written.items()))
    print(f"scale {args.scale:g} written in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
