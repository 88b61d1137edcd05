"""The floor with what any page save needs besides its INSERT: a session, its account, the
owner's row read and updated, an audit line (see ../../README.md, "floor-save")."""

from __future__ import annotations

from floor_site.settings import *  # noqa: F403
from floor_site.settings import INSTALLED_APPS

INSTALLED_APPS = [
    *INSTALLED_APPS,
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "floor_login",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "floor_login.urls"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher"
]  # accounts made once, never used
