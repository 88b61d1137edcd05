"""Known devices: a lockout by failed passwords does not lock the owner out (issue 10).

Five wrong passwords on an account (allauth's per-key ``login_failed`` limit) refuse that
account's login for a while, which anyone who knows a candidate's email could do on purpose.
Each successful login leaves a signed cookie on the browser that names the account (a hash of
its login, never the email itself) and the device (a random identifier). A login attempt from a
browser that carries it counts its failures under a key of its own, ``<account>#<device>``,
with the same limits: strangers' failures do not lock it, and guessing from it stays limited.
A password reset link clears the account's own counter (allauth does it after the reset)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE_SALT = "admissions.accounts.known_device"
ACCOUNTS_PER_DEVICE = 5  # a shared family computer: the last five accounts logged in on it
_TO_REMEMBER = "_known_device_account"


def cookie_name() -> str:
    return getattr(settings, "KNOWN_DEVICE_COOKIE_NAME", "appareil_connu")


def cookie_max_age() -> int:
    return getattr(settings, "KNOWN_DEVICE_MAX_AGE", 365 * 24 * 3600)


def account_hash(login_key: str) -> str:
    """The account as the cookie names it: allauth's login-attempts key, hashed."""
    return hashlib.sha256(login_key.encode()).hexdigest()[:32]


def read_cookie(request: HttpRequest) -> dict[str, Any] | None:
    value = request.COOKIES.get(cookie_name())
    if not value:
        return None
    try:
        payload = signing.loads(value, salt=COOKIE_SALT, max_age=cookie_max_age())
    except signing.BadSignature:
        return None
    if not (
        isinstance(payload, dict)
        and isinstance(payload.get("device"), str)
        and isinstance(payload.get("accounts"), list)
    ):
        return None
    return payload


def device_key(request: HttpRequest, login_key: str) -> str | None:
    """The rate-limit key for failures of ``login_key`` from this browser, if it is a device
    this account logged in from; None for any other browser (the account's own key applies)."""
    payload = read_cookie(request)
    if payload is None or account_hash(login_key) not in payload["accounts"]:
        return None
    return f"{login_key}#{payload['device']}"


def remember_after_login(request: HttpRequest, login_key: str) -> None:
    """Called on a successful login: the response will carry the cookie (middleware below)."""
    setattr(request, _TO_REMEMBER, account_hash(login_key))


def with_account(request: HttpRequest, account: str) -> str:
    payload = read_cookie(request) or {"device": secrets.token_urlsafe(16), "accounts": []}
    accounts = [known for known in payload["accounts"] if known != account] + [account]
    payload["accounts"] = accounts[-ACCOUNTS_PER_DEVICE:]
    return signing.dumps(payload, salt=COOKIE_SALT, compress=True)


class KnownDeviceMiddleware:
    """Sets the known-device cookie on the response of a successful login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        account = getattr(request, _TO_REMEMBER, None)
        if account:
            response.set_cookie(
                cookie_name(),
                with_account(request, account),
                max_age=cookie_max_age(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
