import datetime

import pytest
from django.core.exceptions import ValidationError

from practicum.core.errors import Conflict, Refused
from practicum.engagements import services as engagement_services
from practicum.interviews import selectors, services
from practicum.interviews.models import Interview, InterviewEvent, InterviewSlot
from practicum.notifications.models import Notification
from practicum.privacy.collect import files_for
from tests.factories import ApplicationFactory
from tests.interviews.conftest import at, slot, start_now

pytestmark = pytest.mark.django_db
Status = Interview.Status


def test_the_organization_proposes_and_the_student_is_told(proposed, student):
    assert proposed.status == Status.PROPOSED
    assert proposed.slots.count() == 2
    assert Notification.objects.filter(recipient=student, kind="interview_proposed").count() == 1
    event = proposed.events.get()
    assert (event.kind, event.side) == ("proposed", "organization")


def test_a_mentor_of_the_organization_may_propose(shortlisted, mentor):
    assert services.propose(shortlisted, by=mentor, slots=[slot(30)]).status == Status.PROPOSED


@pytest.mark.parametrize("who", ["student", "other_student", "outsider"])
def test_others_may_not_propose(shortlisted, who, request):
    with pytest.raises(Refused):
        services.propose(shortlisted, by=request.getfixturevalue(who), slots=[slot(30)])
    assert not Interview.objects.exists()


def test_only_a_shortlisted_application_is_invited(application, owner):
    with pytest.raises(Conflict) as refused:
        services.propose(application, by=owner, slots=[slot(30)])
    assert refused.value.code == "not_shortlisted"


def test_one_open_interview_at_a_time(proposed, owner):
    with pytest.raises(Conflict) as refused:
        services.propose(proposed.application, by=owner, slots=[slot(100)])
    assert refused.value.code == "interview_open"


@pytest.mark.parametrize(
    "slots",
    [
        [],
        [slot(-1)],  # in the past
        [slot(30), slot(30)],  # the same time twice
        [slot(30, minutes=60), slot(30.5)],  # overlapping
        [slot(30, url="javascript:alert(1)")],
        [slot(30, url="ftp://files.example.org/x")],
        [slot(30, url="https://x.example.org/" + "a" * 600)],
        [{**slot(30), "place": "Room 1"}],  # both a place and a link
        [{**slot(30), "video_url": ""}],  # neither
        [slot(30, minutes=5)],
        [slot(30, minutes=600)],
        [{**slot(30), "starts_at": slot(30)["starts_at"].replace(year=9999)}],
        [{**slot(30), "starts_at": slot(30)["starts_at"].replace(tzinfo=None)}],
        [slot(30, place="Room\x00 1")],
        [slot(24 * (n + 1)) for n in range(11)],  # too many
    ],
)
def test_bad_times_are_refused_and_nothing_is_written(shortlisted, owner, slots):
    with pytest.raises(ValidationError) as refused:
        services.propose(shortlisted, by=owner, slots=slots)
    assert "slots" in refused.value.message_dict
    assert not Interview.objects.exists()
    assert not InterviewSlot.objects.exists()


def test_ten_times_are_fine(shortlisted, owner):
    interview = services.propose(
        shortlisted, by=owner, slots=[slot(24 * (n + 1)) for n in range(10)]
    )
    assert interview.slots.count() == 10


def test_proposing_twice_with_one_key_makes_one_interview(shortlisted, owner):
    first = services.propose(shortlisted, by=owner, slots=[slot(30)], idempotency_key="k1")
    again = services.propose(shortlisted, by=owner, slots=[slot(30)], idempotency_key="k1")
    assert first.pk == again.pk
    assert Interview.objects.count() == 1


def test_the_student_picks_and_the_organization_is_told(scheduled, owner, mentor):
    assert scheduled.status == Status.SCHEDULED
    assert scheduled.slot.starts_at == min(s.starts_at for s in scheduled.slots.all())
    assert scheduled.sequence == 1
    told = Notification.objects.filter(kind="interview_scheduled")
    assert {n.recipient for n in told} == {owner, mentor}


def test_only_the_student_picks(proposed, owner, other_student):
    first = proposed.slots.first()
    for person in (owner, other_student):
        with pytest.raises(Refused):
            services.pick(proposed, by=person, slot_id=first.pk)
    proposed.refresh_from_db()
    assert proposed.status == Status.PROPOSED


def test_a_time_of_another_interview_or_past_cannot_be_picked(proposed, student, owner):
    with pytest.raises(ValidationError):
        services.pick(proposed, by=student, slot_id=10**6)
    past = proposed.slots.first()
    InterviewSlot.objects.filter(pk=past.pk).update(starts_at=at(-1))
    with pytest.raises(ValidationError) as refused:
        services.pick(proposed, by=student, slot_id=past.pk)
    assert refused.value.message_dict["slot"] == ["This time has passed: choose another one."]


def test_a_picked_interview_cannot_be_picked_again(scheduled, student):
    other = scheduled.slots.exclude(pk=scheduled.slot_id).get()
    with pytest.raises(Conflict) as refused:
        services.pick(scheduled, by=student, slot_id=other.pk)
    assert refused.value.code == "illegal_transition"


def test_the_student_reschedules_and_picks_another_time(scheduled, student, owner):
    first = scheduled.slot
    interview = services.reschedule(scheduled, by=student, reason="An exam moved")
    assert interview.status == Status.PROPOSED
    assert interview.slot is None
    first.refresh_from_db()
    assert first.withdrawn
    event = interview.events.get(kind="rescheduled")
    assert event.side == "student"
    assert datetime.timedelta(hours=47) < event.notice <= datetime.timedelta(hours=48)
    assert Notification.objects.filter(recipient=owner, kind="interview_rescheduled").exists()
    with pytest.raises(ValidationError):
        services.pick(interview, by=student, slot_id=first.pk)  # taken back
    second = interview.slots.get(withdrawn=False)
    assert services.pick(interview, by=student, slot_id=second.pk).slot == second


def test_the_organization_reschedules_with_new_times(scheduled, owner, student):
    interview = services.reschedule(
        scheduled, by=owner, reason="The mentor is ill", slots=[slot(120), slot(144)]
    )
    assert interview.slots.filter(withdrawn=False).count() == 3
    assert Notification.objects.filter(recipient=student, kind="interview_rescheduled").exists()


def test_a_reschedule_needs_a_reason_and_the_student_offers_no_times(scheduled, student):
    with pytest.raises(ValidationError):
        services.reschedule(scheduled, by=student, reason="  ")
    with pytest.raises(ValidationError):
        services.reschedule(scheduled, by=student, reason="Clash", slots=[slot(200)])
    scheduled.refresh_from_db()
    assert scheduled.status == Status.SCHEDULED


@pytest.mark.parametrize("who", ["other_student", "outsider"])
def test_others_may_not_reschedule_or_cancel(scheduled, who, request):
    person = request.getfixturevalue(who)
    with pytest.raises(Refused):
        services.reschedule(scheduled, by=person, reason="No")
    with pytest.raises(Refused):
        services.cancel(scheduled, by=person)


def test_either_side_cancels(scheduled, student, owner):
    interview = services.cancel(scheduled, by=student, reason="I took another offer")
    assert interview.status == Status.CANCELLED
    assert interview.events.get(kind="cancelled").notice > datetime.timedelta(hours=47)
    assert Notification.objects.filter(recipient=owner, kind="interview_cancelled").exists()
    with pytest.raises(Conflict):
        services.cancel(interview, by=owner)


def test_the_outcome_is_recorded_once_the_time_has_come(scheduled, owner, student):
    with pytest.raises(Conflict) as refused:
        services.record_outcome(scheduled, by=owner, outcome="held")
    assert refused.value.code == "too_early"
    start_now(scheduled)
    with pytest.raises(Refused):
        services.record_outcome(scheduled, by=student, outcome="held")
    interview = services.record_outcome(
        scheduled, by=owner, outcome="no_show", no_show_by="student"
    )
    assert (interview.status, interview.no_show_by) == (Status.NO_SHOW, "student")
    with pytest.raises(Conflict):
        services.record_outcome(interview, by=owner, outcome="held")


@pytest.mark.parametrize(
    ("outcome", "no_show_by"),
    [("maybe", ""), ("no_show", ""), ("no_show", "both"), ("held", "student")],
)
def test_bad_outcomes_are_refused(scheduled, owner, outcome, no_show_by):
    start_now(scheduled)
    with pytest.raises(ValidationError):
        services.record_outcome(scheduled, by=owner, outcome=outcome, no_show_by=no_show_by)
    scheduled.refresh_from_db()
    assert scheduled.status == Status.SCHEDULED


@pytest.mark.parametrize("answer", ["reject", "withdraw", "offer"])
def test_answering_the_application_calls_off_its_interview(scheduled, owner, student, answer):
    application = scheduled.application
    if answer == "reject":
        engagement_services.reject(application, by=owner)
    elif answer == "withdraw":
        engagement_services.withdraw(application, by=student)
    else:
        engagement_services.make_offer(application, by=owner)
    scheduled.refresh_from_db()
    assert scheduled.status == Status.CANCELLED
    assert scheduled.sequence == 2
    event = scheduled.events.get(kind="cancelled")
    assert event.actor is None and event.side == ""


def test_a_held_interview_stays_held_when_the_offer_comes(scheduled, owner):
    start_now(scheduled)
    services.record_outcome(scheduled, by=owner, outcome="held")
    engagement_services.make_offer(scheduled.application, by=owner)
    scheduled.refresh_from_db()
    assert scheduled.status == Status.HELD


def test_interview_counts(scheduled, owner, student, organization, other_student, project):
    """Held, no-shows by each side, reschedules with under 24 h notice by each side."""
    start_now(scheduled)
    services.record_outcome(scheduled, by=owner, outcome="held")

    # A second applicant: the organization takes back a time 3 hours ahead (late), then the
    # student does not show up.
    second = engagement_services.shortlist(
        ApplicationFactory(project=project, student=other_student), by=owner
    )
    interview = services.propose(second, by=owner, slots=[slot(3), slot(50)])
    services.pick(interview, by=other_student, slot_id=interview.slots.order_by("starts_at")[0].pk)
    services.reschedule(interview, by=owner, reason="Clash")
    services.pick(interview, by=other_student, slot_id=interview.slots.get(withdrawn=False).pk)
    # The student moves it with 50 hours' notice: not late.
    services.reschedule(interview, by=other_student, reason="Exam", slots=[])
    services.add_slots(interview, by=owner, slots=[slot(80)])
    interview = services.pick(
        interview, by=other_student, slot_id=interview.slots.get(withdrawn=False).pk
    )
    start_now(interview)
    services.record_outcome(interview, by=owner, outcome="no_show", no_show_by="student")

    counts = selectors.interview_counts(
        organization_ids=[organization.pk, 10**6], student_ids=[student.pk, other_student.pk]
    )
    org = counts["organizations"][organization.pk]
    assert (org.held, org.no_shows, org.late_reschedules) == (1, 0, 1)
    assert counts["organizations"][10**6].held == 0
    one, two = counts["students"][student.pk], counts["students"][other_student.pk]
    assert (one.held, one.no_shows, one.late_reschedules) == (1, 0, 0)
    assert (two.held, two.no_shows, two.late_reschedules) == (0, 1, 0)
    assert InterviewEvent.objects.filter(kind="rescheduled").count() == 2


def test_interview_counts_in_a_fixed_number_of_queries(
    scheduled, organization, student, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        selectors.interview_counts(organization_ids=[organization.pk], student_ids=[student.pk])


def test_the_students_data_export_holds_their_interviews(scheduled, student, owner):
    services.reschedule(scheduled, by=owner, reason="The mentor is ill", slots=[slot(100)])
    exported = files_for(student)["interviews.json"]
    assert len(exported) == 1
    assert len(exported[0]["times_offered"]) == 3
    assert [e["what"] for e in exported[0]["history"]] == ["proposed", "picked", "rescheduled"]
    assert exported[0]["history"][-1]["reason"] == "The mentor is ill"
    assert files_for(owner)["interviews.json"] == []
