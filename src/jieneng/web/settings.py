"""Django settings, read from the environment.

``JIENENG_DATABASE_URL``  ``sqlite:///abs/path.sqlite3`` or ``postgresql://user[:pw]@host[:port]/dbname``;
                          default: SQLite at ``$JIENENG_DATA_DIR/jieneng.sqlite3``.
``JIENENG_DATA_DIR``      where the database and the generated secret key live (default: ``./var``).
``JIENENG_SECRET_KEY``    the secret key; without it one is generated once and kept in the data dir.
``JIENENG_DEBUG``         ``1``/``true`` to turn on Django's debug mode (default off).
``JIENENG_ALLOWED_HOSTS`` extra host names, comma separated (127.0.0.1 and localhost are always allowed).
``JIENENG_SECURE_COOKIES`` ``1``/``true`` behind HTTPS: session and CSRF cookies only over HTTPS.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from jieneng.web import data_dir

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()
_TRUE = {"1", "true", "yes", "on"}


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in _TRUE


def database_from_url(url: str) -> dict[str, Any]:
    """A Django ``DATABASES`` entry from ``sqlite:///abs/path`` or ``postgresql://user:pw@host:port/db``."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        if not parts.path or parts.path == "/":
            raise ValueError(
                "JIENENG_DATABASE_URL: sqlite needs a file path, e.g. sqlite:///srv/jieneng.sqlite3"
            )
        return _sqlite(Path(unquote(parts.path)))
    if parts.scheme in ("postgresql", "postgres", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ValueError("JIENENG_DATABASE_URL: postgresql needs a database name after the host")
        query = parse_qs(parts.query)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": unquote(parts.hostname or query.get("host", [""])[0]),
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": f"test_{name}"},
        }
    raise ValueError(f"JIENENG_DATABASE_URL: unsupported scheme {parts.scheme!r} (use sqlite or postgresql)")


def _sqlite(path: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


def _secret_key() -> str:
    """``$JIENENG_SECRET_KEY``, else a key generated once and kept (mode 600) in the data dir.

    Without a data dir (the command line converting a file in some folder) the key is made for this
    process only: nothing is written where the user happens to be.
    """
    key = os.environ.get("JIENENG_SECRET_KEY")
    if key:
        return key
    if not DATA_DIR.is_dir():
        return secrets.token_urlsafe(50)
    path = DATA_DIR / "secret_key"
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(50)
    with os.fdopen(handle, "w", encoding="ascii") as out:
        out.write(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = _flag("JIENENG_DEBUG")
ALLOWED_HOSTS = [
    "127.0.0.1",
    "localhost",
    *(host.strip() for host in os.environ.get("JIENENG_ALLOWED_HOSTS", "").split(",") if host.strip()),
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "auditlog",
    "ninja",
    "jieneng.directory",
    "jieneng.statistics",
    "jieneng.accounts",
    "jieneng.reporting",
    "jieneng.registry",
    "jieneng.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jieneng.accounts.middleware.ScopeMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

# Sign-in: django-axes counts failures per user name and address and locks out for a while.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("JIENENG_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

ROOT_URLCONF = "jieneng.web.urls"
WSGI_APPLICATION = "jieneng.web.wsgi.application"
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
                "jieneng.accounts.context.place",
            ],
        },
    },
]

_url = os.environ.get("JIENENG_DATABASE_URL")
DATABASES = {"default": database_from_url(_url) if _url else _sqlite(DATA_DIR / "jieneng.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Cookies: not readable by scripts (except CSRF, which htmx will send as a header), same-site,
# HTTPS-only when served behind TLS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day [s]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _flag("JIENENG_SECURE_COOKIES")
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

#: the coefficient set the dashboards' roll-ups are computed with (``jieneng sets`` lists them)
JIENENG_COEFFICIENT_SET = os.environ.get("JIENENG_COEFFICIENT_SET", "public-institution")
#: a folder of GeoJSON boundary files named by region code (e.g. 445200.json), for the maps
JIENENG_BOUNDARIES_DIR = Path(os.environ.get("JIENENG_BOUNDARIES_DIR", str(DATA_DIR / "boundaries")))

#: how long a computed dashboard is kept (seconds; 0: never). A change to the data shows at once
#: whatever this is: every write renews its province's stamp (jieneng.statistics.freshness)
JIENENG_DASHBOARD_CACHE_SECONDS = int(os.environ.get("JIENENG_DASHBOARD_CACHE_SECONDS", "600"))
#: per process; a cache shared by every worker (e.g. Redis) may replace it without other changes
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "jieneng",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
UPLOADS_DIR = DATA_DIR / "uploads"  # each import's file and full report, kept: nothing is lost
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "/"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
