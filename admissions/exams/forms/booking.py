"""Forms of exam days, panels, bookings and accommodations: their shape only; the services
check the rest (the exams window, the seats taken, who may act)."""

from __future__ import annotations

import re
from datetime import time
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from admissions.core.text import TextRulesMixin

TEXT_MAX_LENGTH = 5_000
BREAK = re.compile(r"^\s*(\d{1,2})[:hH](\d{2})\s*[-–]\s*(\d{1,2})[:hH](\d{2})\s*$")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class BreaksField(forms.CharField):
    """Breaks typed as "12:00-13:30, 15:00-15:15"; cleaned to [(start, end), ...]."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault(
            "help_text", _("Heures locales, séparées par des virgules : 12:00-13:30, 16:00-16:15")
        )
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        breaks: list[tuple[time, time]] = []
        for part in filter(None, (p.strip() for p in (text or "").split(","))):
            found = BREAK.match(part)
            try:
                if found is None:
                    raise ValueError
                h1, m1, h2, m2 = (int(g) for g in found.groups())
                breaks.append((time(h1, m1), time(h2, m2)))
            except ValueError:
                raise forms.ValidationError(
                    _("Pause illisible : « %(part)s » (attendu : 12:00-13:30)."),
                    params={"part": part},
                ) from None
        return breaks


def breaks_text(breaks: list) -> str:
    return ", ".join(f"{start}-{end}" for start, end in breaks or [])


class DayForm(TextRulesMixin, DsfrBaseForm):
    free_text_fields = ("videoconference",)

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    starts_at = forms.TimeField(label=_("Début"), widget=TIME_WIDGET)
    ends_at = forms.TimeField(label=_("Fin"), widget=TIME_WIDGET)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=1000)
    videoconference = forms.CharField(
        label=_("Visioconférence"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Le lien de la visioconférence, ou comment il est communiqué aux candidats."),
    )
    breaks = BreaksField(label=_("Pauses de la journée"))


class PanelForm(TextRulesMixin, DsfrBaseForm):
    exam_code = forms.ChoiceField(label=_("Épreuve"))
    name = forms.CharField(label=_("Nom"), max_length=100, help_text=_("Par exemple : Jury 1"))
    members = forms.MultipleChoiceField(
        label=_("Membres"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un membre.")},
    )
    available_from = forms.TimeField(label=_("Disponible de"), required=False, widget=TIME_WIDGET)
    available_until = forms.TimeField(
        label=_("Disponible jusqu'à"), required=False, widget=TIME_WIDGET
    )
    breaks = BreaksField(label=_("Pauses du jury"))

    def __init__(self, *args, exams: list[tuple[str, str]], jurors: list[tuple[int, str]], **kw):
        super().__init__(*args, **kw)
        cast(forms.ChoiceField, self.fields["exam_code"]).choices = exams
        cast(forms.ChoiceField, self.fields["members"]).choices = [
            (str(pk), label) for pk, label in jurors
        ]


class MoveForm(TextRulesMixin, DsfrBaseForm):
    free_text_fields = ("reason",)

    day = forms.TypedChoiceField(label=_("Nouveau jour"), coerce=int)
    reason = forms.CharField(
        label=_("Motif du changement"),
        max_length=500,
        error_messages={"required": _("Indiquez le motif du changement de jour.")},
    )

    def __init__(self, *args, days: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["day"]).choices = days


class AccommodationRequestForm(TextRulesMixin, DsfrBaseForm):
    free_text_fields = ("needs",)

    needs = forms.CharField(
        label=_("Aménagements demandés"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Par exemple : temps supplémentaire, pauses, accessibilité."),
        error_messages={"required": _("Décrivez les aménagements dont vous avez besoin.")},
    )
    proof = forms.FileField(
        label=_("Justificatif"),
        help_text=_("PDF, JPEG ou PNG : un avis médical ou une décision d'aménagement."),
        error_messages={"required": _("Joignez un justificatif.")},
    )


class AccommodationDecisionForm(TextRulesMixin, DsfrBaseForm):
    free_text_fields = ("granted", "reason")

    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("approve", _("Accorder")), ("refuse", _("Refuser"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez d'accorder ou de refuser.")},
    )
    granted = forms.CharField(
        label=_("Aménagements accordés"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Montré au candidat et au jury."),
    )
    reason = forms.CharField(
        label=_("Motif du refus"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, exams: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.exam_codes = [code for code, _name in exams]
        for code, name in exams:
            self.fields[f"extra_{code}"] = forms.IntegerField(
                label=_("Temps supplémentaire, %(exam)s (minutes)") % {"exam": name},
                required=False,
                min_value=0,
                max_value=240,
            )

    def extra_minutes(self) -> dict[str, int]:
        return {
            code: self.cleaned_data.get(f"extra_{code}") or 0
            for code in self.exam_codes
            if self.cleaned_data.get(f"extra_{code}")
        }


class AccommodationsCloseForm(DsfrBaseForm):
    close_at = forms.DateTimeField(
        label=_("Demandes d'aménagement acceptées jusqu'au"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Heure locale de la campagne. Vide : jusqu'au début des épreuves."),
    )
