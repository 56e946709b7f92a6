"""The rules of submitting and reviewing, checked on the services directly: who, when, what,
the history, the events and who is told."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile

from practicum.core import uploads
from practicum.core.errors import Conflict, Refused, ServiceError
from practicum.engagements import agreements
from practicum.engagements.models import Engagement, EngagementEvent
from practicum.notifications.models import Notification
from practicum.workspace.deliverables import services
from practicum.workspace.deliverables.models import Submission
from tests.uploads import SAMPLES, upload
from tests.workspace.deliverables.conftest import set_deliverables

pytestmark = pytest.mark.django_db

Status = Submission.Status
Kind = EngagementEvent.Kind
LINK = "https://docs.example.com/findings"


def submit(engagement, student, key="d1", **kwargs):
    kwargs.setdefault("link", LINK)
    return services.submit(engagement, key, by=student, **kwargs)


def events(engagement, kind):
    return [e.details for e in EngagementEvent.objects.filter(engagement=engagement, kind=kind)]


def notified(kind):
    return sorted(
        (n.recipient_id, n.key.rsplit(":", 1)[-1]) for n in Notification.objects.filter(kind=kind)
    )


class TestSubmit:
    def test_a_link_only_submission(self, engagement, student):
        submission = submit(engagement, student, note="First draft, comments welcome.")

        assert submission.number == 1
        assert submission.status == Status.WAITING
        assert submission.link == LINK
        assert not submission.file
        assert submission.note == "First draft, comments welcome."
        assert submission.due_on == engagement.project.ends_on
        assert submission.submitted_by == student

    def test_a_file_is_stored_under_a_random_name_with_its_original_name_kept(
        self, engagement, student, media
    ):
        submission = submit(engagement, student, link="", file=upload("report.docx"))

        assert submission.file_name == "report.docx"
        assert submission.file_type == "docx"
        assert submission.file_size == len(SAMPLES["report.docx"])
        assert submission.file.name.startswith("deliverables/")
        assert "report" not in submission.file.name
        assert (media / submission.file.name).read_bytes() == SAMPLES["report.docx"]

    def test_a_link_and_a_file_together(self, engagement, student):
        submission = submit(engagement, student, file=upload("answers.csv"))
        assert submission.link == LINK and submission.file_type == "csv"

    def test_neither_link_nor_file_is_refused(self, engagement, student):
        with pytest.raises(ValidationError) as caught:
            submit(engagement, student, link="", note="Here it is")
        assert caught.value.error_dict["__all__"][0].code == "nothing_submitted"
        assert not Submission.objects.exists()

    @pytest.mark.parametrize("link", ["javascript:alert(1)", "not a url", "ftp://x.org/a"])
    def test_only_web_links(self, engagement, student, link):
        with pytest.raises(ValidationError) as caught:
            submit(engagement, student, link=link)
        assert "link" in caught.value.error_dict

    def test_the_note_has_a_limit(self, engagement, student):
        with pytest.raises(ValidationError) as caught:
            submit(engagement, student, note="x" * (services.NOTE_MAX + 1))
        assert "note" in caught.value.error_dict

    def test_an_executable_renamed_pdf_is_refused_and_nothing_is_stored(
        self, engagement, student, media
    ):
        with pytest.raises(uploads.FileRefused) as caught:
            submit(engagement, student, file=upload("report.pdf", b"MZ\x90\x00" + bytes(60)))
        assert caught.value.code == "file_type_not_allowed"
        assert not Submission.objects.exists()
        assert not (media / "deliverables").exists()

    def test_a_png_named_pdf_is_refused(self, engagement, student):
        with pytest.raises(uploads.FileRefused) as caught:
            submit(engagement, student, file=upload("report.pdf", SAMPLES["chart.png"]))
        assert caught.value.code == "file_type_mismatch"

    def test_more_than_20_mb_is_refused_before_the_file_is_read(self, engagement, student):
        class Unreadable(io.BytesIO):
            def read(self, *args):
                raise AssertionError("the content was read")

        big = InMemoryUploadedFile(
            Unreadable(), "file", "big.pdf", "application/pdf", uploads.MAX_FILE_SIZE + 1, None
        )
        with pytest.raises(uploads.FileRefused) as caught:
            submit(engagement, student, file=big)
        assert caught.value.code == "file_too_large"

    def test_the_deliverable_must_be_in_the_terms_in_force(self, engagement, student):
        with pytest.raises(ServiceError) as caught:
            submit(engagement, student, key="d9")
        assert (caught.value.status, caught.value.code) == (404, "no_such_deliverable")

    @pytest.mark.parametrize("role", ["mentor", "owner"])
    def test_only_the_student_submits(self, engagement, people, role):
        with pytest.raises(Refused):
            submit(engagement, people[role])

    def test_only_while_active(self, pending_engagement, student):
        with pytest.raises(Conflict) as caught:
            submit(pending_engagement, student)
        assert caught.value.code == "engagement_not_active"

    def test_not_after_cancellation(self, engagement, student):
        agreements.cancel(engagement, by=student, reason="Moving abroad")
        with pytest.raises(Conflict):
            submit(engagement, student)

    def test_the_event_and_the_organization_side_told(self, engagement, student, mentor, owner):
        submission = submit(engagement, student)

        assert events(engagement, Kind.SUBMITTED) == [
            {
                "side": "student",
                "deliverable": "d1",
                "submission": submission.pk,
                "number": 1,
                "due_on": engagement.project.ends_on.isoformat(),
            }
        ]
        assert notified("submission_received") == sorted(
            [(mentor.pk, str(submission.pk)), (owner.pk, str(submission.pk))]
        )
        notice = Notification.objects.filter(kind="submission_received").first()
        assert notice.title == "Findings report"
        assert notice.url.endswith(f"/deliverables/#submission-{submission.pk}")

    def test_a_deliverable_without_due_date(self, engagement, student):
        set_deliverables(engagement, {"key": "d1", "due_on": None})
        submit(engagement, student)
        assert events(engagement, Kind.SUBMITTED)[0]["due_on"] is None


class TestResubmission:
    def test_a_submission_waiting_for_review_is_superseded(self, engagement, student):
        first = submit(engagement, student, note="v1")
        second = submit(engagement, student, note="v2")

        first.refresh_from_db()
        assert first.status == Status.SUPERSEDED
        assert (second.number, second.status) == (2, Status.WAITING)

    def test_after_changes_requested_the_history_is_kept(self, engagement, student, mentor):
        first = submit(engagement, student, note="v1")
        services.request_changes(first, by=mentor, feedback="Add the raw numbers.")
        second = submit(engagement, student, note="v2", file=upload("answers.csv"))
        services.request_changes(second, by=mentor, feedback="Label the columns.")
        third = submit(engagement, student, note="v3")

        history = list(Submission.objects.order_by("number").values_list("number", "status"))
        assert history == [
            (1, Status.CHANGES_REQUESTED),
            (2, Status.CHANGES_REQUESTED),
            (3, Status.WAITING),
        ]
        assert [e["number"] for e in events(engagement, Kind.SUBMITTED)] == [1, 2, 3]
        assert third.number == 3

    def test_numbers_are_per_deliverable(self, engagement, student):
        set_deliverables(
            engagement, {"key": "d1", "due_on": None}, {"key": "d2", "due_on": "2030-01-01"}
        )
        submit(engagement, student, key="d1")
        submit(engagement, student, key="d1")
        assert submit(engagement, student, key="d2").number == 1

    def test_an_accepted_deliverable_cannot_be_submitted_again(self, engagement, student, mentor):
        services.accept(submit(engagement, student), by=mentor)
        with pytest.raises(Conflict) as caught:
            submit(engagement, student)
        assert caught.value.code == "already_accepted"
        assert Submission.objects.count() == 1

    def test_a_superseded_submission_cannot_be_reviewed(self, engagement, student, mentor):
        first = submit(engagement, student)
        submit(engagement, student)
        with pytest.raises(Conflict) as caught:
            services.accept(first, by=mentor)
        assert caught.value.code == "superseded"


class TestReview:
    @pytest.mark.parametrize("role", ["mentor", "owner"])
    def test_the_organization_accepts(self, engagement, student, people, role):
        submission = submit(engagement, student)
        accepted = services.accept(submission, by=people[role], feedback="Great work.")

        assert accepted.status == Status.ACCEPTED
        assert accepted.reviewed_by == people[role]
        assert accepted.reviewed_at is not None
        assert accepted.feedback == "Great work."

    def test_accepting_records_the_event_and_tells_the_student(self, engagement, student, mentor):
        submission = submit(engagement, student)
        services.accept(submission, by=mentor)

        submitted_at = submission.submitted_at.astimezone(datetime.UTC).isoformat()
        assert events(engagement, Kind.SUBMISSION_ACCEPTED) == [
            {
                "side": "organization",
                "deliverable": "d1",
                "submission": submission.pk,
                "submitted_at": submitted_at,
            }
        ]
        assert submitted_at.endswith("+00:00")
        assert notified("submission_accepted") == [(student.pk, str(submission.pk))]
        assert notified("changes_requested") == []

    def test_requesting_changes_needs_feedback(self, engagement, student, mentor):
        submission = submit(engagement, student)
        for feedback in ("", "   "):
            with pytest.raises(ValidationError) as caught:
                services.request_changes(submission, by=mentor, feedback=feedback)
            assert "feedback" in caught.value.error_dict
        submission.refresh_from_db()
        assert submission.status == Status.WAITING

    def test_requesting_changes_records_the_event_and_tells_the_student(
        self, engagement, student, owner
    ):
        submission = submit(engagement, student)
        services.request_changes(submission, by=owner, feedback="Add a summary.")

        assert events(engagement, Kind.CHANGES_REQUESTED) == [
            {
                "side": "organization",
                "deliverable": "d1",
                "submission": submission.pk,
                "submitted_at": submission.submitted_at.astimezone(datetime.UTC).isoformat(),
            }
        ]
        assert notified("changes_requested") == [(student.pk, str(submission.pk))]

    @pytest.mark.parametrize("second", ["accept", "request_changes"])
    def test_reviewing_twice_is_a_conflict(self, engagement, student, mentor, owner, second):
        submission = submit(engagement, student)
        services.accept(submission, by=mentor)
        with pytest.raises(Conflict) as caught:
            getattr(services, second)(submission, by=owner, feedback="Again")
        assert caught.value.code == "already_reviewed"
        assert len(events(engagement, Kind.SUBMISSION_ACCEPTED)) == 1
        assert not events(engagement, Kind.CHANGES_REQUESTED)

    @pytest.mark.parametrize("role", ["student"])
    def test_only_the_organization_reviews(self, engagement, student, people, role):
        submission = submit(engagement, student)
        with pytest.raises(Refused):
            services.accept(submission, by=people[role])
        with pytest.raises(Refused):
            services.request_changes(submission, by=people[role], feedback="No")

    def test_not_once_the_engagement_is_closed(self, engagement, student, mentor):
        submission = submit(engagement, student)
        Engagement.objects.filter(pk=engagement.pk).update(state=Engagement.State.COMPLETED)
        with pytest.raises(Conflict) as caught:
            services.accept(submission, by=mentor)
        assert caught.value.code == "engagement_not_active"

    def test_not_once_the_terms_dropped_the_deliverable(self, engagement, student, mentor):
        submission = submit(engagement, student)
        set_deliverables(engagement, {"key": "d2", "due_on": None})
        with pytest.raises(Conflict) as caught:
            services.accept(submission, by=mentor)
        assert caught.value.code == "deliverable_removed"

    def test_feedback_has_a_limit(self, engagement, student, mentor):
        submission = submit(engagement, student)
        with pytest.raises(ValidationError):
            services.accept(submission, by=mentor, feedback="x" * (services.FEEDBACK_MAX + 1))


class TestConcurrency:
    def test_two_reviews_at_once_one_wins(self, engagement, student, mentor, owner, concurrently):
        submission = submit(engagement, student)

        results = concurrently.run(
            [
                lambda: services.accept(submission, by=mentor),
                lambda: services.request_changes(submission, by=owner, feedback="Redo it."),
            ]
        )

        assert sum(isinstance(r, Submission) for r in results) == 1
        assert sum(isinstance(r, Conflict) for r in results) == 1
        reviews = concurrently.read(
            lambda: EngagementEvent.objects.filter(
                kind__in=[Kind.SUBMISSION_ACCEPTED, Kind.CHANGES_REQUESTED]
            ).count()
        )
        assert reviews == 1

    def test_two_submissions_at_once_are_numbered_in_turn(self, engagement, student, concurrently):
        results = concurrently.run([lambda: submit(engagement, student) for _ in range(2)])

        assert all(isinstance(r, Submission) for r in results), results
        rows = concurrently.read(lambda: sorted(Submission.objects.values_list("number", "status")))
        assert rows == [(1, Status.SUPERSEDED), (2, Status.WAITING)]
