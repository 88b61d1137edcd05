"""Opening a browser session as an account, without going through the login form."""

from __future__ import annotations

from django.test import Client


def log_in(page, live_server, user, language: str = "fr") -> None:
    """The browser becomes ``user`` (any account it held before is dropped), in ``language``."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )
