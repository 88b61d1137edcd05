"""The committee's forms: their shape only; the services check the rest (range, moment, who)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from admissions.core.text import TextRulesMixin

COMMENT_MAX_LENGTH = 5_000


class ScoreForm(TextRulesMixin, DsfrBaseForm):
    free_text_fields = ("comment",)

    score = forms.DecimalField(
        label=_("Votre note"),
        required=False,
        min_value=Decimal(0),
        max_digits=4,
        decimal_places=2,
        localize=True,
    )
    comment = forms.CharField(
        label=_("Votre commentaire"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, score_max: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["score"]
        field.validators.append(MaxValueValidator(score_max))
        field.help_text = _("De 0 à %(max)s ; facultative si vous commentez.") % {
            "max": f"{score_max.normalize():f}"
        }
        field.widget.attrs.update(inputmode="decimal", autocomplete="off")


class DecisionForm(TextRulesMixin, DsfrBaseForm):
    free_text_fields = ("comment",)

    admissible = forms.TypedChoiceField(
        label=_("Décision de la commission"),
        choices=[("yes", _("Admissible")), ("no", _("Non admissible"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez la décision de la commission.")},
    )
    comment = forms.CharField(
        label=_("Motif ou commentaire de la commission"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obligatoire pour une non-admissibilité. Jamais montré au candidat."),
    )


class PublicationForm(TextRulesMixin, DsfrBaseForm):
    free_text_fields = ("reason",)

    at = forms.DateTimeField(
        label=_("Publication des résultats d'admissibilité"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Heure de Paris. Chaque candidat reçoit son résultat par courriel à cet instant."
        ),
    )
    reason = forms.CharField(
        label=_("Motif du changement"),
        max_length=500,
        error_messages={"required": _("Indiquez le motif du changement de date.")},
    )
