"""The platform's two languages, for the rules that word things themselves (no Django import).

The interface reads the page's language in one place (``core.language.page_language``) and passes
it in; every choice between a French and an English wording goes through ``in_language``.
French is the platform's first language: it is the answer whenever no English is given.
"""

from __future__ import annotations

from typing import TypeVar

FRENCH = "fr"
ENGLISH = "en"

T = TypeVar("T")


def is_english(language: str) -> bool:
    """``en``, ``en-gb``: English; anything else is answered in French."""
    return language.startswith(ENGLISH)


def platform_language(code: str | None) -> str:
    """One of the platform's two languages for any language code: ``en`` for English, ``fr``
    for anything else (French, an empty or unknown code)."""
    return ENGLISH if code and is_english(code) else FRENCH


def in_language(language: str, french: T, english: T | None) -> T:
    """``english`` on an English page when there is one (not empty), ``french`` otherwise."""
    return english if is_english(language) and english else french
