"""The admin's app config, apart from the site: INSTALLED_APPS imports it before any model."""

from django.contrib.admin.apps import AdminConfig


class PlatformAdminConfig(AdminConfig):
    """Replaces ``django.contrib.admin`` in INSTALLED_APPS: ``admin.site`` is the platform's
    (core/admin_site.py: login through allauth, platform administrator with a second factor)."""

    default_site = "admissions.core.admin_site.PlatformAdminSite"
