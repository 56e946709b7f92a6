"""The organization's components on hand-made histories: exact numerators and denominators."""

import datetime as dt

import pytest

from practicum.reciprocity.index import organization_index, student_index
from tests.reciprocity.histories import (
    NOW,
    ORG,
    STU,
    at,
    component,
    ev,
    held,
    history,
    iso,
    missed,
    moved,
)


def org(*histories, ratings=(), now=NOW):
    return organization_index(list(histories), list(ratings), now)


class TestCheckinsHeldAsScheduled:
    def checkins(self):
        c2_planned, c3_planned = at(2, 9, 10), at(2, 16, 10)
        return history(
            held(1, at(2, 2, 10)),  # as planned
            moved(2, at(2, 8), at(2, 10, 10), side=ORG),
            held(2, at(2, 10, 10), originally=c2_planned),  # moved by the organization
            moved(3, at(2, 14), at(2, 17, 10), side=STU),
            held(3, at(2, 17, 10), originally=c3_planned),  # moved by the student only
            missed(4, at(2, 23, 10), "organization"),
            missed(5, at(2, 24, 10), "student"),
            missed(6, at(2, 25, 10), "both"),
            missed(7, at(2, 26, 10), "organization"),
            held(7, at(2, 26, 11)),  # marked missed, then corrected: the last word counts
        )

    def test_counts_held_on_the_planned_time_over_held_and_missed_by_the_organization(self):
        c = component(org(self.checkins()), "checkins_held")
        # Kept: 1, 3, 7. Counted: 1, 2, 3, 4 (missed by the org), 6 (both), 7; not 5.
        assert (c.numerator, c.denominator) == (3, 6)
        assert c.rate == pytest.approx(0.5)
        assert c.sentence == "held 3 of 6 check-ins as scheduled"

    def test_a_checkin_moved_by_both_sides_is_not_as_scheduled(self):
        planned = at(2, 9, 10)
        h = history(
            moved(1, at(2, 5), at(2, 10, 10), side=STU),
            moved(1, at(2, 8), at(2, 11, 10), side=ORG),
            held(1, at(2, 11, 10), originally=planned),
        )
        c = component(org(h), "checkins_held")
        assert (c.numerator, c.denominator) == (0, 1)

    @pytest.mark.parametrize(("notice_hours", "kept"), [(24, 1), (48, 1), (23, 0), (0, 0)])
    def test_a_move_with_a_days_notice_is_no_broken_promise(self, notice_hours, kept):
        planned = at(2, 9, 10)
        h = history(
            moved(
                1, planned - dt.timedelta(hours=notice_hours), at(2, 11, 10), ORG, planned=planned
            ),
            held(1, at(2, 11, 10), originally=planned),
        )
        c = component(org(h), "checkins_held")
        assert (c.numerator, c.denominator) == (kept, 1)

    def test_times_written_differently_but_equal_are_the_same_time(self):
        event = ev(
            "checkin_held",
            at(2, 2, 10),
            ORG,
            checkin=1,
            scheduled_at="2026-02-02T10:00:00Z",
            originally_at="2026-02-02T10:00:00+00:00",
        )
        c = component(org(history(event)), "checkins_held")
        assert (c.numerator, c.denominator) == (1, 1)

    def test_the_student_side_counts_attendance_from_the_same_events(self):
        c = component(student_index([self.checkins()], [], NOW), "checkins_attended")
        # Held: 1, 2, 3, 7. Counted: those plus 5 (missed by the student) and 6 (both).
        assert (c.numerator, c.denominator) == (4, 6)
        assert c.sentence == "attended 4 of 6 check-ins"


class TestQuestionsAnswered:
    def question(self, message, when, side=STU):
        return ev("message_posted", when, side, message=message, question=True)

    def answered(self, message, asked, when, asked_side=STU, side=ORG):
        return ev(
            "question_answered",
            when,
            side,
            message=message,
            asked_at=iso(asked),
            asked_side=asked_side,
        )

    def test_answered_within_the_promise_over_answered_and_overdue_open_questions(self):
        q1, q2, q3 = at(2, 3, 9), at(2, 4, 9), at(2, 5, 9)
        q4, q5 = NOW - dt.timedelta(hours=30), NOW - dt.timedelta(hours=2)
        h = history(
            self.question(1, q1),
            self.answered(1, q1, q1 + dt.timedelta(hours=23)),  # in time
            self.question(2, q2),
            self.answered(2, q2, q2 + dt.timedelta(hours=25)),  # late
            self.question(3, q3, side=ORG),
            self.answered(3, q3, q3 + dt.timedelta(hours=90), asked_side=ORG, side=STU),  # ignored
            self.question(4, q4),  # open past its deadline: late
            self.question(5, q5),  # open, still within 24 h: not counted yet
            ev("message_posted", q1, STU, message=6, question=False),  # not a question
            org_hours=24,
        )
        c = component(org(h), "questions_answered")
        assert (c.numerator, c.denominator) == (1, 3)
        assert c.sentence == "answered 1 of 3 questions within 24 h"

    def test_exactly_at_the_promised_time_is_in_time(self):
        q = at(2, 3, 9)
        h = history(
            self.question(1, q), self.answered(1, q, q + dt.timedelta(hours=8)), org_hours=8
        )
        c = component(org(h), "questions_answered")
        assert (c.numerator, c.denominator) == (1, 1)

    def test_different_promises_are_named_generally(self):
        q = at(2, 3, 9)
        a = history(self.question(1, q), self.answered(1, q, q + dt.timedelta(hours=1)), pk=1)
        b = history(
            self.question(1, q),
            self.answered(1, q, q + dt.timedelta(hours=1)),
            pk=2,
            org_hours=48,
        )
        c = component(org(a, b), "questions_answered")
        assert c.sentence == "answered 2 of 2 questions within the promised time"

    def test_nothing_falls_due_after_the_engagement_was_cancelled(self):
        q = at(2, 10, 9)
        h = history(
            self.question(1, q),
            ev("cancelled", q + dt.timedelta(hours=2), STU, reason="exams"),
            state="cancelled",
        )
        c = component(org(h), "questions_answered")
        assert (c.numerator, c.denominator, c.rate) == (0, 0, None)
        assert c.sentence == "nothing to measure yet"


class TestSubmissionsReviewed:
    def submitted(self, sub, when, deliverable="d1"):
        return ev(
            "submitted",
            when,
            STU,
            deliverable=deliverable,
            submission=sub,
            number=1,
            due_on=None,
        )

    def reviewed(self, sub, submitted, when, kind="submission_accepted"):
        return ev(kind, when, ORG, deliverable="d1", submission=sub, submitted_at=iso(submitted))

    def test_reviewed_by_the_end_of_the_third_working_day(self):
        mon, fri, fri2 = at(2, 2, 10), at(2, 6, 10), at(2, 13, 10)
        mon2, wed = at(2, 23, 10), at(2, 25, 10)
        h = history(
            self.submitted(1, mon),
            self.reviewed(1, mon, at(2, 5, 23, 59)),  # Thursday night: in time
            self.submitted(2, fri),
            self.reviewed(2, fri, at(2, 11, 23), "changes_requested"),  # Wednesday: in time
            self.submitted(3, fri2),
            self.reviewed(3, fri2, at(2, 19, 0, 30)),  # Thursday: late
            self.submitted(4, mon2),  # due end of Thursday 26 Feb, still waiting: late
            self.submitted(5, wed),  # due end of Monday 2 March (today): not yet counted
        )
        c = component(org(h), "submissions_reviewed")
        assert (c.numerator, c.denominator) == (2, 4)
        assert c.sentence == "reviewed 2 of 4 submissions within 3 working days"

    def test_working_days_are_the_organizations(self):
        # Thursday 20:00 UTC is Friday morning in Auckland: the third working day after it is
        # Wednesday there (Tuesday in UTC).
        submitted = at(2, 5, 20)
        h = history(
            self.submitted(1, submitted),
            self.reviewed(1, submitted, at(2, 11, 5)),
            timezone="Pacific/Auckland",
        )
        assert component(org(h), "submissions_reviewed").numerator == 1
        utc = history(self.submitted(1, submitted), self.reviewed(1, submitted, at(2, 11, 5)))
        assert component(org(utc), "submissions_reviewed").numerator == 0


class TestFeedbackOnTime:
    def review(self, side, round_, when, due):
        return ev("review_submitted", when, side, round=round_, review=1, due_at=iso(due))

    def test_rounds_submitted_revealed_or_due_for_the_other_side(self):
        due_mid, due_final = at(2, 16, 23), at(3, 1, 23)
        a = history(
            self.review(ORG, "midpoint", at(2, 15), due_mid),  # on time
            self.review(STU, "final", at(2, 28), due_final),  # the org never wrote: missed
            pk=1,
        )
        b = history(
            ev("reviews_revealed", due_mid, None, round="midpoint", reason="window_closed"),
            self.review(ORG, "final", at(3, 2, 1), due_final),  # late
            pk=2,
        )
        c_ = history(
            self.review(STU, "midpoint", at(2, 15), NOW + dt.timedelta(days=1)),  # not due yet
            pk=3,
        )
        c = component(org(a, b, c_), "feedback_on_time")
        assert (c.numerator, c.denominator) == (1, 4)
        assert c.sentence == "gave 1 of 4 feedback reviews on time"

    def test_the_student_side(self):
        due = at(2, 16, 23)
        h = history(
            self.review(STU, "midpoint", at(2, 16, 22), due),
            self.review(ORG, "final", at(2, 28), at(3, 1, 23)),
        )
        c = component(student_index([h], [], NOW), "feedback_on_time")
        assert (c.numerator, c.denominator) == (1, 2)


class TestPaymentsOnTime:
    def completed(self, when, due_on):
        return ev("completed", when, ORG, partial=False, reason="", payment_due_on=due_on)

    def paid(self, when):
        return ev(
            "payment_recorded",
            when,
            ORG,
            payment=1,
            amount=60000,
            currency="EUR",
            paid_on=when.date().isoformat(),
            reference="",
        )

    def test_paid_by_the_due_date_over_paid_or_overdue(self):
        done = dict(state="completed")
        histories = [
            history(
                self.completed(at(2, 10), "2026-02-20"), self.paid(at(2, 20, 23)), pk=1, **done
            ),
            history(self.completed(at(2, 1), "2026-02-10"), self.paid(at(2, 11, 8)), pk=2, **done),
            history(self.completed(at(2, 12), "2026-02-25"), pk=3, **done),  # overdue
            history(self.completed(at(2, 28), "2026-03-10"), pk=4, **done),  # not due yet
            history(self.completed(at(2, 28), None), pk=5, **done),  # nothing to pay
        ]
        c = component(org(*histories), "payments_on_time")
        assert (c.numerator, c.denominator) == (1, 3)
        assert c.sentence == "paid 1 of 3 completed engagements on time"

    def test_a_disputed_payment_does_not_count(self):
        disputed = ev("payment_disputed", at(2, 16), STU, payment=1, reason="Not received")
        again = ev("payment_recorded", at(2, 22), ORG, payment=2, amount=60000, currency="EUR")
        done = self.completed(at(2, 10), "2026-02-20")
        c = component(org(history(done, self.paid(at(2, 15)), disputed, again)), "payments_on_time")
        assert (c.numerator, c.denominator) == (0, 1)  # the payment that stands came late
        never = component(org(history(done, self.paid(at(2, 15)), disputed)), "payments_on_time")
        assert (never.numerator, never.denominator) == (0, 1)

    def test_the_due_date_ends_in_the_organizations_time_zone(self):
        # 20 Feb 23:30 in New York is 21 Feb 04:30 UTC: still on time there.
        h = history(
            self.completed(at(2, 10), "2026-02-20"),
            self.paid(at(2, 21, 4, 30)),
            state="completed",
            timezone="America/New_York",
        )
        assert component(org(h), "payments_on_time").numerator == 1


class TestRatings:
    def test_average_on_a_one_to_five_scale(self):
        c = component(org(history(), ratings=[5, 4, 4, 3, 0, 6]), "ratings")
        assert (c.numerator, c.denominator, c.count) == (4.0, 5, 4)
        assert c.rate == pytest.approx(0.75)
        assert c.sentence == "average 4.0 of 5 from 4 reviews"

    def test_no_ratings(self):
        c = component(org(history()), "ratings")
        assert (c.rate, c.count, c.sentence) == (None, 0, "no reviews yet")
