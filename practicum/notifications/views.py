from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from practicum.core.errors import ServiceError
from practicum.core.forms import apply_errors
from practicum.core.loading import visible_or_404
from practicum.notifications import selectors, services
from practicum.notifications.forms import PreferencesForm


def _own(request, pk):
    return visible_or_404(selectors.notification_of(request.user, pk), what="notification")


@login_required
@require_GET
def notification_list(request):
    paginator = Paginator(selectors.notifications_for(request.user), selectors.PAGE_SIZE)
    return render(
        request,
        "notifications/list.html",
        {
            "page": paginator.get_page(request.GET.get("page")),
            "unread": selectors.unread_count(request.user),
        },
    )


@login_required
@require_GET
def open_notification(request, pk):
    """Mark read, then go where it points (the way in from emails and the list)."""
    notification = services.mark_read(_own(request, pk), by=request.user)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_read(request, pk):
    services.mark_read(_own(request, pk), by=request.user)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    marked = services.mark_all_read(request.user)
    messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} read.")
    return redirect("notifications:list")


@require_GET
def bell(request):
    """The header's unread count, polled by HTMX. Rendered without the context processors so the
    poll costs the session, the user, one update and one count, whatever the memberships."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)  # HTMX keeps what it shows; the next page asks to log in
    # The page that asks is open in front of the user: what led there has been read. (The
    # list's links go through open_notification; this covers every other way to the page.)
    page = request.htmx.current_url_abs_path if request.htmx else None
    if page:
        services.mark_read_at(request.user, page.split("?", 1)[0])
    return HttpResponse(
        render_to_string(
            "notifications/_bell.html", {"bell_unread": selectors.unread_count(request.user)}
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    current = selectors.preferences_for(request.user)
    form = PreferencesForm(request.POST or None, preferences=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferences(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Your notification preferences are saved.")
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "fixed": [p for p in current if not p.kind.can_switch_off]},
    )


# Mail providers send the one-click POST (RFC 8058) without cookies or a CSRF token; the signed
# token in the URL is what authorizes it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks to confirm (link scanners follow links and must not unsubscribe anyone); POST,
    from that button or straight from the mail provider, switches the kinds off."""
    try:
        if request.method == "POST":
            link = services.unsubscribe(token)
            return render(request, "notifications/unsubscribed.html", {"link": link})
        link = selectors.unsubscribe_link(token)
    except ServiceError as exc:
        return render(
            request, "notifications/unsubscribe_invalid.html", {"error": exc}, status=exc.status
        )
    return render(request, "notifications/unsubscribe.html", {"link": link})
