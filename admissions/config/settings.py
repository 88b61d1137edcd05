"""Settings, from the environment only. Every variable is listed in .env.example."""

from __future__ import annotations

import contextlib
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from admissions.config.env import (
    demo_secret_key,
    email_settings,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "data")))

# PRODUCTION switches on every safeguard that `manage.py check --deploy` asks for.
PRODUCTION = env_bool("PRODUCTION", default=False)
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) is required in production")
    SECRET_KEY = demo_secret_key(DATA_DIR)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "admissions.core.admin_config.PlatformAdminConfig",  # django.contrib.admin, platform login
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",  # runserver leaves static files to WhiteNoise, as production
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "widget_tweaks",
    "django_countries",
    "dsfr",
    "django_filters",
    "django_tables2",
    "admissions.core",
    "admissions.accounts",
    "admissions.campaigns",
    "admissions.audit",
    "admissions.dossiers",
    "admissions.documents",
    "admissions.payments",
    "admissions.referees",
    "admissions.support",
    "admissions.notifications",
    "admissions.verification",
    "admissions.committee",
    "admissions.exams",
    "admissions.alternation",
    "admissions.companies",
    "admissions.company_search",
    "admissions.preentry",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "admissions.core.middleware.RequestSizeLimitMiddleware",
    "admissions.core.middleware.PrivatePagesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "admissions.core.middleware.CampaignTimeZoneMiddleware",
    "admissions.accounts.devices.KnownDeviceMiddleware",
]

# WhiteNoise serves the static files in every mode, so that the demo runs with DEBUG off (no
# debug page) and still has its styles. Production serves what `collectstatic` gathered;
# elsewhere the files are found where the apps keep them, nothing to collect.
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
if not PRODUCTION:
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True  # looks files up per request: no STATIC_ROOT needed

ROOT_URLCONF = "admissions.config.urls"
WSGI_APPLICATION = "admissions.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "admissions" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "admissions.core.context_processors.platform",
            ],
        },
    },
]
# django-dsfr's markup, its field templates compiled by Jinja2 (core/forms.py). Named here so
# that Django builds it once per process: django-dsfr's forms otherwise make a new renderer,
# with a new template engine and uncached templates, for every form they render.
FORM_RENDERER = "admissions.core.forms.PageFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the demo's web server and task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the queue's EXISTS filters over 100,000 dossiers are estimated costly
    # enough to trigger it, and compiling took 220 of a query's 315 ms, the rest 53 ms
    # (benchmarks/back_office/RESULTS.md). A web request's queries never earn it back.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "admissions.accounts.backends.AccountBackend",
    "admissions.accounts.backends.AllauthBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# A refused form (expired page, blocked cookies) gets the platform's own page, translated.
CSRF_FAILURE_VIEW = "admissions.core.views.csrf_failure"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email is the identity (R2.1); staff add TOTP (R2.2).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
# Rate limits (issue 10), sized for a deadline evening: thousands of candidates behind a few
# campus or company NATs share an address, so per-address limits are generous and only stop
# scripts; per-account limits (key: the email) stop guessing one account's password. Failures
# from a device the account logged in from count apart (accounts/devices.py), and a password
# reset clears the account's counter. Each can be set from the environment (allauth's syntax).
ACCOUNT_RATE_LIMITS = {
    "login": env_str("RATE_LIMIT_LOGIN") or "300/m/ip",
    "login_failed": env_str("RATE_LIMIT_LOGIN_FAILED") or "100/5m/ip,5/5m/key",
    "signup": env_str("RATE_LIMIT_SIGNUP") or "300/h/ip",
    "reset_password": env_str("RATE_LIMIT_RESET_PASSWORD") or "100/h/ip,3/h/key",
    "reset_password_from_key": env_str("RATE_LIMIT_RESET_PASSWORD_FROM_KEY") or "100/m/ip",
}
# Behind the reverse proxy (docs/deploy.md), the client's address is read from the proxy's
# header: X-Forwarded-For with TRUSTED_PROXY_COUNT proxies, or TRUSTED_CLIENT_IP_HEADER
# (e.g. X-Real-IP). Headers are believed only on connections from TRUSTED_PROXIES.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER") or None
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1", "::1"])
ACCOUNT_ADAPTER = "admissions.accounts.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Staff pages require a second factor (R2.2); the demo turns it off for convenience.
STAFF_REQUIRE_MFA = env_bool("STAFF_REQUIRE_MFA", default=True)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "admissions" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Uploaded documents live outside the web root; only views that check R9.2 serve them.
MEDIA_ROOT = Path(env_str("DOCUMENTS_ROOT", str(DATA_DIR / "documents")))
# No URL serves this prefix (only Django's test live server would): documents go through views.
MEDIA_URL = "/media-not-served/"

S3_BUCKET = env_str("S3_BUCKET")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": S3_BUCKET,
                "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
                "access_key": env_secret("S3_ACCESS_KEY"),
                "secret_key": env_secret("S3_SECRET_KEY"),
                "region_name": env_str("S3_REGION") or None,
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
        if S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Request sizes (issue 10), from what the campaign allows: a document is at most 2 MiB
# ([uploads] max_bytes) and a slot takes at most 10 pages (R10.3), so the largest legitimate
# request is about 20 MiB of files. Beyond MAX_REQUEST_BYTES the body is refused with a 413
# page before it is read (core/middleware.py); nginx's client_max_body_size must match
# (docs/deploy.md). Form fields without files are small: DATA_UPLOAD_MAX_MEMORY_SIZE.
MIB = 1_048_576
UPLOAD_MAX_FILE_BYTES = 2 * MIB
UPLOAD_MAX_PAGES = 10
MAX_REQUEST_BYTES = env_int(
    "MAX_REQUEST_BYTES",
    UPLOAD_MAX_PAGES * UPLOAD_MAX_FILE_BYTES + 4 * MIB,  # 24 MiB
)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # one document fits in memory; more goes to the folder
DATA_UPLOAD_MAX_MEMORY_SIZE = 1 * MIB
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1_000
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_PAGES + 5
# Uploads in progress beyond FILE_UPLOAD_MAX_MEMORY_SIZE: Django deletes each file when the
# request ends; `manage.py sweep_uploads` removes what a killed process left (cron, hourly).
# Document pages rendered as images for staff (documents/rendering.py): a cache on local disk,
# safe to delete at any time (pages are rendered again on demand).
RENDER_CACHE_DIR = Path(env_str("RENDER_CACHE_DIR") or str(DATA_DIR / "rendered-pages"))
FILE_UPLOAD_TEMP_DIR = env_str("UPLOAD_TEMP_DIR") or str(DATA_DIR / "uploads-in-progress")
with contextlib.suppress(OSError):  # a read-only checkout running a command that uploads nothing
    Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_PERMISSIONS = 0o640

globals().update(email_settings(env_str("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "admissions@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The check queue's bulk PDFs (R10.5): at most this many dossiers per ZIP, kept this long
# before `manage.py sweep_bulk_exports` deletes the file.
BULK_EXPORT_MAX_DOSSIERS = env_int("BULK_EXPORT_MAX_DOSSIERS", 500)
BULK_EXPORT_TTL_SECONDS = env_int("BULK_EXPORT_TTL_SECONDS", 24 * 3600)

# Email and PDF work runs in the background (R8.2): `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# With a shared cache, sessions are read from it and written to both (the database stays the
# record). Without one, only the database: a per-process cache would serve stale sessions.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if env_str("REDIS_URL")
    else "django.contrib.sessions.backends.db"
)

# The campaign the public pages show; `load_campaign` creates it from its file.
DEFAULT_CAMPAIGN = env_str("DEFAULT_CAMPAIGN", "imt-mines-albi-2021")
# Simulations run the platform at another date (R1.5); never set in production.
# CLOCK_AT alone freezes the clock at that instant; with CLOCK_SINCE (a real instant) time flows
# from CLOCK_AT as it has flowed since CLOCK_SINCE (the demo runs inside the 2021 window).
CLOCK_AT = env_str("CLOCK_AT")
CLOCK_SINCE = env_str("CLOCK_SINCE")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every step of every PDF at INFO; pypdf complains about hostile files.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pypdf": {"level": "ERROR"},
    },
}
