"""The talent list's section of a completed engagement's completion page. The completion app
renders `{% talent_panel %}` and knows nothing of talent lists (talent sits above it)."""

from django import template

from practicum.engagements.models import Side
from practicum.talent import selectors
from practicum.talent.forms import TalentEntryForm

register = template.Library()


@register.inclusion_tag("talent/_completion_panel.html", takes_context=True)
def talent_panel(context):
    """Needs `engagement`, `side` and `open_to_future_roles` from the page; a bound
    `talent_form` (with errors) replaces the blank one."""
    engagement = context["engagement"]
    panel = {
        "engagement": engagement,
        "side": context["side"],
        "open_to_future_roles": context["open_to_future_roles"],
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
    if context["side"] == Side.ORGANIZATION:
        panel["talent_entry"] = selectors.entry_for_engagement(engagement)
        if panel["talent_entry"] is None and context["open_to_future_roles"]:
            panel["talent_form"] = context.get("talent_form") or TalentEntryForm(prefix="talent")
    return panel
