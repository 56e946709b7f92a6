"""Time the reciprocity index (a pure function over the event log) on synthetic histories.

    .venv/bin/python bench/reciprocity.py [--repeats 20]

Each synthetic engagement runs 8 weeks with what a busy one leaves behind: weekly check-ins
(some missed or moved), ~40 messages with questions and answers, weekly progress updates, three
deliverables submitted and reviewed (one after a change request), both feedback rounds,
completion and payment: about 80 events. An organization with N engagements is timed for
N = 10, 100, 1,000 (≈ 80,000 events); the page computes this on every request, so the figure
says when it would need caching. Prints medians and writes bench/results/reciprocity.json.

    .venv/bin/python bench/reciprocity.py --database [--engagements 1000]

puts one organization with that many such engagements into a fresh database (a temporary SQLite
file unless DATABASE_URL names one, which must be empty) and times what the page reads: the
index recomputed from every history (how it was before the stored index), the stored index
read cold (every row recomputed and stored), warm (every row current) and after one new event.
Writes bench/results/reciprocity_stored.json.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from practicum.reciprocity.index import (  # noqa: E402  (after the path is set)
    DeliverableTerm,
    EngagementHistory,
    Event,
    organization_index,
    student_index,
)

RESULTS = ROOT / "bench" / "results" / "reciprocity.json"
STORED_RESULTS = ROOT / "bench" / "results" / "reciprocity_stored.json"
UTC = dt.UTC
ORG, STUDENT = "organization", "student"


def iso(moment: dt.datetime) -> str:
    return moment.isoformat()


def history(rng: random.Random, engagement_id: int, start: dt.date) -> EngagementHistory:
    events: list[Event] = []

    def add(kind, at, side, **details):
        events.append(Event(kind, at, side, {"side": side, **details} if side else details))

    begin = dt.datetime.combine(start, dt.time(9), UTC)
    weeks = 8
    add("activated", begin - dt.timedelta(days=2), ORG, version=1)
    for week in range(weeks):
        slot = begin + dt.timedelta(weeks=week, hours=1)
        checkin = engagement_id * 100 + week
        if rng.random() < 0.1:
            moved = slot + dt.timedelta(days=1)
            add("checkin_rescheduled", slot - dt.timedelta(days=1), ORG, checkin=checkin,
                **{"from": iso(slot), "to": iso(moved)}, reason="Clash")  # fmt: skip
            add("checkin_held", moved, ORG, checkin=checkin, scheduled_at=iso(moved),
                originally_at=iso(slot))  # fmt: skip
        elif rng.random() < 0.08:
            add("checkin_missed", slot, ORG, checkin=checkin, scheduled_at=iso(slot),
                originally_at=iso(slot), missed_by=rng.choice([ORG, STUDENT]))  # fmt: skip
        else:
            add("checkin_held", slot, ORG, checkin=checkin, scheduled_at=iso(slot),
                originally_at=iso(slot))  # fmt: skip
        add("update_posted", slot + dt.timedelta(days=3), STUDENT, update=checkin, hours="6.5")
        for n in range(5):
            at = slot + dt.timedelta(days=1, hours=n * 5)
            side = STUDENT if n % 2 == 0 else ORG
            message = checkin * 10 + n
            question = side == STUDENT and n == 0
            add("message_posted", at, side, message=message, question=question)
            if question:
                add("question_answered", at + dt.timedelta(hours=rng.randint(1, 40)), ORG,
                    message=message, asked_at=iso(at), asked_side=STUDENT)  # fmt: skip
    deliverables = []
    for number in range(1, 4):
        due = start + dt.timedelta(days=18 * number)
        key = f"d{number}"
        deliverables.append(DeliverableTerm(key, due))
        submitted = dt.datetime.combine(due, dt.time(12), UTC) - dt.timedelta(
            days=rng.randint(-1, 3)
        )
        add("submitted", submitted, STUDENT, deliverable=key, submission=number, number=1,
            due_on=due.isoformat())  # fmt: skip
        reviewed = submitted + dt.timedelta(days=rng.randint(1, 5))
        kind = "changes_requested" if number == 2 else "submission_accepted"
        add(kind, reviewed, ORG, deliverable=key, submission=number, submitted_at=iso(submitted))
        if number == 2:
            again = reviewed + dt.timedelta(days=2)
            add("submitted", again, STUDENT, deliverable=key, submission=9, number=2,
                due_on=due.isoformat())  # fmt: skip
            add("submission_accepted", again + dt.timedelta(days=1), ORG, deliverable=key,
                submission=9, submitted_at=iso(again))  # fmt: skip
    end = begin + dt.timedelta(weeks=weeks)
    for name, opens in (("midpoint", begin + dt.timedelta(weeks=4)), ("final", end)):
        due_at = opens + dt.timedelta(days=7 if name == "midpoint" else 14)
        for side in (ORG, STUDENT):
            add("review_submitted", opens + dt.timedelta(days=rng.randint(1, 9)), side,
                round=name, review=engagement_id, due_at=iso(due_at))  # fmt: skip
    due_on = (end + dt.timedelta(days=14)).date()
    add("completed", end, ORG, partial=False, reason="", payment_due_on=due_on.isoformat())
    add("payment_recorded", end + dt.timedelta(days=rng.randint(2, 18)), ORG,
        payment=engagement_id, amount=60000, currency="EUR",
        paid_on=end.date().isoformat(), reference="INV")  # fmt: skip
    events.sort(key=lambda event: event.at)
    return EngagementHistory(
        engagement_id=engagement_id,
        state="completed",
        starts_on=start,
        ends_on=(end - dt.timedelta(days=1)).date(),
        org_response_hours=24,
        student_response_hours=24,
        events=tuple(events),
        deliverables=tuple(deliverables),
        timezone="Europe/Berlin",
    )


def median_ms(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _fill(count: int, rng: random.Random):
    """One organization with `count` engagements (the histories above, ending before today),
    written in bulk: no signals, so the stored rows start missing, as after a bulk load."""
    from practicum.accounts.models import User
    from practicum.engagements import terms as agreement_terms
    from practicum.engagements.models import (
        AgreementVersion,
        Application,
        Engagement,
        EngagementEvent,
    )
    from tests.factories import ProjectFactory, UserFactory

    project = ProjectFactory(timezone="Europe/Berlin")
    students = User.objects.bulk_create(
        UserFactory.build(
            account_type=User.AccountType.STUDENT, email=f"s{n}@bench.example", password="!"
        )
        for n in range(count)
    )
    applications = Application.objects.bulk_create(
        Application(project=project, student=s, pitch="Bench", status="accepted") for s in students
    )
    engagements = Engagement.objects.bulk_create(
        Engagement(application=a, project=project, student=a.student, state="completed")
        for a in applications
    )
    base = agreement_terms.draft_from(project, mentor=project.mentor, learning_goals=[])
    versions, events = [], []
    today = dt.date.today()
    for n, engagement in enumerate(engagements):
        h = history(rng, engagement.pk, today - dt.timedelta(days=90 + n % 300))
        terms = dict(
            base,
            starts_on=h.starts_on.isoformat(),
            ends_on=h.ends_on.isoformat(),
            response_time_hours=24,
            student_response_time_hours=24,
            deliverables=[{"key": d.key, "title": d.key, "due_on": d.due_on.isoformat()}
                          for d in h.deliverables],
        )  # fmt: skip
        versions.append(AgreementVersion(engagement=engagement, number=1, terms=terms,
                                         status="current"))  # fmt: skip
        events += [EngagementEvent(engagement=engagement, kind=e.kind, at=e.at,
                                   details=json.loads(json.dumps(dict(e.details))))
                   for e in h.events]  # fmt: skip
    AgreementVersion.objects.bulk_create(versions)
    EngagementEvent.objects.bulk_create(events, batch_size=5_000)
    return project.organization, engagements, len(events)


def database(count: int, repeats: int) -> None:
    import tempfile

    scratch = None
    if not os.environ.get("DATABASE_URL"):
        scratch = tempfile.NamedTemporaryFile(suffix=".sqlite3")  # noqa: SIM115
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch.name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practicum.settings")
    os.environ.setdefault("DEBUG", "1")  # a laptop's settings: no production secret needed
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from practicum.engagements.models import EngagementEvent
    from practicum.reciprocity import selectors
    from practicum.reciprocity.models import EngagementTally

    call_command("migrate", verbosity=0)
    organization, engagements, events = _fill(count, random.Random(2026))

    def timed(function, times: int) -> tuple[float, int]:
        with CaptureQueriesContext(connection) as queries:
            function()
        return median_ms(function, times), len(queries)

    recomputed = timed(lambda: selectors.recomputed_organization_reciprocity(organization), 5)

    def cold():
        EngagementTally.objects.all().delete()
        selectors.organization_reciprocity(organization)

    cold_ms = timed(cold, 3)
    warm = timed(lambda: selectors.organization_reciprocity(organization), repeats)

    def after_event():
        EngagementEvent.objects.create(
            engagement=engagements[0], kind="update_posted", at=timezone.now(),
            details={"side": "student", "update": 1, "hours": "1"},
        )  # fmt: skip
        selectors.organization_reciprocity(organization)

    one_new = timed(after_event, repeats)
    assert selectors.organization_reciprocity(
        organization
    ) == selectors.recomputed_organization_reciprocity(organization)
    result = {
        "database": connection.vendor,
        "engagements": count,
        "events": events,
        "before_recomputed_from_histories": {
            "ms": round(recomputed[0], 1),
            "queries": recomputed[1],
        },
        "stored_cold_all_rows_recomputed": {"ms": round(cold_ms[0], 1), "queries": cold_ms[1]},
        "stored_warm": {"ms": round(warm[0], 2), "queries": warm[1]},
        "stored_after_one_new_event": {"ms": round(one_new[0], 2), "queries": one_new[1]},
    }
    for name, figures in result.items():
        print(f"{name}: {figures}")
    STORED_RESULTS.parent.mkdir(parents=True, exist_ok=True)
    STORED_RESULTS.write_text(json.dumps(result, indent=2))
    print(f"written to {STORED_RESULTS.relative_to(ROOT)}")
    if scratch is not None:
        scratch.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--database", action="store_true", help="time the stored index")
    parser.add_argument("--engagements", type=int, default=1_000)
    args = parser.parse_args()
    if args.database:
        database(args.engagements, args.repeats)
        return
    rng = random.Random(2026)
    now = dt.datetime(2027, 6, 1, tzinfo=UTC)
    ratings = [rng.uniform(3, 5) for _ in range(50)]
    rows = []
    for count in (10, 100, 1_000):
        histories = [
            history(rng, n, dt.date(2026, 1, 5) + dt.timedelta(days=n % 300)) for n in range(count)
        ]
        events = sum(len(h.events) for h in histories)
        org_ms = median_ms(lambda h=histories: organization_index(h, ratings, now), args.repeats)
        student_ms = median_ms(lambda h=histories[:5]: student_index(h, ratings, now), args.repeats)
        index = organization_index(histories, ratings, now)
        rows.append(
            {
                "engagements": count,
                "events": events,
                "organization_index_ms": round(org_ms, 2),
                "student_index_5_engagements_ms": round(student_ms, 3),
                "index_value": round(index.value, 1) if index.value is not None else None,
            }
        )
        print(
            f"{count:>6} engagements, {events:>7} events: organization index {org_ms:8.2f} ms "
            f"(median of {args.repeats}); a student with 5 engagements {student_ms:.3f} ms; "
            f"value {rows[-1]['index_value']}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {"python": platform.python_version(), "machine": platform.machine(), "rows": rows},
            indent=2,
        )
    )
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
