"""Fill a fresh PostgreSQL database with a university system's year, scaled.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practicum_scale \\
        .venv/bin/python bench/scale/generate.py --scale 0.1

At scale 1: 100,000 students (with skills, interests and availability; four in five
discoverable), 2,000 organizations, 20,000 projects, ~490,000 applications, 20,000 engagements
with their agreements, ~1,000,000 messages, ~1,800,000 timeline events, 500,000
notifications. The rows are in states the services could have left them in:

- half the projects ran: each took two students (two accepted applications, the rest not
  selected), is closed as full, and has two active engagements whose version 1 both sides
  signed (its terms drafted from the project, as on acceptance); each has messages and
  progress updates with the mentor's comments, and its timeline has one event per thing that
  happened (drafted, signed twice, activated, one per message, update and comment);
- the other half are open, taking applications (submitted or shortlisted);
- the big cases: the first organization holds 2.5% of the projects (500 engagements at scale
  1), the first open project gets 2% of the students as applicants (2,000), the first student
  has a long history (an application to 1.5% of the projects, accepted in ten that ran), and
  the first engagement has the longest timeline (about 2,000 events);
- every student gets notifications, in app.

How it is fast: the schema comes from the migrations (indexes and constraints included), then
each table is streamed with one PostgreSQL ``COPY`` (psycopg 3's ``cursor.copy``) from model
instances made here, so every column gets the model's default; primary keys are assigned here
and the sequences moved past them at the end; ``ANALYZE`` last. The foreign keys are checked at
commit, as Django declares them (deferred). It refuses a database that already has users and
prints what it wrote, per table, and how long each took.
"""

import argparse
import datetime
import json
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
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from practicum.accounts.models import Membership, Organization, User  # noqa: E402
from practicum.analytics import services as analytics  # noqa: E402
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
from practicum.profiles.models import AvailabilityWindow, StudentProfile, StudentSkill  # noqa: E402
from practicum.projects.models import Deliverable, Project, ProjectSkill  # noqa: E402
from practicum.projects.search import store_documents  # noqa: E402
from practicum.reciprocity import services as reciprocity  # noqa: E402
from practicum.reciprocity.models import EngagementTally  # noqa: E402
from practicum.reviews import schedule as feedback_rounds  # noqa: E402
from practicum.skills.models import Skill  # noqa: E402
from practicum.workspace.deliverables import schedule as deadlines  # noqa: E402
from practicum.workspace.messaging.models import Message  # noqa: E402
from practicum.workspace.progress.models import ProgressComment, ProgressUpdate  # noqa: E402

PASSWORD = "practicum-bench"
FULL = {
    "students": 100_000,
    "organizations": 2_000,
    "projects": 20_000,
}
APPLICATIONS_PER_PROJECT = 24
MESSAGES_PER_ENGAGEMENT = 50
UPDATES_PER_ENGAGEMENT = 18  # each with one comment from the mentor
NOTIFICATIONS_PER_STUDENT = 5
#: The engagement with the longest timeline: messages, updates (each commented) on top.
LONGEST = {"messages": 1_000, "updates": 500}
#: The student with the most history: applies to this share of the projects, accepted in
#: HISTORY_ACCEPTED of those that ran.
HISTORY_SHARE = 0.015
HISTORY_ACCEPTED = 10
WORDS = [
    "data",
    "survey",
    "research",
    "design",
    "python",
    "statistics",
    "writing",
    "marketing",
    "social",
    "media",
    "video",
    "accessibility",
    "climate",
    "energy",
    "health",
    "education",
    "finance",
    "web",
    "mobile",
    "interviews",
    "policy",
    "community",
    "events",
    "translation",
    "illustration",
    "branding",
    "analytics",
    "machine",
    "learning",
    "sustainability",
    "logistics",
    "museum",
    "archive",
    "podcast",
    "newsletter",
    "fundraising",
    "mapping",
]


def scaled(name: str, scale: float) -> int:
    return max(1, round(FULL[name] * scale))


class Copier:
    """Streams model instances into their table with COPY, assigning primary keys."""

    def __init__(self, cursor):
        self.cursor = cursor  # psycopg's own cursor
        self.next_pk: dict[type, int] = {}
        self.timings: dict[str, tuple[int, float]] = {}

    def pk(self, model) -> int:
        """The next primary key of ``model`` (the table may hold rows from migrations)."""
        if model not in self.next_pk:
            self.cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{model._meta.db_table}"')
            self.next_pk[model] = self.cursor.fetchone()[0] + 1
        value = self.next_pk[model]
        self.next_pk[model] = value + 1
        return value

    def copy(self, model, objects) -> list:
        """COPY ``objects`` (an iterable of unsaved instances) into the table; returns them
        with their primary keys when ``objects`` is a list, else an empty list (streamed)."""
        started = time.monotonic()
        fields = model._meta.concrete_fields
        columns = ", ".join(f'"{f.column}"' for f in fields)
        kept = objects if isinstance(objects, list) else []
        # Keys of objects given a primary key after this one was made (as Django's save does).
        relations = [f for f in fields if f.many_to_one]
        columns_of = [(f.attname, self._converter(f)) for f in fields]
        count = 0
        sql = f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN'
        self.pk(model)  # the table's first free key, read before the connection is copying
        self.next_pk[model] -= 1
        with self.cursor.copy(sql) as copy:
            for obj in objects:
                if obj.pk is None:
                    obj.pk = self.pk(model)
                for f in relations:
                    if getattr(obj, f.attname) is None and f.is_cached(obj):
                        setattr(obj, f.attname, getattr(obj, f.name).pk)
                copy.write_row([convert(getattr(obj, name)) for name, convert in columns_of])
                count += 1
        name = model._meta.label
        before, seconds = self.timings.get(name, (0, 0.0))
        self.timings[name] = (before + count, seconds + time.monotonic() - started)
        return kept

    def first_pk(self, model) -> int:
        """The next free primary key of ``model``; the caller numbers its rows from there and
        hands them to :meth:`rows` with their "id"."""
        return self.pk(model)

    def rows(self, model, names: tuple, rows, **fixed) -> None:
        """COPY tuples of the columns ``names`` (attnames; "id" assigned here when absent),
        every other column as in ``model(**fixed)``: its defaults, or ``fixed``."""
        started = time.monotonic()
        fields = model._meta.concrete_fields
        template_object = model(**fixed)
        converters = [self._converter(f) for f in fields]
        template = [
            c(getattr(template_object, f.attname)) for f, c in zip(fields, converters, strict=True)
        ]
        position = {f.attname: i for i, f in enumerate(fields)}
        slots = [(position[name], converters[position[name]]) for name in names]
        id_slot = None if "id" in names else position["id"]
        next_pk = self.pk(model)
        columns = ", ".join(f'"{f.column}"' for f in fields)
        count = 0
        with self.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for values in rows:
                row = template.copy()
                for (slot, convert), value in zip(slots, values, strict=True):
                    row[slot] = convert(value)
                if id_slot is not None:
                    row[id_slot] = next_pk
                    next_pk += 1
                else:
                    next_pk = max(next_pk, row[position["id"]] + 1)
                copy.write_row(row)
                count += 1
        self.next_pk[model] = next_pk
        name = model._meta.label
        before, seconds = self.timings.get(name, (0, 0.0))
        self.timings[name] = (before + count, seconds + time.monotonic() - started)

    @staticmethod
    def _converter(field):
        """How a field's Python value goes into COPY: JSON as text, the rest as psycopg adapts
        it (for PostgreSQL, Django hands these types to the driver unchanged)."""
        if field.get_internal_type() == "JSONField":
            encoder = field.encoder
            return lambda value: None if value is None else json.dumps(value, cls=encoder)
        if isinstance(field, models.FileField):
            # A file field holds the stored name ("" when empty), as Django saves it.
            return lambda value: value.name or ""
        return lambda value: value

    def reset_sequences(self) -> None:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(self.next_pk)):
            self.cursor.execute(sql)


def generate(copier: Copier, scale: float, seed: int = 14) -> dict:
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    password = make_password(PASSWORD)
    n_students = scaled("students", scale)
    n_orgs = scaled("organizations", scale)
    n_projects = max(4, scaled("projects", scale))
    skills = list(Skill.objects.values_list("pk", flat=True).order_by("pk")[:400])
    if not skills:
        raise SystemExit("No skills: load_skills found none.")
    copy = copier.copy

    # People and organizations.
    students = copy(
        User,
        [
            User(
                email=f"student{i}@bench.example",
                name=f"Student {i}",
                account_type=User.AccountType.STUDENT,
                password=password,
                date_joined=now - datetime.timedelta(days=200),
            )
            for i in range(n_students)
        ],
    )
    owners = copy(
        User,
        [
            User(
                email=f"owner{i}@bench.example",
                name=f"Owner {i}",
                account_type=User.AccountType.ORGANIZATION,
                password=password,
                date_joined=now - datetime.timedelta(days=200),
            )
            for i in range(n_orgs)
        ],
    )
    copy(
        EmailAddress,
        (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in students),
    )
    copy(
        EmailAddress,
        (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in owners),
    )
    profiles = copy(
        StudentProfile,
        [
            StudentProfile(
                user=u,
                headline="Student",
                about=" ".join(rng.sample(WORDS, 6)),
                interests=rng.sample(WORDS, 3),
                learning_goals=["Ship real work", rng.choice(WORDS)],
                weekly_hours=rng.choice((5, 8, 10, 12, 15, 20)),
                discoverable=rng.random() < 0.8,
                updated_at=now - datetime.timedelta(seconds=rng.randint(86_400, 200 * 86_400)),
            )
            for u in students
        ],
    )
    copy(
        StudentSkill,
        (
            StudentSkill(profile=p, skill_id=skill, level=rng.randint(1, 4))
            for p in profiles
            for skill in rng.sample(skills, rng.randint(2, 6))
        ),
    )
    copy(
        AvailabilityWindow,
        (
            AvailabilityWindow(
                profile=p,
                starts_on=today + datetime.timedelta(days=start),
                ends_on=today + datetime.timedelta(days=start + 90),
            )
            for p in profiles
            if p.pk % 3 == 0
            for start in (rng.randint(-30, 60),)
        ),
    )
    organizations = copy(
        Organization,
        [Organization(name=f"Organization {i}", slug=f"organization-{i}") for i in range(n_orgs)],
    )
    copy(
        Membership,
        (
            Membership(user=owner, organization=organization, role=Membership.Role.OWNER)
            for owner, organization in zip(owners, organizations, strict=True)
        ),
    )

    # Projects: the first organization holds 2.5% of them (50 times the average at scale 1;
    # at least 5 times the average at small scales, so it stays the biggest), the rest are
    # spread evenly. Even indexes ran (closed as full), odd ones are open.
    big = min(n_projects // 2, max(round(n_projects * 0.025), 5 * n_projects // n_orgs))
    projects = []
    for i in range(n_projects):
        organization_index = 0 if i < big or n_orgs == 1 else 1 + i % (n_orgs - 1)
        ran = i % 2 == 0
        starts = today + datetime.timedelta(days=-20 if ran else 21)
        topic = " ".join(rng.sample(WORDS, 3))
        projects.append(
            Project(
                organization=organizations[organization_index],
                title=f"Project {i}: {topic}",
                summary=f"Turn the {topic} into three recommendations.",
                description=f"We ran a **survey** about {topic} and need help.",
                objectives=["Clean the data", "Find three themes"],
                learning_outcomes=["Survey analysis", rng.choice(WORDS)],
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
                created_at=now - datetime.timedelta(days=45),
                updated_at=now - datetime.timedelta(days=25 if ran else 40),
            )
        )
    for project in projects:
        project.fold_search_text()  # COPY skips save(), which fills the search columns
    copy(Project, projects)
    copy(
        ProjectSkill,
        (
            ProjectSkill(project=p, skill_id=skill, min_level=rng.randint(1, 3), is_required=k < 2)
            for p in projects
            for k, skill in enumerate(rng.sample(skills, rng.randint(2, 4)))
        ),
    )
    deliverables = copy(
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

    # Applications: two accepted per project that ran, the rest rejected; submitted or
    # shortlisted on the open ones. The first open project (index 1) gets 2% of the students;
    # the first student applies to HISTORY_SHARE of the projects.
    historian = students[0]
    history = set(range(0, max(2 * HISTORY_ACCEPTED, round(n_projects * HISTORY_SHARE))))
    accepted_with_history = set(sorted(i for i in history if i % 2 == 0)[:HISTORY_ACCEPTED])
    others = students[1:]
    accepted: list[Application] = []
    next_application = copier.first_pk(Application)
    offered_at, offer_expires_at = (now - datetime.timedelta(days=d) for d in (27, 20))

    def applications():
        nonlocal next_application
        for i, project in enumerate(projects):
            count = APPLICATIONS_PER_PROJECT
            if i == 1:
                count = max(count, round(n_students * 0.02))
            chosen = rng.sample(others, min(count, len(others)))
            if i in history:
                # The historian takes the first place (accepted where the project ran and it
                # is one of theirs, else not selected) instead of a random student.
                chosen[0 if i in accepted_with_history or i % 2 else -1] = historian
            for position, student in enumerate(chosen):
                pk, next_application = next_application, next_application + 1
                if i % 2 == 1:
                    status = rng.choice(["submitted", "shortlisted"])
                    yield (pk, project.pk, student.pk, status, None, None)
                elif position < 2:
                    accepted.append(
                        Application(pk=pk, project=project, student=student, status="accepted")
                    )
                    yield (pk, project.pk, student.pk, "accepted", offered_at, offer_expires_at)
                else:
                    yield (pk, project.pk, student.pk, "rejected", None, None)

    copier.rows(
        Application,
        ("id", "project_id", "student_id", "status", "offered_at", "offer_expires_at"),
        applications(),
        pitch="I analysed survey data for my statistics course.",
        availability_confirmed=True,
        created_at=now - datetime.timedelta(days=35),
        status_changed_at=now - datetime.timedelta(days=25),
    )

    engagements = copy(
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
    copy(AgreementVersion, versions)
    signed_at = now - datetime.timedelta(days=24)
    copy(
        Signature,
        (
            Signature(version=v, user=user, full_name=user.name, side=side, signed_at=signed_at)
            for v in versions
            for user, side in (
                (v.engagement.student, Side.STUDENT),
                (v.engagement.mentor, Side.ORGANIZATION),
            )
        ),
    )

    # The workspace: messages, progress updates and comments, each with its event. The big
    # tables go in as tuples over a template row (Copier.rows), not model instances.
    longest = engagements[0]
    student_side, organization_side = str(Side.STUDENT), str(Side.ORGANIZATION)
    messages, updates, comments = [], [], []
    message_pk, update_pk, comment_pk = (
        copier.first_pk(m) for m in (Message, ProgressUpdate, ProgressComment)
    )
    for engagement in engagements:
        e, student, mentor = engagement.pk, engagement.student_id, engagement.mentor_id
        start = engagement.state_changed_at
        n_messages, n_updates = MESSAGES_PER_ENGAGEMENT, UPDATES_PER_ENGAGEMENT
        if engagement is longest:
            n_messages, n_updates = LONGEST["messages"], LONGEST["updates"]
        # Spread over the 23 days since activation, never in the future.
        step = datetime.timedelta(days=23) / max(n_messages, n_updates, 1)
        for m in range(n_messages):
            by_student = m % 2 == 0
            messages.append(
                (
                    message_pk,
                    e,
                    student if by_student else mentor,
                    student_side if by_student else organization_side,
                    f"Message {m} about the survey data.",
                    start + step * (m + 1),
                )
            )
            message_pk += 1
        for u in range(n_updates):
            at = start + step * (u + 1) + datetime.timedelta(minutes=5)
            updates.append((update_pk, e, student, f"Cleaned batch {u} of the answers.", at))
            comments.append((comment_pk, update_pk, e, mentor, at + datetime.timedelta(hours=2)))
            update_pk += 1
            comment_pk += 1
    copier.rows(
        Message,
        ("id", "engagement_id", "author_id", "side", "body", "created_at"),
        messages,
    )
    copier.rows(
        ProgressUpdate,
        ("id", "engagement_id", "author_id", "done", "created_at"),
        updates,
        next_steps="The next batch.",
        hours=2,
    )
    copier.rows(
        ProgressComment,
        ("id", "update_id", "author_id", "created_at"),
        ((c, u, author, at) for c, u, _, author, at in comments),
        side=organization_side,
        body="Thanks, looks good.",
    )

    def events():
        for engagement in engagements:
            e, student, mentor = engagement.pk, engagement.student_id, engagement.mentor_id
            yield from (
                (e, "drafted", None, engagement.created_at, {"version": 1}),
                (e, "signed", student, signed_at, {"version": 1, "side": student_side}),
                (e, "signed", mentor, signed_at, {"version": 1, "side": organization_side}),
                (e, "activated", mentor, signed_at, {"version": 1}),
            )
        for pk, e, author, side, _, at in messages:
            details = {"side": side, "message": pk, "question": False}
            yield (e, "message_posted", author, at, details)
        for pk, e, author, _, at in updates:
            yield (
                e,
                "update_posted",
                author,
                at,
                {"side": student_side, "update": pk, "hours": "2"},
            )
        for pk, update, e, author, at in comments:
            details = {"side": organization_side, "update": update, "comment": pk}
            yield (e, "update_commented", author, at, details)

    copier.rows(EngagementEvent, ("engagement_id", "kind", "actor_id", "at", "details"), events())

    copier.rows(
        Notification,
        ("recipient_id", "title", "key", "created_at", "read_at"),
        (
            (
                student.pk,
                f"Project {k}",
                f"bench:{student.pk}:{k}",
                now - datetime.timedelta(days=k),
                None if k == 0 else now,
            )
            for student in students
            for k in range(NOTIFICATIONS_PER_STUDENT)
        ),
        kind="offer_withdrawn",
        url="/projects/",
        message="Your offer was withdrawn: the project closed.",
        delivery="in_app",
    )
    copier.reset_sequences()
    return {name: count for name, (count, _) in copier.timings.items()}


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
    call_command("load_skills", verbosity=0)
    migrated = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        # Nothing is lost if the machine stops: the run starts again on a fresh database.
        cursor.execute("SET LOCAL synchronous_commit = off")
        copier = Copier(cursor.cursor)
        generate(copier, args.scale)
        copied = time.monotonic()
    committed = time.monotonic()
    # COPY sends no signals and skips save(): the stored round windows, deadlines and search
    # documents are made from the rows.
    with transaction.atomic():
        deadlines.rebuild()
        feedback_rounds.rebuild()
        store_documents(Project.objects.all())
    scheduled = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyzed = time.monotonic()
    # What the periodic pass stores a batch at a time, stored at once: every engagement's
    # reciprocity index and every organization's past month ends. A benchmark of the pass then
    # starts from a platform where nothing is due.
    reciprocity.recompute_all()
    for _ in range(Organization.objects.count() + 1):  # each call stores one or more, or none
        if not analytics.store_last_month_ends(timezone.now()):
            break
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {EngagementTally._meta.db_table}")
    seconds = time.monotonic() - started
    for name, (count, took) in copier.timings.items():
        print(f"{name:32} {count:>10,} rows {took:7.1f} s")
    print(
        f"migrate {migrated - started:.1f} s, copy {copied - migrated:.1f} s, "
        f"commit (foreign keys checked) {committed - copied:.1f} s, "
        f"round windows, deadlines and search documents {scheduled - committed:.1f} s, "
        f"analyze {analyzed - scheduled:.1f} s, "
        f"stored reciprocity index and month ends {time.monotonic() - analyzed:.1f} s"
    )
    print(f"scale {args.scale:g} written in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
