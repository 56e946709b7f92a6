from django import template

from practicum.engagements.notices import DECLINED_BECAUSE, WITHDRAWN_BECAUSE

register = template.Library()


@register.filter
def withdrawn_because(reason: str) -> str:
    """Why Practicum took an offer back, in words ("" for a student's own withdrawal)."""
    return WITHDRAWN_BECAUSE.get(reason, "")


@register.filter
def declined_because(reason: str) -> str:
    """Why Practicum declined an application nobody had decided on, in words."""
    return DECLINED_BECAUSE.get(reason, "")
