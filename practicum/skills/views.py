from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from practicum.skills import selectors

AUTOCOMPLETE_LIMIT = 10


@require_GET
def autocomplete(request):
    """Suggestions for a skill picker (HTMX): `<li role="option">` items for the picker's
    `<ul role="listbox">`, a "no match" item, or nothing at all for an empty query. Public."""
    query = selectors.clean_query(request.GET.get("q"))
    category = request.GET.get("category") or None
    skills = []
    if query:
        skills = selectors.search_skills(query, category=category, limit=AUTOCOMPLETE_LIMIT)
    # Rendered without the request on purpose: the context processors (navigation) would cost
    # queries on every keystroke for a fragment that never shows them.
    html = render_to_string("skills/_suggestions.html", {"query": query, "skills": skills})
    return HttpResponse(html)
