from django import template

from practicum.engagements.notices import WITHDRAWN_BECAUSE

register = template.Library()


@register.filter
def withdrawn_because(reason: str) -> str:
    """Why Practicum took an offer back, in words ("" for a student's own withdrawal)."""
    return WITHDRAWN_BECAUSE.get(reason, "")
