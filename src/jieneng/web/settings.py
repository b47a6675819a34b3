"""Django settings, built from the ``JIENENG_*`` environment variables (:mod:`jieneng.config`).

Every variable, its default and what it accepts: ``docs/settings.md``. The object is read once and kept
as ``JIENENG``; code reads it with :func:`jieneng.config.current`.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from jieneng import config
from jieneng.config import database_from_url as database_from_url  # noqa: PLC0414 - still importable here

JIENENG = config.from_process()
PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = JIENENG.data_dir


def _secret_key() -> str:
    """``JIENENG.secret_key``, else a key generated once and kept (mode 600) in the data dir.

    Without a data dir (the command line converting a file in some folder) the key is made for this
    process only: nothing is written where the user happens to be.
    """
    if JIENENG.secret_key:
        return JIENENG.secret_key
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
DEBUG = JIENENG.debug
ALLOWED_HOSTS = ["127.0.0.1", "localhost", *JIENENG.allowed_hosts]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "jieneng.web.apps.BackgroundTasks",  # django_tasks_db, axes and auditlog under Chinese names
    "jieneng.web.apps.SignInProtection",
    "jieneng.web.apps.AuditTrail",
    "ninja",
    "jieneng.directory",
    "jieneng.statistics",
    "jieneng.accounts",
    "jieneng.reporting",
    "jieneng.registry",
    "jieneng.dashboard",
    "jieneng.operations",
    "jieneng.targets",
    "jieneng.projects",
    "jieneng.assessment",
    "jieneng.monitoring",
    "jieneng.bulletins",
    "jieneng.web.feeds.Feeds",  # what one domain offers another (project counts for the targets)
]

MIDDLEWARE = [
    "jieneng.operations.logs.RequestLogMiddleware",  # first: it times everything below
    "django.middleware.security.SecurityMiddleware",
    "jieneng.web.security.ContentSecurityPolicyMiddleware",
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
AXES_FAILURE_LIMIT = JIENENG.login_failures
if JIENENG.email_host:  # reminders of late tasks are emailed too (jieneng.targets.tasks)
    EMAIL_HOST = JIENENG.email_host
if JIENENG.email_from:
    DEFAULT_FROM_EMAIL = JIENENG.email_from
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

DATABASES = {"default": JIENENG.database()}
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
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = JIENENG.secure_cookies
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS behind a reverse proxy (docs/deploy.md): off by default, so that the demo runs on plain HTTP
SECURE_SSL_REDIRECT = JIENENG.https_redirect
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if JIENENG.proxy_https_header else None
SECURE_HSTS_SECONDS = JIENENG.hsts_seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = JIENENG.hsts_include_subdomains
SECURE_HSTS_PRELOAD = JIENENG.hsts_preload
CSRF_TRUSTED_ORIGINS = list(JIENENG.csrf_trusted_origins)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

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

# One line per request (logger jieneng.requests) and per import job (jieneng.jobs), JSON or text
# (JIENENG_LOG_FORMAT), on standard error, where systemd's journal or the container runtime keeps them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "jieneng.operations.logs.JsonFormatter"},
        "text": {"()": "jieneng.operations.logs.TextFormatter"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": JIENENG.log_format},
    },
    "loggers": {
        "jieneng": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
    },
}
