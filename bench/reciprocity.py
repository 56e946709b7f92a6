"""Time the reciprocity index (a pure function over the event log) on synthetic histories.

    .venv/bin/python bench/reciprocity.py [--repeats 20]

Each synthetic engagement runs 8 weeks with what a busy one leaves behind: weekly check-ins
(some missed or moved), ~40 messages with questions and answers, weekly progress updates, three
deliverables submitted and reviewed (one after a change request), both feedback rounds,
completion and payment: about 80 events. An organization with N engagements is timed for
N = 10, 100, 1,000 (≈ 80,000 events); the page computes this on every request, so the figure
says when it would need caching. Prints medians and writes bench/results/reciprocity.json.
"""

import argparse
import datetime as dt
import json
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
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
