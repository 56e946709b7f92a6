"""API authentication: a personal token (`Authorization: Bearer pct_…`) or the browser session.

A token works until it expires or is revoked (a password change revokes them all); a read-only
token is refused on unsafe methods (403 token_scope) so a script given read access cannot
change anything.
"""

from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from practicum.accounts.models import ApiToken, hash_token
from practicum.core.errors import Refused

# last_used_at is written at most this often per token, so reads don't each cost a write.
LAST_USED_RESOLUTION = timezone.timedelta(minutes=1)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        now = timezone.now()
        found = (
            ApiToken.objects.select_related("user")
            .filter(
                token_hash=hash_token(token),
                revoked_at__isnull=True,
                expires_at__gt=now,
                user__is_active=True,
            )
            .first()
        )
        if found is None:
            return None
        if found.scope != ApiToken.Scope.WRITE and request.method not in SAFE_METHODS:
            raise Refused(
                "token_scope",
                "This token may only read: create a read-and-write token to make changes.",
            )
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; unsafe methods need the CSRF token as usual."""

    param_name = "sessionid"

    def _get_key(self, request):
        # A request that sends a token is authenticated by it or not at all, and is never held
        # to CSRF (a bad token is a 401, not a CSRF failure); one without a session cookie has
        # no session to protect. Every session-authenticated request passes the CSRF check.
        if "authorization" in request.headers or self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        if request.user.is_authenticated:
            return request.user
        return None


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)
