"""Issuing: a completed engagement yields an Open Badges 3.0 credential that validates against
the standard's JSON schema and says what was done; the final reviews' endorsements arrive in a
new version, the earlier one superseded but still valid."""

import hashlib
from decimal import Decimal

import pytest
from django.db import IntegrityError

from practicum.completion import services as completion
from practicum.core.errors import Conflict
from practicum.credentials import selectors, services
from practicum.credentials.models import Credential
from practicum.engagements.models import Engagement
from practicum.reviews.models import VerifiedSkill
from practicum.workspace.progress import services as progress
from tests.credentials.conftest import complete, endorse
from tests.reviews.conftest import open_final, submit

pytestmark = pytest.mark.django_db


def subject(credential):
    return credential.document["credentialSubject"]


def achievement(credential):
    return subject(credential)["achievement"]


class TestAtCompletion:
    def test_one_credential_for_the_student(self, completed, student, credential):
        assert credential.student == student
        assert credential.engagement == completed
        assert credential.is_current and not credential.is_revoked and not credential.hidden
        assert credential.issued_at == credential.awarded_at
        assert credential.issued_at.microsecond == 0  # validFrom and nbf are whole seconds
        assert Credential.objects.count() == 1

    def test_validates_against_the_open_badges_schema(self, credential, ob3_validator):
        errors = [e.message for e in ob3_validator.iter_errors(credential.document)]
        assert errors == []
        assert credential.document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]

    def test_the_achievement_is_the_project(self, completed, credential):
        project = completed.project
        found = achievement(credential)
        assert found["name"] == project.title
        assert found["description"] == project.summary
        assert found["creator"]["name"] == project.organization.name
        assert found["creator"]["id"].endswith(project.organization.get_absolute_url())
        assert found["alignment"] == []  # nothing endorsed yet

    def test_criteria_say_what_was_done(self, completed, credential):
        narrative = achievement(credential)["criteria"]["narrative"]
        assert f"with {completed.project.organization.name}" in narrative
        assert "Findings report (accepted" in narrative  # the one deliverable
        assert "Hours: 40 agreed." in narrative  # nothing reported in progress updates
        starts = subject(credential)["activityStartDate"]
        assert starts.startswith(
            completed.agreement_versions.get(status="current").terms["starts_on"]
        )
        assert subject(credential)["activityEndDate"] == credential.document["validFrom"]

    def test_the_student_is_named_and_their_email_hashed_with_a_salt(self, student, credential):
        email, name = subject(credential)["identifier"]
        assert email["identityType"] == "emailAddress" and email["hashed"] is True
        assert len(email["salt"]) == 32
        digest = hashlib.sha256((student.email.lower() + email["salt"]).encode()).hexdigest()
        assert email["identityHash"] == f"sha256${digest}"
        assert student.email not in str(credential.document)
        assert name == {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": student.name,
        }
        assert subject(credential)["id"].startswith("urn:uuid:")

    def test_the_issuer_is_the_platform(self, credential, settings):
        issuer = credential.document["issuer"]
        assert issuer["id"] == f"{settings.SITE_URL}/credentials/issuer/"
        assert issuer["name"] == "Practicum"
        assert issuer["image"]["id"].startswith(settings.SITE_URL)

    def test_a_revocation_bit_of_its_own(self, credential, settings):
        entry = credential.document["credentialStatus"]
        assert entry == {
            "id": f"{settings.SITE_URL}/credentials/status/1/#{credential.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(credential.status_index),
            "statusListCredential": f"{settings.SITE_URL}/credentials/status/1/",
        }

    def test_hours_reported(self, active_engagement, student, mentor):
        engagement = open_final(active_engagement)
        progress.post_update(
            engagement, by=student, hours=Decimal("12.5"), done="Cleaned the data."
        )
        complete(engagement, student, mentor)
        narrative = achievement(Credential.objects.get())["criteria"]["narrative"]
        assert "Hours of work reported: 12.5 (40 agreed)." in narrative

    def test_partial_completion_says_so(self, active_engagement, mentor, ob3_validator):
        engagement = open_final(active_engagement)
        completion.complete(engagement, by=mentor, partial=True, reason="The data never came.")
        credential = Credential.objects.get(engagement=engagement)
        narrative = achievement(credential)["criteria"]["narrative"]
        assert "completed partially: 0 of 1 deliverables accepted" in narrative
        assert "The data never came" not in narrative  # the reason stays between the parties
        assert list(ob3_validator.iter_errors(credential.document)) == []

    def test_issuing_again_returns_the_same(self, completed, credential):
        again = services.issue_for_completion(completed, at=credential.issued_at)
        assert again.pk == credential.pk
        assert Credential.objects.count() == 1

    def test_only_completed_engagements(self, active_engagement):
        with pytest.raises(Conflict):
            services.issue_for_completion(active_engagement, at=active_engagement.created_at)
        assert not Credential.objects.exists()

    def test_one_current_credential_per_engagement(self, credential):
        duplicate = {
            f.name: getattr(credential, f.name)
            for f in Credential._meta.concrete_fields
            if f.name not in ("id", "status_index")
        }
        with pytest.raises(IntegrityError):
            Credential.objects.create(**duplicate, status_index=credential.status_index + 1)

    def test_a_failure_to_issue_undoes_the_completion(self, active_engagement, mentor, settings):
        engagement = open_final(active_engagement)
        settings.CREDENTIALS_SIGNING_KEYS = '{"keys": [{"kty": "OKP"}]}'  # unusable key
        with pytest.raises(Exception):  # noqa: B017 (ImproperlyConfigured: the key is unusable)
            completion.complete(engagement, by=mentor, partial=True, reason="Stopped.")
        engagement.refresh_from_db()
        assert engagement.state == Engagement.State.ACTIVE
        assert not Credential.objects.exists()


class TestEndorsementsAfterCompletion:
    def test_a_new_version_carries_the_endorsed_skills(self, credential, endorsed, skills):
        first = Credential.objects.get(pk=credential.pk)
        newer = selectors.current_credential(endorsed)
        assert first.superseded_by == newer and first.superseded_at is not None
        assert newer.is_current and not first.is_current
        assert not first.is_revoked  # superseded is not revoked: it stays valid
        assert newer.awarded_at == first.awarded_at
        assert newer.document["awardedDate"] == first.document["validFrom"]
        assert newer.status_index != first.status_index or newer.status_list != first.status_list
        names = [(a["targetName"], a["targetCode"]) for a in achievement(newer)["alignment"]]
        assert names == [("Data cleaning", skills[1].slug), ("Survey analysis", skills[0].slug)]

    def test_the_levels_observed_are_results(self, endorsed, skills):
        newer = selectors.current_credential(endorsed)
        levels = {
            level["id"]: level["name"]
            for level in achievement(newer)["resultDescription"][0]["rubricCriterionLevel"]
        }
        observed = {
            r["alignment"][0]["targetName"]: levels[r["achievedLevel"]]
            for r in subject(newer)["result"]
            if "achievedLevel" in r
        }
        assert observed == {"Survey analysis": "Proficient", "Data cleaning": "Expert"}
        rubric = achievement(newer)["resultDescription"][0]["id"]
        assert subject(newer)["result"][0] == {
            "type": ["Result"],
            "resultDescription": rubric,
            "status": "Completed",
        }

    def test_every_version_validates(self, endorsed, ob3_validator):
        versions = list(Credential.objects.filter(engagement=endorsed))
        assert len(versions) == 2
        for version in versions:
            assert list(ob3_validator.iter_errors(version.document)) == []

    def test_the_student_hid_it_the_new_version_stays_hidden(
        self, completed, credential, student, mentor, skills
    ):
        services.set_hidden(credential, by=student, hidden=True)
        endorse(completed, student, mentor, [(skills[0], 2)])
        assert selectors.current_credential(completed).hidden is True

    def test_no_endorsement_no_new_version(self, completed, credential, student, mentor):
        endorse(completed, student, mentor, [])
        assert list(Credential.objects.filter(engagement=completed)) == [credential]

    def test_a_revoked_credential_is_not_issued_again(
        self, completed, credential, student, mentor, skills, platform_admin
    ):
        services.revoke(credential, by=platform_admin, reason="Issued by mistake.")
        endorse(completed, student, mentor, [(skills[0], 2)])
        assert list(Credential.objects.filter(engagement=completed)) == [credential]

    def test_the_window_closing_reveals_and_issues_too(
        self, completed, credential, student, mentor, skills
    ):
        from practicum.reviews import services as reviews
        from practicum.reviews.selectors import window_of

        submit(completed, "final", mentor, endorsements=[{"skill": skills[0].pk, "level": 1}])
        assert Credential.objects.filter(engagement=completed).count() == 1
        closed = window_of(completed, "final").due_at
        assert reviews.reveal_closed_rounds(now=closed) == 1
        newer = selectors.current_credential(completed)
        assert newer.pk != credential.pk
        assert newer.issued_at == closed.replace(microsecond=0)
        assert [a["targetName"] for a in achievement(newer)["alignment"]] == ["Survey analysis"]


def test_reviews_revealed_before_completion_are_in_the_first_credential(
    active_engagement, student, mentor, skills
):
    engagement = open_final(active_engagement)
    endorse(engagement, student, mentor, [(skills[0], 4)])
    assert VerifiedSkill.objects.filter(engagement=engagement).count() == 1
    assert not Credential.objects.exists()  # not completed: nothing to issue yet

    complete(engagement, student, mentor)

    [credential] = Credential.objects.filter(engagement=engagement)
    assert [a["targetName"] for a in achievement(credential)["alignment"]] == ["Survey analysis"]
