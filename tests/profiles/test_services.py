import pytest
from django.core.exceptions import ValidationError

from practicum.core.errors import Refused
from practicum.profiles import services
from practicum.profiles.models import AvailabilityWindow, StudentSkill
from tests.factories import (
    AvailabilityWindowFactory,
    InstitutionFactory,
    SkillFactory,
    StudentFactory,
    StudentSkillFactory,
    UserFactory,
)
from tests.profiles.cases import bad_input_params, day, valid_values

pytestmark = pytest.mark.django_db


def messages_of(exc: ValidationError) -> dict[str, list[str]]:
    return {
        field: [m for e in errors for m in e.messages] for field, errors in exc.error_dict.items()
    }


def test_update_replaces_everything(student, profile, skills, institution):
    StudentSkillFactory(profile=profile, skill=skills[3], level=4)
    AvailabilityWindowFactory(profile=profile)
    values = valid_values(skills) | {"institution": institution.pk}

    services.update_profile(profile, by=student, data=services.ProfileData(**values))

    profile.refresh_from_db()
    student.refresh_from_db()
    assert profile.headline == "Geography student who loves maps"
    assert profile.institution == institution
    # The free-text name is dropped once a listed institution is picked.
    assert profile.institution_name == ""
    assert profile.graduation_year == values["graduation_year"]
    assert profile.weekly_hours == 12
    assert profile.interests == ["climate", "open data"]
    assert profile.learning_goals == ["Ship a real project"]
    assert profile.portfolio_links == [{"label": "My maps", "url": "https://example.org/me"}]
    assert profile.open_to_future_roles and profile.discoverable
    assert student.timezone == "Europe/Berlin"
    assert sorted(profile.skills.values_list("skill_id", "level")) == sorted(values["skills"])
    assert list(profile.availability.values_list("starts_on", "ends_on")) == values["availability"]


def test_mapping_keeps_fields_it_does_not_name(student, profile, skills):
    StudentSkillFactory(profile=profile, skill=skills[0], level=3)
    services.update_profile(profile, by=student, data={"headline": "Just this"})
    profile.refresh_from_db()
    assert profile.headline == "Just this"
    assert list(profile.skills.values_list("skill_id", "level")) == [(skills[0].pk, 3)]


def test_unknown_field_in_mapping_is_refused(student, profile):
    with pytest.raises(ValidationError) as caught:
        services.update_profile(profile, by=student, data={"email": "x@example.org"})
    assert messages_of(caught.value) == {"email": ["This field does not exist."]}


def test_text_is_trimmed_and_lists_are_cleaned(student, profile, skills):
    values = valid_values(skills) | {
        "headline": "  Padded  ",
        "about": "Line one\r\nLine two",
        "interests": [" Python ", "python", "PYTHON", "Maps", "", "  "],
        "learning_goals": ["  Testing  ", ""],
        "portfolio_links": [
            {"label": "  My   site ", "url": "https://a.example"},
            " https://a.example ",
            "https://b.example",
        ],
    }
    services.update_profile(profile, by=student, data=values)
    profile.refresh_from_db()
    assert profile.headline == "Padded"
    assert profile.about == "Line one\nLine two"
    assert profile.interests == ["Python", "Maps"]
    assert profile.learning_goals == ["Testing"]
    # The same address twice is one link; a bare address is a link without a label.
    assert profile.portfolio_links == [
        {"label": "My site", "url": "https://a.example"},
        {"label": "", "url": "https://b.example"},
    ]


def test_limits_are_inclusive(student, profile, skills):
    values = valid_values(skills) | {
        "about": "a" * 10_000,
        "interests": [f"t{n}" for n in range(19)] + ["x" * 40],
        "weekly_hours": 60,
        "graduation_year": services.graduation_year_range()[0],
        "availability": [(day(7, 1), day(7, 1))],
    }
    services.update_profile(profile, by=student, data=values)
    profile.refresh_from_db()
    assert len(profile.about) == 10_000
    assert len(profile.interests) == 20


def test_fifty_skills_are_allowed(student, profile):
    many = SkillFactory.create_batch(50)
    services.update_profile(profile, by=student, data={"skills": [(s.pk, 2) for s in many]})
    assert profile.skills.count() == 50


@pytest.mark.parametrize(("change", "field", "message"), bad_input_params())
def test_bad_input_is_refused_and_nothing_is_saved(
    student, profile, skills, change, field, message
):
    values = valid_values(skills) | change(skills)
    with pytest.raises(ValidationError) as caught:
        services.update_profile(profile, by=student, data=values)
    errors = messages_of(caught.value)
    assert list(errors) == [field]
    assert any(message in m for m in errors[field]), errors

    profile.refresh_from_db()
    student.refresh_from_db()
    assert profile.headline == "Second-year student"
    assert student.timezone == "UTC"
    assert not StudentSkill.objects.exists()
    assert not AvailabilityWindow.objects.exists()


def test_every_error_is_reported_at_once(student, profile, skills):
    values = valid_values(skills) | {
        "headline": "x" * 200,
        "weekly_hours": 0,
        "skills": [(skills[0].pk, 9), (skills[0].pk, 2)],
        "availability": [(day(7, 1), None)],
    }
    with pytest.raises(ValidationError) as caught:
        services.update_profile(profile, by=student, data=values)
    errors = messages_of(caught.value)
    assert set(errors) == {"headline", "weekly_hours", "skills", "availability"}
    assert errors["skills"] == [
        "Skill #1: level must be between 1 and 4.",
        f"Skill #2: {skills[0].name} is already listed as skill #1.",
    ]
    assert errors["availability"] == ["Window #1: give both a start and an end date (YYYY-MM-DD)."]


def test_row_errors_say_which_row(student, profile, skills):
    values = valid_values(skills) | {"skills": [(skills[0].pk, 2), (skills[1].pk, 7)]}
    with pytest.raises(ValidationError) as caught:
        services.update_profile(profile, by=student, data=values)
    (error,) = caught.value.error_dict["skills"]
    assert error.params["index"] == 1
    assert error.code == "bad_level"


def test_wrong_types_get_messages_not_crashes(student, profile):
    data = {
        "headline": None,
        "weekly_hours": "many",
        "open_to_future_roles": "yes",
        "interests": "climate",
        "skills": [(1, 2, 3)],
        "availability": None,
        "graduation_year": "soon",
    }
    with pytest.raises(ValidationError) as caught:
        services.update_profile(profile, by=student, data=data)
    assert set(messages_of(caught.value)) == set(data)


def test_another_student_may_not_update(profile, skills):
    other = StudentFactory()
    with pytest.raises(Refused) as caught:
        services.update_profile(profile, by=other, data=valid_values(skills))
    assert caught.value.code == "not_your_profile"
    profile.refresh_from_db()
    assert profile.headline == "Second-year student"


def test_own_profile_is_for_students_only(owner, student):
    assert services.own_profile(student) == student.student_profile
    with pytest.raises(Refused) as caught:
        services.own_profile(owner)
    assert caught.value.code == "not_a_student"


def test_own_profile_is_created_for_a_student_without_one():
    lonely = UserFactory()
    assert services.own_profile(lonely).user == lonely


def test_institution_choice_keeps_name_only_when_not_listed(student, profile, skills):
    institution = InstitutionFactory()
    values = valid_values(skills) | {"institution": None, "institution_name": "Night School"}
    services.update_profile(profile, by=student, data=values)
    profile.refresh_from_db()
    assert profile.institution_label == "Night School"
    services.update_profile(profile, by=student, data={"institution": institution.pk})
    profile.refresh_from_db()
    assert profile.institution_label == institution.name
