"""The agreement's rules, through its services: drafting, edits, signing, amendments, diffs,
cancellation, events and notifications."""

import pytest
from django.core.exceptions import ValidationError

from practicum.accounts.models import User
from practicum.core.errors import Conflict, Refused
from practicum.engagements import agreements, services, terms
from practicum.engagements.models import AgreementVersion, Engagement, EngagementEvent
from practicum.notifications.models import Notification
from practicum.projects import status as project_status
from tests.factories import InstitutionStaffFactory

pytestmark = pytest.mark.django_db

Status = AgreementVersion.Status


@pytest.fixture
def engagement(offered, student):
    return services.accept_offer(offered, by=student)


def sign_student(engagement, student, number=None, **overrides):
    number = number or engagement.agreement_versions.get(status=Status.DRAFT).number
    data = {
        "version_number": number,
        "full_name": student.name,
        "student_hours_per_week": 10,
        "student_response_time_hours": 24,
        **overrides,
    }
    return agreements.sign(engagement, by=student, **data)


def sign_org(engagement, person, number=None):
    number = number or engagement.agreement_versions.get(status=Status.DRAFT).number
    return agreements.sign(engagement, by=person, version_number=number, full_name=person.name)


def activate(engagement, student, mentor):
    sign_student(engagement, student)
    sign_org(engagement, mentor)
    engagement.refresh_from_db()
    assert engagement.state == Engagement.State.ACTIVE
    return engagement


def kinds(engagement) -> list[str]:
    return list(engagement.events.order_by("at", "pk").values_list("kind", flat=True))


def recipients(kind) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


class TestDraft:
    def test_accepting_an_offer_drafts_version_1_from_the_project_and_profile(
        self, offered, student, project, mentor, owner
    ):
        student.student_profile.learning_goals = ["Present findings to a client"]
        student.student_profile.save()

        engagement = services.accept_offer(offered, by=student)

        version = engagement.agreement_versions.get()
        assert (version.number, version.status) == (1, Status.DRAFT)
        t = version.terms
        assert t["objectives"] == project.objectives
        assert t["deliverables"] == [
            {
                "key": "d1",
                "title": "Findings report",
                "description": "",
                "due_on": project.ends_on.isoformat(),
            }
        ]
        assert t["starts_on"] == project.starts_on.isoformat()
        assert (t["estimated_hours"], t["hours_per_week"]) == (40, 10)
        assert (t["compensation_amount"], t["currency"]) == (60000, "EUR")
        assert (t["checkin_cadence"], t["checkin_weekday"], t["checkin_time"]) == (
            "weekly",
            0,
            "10:00",
        )
        assert t["response_time_hours"] == 24
        assert t["learning_goals"] == ["Present findings to a client"]
        assert t["mentor"] == {"id": mentor.pk, "name": mentor.name}
        assert kinds(engagement) == ["drafted"]
        assert recipients("agreement_ready") == {student.pk, mentor.pk, owner.pk}


class TestSigning:
    def test_one_signature_does_not_activate(self, engagement, student):
        sign_student(engagement, student)

        engagement.refresh_from_db()
        assert engagement.state == Engagement.State.AGREEMENT_PENDING
        assert kinds(engagement) == ["drafted", "signed"]

    def test_both_sides_on_the_same_version_activate(self, engagement, student, owner):
        sign_org(engagement, owner)
        sign_student(engagement, student)

        engagement.refresh_from_db()
        assert engagement.state == Engagement.State.ACTIVE
        version = engagement.agreement_versions.get()
        assert version.status == Status.CURRENT
        assert {s.side for s in version.signatures.all()} == {"student", "organization"}
        assert kinds(engagement) == ["drafted", "signed", "signed", "activated"]

    def test_the_typed_name_must_match_the_account_case_aside(self, engagement, student):
        with pytest.raises(ValidationError) as exc:
            sign_student(engagement, student, full_name="Somebody Else")
        assert "full_name" in exc.value.error_dict

        sign_student(engagement, student, full_name=f"  {student.name.upper()} ")
        assert engagement.agreement_versions.get().signatures.get().full_name == (
            student.name.upper()
        )

    def test_an_outdated_version_cannot_be_signed(self, engagement, student, mentor):
        agreements.propose_edit(engagement, by=mentor, changes={"estimated_hours": 45})

        with pytest.raises(Conflict) as exc:
            sign_student(engagement, student, number=1)
        assert (exc.value.code, exc.value.status) == ("outdated_version", 409)

    def test_a_side_signs_once(self, engagement, mentor, owner):
        sign_org(engagement, mentor)
        with pytest.raises(Conflict) as exc:
            sign_org(engagement, owner)
        assert exc.value.code == "already_signed"

    def test_a_different_student_commitment_makes_a_new_draft_the_org_signs_again(
        self, engagement, student, mentor
    ):
        sign_org(engagement, mentor)

        version = sign_student(engagement, student, student_hours_per_week=8)

        engagement.refresh_from_db()
        assert engagement.state == Engagement.State.AGREEMENT_PENDING
        assert version.number == 2
        assert version.terms["student_hours_per_week"] == 8
        assert engagement.agreement_versions.get(number=1).status == Status.SUPERSEDED
        sign_org(engagement, mentor, number=2)
        engagement.refresh_from_db()
        assert engagement.state == Engagement.State.ACTIVE

    def test_the_student_states_their_commitment(self, engagement, student):
        with pytest.raises(ValidationError) as exc:
            sign_student(engagement, student, student_response_time_hours=None)
        assert "student_response_time_hours" in exc.value.error_dict


class TestEditsBeforeSigning:
    def test_an_edit_replaces_the_draft_and_old_signatures_stop_counting(
        self, engagement, student, mentor
    ):
        sign_org(engagement, mentor)

        version = agreements.propose_edit(
            engagement,
            by=student,
            changes={"learning_goals": ["SQL"], "ends_on": engagement.project.ends_on.isoformat()},
            reason="My goals",
        )

        assert version.number == 2 and version.status == Status.DRAFT
        assert version.terms["learning_goals"] == ["SQL"]
        assert engagement.agreement_versions.get(number=1).status == Status.SUPERSEDED
        sign_student(engagement, student)
        engagement.refresh_from_db()
        assert engagement.state == Engagement.State.AGREEMENT_PENDING  # the org signed v1 only
        assert "edit_proposed" in kinds(engagement)
        # The other side (the organization) is told the new draft is ready.
        assert (
            Notification.objects.filter(
                kind="agreement_ready", recipient=mentor, url__contains=str(engagement.pk)
            ).count()
            == 2
        )

    def test_bad_terms_are_refused_field_by_field(self, engagement, student):
        with pytest.raises(ValidationError) as exc:
            agreements.propose_edit(
                engagement,
                by=student,
                changes={
                    "hours_per_week": 0,
                    "starts_on": "soon",
                    "currency": "XXXX",
                    "mentor": {"id": 1},
                    "deliverables": [{"title": ""}],
                },
            )
        assert set(exc.value.error_dict) == {
            "hours_per_week",
            "starts_on",
            "currency",
            "mentor",
            "deliverables",
        }
        assert engagement.agreement_versions.count() == 1

    def test_no_change_is_refused(self, engagement, student):
        with pytest.raises(ValidationError):
            agreements.propose_edit(engagement, by=student, changes={"estimated_hours": 40})

    def test_edits_need_a_party(self, engagement, other_mentor):
        with pytest.raises(Refused):
            agreements.propose_edit(engagement, by=other_mentor, changes={"estimated_hours": 4})

    def test_no_edits_once_active(self, engagement, student, mentor):
        activate(engagement, student, mentor)
        with pytest.raises(Conflict) as exc:
            agreements.propose_edit(engagement, by=student, changes={"estimated_hours": 4})
        assert exc.value.code == "not_pending"


class TestAmendments:
    @pytest.fixture
    def active(self, engagement, student, mentor):
        return activate(engagement, student, mentor)

    def propose(self, engagement, by, **changes):
        return agreements.propose_amendment(
            engagement,
            by=by,
            changes=changes or {"compensation_amount": 70000},
            reason="More work than planned",
            full_name=by.name,
        )

    def test_the_other_side_accepts_and_the_proposal_becomes_current(
        self, active, student, mentor, owner
    ):
        proposal = self.propose(active, mentor)
        assert proposal.status == Status.PROPOSED
        assert recipients("amendment_proposed") == {student.pk}

        with pytest.raises(Refused):
            agreements.accept_amendment(active, proposal.number, by=owner, full_name=owner.name)

        agreements.accept_amendment(active, proposal.number, by=student, full_name=student.name)

        statuses = dict(active.agreement_versions.values_list("number", "status"))
        assert statuses == {1: Status.SUPERSEDED, 2: Status.CURRENT}
        assert recipients("amendment_accepted") == {mentor.pk, owner.pk}
        assert kinds(active)[-2:] == ["amendment_proposed", "amendment_accepted"]

    def test_the_other_side_rejects_and_the_current_version_stays(self, active, student, mentor):
        proposal = self.propose(active, student, hours_per_week=12)
        with pytest.raises(Refused):
            agreements.reject_amendment(active, proposal.number, by=student)

        agreements.reject_amendment(active, proposal.number, by=mentor, reason="Not possible")

        statuses = dict(active.agreement_versions.values_list("number", "status"))
        assert statuses == {1: Status.CURRENT, 2: Status.REJECTED}
        assert student.pk in recipients("amendment_rejected")
        assert kinds(active)[-1] == "amendment_rejected"

    def test_one_open_amendment_at_a_time_and_a_reason_is_required(self, active, mentor, student):
        with pytest.raises(ValidationError) as exc:
            agreements.propose_amendment(
                active, by=mentor, changes={"hours_per_week": 12}, reason=" ", full_name=mentor.name
            )
        assert "reason" in exc.value.error_dict
        self.propose(active, mentor)
        with pytest.raises(Conflict) as conflict:
            self.propose(active, student, hours_per_week=12)
        assert conflict.value.code == "amendment_open"

    def test_answering_twice_is_refused(self, active, mentor, student):
        proposal = self.propose(active, mentor)
        agreements.reject_amendment(active, proposal.number, by=student)
        with pytest.raises(Conflict) as exc:
            agreements.accept_amendment(active, proposal.number, by=student, full_name=student.name)
        assert exc.value.code == "not_open"

    def test_history_and_diff_by_deliverable_key(self, active, mentor, student):
        current = active.agreement_versions.get(status=Status.CURRENT).terms
        report = current["deliverables"][0]
        proposal = self.propose(
            active,
            mentor,
            deliverables=[
                {**report, "title": "Findings report and slides"},
                {"title": "Workshop", "description": "", "due_on": current["ends_on"]},
            ],
            compensation_amount=70000,
        )
        agreements.accept_amendment(active, proposal.number, by=student, full_name=student.name)
        third = self.propose(active, student, deliverables=[proposal.terms["deliverables"][1]])
        agreements.accept_amendment(active, third.number, by=mentor, full_name=mentor.name)

        versions = list(active.agreement_versions.order_by("number"))
        assert [v.status for v in versions] == [
            Status.SUPERSEDED,
            Status.SUPERSEDED,
            Status.CURRENT,
        ]
        first_to_second = terms.diff(versions[0].terms, versions[1].terms)
        assert [c.field for c in first_to_second.fields] == ["compensation_amount"]
        assert [d["key"] for d in first_to_second.deliverables_added] == ["d2"]
        assert [
            (d.key, [c.field for c in d.changes]) for d in first_to_second.deliverables_changed
        ] == [("d1", ["title"])]
        second_to_third = terms.diff(versions[1].terms, versions[2].terms)
        assert [d["key"] for d in second_to_third.deliverables_removed] == ["d1"]
        assert terms.diff(versions[2].terms, versions[2].terms).is_empty

    def test_no_amendment_before_the_agreement_is_signed(self, engagement, mentor):
        with pytest.raises(Conflict) as exc:
            self.propose(engagement, mentor)
        assert exc.value.code == "not_active"


class TestCancellation:
    def test_either_side_cancels_with_a_reason_and_the_other_is_told(
        self, engagement, student, mentor, owner
    ):
        with pytest.raises(ValidationError):
            agreements.cancel(engagement, by=student, reason="")

        agreements.cancel(engagement, by=student, reason="Exams moved")

        engagement.refresh_from_db()
        assert engagement.state == Engagement.State.CANCELLED
        assert engagement.agreement_versions.count() == 1  # the history stays
        event = engagement.events.get(kind="cancelled")
        assert (event.actor, event.details["reason"]) == (student, "Exams moved")
        assert recipients("engagement_cancelled") == {mentor.pk, owner.pk}
        with pytest.raises(Conflict):
            agreements.cancel(engagement, by=mentor, reason="Again")

    def test_cancelling_an_active_engagement(self, engagement, student, mentor):
        activate(engagement, student, mentor)
        agreements.cancel(engagement, by=mentor, reason="Project stopped")
        assert recipients("engagement_cancelled") == {student.pk}
        with pytest.raises(Conflict):
            sign_student(engagement, student, number=1)

    def test_career_center_staff_cannot_cancel(self, engagement, student):
        staff = _staff_of(student)
        with pytest.raises(Refused):
            agreements.cancel(engagement, by=staff, reason="No")


def _staff_of(student):
    staff_role = InstitutionStaffFactory()
    profile = student.student_profile
    profile.institution = staff_role.institution
    profile.save()
    return staff_role.user


def test_events_record_the_whole_agreement(engagement, student, mentor):
    activate(engagement, student, mentor)
    events = list(EngagementEvent.objects.filter(engagement=engagement).order_by("pk"))
    assert [(e.kind, e.actor) for e in events] == [
        ("drafted", None),
        ("signed", student),
        ("signed", mentor),
        ("activated", mentor),
    ]


def test_a_student_without_profile_gets_empty_learning_goals(offered, student):
    student.student_profile.delete()
    student.refresh_from_db()
    engagement = services.accept_offer(offered, by=student)
    assert engagement.agreement_versions.get().terms["learning_goals"] == []


def test_permission_matrix(
    engagement, student, mentor, other_mentor, owner, outsider, other_student
):
    staff = _staff_of(student)
    other_staff = InstitutionStaffFactory().user
    superuser = User.objects.create_superuser("admin@example.com", "pw", name="Admin")
    people = {
        "student": student,
        "mentor": mentor,
        "other_mentor": other_mentor,
        "owner": owner,
        "outsider": outsider,
        "other_student": other_student,
        "staff": staff,
        "other_staff": other_staff,
        "superuser": superuser,
    }

    def allowed(perm):
        return {name for name, person in people.items() if person.has_perm(perm, engagement)}

    # Career-center staff and platform admins are no party: they neither read nor act.
    assert allowed("engagements.view_engagement") == {"student", "mentor", "owner"}
    assert allowed("engagements.act_on_engagement") == {"student", "mentor", "owner"}
    assert allowed("engagements.assign_mentor") == {"owner"}


def test_a_cancelled_engagement_frees_its_place(engagement, student, mentor, owner):
    from practicum.projects import selectors as project_selectors

    project = engagement.project
    project.refresh_from_db()
    assert project.status == "closed" and project.closed_reason == "full"  # capacity 1
    assert project.places_taken == 1

    agreements.cancel(engagement, by=student, reason="My exams moved")

    project.refresh_from_db()
    assert project.places_taken == 0
    # Still closed (the organization decides whether to reopen), and never "full" beside a
    # free place.
    assert project_selectors.closed_reason(project) == "Closed to new applications."
    assert project_selectors.places_left(project) == 0
    project_status.change(project, "reopen", by=owner)
    project.refresh_from_db()
    assert project.status == "open"
