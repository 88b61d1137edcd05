"""The forms of the dossier's pages (R3.1). They check the shape of the input; the rules that
involve the campaign are explained live by the rules package, not enforced here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from html import escape
from typing import cast

from django import forms
from django.forms import inlineformset_factory
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from dsfr.forms import DsfrBaseForm

from admissions.core.language import page_language
from admissions.core.text import TextRulesMixin
from admissions.dossiers.models import Diploma, Dossier, Experience


@lru_cache(maxsize=8)
def _countries_in(language: str) -> tuple[tuple[str, str], ...]:
    return (("", "—"), *((code, str(name)) for code, name in countries))


Pairs = tuple[tuple[str, str], ...]


def country_choices() -> Pairs:
    """Every country, sorted by its name in the page's language (cached per language)."""
    return _countries_in(page_language())


@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries)


class CountryField(forms.ChoiceField):
    """A country by its ISO code, in a <select> written in Python (see FastSelect). Django's
    ChoiceField would normalise the 250 choices on every validation."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=country_choices, widget=FastSelect(options=country_choices), **kwargs
        )

    def valid_value(self, value) -> bool:
        return str(value) in _country_codes()


@lru_cache(maxsize=16)
def _escaped_options(pairs: tuple) -> tuple[tuple[str, str, str], ...]:
    """Each option as (value, its tag up to the closing '>', the rest), escaped once per list:
    the pairs as they are, where Django would normalise 250 pairs on every render."""
    return tuple(
        (str(code), f'<option value="{escape(str(code))}"', f">{escape(str(label))}</option>")
        for code, label in pairs
    )


class FastSelect(forms.Select):
    """A <select> whose options are written in Python: a list of 250 countries rendered through
    Django's one-template-per-option widget costs about 10 ms, the bulk of a dossier page."""

    def __init__(self, attrs=None, options: Callable[[], Pairs] | None = None):
        super().__init__(attrs)
        # A callable giving (value, label) pairs, read as they are. Not ``self.options``: that
        # is ChoiceWidget's method, which subwidgets() calls.
        self.option_pairs = options

    def use_required_attribute(self, initial):
        if not self.option_pairs:
            return super().use_required_attribute(initial)
        # Django's version normalises every choice to look at the first one.
        first = next(iter(self.option_pairs()), None)
        return (
            forms.Widget.use_required_attribute(self, initial)
            and first is not None
            and first[0] in (None, "")  # Select._choice_has_empty_value(), a private method
        )

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        chosen = "" if value is None else str(value)
        pairs = self.option_pairs() if self.option_pairs else tuple(self.choices)
        options = "".join(
            f"{start} selected{end}" if code == chosen else f"{start}{end}"
            for code, start, end in _escaped_options(pairs)
        )
        return mark_safe(f"<select{flatatt(final_attrs)}>{options}</select>")  # noqa: S308 - escaped above


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class IdentityForm(TextRulesMixin, DsfrBaseForm, forms.ModelForm):
    """Every text field is single-line; legal names and the birthplace hold letters (issue 8)."""

    legal_name_fields = ("last_name", "first_name", "birth_place")
    nationality = CountryField(label=_("Nationalité"), required=False)
    country = CountryField(label=_("Pays de résidence"), required=False)

    class Meta:
        model = Dossier
        fields = [
            "civility",
            "last_name",
            "first_name",
            "birth_date",
            "birth_place",
            "nationality",
            "phone",
            "address",
            "postal_code",
            "city",
            "country",
        ]
        widgets = {"birth_date": DateInput(), "civility": forms.RadioSelect}
        labels = {
            "civility": _("Civilité"),
            "last_name": _("Nom de famille"),
            "first_name": _("Prénom"),
            "birth_date": _("Date de naissance"),
            "birth_place": _("Lieu de naissance"),
            "phone": _("Téléphone"),
            "address": _("Adresse"),
            "postal_code": _("Code postal"),
            "city": _("Ville"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["civility"]).choices = Dossier.Civility.choices
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["last_name"].widget.attrs.update(autocomplete="family-name")
        self.fields["first_name"].widget.attrs.update(autocomplete="given-name")
        self.fields["address"].widget.attrs.update(autocomplete="street-address")
        self.fields["postal_code"].widget.attrs.update(autocomplete="postal-code")
        self.fields["city"].widget.attrs.update(autocomplete="address-level2")

    def clean_birth_date(self):
        birth_date = self.cleaned_data.get("birth_date")
        if birth_date and not (date(1930, 1, 1) <= birth_date <= date.today()):
            raise forms.ValidationError(_("Cette date de naissance n'est pas plausible."))
        return birth_date


class StatusForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Dossier
        fields = ["status_sought", "technician_experience_years", "employer_agreement"]
        widgets = {"status_sought": forms.RadioSelect}
        labels = {
            "status_sought": _("Statut visé"),
            "technician_experience_years": _(
                "Formation continue : années d'expérience comme technicien supérieur"
            ),
            "employer_agreement": _(
                "Formation continue : mon employeur a donné son accord pour ce projet de formation"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status_sought"]).choices = Dossier.StatusSought.choices

    def clean_technician_experience_years(self):
        years = self.cleaned_data.get("technician_experience_years")
        if years is not None and not (0 <= years <= 50):
            raise forms.ValidationError(_("Indiquez un nombre d'années entre 0 et 50."))
        return years


class FormationsForm(DsfrBaseForm):
    options = forms.MultipleChoiceField(
        label=_("Formations visées"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("L'option choisie doit correspondre au secteur de l'entreprise d'accueil."),
    )
    notice_acknowledged = forms.BooleanField(
        label=_("J'atteste avoir pris connaissance de la notice d'information et je l'accepte."),
        required=False,
    )

    def __init__(self, *args, options_on_offer=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["options"].choices = [
            (option.code, f"{option.code} — {option.display_name}") for option in options_on_offer
        ]


class DiplomaForm(TextRulesMixin, DsfrBaseForm, forms.ModelForm):
    country = CountryField(label=_("Pays d'obtention"), initial="FR")

    class Meta:
        model = Diploma
        fields = [
            "type",
            "speciality",
            "scientific_or_technical",
            "institution",
            "country",
            "year",
            "obtained_on",
            "expected_on",
        ]
        widgets = {"obtained_on": DateInput(), "expected_on": DateInput()}

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("obtained_on") and cleaned.get("expected_on"):
            self.add_error(
                "expected_on",
                _("Indiquez soit la date d'obtention, soit la date prévue, pas les deux."),
            )
        year = cleaned.get("year")
        if year is not None and not (1960 <= year <= date.today().year + 2):
            self.add_error("year", _("Cette année n'est pas plausible."))
        return cleaned


class ExperienceForm(TextRulesMixin, DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Experience
        fields = ["employer", "position", "started_on", "ended_on", "higher_technician"]
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("La fin ne peut pas précéder le début."))
        return cleaned


DiplomaFormSet = inlineformset_factory(
    Dossier, Diploma, form=DiplomaForm, extra=1, can_delete=True, max_num=10, validate_max=True
)
ExperienceFormSet = inlineformset_factory(
    Dossier,
    Experience,
    form=ExperienceForm,
    extra=1,
    can_delete=True,
    max_num=15,
    validate_max=True,
)


class ScholarshipForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Dossier
        fields = ["scholarship_claimed"]
        labels = {
            "scholarship_claimed": _(
                "Je suis boursier (CROUS ou État français, 2020-2021) et demande le tarif réduit"
            )
        }


class PaymentForm(TextRulesMixin, DsfrBaseForm):
    reference = forms.CharField(
        label=_("Référence de votre virement"),
        max_length=100,
        help_text=_("Telle qu'elle apparaît sur votre ordre de virement."),
    )
