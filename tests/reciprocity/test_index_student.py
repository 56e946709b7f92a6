"""The student's components on hand-made histories: exact numerators and denominators."""

import datetime as dt

from practicum.reciprocity.index import student_index
from tests.reciprocity.histories import NOW, ORG, STU, at, component, ev, history


def stu(*histories, ratings=(), now=NOW):
    return student_index(list(histories), list(ratings), now)


def submitted(deliverable, when, due_on, number=1, submission=None):
    return ev(
        "submitted",
        when,
        STU,
        deliverable=deliverable,
        submission=submission or f"{deliverable}-{number}",
        number=number,
        due_on=due_on,
    )


class TestDeliverablesOnTime:
    def test_first_submissions_by_the_due_date_and_missed_due_dates(self):
        h = history(
            submitted("d1", at(2, 10, 23), "2026-02-10"),  # on time
            submitted("d1", at(2, 20), "2026-02-10", number=2),  # a resubmission: ignored
            submitted("d2", at(2, 21, 1), "2026-02-20"),  # late
            submitted("d4", at(2, 5), None),  # no due date: left out
            submitted("d6", at(2, 5), "2026-02-06"),  # since removed from the terms: counted
            deliverables=[
                ("d1", dt.date(2026, 2, 10)),
                ("d2", dt.date(2026, 2, 20)),
                ("d3", dt.date(2026, 2, 27)),  # never submitted, due date passed: late
                ("d4", None),
                ("d5", dt.date(2026, 3, 5)),  # not due yet
            ],
        )
        c = component(stu(h), "deliverables_on_time")
        assert (c.numerator, c.denominator) == (2, 4)
        assert c.sentence == "submitted 2 of 4 deliverables on time"

    def test_the_due_date_ends_in_the_organizations_time_zone(self):
        # 11 Feb 03:00 UTC is still 10 Feb in New York.
        on_time = [submitted("d1", at(2, 11, 3), "2026-02-10")]
        new_york = stu(history(*on_time, timezone="America/New_York"))
        assert component(new_york, "deliverables_on_time").numerator == 1
        assert component(stu(history(*on_time)), "deliverables_on_time").numerator == 0

    def test_nothing_falls_due_after_cancellation_or_before_activation(self):
        cancelled = history(
            ev("cancelled", at(2, 12), ORG, reason="budget"),
            state="cancelled",
            deliverables=[("d1", dt.date(2026, 2, 10)), ("d2", dt.date(2026, 2, 20))],
            pk=1,
        )
        never_started = history(
            state="cancelled", activated=False, deliverables=[("d1", dt.date(2026, 2, 10))], pk=2
        )
        c = component(stu(cancelled, never_started), "deliverables_on_time")
        assert (c.numerator, c.denominator) == (0, 1)  # only d1 of the first


class TestMessagesAnswered:
    def message(self, side, when, n):
        return ev("message_posted", when, side, message=n, question=False)

    def test_each_turn_of_the_organization_answered_within_the_promise(self):
        t0, t1, t2 = at(2, 3, 9), at(2, 5, 9), at(2, 9, 9)
        h = history(
            self.message(ORG, t0, 1),
            self.message(ORG, t0 + dt.timedelta(hours=1), 2),  # the same turn
            self.message(STU, t0 + dt.timedelta(hours=20), 3),  # in time (from the first)
            self.message(ORG, t1, 4),
            self.message(STU, t1 + dt.timedelta(hours=30), 5),  # late
            ev("message_posted", t2, ORG, message=6, question=True),
            ev(
                "question_answered",
                t2 + dt.timedelta(hours=2),
                STU,
                message=6,
                asked_at=t2.isoformat(),
                asked_side=ORG,
            ),  # marking the organization's question answered is a reply: in time
            self.message(STU, at(2, 12), 7),  # nothing was waiting: not counted
            self.message(ORG, NOW - dt.timedelta(hours=30), 8),  # unanswered past 24 h: late
            student_hours=24,
            pk=1,
        )
        waiting = history(self.message(ORG, NOW - dt.timedelta(hours=2), 1), pk=2)
        c = component(stu(h, waiting), "messages_answered")
        assert (c.numerator, c.denominator) == (2, 4)
        assert c.sentence == "answered 2 of 4 messages within 24 h"

    def test_the_student_marking_their_own_question_is_no_reply(self):
        t = at(2, 3, 9)
        h = history(
            self.message(ORG, t, 1),
            ev("question_answered", t + dt.timedelta(hours=1), STU, message=9, asked_side=STU),
            self.message(STU, t + dt.timedelta(hours=48), 2),
        )
        c = component(stu(h), "messages_answered")
        assert (c.numerator, c.denominator) == (0, 1)


class TestWeeklyUpdates:
    def update(self, when, side=STU):
        return ev("update_posted", when, side, update=1, hours="2.5")

    def test_weeks_with_an_update_over_the_weeks_that_are_over(self):
        h = history(
            self.update(at(2, 3)),
            self.update(at(2, 4)),  # the same week
            self.update(at(2, 10), side=ORG),  # not the student's
            self.update(at(2, 17)),
            self.update(at(3, 1, 22)),
        )
        c = component(stu(h), "weekly_updates")
        assert (c.numerator, c.denominator) == (3, 4)
        assert c.sentence == "posted a progress update in 3 of 4 weeks"

    def test_the_current_week_is_not_counted_before_it_is_over(self):
        c = component(stu(history(self.update(at(2, 3))), now=at(2, 18)), "weekly_updates")
        assert (c.numerator, c.denominator) == (1, 2)

    def test_weeks_stop_at_cancellation(self):
        h = history(
            self.update(at(2, 3)), ev("cancelled", at(2, 10), STU, reason="ill"), state="cancelled"
        )
        c = component(stu(h), "weekly_updates")
        assert (c.numerator, c.denominator) == (1, 1)

    def test_an_engagement_that_never_started_has_no_weeks(self):
        h = history(state="agreement_pending", activated=False)
        assert component(stu(h), "weekly_updates").denominator == 0


def test_student_ratings():
    c = component(stu(history(), ratings=[4.5, 4.0, 4.5]), "ratings")
    assert (c.numerator, c.denominator, c.count) == (4.33, 5, 3)
    assert c.sentence == "average 4.3 of 5 from 3 reviews"
