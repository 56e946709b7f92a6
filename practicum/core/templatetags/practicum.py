from django import template
from django.utils.safestring import mark_safe

from practicum.core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    # render_markdown sanitizes with nh3, so its output is safe to mark.
    return mark_safe(render_markdown(text))
