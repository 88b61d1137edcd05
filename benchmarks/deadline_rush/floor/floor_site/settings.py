"""The framework's floor: one Django view, one INSERT, served like the platform (see ../../README.md)."""

from __future__ import annotations

import os

import dj_database_url

DEBUG = False
SECRET_KEY = os.environ.get("FLOOR_SECRET_KEY", "floor-bench-only-not-a-secret")  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = ["floor_site"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
ROOT_URLCONF = "floor_site.urls"
WSGI_APPLICATION = "floor_site.wsgi.application"
TEMPLATES = [
    {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True, "OPTIONS": {}}
]
# Same connection policy as the platform (DATABASE_CONN_MAX_AGE defaults to 60 there).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Europe/Paris"
USE_I18N = False
