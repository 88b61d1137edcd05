"""Results that explain themselves, in French and English.

The rules package has no Django import, so it cannot use gettext: each reason carries its
code (stable, for tests and the interface) and its wording in both languages of the platform.
``Reason.text(language)`` picks one; the interface passes the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .language import in_language


@dataclass(frozen=True)
class Reason:
    code: str  # stable identifier, e.g. "age.over_limit_at_contract"
    fr: str
    en: str
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def text(self, language: str = "fr") -> str:
        return in_language(language, self.fr, self.en)


class RulesError(ValueError):
    """Raised when the inputs make no sense for a rule (not a refusal: a programming or data error)."""

    def __init__(self, reason: Reason):
        super().__init__(reason.en)
        self.reason = reason


@dataclass(frozen=True)
class Decision:
    """A yes/no answer with its reasons: why not when refused; notes or warnings when allowed.

    ``bool(decision)`` is ``decision.allowed``: a dataclass is otherwise always truthy, and
    ``if can_submit(...):`` must not silently mean "yes".
    """

    allowed: bool
    reasons: tuple[Reason, ...] = ()

    def __bool__(self) -> bool:
        return self.allowed

    @classmethod
    def allow(cls, *reasons: Reason) -> Decision:
        return cls(True, tuple(reasons))

    @classmethod
    def refuse(cls, *reasons: Reason) -> Decision:
        if not reasons:
            raise ValueError("a refusal needs at least one reason")
        return cls(False, tuple(reasons))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(reason.code for reason in self.reasons)

    def texts(self, language: str = "fr") -> tuple[str, ...]:
        return tuple(reason.text(language) for reason in self.reasons)
