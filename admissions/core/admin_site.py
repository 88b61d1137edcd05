"""The admin behind the platform's own door (R2.2, issue 10).

Django's admin has its own login form: a password alone, no second factor, no rate limit. Here
its login sends to the platform's (allauth) login, which applies the second factor and the rate
limits, and the admin opens only to a platform administrator whose session passed the second
factor, as the staff pages require (core/access.py). The admin shows every school's rows with no
object-level check, so it opens only to an administrator of every school (a superuser, or a
platform administrator grant without a school, R9.2): one granted for one school is refused."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from admissions.accounts.models import Role, User
from admissions.accounts.scope import school_scope
from admissions.core.access import PLATFORM_ADMIN, second_factor_url, staff_without_second_factor


def administers_every_school(request: HttpRequest) -> bool:
    """A platform administrator whose grant covers every school (the admin is not scoped)."""
    user = request.user
    return (
        isinstance(user, User)
        and PLATFORM_ADMIN.allows(request)
        and school_scope(user, [Role.PLATFORM_ADMIN]).everywhere
    )


class PlatformAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        """Django's rule (active staff account) and the platform's: platform administrator of
        every school, in a session that passed the second factor."""
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and administers_every_school(request)
            and not staff_without_second_factor(request, PLATFORM_ADMIN)
        )

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """No login form of its own: the platform's login, or the second factor this session
        still lacks, then back to the admin page asked for."""
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(next_url, login_url=reverse("account_login"))
        if not administers_every_school(request) or not request.user.is_staff:
            raise PermissionDenied
        if staff_without_second_factor(request, PLATFORM_ADMIN):
            return HttpResponseRedirect(second_factor_url(request, next_url))
        return HttpResponseRedirect(next_url)
