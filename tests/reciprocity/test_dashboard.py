"""/dashboard/: the student's and the organization member's, with fixed query budgets."""

import pytest
from django.test import Client
from django.urls import reverse

from practicum.accounts.models import Membership
from practicum.reviews.models import Endorsement, VerifiedSkill
from tests.factories import MembershipFactory, ProjectFactory, SkillFactory, UserFactory
from tests.reciprocity.conftest import held_checkin, make_engagement, rating

URL = reverse("reciprocity:dashboard")


def verified_skill(engagement, name="Survey analysis"):
    review = rating(engagement, side="organization", scores={"quality": 5})
    skill = SkillFactory(name=name)
    endorsement = Endorsement.objects.create(review=review, skill=skill, level=3)
    return VerifiedSkill.objects.create(
        student=engagement.student,
        skill=skill,
        level=3,
        organization=engagement.project.organization,
        engagement=engagement,
        endorsement=endorsement,
    )


class TestStudent:
    def test_engagements_by_state_skills_ratings_and_index(self, client_for, student):
        done = make_engagement(student=student, state="completed")
        active = make_engagement(student=student, state="active")
        cancelled = make_engagement(student=student, state="cancelled")
        make_engagement(state="active")  # someone else's
        verified_skill(done)
        response = client_for(student).get(URL)
        assert response.status_code == 200
        counts = {g.state: g.count for g in response.context["groups"]}
        assert counts == {"agreement_pending": 0, "active": 1, "completed": 1, "cancelled": 1}
        page = response.content.decode()
        for engagement in (done, active, cancelled):
            assert reverse("engagements:detail", args=[engagement.pk]) in page
            assert engagement.project.title in page
        assert "Survey analysis" in page and "Proficient" in page
        assert "Average 5.0 of 5 from 1 review" in page
        # Three engagements of history: completed, active past its middle, cancelled once active.
        assert "Your reciprocity index" in page and "out of 100" in page
        assert reverse("reciprocity:student", args=[student.student_profile.pk]) in page

    def test_an_empty_dashboard(self, client_for, student):
        page = client_for(student).get(URL).content.decode()
        assert "No engagements yet" in page
        assert "No ratings yet" in page

    @pytest.mark.parametrize("count", [1, 6])
    def test_fixed_query_budget(self, client_for, student, django_assert_max_num_queries, count):
        for n in range(count):
            engagement = make_engagement(student=student)
            held_checkin(engagement, 1, days_ago=40)
            verified_skill(engagement, name=f"Skill {n}")
        client = client_for(student)
        # session, user, engagements, verified skills, histories (3), ratings, interviews (2),
        # profile, credentials; + 4 on a first read: the rows are recomputed (3 to load, 1 to
        # store)
        with django_assert_max_num_queries(16):
            response = client.get(URL)
        assert response.status_code == 200
        assert len(response.context["verified_skills"]) == count


class TestOrganizationMember:
    def test_engagements_ratings_and_index_of_the_organization(
        self, client_for, owner, organization, history_of_three
    ):
        rating(history_of_three[1], side="student", scores={"a": 4})
        rating(history_of_three[2], side="student", scores={"a": 5})
        make_engagement(state="active")  # another organization's
        response = client_for(owner).get(URL)
        assert response.status_code == 200
        assert response.context["organization"] == organization
        counts = {g.state: g.count for g in response.context["groups"]}
        assert counts["completed"] == 3 and sum(counts.values()) == 3
        page = response.content.decode()
        for engagement in history_of_three:
            assert reverse("engagements:detail", args=[engagement.pk]) in page
        assert "Average 4.5 of 5 from 2 reviews" in page
        assert "held 3 of 6 check-ins as scheduled" in page
        assert "Not enough history yet" not in page
        assert reverse("reciprocity:organization", args=[organization.slug]) in page

    def test_a_mentor_sees_the_engagements_they_mentor(
        self, client_for, organization, mentor, other_mentor, history_of_three
    ):
        mentored = history_of_three[0]  # on `project`, mentored by `mentor`
        others = history_of_three[1:]  # other projects, other mentors
        page = client_for(mentor).get(URL).content.decode()
        assert reverse("engagements:detail", args=[mentored.pk]) in page
        assert all(reverse("engagements:detail", args=[e.pk]) not in page for e in others)
        page = client_for(other_mentor).get(URL).content.decode()
        assert "No engagements yet" in page
        # The organization's index is the same for every member.
        assert "held 3 of 6 check-ins as scheduled" in page

    def test_choosing_among_several_organizations(self, client_for, owner, organization):
        second = MembershipFactory(user=owner, role=Membership.Role.MENTOR).organization
        engagement = make_engagement(project=ProjectFactory(organization=second, mentor=owner))
        client = client_for(owner)
        page = client.get(URL).content.decode()
        assert f"?organization={second.slug}" in page
        response = client.get(URL, {"organization": second.slug})
        assert response.context["organization"] == second
        assert reverse("engagements:detail", args=[engagement.pk]) in response.content.decode()

    def test_an_organization_the_user_is_not_a_member_of(self, client_for, owner, outsider):
        other = outsider.memberships.get().organization
        assert client_for(owner).get(URL, {"organization": other.slug}).status_code == 404
        assert client_for(owner).get(URL, {"organization": "<script>"}).status_code == 404

    @pytest.mark.parametrize("count", [1, 6])
    def test_fixed_query_budget(
        self, client_for, owner, organization, django_assert_max_num_queries, count
    ):
        for _ in range(count):
            engagement = make_engagement(organization=organization)
            held_checkin(engagement, 1, days_ago=40)
            rating(engagement, side="student", scores={"a": 4})
        client = client_for(owner)
        # session, user, memberships, navigation (2), the index (2 + 4 on a first read, when the
        # rows are recomputed: 3 to load, 1 to store), ratings, applications, interviews (2),
        # engagements by state and a page of them
        with django_assert_max_num_queries(17):
            response = client.get(URL)
        assert response.status_code == 200
        assert sum(g.count for g in response.context["groups"]) == count


class TestOthers:
    @pytest.mark.parametrize("count", [1, 4])
    def test_career_staff_see_only_verified_consenting_students(
        self, client_for, staff, student, django_assert_max_num_queries, count
    ):
        from practicum.careers import services as careers
        from tests.factories import StudentFactory

        institution = staff.staff_roles.get().institution
        sharing = [student, *(StudentFactory() for _ in range(count - 1))]
        for person in sharing:
            make_engagement(student=person, state="active")
            careers.approve_enrollment(
                careers.request_enrollment(person, institution=institution), by=staff
            )
            careers.give_consent(person, institution=institution)
        named_only = StudentFactory()  # names the institution: shares nothing
        named_only.student_profile.institution = institution
        named_only.student_profile.save()
        make_engagement(student=named_only, state="active")
        unverified = StudentFactory()  # consents, but nobody verified them
        careers.request_enrollment(unverified, institution=institution)
        careers.give_consent(unverified, institution=institution)

        client = client_for(staff)
        # session, user, navigation (2), staff roles, institutions, count, students, pending
        with django_assert_max_num_queries(9):
            response = client.get(URL)

        assert response.status_code == 200
        shown = [consent.student for consent in response.context["students"]]
        assert sorted(p.pk for p in shown) == sorted(p.pk for p in sharing)
        page = response.content.decode()
        assert reverse("careers:record", args=[student.pk]) in page
        assert "/engagements/" not in page  # no way into a workspace
        assert institution.name in page
        assert "1 request to confirm" in page  # the unverified student's, waiting for staff

    def test_platform_admins_get_a_note(self, client_for, db):
        admin = UserFactory(account_type="admin", is_staff=True, is_superuser=True)
        response = client_for(admin).get(URL)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Dashboards are for students and organization members" in page
        assert reverse("admin:index") in page

    def test_anonymous_users_log_in_first(self, db):
        response = Client().get(URL)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


class TestNavigation:
    @pytest.mark.parametrize(
        "role, shown",
        [("student", True), ("owner", True), ("mentor", True), ("staff", True)],
    )
    def test_the_dashboard_link(self, role, shown, people, client_for):
        page = client_for(people[role]).get(reverse("reciprocity:about")).content.decode()
        assert (f'href="{URL}"' in page) is shown

    def test_not_for_anonymous_users(self, client):
        assert f'href="{URL}"' not in client.get(reverse("reciprocity:about")).content.decode()


class TestPaging:
    """An organization with many engagements: counts for all, 25 listed a page, in lifecycle
    order, and the same queries for 3 engagements as for 30."""

    @pytest.mark.parametrize("count", [3, 30])
    def test_the_same_queries_whatever_the_number(
        self, client_for, owner, organization, django_assert_max_num_queries, count
    ):
        for n in range(count):
            make_engagement(organization=organization, state="active" if n % 3 else "completed")
        client = client_for(owner)
        client.get(URL)  # the stored index becomes current
        with django_assert_max_num_queries(13):  # 11 + interviews (2)
            response = client.get(URL)
        counts = {g.state: g.count for g in response.context["groups"]}
        assert counts["active"] + counts["completed"] == count
        shown = sum(len(g.engagements) for g in response.context["groups"])
        assert shown == min(count, 25)

    def test_pages_keep_the_organization_and_go_through_every_engagement(
        self, client_for, owner, organization
    ):
        made = [
            make_engagement(organization=organization, state="active" if n % 3 else "completed")
            for n in range(30)
        ]
        client = client_for(owner)
        first = client.get(URL, {"organization": organization.slug})
        page = first.content.decode()
        assert f"?organization={organization.slug}&amp;page=2" in page
        second = client.get(URL, {"organization": organization.slug, "page": 2})
        listed = [
            e.pk
            for response in (first, second)
            for g in response.context["groups"]
            for e in g.engagements
        ]
        assert sorted(listed) == sorted(e.pk for e in made)
        # Active ones (lifecycle order) come before completed ones.
        states = [e.state for response in (first, second) for g in response.context["groups"]
                  for e in g.engagements]  # fmt: skip
        assert states == sorted(states, key=["active", "completed"].index)
