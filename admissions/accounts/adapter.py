"""Account rules that depend on the campaign: no sign-up outside the application window (R2.1)."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        from admissions.campaigns.selectors import signup_open  # thin: avoids an import cycle

        return signup_open(request)
