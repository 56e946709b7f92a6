"""The learning plan page and its forms. Thin: access from workspace.access, rules in services,
reads in selectors. Invalid input shows the page again (422) with what was typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from practicum.core import idempotency
from practicum.core.errors import ServiceError, is_refusal
from practicum.core.forms import apply_errors
from practicum.core.loading import visible_or_404
from practicum.engagements.events import side_of
from practicum.engagements.models import Side
from practicum.skills import selectors as skill_selectors
from practicum.workspace import access
from practicum.workspace.learning import selectors, services
from practicum.workspace.learning.forms import ItemForm, PractisedSkillForm, StatusForm
from practicum.workspace.learning.models import LearningItem

Kind = LearningItem.Kind
SKILL_SEARCH_LIMIT = 10
_SECTIONS = [
    (Kind.GOAL, "Goals", "goals", "No goals yet."),
    (Kind.RESOURCE, "Resources", "resources", "No resources yet."),
    (Kind.TRAINING, "Training", "training", "No training planned yet."),
]


def _may_write(request, engagement) -> str:
    """The side the user acts for, or 403 for anyone who is no party."""
    return access.require_party(request.user, engagement)


def _render_plan(request, engagement, *, status=200, add_forms=None, skill_form=None):
    can_act = access.can_act(request.user, engagement)
    active = engagement.state in access.WORKING
    side = side_of(request.user, engagement) if can_act else ""
    can_record = can_act and active and side == Side.ORGANIZATION
    plan = selectors.plan_of(engagement)
    add_forms = add_forms or {}
    context = {
        "engagement": engagement,
        "plan": plan,
        "can_edit": can_act and active,
        "can_record": can_record,
        "status_choices": LearningItem.Status.choices,
        "sections": [
            {
                "kind": kind,
                "heading": heading,
                "items": getattr(plan, attr),
                "empty": empty,
                "form": add_forms.get(kind) or ItemForm(kind=kind, prefix=kind),
            }
            for kind, heading, attr, empty in _SECTIONS
        ],
        "practised": selectors.practised_skills(engagement),
    }
    if can_record:
        query = skill_selectors.clean_query(request.GET.get("q"))
        found = skill_selectors.search_skills(query, limit=SKILL_SEARCH_LIMIT) if query else []
        skill_form = skill_form or PractisedSkillForm()
        skill_form.offer(
            selectors.skill_choices(engagement, found=found, chosen_id=skill_form.chosen_id)
        )
        context |= {"skill_query": query, "skills_found": found, "skill_form": skill_form}
    return render(request, "learning/plan.html", context, status=status)


@login_required
@require_GET
def plan(request, pk):
    return _render_plan(request, access.readable(request.user, pk))


def _back(engagement, anchor=""):
    return redirect(reverse("learning:plan", args=[engagement.pk]) + anchor)


@login_required
@require_POST
def add_item(request, pk):
    engagement = access.readable(request.user, pk)
    _may_write(request, engagement)
    kind = request.POST.get("kind", "")
    if kind not in Kind.values:
        messages.error(request, "Choose what to add: a goal, a resource or a training item.")
        return _render_plan(request, engagement, status=422)
    form = ItemForm(request.POST, kind=kind, prefix=kind)
    if not form.is_valid():
        return _render_plan(request, engagement, status=422, add_forms={kind: form})
    try:
        item = services.add_item(
            engagement,
            by=request.user,
            kind=kind,
            title=form.cleaned_data["title"],
            url=form.cleaned_data.get("url", ""),
            notes=form.cleaned_data["notes"],
            idempotency_key=idempotency.key_of(request),
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return _render_plan(request, engagement, status=422, add_forms={kind: form})
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _back(engagement)
    messages.success(request, f"Added to the plan: “{item.title}”.")
    return _back(engagement, f"#item-{item.pk}")


def _item(engagement, item_id) -> LearningItem:
    return visible_or_404(selectors.item_of(engagement, item_id), what="item")


@login_required
@require_http_methods(["GET", "POST"])
def edit_item(request, pk, item_id):
    engagement = access.readable(request.user, pk)
    _may_write(request, engagement)
    item = _item(engagement, item_id)
    form = ItemForm(request.POST if request.method == "POST" else None, kind=item.kind, item=item)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            changes = {
                name: value
                for name, value in form.cleaned_data.items()
                if not form.fields[name].disabled
            }
            try:
                services.edit_item(engagement, item.pk, by=request.user, **changes)
            except ValidationError as exc:
                apply_errors(form, exc)
            except ServiceError as exc:
                if is_refusal(exc):
                    raise
                messages.error(request, exc.message)
                return _back(engagement)
            else:
                messages.success(request, "Saved.")
                return _back(engagement, f"#item-{item.pk}")
        status = 422
    return render(
        request,
        "learning/edit_item.html",
        {"engagement": engagement, "item": item, "form": form},
        status=status,
    )


@login_required
@require_POST
def item_status(request, pk, item_id):
    """The status select of an item. With HTMX only the item is sent back; when the change is
    refused, HTMX reloads the page, which says why."""
    engagement = access.readable(request.user, pk)
    _may_write(request, engagement)
    item = _item(engagement, item_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a status from the list.")
        if request.htmx:
            return HttpResponseClientRedirect(reverse("learning:plan", args=[engagement.pk]))
        return _render_plan(request, engagement, status=422)
    try:
        item = services.set_status(
            engagement, item.pk, by=request.user, status=form.cleaned_data["status"]
        )
    except ServiceError as exc:
        if is_refusal(exc):
            raise
        messages.error(request, exc.message)
        if request.htmx:
            return HttpResponseClientRedirect(reverse("learning:plan", args=[engagement.pk]))
        return _back(engagement)
    if request.htmx:
        return render(
            request,
            "learning/_item.html",
            {
                "engagement": engagement,
                "item": item,
                "can_edit": True,
                "status_choices": LearningItem.Status.choices,
                "saved": True,
            },
        )
    messages.success(request, f"“{item.title}”: {item.get_status_display().lower()}.")
    return _back(engagement, f"#item-{item.pk}")


@login_required
@require_POST
def remove_item(request, pk, item_id):
    engagement = access.readable(request.user, pk)
    _may_write(request, engagement)
    item = _item(engagement, item_id)
    try:
        services.remove_item(engagement, item.pk, by=request.user)
    except ServiceError as exc:
        if is_refusal(exc):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Removed from the plan: “{item.title}”.")
    return _back(engagement)


@login_required
@require_POST
def record_skill(request, pk):
    """The organization's side records a skill the student practised (or changes its note)."""
    engagement = access.readable(request.user, pk)
    if _may_write(request, engagement) != Side.ORGANIZATION:
        raise PermissionDenied("Only the organization's side records practised skills.")
    form = PractisedSkillForm(request.POST)
    if not form.is_valid():
        return _render_plan(request, engagement, status=422, skill_form=form)
    try:
        practised, created = services.record_practised_skill(
            engagement,
            by=request.user,
            skill_id=form.cleaned_data["skill"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return _render_plan(request, engagement, status=422, skill_form=form)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _back(engagement)
    name = practised.skill.name
    messages.success(
        request,
        f"Recorded: {engagement.student.name} practised {name}."
        if created
        else f"The note on {name} is saved.",
    )
    return _back(engagement, "#practised-skills")


@login_required
@require_POST
def remove_skill(request, pk, skill_id):
    engagement = access.readable(request.user, pk)
    if _may_write(request, engagement) != Side.ORGANIZATION:
        raise PermissionDenied("Only the organization's side records practised skills.")
    try:
        services.remove_practised_skill(engagement, skill_id, by=request.user)
    except ServiceError as exc:
        if is_refusal(exc):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, "The skill is off the list.")
    return _back(engagement, "#practised-skills")
