"""Account emails (confirmation, password reset) through the outbox (R2.1, R8.2).

allauth renders them in the page's language while the request is there; the outbox keeps the
rendered text until the message has left (then clears it: it holds a secret link).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, gettext_lazy

from admissions.accounts.languages import recipient_language, supported_language
from admissions.campaigns.models import Campaign
from admissions.notifications.models import OutboundEmail
from admissions.notifications.previews import (
    SAMPLE_EMAIL,
    Variants,
    sample_candidate,
)
from admissions.notifications.services import queue_email

CONFIRMATION_TEMPLATES = (
    "account/email/email_confirmation",
    "account/email/email_confirmation_signup",
)
# An account younger than this may still be getting its confirmation the normal way.
CONFIRMATION_GRACE = timedelta(minutes=10)


def queue_account_email(*, template_prefix: str, message: EmailMessage) -> OutboundEmail:
    html = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        "",
    )
    kind = (
        OutboundEmail.Kind.ACCOUNT_CONFIRMATION
        if template_prefix in CONFIRMATION_TEMPLATES
        else OutboundEmail.Kind.ACCOUNT
    )
    return queue_email(
        kind=kind,
        key=f"account:{uuid.uuid4().hex}",  # each one was asked for: never a duplicate of another
        recipient=", ".join(message.to),
        # allauth rendered it in the page's language: the outbox records which.
        language=supported_language(get_language()) or "fr",
        payload={
            "subject": message.subject,
            "body": message.body,
            "from_email": message.from_email,
            "to": list(message.to),
            "html": html,
        },
    )


def compose_account_email(email: OutboundEmail) -> EmailMessage:
    content = email.payload
    message = EmailMultiAlternatives(
        content["subject"], content["body"], content["from_email"], content["to"]
    )
    if content.get("html"):
        message.attach_alternative(content["html"], "text/html")
    return message


class SiteRequest(HttpRequest):
    """A request for SITE_URL, for allauth to build the confirmation link outside a page."""

    def __init__(self) -> None:
        super().__init__()
        site = urlsplit(settings.SITE_URL)
        self._site_scheme = site.scheme or "http"
        self.META["HTTP_HOST"] = site.netloc
        self.META["SERVER_NAME"] = site.hostname or "localhost"
        self.META["SERVER_PORT"] = str(site.port or (443 if self._site_scheme == "https" else 80))

    def _get_scheme(self) -> str:
        return self._site_scheme

    def get_host(self) -> str:
        return self.META["HTTP_HOST"]  # the platform's own setting, not a client's header


def send_missing_confirmations(*, now: datetime) -> int:
    """Send the confirmation email to each unconfirmed address that never got one (its queueing
    was lost with a killed process); return how many. Run by ``manage.py sweep_emails``.

    Only addresses of accounts old enough that their own sign-up is over, and young enough that
    the link would still work: an older account asks for a new link from the login page.
    """
    from allauth.account import app_settings  # allauth's settings read at call time
    from allauth.account.models import EmailAddress
    from allauth.core.context import request_context

    expiry = timedelta(days=app_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS)
    owed = {}
    for address in EmailAddress.objects.filter(
        verified=False,
        user__date_joined__lte=now - CONFIRMATION_GRACE,
        user__date_joined__gt=now - expiry,
    ).select_related("user"):
        owed[address.email.lower()] = address
    if not owed:
        return 0
    # Any row counts, a failed one too: an address the server refuses is not retried every five
    # minutes; its owner asks for a new link from the login page.
    confirmed_or_owed = {
        recipient.lower()
        for recipient in OutboundEmail.objects.filter(
            kind=OutboundEmail.Kind.ACCOUNT_CONFIRMATION, recipient__in=list(owed)
        ).values_list("recipient", flat=True)
    }
    sent = 0
    for email, address in owed.items():
        if email in confirmed_or_owed:
            continue
        request = SiteRequest()
        with request_context(request):  # allauth renders the email with the current request
            address.send_confirmation(request, signup=False)
        sent += 1
    return sent


# --- Previews for staff (notifications/previews.py) -----------------------------------------


def render_sample(template_prefix: str, language: str, extra: dict[str, Any]) -> EmailMessage:
    """An account email as allauth renders it, for a made-up account, links made up too."""
    from allauth.core.context import request_context

    from admissions.accounts.adapter import AccountAdapter, school_site

    request = SiteRequest()
    with request_context(request):
        context = {
            "request": request,
            "email": SAMPLE_EMAIL,
            "user": sample_candidate(language),
            "current_site": school_site(request),
            **extra,
        }
        return AccountAdapter(request).render_mail(template_prefix, SAMPLE_EMAIL, context)


def sample_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def preview_confirmation(*, campaign: Campaign, language: str) -> Variants:
    key = "EXEMPLE"
    message = render_sample(
        "account/email/email_confirmation_signup",
        language,
        {"key": key, "activate_url": sample_link(reverse("account_confirm_email", args=[key]))},
    )
    return [("", message)]


def preview_account_emails(*, campaign: Campaign, language: str) -> Variants:
    reset = render_sample(
        "account/email/password_reset_key",
        language,
        {
            "password_reset_url": sample_link(
                reverse("account_reset_password_from_key", kwargs={"uidb36": "0", "key": "EXEMPLE"})
            )
        },
    )
    return [(gettext_lazy("Réinitialisation du mot de passe"), reset)]


def queue_staff_invitation(user) -> None:
    """Email a staff account a link to choose its password (issue 11), through the outbox.

    The link is allauth's password-reset link (a token valid PASSWORD_RESET_TIMEOUT, spent once
    the password is set); the text says it is an invitation. Rendered in the account's
    language (chosen by the administrator who invited it, whatever their page's language), for
    SITE_URL. Call inside the transaction that creates or re-invites the account."""
    from allauth.account.adapter import get_adapter
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from allauth.core.context import request_context

    from admissions.accounts.models import STAFF_ROLES, Role

    request = SiteRequest()
    with request_context(request), translation.override(recipient_language(user)):
        adapter = get_adapter(request)
        key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
        roles = [str(Role(role).label) for role in sorted(user.roles() & STAFF_ROLES)]
        adapter.send_mail(
            "account/email/staff_invitation",
            user.email,
            {
                "user": user,
                "password_set_url": adapter.get_reset_password_from_key_url(key),
                "roles": roles,
            },
        )
