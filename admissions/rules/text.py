"""Which characters a piece of text may hold: the one place for these rules (issue 8, issue 10).

No Django import: the functions take a string and answer with the characters at fault (each
once, in order of appearance), so forms word the refusal in the page's language and the
rules are tested without a database (tests/rules/test_text.py).

- A single-line field (a name, an address, a phone number, a reference) holds no control
  character: a line break in a name ends up in an email header, and the email fails.
- Invisible formatting characters (Unicode category Cf: the right-to-left override and the
  other bidirectional controls, zero-width spaces and joiners, the byte order mark...) change
  what staff read without being seen: refused in names, removed from other text. Two of them,
  the zero-width joiner and non-joiner, are kept outside names: Persian and Indic writing and
  emoji sequences need them, and they reorder nothing.
- A legal name or a birthplace holds letters of any script (with their combining accents),
  spaces, hyphens and apostrophes (' and ’), and at least one letter (issue 8).
"""

from __future__ import annotations

import unicodedata

LINE_BREAKS_KEPT = frozenset("\n\r\t")  # in free text: what a textarea legitimately sends
JOINERS = frozenset("\u200c\u200d")  # zero-width non-joiner and joiner
NAME_PUNCTUATION = frozenset(" -'\u2019")  # space, hyphen-minus, apostrophe, right single quote


def _unique(characters: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(characters))


def is_control(char: str) -> bool:
    """A control character (C0, DEL, C1) or a line or paragraph separator (U+2028, U+2029)."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


def is_invisible_formatting(char: str) -> bool:
    """A format character (category Cf): bidi controls U+202A-U+202E and U+2066-U+2069, the
    marks U+200E/U+200F and U+061C, zero-width U+200B-U+200D, U+2060, U+FEFF, soft hyphen..."""
    return unicodedata.category(char) == "Cf"


def control_characters(text: str) -> tuple[str, ...]:
    """The control characters of ``text``: none may appear in a single-line field."""
    return _unique([char for char in text if is_control(char)])


def invisible_characters(text: str, *, allow_joiners: bool = False) -> tuple[str, ...]:
    """The invisible formatting characters of ``text`` (joiners left out if allowed)."""
    return _unique(
        [
            char
            for char in text
            if is_invisible_formatting(char) and not (allow_joiners and char in JOINERS)
        ]
    )


def single_line_faults(text: str) -> tuple[str, ...]:
    """What a single-line field (not a name) may not hold: controls, invisible formatting."""
    return _unique([*control_characters(text), *invisible_characters(text, allow_joiners=True)])


def name_faults(text: str) -> tuple[str, ...]:
    """The characters a legal name or birthplace may not hold, in order (issue 8).

    Letters of any script, combining marks that follow a letter (``e`` + U+0301 is "é"
    decomposed), spaces, hyphens and apostrophes only: no digit, emoji, symbol, control or
    invisible character.
    """
    faults = []
    after_letter = False
    for char in text:
        category = unicodedata.category(char)
        if category[0] == "L":
            after_letter = True
        elif category[0] == "M" and after_letter:
            continue  # a combining accent on the letter before it
        else:
            after_letter = False
            if char not in NAME_PUNCTUATION:
                faults.append(char)
    return _unique(faults)


def is_legal_name(text: str) -> bool:
    """True for a name made only of allowed characters, with at least one letter."""
    has_letter = any(unicodedata.category(char)[0] == "L" for char in text)
    return has_letter and not name_faults(text)


def neutralise(text: str) -> str:
    """Free text with its invisible formatting and control characters removed (issue 10).

    Kept: line breaks and tabs, and the zero-width joiners (see the module's docstring).
    Line and paragraph separators (U+2028, U+2029) become line breaks.
    """
    kept = []
    for char in text:
        if char in ("\u2028", "\u2029"):
            kept.append("\n")
        elif (
            char in LINE_BREAKS_KEPT
            or char in JOINERS
            or not (is_control(char) or is_invisible_formatting(char))
        ):
            kept.append(char)
    return "".join(kept)


def describe(char: str) -> str:
    """``U+202E`` for an invisible or control character, the character itself otherwise."""
    if is_control(char) or is_invisible_formatting(char) or char.isspace():
        return f"U+{ord(char):04X}"
    if unicodedata.category(char)[0] == "M":  # a lone combining mark shows on nothing
        return f"U+{ord(char):04X}"
    return char
