from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from practicum.alerts import selectors, services
from practicum.alerts.forms import FrequencyForm, SavedSearchForm
from practicum.core import idempotency
from practicum.core.errors import ServiceError
from practicum.core.forms import apply_errors


def _student(request) -> None:
    if not request.user.has_perm("alerts.save_search"):
        raise PermissionDenied("Only students can save searches.")


def _list_page(request, form=None, *, status=200):
    page = Paginator(selectors.searches_of(request.user), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for search in page:
        search.frequency_form = FrequencyForm(
            initial={"frequency": search.frequency}, prefix=f"s{search.pk}"
        )
    return render(
        request,
        "alerts/list.html",
        {"page": page, "form": form, "max_searches": services.MAX_SEARCHES},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def searches(request):
    """The student's saved searches; a POST saves one (the discovery page's "Save this
    search" form sends its query string along)."""
    _student(request)
    if request.method == "GET":
        return _list_page(request)
    form = SavedSearchForm(request.POST)
    if form.is_valid():
        try:
            search = services.save_search(
                request.user,
                by=request.user,
                idempotency_key=idempotency.key_of(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Saved “{search.name}”.")
            return redirect("alerts:list")
    return _list_page(request, form, status=422)


@login_required
@require_POST
def change_frequency(request, pk):
    search = selectors.visible_search(request.user, pk)
    form = FrequencyForm(request.POST, prefix=f"s{search.pk}")
    if not form.is_valid():
        messages.error(request, "Choose how often to hear about new projects.")
        return redirect("alerts:list")
    services.update_search(search, by=request.user, frequency=form.cleaned_data["frequency"])
    messages.success(request, f"“{search.name}”: {search.get_frequency_display().lower()}.")
    return redirect("alerts:list")


@login_required
@require_POST
def delete(request, pk):
    search = selectors.visible_search(request.user, pk)
    services.delete_search(search, by=request.user)
    messages.success(request, f"Deleted “{search.name}”.")
    return redirect("alerts:list")


@login_required
@require_GET
def results(request, pk):
    """Where an alert leads: the search's results on the discovery page, newest first."""
    search = selectors.visible_search(request.user, pk)
    return redirect(search.results_url)


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The emailed link: GET shows one button (so a mail scanner following the link changes
    nothing), POST switches this search's alerts off. No login needed."""
    try:
        search = services.search_for_token(token)
    except services.InvalidLink as exc:
        return render(request, "alerts/unsubscribe.html", {"error": exc.message}, status=400)
    if request.method == "GET":
        return render(request, "alerts/unsubscribe.html", {"search": search})
    try:
        search = services.unsubscribe(token)
    except services.InvalidLink as exc:
        return render(request, "alerts/unsubscribe.html", {"error": exc.message}, status=400)
    return render(request, "alerts/unsubscribe.html", {"search": search, "done": True})
