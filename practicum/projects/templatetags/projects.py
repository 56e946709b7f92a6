"""Project lists that pages of lower apps show (the organization's public page lives in
accounts, which cannot import projects)."""

from django import template

from practicum.projects import selectors

register = template.Library()

# The organization page shows the soonest deadlines; discovery lists them all, page by page.
OPEN_PROJECTS_SHOWN = 10


@register.inclusion_tag("projects/_open_projects.html")
def open_projects_of(organization):
    projects = list(selectors.open_projects_of(organization)[: OPEN_PROJECTS_SHOWN + 1])
    return {
        "organization": organization,
        "open_projects": projects[:OPEN_PROJECTS_SHOWN],
        "more": len(projects) > OPEN_PROJECTS_SHOWN,
    }
