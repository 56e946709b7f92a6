"""The feedback page: who reads and writes, the double-blind rule and private notes in the
HTML, form errors (422, what was typed kept), no edits after the reveal, verified skills on the
profile, and a query budget that does not grow with the data."""

import pytest
from django.test import Client
from django.urls import reverse

from practicum.reviews.models import Review
from tests.factories import SkillFactory, StudentSkillFactory
from tests.reviews.conftest import submit

pytestmark = pytest.mark.django_db

READERS = ["student", "mentor", "owner"]
PARTIES = ["student", "mentor", "owner"]
STRANGERS = ["other_mentor", "outsider", "other_student", "other_staff", "staff"]


def page(engagement):
    return reverse("reviews:engagement", args=[engagement.pk])


def action(engagement, round):
    return reverse("reviews:submit", args=[engagement.pk, round])


def form_data(side, round="midpoint", score=4, **extra):
    keys = (
        ["clarity", "mentorship", "responsiveness", "learning", "time_respect"]
        if side == "student"
        else ["quality", "communication", "reliability", "initiative", "growth"]
    )
    data = {f"{round}-{key}": score for key in keys}
    data[f"{round}-strengths"] = f"Typed strengths of the {side}"
    data[f"{round}-to_improve"] = ""
    data[f"{round}-private_note"] = f"PAGE NOTE OF THE {side.upper()}"
    if side == "student" or round == "final":
        data[f"{round}-recommend"] = "yes"
    return {**data, **{f"{round}-{k}": v for k, v in extra.items()}}


def side_of(who):
    return "student" if who == "student" else "organization"


class TestWhoSeesWhat:
    @pytest.mark.parametrize("who", READERS)
    def test_readers_see_the_rounds(self, request, client_for, people, midpoint, who):
        response = client_for(people[who]).get(page(midpoint))

        html = response.content.decode()
        assert response.status_code == 200
        assert 'aria-current="page">Feedback' in html
        assert "Mid-point feedback" in html
        assert "Final feedback" in html
        assert "Submit review" in html

    @pytest.mark.parametrize("who", STRANGERS)
    def test_strangers_get_404(self, client_for, people, midpoint, who):
        client = client_for(people[who])

        assert client.get(page(midpoint)).status_code == 404
        assert client.post(action(midpoint, "midpoint"), form_data("student")).status_code == 404
        assert not Review.objects.exists()

    def test_anonymous_visitors_log_in_first(self, midpoint):
        assert Client().get(page(midpoint)).status_code == 302
        assert Client().post(action(midpoint, "midpoint"), {}).status_code == 302

    @pytest.mark.parametrize("who", ["staff", "superuser"])
    def test_no_party_neither_reads_nor_writes(self, client_for, people, midpoint, who):
        """Career-center staff and platform admins: the page does not exist for them."""
        client = client_for(people[who])
        response = client.post(action(midpoint, "midpoint"), form_data("student"))

        assert response.status_code == 404
        assert client.get(page(midpoint)).status_code == 404
        assert not Review.objects.exists()

    def test_pending_engagements_have_no_rounds_yet(self, client_for, student, pending_engagement):
        html = client_for(student).get(page(pending_engagement)).content.decode()

        assert "Feedback rounds open once the engagement is active" in html

    def test_an_unknown_round_is_404(self, client_for, student, midpoint):
        response = client_for(student).post(action(midpoint, "halfway"), form_data("student"))
        assert response.status_code == 404


class TestWriting:
    @pytest.mark.parametrize("who", PARTIES)
    def test_parties_submit_their_sides_review(self, client_for, people, midpoint, who):
        response = client_for(people[who]).post(
            action(midpoint, "midpoint"), form_data(side_of(who))
        )

        assert response.status_code == 302
        review = Review.objects.get()
        assert review.side == side_of(who)
        assert review.author == people[who]
        assert review.strengths == f"Typed strengths of the {side_of(who)}"

    @pytest.mark.parametrize("score", [0, 6])
    def test_a_score_outside_the_rubric_shows_the_form_again(
        self, client_for, student, midpoint, score
    ):
        response = client_for(student).post(
            action(midpoint, "midpoint"), form_data("student", score=score)
        )

        html = response.content.decode()
        assert response.status_code == 422
        assert "Select a valid choice" in html
        assert "Typed strengths of the student" in html
        assert not Review.objects.exists()

    def test_the_rubric_sentences_are_in_the_form(self, client_for, student, midpoint):
        html = client_for(student).get(page(midpoint)).content.decode()

        assert "Clarity of expectations" in html
        assert "Expectations were clear enough to do the work." in html
        assert "Would you recommend this organization to a fellow student?" in html

    def test_the_private_note_says_who_never_sees_it(self, client_for, student, mentor, midpoint):
        student_html = client_for(student).get(page(midpoint)).content.decode()
        mentor_html = client_for(mentor).get(page(midpoint)).content.decode()

        assert "the organization never sees it" in student_html
        assert "the student never sees it" in mentor_html

    def test_the_form_shows_the_saved_review_for_editing(self, client_for, student, midpoint):
        client = client_for(student)
        client.post(action(midpoint, "midpoint"), form_data("student"))

        html = client.get(page(midpoint)).content.decode()
        assert "Save changes" in html
        assert "Typed strengths of the student" in html
        assert "PAGE NOTE OF THE STUDENT" in html

    def test_no_edits_once_revealed(self, client_for, student, mentor, midpoint):
        submit(midpoint, "midpoint", student)
        submit(midpoint, "midpoint", mentor)

        client = client_for(student)
        response = client.post(
            action(midpoint, "midpoint"), form_data("student", strengths="Changed later")
        )
        assert response.status_code == 302
        assert "can no longer change" in client.get(page(midpoint)).content.decode()
        assert not Review.objects.filter(strengths="Changed later").exists()

    def test_not_before_the_round_opens(self, client_for, student, engagement):
        client = client_for(student)
        response = client.post(action(engagement, "midpoint"), form_data("student"))

        assert response.status_code == 302
        assert "feedback opens on" in client.get(page(engagement)).content.decode()
        assert not Review.objects.exists()

    def test_the_final_form_offers_skills_to_endorse(
        self, client_for, mentor, student, final, organization
    ):
        held = SkillFactory(name="Data cleaning")
        StudentSkillFactory(profile=student.student_profile, skill=held, level=1)
        client = client_for(mentor)
        assert "Data cleaning" in client.get(page(final)).content.decode()

        data = form_data("organization", round="final", **{f"skill_{held.pk}": 3})
        assert client.post(action(final, "final"), data).status_code == 302

        endorsement = Review.objects.get().endorsements.get()
        assert (endorsement.skill, endorsement.level) == (held, 3)


class TestDoubleBlindOnThePage:
    def test_the_other_sides_review_is_hidden_until_both_submitted(
        self, client_for, student, mentor, owner, midpoint
    ):
        submit(midpoint, "midpoint", student)

        for person in (mentor, owner):
            html = client_for(person).get(page(midpoint)).content.decode()
            assert "Strengths from the student" not in html
        mentor_html = client_for(mentor).get(page(midpoint)).content.decode()
        assert "The other side has submitted" in mentor_html

        submit(midpoint, "midpoint", mentor)
        mentor_html = client_for(mentor).get(page(midpoint)).content.decode()
        owner_html = client_for(owner).get(page(midpoint)).content.decode()
        assert "Strengths from the student" in mentor_html
        assert "Strengths from the organization" in owner_html
        assert "Strengths from the student" in owner_html

    def test_private_notes_never_reach_the_other_side_or_an_admin(
        self, client_for, student, mentor, owner, superuser, midpoint
    ):
        submit(midpoint, "midpoint", student)
        submit(midpoint, "midpoint", mentor)

        student_html = client_for(student).get(page(midpoint)).content.decode()
        assert "PRIVATE NOTE OF THE STUDENT" in student_html
        assert "PRIVATE NOTE OF THE ORGANIZATION" not in student_html
        for person in (mentor, owner):
            html = client_for(person).get(page(midpoint)).content.decode()
            assert "PRIVATE NOTE OF THE ORGANIZATION" in html
            assert "PRIVATE NOTE OF THE STUDENT" not in html
        admin_page = client_for(superuser).get(page(midpoint))
        assert admin_page.status_code == 404
        assert "PRIVATE NOTE" not in admin_page.content.decode()
        timeline = client_for(student).get(
            reverse("api:list_engagement_events", args=[midpoint.pk])
        )
        assert "PRIVATE NOTE" not in timeline.content.decode()


class TestVerifiedSkillsOnTheProfile:
    def test_endorsements_show_on_the_profile_once_revealed(
        self, client_for, student, mentor, final, organization
    ):
        skill = SkillFactory(name="Survey analysis")
        submit(final, "final", mentor, endorsements=[{"skill": skill.pk, "level": 3}])
        profile_page = reverse("profiles:student", args=[student.student_profile.pk])
        client = client_for(student)
        assert "Survey analysis" not in client.get(profile_page).content.decode()

        submit(final, "final", student)

        html = client.get(profile_page).content.decode()
        assert "Verified skills" in html
        assert "Survey analysis" in html
        assert "Proficient" in html
        assert f"verified by {organization.name}" in html


def grow(engagement, student, mentor, count):
    """A revealed mid-point, and a final review by the organization endorsing `count` skills
    the student holds (waiting for the student's)."""
    import datetime

    from tests.reviews.conftest import window

    during = window(engagement, "midpoint").opens_at + datetime.timedelta(hours=1)
    submit(engagement, "midpoint", student, now=during)
    submit(engagement, "midpoint", mentor, now=during)
    skills = SkillFactory.create_batch(count)
    for skill in skills:
        StudentSkillFactory(profile=student.student_profile, skill=skill, level=2)
    submit(
        engagement,
        "final",
        mentor,
        endorsements=[{"skill": skill.pk, "level": 3} for skill in skills],
    )


# Session, user, engagement; who may read and act (the student and mentor rules); the
# terms and the deliverables' acceptance (3); the reviews and their endorsements; the skills the
# final form offers (practised, then the skills); navigation.
PAGE_QUERIES = 14


@pytest.mark.parametrize("count", [1, 20])
def test_the_page_queries_do_not_grow(
    client_for, django_assert_max_num_queries, student, mentor, final, count
):
    grow(final, student, mentor, count)
    for person in (student, mentor):
        client = client_for(person)
        with django_assert_max_num_queries(PAGE_QUERIES):
            assert client.get(page(final)).status_code == 200
