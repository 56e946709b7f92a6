"""The learning plan over JSON: the same services, selectors and access rules as the page."""

import datetime

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema, Status

from practicum.core import idempotency
from practicum.core.api import ErrorOut
from practicum.core.schemas import Id, InputSchema, MultiLine, SingleLine
from practicum.engagements.api import PersonRef
from practicum.engagements.events import side_of
from practicum.engagements.models import Side
from practicum.workspace import access
from practicum.workspace.learning import selectors, services
from practicum.workspace.learning.models import LearningItem

router = Router(tags=["learning"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
KINDS = ", ".join(LearningItem.Kind.values)
STATUSES = ", ".join(LearningItem.Status.values)


class LearningItemOut(Schema):
    id: int
    kind: str = Field(description=KINDS)
    title: str
    url: str = Field(description="A link (http or https); required for resources")
    notes: str = Field(description="Markdown")
    status: str = Field(description=STATUSES)
    status_label: str
    from_agreement: bool = Field(description="A goal written in the agreement: not removable")
    in_agreement: bool = Field(
        description="False for a goal of the agreement that the terms in force no longer list"
    )
    created_by: PersonRef | None
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class LearningSkillRef(Schema):
    id: int
    name: str
    slug: str


class LearningPractisedSkillOut(Schema):
    skill: LearningSkillRef
    note: str
    recorded_by: PersonRef | None
    recorded_at: datetime.datetime


class LearningPlanOut(Schema):
    items: list[LearningItemOut] = Field(description="Goals, then resources, then training")
    practised_skills: list[LearningPractisedSkillOut]
    can_edit: bool = Field(description="The viewer may change the plan now")
    can_record_skills: bool = Field(description="The viewer may record practised skills now")


class LearningItemIn(InputSchema):
    kind: LearningItem.Kind
    title: SingleLine
    url: SingleLine = ""
    notes: MultiLine = ""
    status: LearningItem.Status = LearningItem.Status.PLANNED


class LearningItemPatch(InputSchema):
    """Only the fields sent change."""

    title: SingleLine | None = None
    url: SingleLine | None = None
    notes: MultiLine | None = None
    status: LearningItem.Status | None = None


class LearningPractisedSkillIn(InputSchema):
    skill_id: int = Field(description="A skill of the taxonomy (GET /skills)")
    note: MultiLine = ""


@router.get(
    "/engagements/{int:engagement_id}/learning",
    response={200: LearningPlanOut, 401: ErrorOut, 404: ErrorOut},
    summary="The learning plan: goals, resources, training and the skills practised",
)
def get_plan(request, engagement_id: Id):
    engagement = access.readable(request.user, engagement_id)
    can_edit = access.can_act(request.user, engagement) and engagement.state in access.WORKING
    return {
        "items": selectors.plan_of(engagement).items,
        "practised_skills": selectors.practised_skills(engagement),
        "can_edit": can_edit,
        "can_record_skills": can_edit and side_of(request.user, engagement) == Side.ORGANIZATION,
    }


@router.post(
    "/engagements/{int:engagement_id}/learning/items",
    response={201: LearningItemOut, **ERRORS},
    summary="Add a goal, resource or training item (either party, while active)",
    openapi_extra=idempotency.OPENAPI,
    description=(
        "Resources need a url (http or https). 422 when a goal with the same text is in the "
        "plan; 409 plan_full past the plan's limit, engagement_not_active unless active."
    ),
)
def add_item(request, engagement_id: Id, payload: LearningItemIn):
    engagement = access.readable(request.user, engagement_id)
    item = services.add_item(
        engagement,
        by=request.user,
        idempotency_key=idempotency.key_of(request),
        **payload.model_dump(),
    )
    return Status(201, selectors.item_of(engagement, item.pk))


@router.patch(
    "/engagements/{int:engagement_id}/learning/items/{int:item_id}",
    response={200: LearningItemOut, **ERRORS},
    summary="Change an item, or only its status (either party, while active)",
    description=(
        'Send only what changes, e.g. {"status": "done"}. A goal from the agreement keeps '
        "its text (422; change it by an amendment)."
    ),
)
def edit_item(request, engagement_id: Id, item_id: Id, payload: LearningItemPatch):
    engagement = access.readable(request.user, engagement_id)
    changes = payload.model_dump(exclude_unset=True)
    nulls = [name for name, value in changes.items() if value is None]
    if nulls:
        raise ValidationError({name: ["May not be null."] for name in nulls})
    services.edit_item(engagement, item_id, by=request.user, **changes)
    return selectors.item_of(engagement, item_id)


@router.delete(
    "/engagements/{int:engagement_id}/learning/items/{int:item_id}",
    response={204: None, **ERRORS},
    summary="Remove an item (either party, while active)",
    description="409 agreement_goal for a goal of the agreement: mark it done or dropped.",
)
def remove_item(request, engagement_id: Id, item_id: Id):
    engagement = access.readable(request.user, engagement_id)
    services.remove_item(engagement, item_id, by=request.user)
    return Status(204, None)


@router.post(
    "/engagements/{int:engagement_id}/learning/skills",
    response={200: LearningPractisedSkillOut, 201: LearningPractisedSkillOut, **ERRORS},
    summary="Record a skill the student practised (the organization's side, while active)",
    description="201 when new; 200 when it was recorded already (its note is replaced).",
)
def record_skill(request, engagement_id: Id, payload: LearningPractisedSkillIn):
    engagement = access.readable(request.user, engagement_id)
    practised, created = services.record_practised_skill(
        engagement, by=request.user, skill_id=payload.skill_id, note=payload.note
    )
    return Status(201 if created else 200, practised)


@router.delete(
    "/engagements/{int:engagement_id}/learning/skills/{int:skill_id}",
    response={204: None, **ERRORS},
    summary="Take a skill off the practised list (the organization's side, while active)",
)
def remove_skill(request, engagement_id: Id, skill_id: Id):
    engagement = access.readable(request.user, engagement_id)
    services.remove_practised_skill(engagement, skill_id, by=request.user)
    return Status(204, None)
