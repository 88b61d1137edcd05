"""Account behaviour that depends on the campaign and the platform (R2.1)."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """No account creation outside the application window (R1.2, R2.1)."""
        from admissions.campaigns.selectors import signup_open  # thin: avoids an import cycle

        return signup_open(request)

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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render now (in the page's language), send in the background (R8.2)."""
        from admissions.accounts.tasks import send_account_email  # tasks import this module

        message = self.render_mail(template_prefix, email, context)
        html = next(
            (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"),
            "",
        )
        payload = {
            "subject": message.subject,
            "body": message.body,
            "from_email": message.from_email,
            "to": list(message.to),
            "html": html,
        }
        transaction.on_commit(lambda: send_account_email.enqueue(**payload))
