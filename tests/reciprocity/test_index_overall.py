"""The index as a whole: the history threshold, the weighted mean, the documented weights, and
the module's purity."""

import ast
import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from practicum.reciprocity import index as idx
from tests.reciprocity.histories import NOW, ORG, STU, at, ev, held, history, missed


class TestHistoryThreshold:
    def counted(self, n):
        """n engagements of history, plus some that do not count."""
        kinds = [
            dict(state="completed"),
            dict(state="cancelled"),  # cancelled after activation
            dict(state="active"),  # past its mid-point (ended yesterday)
        ]
        return [history(held(i, at(2, 3)), pk=i, **kinds[i % 3]) for i in range(n)]

    def not_counted(self):
        return [
            history(state="cancelled", activated=False, pk=101),
            history(state="agreement_pending", activated=False, pk=102),
            history(
                state="active", starts_on=dt.date(2026, 2, 23), ends_on=dt.date(2026, 3, 22), pk=103
            ),  # day 7 of 28
        ]

    def test_two_engagements_are_not_enough(self):
        index = idx.organization_index(self.counted(2) + self.not_counted(), [5], NOW)
        assert (index.engagements, index.enough_history, index.value) == (2, False, None)
        # The components are still there, with their numbers.
        checkins = next(c for c in index.components if c.key == "checkins_held")
        assert (checkins.numerator, checkins.denominator) == (2, 2)

    def test_three_engagements_are(self):
        index = idx.organization_index(self.counted(3) + self.not_counted(), [5], NOW)
        assert (index.engagements, index.enough_history) == (3, True)
        assert index.value == 100.0

    def test_the_midpoint_of_an_active_engagement(self):
        h = history(starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 3))  # mid: 2 March
        assert idx.student_index([h], [], NOW).engagements == 1
        assert idx.student_index([h], [], NOW - dt.timedelta(days=1)).engagements == 0


def test_the_value_is_the_weighted_mean_of_the_measured_components():
    histories = [
        history(
            held(1, at(2, 3)),
            missed(2, at(2, 10), "organization"),
            ev("completed", at(2, 20), ORG, partial=False, reason="", payment_due_on="2026-02-25"),
            ev("payment_recorded", at(2, 24), ORG, payment=1, amount=1, currency="EUR"),
            state="completed",
            pk=i,
        )
        for i in range(3)
    ]
    index = idx.organization_index(histories, [5], NOW)
    w = idx.ORGANIZATION_WEIGHTS
    # Check-ins 3 of 6, payments 3 of 3, ratings 5 of 5; nothing else measured.
    measured = w["checkins_held"] + w["payments_on_time"] + w["ratings"]
    expected = 100 * (w["checkins_held"] * 0.5 + w["payments_on_time"] + w["ratings"]) / measured
    assert index.value == round(expected, 1) == 81.7
    assert sum(points for _, _, points in index.breakdown() if points) == pytest.approx(
        index.value, abs=0.15
    )


def test_nothing_measured_gives_no_number_even_with_history():
    histories = [history(state="completed", pk=i) for i in range(3)]
    index = idx.organization_index(histories, [], NOW)
    assert index.enough_history and index.value is None


@pytest.mark.parametrize(
    "weights, section",
    [(idx.ORGANIZATION_WEIGHTS, "Organizations"), (idx.STUDENT_WEIGHTS, "Students")],
)
def test_the_documented_weights_are_the_weights_used(weights, section):
    assert sum(weights.values()) == pytest.approx(1.0)
    doc = idx.__doc__
    table = doc[doc.index(f"    {section}\n") :].split("\n\n")[0]
    documented = {
        key: int(percent) / 100 for key, percent in re.findall(r"^\s+(\w+)\s+(\d+) %", table, re.M)
    }
    assert documented == weights
    # And the index uses them: each component carries its weight.
    index = (idx.organization_index if section == "Organizations" else idx.student_index)(
        [], [], NOW
    )
    assert {c.key: c.weight for c in index.components} == weights


def test_sides_and_labels():
    assert idx.organization_index([], [], NOW).side == ORG
    assert idx.student_index([], [], NOW).side == STU
    for key in [*idx.ORGANIZATION_WEIGHTS, *idx.STUDENT_WEIGHTS]:
        assert idx.LABELS[key] and idx.DEFINITIONS[key]


def test_unreadable_details_are_left_out_not_raised():
    h = history(
        ev("checkin_held", at(2, 3), ORG, checkin=1, scheduled_at="soon", originally_at=None),
        ev("completed", at(2, 20), ORG, payment_due_on="someday"),
        ev("question_answered", at(2, 4), ORG, message=1, asked_side=STU, asked_at="?"),
        ev("review_submitted", at(2, 5), ORG, round="midpoint", due_at=17),
        timezone="Not/AZone",
    )
    index = idx.organization_index([h], [], NOW)
    counts = {c.key: (c.numerator, c.denominator) for c in index.components}
    assert counts["checkins_held"] == (0, 1)
    assert counts["payments_on_time"] == (0, 0)
    assert counts["questions_answered"] == (0, 1)
    assert counts["feedback_on_time"] == (1, 1)


MODULE = Path(idx.__file__)


def test_importing_the_index_does_not_import_django():
    code = (
        "import sys\n"
        "import practicum.reciprocity.index\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)\n"
        "print('ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=MODULE.parent.parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_the_index_module_imports_nothing_of_django_or_the_project():
    for node in ast.walk(ast.parse(MODULE.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        assert not any(n.startswith(("django", "practicum")) for n in names), names
