"""The rules of the talent pipeline: who adds, when, with whose consent; who edits; and a
withdrawal that leaves no list holding the student."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from practicum.completion import services as completion
from practicum.core.errors import Conflict, Refused
from practicum.engagements import services as engagements
from practicum.talent import selectors, services
from practicum.talent.models import TalentEntry
from tests.factories import ApplicationFactory, MembershipFactory, ProjectFactory
from tests.fixtures_engagements import make_offered, sign_both, start_today
from tests.talent.conftest import set_open

pytestmark = pytest.mark.django_db


def completed_with_another_organization(student):
    """A second engagement of the student, with another organization, completed; its owner."""
    owner = MembershipFactory().user
    organization = owner.memberships.get().organization
    project = ProjectFactory(organization=organization)
    application = make_offered(ApplicationFactory(project=project, student=student))
    engagement = sign_both(engagements.accept_offer(application, by=student), student, owner)
    start_today(engagement)
    completion.complete(engagement, by=owner, partial=True, reason="Short project")
    engagement.refresh_from_db()
    return engagement, owner


class TestAdd:
    @pytest.mark.parametrize("who", ["mentor", "owner"])
    def test_the_organization_side_adds(self, request, completed_engagement, organization, who):
        person = request.getfixturevalue(who)
        entry = services.add_to_list(
            completed_engagement, by=person, notes=" Sharp.\r\n", tags=" data , Data,SQL ,,"
        )
        assert entry.organization == organization
        assert entry.student == completed_engagement.student
        assert entry.engagement == completed_engagement
        assert (entry.notes, entry.tags, entry.added_by) == ("Sharp.", ["data", "SQL"], person)

    @pytest.mark.parametrize("who", ["student", "staff", "other_mentor", "outsider"])
    def test_nobody_else(self, request, completed_engagement, who):
        with pytest.raises(Refused):
            services.add_to_list(completed_engagement, by=request.getfixturevalue(who))
        assert not TalentEntry.objects.exists()

    def test_reads_the_state_afresh(self, active_engagement, student, mentor):
        set_open(student, True)
        completion.complete(active_engagement, by=mentor, partial=True, reason="Done")
        # active_engagement still says "active" in memory: the service must not trust it.
        assert services.add_to_list(active_engagement, by=mentor).student == student

    def test_only_after_completion(self, active_engagement, student, mentor):
        set_open(student, True)
        with pytest.raises(Conflict) as caught:
            services.add_to_list(active_engagement, by=mentor)
        assert caught.value.code == "not_completed"

    def test_only_with_consent(self, completed_engagement, student, mentor):
        set_open(student, False)
        with pytest.raises(Conflict) as caught:
            services.add_to_list(completed_engagement, by=mentor)
        assert caught.value.code == "no_consent"
        assert not TalentEntry.objects.exists()

    def test_once_per_organization(self, entry, completed_engagement, owner):
        with pytest.raises(Conflict) as caught:
            services.add_to_list(completed_engagement, by=owner)
        assert caught.value.code == "listed"

    @pytest.mark.parametrize(
        ("notes", "tags", "field"),
        [
            ("n" * 5001, [], "notes"),
            (None, [], "notes"),
            ("", ["t" * 41], "tags"),
            ("", [f"tag {n}" for n in range(11)], "tags"),
            ("", [1, 2], "tags"),
            ("", {"a": 1}, "tags"),
        ],
    )
    def test_bad_input(self, completed_engagement, mentor, notes, tags, field):
        with pytest.raises(ValidationError) as caught:
            services.add_to_list(completed_engagement, by=mentor, notes=notes, tags=tags)
        assert field in caught.value.message_dict
        assert not TalentEntry.objects.exists()


class TestChange:
    @pytest.mark.parametrize("who", ["mentor", "other_mentor", "owner"])
    def test_members_update(self, request, entry, who):
        services.update_entry(entry, by=request.getfixturevalue(who), notes="Hire", tags=["ux"])
        entry.refresh_from_db()
        assert (entry.notes, entry.tags) == ("Hire", ["ux"])

    def test_none_keeps_what_is_there(self, entry, owner):
        services.update_entry(entry, by=owner, tags=["new"])
        entry.refresh_from_db()
        assert (entry.notes, entry.tags) == ("Great *analyst*", ["new"])

    @pytest.mark.parametrize("who", ["student", "staff", "outsider", "other_student"])
    def test_others_do_not_know_it(self, request, entry, who):
        person = request.getfixturevalue(who)
        with pytest.raises(Http404):
            services.update_entry(entry, by=person, notes="Mine now")
        with pytest.raises(Http404):
            services.remove_entry(entry, by=person)
        assert TalentEntry.objects.filter(pk=entry.pk).exists()

    def test_members_remove(self, entry, other_mentor):
        services.remove_entry(entry, by=other_mentor)
        assert not TalentEntry.objects.exists()

    def test_bad_update(self, entry, owner):
        with pytest.raises(ValidationError):
            services.update_entry(entry, by=owner, tags=["x" * 41])
        entry.refresh_from_db()
        assert entry.tags == ["data", "SQL"]


class TestWithdraw:
    def test_leaves_every_list_and_turns_consent_off(self, entry, student, other_student):
        other_engagement, other_owner = completed_with_another_organization(student)
        services.add_to_list(other_engagement, by=other_owner)
        # Someone else's entry stays where it is.
        someone = TalentEntry.objects.create(organization=entry.organization, student=other_student)
        assert TalentEntry.objects.filter(student=student).count() == 2

        assert services.withdraw_consent(student, by=student) == 2

        assert not TalentEntry.objects.filter(student=student).exists()
        assert TalentEntry.objects.filter(pk=someone.pk).exists()
        student.student_profile.refresh_from_db()
        assert student.student_profile.open_to_future_roles is False

    def test_re_adding_is_refused_while_off(self, entry, student, mentor, completed_engagement):
        services.withdraw_consent(student, by=student)
        with pytest.raises(Conflict) as caught:
            services.add_to_list(completed_engagement, by=mentor)
        assert caught.value.code == "no_consent"
        set_open(student, True)
        assert services.add_to_list(completed_engagement, by=mentor).notes == ""

    @pytest.mark.parametrize("who", ["other_student", "mentor", "staff"])
    def test_only_the_student(self, request, entry, student, who):
        with pytest.raises(Refused):
            services.withdraw_consent(student, by=request.getfixturevalue(who))
        assert TalentEntry.objects.exists()

    def test_turning_it_off_on_the_profile_withdraws_too(self, entry, student):
        set_open(student, False)
        assert not TalentEntry.objects.exists()

    def test_other_profile_saves_keep_the_entry(self, entry, student):
        set_open(student, True)  # saved again, still open
        assert TalentEntry.objects.filter(pk=entry.pk).exists()


class TestSelectors:
    def test_list_in_one_query(self, entry, organization, django_assert_num_queries):
        with django_assert_num_queries(1):
            entries = selectors.entries_of(organization)
            assert entries[0].engagement.project.title
            assert entries[0].student.student_profile.headline is not None
        assert selectors.tags_of(entries) == ["data", "SQL"]
        assert selectors.with_tag(entries, "sql") == entries
        assert selectors.with_tag(entries, "design") == []

    def test_list_is_private(self, entry, organization, people):
        for who, person in people.items():
            if person is None:
                continue
            member = who in ("mentor", "other_mentor", "owner")
            if member:
                assert selectors.organization_for_list(person, organization.slug) == organization
            else:
                with pytest.raises(Http404):
                    selectors.organization_for_list(person, organization.slug)


@pytest.mark.django_db(transaction=True)
def test_withdrawal_racing_an_addition_leaves_no_entry(
    completed_engagement, student, mentor, concurrently
):
    results = concurrently.run(
        [
            lambda: services.add_to_list(completed_engagement, by=mentor),
            lambda: services.withdraw_consent(student, by=student),
        ]
    )
    assert not any(isinstance(r, Exception) and not isinstance(r, Conflict) for r in results), (
        results
    )
    left = concurrently.read(
        lambda: (
            TalentEntry.objects.filter(student=student).count(),
            type(student.student_profile)
            .objects.get(pk=student.student_profile.pk)
            .open_to_future_roles,
        )
    )
    assert left == (0, False)
