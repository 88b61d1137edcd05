"""Forms of the referee pages: they check the shape of the input; services check the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from admissions.core.text import TextRulesMixin
from admissions.documents.inspection import upload_help
from admissions.referees.models import Recommendation, Referee


class RefereeForm(TextRulesMixin, DsfrBaseForm):
    """Naming (or replacing) the referee of one kind; prefixed with the kind on the page."""

    name = forms.CharField(label=_("Nom et prénom du référent"), max_length=150)
    role = forms.CharField(
        label=_("Fonction"),
        max_length=150,
        help_text=_("Par exemple : professeur de mathématiques, maître d'apprentissage."),
    )
    email = forms.EmailField(label=_("Adresse électronique"), max_length=254)


class CandidateActionForm(forms.Form):
    """Which button the candidate pressed, for which kind of referee; never an identifier."""

    action = forms.ChoiceField(
        choices=[("name", "name"), ("remind", "remind"), ("replace", "replace")]
    )
    kind = forms.ChoiceField(choices=Referee.Kind.choices)


class RecommendationForm(TextRulesMixin, DsfrBaseForm):
    free_text_fields = ("acquaintance", "strengths", "improvements", "comment")

    acquaintance = forms.CharField(
        label=_("Depuis combien de temps et à quel titre connaissez-vous le candidat ?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    strengths = forms.CharField(
        label=_("Points forts"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    improvements = forms.CharField(
        label=_("Points à améliorer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    opinion = forms.ChoiceField(
        label=_("Avis global sur la candidature"),
        choices=Recommendation.Opinion.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire libre (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )
    attachment = forms.FileField(
        label=_("Pièce jointe (facultative)"),
        required=False,
    )

    def __init__(self, *args, uploads=None, language: str = "fr", **kwargs):
        super().__init__(*args, **kwargs)
        attachment = self.fields["attachment"]
        attachment.widget.group_class = "fr-upload-group"  # read by dsfr's field template
        attachment.widget.attrs["class"] = "fr-upload"
        if uploads is not None:
            accepted = upload_help(uploads, language)
            attachment.help_text = _(
                "Une lettre, par exemple. Formats acceptés : %(formats)s ; %(size)s au plus."
            ) % {"formats": accepted.formats, "size": accepted.max_size}
            # A first check in the browser (R10.3); the content is judged on the server.
            attachment.widget.attrs["accept"] = accepted.content_types
            # DsfrBaseForm made the bound field already, copying the class-level help text.
            self["attachment"].help_text = attachment.help_text
