"""Settings for 规划指标监测平台, all read from the environment.

DATABASE_URL, SECRET_KEY, DEBUG and ALLOWED_HOSTS are the main knobs; the README lists them
all, with the HTTPS settings that make `manage.py check --deploy` clean.
"""

import os
from pathlib import Path

import dj_database_url
import plotly
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PLOTLY_JS_DIR = Path(plotly.__file__).resolve().parent / "package_data"


def env_bool(name: str, default: bool = False) -> bool:
    """Return the boolean value of an environment variable; refuse anything unclear."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true/false (1/0), got {raw!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    """Return a whole number >= 0 from the environment; refuse anything else."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = -1
    if value < 0:
        raise ImproperlyConfigured(f"{name} must be a whole number of seconds, got {raw!r}")
    return value


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """`X-Forwarded-Proto` (the header the proxy sets to "https") as Django expects it."""
    header = env_str(name).strip()
    if not header:
        return None
    meta = header.upper().replace("-", "_")
    return (meta if meta.startswith("HTTP_") else f"HTTP_{meta}", "https")


# Off unless DEBUG=1 is set: nothing turns it on by itself (`make run` sets it).
DEBUG = env_bool("DEBUG", default=False)
DEMO_ACCOUNTS = env_bool("DEMO_ACCOUNTS", default=False)  # see create_demo_accounts

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        # A guessable key in production would let anyone forge sessions.
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (for a development checkout, "
            "set DEBUG=1 or use `make run`)."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "csp",
    "dbbackup",
    "indicators",
    "projects",
    "dashboards",
    "workspace",
    "parks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before the middleware below: they keep whitenoise's
    # long-lived caching and get no session, CSP or Cache-Control: private.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wangcheng_plan.middleware.GZipMiddleware",  # pages, JSON: wraps all that edits the body
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Idle timeout, and Cache-Control: private, no-store on everything behind the login.
    "wangcheng_plan.middleware.IdleSessionTimeoutMiddleware",
    "wangcheng_plan.middleware.PrivateCacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wangcheng_plan.urls"
WSGI_APPLICATION = "wangcheng_plan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workspace.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache. Each plan-year's progress is computed once and kept until a write bumps the
# plan's data version (indicators/cache.py). Several processes (gunicorn --workers 2 or
# more, several machines) must share it, or one keeps showing figures another has changed
# since: with REDIS_URL they share Redis. Without it, local memory only with DEBUG (one
# runserver process, `make run`) or LOCAL_CACHE=1 (one process you run yourself); otherwise
# no cache at all, slower but never stale.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHE = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "wangcheng_plan",
    }
elif DEBUG or env_bool("LOCAL_CACHE"):
    CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "plan"}
else:
    CACHE = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
CACHES = {"default": CACHE}
# With a shared cache, a session is read from Redis and written through to the database:
# a request costs no session query. A cache of one process's own (LOCAL_CACHE) would let a
# session ended in one worker live on in another, so sessions then stay in the database.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

AUTH_USER_MODEL = "indicators.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the signed-in user with its department.
    "indicators.users.UserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's, with the "too short" message in Chinese (see the class).
    {"NAME": "indicators.users.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Each role lands on its work (workspace/landing.py).
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "login"

# Offices share one NAT address, so lock on the username and IP together, not the IP alone.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# The UI speaks Chinese whatever the browser asks for; strings go through gettext so an
# English catalogue can follow (with LocaleMiddleware added back then).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# zh-hans turns the thousands separator off; our format module turns it back on for the
# figure filters (floatformat "g", intcomma). It is not applied to every integer, or years
# would read 2,021.
FORMAT_MODULE_PATH = ["wangcheng_plan.formats"]
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # plotly.js as the installed plotly wheel ships it: no CDN, and always the version the
    # server-side figures were built for. Templates load it as vendor/plotly/plotly.min.js.
    ("vendor/plotly", PLOTLY_JS_DIR),
]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# An uploaded responsibility sheet is refused above this size (also checked in the importer).
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# Sessions end after SESSION_IDLE_SECONDS without a request (2 hours by default; the
# middleware renews the session at most once a minute, so the timeout holds to the minute)
# and when the browser closes: office computers are shared.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 2 * 60 * 60)
if SESSION_IDLE_SECONDS < 60:
    raise ImproperlyConfigured("SESSION_IDLE_SECONDS must be at least 60.")
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

# HTTPS. The defaults suit the plain-HTTP intranet too: nothing here redirects to HTTPS or
# sends HSTS unless asked, since both lock users out of a site that has no HTTPS. Cookies
# are Secure whenever DEBUG is off; plain HTTP needs SECURE_COOKIES=0 (or the two
# *_COOKIE_SECURE=0), and then check --deploy warns, rightly (README, Production).
SECURE_COOKIES = env_bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=SECURE_COOKIES)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=SECURE_COOKIES)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Behind a reverse proxy that ends TLS: the header it sets to "https", e.g. X-Forwarded-Proto.
# Set it only when the proxy always sets (or strips) that header itself.
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Content-Security-Policy (django-csp 4). Every script is a file from our own static/ (no
# inline <script> or on* handlers; chart data sits in <script type="application/json">,
# which is never executed). style-src allows 'unsafe-inline' only because plotly.js adds
# <style> rules and style attributes while it draws; inline styles cannot run code, so
# this is the usual, accepted exception. data: images are the empty favicon of base.html.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
PLAN_FIXTURES_DIR = BASE_DIR / "fixtures"
# Evidence files. They are served only through a view that checks the user, never as /media/.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "var" / "media")

# Backups. `manage.py backup` writes the database and the evidence files (MEDIA_ROOT)
# together into a new folder under BACKUP_DIR; `manage.py restore` puts the newest back
# (indicators/backups.py). django-dbbackup does the work: pg_dump/pg_restore on PostgreSQL,
# SQLite's online backup API on SQLite. STORAGES["dbbackup"] is where its own commands
# (dbbackup, listbackups, ...) write when run by hand.
BACKUP_DIR = Path(env_str("BACKUP_DIR") or BASE_DIR / "var" / "backups")
STORAGES["dbbackup"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(BACKUP_DIR)},
}
DBBACKUP_CONNECTOR_MAPPING = {
    "django.db.backends.sqlite3": "indicators.backups.SqliteOnlineConnector",
}
