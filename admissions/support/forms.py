"""The one form of the support pages: the shape of a message; services check the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from admissions.core.text import TextRulesMixin
from admissions.support.models import BODY_MAX_LENGTH


class MessageForm(TextRulesMixin, DsfrBaseForm):
    free_text_fields = ("body",)

    body = forms.CharField(
        label=_("Votre message"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("5 000 caractères au plus."),
        error_messages={"required": _("Écrivez votre message avant de l'envoyer.")},
    )
