"""API authentication: a personal token (`Authorization: Bearer pct_…`) or the browser session."""

from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from practicum.accounts.models import ApiToken, hash_token

# last_used_at is written at most this often per token, so reads don't each cost a write.
LAST_USED_RESOLUTION = timezone.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
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
