"""The talent pipeline over JSON: the same services and selectors as the pages."""

import datetime

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from practicum.core.api import ErrorOut
from practicum.core.pagination import Pagination
from practicum.core.schemas import Id, InputSchema, MultiLine, SingleLine, Slug
from practicum.talent import selectors, services
from practicum.talent.models import NOTES_MAX
from practicum.workspace import access

router = Router(tags=["talent"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class TalentPersonRef(Schema):
    id: int
    name: str


class TalentOrganizationRef(Schema):
    slug: str
    name: str


class TalentEntryOut(Schema):
    id: int
    student: TalentPersonRef
    profile_url: str | None = Field(description="The student's profile page")
    engagement_id: int | None = Field(description="The completed engagement they were added from")
    project_title: str | None
    notes: str = Field(description="Markdown; private to the organization")
    tags: list[str]
    added_by: TalentPersonRef | None
    added_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_profile_url(obj) -> str | None:
        profile = getattr(obj.student, "student_profile", None)
        return profile.get_absolute_url() if profile is not None else None

    @staticmethod
    def resolve_project_title(obj) -> str | None:
        return obj.engagement.project.title if obj.engagement_id else None


class TalentEntryIn(InputSchema):
    notes: MultiLine = Field("", description=f"Markdown, at most {NOTES_MAX:,} characters")
    tags: list[SingleLine] = Field(
        default_factory=list,
        description=f"At most {services.TAGS_MAX}, each up to {services.TAG_LENGTH_MAX} chars",
    )


class TalentEntryPatchIn(InputSchema):
    notes: MultiLine | None = Field(None, description="Left out: unchanged")
    tags: list[SingleLine] | None = Field(None, description="Left out: unchanged")


class TalentListingOut(Schema):
    organization: TalentOrganizationRef
    added_at: datetime.datetime


class TalentConsentOut(Schema):
    open_to_future_roles: bool = Field(description="Organizations may add you while true")
    listed_by: list[TalentListingOut] = Field(description="Organizations that listed you")


def _consent(student) -> dict:
    profile = getattr(student, "student_profile", None)
    if profile is not None:
        profile.refresh_from_db(fields=["open_to_future_roles"])
    return {
        "open_to_future_roles": profile is not None and profile.open_to_future_roles,
        "listed_by": list(selectors.listings_of_student(student)),
    }


def _student(request):
    # Only students have talent lists to see; to anyone else the page does not exist.
    if not request.user.is_student:
        raise Http404
    return request.user


@router.get(
    "/organizations/{slug}/talent",
    response={200: list[TalentEntryOut], 401: ErrorOut, 404: ErrorOut},
    summary="The organization's private talent list, newest first (its members)",
)
@paginate(Pagination)
def list_entries(request, slug: Slug, tag: SingleLine = ""):
    organization = selectors.organization_for_list(request.user, slug)
    return selectors.with_tag(selectors.entries_of(organization), tag.strip())


@router.post(
    "/engagements/{int:engagement_id}/talent",
    response={201: TalentEntryOut, **ERRORS},
    summary="Add the student of a completed engagement to the talent list (organization's side)",
    description=(
        "409 not_completed, no_consent (the student is not open to future roles) or listed "
        "(already on the list)."
    ),
)
def add_entry(request, engagement_id: Id, payload: TalentEntryIn):
    engagement = access.readable(request.user, engagement_id)
    entry = services.add_to_list(engagement, by=request.user, **payload.model_dump())
    return Status(201, selectors.entry_of(engagement.project.organization, entry.pk))


@router.patch(
    "/organizations/{slug}/talent/{int:entry_id}",
    response={200: TalentEntryOut, **ERRORS},
    summary="Change an entry's notes or tags (the organization's members)",
)
def update_entry(request, slug: Slug, entry_id: Id, payload: TalentEntryPatchIn):
    organization = selectors.organization_for_list(request.user, slug)
    entry = selectors.entry_of(organization, entry_id)
    services.update_entry(entry, by=request.user, **payload.model_dump())
    return selectors.entry_of(organization, entry_id)


@router.delete(
    "/organizations/{slug}/talent/{int:entry_id}",
    response={204: None, **ERRORS},
    summary="Take a student off the list (the organization's members)",
)
def remove_entry(request, slug: Slug, entry_id: Id):
    organization = selectors.organization_for_list(request.user, slug)
    services.remove_entry(selectors.entry_of(organization, entry_id), by=request.user)
    return Status(204, None)


@router.get(
    "/talent/me",
    response={200: TalentConsentOut, 401: ErrorOut, 404: ErrorOut},
    summary="Your consent and the organizations whose talent list you are on (students)",
)
def my_listings(request):
    return _consent(_student(request))


@router.post(
    "/talent/me/withdraw",
    response={200: TalentConsentOut, **ERRORS},
    summary="Withdraw consent: leave every talent list and stop being open to future roles",
)
def withdraw(request):
    student = _student(request)
    services.withdraw_consent(student, by=request.user)
    return _consent(student)
