"""Student profiles over JSON: the same services and rules as the pages."""

import datetime

from ninja import Router, Schema

from practicum.core.loading import visible_or_404
from practicum.core.markdown import render_markdown
from practicum.core.schemas import Date, Id, InputSchema, MultiLine, SingleLine
from practicum.profiles import selectors, services

router = Router(tags=["profiles"])


class SkillRef(Schema):
    id: int
    slug: str
    name: str


class HeldSkillOut(Schema):
    skill: SkillRef
    level: int
    level_name: str

    @staticmethod
    def resolve_level_name(obj) -> str:
        return obj.get_level_display()


class WindowSchema(InputSchema):
    starts_on: Date
    ends_on: Date


class InstitutionRef(Schema):
    id: int
    slug: str
    name: str


class ProfileOut(Schema):
    """A student's profile. The email address is never part of it."""

    id: int
    user_id: int
    name: str
    headline: str
    about: str
    about_html: str
    institution: InstitutionRef | None
    institution_name: str
    programme: str
    graduation_year: int | None
    timezone: str
    weekly_hours: int
    interests: list[str]
    learning_goals: list[str]
    portfolio_links: list[str]
    open_to_future_roles: bool
    discoverable: bool
    skills: list[HeldSkillOut]
    availability: list[WindowSchema]
    updated_at: datetime.datetime

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.user.name

    @staticmethod
    def resolve_timezone(obj) -> str:
        return obj.user.timezone

    @staticmethod
    def resolve_about_html(obj) -> str:
        return render_markdown(obj.about)

    @staticmethod
    def resolve_skills(obj):
        return list(obj.skills.all())

    @staticmethod
    def resolve_availability(obj):
        return list(obj.availability.all())


class SkillIn(InputSchema):
    skill: int
    # Levels are checked by the service (1–4) so the API and the page give the same message.
    level: int


class ProfileIn(InputSchema):
    """The whole profile: every field is required, and what is sent replaces what was there."""

    headline: SingleLine
    about: MultiLine
    institution: int | None
    institution_name: SingleLine
    programme: SingleLine
    graduation_year: int | None
    timezone: SingleLine
    weekly_hours: int
    interests: list[SingleLine]
    learning_goals: list[SingleLine]
    portfolio_links: list[SingleLine]
    open_to_future_roles: bool
    discoverable: bool
    skills: list[SkillIn]
    availability: list[WindowSchema]


class ProfilePatch(InputSchema):
    """Any subset of ProfileIn's fields; the ones left out keep their value. A list sent
    (skills, availability, …) replaces the whole list."""

    headline: SingleLine | None = None
    about: MultiLine | None = None
    institution: int | None = None
    institution_name: SingleLine | None = None
    programme: SingleLine | None = None
    graduation_year: int | None = None
    timezone: SingleLine | None = None
    weekly_hours: int | None = None
    interests: list[SingleLine] | None = None
    learning_goals: list[SingleLine] | None = None
    portfolio_links: list[SingleLine] | None = None
    open_to_future_roles: bool | None = None
    discoverable: bool | None = None
    skills: list[SkillIn] | None = None
    availability: list[WindowSchema] | None = None


def _service_data(payload: Schema, *, partial: bool) -> dict:
    # Only fields actually sent count: an explicit null is sent (and refused by the service
    # where a field cannot be empty), a missing one is not.
    data = payload.model_dump(exclude_unset=partial)
    if data.get("skills") is not None:
        data["skills"] = [(item["skill"], item["level"]) for item in data["skills"]]
    if data.get("availability") is not None:
        data["availability"] = [(w["starts_on"], w["ends_on"]) for w in data["availability"]]
    return data


def _updated(request, payload: Schema, *, partial: bool):
    profile = services.own_profile(request.user)
    services.update_profile(profile, by=request.user, data=_service_data(payload, partial=partial))
    return selectors.profile_for_page(profile.pk)


@router.get("/me/profile", response=ProfileOut, summary="Your own profile (students only)")
def get_my_profile(request):
    return services.own_profile(request.user)


@router.put("/me/profile", response=ProfileOut, summary="Replace your profile")
def replace_my_profile(request, payload: ProfileIn):
    return _updated(request, payload, partial=False)


@router.patch("/me/profile", response=ProfileOut, summary="Change some fields of your profile")
def change_my_profile(request, payload: ProfilePatch):
    return _updated(request, payload, partial=True)


@router.get(
    "/students/{int:profile_id}/profile", response=ProfileOut, summary="A student's profile"
)
def get_student_profile(request, profile_id: Id):
    """`profile_id` is the profile's id (as in /students/<id>/ pages), not the user's."""
    profile = visible_or_404(
        selectors.profile_for_page(profile_id),
        request.user,
        "profiles.view_profile",
        what="student",
    )
    return profile
