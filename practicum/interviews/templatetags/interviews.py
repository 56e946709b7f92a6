"""The interview section of an application's page. The engagements app renders
`{% interview_panel application %}` and knows nothing of interviews (they sit above it)."""

from django import template

from practicum.interviews import selectors

register = template.Library()


@register.inclusion_tag("interviews/_panel.html", takes_context=True)
def interview_panel(context, application):
    """The latest interview (with its picked time) and the link to the interviews page: one
    query. Needs `is_student` from the page."""
    return {
        "application": application,
        "is_student": context.get("is_student"),
        "interview": selectors.latest_interview(application),
    }
