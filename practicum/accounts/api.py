from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from practicum.accounts import selectors, services
from practicum.accounts.models import Invitation, Organization
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
