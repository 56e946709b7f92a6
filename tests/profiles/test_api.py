import json

import pytest

from practicum.profiles.models import AvailabilityWindow, StudentSkill
from tests.factories import (
    AvailabilityWindowFactory,
    InstitutionFactory,
    MembershipFactory,
    SkillFactory,
    StudentFactory,
    StudentSkillFactory,
)
from tests.profiles.cases import VISIBILITY, bad_input_params, day, to_api, valid_values, viewer

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/profile"


def student_url(profile) -> str:
    return f"/api/v1/students/{profile.pk}/profile"


def send(client, method: str, url: str, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_anonymous_gets_401(client, profile):
    for response in [
        client.get(ME),
        send(client, "put", ME, {}),
        send(client, "patch", ME, {}),
        client.get(student_url(profile)),
    ]:
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_non_students_get_403(api_client_for, owner, skills, method):
    client = api_client_for(owner)
    if method == "get":
        response = client.get(ME)
    else:
        response = send(client, method, ME, to_api(valid_values(skills)))
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_student"


def test_get_my_profile(api_client_for, student, profile, skills):
    StudentSkillFactory(profile=profile, skill=skills[0], level=3)
    body = api_client_for(student).get(ME).json()
    assert body["id"] == profile.pk
    assert body["user_id"] == student.pk
    assert body["name"] == student.name
    assert body["headline"] == "Second-year student"
    assert body["timezone"] == "UTC"
    assert body["skills"] == [
        {
            "skill": {"id": skills[0].pk, "slug": skills[0].slug, "name": skills[0].name},
            "level": 3,
            "level_name": "Proficient",
        }
    ]
    assert "email" not in json.dumps(body)


def test_put_replaces_everything(api_client_for, student, profile, skills):
    institution = InstitutionFactory()
    StudentSkillFactory(profile=profile, skill=skills[3], level=4)
    values = valid_values(skills) | {"institution": institution.pk}

    response = send(api_client_for(student), "put", ME, to_api(values))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["institution"] == {
        "id": institution.pk,
        "slug": institution.slug,
        "name": institution.name,
    }
    assert body["timezone"] == "Europe/Berlin"
    assert body["about_html"] == "<p>I like <strong>maps</strong>.</p>\n"
    assert [(s["skill"]["id"], s["level"]) for s in body["skills"]] == [
        (skills[0].pk, 3),
        (skills[1].pk, 1),
    ]
    assert body["availability"] == [
        {"starts_on": str(day(7, 1)), "ends_on": str(day(7, 31))},
        {"starts_on": str(day(9, 1)), "ends_on": str(day(9, 14))},
    ]
    profile.refresh_from_db()
    student.refresh_from_db()
    assert profile.headline == values["headline"]
    assert profile.institution == institution
    assert profile.interests == ["climate", "open data"]
    assert profile.portfolio_links == [{"label": "My maps", "url": "https://example.org/me"}]
    assert profile.discoverable and profile.open_to_future_roles
    assert student.timezone == "Europe/Berlin"
    assert sorted(profile.skills.values_list("skill_id", "level")) == sorted(values["skills"])
    assert profile.availability.count() == 2


def test_put_needs_every_field(api_client_for, student, skills):
    body = to_api(valid_values(skills))
    del body["headline"]
    response = send(api_client_for(student), "put", ME, body)
    assert response.status_code == 422
    assert "headline" in response.json()["fields"]


def test_patch_changes_only_what_is_sent(api_client_for, student, profile, skills):
    StudentSkillFactory(profile=profile, skill=skills[0], level=2)
    response = send(
        api_client_for(student), "patch", ME, {"headline": "New", "graduation_year": None}
    )
    assert response.status_code == 200, response.json()
    profile.refresh_from_db()
    assert profile.headline == "New"
    assert profile.graduation_year is None
    assert list(profile.skills.values_list("skill_id", "level")) == [(skills[0].pk, 2)]

    response = send(
        api_client_for(student), "patch", ME, {"skills": [{"skill": skills[2].pk, "level": 4}]}
    )
    assert [s["skill"]["id"] for s in response.json()["skills"]] == [skills[2].pk]
    profile.refresh_from_db()
    assert profile.headline == "New"


def test_patch_refuses_null_where_a_value_is_needed(api_client_for, student, profile):
    response = send(api_client_for(student), "patch", ME, {"headline": None, "weekly_hours": None})
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"headline", "weekly_hours"}


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize(("change", "field", "message"), bad_input_params())
def test_bad_input_is_422_with_fields_and_nothing_is_saved(
    api_client_for, student, profile, skills, method, change, field, message
):
    body = to_api(valid_values(skills) | change(skills))
    response = send(api_client_for(student), method, ME, body)

    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]
    assert any(message in m for m in error["fields"][field]), error
    profile.refresh_from_db()
    student.refresh_from_db()
    assert profile.headline == "Second-year student"
    assert student.timezone == "UTC"
    assert not StudentSkill.objects.exists()
    assert not AvailabilityWindow.objects.exists()


def test_wrong_types_are_422(api_client_for, student):
    response = send(api_client_for(student), "patch", ME, {"skills": [{"skill": "python"}]})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_another_students_profile_cannot_be_written(api_client_for, student, profile, skills):
    other = StudentFactory()
    client = api_client_for(other)
    # There is no write endpoint for someone else's profile; /me is always the caller's own.
    assert (
        send(client, "put", student_url(profile), to_api(valid_values(skills))).status_code == 405
    )
    assert send(client, "put", ME, to_api(valid_values(skills))).status_code == 200
    profile.refresh_from_db()
    assert profile.headline == "Second-year student"


@VISIBILITY
def test_who_sees_a_students_profile(api_client_for, profile, kind, discoverable, status):
    profile.institution = InstitutionFactory()
    profile.discoverable = discoverable
    profile.save()
    response = api_client_for(viewer(kind, profile)).get(student_url(profile))
    assert response.status_code == status
    if status == 200:
        assert response.json()["id"] == profile.pk
        assert profile.user.email not in response.content.decode()
    else:
        assert response.json()["code"] == "not_found"


def test_unknown_student_is_404(api_client_for, owner):
    assert api_client_for(owner).get("/api/v1/students/999999/profile").status_code == 404


@pytest.mark.parametrize("count", [2, 40])
def test_student_profile_queries_do_not_grow(api_client_for, django_assert_max_num_queries, count):
    profile = StudentFactory().student_profile
    profile.discoverable = True
    profile.save()
    for skill in SkillFactory.create_batch(count):
        StudentSkillFactory(profile=profile, skill=skill)
    for n in range(count // 10 + 1):
        AvailabilityWindowFactory(profile=profile, starts_on=day(1 + n, 1), ends_on=day(1 + n, 9))
    client = api_client_for(MembershipFactory().user)
    # Token, profile, skills, windows, and the viewer's permission.
    with django_assert_max_num_queries(6):
        response = client.get(student_url(profile))
    assert len(response.json()["skills"]) == count
