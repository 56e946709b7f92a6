import datetime
import uuid

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from heroicons.templatetags.heroicons import heroicon_outline

from practicum.core import idempotency
from practicum.core.markdown import render_markdown
from practicum.core.status import tone_of

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    # render_markdown sanitizes with nh3, so its output is safe to mark.
    return mark_safe(render_markdown(text))


@register.simple_tag
def pill(state, label, extra=""):
    """A status pill: `{% pill project.status project.get_status_display %}`. The tone comes
    from the state's code (core/status.py), so a state looks the same on every page."""
    classes = f"badge tone-{tone_of(state)} status-{state}"
    if extra:
        classes += f" {extra}"
    return format_html('<span class="{}" data-state="{}">{}</span>', classes, state, label)


@register.simple_tag
def form_token():
    """A create form's token: a fresh UUID per form shown, so sending that form twice (a double
    click, a retry) makes one record. See practicum.core.idempotency."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', idempotency.FORM_FIELD, uuid.uuid4()
    )


@register.filter
def initials(user) -> str:
    """Up to two letters for the avatar: first and last name, else the email's first letter."""
    words = (getattr(user, "name", "") or "").split()
    if words:
        letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    else:
        letters = (getattr(user, "email", "") or "?")[0]
    return letters.upper()


@register.filter
def excerpt(text: str, words: int = 40) -> str:
    """The first words of a plain text, for lists (the full text is one click away)."""
    parts = (text or "").split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]) + "…"


@register.filter
def tone(state) -> str:
    """The pill tone of a state, for badges whose label is composed in the template."""
    return tone_of(state)


@register.simple_tag(takes_context=True)
def nav_link(context, href, label, icon):
    """A link of the main navigation, marked as the current page when it is."""
    request = context.get("request")
    current = request is not None and request.path == href
    return format_html(
        '<a href="{}"{}>{}<span>{}</span></a>',
        href,
        mark_safe(' aria-current="page"') if current else "",
        heroicon_outline(icon, size=20, **{"class": "icon"}),
        label,
    )


@register.filter
def human_date(value) -> str:
    """A date as people read it, "Mon 3 Feb 2027"; accepts dates and ISO strings (agreement
    terms keep their dates as ISO text)."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime.date):
        return value
    return date_format(value, "D j M Y")
