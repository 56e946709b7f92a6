"""The credentials' pages and documents.

Public (no login): a credential's page with its live verification, its JSON, its VC-JWT and QR
code; the status lists; the issuer's profile; the JWKS. A credential its student hid answers
404 to everybody else, on every one of its addresses. The student's own: the list of their
credentials, and hiding or showing one."""

import io

import rules
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from practicum.credentials import documents, keys, selectors, services, verification

JSON_OPTIONS = {"ensure_ascii": False, "indent": 2}


def _json(data: dict, *, content_type="application/json", filename="") -> HttpResponse:
    response = JsonResponse(data, json_dumps_params=JSON_OPTIONS, content_type=content_type)
    if filename:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _absolute(credential) -> str:
    return documents.absolute(credential.get_absolute_url())


@require_GET
def detail(request, pk):
    credential = selectors.credential_for(request.user, pk)
    page_url = _absolute(credential)
    holder = rules.has_perm("credentials.hide_credential", request.user, credential)
    return render(
        request,
        "credentials/detail.html",
        {
            "credential": credential,
            "shown": documents.shown(credential.document),
            "result": verification.verify_token(credential.jwt),
            "holder": holder,
            "page_url": page_url,
            "linkedin_url": documents.linkedin_url(credential.document, page_url),
            # Every version is hidden or shown together: whoever sees this one may see it.
            "newer": credential.superseded_by,
        },
    )


@require_GET
def credential_json(request, pk):
    credential = selectors.credential_for(request.user, pk)
    return _json(credential.document, filename=f"credential-{credential.pk}.json")


@require_GET
def credential_jwt(request, pk):
    credential = selectors.credential_for(request.user, pk)
    response = HttpResponse(credential.jwt, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'inline; filename="credential-{credential.pk}.jwt"'
    return response


@require_GET
def qr_code(request, pk):
    """The page's address as a QR code (SVG), for printed CVs and certificates."""
    credential = selectors.credential_for(request.user, pk)
    out = io.BytesIO()
    segno.make(_absolute(credential), error="m").save(
        out, kind="svg", scale=4, border=2, title="QR code of this credential's address"
    )
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


def _set_hidden(request, pk, hidden: bool):
    credential = selectors.credential_for(request.user, pk)
    services.set_hidden(credential, by=request.user, hidden=hidden)
    messages.success(
        request,
        "Hidden: only you can open this credential's page now; it still verifies wherever "
        "you present it."
        if hidden
        else "Shown: anybody with the link can open this credential's page.",
    )
    return redirect(credential)


@login_required
@require_POST
def hide(request, pk):
    return _set_hidden(request, pk, True)


@login_required
@require_POST
def show(request, pk):
    return _set_hidden(request, pk, False)


@login_required
@require_GET
def mine(request):
    if not request.user.is_student:
        raise Http404("No such page.")
    paginator = Paginator(selectors.credentials_of(request.user), selectors.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [(credential, documents.shown(credential.document)) for credential in page]
    return render(request, "credentials/mine.html", {"page": page, "rows": rows})


def _wants_jwt(request) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/vc+jwt" in accept or "application/jwt" in accept


# Verifiers fetch the list each time they check; a minute keeps a revocation from lingering.
@cache_control(public=True, max_age=60)
@require_GET
def status_list(request, number):
    """The revocation status list (a BitstringStatusListCredential): JSON, or its VC-JWT for
    a client that asks for application/vc+jwt."""
    if not selectors.status_list_exists(number):
        raise Http404("No such status list.")
    document = documents.status_list_credential(
        number, selectors.revoked_indexes(number), timezone.now()
    )
    if _wants_jwt(request):
        token, _ = keys.sign(documents.jwt_claims(document))
        return HttpResponse(token, content_type="application/vc+jwt")
    return _json(document)


@require_GET
def issuer(request):
    return _json(documents.issuer_profile())


@cache_control(public=True, max_age=300)
@require_GET
def jwks(request):
    return _json(keys.jwks(), content_type="application/jwk-set+json")
