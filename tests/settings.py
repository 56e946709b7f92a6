"""The project's settings for the tests: production-like (DEBUG off, as CI runs them) with a
random key per run and plain HTTP (the test client and the live server speak no TLS)."""

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
os.environ.setdefault("HTTPS", "off")

from practicum.settings import *  # noqa: F403
