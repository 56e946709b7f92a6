"""Signed one-click unsubscribe links for one saved search's alerts (no login needed).

The token names the search and its `link_version`; unsubscribing bumps the version, so a link
works once, and only for its own search.
"""

import datetime

from django.core import signing

SALT = "practicum.alerts.unsubscribe"
MAX_AGE = datetime.timedelta(days=90)


def make_token(search) -> str:
    return signing.dumps({"s": search.pk, "v": search.link_version}, salt=SALT)


def read_token(token: str) -> tuple[int, int]:
    """(search id, link version); raises signing.BadSignature (or SignatureExpired)."""
    data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        raise signing.BadSignature("Malformed token.")
    return data["s"], int(data.get("v", 0))
