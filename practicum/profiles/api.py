"""Student profiles over JSON: the same services and rules as the pages."""

import datetime

from django.urls import reverse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from practicum.core import images
from practicum.core.api import ErrorOut
from practicum.core.loading import visible_or_404
from practicum.core.markdown import render_markdown
from practicum.core.schemas import Date, Id, InputSchema, MultiLine, SingleLine
from practicum.profiles import cv, selectors, services
from practicum.profiles.views import cv_response, photo_response

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


class PortfolioLinkOut(Schema):
    label: str
    url: str


class PortfolioLinkIn(InputSchema):
    # Lengths, the http(s) scheme and the number of links are the service's to check, so the
    # page and the API refuse them with the same messages.
    label: SingleLine = ""
    url: SingleLine


class CvOut(Schema):
    name: str
    size: int
    uploaded_at: datetime.datetime
    url: str


class ProfileOut(Schema):
    """A student's profile. The email address is never part of it; `cv` is there only for
    those who may read it (the student, and organizations the student applied to)."""

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
    portfolio_links: list[PortfolioLinkOut]
    open_to_future_roles: bool
    discoverable: bool
    skills: list[HeldSkillOut]
    availability: list[WindowSchema]
    photo_url: str | None
    cv: CvOut | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.user.name

    @staticmethod
    def resolve_photo_url(obj) -> str | None:
        if not obj.photo:
            return None
        return reverse("api:student_photo", args=[obj.pk]) + f"?v={obj.photo_version}"

    @staticmethod
    def resolve_cv(obj, context) -> dict | None:
        if not obj.cv or not context["request"].user.has_perm("profiles.view_cv", obj):
            return None
        return {
            "name": obj.cv_name,
            "size": obj.cv_size or 0,
            "uploaded_at": obj.cv_uploaded_at,
            "url": reverse("api:student_cv", args=[obj.pk]),
        }

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
    portfolio_links: list[PortfolioLinkIn]
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
    portfolio_links: list[PortfolioLinkIn] | None = None
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


def _stored(request, store, file):
    """The photo or the CV: `store` it on your profile, answer with the profile."""
    profile = services.own_profile(request.user)
    store(profile, by=request.user, upload=file)
    return selectors.profile_for_page(profile.pk)


FILE_ERRORS = {401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 404: ErrorOut}


@router.post(
    "/me/profile/photo",
    response={200: ProfileOut, **FILE_ERRORS},
    summary="Upload or replace your photo (multipart, field `file`)",
    description=(
        f"{images.API_RULES}; stored cropped to a square and redrawn without its metadata "
        f"({images.API_REFUSALS})."
    ),
)
def upload_my_photo(request, file: File[UploadedFile]):
    return _stored(request, services.set_photo, file)


@router.delete(
    "/me/profile/photo", response={204: None, **FILE_ERRORS}, summary="Remove your photo"
)
def remove_my_photo(request):
    services.remove_photo(services.own_profile(request.user), by=request.user)
    return Status(204, None)


@router.post(
    "/me/profile/cv",
    response={200: ProfileOut, **FILE_ERRORS},
    summary="Upload or replace your CV (multipart, field `file`)",
    description=(
        f"A PDF (read from the content), at most {cv.MAX_BYTES // (1024 * 1024)} MB, readable "
        "and without a password (422 cv_too_large, cv_empty, cv_not_pdf, cv_encrypted, "
        "cv_broken). Organizations see it only on applications you send them."
    ),
)
def upload_my_cv(request, file: File[UploadedFile]):
    return _stored(request, services.set_cv, file)


@router.delete("/me/profile/cv", response={204: None, **FILE_ERRORS}, summary="Remove your CV")
def remove_my_cv(request):
    services.remove_cv(services.own_profile(request.user), by=request.user)
    return Status(204, None)


@router.get(
    "/students/{int:profile_id}/profile/photo",
    response={200: None, **READ_ERRORS},
    url_name="student_photo",
    summary="A student's photo (image/webp), for whoever may see the profile",
)
def get_student_photo(request, profile_id: Id):
    profile = visible_or_404(
        selectors.profile_by_pk(profile_id), request.user, "profiles.view_profile", what="student"
    )
    return photo_response(profile)


@router.get(
    "/students/{int:profile_id}/profile/cv",
    response={200: None, **READ_ERRORS},
    url_name="student_cv",
    summary="A student's CV (a PDF download)",
    description=(
        "For the student, and for members of an organization the student applied to (an "
        "application to one of its projects exists); a 404 for anyone else."
    ),
)
def get_student_cv(request, profile_id: Id):
    profile = visible_or_404(
        selectors.profile_by_pk(profile_id), request.user, "profiles.view_cv", what="student"
    )
    return cv_response(profile)
