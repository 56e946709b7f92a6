"""Random but well-formed engagement histories (every event kind the index reads, deadlines on
both sides of `now`, several time zones) for checking that stored tallies equal recomputed ones.
"""

import datetime as dt
import random

from practicum.reciprocity.index import DeliverableTerm, EngagementHistory, Event

ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata")
STATES = ("agreement_pending", "active", "active", "completed", "cancelled")
SIDES = ("organization", "student")


def terms(rng: random.Random, today: dt.date) -> dict:
    starts_on = today + dt.timedelta(days=rng.randint(-70, 5))
    ends_on = starts_on + dt.timedelta(days=rng.randint(6, 45))
    deliverables = [
        (
            f"d{n}",
            starts_on + dt.timedelta(days=rng.randint(2, 50)) if rng.random() < 0.85 else None,
        )
        for n in range(1, rng.randint(1, 4) + 1)
    ]
    return {
        "starts_on": starts_on,
        "ends_on": ends_on,
        "org_hours": rng.choice((None, 24, 24, 48)),
        "student_hours": rng.choice((None, 24, 72)),
        "deliverables": deliverables,
        "timezone": rng.choice(ZONES),
        "state": rng.choice(STATES),
    }


def events(rng: random.Random, t: dict, now: dt.datetime) -> list[tuple[str, dt.datetime, dict]]:
    """(kind, at, details) in time order; details carry the actor's side like the real ones."""
    start = dt.datetime.combine(t["starts_on"], dt.time(9), dt.UTC)
    out: list[tuple[str, dt.datetime, dict]] = []

    def moment() -> dt.datetime:
        return start + dt.timedelta(hours=rng.randint(-48, 60 * 24))

    if t["state"] != "agreement_pending":
        out.append(("activated", start - dt.timedelta(days=1), {"side": "organization"}))
    questions, submissions = [], []
    for n in range(rng.randint(0, 30)):
        at = moment()
        kind = rng.choice(
            (
                "message_posted",
                "message_posted",
                "question_answered",
                "submitted",
                "review",
                "checkin_held",
                "checkin_missed",
                "checkin_rescheduled",
                "update_posted",
                "review_submitted",
                "reviews_revealed",
                "payment_recorded",
                "payment_disputed",
            )
        )
        side = rng.choice(SIDES)
        if kind == "message_posted":
            question = rng.random() < 0.4
            if question:
                questions.append((n, at, side))
            out.append((kind, at, {"side": side, "message": n, "question": question}))
        elif kind == "question_answered" and questions:
            asked, asked_at, asked_side = rng.choice(questions)
            answered = asked_at + dt.timedelta(hours=rng.randint(1, 100))
            other = "student" if asked_side == "organization" else "organization"
            out.append(
                (
                    kind,
                    answered,
                    {
                        "side": other,
                        "message": asked,
                        "asked_at": asked_at.isoformat(),
                        "asked_side": asked_side,
                    },
                )
            )
        elif kind == "submitted":
            key, due_on = rng.choice(t["deliverables"])
            submissions.append((n, at))
            details = {"side": "student", "deliverable": key, "submission": n, "number": 1}
            if due_on is not None:
                details["due_on"] = due_on.isoformat()
            out.append((kind, at, details))
        elif kind == "review" and submissions:
            submission, sent = rng.choice(submissions)
            out.append(
                (
                    rng.choice(("submission_accepted", "changes_requested")),
                    sent + dt.timedelta(hours=rng.randint(1, 200)),
                    {
                        "side": "organization",
                        "submission": submission,
                        "submitted_at": sent.isoformat(),
                    },
                )
            )
        elif kind in ("checkin_held", "checkin_missed"):
            planned = at - dt.timedelta(hours=rng.choice((0, 0, 2)))
            details = {
                "side": "organization",
                "checkin": rng.randint(1, 6),
                "scheduled_at": at.isoformat(),
                "originally_at": planned.isoformat(),
            }
            if kind == "checkin_missed":
                details["missed_by"] = rng.choice(("organization", "student", "both"))
            out.append((kind, at, details))
        elif kind == "checkin_rescheduled":
            before = at + dt.timedelta(hours=rng.randint(1, 72))
            out.append(
                (
                    kind,
                    at,
                    {
                        "side": side,
                        "checkin": rng.randint(1, 6),
                        "from": before.isoformat(),
                        "to": (before + dt.timedelta(days=1)).isoformat(),
                    },
                )
            )
        elif kind == "update_posted":
            out.append((kind, at, {"side": "student", "update": n, "hours": "2"}))
        elif kind == "review_submitted":
            round_ = rng.choice(("midpoint", "final"))
            due_at = at + dt.timedelta(days=rng.randint(-3, 10))
            out.append(
                (
                    kind,
                    at,
                    {"side": side, "round": round_, "review": n, "due_at": due_at.isoformat()},
                )
            )
        elif kind == "reviews_revealed":
            out.append((kind, at, {"round": rng.choice(("midpoint", "final"))}))
        elif kind == "payment_recorded":
            out.append((kind, at, {"side": "organization", "payment": n, "amount": 100}))
        elif kind == "payment_disputed":
            out.append((kind, at, {"side": "student", "payment": n - 1}))
    if t["state"] in ("completed", "cancelled") and rng.random() < 0.9:
        closed = dt.datetime.combine(t["ends_on"], dt.time(17), dt.UTC)
        details = {"side": "organization"}
        if t["state"] == "completed":
            due = t["ends_on"] + dt.timedelta(days=rng.randint(-2, 20))
            details["payment_due_on"] = due.isoformat()
        out.append((t["state"], closed, details))
    return sorted(out, key=lambda e: e[1])


def history(seed: int, now: dt.datetime, engagement_id: int = 1) -> EngagementHistory:
    rng = random.Random(seed)
    t = terms(rng, now.date())
    return EngagementHistory(
        engagement_id=engagement_id,
        state=t["state"],
        starts_on=t["starts_on"],
        ends_on=t["ends_on"],
        org_response_hours=t["org_hours"],
        student_response_hours=t["student_hours"],
        events=tuple(Event(k, at, d.get("side"), d) for k, at, d in events(rng, t, now)),
        deliverables=tuple(DeliverableTerm(k, d) for k, d in t["deliverables"]),
        timezone=t["timezone"],
    )
