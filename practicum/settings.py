"""Settings come from the environment; the defaults suit a laptop (SQLite file, console email)."""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG")

# --- The secret key (issue 13) -------------------------------------------------------------
# With DEBUG off the key must come from the environment and be long: it signs sessions,
# calendar-feed, unsubscribe and email-confirmation links. In development a random key is made
# on first use and kept in a git-ignored file, so no two installations share one.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_FILE = BASE_DIR / ".secret_key"


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if not DEBUG:
        if len(key) < SECRET_KEY_MIN_LENGTH:
            raise ImproperlyConfigured(
                f"SECRET_KEY must be set to at least {SECRET_KEY_MIN_LENGTH} random characters "
                f"when DEBUG is off (it has {len(key)}). Make one with: "
                "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
            )
        return key
    if key:
        return key
    try:
        # O_EXCL: two processes starting at once keep the first key written.
        fd = os.open(SECRET_KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return SECRET_KEY_FILE.read_text().strip()
    key = secrets.token_urlsafe(64)
    with os.fdopen(fd, "w") as file:
        file.write(key)
    return key


SECRET_KEY = _secret_key()
# --- end of the secret key -----------------------------------------------------------------

ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "heroicons",
    "csp",
    "practicum.core",
    "practicum.accounts",
    "practicum.skills",
    "practicum.profiles",
    "practicum.projects",
    "practicum.engagements",
    "practicum.notifications",
    "practicum.recommendations",
    "practicum.interviews",
    "practicum.alerts",
    "practicum.rounds",
    "practicum.workspace",
    "practicum.workspace.checkins",
    "practicum.workspace.deliverables",
    "practicum.workspace.messaging",
    "practicum.workspace.progress",
    "practicum.workspace.learning",
    "practicum.reviews",
    "practicum.completion",
    "practicum.talent",
    "practicum.careers",
    "practicum.reciprocity",
    "practicum.credentials",
    "practicum.privacy",
    "practicum.analytics",
    "practicum.api",
    "practicum.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Under /api/: JSON errors in one shape, body size and type checked first (issue 13).
    "practicum.core.middleware.ApiEdgeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "practicum.core.middleware.UserTimezoneMiddleware",
    "practicum.core.middleware.ServiceErrorPages",
]

ROOT_URLCONF = "practicum.urls"
# A CSRF failure shows our styled 403 page, not Django's bare one.
CSRF_FAILURE_VIEW = "practicum.core.views.csrf_failure"
WSGI_APPLICATION = "practicum.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "practicum" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "practicum.accounts.context_processors.navigation",
            ],
        },
    },
]

# Every form rendered with {{ form }} or as_div goes through our templates (error summary first).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web server use the file at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
    }

FORMS_URLFIELD_ASSUME_HTTPS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Our wording for allauth's pages (sentence case, "Log in" as in the navigation).
LOCALE_PATHS = [BASE_DIR / "practicum" / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_MANIFEST")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# The Inter font comes from npm (`make assets`); without it pages use the system font stack.
FONT_DIR = BASE_DIR / "node_modules" / "@fontsource-variable" / "inter" / "files"
STATICFILES_DIRS = [("fonts/inter", FONT_DIR)] if FONT_DIR.is_dir() else []
# Production runs collectstatic and sets STATIC_MANIFEST=1; laptops and tests use the finders.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Accounts (django-allauth): email is the login, verification is mandatory.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "reciprocity:dashboard"  # the adapter sends platform admins to /admin/
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "practicum.accounts.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "practicum.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Practicum] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Practicum <noreply@practicum.localhost>")

# Open Badges credentials are signed with Ed25519 keys (JWK JSON, the signing key first, older
# ones kept so the credentials they signed still verify). Without CREDENTIALS_SIGNING_KEYS a key
# is generated on first use into CREDENTIALS_KEY_FILE (git-ignored; back it up). See
# practicum/credentials/keys.py and `manage.py credential_keys`.
CREDENTIALS_SIGNING_KEYS = os.environ.get("CREDENTIALS_SIGNING_KEYS", "")
CREDENTIALS_KEY_FILE = Path(
    os.environ.get("CREDENTIALS_KEY_FILE", BASE_DIR / "credential-keys.json")
)

# --- Cache and task queue ---------------------------------------------------------------------
# Embedded by default: a per-process cache and the task queue in the database (manage.py
# db_worker), nothing to install. With REDIS_URL set (several web processes or machines, see
# the README's "Running on several machines"), Redis holds both: the cache, so login rate limits
# are shared by every web process, and the task queue (django-tasks' RQ backend; workers run
# `manage.py rqworker --job-class django_tasks_rq.Job`).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "practicum",
        }
    }
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# --- End of cache and task queue ---------------------------------------------------------------

# --- HTTPS and security headers (issue 13) -------------------------------------------------
# With DEBUG off everything HTTPS is on; HTTPS=off turns it all off at once for a plain-HTTP
# server (the tests, a local production-like run). Behind a proxy that ends TLS, the proxy must
# set X-Forwarded-Proto.
HTTPS = not DEBUG and env_bool("HTTPS", True)
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline scripts or styles anywhere: every script and style sheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "interest-cohort": [],
}
# --- end of HTTPS and security headers -----------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
