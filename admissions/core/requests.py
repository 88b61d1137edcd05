"""Requests as the type checker sees them once the middleware and the access rules have run."""

from __future__ import annotations

from django.http import HttpRequest

from admissions.accounts.models import User


class SignedInRequest(HttpRequest):
    """A request that ``require_access`` let through for a signed-in account, never a visitor:
    AuthenticationMiddleware set ``user`` to the account. For annotations only: Django still
    builds plain HttpRequest objects."""

    user: User
