"""One colour per state, the same on every page: a state's code maps to one tone of pill.

The codes come from every state machine (projects, applications, engagements, deliverables,
check-ins, rounds, payments, learning items, feedback rounds); a code shared by two machines
means the same thing to the reader in both, so it keeps its tone.
"""

TONES = {
    # Done, agreed, going well.
    "success": {
        "accepted",
        "active",
        "completed",
        "held",
        "done",
        "published",
        "revealed",
        "verified",
        "confirmed",
        "offered",
        "current",
    },
    # Under way, or waiting for someone's next step.
    "info": {
        "submitted",
        "shortlisted",
        "waiting",
        "in_progress",
        "scheduled",
        "agreement_pending",
        "ranking",
        "open",
        "proposed",
        "recorded",
        "planned",
        "new",
    },
    # Needs attention soon.
    "warning": {"draft", "overdue", "expired", "changes_requested", "matched", "due"},
    # Something went wrong.
    "danger": {"missed", "no_show", "disputed", "revoked", "not_verified"},
    # Over, or not started: nothing to do.
    "neutral": {
        "closed",
        "archived",
        "withdrawn",
        "declined",
        "rejected",
        "cancelled",
        "superseded",
        "dropped",
        "not_submitted",
        "not_due",
        "upcoming",
        "hidden",
    },
}

TONE_OF = {state: tone for tone, states in TONES.items() for state in states}


def tone_of(state) -> str:
    return TONE_OF.get(str(state), "neutral")
