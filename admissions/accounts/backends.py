"""Authentication backends that read, with the account, whether it holds any staff role.

Every request of a logged-in user asks ``user.roles()`` (core/access.py). Candidates, who make
almost every request, hold no grant: knowing that from the account's own query saves a second
query per request. Accounts with grants still read them (``User.roles``)."""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from admissions.accounts.models import RoleGrant, User


class _ReadsGrantPresence(ModelBackend):
    def get_user(self, user_id):
        user = (
            User._default_manager.annotate(
                holds_grants=Exists(RoleGrant.objects.filter(user=OuterRef("pk")))
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None


class AccountBackend(_ReadsGrantPresence, ModelBackend):
    """Django's ModelBackend (password login), reading grant presence with the account."""


class AllauthBackend(_ReadsGrantPresence, AuthenticationBackend):
    """allauth's backend (login by email), reading grant presence with the account."""
