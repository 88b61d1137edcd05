"""The character rules of ``admissions.rules.text`` applied through forms (issue 8, issue 10).

``TextRulesMixin`` goes first in a form's bases. On every single-line text field (a CharField
whose widget is not a textarea: names, addresses, phone, references, emails...) it refuses
control and invisible formatting characters; on the fields named in ``legal_name_fields`` it
allows only letters, spaces, hyphens and apostrophes; the fields named in ``free_text_fields``
(textareas) are neutralised instead: their invisible formatting is removed on save.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from admissions.rules import text as text_rules


def _listed(characters: tuple[str, ...]) -> str:
    """Each character quoted the page language's way: « 😀 », « U+202E » / “😀”, “U+202E”."""
    return ", ".join(
        gettext("« %(character)s »") % {"character": text_rules.describe(char)}
        for char in characters
    )


def validate_single_line(value: str) -> None:
    """Refuse line breaks, other control characters and invisible formatting (issue 10)."""
    controls = text_rules.control_characters(value)
    if controls:
        raise ValidationError(
            _(
                "Ce champ doit tenir sur une seule ligne, sans retour à la ligne, tabulation ni "
                "autre caractère de contrôle (trouvé : %(characters)s)."
            ),
            code="control_character",
            params={"characters": _listed(controls)},
        )
    invisible = text_rules.invisible_characters(value, allow_joiners=True)
    if invisible:
        raise _invisible_error(invisible)


def _invisible_error(invisible: tuple[str, ...]) -> ValidationError:
    return ValidationError(
        _(
            "Ce champ contient un caractère invisible de mise en forme (trouvé : "
            "%(characters)s), par exemple une inversion du sens d'écriture : retapez-le au "
            "clavier plutôt que de le copier-coller."
        ),
        code="invisible_character",
        params={"characters": _listed(invisible)},
    )


def validate_legal_name(value: str) -> None:
    """Letters of any script, spaces, hyphens and apostrophes only (issue 8)."""
    if not value:
        return
    validate_single_line(value)
    invisible = text_rules.invisible_characters(value)  # joiners too: none in a legal name
    if invisible:
        raise _invisible_error(invisible)
    faults = text_rules.name_faults(value)
    if faults or not text_rules.is_legal_name(value):
        raise ValidationError(
            _(
                "Seuls les lettres (de toute écriture, accents compris), les espaces, les traits "
                "d'union et les apostrophes sont acceptés ici, comme sur une pièce d'identité "
                "(à retirer : %(characters)s)."
            )
            if faults
            else _(
                "Seuls les lettres (de toute écriture, accents compris), les espaces, les traits "
                "d'union et les apostrophes sont acceptés ici, avec au moins une lettre."
            ),
            code="legal_name",
            params={"characters": _listed(faults)},
        )


class TextRulesMixin:
    """Apply the character rules to a form's text fields; list this class first in the bases."""

    legal_name_fields: ClassVar[tuple[str, ...]] = ()
    free_text_fields: ClassVar[tuple[str, ...]] = ()

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.legal_name_fields:
                field.validators.append(validate_legal_name)
            elif isinstance(field, forms.CharField) and not (
                name in self.free_text_fields or isinstance(field.widget, forms.Textarea)
            ):
                field.validators.append(validate_single_line)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        for name in self.free_text_fields:
            value = cleaned.get(name)
            if isinstance(value, str):
                cleaned[name] = text_rules.neutralise(value)
        return cleaned
