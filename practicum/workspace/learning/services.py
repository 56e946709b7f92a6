"""Writes for the learning plan: its items (goals, resources, training) and the skills the
organization says the student practised.

Both parties edit the plan; nobody else sees it. Writes need an active engagement.
Each service is one transaction that locks the engagement row first, so two people editing at
once take turns (and the item cap and the one-goal-per-text rule hold).

Goals written into the agreement belong to it: their text changes only by an amendment and they
cannot be removed from the plan, only marked (done, dropped). When the terms in force stop
listing one, sync_goals keeps it, marked "no longer in the agreement".
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from practicum.core.errors import Conflict, ServiceError
from practicum.core.idempotency import idempotent
from practicum.engagements.events import record
from practicum.engagements.models import Engagement, EngagementEvent, Side
from practicum.skills.models import Skill
from practicum.workspace import access
from practicum.workspace.learning.models import LEARNING_STATES, LearningItem, PractisedSkill

Kind = LearningItem.Kind
Status = LearningItem.Status
TITLE_MAX = 500  # the agreement's own limit for one learning goal (engagements.terms.ITEM_MAX)
URL_MAX = 500
NOTES_MAX = 2_000
NOTE_MAX = 500
ITEMS_MAX = 100  # per plan: a plan longer than this is no longer a plan


def _clean_goals(terms) -> list[str]:
    goals = (terms or {}).get("learning_goals") or []
    cleaned = []
    for goal in goals:
        text = " ".join(str(goal).split())[:TITLE_MAX]
        if text and text not in cleaned:
            cleaned.append(text)
    return cleaned


def sync_goals(engagement: Engagement, terms: dict) -> None:
    """Make the terms' learning goals part of the plan. Idempotent: a goal already in the plan
    (same text) is not added twice; a goal the parties had added themselves with the same text
    becomes the agreement's. Goals of the agreement that the terms no longer list stay, marked
    as no longer in the agreement; listed again, they are back in it.

    Called by workspace.handlers inside the agreement's transaction, which holds the engagement's
    row lock, so it neither checks permissions nor locks again."""
    goals = _clean_goals(terms)
    goals_in_plan = LearningItem.objects.filter(engagement=engagement, kind=Kind.GOAL)
    existing = {item.title: item for item in goals_in_plan}
    now = timezone.now()
    for text in goals:
        item = existing.get(text)
        if item is None:
            LearningItem.objects.create(
                engagement=engagement,
                kind=Kind.GOAL,
                title=text,
                from_agreement=True,
                in_agreement=True,
                created_at=now,
                updated_at=now,
            )
        elif not (item.from_agreement and item.in_agreement):
            item.from_agreement = item.in_agreement = True
            item.updated_at = now
            item.save(update_fields=["from_agreement", "in_agreement", "updated_at"])
    LearningItem.objects.filter(
        engagement=engagement, kind=Kind.GOAL, from_agreement=True, in_agreement=True
    ).exclude(title__in=goals).update(in_agreement=False, updated_at=now)


def _writable(engagement: Engagement, by, *, side: str | None = None) -> Engagement:
    """The engagement, locked: 403 for readers who may not write (or for the wrong side when
    `side` is given), 409 unless the engagement is active."""
    if side is None:
        access.require_party(by, engagement)
    else:
        access.require_side(by, engagement, side)
    engagement = Engagement.objects.select_for_update(of=("self",)).get(pk=engagement.pk)
    access.require_state(engagement)
    return engagement


def _item(engagement: Engagement, item_id) -> LearningItem:
    item = LearningItem.objects.filter(engagement=engagement, pk=item_id).first()
    if item is None:
        raise ServiceError("no_such_item", "This learning plan has no such item.", status=404)
    return item


def _text(errors: dict, name: str, value, *, limit: int, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = ["Enter text."]
        return ""
    value = value.replace("\r\n", "\n").strip()
    if name == "title":
        value = " ".join(value.split())
    if required and not value:
        errors[name] = ["This field is required."]
    elif len(value) > limit:
        errors[name] = [f"At most {limit:,} characters."]
    return value


def _url(errors: dict, value, *, required: bool) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        errors["url"] = ["Enter a web address."]
        return ""
    if not value:
        if required:
            errors["url"] = ["A resource needs a link."]
        return ""
    if len(value) > URL_MAX:
        errors["url"] = [f"At most {URL_MAX} characters."]
        return value
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        errors["url"] = ["Enter a web address starting with https:// or http://."]
    return value


def _status(errors: dict, value) -> str:
    if value not in Status.values:
        errors["status"] = [f"Choose one of: {', '.join(Status.values)}."]
    return value


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


@idempotent("learning.add_item")
@transaction.atomic
def add_item(
    engagement: Engagement,
    *,
    by,
    kind: str,
    title: str,
    url: str = "",
    notes: str = "",
    status: str = Status.PLANNED,
) -> LearningItem:
    """Either party adds a goal, a resource (a link is required) or a training item (link
    optional). A goal's text appears once in the plan; at most ITEMS_MAX items."""
    engagement = _writable(engagement, by)
    errors: dict = {}
    if kind not in Kind.values:
        errors["kind"] = [f"Choose one of: {', '.join(Kind.values)}."]
    title = _text(errors, "title", title, limit=TITLE_MAX, required=True)
    url = _url(errors, url, required=kind == Kind.RESOURCE)
    notes = _text(errors, "notes", notes, limit=NOTES_MAX, required=False)
    status = _status(errors, status)
    if kind == Kind.GOAL and "title" not in errors and _goal_exists(engagement, title):
        errors["title"] = ["This goal is already in the plan."]
    _raise(errors)
    if LearningItem.objects.filter(engagement=engagement).count() >= ITEMS_MAX:
        raise Conflict(
            "plan_full", f"A learning plan holds at most {ITEMS_MAX} items; remove one first."
        )
    return LearningItem.objects.create(
        engagement=engagement,
        kind=kind,
        title=title,
        url=url,
        notes=notes,
        status=status,
        created_by=by,
    )


def _goal_exists(engagement, title, *, other_than=None) -> bool:
    goals = LearningItem.objects.filter(engagement=engagement, kind=Kind.GOAL, title=title)
    if other_than is not None:
        goals = goals.exclude(pk=other_than.pk)
    return goals.exists()


_UNSET = object()


@transaction.atomic
def edit_item(
    engagement: Engagement,
    item_id: int,
    *,
    by,
    title=_UNSET,
    url=_UNSET,
    notes=_UNSET,
    status=_UNSET,
) -> LearningItem:
    """Either party changes an item; only the fields given change. The text of a goal from the
    agreement is the agreement's: it changes through an amendment, not here."""
    engagement = _writable(engagement, by)
    item = _item(engagement, item_id)
    errors: dict = {}
    changed = []
    if title is not _UNSET:
        title = _text(errors, "title", title, limit=TITLE_MAX, required=True)
        if title != item.title:
            if item.from_agreement:
                errors["title"] = [
                    "This goal's text is the agreement's; change it by proposing an amendment."
                ]
            elif item.kind == Kind.GOAL and _goal_exists(engagement, title, other_than=item):
                errors["title"] = ["This goal is already in the plan."]
            item.title = title
            changed.append("title")
    if url is not _UNSET:
        item.url = _url(errors, url, required=item.kind == Kind.RESOURCE)
        changed.append("url")
    if notes is not _UNSET:
        item.notes = _text(errors, "notes", notes, limit=NOTES_MAX, required=False)
        changed.append("notes")
    if status is not _UNSET:
        status = _status(errors, status)
    _raise(errors)
    now = timezone.now()
    if status is not _UNSET and status != item.status:
        fields = {name: getattr(item, name) for name in changed}
        LEARNING_STATES.move(item, status, **fields, updated_at=now)
    elif changed:
        item.updated_at = now
        item.save(update_fields=[*changed, "updated_at"])
    return item


def set_status(engagement: Engagement, item_id: int, *, by, status: str) -> LearningItem:
    """Either party moves an item along: planned, in progress, done, or dropped."""
    return edit_item(engagement, item_id, by=by, status=status)


@transaction.atomic
def remove_item(engagement: Engagement, item_id: int, *, by) -> None:
    """Either party removes an item they no longer want, except a goal from the agreement (409
    agreement_goal): mark it done or dropped instead, so the plan keeps what was agreed."""
    engagement = _writable(engagement, by)
    item = _item(engagement, item_id)
    if item.from_agreement:
        raise Conflict(
            "agreement_goal",
            "This goal comes from the agreement and stays in the plan; mark it done or dropped "
            "instead.",
        )
    item.delete()


@transaction.atomic
def record_practised_skill(
    engagement: Engagement, *, by, skill_id, note: str = ""
) -> tuple[PractisedSkill, bool]:
    """The organization's side (the mentor or an owner) records a skill of the taxonomy the
    student practised, with an optional note: one row per skill. Recording it again changes
    the note. The first time is an event (skill_practised) the reviews and the timeline use.
    Returns the row and whether it is new."""
    engagement = _writable(engagement, by, side=Side.ORGANIZATION)
    errors: dict = {}
    note = _text(errors, "note", note, limit=NOTE_MAX, required=False)
    skill = None
    if isinstance(skill_id, int) and not isinstance(skill_id, bool):
        skill = Skill.objects.filter(pk=skill_id).first()
    if skill is None:
        errors["skill"] = ["Choose a skill from the list."]
    _raise(errors)
    practised = PractisedSkill.objects.filter(engagement=engagement, skill=skill).first()
    if practised is not None:
        if practised.note != note:
            practised.note = note
            practised.save(update_fields=["note"])
        return practised, False
    practised = PractisedSkill.objects.create(
        engagement=engagement, skill=skill, note=note, recorded_by=by
    )
    record(
        engagement,
        EngagementEvent.Kind.SKILL_PRACTISED,
        by,
        side=Side.ORGANIZATION,
        skill=skill.pk,
        name=skill.name,
    )
    return practised, True


@transaction.atomic
def remove_practised_skill(engagement: Engagement, skill_id: int, *, by) -> None:
    """The organization's side takes a skill back off the list (recorded by mistake). The
    event stays: the log is never rewritten."""
    engagement = _writable(engagement, by, side=Side.ORGANIZATION)
    deleted, _ = PractisedSkill.objects.filter(engagement=engagement, skill_id=skill_id).delete()
    if not deleted:
        raise ServiceError(
            "no_such_skill", "This skill is not recorded as practised here.", status=404
        )
