"""Account behaviour that depends on the campaign and the platform (R2.1)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.translation import get_language

from admissions.accounts import devices
from admissions.accounts.emails import queue_account_email
from admissions.campaigns import selectors


@dataclass(frozen=True)
class SchoolSite:
    """What allauth's templates call ``current_site``: the campaign's school, not the host name."""

    name: str
    domain: str


def school_site(request: HttpRequest | None) -> SchoolSite:
    """The school of the request's campaign, and the platform's public host (SITE_URL)."""
    campaign = (
        selectors.request_campaign(request) if request is not None else selectors.current_campaign()
    )
    name = campaign.school.name if campaign is not None else "Admissions"
    domain = urlsplit(settings.SITE_URL).netloc or (
        request.get_host() if request is not None else ""
    )
    return SchoolSite(name=name, domain=domain)


def from_trusted_proxy(remote_addr: str) -> bool:
    """Whether the connection comes from one of settings.TRUSTED_PROXIES (addresses or
    networks): only then are the proxy's client-address headers believed (issue 10)."""
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    for proxy in getattr(settings, "TRUSTED_PROXIES", []):
        try:
            if address in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            continue
    return False


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """No account creation outside the application window (R1.2, R2.1)."""
        return selectors.signup_open(request)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """A new account reads its emails in the language of the sign-up page (R8.2)."""
        from admissions.accounts.languages import supported_language

        user = super().save_user(request, user, form, commit=False)
        user.language = supported_language(get_language()) or user.language
        if commit:
            user.save()
        return user

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address for the rate limits. Behind the reverse proxy, allauth reads it
        from the proxy's header (ALLAUTH_TRUSTED_PROXY_COUNT / ALLAUTH_TRUSTED_CLIENT_IP_HEADER);
        a connection that does not come from a trusted proxy is counted by its own address,
        whatever header it sends."""
        remote_addr = request.META.get("REMOTE_ADDR", "")
        if from_trusted_proxy(remote_addr):
            return super().get_client_ip(request)
        if not remote_addr:
            raise PermissionDenied("Unable to determine client IP address")
        return remote_addr

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """From a device this account logged in from, failures count under the device's own
        key: five failures by someone else do not lock the owner out (issue 10)."""
        login_key = self._get_login_attempts_cache_key(request, **credentials)
        own_key = devices.device_key(request, login_key)
        if own_key is None:
            super().pre_authenticate(request, **credentials)
            return
        self._login_failed_rl_usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed", key=own_key
        )
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")

    def login(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        """Every successful login (after the second factor) makes this browser a known device."""
        super().login(request, user)
        email = getattr(user, "email", "")
        if email:
            devices.remember_after_login(
                request, self._get_login_attempts_cache_key(request, email=email)
            )

    def get_login_redirect_url(self, request) -> str:
        """Candidates land on their dossier; staff on the staff home (what their roles open)."""
        user = request.user
        if user.is_authenticated and user.is_staff_member:
            return reverse("staff_home")
        if user.is_authenticated:
            return reverse("dossiers:overview")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request) -> str:
        """The login that follows the confirmation link of a sign-up lands on the dossier too."""
        return self.get_login_redirect_url(request)

    def format_email_subject(self, subject: str) -> str:
        """``[IMT Mines Albi-Carmaux] …``: the school's name, never the host's (issue 8)."""
        return f"[{school_site(allauth_context.request).name}] {force_str(subject)}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render now (in the page's language), send in the background through the outbox (R8.2).

        The templates get what allauth's own send_mail gives them (request, email,
        current_site), the site being the campaign's school."""
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": school_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, context)
        queue_account_email(template_prefix=template_prefix, message=message)
