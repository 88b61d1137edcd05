"""Forms of the company-search help: the shape of the input only; services check the rest
(dates not past, seats, who may act, when)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from admissions.companies.forms import date_field
from admissions.core.text import TextRulesMixin
from admissions.exams.forms.booking import TIME_WIDGET


class SessionForm(TextRulesMixin, DsfrBaseForm):
    """A training session: local date and times in the campaign's time zone."""

    free_text_fields = ("notes",)

    date = date_field(_("Date"))
    starts_at = forms.TimeField(label=_("Début"), widget=TIME_WIDGET)
    ends_at = forms.TimeField(label=_("Fin"), widget=TIME_WIDGET)
    remote = forms.BooleanField(label=_("À distance"), required=False)
    place = forms.CharField(
        label=_("Lieu"),
        required=False,
        max_length=300,
        help_text=_("Pour une session sur place : bâtiment, salle, adresse."),
    )
    link = forms.URLField(
        label=_("Lien de connexion"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Pour une session à distance."),
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=-1000, max_value=32000)
    notes = forms.CharField(
        label=_("Informations pour les candidats"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def instants(self, time_zone: str) -> tuple[datetime, datetime]:
        """The cleaned date and times as aware instants of ``time_zone``."""
        zone = ZoneInfo(time_zone)
        day = self.cleaned_data["date"]
        return (
            datetime.combine(day, self.cleaned_data["starts_at"], tzinfo=zone),
            datetime.combine(day, self.cleaned_data["ends_at"], tzinfo=zone),
        )


class CancelForm(TextRulesMixin, DsfrBaseForm):
    reason = forms.CharField(
        label=_("Motif de l'annulation (envoyé aux candidats)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PhoneAdviceForm(TextRulesMixin, DsfrBaseForm):
    phone = forms.CharField(
        label=_("Votre numéro de téléphone"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    preferred_times = forms.CharField(
        label=_("Quand vous appeler ?"),
        max_length=300,
        help_text=_("Par exemple : en semaine après 17 h, ou le mercredi matin."),
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        digits = [c for c in phone if c.isdigit()]
        if len(digits) < 6 or any(not (c.isdigit() or c in " +.-()") for c in phone):
            raise forms.ValidationError(
                _("Numéro de téléphone illisible : chiffres, espaces, + . - ( ) seulement.")
            )
        return phone


class PhoneDoneForm(TextRulesMixin, DsfrBaseForm):
    note = forms.CharField(label=_("Note (facultative)"), required=False, max_length=300)


class PresentationForm(DsfrBaseForm):
    file = forms.FileField(
        label=_("Dossier de présentation (PDF)"),
        help_text=_(
            "Un PDF lisible et non protégé, 10 Mo au plus. Il est public : aucune donnée personnelle."
        ),
    )
