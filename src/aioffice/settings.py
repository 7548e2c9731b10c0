"""Django settings for aioffice: one file, every difference between laptop, test and
production read from the environment (all variables are listed in `.env.example`)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()  # lets classes such as ModelAdmin[M] be subscripted at run time

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("AIOFFICE_PROJECT_DIR", BASE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("AIOFFICE_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}: expected true or false, got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: expected an integer, got {raw!r}") from exc


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: expected a number, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


TESTING = "pytest" in sys.modules or env_bool("AIOFFICE_TESTING", False)
DEBUG = env_bool("AIOFFICE_DEBUG", False)

_DEV_SECRET = "insecure-development-key-only-for-debug-and-tests"  # noqa: S105  (refused below unless DEBUG or tests)
SECRET_KEY = os.environ.get("AIOFFICE_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("AIOFFICE_SECRET_KEY must be set when AIOFFICE_DEBUG is off")
    SECRET_KEY = _DEV_SECRET

ALLOWED_HOSTS = env_list("AIOFFICE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("AIOFFICE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "aioffice.core",
    "aioffice.accounts",
    "aioffice.portal",
    "aioffice.registry",
    "aioffice.registry.documentation",
    "aioffice.registry.codeofpractice",
    "aioffice.registry.watchlist",
    "aioffice.evaluations",
    "aioffice.supervision",
    "aioffice.cooperation",
    "aioffice.drafting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "aioffice.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

if not (DEBUG or TESTING):
    # Production serves the collected static files itself; runserver does it in DEBUG.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "aioffice.urls"
WSGI_APPLICATION = "aioffice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aioffice.core.context_processors.site",
            ],
        },
    },
]

# --- Database: SQLite under ./var by default, anything dj-database-url reads otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'aioffice.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialise writers, which keeps the audit hash chain linear.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if TESTING:
        # Tests that start a real worker process need a test database that process can open:
        # a file, one per test process (pytest-xdist adds its worker's suffix), not memory.
        DATABASES["default"]["TEST"] = {
            "NAME": str(Path(tempfile.gettempdir()) / f"aioffice-test-{os.getpid()}.sqlite3")
        }
        # a test database need not survive a power cut: no waiting for the disk
        DATABASES["default"]["OPTIONS"]["init_command"] = (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("AIOFFICE_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "aioffice.accounts.validators.CharacterClassValidator"},
]
if TESTING:
    # Hashing with a million PBKDF2 rounds costs ~0.5 s a user; tests make hundreds.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

AXES_FAILURE_LIMIT = env_int("AIOFFICE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AIOFFICE_LOGIN_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False

OTP_TOTP_ISSUER = os.environ.get("AIOFFICE_SITE_NAME", "aioffice")
API_TOKEN_MAX_DAYS = env_int("AIOFFICE_API_TOKEN_MAX_DAYS", 365)

# --- Security (production values come from the environment; `check --deploy` is clean)
SECURE_SSL_REDIRECT = env_bool("AIOFFICE_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("AIOFFICE_SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("AIOFFICE_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("AIOFFICE_SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("AIOFFICE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("AIOFFICE_SESSION_SECONDS", 8 * 3600)
if env_bool("AIOFFICE_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Internationalisation
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static and media files. Front-end packages come from npm (`make assets`).
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("AIOFFICE_STATIC_ROOT", VAR_DIR / "static"))
ASSETS_DIR = PROJECT_DIR / "var" / "assets"  # filled by `make assets` from npm packages
STATICFILES_DIRS = [ASSETS_DIR] if ASSETS_DIR.is_dir() else []
MEDIA_ROOT = Path(os.environ.get("AIOFFICE_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Evaluation runs: each run's working directory (Inspect's logs while it runs, its progress
# file, the subprocess's output); the logs kept as evidence are copied under MEDIA_ROOT.
EVALUATIONS_DIR = Path(os.environ.get("AIOFFICE_EVALUATIONS_DIR", VAR_DIR / "evaluations"))
# A running run whose worker has not written a heartbeat for this long is taken to have lost
# its worker; the next worker to start (or `aioffice eval recover`) queues it again.
EVALUATIONS_STALE_SECONDS = env_int("AIOFFICE_EVALUATIONS_STALE_SECONDS", 30)
# How often Inspect retries a model call that failed (rate limits, dropped connections)
# before the sample counts as an error.
EVALUATIONS_MAX_RETRIES = env_int("AIOFFICE_EVALUATIONS_MAX_RETRIES", 5)
# Supervision evidence: the largest file accepted in a case file or a report, how many years
# documents are kept (an Office policy: the AI Act sets no period for case files), and the
# malware scanner (a dotted path to a callable taking a file path and returning
# `aioffice.supervision.evidence.ScanResult`; empty: nothing is scanned, and each document
# says so).
SUPERVISION_MAX_UPLOAD_BYTES = env_int("AIOFFICE_SUPERVISION_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
SUPERVISION_RETENTION_YEARS = env_int("AIOFFICE_SUPERVISION_RETENTION_YEARS", 10)
SUPERVISION_MALWARE_SCANNER = os.environ.get("AIOFFICE_SUPERVISION_MALWARE_SCANNER", "")
# The one clock's reminder e-mails: sent once when a deadline is this many days away (and
# once when it is overdue); the worker looks every SUPERVISION_REMINDER_INTERVAL seconds
# (0: the worker sends none; `aioffice supervision reminders` sends them once).
SUPERVISION_REMINDER_DAYS = env_int("AIOFFICE_SUPERVISION_REMINDER_DAYS", 5)
SUPERVISION_REMINDER_INTERVAL = env_int("AIOFFICE_SUPERVISION_REMINDER_INTERVAL", 3600)
# The public portal. Files never served by the web server (CVs of applicants) live under
# PORTAL_PRIVATE_ROOT. Periods and limits below are Office policy, not law: the AI Act sets
# none of them; each is shown to the people it concerns.
PORTAL_PRIVATE_ROOT = Path(os.environ.get("AIOFFICE_PORTAL_PRIVATE_ROOT", VAR_DIR / "private"))
PORTAL_CV_MAX_BYTES = env_int("AIOFFICE_PORTAL_CV_MAX_BYTES", 5 * 1024 * 1024)
PORTAL_APPLICATION_RETENTION_DAYS = env_int("AIOFFICE_PORTAL_APPLICATION_RETENTION_DAYS", 730)
PORTAL_ENQUIRY_RETENTION_DAYS = env_int("AIOFFICE_PORTAL_ENQUIRY_RETENTION_DAYS", 730)
PORTAL_CHECKER_EMAIL_RETENTION_DAYS = env_int("AIOFFICE_PORTAL_CHECKER_EMAIL_RETENTION_DAYS", 30)
PORTAL_CONFIRM_HOURS = env_int("AIOFFICE_PORTAL_CONFIRM_HOURS", 48)  # sign-up link lifetime
PORTAL_FORM_RATE = env_int(
    "AIOFFICE_PORTAL_FORM_RATE", 10
)  # public form posts per address and hour
# The worker deletes what is past its retention period every this many seconds (0: never;
# `aioffice portal applications purge` and the `portal_housekeeping` task do it on demand).
PORTAL_HOUSEKEEPING_INTERVAL = env_int("AIOFFICE_PORTAL_HOUSEKEEPING_INTERVAL", 3600)
# Rate limits key on the client's address: behind this many reverse proxies of our own, the
# address the outermost one saw (X-Forwarded-For, counted from the right); 0: REMOTE_ADDR.
RATELIMIT_TRUSTED_PROXIES = env_int("AIOFFICE_RATELIMIT_TRUSTED_PROXIES", 0)

# --- Semantic search, "find similar" and grouping (aioffice.core.semantic; docs/design/
# semantic-search.md). The embedder: "minilm" (the local all-MiniLM-L6-v2 of the optional
# local-model install), "lexical" (hashed word and character n-grams, always there) or "auto"
# (MiniLM where it is installed, else lexical). Tests default to "lexical", so that every
# test gives the same answer with or without the local model (its own tests ask for MiniLM).
SEMANTIC_EMBEDDER = os.environ.get("AIOFFICE_EMBEDDER", "lexical" if TESTING else "auto")
if SEMANTIC_EMBEDDER not in {"auto", "minilm", "lexical"}:
    raise ImproperlyConfigured(
        f"AIOFFICE_EMBEDDER: expected auto, minilm or lexical, got {SEMANTIC_EMBEDDER!r}"
    )
# Grouping thresholds (cosine similarity) are Office choices, not law: two texts at or above
# the duplicate threshold are "the same text" (campaign copies); a theme gathers texts at or
# above the theme threshold from its most connected text, and has at least THEME_MIN_SIZE
# members. The lexical embedder's similarities run lower, so it has its own pair.
SEMANTIC_DUPLICATE_THRESHOLD = env_float("AIOFFICE_SEMANTIC_DUPLICATE_THRESHOLD", 0.92)
SEMANTIC_THEME_THRESHOLD = env_float("AIOFFICE_SEMANTIC_THEME_THRESHOLD", 0.55)
SEMANTIC_LEXICAL_DUPLICATE_THRESHOLD = env_float(
    "AIOFFICE_SEMANTIC_LEXICAL_DUPLICATE_THRESHOLD", 0.8
)
SEMANTIC_LEXICAL_THEME_THRESHOLD = env_float("AIOFFICE_SEMANTIC_LEXICAL_THEME_THRESHOLD", 0.35)
SEMANTIC_THEME_MIN_SIZE = env_int("AIOFFICE_SEMANTIC_THEME_MIN_SIZE", 3)

# --- Cache: each process's own memory by default; with AIOFFICE_CACHE_DIR, a folder that
# every worker of the site shares (the public register's pages and the checker's results are
# rendered once for all workers; bench/README.md, "Portal").
CACHE_DIR = os.environ.get("AIOFFICE_CACHE_DIR", "")
if CACHE_DIR:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR,
            "OPTIONS": {"MAX_ENTRIES": env_int("AIOFFICE_CACHE_MAX_ENTRIES", 20_000)},
        }
    }
# Documentation attachments (Art. 53, 55): the largest file accepted, and the content types
# accepted at all (each schema field narrows them further).
DOCUMENTATION_MAX_UPLOAD_BYTES = env_int(
    "AIOFFICE_DOCUMENTATION_MAX_UPLOAD_BYTES", 50 * 1024 * 1024
)
DOCUMENTATION_CONTENT_TYPES = env_list(
    "AIOFFICE_DOCUMENTATION_CONTENT_TYPES",
    ["application/pdf", "text/plain", "text/csv", "text/markdown", "application/json"],
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Background work: Django's tasks framework, stored in the database.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "AIOFFICE_TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default"],
    }
}

# --- E-mail
EMAIL_BACKEND = os.environ.get(
    "AIOFFICE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("AIOFFICE_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("AIOFFICE_EMAIL_PORT", 25)
EMAIL_USE_TLS = env_bool("AIOFFICE_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("AIOFFICE_FROM_EMAIL", "aioffice@localhost")

# --- Optional summaries by an LLM endpoint the Office configures (OpenAI-compatible
# chat completions); off while AIOFFICE_LLM_BASE_URL or AIOFFICE_LLM_MODEL is unset.
LLM_BASE_URL = os.environ.get("AIOFFICE_LLM_BASE_URL", "")
LLM_MODEL = os.environ.get("AIOFFICE_LLM_MODEL", "")
LLM_API_KEY = os.environ.get("AIOFFICE_LLM_API_KEY", "")
LLM_TIMEOUT_SECONDS = env_int("AIOFFICE_LLM_TIMEOUT_SECONDS", 60)

# --- Deployment identity: the logo and the site name are settings, not code.
SITE_NAME = os.environ.get("AIOFFICE_SITE_NAME", "European AI Office")
SITE_LOGO_URL = os.environ.get("AIOFFICE_LOGO_URL", "")

# --- API
NINJA_PAGINATION_CLASS = "ninja.pagination.PageNumberPagination"
NINJA_PAGINATION_PER_PAGE = env_int("AIOFFICE_API_PAGE_SIZE", 50)
NINJA_MAX_PER_PAGE_SIZE = 200
PUBLIC_API_RATE = os.environ.get("AIOFFICE_PUBLIC_API_RATE", "120/m")  # per address, public routes

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("AIOFFICE_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
