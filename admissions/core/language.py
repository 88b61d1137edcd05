"""The page's language, read in one place, and the one way to pick a French or English text.

Rules return codes and data, worded in both languages where they cannot use gettext
(``rules.language``); models and campaign data hold a French field and, where given, an
English one (``label_fr`` / ``label_en``, ``name`` / ``name_en``). Everything else comes from
Django's i18n. Views, templates tags and services ask ``page_language()`` instead of reading
``get_language()`` themselves.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.utils.translation import get_language

from admissions.rules.language import in_language, platform_language

T = TypeVar("T")


def page_language() -> str:
    """``en`` when English is active, else ``fr`` (the platform's first language)."""
    return platform_language(get_language())


def in_page_language(french: T, english: T | None) -> T:
    """``english`` on an English page when there is one, ``french`` otherwise."""
    return in_language(page_language(), french, english)


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """``obj.<field>_en`` on an English page when it is not empty, else the French text:
    ``obj.<field>_fr`` where the object has one, ``obj.<field>`` otherwise
    (``localized(alternative, "label")``, ``localized(campaign, "name")``)."""
    french = getattr(obj, f"{field}_fr", None)
    if french is None:
        french = getattr(obj, field)
    english = getattr(obj, f"{field}_en", None)
    return in_language(language or page_language(), french, english)
