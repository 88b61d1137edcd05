"""Test settings: only the password hasher, the email and the task backends change."""

from admissions.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STAFF_REQUIRE_MFA = False  # tests/core/test_staff_mfa.py turns it on
