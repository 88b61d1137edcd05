"""The language an account reads its emails in (R8.2).

An account's ``language`` follows the pages: it is set from the page's language at sign-up
(``AccountAdapter.save_user``), at a login from a browser where a language was chosen
(``receivers.language_at_login``: the language switch's cookie), and whenever the signed-in
account switches language (``core.views.set_language``). Emails queued without a request
(reminders from cron, the background worker) read it through ``recipient_language``.
"""

from __future__ import annotations

from typing import Any

from admissions.accounts.models import Language, User

SUPPORTED = frozenset(Language.values)
DEFAULT = Language.FR.value


def supported_language(code: str | None) -> str | None:
    """``code`` reduced to a language of the platform ("en-gb" -> "en"); None when unknown."""
    short = (code or "").split("-")[0].lower()
    return short if short in SUPPORTED else None


def recipient_language(user: Any) -> str:
    """The language to write to ``user`` in: theirs, French for anyone else (a referee, an
    address without an account, an account saved before languages were kept)."""
    return supported_language(getattr(user, "language", None)) or DEFAULT


def remember_language(user: User, code: str | None) -> None:
    """Keep ``code`` as the account's language; one UPDATE only when it changes."""
    language = supported_language(code)
    if language is None or not user.pk or user.language == language:
        return
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
