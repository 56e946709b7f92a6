from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from practicum.accounts import selectors, services
from practicum.accounts.models import ApiToken, Invitation, Organization
from practicum.core import images
from practicum.core.api import ErrorOut
from practicum.core.pagination import Pagination
from practicum.core.schemas import Id, InputSchema, MultiLine, SingleLine, Slug

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    organization: str = Field(alias="organization.slug")
    organization_name: str = Field(alias="organization.name")
    role: str


class MeOut(Schema):
    id: int
    email: str
    name: str
    account_type: str
    timezone: str
    organizations: list[MembershipOut]
    institutions: list[str]


class OrganizationOut(Schema):
    slug: str
    name: str
    about: str
    website: str
    size: str
    industry: str
    location: str
    is_verified: bool
    logo_url: str | None = Field(description="Public; changes with each new logo")
    verification_requested_at: datetime | None = Field(
        description="When an owner asked to be verified, while the request waits"
    )

    @staticmethod
    def resolve_logo_url(obj) -> str | None:
        return obj.logo_url or None


class OrganizationPatch(InputSchema):
    name: SingleLine | None = None
    about: MultiLine | None = None
    website: SingleLine | None = None
    size: SingleLine | None = None
    industry: SingleLine | None = None
    location: SingleLine | None = None


class MemberOut(Schema):
    id: int
    name: str = Field(alias="user.name")
    email: str = Field(alias="user.email")
    role: str
    created_at: datetime


class InvitationIn(InputSchema):
    email: SingleLine


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    status: str
    created_at: datetime
    expires_at: datetime


@router.get("/me", response=MeOut, summary="The authenticated user")
def me(request):
    user = request.user
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "account_type": user.account_type,
        "timezone": user.timezone,
        "organizations": list(user.memberships.select_related("organization")),
        "institutions": [
            s.institution.slug for s in user.staff_roles.select_related("institution")
        ],
    }


@router.get("/organizations/{slug}", response=OrganizationOut, summary="An organization's profile")
def organization(request, slug: Slug):
    return get_object_or_404(Organization, slug=slug)


@router.patch("/organizations/{slug}", response=OrganizationOut, summary="Edit (owners only)")
def update_organization(request, slug: Slug, payload: OrganizationPatch):
    org = get_object_or_404(Organization, slug=slug)
    return services.update_organization(org, by=request.user, **payload.dict(exclude_unset=True))


LOGO_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post(
    "/organizations/{slug}/logo",
    response={200: OrganizationOut, **LOGO_ERRORS},
    summary="Upload or replace the logo (owners; multipart, field `file`)",
    description=(
        f"{images.API_RULES}; stored redrawn without its metadata ({images.API_REFUSALS}). "
        "The logo is public."
    ),
)
def upload_logo(request, slug: Slug, file: File[UploadedFile]):
    org = get_object_or_404(Organization, slug=slug)
    return services.set_logo(org, by=request.user, upload=file)


@router.delete(
    "/organizations/{slug}/logo",
    response={204: None, **LOGO_ERRORS},
    summary="Remove the logo (owners)",
)
def remove_logo(request, slug: Slug):
    services.remove_logo(get_object_or_404(Organization, slug=slug), by=request.user)
    return Status(204, None)


@router.post(
    "/organizations/{slug}/verification-request",
    response={200: OrganizationOut, **LOGO_ERRORS},
    summary="Ask platform admins to verify the organization (owners)",
    description="Asking again while a request waits changes nothing; 409 already_verified.",
)
def request_verification(request, slug: Slug):
    org = get_object_or_404(Organization, slug=slug)
    return services.request_verification(org, by=request.user)


def _owned(request, slug: Slug) -> Organization:
    org = get_object_or_404(Organization, slug=slug)
    if not request.user.has_perm("accounts.manage_members", org):
        raise PermissionDenied("Only the organization's owners can manage members.")
    return org


@router.get("/organizations/{slug}/members", response=list[MemberOut], summary="Members (owners)")
@paginate(Pagination)
def members(request, slug: Slug):
    return list(selectors.members_of(_owned(request, slug)))


@router.get(
    "/organizations/{slug}/invitations",
    response=list[InvitationOut],
    summary="Pending invitations (owners)",
)
@paginate(Pagination)
def invitations(request, slug: Slug):
    return list(selectors.pending_invitations(organization=_owned(request, slug)))


@router.post(
    "/organizations/{slug}/invitations",
    response={201: InvitationOut},
    summary="Invite a mentor by email (owners)",
)
def invite(request, slug: Slug, payload: InvitationIn):
    invitation, _ = services.create_invitation(
        by=request.user, email=payload.email, organization=_owned(request, slug)
    )
    return Status(201, invitation)


@router.delete(
    "/organizations/{slug}/invitations/{invitation_id}",
    response={204: None},
    summary="Revoke a pending invitation (owners)",
)
def revoke_invitation(request, slug: Slug, invitation_id: Id):
    org = _owned(request, slug)
    services.revoke_invitation(
        get_object_or_404(Invitation, pk=invitation_id, organization=org), by=request.user
    )
    return Status(204, None)


class ApiTokenOut(Schema):
    id: int
    name: str
    hint: str = Field(description="The token's first characters, to tell tokens apart")
    scope: str = Field(description="read, or write (read and write)")
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None = Field(description="Updated at most once a minute")


class NewApiTokenOut(ApiTokenOut):
    token: str = Field(description="The token itself: shown this once, never again")


class ApiTokenIn(InputSchema):
    name: SingleLine = Field(description="What will use it, at most 100 characters")
    scope: str = Field(ApiToken.Scope.READ, description="read (the default) or write")
    expires_in_days: int = Field(
        ApiToken.DEFAULT_DAYS,
        description=f"1 to {ApiToken.MAX_DAYS}; {ApiToken.DEFAULT_DAYS} unless chosen",
    )


TOKEN_ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


@router.get(
    "/me/tokens",
    response=list[ApiTokenOut],
    summary="Your working API tokens",
    description="Neither revoked nor expired, newest first. A password change revokes them all.",
)
@paginate(Pagination)
def list_tokens(request):
    return selectors.working_tokens(request.user)


@router.post(
    "/me/tokens",
    response={201: NewApiTokenOut, **TOKEN_ERRORS},
    summary="Create an API token (shown once)",
    description="A read-only token (403 token_scope) cannot create tokens.",
)
def create_token(request, payload: ApiTokenIn):
    token, raw = services.create_api_token(request.user, **payload.model_dump())
    token.token = raw
    return Status(201, token)


@router.delete(
    "/me/tokens/{int:token_id}",
    response={204: None, **TOKEN_ERRORS, 404: ErrorOut},
    summary="Revoke one of your API tokens",
)
def revoke_token(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.revoke_api_token(token, by=request.user)
    return Status(204, None)
