"""Signed one-click unsubscribe links: whoever holds the link may switch those kinds off.

The token is signed (not stored), salted so no other signed value of the site can pass for one,
and expires: a link forwarded or leaked long ago stops working.
"""

import datetime

from django.core import signing

SALT = "practicum.notifications.unsubscribe"
MAX_AGE = datetime.timedelta(days=60)


def make_unsubscribe_token(user, kinds: list[str]) -> str:
    return signing.dumps({"u": user.pk, "k": kinds}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, list[str]]:
    """(user id, kind keys); raises signing.BadSignature (or its SignatureExpired) otherwise."""
    data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    return data["u"], data["k"]
