"""The pages: My applications, an application, the applicants, the buttons, the engagement."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from practicum.accounts.models import Membership
from practicum.engagements import services
from practicum.engagements.models import Application, Engagement
from practicum.projects.models import Project
from tests.factories import (
    ApplicationFactory,
    InstitutionFactory,
    MembershipFactory,
    ProjectFactory,
    ProjectSkillFactory,
    SkillFactory,
    StudentSkillFactory,
)

from .conftest import days, make_offered

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    return response.content.decode()


def test_url_names_and_paths():
    assert reverse("engagements:apply", args=[7]) == "/projects/7/apply/"
    assert reverse("engagements:applicants", args=[7]) == "/projects/7/applicants/"
    assert reverse("engagements:my_applications") == "/applications/"
    assert reverse("engagements:application", args=[7]) == "/applications/7/"
    for action in ("shortlist", "offer", "reject", "withdraw", "accept", "decline"):
        assert reverse(f"engagements:{action}", args=[7]) == f"/applications/7/{action}/"
    assert reverse("engagements:detail", args=[7]) == "/engagements/7/"


class TestMyApplications:
    url = "/applications/"

    def test_lists_every_application_with_its_state(self, client_for, student, project):
        submitted = ApplicationFactory(student=student, project=project)
        rejected = ApplicationFactory(
            student=student, status="rejected", rejection_message="We chose *another* profile."
        )
        ApplicationFactory(project=project)  # someone else's

        html = html_of(client_for(student).get(self.url))

        assert submitted.project.title in html
        assert submitted.project.organization.name in html
        assert rejected.project.title in html
        assert "Not selected" in html
        assert "We chose <em>another</em> profile." in html
        assert html.count('class="card application-card"') == 2
        assert html.count(">Withdraw</button>") == 1

    def test_a_valid_offer_can_be_accepted_or_declined(self, client_for, student, application):
        make_offered(application)
        application.offer_message = "We would love to work with you."
        application.save()

        html = html_of(client_for(student).get(self.url))

        assert "Offer made" in html
        assert "We would love to work with you." in html
        assert "Offer valid until" in html
        for label in (">Accept</button>", ">Decline</button>", ">Withdraw</button>"):
            assert label in html
        assert f'action="/applications/{application.pk}/accept/"' in html

    def test_an_expired_offer_says_so_and_cannot_be_accepted(
        self, client_for, student, application
    ):
        make_offered(application, expires_in=-datetime.timedelta(hours=1))

        html = html_of(client_for(student).get(self.url))

        assert "Expired" in html
        assert "The offer expired" in html
        assert ">Accept</button>" not in html
        assert ">Decline</button>" in html

    def test_an_accepted_one_links_to_the_engagement(self, client_for, student, offered):
        engagement = services.accept_offer(offered, by=student)

        html = html_of(client_for(student).get(self.url))

        assert f'href="/engagements/{engagement.pk}/"' in html
        assert ">Withdraw</button>" not in html

    def test_nothing_yet(self, client_for, student):
        assert "No applications yet." in html_of(client_for(student).get(self.url))

    def test_anonymous_visitors_log_in_first(self, client):
        response = client.get(self.url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    @pytest.mark.parametrize("count", [3, 30])
    def test_fixed_query_budget(self, client_for, student, django_assert_max_num_queries, count):
        for index in range(count):
            application = ApplicationFactory(student=student)
            if index % 3 == 1:
                make_offered(application)
            elif index % 3 == 2:
                application.status = Application.Status.ACCEPTED
                application.save()
                Engagement.objects.create(
                    application=application, project=application.project, student=student
                )
        client = client_for(student)

        # Session, user, navigation, the count for the pages, one page of applications with
        # their projects and engagements.
        with django_assert_max_num_queries(5):
            response = client.get(self.url)

        assert html_of(response).count('class="card application-card"') == min(count, 20)

    def test_twenty_a_page_newest_first(self, client_for, student):
        applications = ApplicationFactory.create_batch(21, student=student)
        client = client_for(student)
        first = html_of(client.get(self.url))
        assert first.count('class="card application-card"') == 20
        assert 'aria-label="Pages of applications"' in first and "Page 1 of 2" in first
        second = html_of(client.get(self.url, {"page": 2}))
        assert second.count('class="card application-card"') == 1
        oldest = min(applications, key=lambda a: (a.created_at, a.pk))
        assert oldest.project.title in second


class TestApplicationPage:
    def url(self, application):
        return reverse("engagements:application", args=[application.pk])

    def test_the_student_sees_their_application(self, client_for, student, application):
        application.project.screening_questions = ["Which tools do you use?"]
        application.project.save()
        application.answers = ["pandas and R"]
        application.save()

        html = html_of(client_for(student).get(self.url(application)))

        assert "Your application to" in html
        assert application.pitch in html
        assert "Which tools do you use?" in html
        assert "pandas and R" in html
        assert ">Withdraw</button>" in html

    @pytest.mark.parametrize("who", ["owner", "mentor", "other_mentor"])
    def test_the_organization_sees_it_with_the_match(self, request, client_for, application, who):
        ProjectSkillFactory(project=application.project, skill=SkillFactory(name="SQL"))

        html = html_of(client_for(request.getfixturevalue(who)).get(self.url(application)))

        assert application.student.name in html
        assert "0 of 1 required skill at the level asked" in html
        assert "Shortlist" in html
        assert "Make an offer" in html

    @pytest.mark.parametrize("who", ["other_student", "outsider"])
    def test_others_get_a_404(self, request, client_for, application, who):
        response = client_for(request.getfixturevalue(who)).get(self.url(application))
        assert response.status_code == 404

    def test_anonymous_visitors_log_in_first(self, client, application):
        assert client.get(self.url(application)).status_code == 302


class TestApplicantsPage:
    def url(self, project, query=""):
        return reverse("engagements:applicants", args=[project.pk]) + query

    def test_shows_the_applicants_with_their_profile_and_match(
        self, client_for, owner, project, application, student
    ):
        profile = student.student_profile
        profile.headline = "Statistics student who loves messy data"
        profile.institution = InstitutionFactory(name="University of Utrecht")
        profile.weekly_hours = 12
        profile.save()
        sql = ProjectSkillFactory(project=project, skill=SkillFactory(name="SQL"), min_level=3)
        ProjectSkillFactory(project=project, skill=SkillFactory(name="Python"), min_level=2)
        StudentSkillFactory(profile=profile, skill=sql.skill, level=2)

        html = html_of(client_for(owner).get(self.url(project)))

        assert student.name in html
        assert "Statistics student who loves messy data" in html
        assert "University of Utrecht" in html
        assert "<dt>Hours per week</dt><dd>12</dd>" in html
        assert f'href="/students/{profile.pk}/"' in html
        assert "0 of 2 required skills at the level asked" in html
        assert "holds Working, below the level asked" in html
        assert "— missing" in html

    def test_overdue_applications_are_flagged(self, client_for, owner, project, application):
        Project.objects.filter(pk=project.pk).update(application_deadline=days(-15))

        html = html_of(client_for(owner).get(self.url(project)))

        assert ">Overdue</span>" in html

    def test_filters(self, client_for, mentor, project, application):
        ApplicationFactory(project=project, status="shortlisted")
        client = client_for(mentor)

        html = html_of(client.get(self.url(project, "?status=shortlisted")))
        assert html.count('class="card applicant-card"') == 1

        html = html_of(client.get(self.url(project, "?status=offered")))
        assert "No applicant matches these filters." in html

        # An unknown value is left out rather than failing the page.
        html = html_of(client.get(self.url(project, "?status=nonsense&sort=match")))
        assert html.count('class="card applicant-card"') == 2

    @pytest.mark.parametrize("who", ["student", "outsider"])
    def test_others_get_a_404(self, request, client_for, project, application, who):
        response = client_for(request.getfixturevalue(who)).get(self.url(project))
        assert response.status_code == 404

    def test_anonymous_visitors_log_in_first(self, client, project):
        assert client.get(self.url(project)).status_code == 302

    @pytest.mark.parametrize("count", [3, 30])
    def test_fixed_query_budget(
        self, client_for, owner, project, django_assert_max_num_queries, count
    ):
        skills = [ProjectSkillFactory(project=project).skill for _ in range(3)]
        institution = InstitutionFactory()
        for index in range(count):
            application = ApplicationFactory(project=project)
            profile = application.student.student_profile
            profile.institution = institution
            profile.save()
            for skill in skills[: index % 4]:
                StudentSkillFactory(profile=profile, skill=skill, level=1 + index % 4)
            if index % 5 == 4:
                make_offered(application)
        client = client_for(owner)

        # Session, user, navigation (memberships, institutions), project, membership check,
        # the project's skills, how many applicants, one page of them with profiles, their
        # skills.
        with django_assert_max_num_queries(10):
            response = client.get(self.url(project, "?sort=match"))

        assert html_of(response).count('class="card applicant-card"') == min(count, 25)


class TestButtons:
    def post(self, client, application, action, data=None, **extra):
        url = reverse(f"engagements:{action}", args=[application.pk])
        return client.post(url, data or {}, **extra)

    def test_shortlist_returns_to_where_it_was_pressed(self, client_for, owner, application):
        back = reverse("engagements:applicants", args=[application.project_id]) + "?sort=match"

        response = self.post(client_for(owner), application, "shortlist", {"next": back})

        assert response.status_code == 302
        assert response["Location"] == back
        application.refresh_from_db()
        assert application.status == Application.Status.SHORTLISTED

    def test_a_foreign_next_is_ignored(self, client_for, owner, application):
        response = self.post(
            client_for(owner), application, "shortlist", {"next": "https://evil.example/"}
        )
        assert response["Location"] == f"/projects/{application.project_id}/applicants/"

    def test_offer_with_message_and_days(self, client_for, mentor, application):
        response = self.post(
            client_for(mentor),
            application,
            "offer",
            {"message": "Welcome!", "expires_in_days": "10"},
        )

        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == Application.Status.OFFERED
        assert application.offer_message == "Welcome!"
        assert (application.offer_expires_at - application.offered_at).days == 10

    def test_a_bad_offer_keeps_what_was_typed(self, client_for, owner, application):
        response = self.post(
            client_for(owner),
            application,
            "offer",
            {"message": "A long, careful welcome", "expires_in_days": "31"},
        )

        html = html_of(response)
        assert response.status_code == 422
        assert "Ensure this value is less than or equal to 30." in html
        assert "A long, careful welcome" in html
        assert Application.objects.get(pk=application.pk).status == Application.Status.SUBMITTED

    def test_reject_with_a_message(self, client_for, owner, application):
        self.post(client_for(owner), application, "reject", {"message": "Not this time."})

        application.refresh_from_db()
        assert application.status == Application.Status.REJECTED
        assert application.rejection_message == "Not this time."

    def test_accepting_leads_to_the_engagement(self, client_for, student, offered):
        response = self.post(client_for(student), offered, "accept", follow=True)

        engagement = Engagement.objects.get()
        assert response.redirect_chain[-1][0] == f"/engagements/{engagement.pk}/"
        html = html_of(response)
        assert "Waiting for the agreement" in html
        assert "What happens next" in html

    def test_a_refusal_is_shown_as_a_message(self, client_for, student, application):
        make_offered(application, expires_in=-datetime.timedelta(minutes=1))

        response = self.post(client_for(student), application, "accept", follow=True)

        assert "can no longer be accepted" in html_of(response)
        assert response.redirect_chain[-1][0] == "/applications/"
        assert not Engagement.objects.exists()

    def test_decline_and_withdraw(self, client_for, student, offered):
        self.post(client_for(student), offered, "decline")
        assert Application.objects.get(pk=offered.pk).status == Application.Status.DECLINED

    def test_the_other_side_gets_a_403(self, client_for, owner, student, application):
        assert self.post(client_for(owner), application, "withdraw").status_code == 403
        assert self.post(client_for(student), application, "shortlist").status_code == 403
        assert Application.objects.get(pk=application.pk).status == Application.Status.SUBMITTED

    def test_outsiders_get_a_404(self, client_for, outsider, other_student, application):
        assert self.post(client_for(outsider), application, "shortlist").status_code == 404
        assert self.post(client_for(other_student), application, "withdraw").status_code == 404

    def test_a_member_of_another_organization_cannot_select(self, client_for, application):
        other_org_project = ProjectFactory()
        member_b = MembershipFactory(organization=other_org_project.organization).user
        assert self.post(client_for(member_b), application, "offer").status_code == 404

    def test_only_post(self, client_for, owner, application):
        url = reverse("engagements:shortlist", args=[application.pk])
        assert client_for(owner).get(url).status_code == 405

    def test_anonymous_visitors_log_in_first(self, application):
        response = self.post(Client(), application, "withdraw")
        assert response.status_code == 302
        assert Application.objects.get(pk=application.pk).status == Application.Status.SUBMITTED


class TestEngagementPage:
    @pytest.fixture
    def engagement(self, offered, student):
        return services.accept_offer(offered, by=student)

    def url(self, engagement):
        return reverse("engagements:detail", args=[engagement.pk])

    @pytest.mark.parametrize("who", ["student", "owner", "mentor"])
    def test_the_people_involved_see_it(self, request, client_for, engagement, who):
        response = client_for(request.getfixturevalue(who)).get(self.url(engagement))

        html = html_of(response)
        assert response.status_code == 200
        assert engagement.project.title in html
        assert engagement.student.name in html
        assert engagement.mentor.name in html
        assert "Waiting for the agreement" in html
        assert "both read and sign it" in html

    @pytest.mark.parametrize("who", ["other_student", "outsider", "other_mentor"])
    def test_others_get_a_404(self, request, client_for, engagement, who):
        response = client_for(request.getfixturevalue(who)).get(self.url(engagement))
        assert response.status_code == 404

    def test_a_second_owner_sees_it_too(self, client_for, engagement, organization):
        second = MembershipFactory(organization=organization, role=Membership.Role.OWNER).user
        assert client_for(second).get(self.url(engagement)).status_code == 200

    def test_anonymous_visitors_log_in_first(self, client, engagement):
        assert client.get(self.url(engagement)).status_code == 302


def test_the_project_page_links_here(client_for, student, owner, project):
    # The projects app builds its links from these URL names.
    student_page = html_of(client_for(student).get(project.get_absolute_url()))
    owner_page = html_of(client_for(owner).get(project.get_absolute_url()))

    assert f'href="/projects/{project.pk}/apply/"' in student_page
    assert f'href="/projects/{project.pk}/applicants/"' in owner_page
