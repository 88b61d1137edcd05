"""Signal receivers of the accounts app (connected in AccountsConfig.ready)."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest


@receiver(authenticator_added, dispatch_uid="admissions.accounts.second_factor_set_up")
def second_factor_set_up(
    sender: type[Authenticator],
    request: HttpRequest,
    user: Any,
    authenticator: Authenticator,
    **kwargs: Any,
) -> None:
    """Setting up TOTP means entering a valid code: this session passed the second factor, so a
    staff member sent to set it up goes on to the page they asked for (core/access.py), without
    being asked for a second code at once."""
    if authenticator.type != Authenticator.Type.TOTP or request.user.pk != user.pk:
        return
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)


@receiver(user_logged_in, dispatch_uid="admissions.accounts.language_at_login")
def language_at_login(sender: type, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """A login from a browser where a language was chosen (the language switch's cookie) keeps
    that language as the account's: its emails follow (R8.2). A browser that chose nothing (the
    page in the browser's default language) leaves the account's own choice alone, and so does a
    login without a page (a test's force_login)."""
    from admissions.accounts.languages import remember_language

    if request is None or settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        return
    remember_language(user, getattr(request, "LANGUAGE_CODE", None))
