"""The engagement's timeline: a sentence for every kind of event (from hand-made events with the
documented details), order, filters, pages, time zones, access, and a fixed query budget for the
page and the API."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from practicum.engagements.models import EngagementEvent
from practicum.workspace import selectors

pytestmark = pytest.mark.django_db

Kind = EngagementEvent.Kind
UTC = datetime.UTC
AT = datetime.datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
READERS = ["student", "mentor", "owner"]
STRANGERS = ["other_mentor", "outsider", "other_student", "other_staff", "staff"]


@pytest.fixture
def engagement(active_engagement):
    """Active, with the agreement's own events (drafted, signed…) dated long before AT."""
    active_engagement.events.update(at=AT - datetime.timedelta(days=30))
    return active_engagement


def add(engagement, kind, actor=None, *, at=AT, **details) -> EngagementEvent:
    return EngagementEvent.objects.create(
        engagement=engagement, kind=kind, actor=actor, at=at, details=details
    )


def rows(engagement, **filters) -> list[selectors.TimelineRow]:
    return selectors.timeline(engagement, tz=UTC, **filters).rows


def sentence_of(engagement, event) -> str:
    return next(r.sentence for r in rows(engagement) if r.id == event.pk)


def page_url(engagement) -> str:
    return reverse("workspace:timeline", args=[engagement.pk])


def api_url(engagement) -> str:
    return f"/api/v1/engagements/{engagement.pk}/timeline"


def iso(moment: datetime.datetime) -> str:
    return moment.isoformat()


# (kind, who acts: "student"/"mentor"/None, details, the sentence with {student}, {mentor}, {org})
CASES = [
    (Kind.DRAFTED, None, {"version": 1},
     "The agreement was drafted from the project and the application (version 1)."),
    (Kind.EDIT_PROPOSED, "student", {"side": "student", "version": 2, "replaces": 1},
     "{student} proposed changes to the draft agreement: version 2 replaces version 1."),
    (Kind.SIGNED, "student", {"side": "student", "version": 2},
     "{student} signed version 2 of the agreement as the student."),
    (Kind.SIGNED, "mentor", {"side": "organization", "version": 2},
     "{mentor} signed version 2 of the agreement for {org}."),
    (Kind.ACTIVATED, "mentor", {"side": "organization", "version": 2},
     "Both sides signed version 2: the engagement is active."),
    (Kind.AMENDMENT_PROPOSED, "mentor", {"side": "organization", "version": 3,
                                          "reason": "One more week."},
     "{mentor} proposed an amendment (version 3): One more week."),
    (Kind.AMENDMENT_ACCEPTED, "student", {"side": "student", "version": 3},
     "{student} accepted the amendment: version 3 is now in force."),
    (Kind.AMENDMENT_REJECTED, "student", {"side": "student", "version": 3, "reason": ""},
     "{student} rejected the amendment (version 3)."),
    (Kind.AMENDMENT_REJECTED, "student", {"side": "student", "version": 3, "reason": "No"},
     "{student} rejected the amendment (version 3): No."),
    (Kind.CANCELLED, "mentor", {"side": "organization", "reason": "Budget cut"},
     "{mentor} cancelled the engagement: Budget cut."),
    (Kind.MENTOR_CHANGED, "mentor", {"side": "organization", "previous_name": "Mo Mentor",
                                     "mentor_name": "Rui Successor", "reason": "reassigned"},
     "{mentor} made Rui Successor the mentor (was Mo Mentor)."),
    (Kind.MENTOR_CHANGED, "mentor", {"side": "organization", "previous_name": "Mo Mentor",
                                     "mentor_name": "", "reason": "member_removed"},
     "Mo Mentor left {org}: the mentor is now nobody."),
    (Kind.SUBMITTED, "student", {"side": "student", "deliverable": "d1", "submission": 7,
                                 "number": 2, "due_on": "2026-12-10"},
     "{student} submitted “Findings report” (submission 2)."),
    (Kind.SUBMITTED, "student", {"side": "student", "deliverable": "d1", "submission": 7,
                                 "number": 1, "due_on": "2026-12-01"},
     "{student} submitted “Findings report” (submission 1), after its due date of 1 Dec 2026."),
    (Kind.SUBMITTED, "student", {"side": "student", "deliverable": "d9", "submission": 7,
                                 "number": 1, "due_on": None},
     "{student} submitted deliverable d9 (submission 1)."),
    (Kind.SUBMISSION_ACCEPTED, "mentor", {"side": "organization", "deliverable": "d1",
                                          "submission": 7,
                                          "submitted_at": "2026-12-02T09:30:00+00:00"},
     "{mentor} accepted “Findings report” (submitted 2 Dec, 09:30)."),
    (Kind.CHANGES_REQUESTED, "mentor", {"side": "organization", "deliverable": "d1",
                                        "submission": 7,
                                        "submitted_at": "2026-12-02T09:30:00Z"},
     "{mentor} asked for changes to “Findings report” (submitted 2 Dec, 09:30)."),
    (Kind.CHECKIN_HELD, "mentor", {"side": "organization", "checkin": 4,
                                   "scheduled_at": "2026-12-03T14:00:00+00:00",
                                   "originally_at": "2026-12-03T14:00:00+00:00"},
     "{mentor} marked the check-in of 3 Dec, 14:00 as held."),
    (Kind.CHECKIN_HELD, "student", {"side": "student", "checkin": 4,
                                    "scheduled_at": "2026-12-05T14:00:00+00:00",
                                    "originally_at": "2026-12-03T14:00:00+00:00"},
     "{student} marked the check-in of 5 Dec, 14:00 as held (first planned for 3 Dec, 14:00)."),
    (Kind.CHECKIN_MISSED, "mentor", {"side": "organization", "checkin": 4,
                                     "scheduled_at": "2026-12-03T14:00:00+00:00",
                                     "originally_at": None, "missed_by": "student"},
     "{mentor} recorded the check-in of 3 Dec, 14:00 as missed by {student}."),
    (Kind.CHECKIN_MISSED, "student", {"side": "student", "checkin": 4,
                                      "scheduled_at": "2026-12-03T14:00:00+00:00",
                                      "originally_at": None, "missed_by": "both"},
     "{student} recorded the check-in of 3 Dec, 14:00 as missed by both sides."),
    (Kind.CHECKIN_RESCHEDULED, "student", {"side": "student", "checkin": 4,
                                           "from": "2026-12-03T14:00:00+00:00",
                                           "to": "2026-12-05T10:00:00+00:00",
                                           "reason": "Exam that day"},
     "{student} moved the check-in of 3 Dec, 14:00 to 5 Dec, 10:00: Exam that day."),
    (Kind.MESSAGE_POSTED, "student", {"side": "student", "message": 3, "question": True},
     "{student} asked a question."),
    (Kind.MESSAGE_POSTED, "mentor", {"side": "organization", "message": 3, "question": False},
     "{mentor} posted a message."),
    (Kind.QUESTION_ANSWERED, "mentor", {"side": "organization", "message": 3,
                                        "asked_at": "2026-12-03T10:00:00+00:00",
                                        "asked_side": "student"},
     "{mentor} marked {student}’s question (asked 3 Dec, 10:00) as answered after 5 h."),
    (Kind.QUESTION_ANSWERED, "student", {"side": "student", "message": 3,
                                         "asked_at": "2026-11-30T14:30:00+00:00",
                                         "asked_side": "organization"},
     "{student} marked {org}’s question (asked 30 Nov, 14:30) as answered after 3 days."),
    (Kind.QUESTION_ANSWERED, "student", {"side": "student", "message": 3,
                                         "asked_at": "2026-12-03T14:20:00+00:00",
                                         "asked_side": "student"},
     "{student} marked their own question (asked 3 Dec, 14:20) as answered after 40 min."),
    (Kind.UPDATE_POSTED, "student", {"side": "student", "update": 5, "hours": "2.5"},
     "{student} posted a progress update (2.5 hours worked)."),
    (Kind.UPDATE_POSTED, "student", {"side": "student", "update": 5, "hours": "1"},
     "{student} posted a progress update (1 hour worked)."),
    (Kind.UPDATE_COMMENTED, "mentor", {"side": "organization", "update": 5, "comment": 9},
     "{mentor} commented on a progress update."),
    (Kind.UPDATE_EDITED, "student", {"side": "student", "update": 5, "hours": "3",
                                     "before": {"done": "Read the brief", "blockers": "",
                                                "next_steps": "", "hours": "2"}},
     "{student} edited a progress update, now 3 hours worked; before, it said “Read the "
     "brief” (2 hours worked)."),
    (Kind.UPDATE_DELETED, "student", {"side": "student", "update": 5,
                                      "before": {"done": "Oops", "blockers": "",
                                                 "next_steps": "", "hours": "1"}},
     "{student} deleted a progress update; it said “Oops” (1 hour worked)."),
    (Kind.AGENDA_ITEM_EDITED, "mentor", {"side": "organization", "checkin": 4, "item": 7,
                                         "before": "Scope",
                                         "scheduled_at": "2026-12-03T14:00:00+00:00"},
     "{mentor} edited an agenda point of the check-in of 3 Dec, 14:00; before, it said "
     "“Scope”."),
    (Kind.AGENDA_ITEM_DELETED, "student", {"side": "student", "checkin": 4, "item": 7,
                                           "before": "Budget",
                                           "scheduled_at": "2026-12-03T14:00:00+00:00"},
     "{student} deleted an agenda point of the check-in of 3 Dec, 14:00; it said “Budget”."),
    (Kind.SKILL_PRACTISED, "mentor", {"side": "organization", "skill": 12, "name": "SQL"},
     "{mentor} recorded that {student} practised SQL."),
    (Kind.REVIEW_SUBMITTED, "student", {"side": "student", "round": "midpoint", "review": 8,
                                        "due_at": "2026-12-10T00:00:00+00:00"},
     "{student} submitted their mid-point feedback."),
    (Kind.REVIEW_SUBMITTED, "mentor", {"side": "organization", "round": "final", "review": 8,
                                       "due_at": "2026-12-01T12:00:00+00:00"},
     "{mentor} submitted their final feedback, after it was due (1 Dec, 12:00)."),
    (Kind.REVIEWS_REVEALED, None, {"round": "midpoint", "reason": "both_submitted"},
     "The mid-point feedback is now visible to both sides: both sides submitted theirs."),
    (Kind.REVIEWS_REVEALED, None, {"round": "final", "reason": "window_closed"},
     "The final feedback is now visible to both sides: the feedback window closed."),
    (Kind.COMPLETED, "mentor", {"side": "organization", "partial": False, "reason": "",
                                "payment_due_on": "2026-12-17"},
     "{mentor} marked the engagement as completed. Payment is due by 17 Dec 2026."),
    (Kind.COMPLETED, "mentor", {"side": "organization", "partial": True,
                                "reason": "Second deliverable dropped", "payment_due_on": None},
     "{mentor} marked the engagement as partially completed: Second deliverable dropped."),
    (Kind.PAYMENT_RECORDED, "mentor", {"side": "organization", "payment": 2, "amount": 60000,
                                       "currency": "EUR", "paid_on": "2026-12-04",
                                       "reference": "INV-42"},
     "{mentor} recorded a payment of 600.00 EUR made on 4 Dec 2026 (reference: INV-42)."),
    (Kind.PAYMENT_CONFIRMED, "student", {"side": "student", "payment": 2},
     "{student} confirmed receiving the payment."),
    (Kind.PAYMENT_DISPUTED, "student", {"side": "student", "payment": 2,
                                        "reason": "Only half arrived"},
     "{student} disputed the payment: Only half arrived."),
]  # fmt: skip


class TestSentences:
    def test_every_kind_has_a_sentence_a_group_and_a_case(self):
        assert set(selectors.SENTENCES) == set(Kind.values)
        assert set(selectors.GROUP_OF) == set(Kind.values)
        assert {kind for kind, *_ in CASES} == set(Kind.values)

    @pytest.mark.parametrize(("kind", "who", "details", "expected"), CASES)
    def test_sentence(self, request, engagement, project, kind, who, details, expected):
        actor = request.getfixturevalue(who) if who else None
        event = add(engagement, kind, actor, **details)

        names = {
            "student": engagement.student.name,
            "mentor": request.getfixturevalue("mentor").name,
            "org": project.organization.name,
        }
        assert sentence_of(engagement, event) == expected.format(**names)

    def test_the_row_says_who_when_and_where(self, engagement, student, mentor, project):
        add(engagement, Kind.UPDATE_POSTED, student, side="student", update=1, hours="2")
        add(engagement, Kind.SKILL_PRACTISED, mentor, side="organization", skill=1, name="SQL")
        add(engagement, Kind.REVIEWS_REVEALED, None, round="final", reason="window_closed")

        update, skill, revealed = rows(engagement, order="newest")[2::-1]

        assert (update.actor, update.side, update.side_label) == (student, "student", student.name)
        assert (update.group, update.group_label) == ("updates", "Progress updates")
        assert update.url == reverse("progress:list", args=[engagement.pk])
        assert update.at == AT and update.kind_label == "Progress update posted"
        assert (skill.side, skill.side_label) == ("organization", project.organization.name)
        assert skill.url == reverse("learning:plan", args=[engagement.pk])
        assert (revealed.actor, revealed.side, revealed.side_label) == (None, "", "Practicum")
        assert revealed.url == reverse("reviews:engagement", args=[engagement.pk])

    def test_times_are_in_the_viewers_zone(self, engagement, student):
        event = add(
            engagement,
            Kind.CHECKIN_RESCHEDULED,
            student,
            side="student",
            checkin=1,
            **{"from": "2026-12-03T14:00:00+00:00", "to": "2026-12-05T10:00:00+00:00"},
            reason="",
        )
        zone = datetime.timezone(datetime.timedelta(hours=-5))

        row = next(r for r in selectors.timeline(engagement, tz=zone).rows if r.id == event.pk)

        assert row.sentence.endswith("moved the check-in of 3 Dec, 09:00 to 5 Dec, 05:00.")

    def test_a_renamed_deliverable_shows_its_latest_title(self, engagement, student, mentor):
        from practicum.engagements import agreements

        terms = engagement.agreement_versions.get(status="current").terms
        renamed = [{**terms["deliverables"][0], "title": "Final report"}]
        version = agreements.propose_amendment(
            engagement,
            by=student,
            changes={"deliverables": renamed},
            reason="Clearer name.",
            full_name=student.name,
        )
        agreements.accept_amendment(engagement, version.number, by=mentor, full_name=mentor.name)
        event = add(
            engagement,
            Kind.SUBMITTED,
            student,
            side="student",
            deliverable="d1",
            submission=1,
            number=1,
            due_on=None,
        )

        assert (
            sentence_of(engagement, event)
            == f"{student.name} submitted “Final report” (submission 1)."
        )

    @pytest.mark.parametrize("kind", Kind.values)
    @pytest.mark.parametrize(
        "details",
        [
            {},
            {
                "side": 5,
                "version": "x",
                "deliverable": ["d1"],
                "due_on": "soon",
                "submitted_at": "yesterday",
                "scheduled_at": 3,
                "from": None,
                "asked_at": "2026-13-45",
                "hours": "many",
                "amount": "lots",
                "currency": None,
                "paid_on": 20261204,
                "round": {"x": 1},
                "missed_by": "nobody",
            },
        ],
    )
    def test_malformed_details_never_break_the_timeline(self, engagement, student, kind, details):
        event = add(engagement, kind, student, **details)

        text = sentence_of(engagement, event)

        assert isinstance(text, str) and text.endswith(".")

    def test_a_deleted_actor(self, engagement):
        event = add(engagement, Kind.MESSAGE_POSTED, None, side="student", message=1)
        assert sentence_of(engagement, event) == "Someone posted a message."

    def test_long_reasons_are_shortened(self, engagement, mentor):
        event = add(engagement, Kind.CANCELLED, mentor, side="organization", reason="x" * 2000)
        assert len(sentence_of(engagement, event)) < 400

    def test_nothing_private_is_shown(self, client_for, api_client_for, engagement, student):
        # A review's content is never in an event; even if some detail carried text, the
        # timeline only says what its sentence says.
        add(
            engagement,
            Kind.REVIEW_SUBMITTED,
            student,
            side="student",
            round="midpoint",
            review=1,
            due_at=None,
            content="The mentor never answers",
            rating=1,
        )

        page = client_for(student).get(page_url(engagement)).content.decode()
        api = api_client_for(student).get(api_url(engagement)).content.decode()

        for body in (page, api):
            assert "submitted their mid-point feedback" in body
            assert "never answers" not in body and "rating" not in body


class TestOrderFiltersPages:
    def test_oldest_first_by_time_then_by_id(self, engagement, student, mentor):
        later = add(engagement, Kind.MESSAGE_POSTED, mentor, at=AT + datetime.timedelta(hours=1))
        first = add(engagement, Kind.MESSAGE_POSTED, student)
        second = add(engagement, Kind.UPDATE_POSTED, student)

        ids = [r.id for r in rows(engagement)]

        assert ids[-3:] == [first.pk, second.pk, later.pk]
        assert rows(engagement)[0].kind == Kind.DRAFTED
        assert [r.id for r in rows(engagement, order="newest")] == ids[::-1]

    def test_real_events_of_the_agreement(self, engagement, student, mentor):
        kinds = [r.kind for r in rows(engagement)]
        assert kinds[0] == Kind.DRAFTED and kinds[-1] == Kind.ACTIVATED
        signed = [r for r in rows(engagement) if r.kind == Kind.SIGNED]
        assert [r.actor for r in signed] == [student, mentor]
        assert signed[1].sentence.startswith(f"{mentor.name} signed version ")

    @pytest.mark.parametrize("group", list(selectors.GROUPS))
    def test_filter_by_group(self, engagement, student, group):
        for kind, who, details, _ in CASES:
            add(engagement, kind, student if who else None, **details)

        page = selectors.timeline(engagement, group=group, tz=UTC)

        kinds = selectors.GROUPS[group][1]
        assert page.rows and {r.kind for r in page.rows} <= kinds
        assert (
            page.count
            == EngagementEvent.objects.filter(engagement=engagement, kind__in=kinds).count()
        )

    def test_pages(self, engagement, student):
        before = EngagementEvent.objects.filter(engagement=engagement).count()
        for n in range(5):
            add(engagement, Kind.MESSAGE_POSTED, student, at=AT + datetime.timedelta(minutes=n))

        first = selectors.timeline(engagement, per_page=3, tz=UTC)
        last = selectors.timeline(engagement, per_page=3, page=99, tz=UTC)

        assert first.count == before + 5 and first.pages == -(-(before + 5) // 3)
        assert (first.number, first.has_previous, first.has_next) == (1, False, True)
        assert (last.number, last.has_next) == (first.pages, False)
        assert last.rows[-1].at == AT + datetime.timedelta(minutes=4)


class TestPage:
    @pytest.mark.parametrize("who", READERS)
    def test_readers(self, request, client_for, engagement, student, who):
        add(engagement, Kind.UPDATE_POSTED, student, side="student", update=1, hours="2.5")

        response = client_for(request.getfixturevalue(who)).get(page_url(engagement))

        page = response.content.decode()
        assert response.status_code == 200
        assert 'aria-current="page">Timeline' in page
        assert f"{student.name} posted a progress update (2.5 hours worked)." in page
        assert "The agreement was drafted" in page

    @pytest.mark.parametrize("who", STRANGERS)
    def test_strangers_404(self, request, client_for, engagement, who):
        assert client_for(request.getfixturevalue(who)).get(page_url(engagement)).status_code == 404

    def test_anonymous_logs_in_first(self, engagement):
        response = Client().get(page_url(engagement))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_when_is_in_the_viewers_zone(self, client_for, engagement, student):
        student.timezone = "America/New_York"
        student.save()
        add(engagement, Kind.MESSAGE_POSTED, student, side="student", message=1, question=True)

        page = client_for(student).get(page_url(engagement)).content.decode()

        assert "Thu 3 Dec 2026, 10:00 EST" in page

    def test_filter_and_order(self, client_for, engagement, student, mentor):
        add(engagement, Kind.MESSAGE_POSTED, student, side="student", message=1, question=True)
        add(engagement, Kind.UPDATE_POSTED, student, side="student", update=1, hours="1")

        page = client_for(mentor).get(page_url(engagement), {"group": "messages"})
        html = page.content.decode()

        assert page.status_code == 200
        assert "asked a question" in html and "progress update" not in html
        assert "1 event: messages" in html
        newest = client_for(mentor).get(page_url(engagement), {"order": "newest"}).content
        text = newest.decode()
        assert text.index("posted a progress update") < text.index("The agreement was drafted")

    @pytest.mark.parametrize(
        "query", [{"group": "gossip"}, {"order": "sideways"}, {"page": "abc"}, {"page": "0"}]
    )
    def test_bad_filters_are_shown_and_left_out(self, client_for, engagement, student, query):
        response = client_for(student).get(page_url(engagement), query)

        html = response.content.decode()
        assert response.status_code == 422
        assert "were not understood" in html
        assert "The agreement was drafted" in html

    def test_a_hundred_to_a_page(self, client_for, engagement, student):
        EngagementEvent.objects.bulk_create(
            EngagementEvent(
                engagement=engagement,
                kind=Kind.MESSAGE_POSTED,
                actor=student,
                at=AT + datetime.timedelta(minutes=n),
                details={"side": "student", "message": n, "question": False},
            )
            for n in range(120)
        )
        client = client_for(student)

        first = client.get(page_url(engagement), {"group": "messages"}).content.decode()
        second = client.get(page_url(engagement), {"group": "messages", "page": 2})

        assert first.count("posted a message.") == 100
        assert "Page 1 of 2" in first and "page=2" in first and "group=messages" in first
        assert second.content.decode().count("posted a message.") == 20
        assert 'rel="prev"' in second.content.decode()


class TestApi:
    @pytest.mark.parametrize("who", READERS)
    def test_readers(self, request, api_client_for, engagement, student, who):
        add(engagement, Kind.SKILL_PRACTISED, None, side="organization", skill=1, name="SQL")

        response = api_client_for(request.getfixturevalue(who)).get(api_url(engagement))

        body = response.json()
        assert response.status_code == 200
        assert body["page"] == 1 and body["pages"] == 1 and body["per_page"] == 100
        assert body["count"] == len(body["events"])
        first, last = body["events"][0], body["events"][-1]
        assert first["kind"] == "drafted" and first["actor"] is None
        assert last["sentence"] == f"Someone recorded that {student.name} practised SQL."
        assert (last["group"], last["side"]) == ("learning", "organization")

    @pytest.mark.parametrize("who", STRANGERS)
    def test_strangers_404(self, request, api_client_for, engagement, who):
        response = api_client_for(request.getfixturevalue(who)).get(api_url(engagement))
        assert response.status_code == 404

    def test_anonymous_401(self, engagement):
        assert Client().get(api_url(engagement)).status_code == 401

    def test_filters(self, api_client_for, engagement, student):
        add(engagement, Kind.MESSAGE_POSTED, student, side="student", message=1, question=True)
        client = api_client_for(student)

        body = client.get(api_url(engagement), {"group": "messages", "order": "newest"}).json()

        assert [e["kind"] for e in body["events"]] == ["message_posted"]
        newest = client.get(api_url(engagement), {"order": "newest"}).json()["events"]
        assert newest[0]["kind"] == "message_posted"

    @pytest.mark.parametrize(
        "query", [{"group": "gossip"}, {"order": "sideways"}, {"page": "abc"}, {"page": "0"}]
    )
    def test_bad_input_422(self, api_client_for, engagement, student, query):
        response = api_client_for(student).get(api_url(engagement), query)
        assert response.status_code == 422
        assert response.json()["code"] == "invalid"

    def test_sentences_in_the_callers_zone(self, api_client_for, engagement, student):
        student.timezone = "Asia/Tokyo"
        student.save()
        add(
            engagement,
            Kind.CHECKIN_HELD,
            student,
            side="student",
            checkin=1,
            scheduled_at="2026-12-03T14:00:00+00:00",
            originally_at=None,
        )

        events = api_client_for(student).get(api_url(engagement)).json()["events"]

        assert events[-1]["sentence"].endswith("the check-in of 3 Dec, 23:00 as held.")


def _fill(engagement, student, mentor, count: int) -> None:
    """`count` events of every kind, as CASES describe them."""
    people = {"student": student, "mentor": mentor, None: None}
    EngagementEvent.objects.bulk_create(
        EngagementEvent(engagement=engagement, kind=kind, actor=people[who], at=AT, details=details)
        for _ in range(count)
        for kind, who, details, _ in CASES
    )


class TestQueryBudget:
    @pytest.mark.parametrize("who", ["student", "owner"])
    @pytest.mark.parametrize("count", [1, 8])
    def test_page(
        self, request, client_for, engagement, student, mentor, who, count,
        django_assert_max_num_queries,
    ):  # fmt: skip
        _fill(engagement, student, mentor, count)
        client = client_for(request.getfixturevalue(who))

        with django_assert_max_num_queries(11):
            response = client.get(page_url(engagement))
        assert response.status_code == 200

    @pytest.mark.parametrize("count", [1, 8])
    def test_api(
        self, api_client_for, engagement, student, mentor, owner, count,
        django_assert_max_num_queries,
    ):  # fmt: skip
        _fill(engagement, student, mentor, count)
        client = api_client_for(owner)

        with django_assert_max_num_queries(7):
            response = client.get(api_url(engagement))
        assert response.status_code == 200

    def test_selector_three_queries(self, engagement, student, mentor, django_assert_num_queries):
        from practicum.engagements.selectors import engagement_for_page

        _fill(engagement, student, mentor, 3)
        loaded = engagement_for_page(engagement.pk)  # as the page and the API load it
        with django_assert_num_queries(3):
            page = selectors.timeline(loaded, tz=UTC)
        assert page.count > len(page.rows) == selectors.PER_PAGE
