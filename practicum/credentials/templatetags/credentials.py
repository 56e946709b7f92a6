"""Credentials on pages of apps below this one, which know nothing of credentials: the
completion page (`{% credential_panel %}`) and the student's dashboard (`{% credentials_panel
user %}`)."""

from django import template

from practicum.credentials import documents, selectors

register = template.Library()
DASHBOARD_COUNT = 3


@register.inclusion_tag("credentials/_completion_panel.html", takes_context=True)
def credential_panel(context):
    """Needs `engagement` and `side` from the completion page. One query."""
    engagement = context["engagement"]
    return {
        "engagement": engagement,
        "side": context["side"],
        "credential": selectors.current_credential(engagement),
    }


@register.inclusion_tag("credentials/_dashboard_panel.html")
def credentials_panel(student):
    """The student's newest credentials. One query."""
    latest = selectors.credentials_of(student)[:DASHBOARD_COUNT]
    return {"credentials": [(c, documents.shown(c.document)) for c in latest]}
