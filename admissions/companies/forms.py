"""Forms of the company phase: they check the shape of the input; services check the rest
(SIRET key, earliest contract start, who, when)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from admissions.core.text import TextRulesMixin
from admissions.rules.company import validate_siret


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        **kwargs,
    )


class CompanyForm(TextRulesMixin, DsfrBaseForm):
    """The candidate's declaration of their host company and tutor (R7.1)."""

    name = forms.CharField(label=_("Raison sociale de l'entreprise"), max_length=200)
    siret = forms.CharField(
        label=_("Numéro SIRET"),
        max_length=30,
        help_text=_("14 chiffres, sur les documents de l'entreprise (les espaces sont acceptés)."),
    )
    sector = forms.ChoiceField(label=_("Secteur d'activité"))
    address = forms.CharField(label=_("Adresse de l'établissement"), max_length=300)
    contract_start = date_field(_("Début prévu du contrat"))
    tutor_name = forms.CharField(label=_("Nom et prénom du tuteur"), max_length=150)
    tutor_role = forms.CharField(label=_("Fonction du tuteur"), max_length=150)
    tutor_email = forms.EmailField(
        label=_("Adresse électronique du tuteur"),
        max_length=254,
        help_text=_("Le tuteur recevra un lien personnel pour confirmer votre contrat."),
    )
    tutor_phone = forms.CharField(label=_("Téléphone du tuteur"), max_length=30)

    def __init__(self, *args, sectors=(), language: str = "fr", **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        sector = self.fields["sector"]
        assert isinstance(sector, forms.ChoiceField)
        sector.choices = [("", _("Choisir un secteur"))] + [
            (s.code, s.label(language)) for s in sectors
        ]
        self.fields["tutor_email"].widget.attrs["autocomplete"] = "off"
        self.fields["contract_start"].widget.attrs["autocomplete"] = "off"

    def clean_siret(self) -> str:
        value = self.cleaned_data["siret"]
        decision = validate_siret(value)
        if not decision:
            raise forms.ValidationError(" ".join(decision.texts(self.language)))
        return value


class CandidateActionForm(forms.Form):
    """Which button the candidate pressed; never an identifier."""

    action = forms.ChoiceField(
        choices=[("declare", "declare"), ("cancel", "cancel"), ("withdraw", "withdraw")]
    )


class CompanyAnswerForm(TextRulesMixin, DsfrBaseForm):
    """The company's answer through its link (R7.1)."""

    free_text_fields = ("reason",)

    answer = forms.ChoiceField(
        label=_("Votre réponse"),
        choices=[
            ("confirm", _("Je confirme le contrat et sa date de début")),
            ("decline", _("Le contrat n'aura pas lieu")),
        ],
        widget=forms.RadioSelect,
    )
    contract_start = date_field(
        _("Date de début du contrat"),
        required=False,
        help_text=_("Corrigez-la si elle a changé."),
    )
    reason = forms.CharField(
        label=_("Motif (facultatif, si le contrat n'a pas lieu)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConfirmationForm(TextRulesMixin, DsfrBaseForm):
    """Staff record the company's confirmation with its evidence (R7.1)."""

    free_text_fields = ("evidence",)

    evidence = forms.CharField(
        label=_("Justificatif"),
        max_length=2000,
        help_text=_(
            "Par exemple : courriel du 12 juillet de la responsable RH, contrat signé reçu."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_file = forms.FileField(label=_("Pièce justificative (facultative)"), required=False)


class ContractDateForm(DsfrBaseForm):
    signed_on = date_field(_("Contrat signé le"), required=False)


class ExemptionForm(TextRulesMixin, DsfrBaseForm):
    free_text_fields = ("reason",)

    exempt = forms.TypedChoiceField(
        label=_("Dérogation légale à la limite d'âge"),
        choices=[("yes", _("Accordée")), ("no", _("Aucune"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motif"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FraudForm(TextRulesMixin, DsfrBaseForm):
    free_text_fields = ("reason",)

    kind = forms.ChoiceField(
        label=_("Nature"),
        choices=[("fraud", _("Fraude")), ("attempted_fraud", _("Tentative de fraude"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motif (conservé et communiqué au candidat)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.FileField(label=_("Pièce justificative (facultative)"), required=False)


class StaffWithdrawalForm(TextRulesMixin, DsfrBaseForm):
    free_text_fields = ("reason",)

    reason = forms.CharField(
        label=_("Motif du retrait"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
