"""Forms of the pre-entry checklist: they check the input's shape; services check the rest
(content of the file, who, when, stale forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from admissions.companies.forms import date_field
from admissions.core.text import TextRulesMixin
from admissions.preentry.models import PreEntryDocument
from admissions.preentry.selectors import FILTERS


class UploadForm(DsfrBaseForm):
    """The candidate's file for one item (R7.4); its content is judged by the service."""

    kind = forms.ChoiceField(choices=PreEntryDocument.Kind.choices, widget=forms.HiddenInput)
    file = forms.FileField(label=_("Fichier (PDF, JPG ou PNG)"))


class ReviewForm(TextRulesMixin, DsfrBaseForm):
    """Staff's verdict on one file; carries the file's version and the verdict the page showed."""

    free_text_fields = ("reason",)

    verdict = forms.ChoiceField(
        label=_("Décision"),
        choices=[("valid", _("Acceptée")), ("refused", _("Refusée"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motif du refus (lu par le candidat)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    seen = forms.ChoiceField(choices=PreEntryDocument.Review.choices, widget=forms.HiddenInput)


class ContractValidationForm(TextRulesMixin, DsfrBaseForm):
    """Staff record MidiSup's validation of the contract (R7.4)."""

    free_text_fields = ("note",)

    validated_on = date_field(_("Contrat validé par MidiSup le"))
    note = forms.CharField(
        label=_("Note (facultative)"),
        required=False,
        max_length=2000,
        help_text=_("Par exemple : courriel de MidiSup du 2 septembre, numéro de dossier."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.FileField(label=_("Pièce justificative (facultative)"), required=False)


FILTER_CHOICES = [
    ("", _("Tous les admis")),
    ("diploma", _("Diplôme manquant")),
    ("jdc", _("Certificat JDC/JAPD manquant")),
    ("midisup", _("Validation MidiSup manquante")),
    ("conditional", _("Admission conditionnelle")),
    ("to_review", _("Pièce à vérifier")),
]
assert {code for code, _label in FILTER_CHOICES if code} == set(FILTERS)


class ChecklistFilterForm(forms.Form):
    missing = forms.ChoiceField(label=_("Afficher"), choices=FILTER_CHOICES, required=False)
