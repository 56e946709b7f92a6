import html
import re

import pytest
from django.urls import reverse

from practicum.profiles.models import AvailabilityWindow, StudentSkill
from tests.factories import (
    AvailabilityWindowFactory,
    InstitutionFactory,
    MembershipFactory,
    SkillFactory,
    StudentFactory,
    StudentSkillFactory,
)
from tests.profiles.cases import VISIBILITY, bad_input_params, day, to_form, valid_values, viewer

pytestmark = pytest.mark.django_db

EDIT = "/profile/edit/"


def page_of(profile) -> str:
    return f"/students/{profile.pk}/"


def error_lists(content: bytes, id_pattern: str) -> list[str]:
    """The text of each error list whose id matches, e.g. "id_headline_error", "skill-errors-1"."""
    found = re.findall(
        rf'<ul class="errorlist"[^>]* id="(?:{id_pattern})">(.*?)</ul>', content.decode(), re.S
    )
    return [html.unescape(re.sub(r"<[^>]+>", " ", block)).strip() for block in found]


ERROR_IDS = {
    "skills": r"skill-errors-\d+|skills-errors",
    "availability": r"window-errors-\d+|availability-errors",
}


def assert_nothing_saved(student):
    profile = student.student_profile
    profile.refresh_from_db()
    student.refresh_from_db()
    assert profile.headline == "Second-year student"
    assert profile.interests == []
    assert student.timezone == "UTC"
    assert not StudentSkill.objects.filter(profile=profile).exists()
    assert not AvailabilityWindow.objects.filter(profile=profile).exists()


# --- who gets in -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/profile/", EDIT])
def test_anonymous_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_anonymous_is_sent_to_log_in_for_a_student_page(client, profile):
    response = client.get(page_of(profile))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("url", ["/profile/", EDIT])
def test_non_students_are_told_they_have_no_profile(client_for, owner, url):
    response = client_for(owner).get(url, follow=True)
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert b"Only student accounts have a profile." in response.content


def test_my_profile_shows_my_profile_with_an_edit_link(client_for, student, profile):
    response = client_for(student).get("/profile/")
    assert response.status_code == 200
    assert student.name.encode() in response.content
    assert b'href="/profile/edit/"' in response.content


def test_the_url_uses_the_profile_id(profile):
    assert profile.pk != profile.user_id
    assert (
        profile.get_absolute_url()
        == page_of(profile)
        == reverse("profiles:student", args=[profile.pk])
    )


@VISIBILITY
def test_who_sees_a_student_page(client_for, profile, kind, discoverable, status):
    profile.institution = InstitutionFactory()
    profile.discoverable = discoverable
    profile.save()
    response = client_for(viewer(kind, profile)).get(page_of(profile))
    assert response.status_code == status
    assert (b"Edit profile" in response.content) == (kind == "self")


def test_unknown_student_is_404(client_for, owner):
    assert client_for(owner).get("/students/999999/").status_code == 404


# --- the profile page ------------------------------------------------------------------------


def test_profile_page_shows_everything_but_the_email(client_for, owner, student, profile):
    institution = InstitutionFactory(name="Riverside University")
    profile.institution = institution
    profile.programme = "BSc Geography"
    profile.graduation_year = 2027
    profile.weekly_hours = 15
    profile.about = "I map **rivers**."
    profile.interests = ["climate", "open data"]
    profile.learning_goals = ["Lead a user interview"]
    profile.portfolio_links = [{"label": "River maps", "url": "https://maps.example/me"}]
    profile.open_to_future_roles = True
    profile.discoverable = True
    profile.save()
    StudentSkillFactory(profile=profile, skill=SkillFactory(name="QGIS"), level=4)
    StudentSkillFactory(profile=profile, skill=SkillFactory(name="Python"), level=1)
    AvailabilityWindowFactory(profile=profile, starts_on=day(7, 1), ends_on=day(7, 31))

    response = client_for(owner).get(page_of(profile))
    content = response.content.decode()
    for text in [
        student.name,
        "Second-year student",
        "Riverside University",
        "BSc Geography",
        "2027",
        "<strong>rivers</strong>",
        "QGIS",
        "Expert",
        "Python",
        "Beginner",
        "15 hours per week",
        f'datetime="{day(7, 1)}"',
        "<li>climate</li>",
        "Lead a user interview",
        '<a href="https://maps.example/me" rel="nofollow noopener">River maps</a>',
        "Open to future roles",
    ]:
        assert text in content, text
    assert student.email not in content


def test_about_markdown_is_sanitized(client_for, student, profile):
    profile.about = (
        "<script>alert('x')</script>\n\n**bold** [bad](javascript:alert(1)) "
        '<img src=x onerror="alert(2)">'
    )
    profile.save()
    content = client_for(student).get("/profile/").content.decode()
    assert "<strong>bold</strong>" in content
    assert "<script>alert" not in content
    assert 'href="javascript:' not in content
    assert "<img" not in content


# --- editing ---------------------------------------------------------------------------------


def test_edit_page_shows_the_stored_profile(client_for, student, profile):
    skill = SkillFactory(name="Cartography")
    StudentSkillFactory(profile=profile, skill=skill, level=3)
    AvailabilityWindowFactory(profile=profile, starts_on=day(7, 1), ends_on=day(7, 31))
    profile.interests = ["maps", "rivers"]
    profile.save()

    content = client_for(student).get(EDIT).content.decode()
    assert 'value="Second-year student"' in content
    assert f'<input type="hidden" name="skill_id" value="{skill.pk}">' in content
    assert '<option value="3" selected>Proficient</option>' in content
    assert f'name="window_start" id="window-start-0" value="{day(7, 1)}"' in content
    assert "maps\nrivers</textarea>" in content
    assert 'hx-get="/skills/autocomplete/"' in content
    assert 'hx-trigger="input changed delay:200ms, focus"' in content
    labels = [
        "Headline",
        "About you",
        "Institution",
        "Programme of study",
        "Expected graduation year",
        "Time zone",
        "Hours available per week",
        "Interests",
        "What you want to learn",
        "Portfolio links",
        "Add a skill",
    ]
    for label in labels:
        assert re.search(rf'<label for="[^"]+">{label}', content), label


def test_saving_the_form_updates_everything(client_for, student, profile, skills):
    institution = InstitutionFactory()
    values = valid_values(skills) | {"institution": institution.pk}
    response = client_for(student).post(EDIT, to_form(values), follow=True)

    assert response.redirect_chain == [("/profile/", 302)]
    assert b"Your profile is saved." in response.content
    profile.refresh_from_db()
    student.refresh_from_db()
    assert profile.headline == values["headline"]
    assert profile.about == values["about"]
    assert profile.institution == institution
    assert profile.programme == "BSc Geography"
    assert profile.graduation_year == values["graduation_year"]
    assert profile.weekly_hours == 12
    assert profile.interests == ["climate", "open data"]
    assert profile.learning_goals == ["Ship a real project"]
    assert profile.portfolio_links == [{"label": "My maps", "url": "https://example.org/me"}]
    assert profile.open_to_future_roles and profile.discoverable
    assert student.timezone == "Europe/Berlin"
    assert sorted(profile.skills.values_list("skill_id", "level")) == sorted(values["skills"])
    assert list(profile.availability.values_list("starts_on", "ends_on")) == values["availability"]


def test_unticking_and_emptying_clears(client_for, student, profile, skills):
    StudentSkillFactory(profile=profile)
    profile.discoverable = True
    profile.interests = ["old"]
    profile.save()
    values = valid_values(skills) | {
        "discoverable": False,
        "interests": [],
        "skills": [],
        "availability": [],
    }
    client_for(student).post(EDIT, to_form(values))
    profile.refresh_from_db()
    assert not profile.discoverable
    assert profile.interests == []
    assert not profile.skills.exists()


@pytest.mark.parametrize(("change", "field", "message"), bad_input_params())
def test_bad_input_is_shown_by_its_field_and_nothing_is_saved(
    client_for, student, skills, change, field, message
):
    data = to_form(valid_values(skills) | change(skills))
    response = client_for(student).post(EDIT, data)

    assert response.status_code == 200
    assert b"Your profile was not saved" in response.content
    shown = error_lists(response.content, ERROR_IDS.get(field, f"id_{field}_error"))
    assert any(message in text for text in shown), shown
    # What the student typed is still there to correct.
    assert html.escape(data["headline"]).encode() in response.content
    assert_nothing_saved(student)


def test_a_skill_error_is_shown_on_its_row(client_for, student, skills):
    values = valid_values(skills) | {"skills": [(skills[0].pk, 2), (skills[1].pk, 9)]}
    response = client_for(student).post(EDIT, to_form(values))
    assert error_lists(response.content, "skill-errors-1") == [
        "Skill #2: level must be between 1 and 4."
    ]
    assert error_lists(response.content, "skill-errors-0") == []
    # The row keeps its skill, named, for the student to fix.
    assert f'value="{skills[1].pk}"'.encode() in response.content
    assert skills[1].name.encode() in response.content


def test_window_errors_land_on_the_right_row_even_after_blank_rows(client_for, student, skills):
    data = to_form(valid_values(skills))
    data["window_start"] = ["", str(day(7, 1)), str(day(7, 20))]
    data["window_end"] = ["", str(day(7, 31)), str(day(8, 10))]
    response = client_for(student).post(EDIT, data)
    assert error_lists(response.content, "window-errors-2") == [
        f"Window #2 overlaps window #1 ({day(7, 1)} to {day(7, 31)})."
    ]
    assert_nothing_saved(student)


def test_a_window_missing_a_date_is_refused(client_for, student, skills):
    data = to_form(valid_values(skills))
    data["window_start"] = [str(day(7, 1))]
    data["window_end"] = [""]
    response = client_for(student).post(EDIT, data)
    assert error_lists(response.content, "window-errors-0") == [
        "Window #1: give both a start and an end date (YYYY-MM-DD)."
    ]
    assert_nothing_saved(student)


def test_a_year_that_is_not_a_number_is_refused(client_for, student, skills):
    data = to_form(valid_values(skills)) | {"graduation_year": "soon"}
    response = client_for(student).post(EDIT, data)
    assert error_lists(response.content, "id_graduation_year_error") == ["Enter a whole number."]
    assert_nothing_saved(student)


def test_a_student_only_ever_edits_their_own_profile(client_for, student, profile, skills):
    other = StudentFactory()
    client_for(other).post(EDIT, to_form(valid_values(skills)))
    profile.refresh_from_db()
    assert profile.headline == "Second-year student"
    other.student_profile.refresh_from_db()
    assert other.student_profile.headline == valid_values(skills)["headline"]


# --- the row buttons without JavaScript ------------------------------------------------------


def test_remove_skill_button_removes_the_row_without_saving(client_for, student, skills):
    data = to_form(valid_values(skills)) | {"remove_skill": "0"}
    response = client_for(student).post(EDIT, data)
    assert response.status_code == 200
    rows = response.context["form"].skill_rows
    assert [row.skill_id for row in rows] == [str(skills[1].pk)]
    assert b"Not saved yet" in response.content
    assert_nothing_saved(student)


def test_add_window_button_adds_an_empty_row(client_for, student, skills):
    data = to_form(valid_values(skills)) | {"add_window": "1"}
    response = client_for(student).post(EDIT, data)
    rows = response.context["form"].window_rows
    assert [(row.starts_on, row.ends_on) for row in rows] == [
        (str(day(7, 1)), str(day(7, 31))),
        (str(day(9, 1)), str(day(9, 14))),
        ("", ""),
    ]
    assert b'id="window-start-2" value=""' in response.content
    assert_nothing_saved(student)


def test_remove_window_button_removes_the_row(client_for, student, skills):
    data = to_form(valid_values(skills)) | {"remove_window": "0"}
    response = client_for(student).post(EDIT, data)
    rows = response.context["form"].window_rows
    assert [(row.starts_on, row.ends_on) for row in rows] == [(str(day(9, 1)), str(day(9, 14)))]


# --- a fixed number of queries ---------------------------------------------------------------


def profile_with(count: int):
    student = StudentFactory()
    profile = student.student_profile
    for skill in SkillFactory.create_batch(count):
        StudentSkillFactory(profile=profile, skill=skill, level=(skill.pk % 4) + 1)
    for n in range(count // 10 + 1):
        AvailabilityWindowFactory(profile=profile, starts_on=day(1 + n, 1), ends_on=day(1 + n, 20))
    return student, profile


# Session, user, profile, skills, windows, and the viewer's permission and navigation.
PAGE_QUERIES = 9  # the verified-skills fragment adds one
EDIT_QUERIES = 6
# A refused save also reads the submitted skills twice (whether they exist, and their names)
# inside the service's transaction (in tests: a savepoint, its rollback and its release).
EDIT_REFUSED_QUERIES = 11


@pytest.mark.parametrize("count", [2, 40])
def test_profile_page_queries_do_not_grow(client_for, django_assert_max_num_queries, count):
    student, profile = profile_with(count)
    viewer = MembershipFactory().user
    profile.discoverable = True
    profile.save()
    client, own_client = client_for(viewer), client_for(student)
    with django_assert_max_num_queries(PAGE_QUERIES):
        assert client.get(page_of(profile)).status_code == 200
    with django_assert_max_num_queries(PAGE_QUERIES):
        assert own_client.get("/profile/").status_code == 200


@pytest.mark.parametrize("count", [2, 40])
def test_edit_page_queries_do_not_grow(client_for, django_assert_max_num_queries, count):
    student, profile = profile_with(count)
    client = client_for(student)
    with django_assert_max_num_queries(EDIT_QUERIES):
        assert client.get(EDIT).status_code == 200
    data = to_form(
        {
            **valid_values([h.skill for h in profile.skills.all()]),
            "skills": [(h.skill_id, 9) for h in profile.skills.all()],
        }
    )
    with django_assert_max_num_queries(EDIT_REFUSED_QUERIES):
        assert client.post(EDIT, data).status_code == 200
