"""The grading side's forms (R6.3, R6.4): their shape and the reading of a grade; the services
check the rest (who, when, the exam's maximum and step again)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from dsfr.forms import DsfrBaseForm

from admissions.core.language import page_language
from admissions.core.text import TextRulesMixin
from admissions.rules import text as text_rules
from admissions.rules.grades import validate_grade
from admissions.rules.params import ExamSpec

COMMENT_MAX_LENGTH = 5_000


def read_grade(text: str) -> Decimal:
    """ "12,5" and "12.5" read as 12.5 (French and English keyboards); ValueError otherwise."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(text) from error
    if not value.is_finite():
        raise ValueError(text)
    return value


class GradeForm(TextRulesMixin, DsfrBaseForm):
    free_text_fields = ("comment",)

    grade = forms.CharField(
        label=pgettext_lazy("exam grade", "Note"), required=False, max_length=20
    )
    absent = forms.BooleanField(label=gettext_lazy("Candidat absent"), required=False)
    comment = forms.CharField(
        label=gettext_lazy("Commentaire (facultatif)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, spec: ExamSpec, phases: list[dict[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        language = page_language()
        field = self.fields["grade"]
        field.help_text = _("Sur %(max)s, par pas de %(step)s (par exemple 12,5).") % {
            "max": f"{spec.max_grade.normalize():f}",
            "step": f"{spec.grade_step.normalize():f}".replace(".", ","),
        }
        field.widget.attrs.update(inputmode="decimal", autocomplete="off")
        self.phase_names = []
        for index, phase in enumerate(phases):
            name = (
                phase.get("name_en")
                if language == "en" and phase.get("name_en")
                else phase.get("name", "")
            )
            self.fields[f"phase_{index}"] = forms.CharField(
                label=_("Phase %(number)s — %(name)s") % {"number": index + 1, "name": name},
                required=False,
                max_length=2_000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.phase_names.append(f"phase_{index}")

    def clean(self):
        cleaned = super().clean()
        text = (cleaned.get("grade") or "").strip()
        absent = bool(cleaned.get("absent"))
        if absent and text:
            self.add_error("grade", _("Donnez une note ou cochez « absent », pas les deux."))
            return cleaned
        if not absent and not text:
            self.add_error("grade", _("Saisissez une note, ou cochez « absent »."))
            return cleaned
        if text:
            try:
                value = read_grade(text)
            except ValueError:
                self.add_error(
                    "grade",
                    _("« %(value)s » n'est pas une note : écrivez un nombre, par exemple 12,5.")
                    % {"value": text},
                )
                return cleaned
            decision = validate_grade(self.spec, value)
            if not decision.allowed:
                self.add_error("grade", decision.texts(page_language())[0])
                return cleaned
            cleaned["grade_value"] = value
        else:
            cleaned["grade_value"] = None
        # Free text like the comment: control characters neutralised (core.text).
        cleaned["phase_notes"] = [
            text_rules.neutralise(cleaned.get(name) or "") for name in self.phase_names
        ]
        return cleaned


class AcademicListForm(DsfrBaseForm):
    """The list by a cut-off rank, or case by case (the ticked references)."""

    MODE_CHOICES = [
        ("cutoff", gettext_lazy("Jusqu'à un rang limite")),
        ("chosen", gettext_lazy("Au cas par cas (cases cochées)")),
    ]
    mode = forms.ChoiceField(
        label=gettext_lazy("Établir la liste"),
        choices=MODE_CHOICES,
        widget=forms.RadioSelect,
        initial="cutoff",
    )
    cutoff = forms.IntegerField(
        label=gettext_lazy("Rang limite (inclus)"),
        required=False,
        min_value=0,
        max_value=100_000,
    )

    def __init__(self, *args, references: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.references = references

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") == "cutoff" and cleaned.get("cutoff") is None:
            self.add_error("cutoff", _("Indiquez le rang limite."))
        if cleaned.get("mode") == "chosen":
            data = self.data.getlist("admitted") if hasattr(self.data, "getlist") else []
            cleaned["chosen"] = {ref for ref in data[:10_000] if ref in self.references}
        return cleaned
