"""Production settings are safe by default: no start without a real secret, HTTPS on unless
HTTPS=off, `check --deploy` clean, security headers on every page, error pages without a DB."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from practicum.core import views

ROOT = Path(__file__).resolve().parents[2]
STRONG = "k" * 30 + "0123456789abcdefghijklmnopqrstuvwxyz"


def run(code: str, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "HTTPS"}}
    base["DJANGO_SETTINGS_MODULE"] = "practicum.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


SETUP = "import django; django.setup(); from django.conf import settings as s; "


@pytest.mark.parametrize("key", [None, "", "short-key"])
def test_refuses_to_start_without_a_long_secret_when_debug_is_off(key):
    env = {} if key is None else {"SECRET_KEY": key}
    done = run(SETUP + "print('started')", **env)
    assert done.returncode != 0
    assert "started" not in done.stdout
    assert "ImproperlyConfigured: SECRET_KEY must be set to at least 50" in done.stderr


def test_starts_with_a_long_secret_and_https_on_by_default():
    done = run(
        SETUP + "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)",
        SECRET_KEY=STRONG,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "True",
        "31536000",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ]


def test_https_off_turns_every_https_setting_off():
    done = run(
        SETUP + "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)",
        SECRET_KEY=STRONG,
        HTTPS="off",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "0", "False", "False", "None"]


def test_development_generates_a_key_kept_in_an_untracked_file():
    first = run(SETUP + "print(s.SECRET_KEY)", DEBUG="1")
    second = run(SETUP + "print(s.SECRET_KEY)", DEBUG="1")
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    assert len(key) >= 50
    assert second.stdout.strip() == key
    assert (ROOT / ".secret_key").read_text().strip() == key
    ignored = subprocess.run(["git", "check-ignore", ".secret_key"], cwd=ROOT, capture_output=True)
    assert ignored.returncode == 0


def test_check_deploy_is_clean_with_production_settings():
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            # What production sets, not what this test process happens to carry (the browser
            # tests allow Django's ORM beside Playwright's event loop, for tests only).
            **{
                k: v
                for k, v in os.environ.items()
                if k not in {"DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
            },
            "DJANGO_SETTINGS_MODULE": "practicum.settings",
            "SECRET_KEY": STRONG,
            "ALLOWED_HOSTS": "practicum.example",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_every_page_carries_the_security_headers(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "style-src 'self'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_inline_scripts_or_styles():
    offenders = []
    for template in (ROOT / "practicum").rglob("templates/**/*.html"):
        if "/email/" in str(template):
            continue  # emails are not pages: no CSP applies, and mail clients need inline styles
        text = template.read_text()
        for needle in ("<style", " style=", "<script>", " onclick=", " onload=", "hx-on"):
            if needle in text:
                offenders.append(f"{template.relative_to(ROOT)}: {needle}")
    assert offenders == []


@pytest.mark.parametrize(
    ("view", "status"),
    [
        (views.bad_request, 400),
        (views.permission_denied, 403),
        (views.not_found, 404),
    ],
)
def test_error_pages_render_without_the_database(view, status):
    # No db fixture: any query here fails the test.
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    response = view(request, Exception())
    assert response.status_code == status
    assert b"Practicum" in response.content


def test_the_500_page_renders_without_the_database():
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Practicum" in response.content
