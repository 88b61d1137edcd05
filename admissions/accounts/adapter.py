"""Account behaviour that depends on the campaign and the platform (R2.1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_str


@dataclass(frozen=True)
class SchoolSite:
    """What allauth's templates call ``current_site``: the campaign's school, not the host name."""

    name: str
    domain: str


def school_site(request: HttpRequest | None) -> SchoolSite:
    """The school of the request's campaign, and the platform's public host (SITE_URL)."""
    from admissions.campaigns import selectors  # thin: avoids an import cycle

    campaign = selectors.request_campaign(request) if request is not None else selectors.current_campaign()
    name = campaign.school.name if campaign is not None else "Admissions"
    domain = urlsplit(settings.SITE_URL).netloc or (request.get_host() if request is not None else "")
    return SchoolSite(name=name, domain=domain)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """No account creation outside the application window (R1.2, R2.1)."""
        from admissions.campaigns.selectors import signup_open  # thin: avoids an import cycle

        return signup_open(request)

    def get_login_redirect_url(self, request) -> str:
        """Candidates land on their dossier; staff on the home page."""
        user = request.user
        if user.is_authenticated and not user.is_staff_member:
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
        from admissions.accounts.emails import queue_account_email  # emails import the outbox

        request = allauth_context.request
        context = {"request": request, "email": email, "current_site": school_site(request), **context}
        message = self.render_mail(template_prefix, email, context)
        queue_account_email(template_prefix=template_prefix, message=message)
