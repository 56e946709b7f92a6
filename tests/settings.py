"""The project's settings for the tests: production-like (DEBUG off, as CI runs them) with a
random key per run and plain HTTP (the test client and the live server speak no TLS)."""

import os
import secrets
import tempfile

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
os.environ.setdefault("HTTPS", "off")

from practicum.settings import *  # noqa: F403

# Uploads and exports made by the tests land in a folder of their own, never in the project's
# media/ (one per run and worker process; the system cleans its temporary folder).
MEDIA_ROOT = tempfile.mkdtemp(prefix="practicum-test-media-")
