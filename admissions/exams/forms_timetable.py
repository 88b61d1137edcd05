"""The hand adjustment of one slot (R6.2): a new start time and/or another jury of the same
exam; the slot as the form showed it travels along, so a stale form is noticed."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from admissions.exams.models import ExamPanel, ExamSlot


class PanelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ExamPanel) -> str:
        return obj.name


class AdjustSlotForm(forms.Form):
    starts_at = forms.TimeField(
        label=_("Nouvel horaire de début"),
        help_text=_("Heure locale de la journée, par exemple 14:30."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    panel = PanelChoiceField(
        label=_("Jury ou examinateur"), queryset=ExamPanel.objects.none(), empty_label=None
    )
    was_starts_at = forms.CharField(widget=forms.HiddenInput)
    was_panel = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, panels: QuerySet[ExamPanel], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(slot: ExamSlot, zone: ZoneInfo) -> dict[str, object]:
        return {
            "starts_at": slot.starts_at.astimezone(zone).time(),
            "panel": slot.panel_id,
            "was_starts_at": slot.starts_at.isoformat(),
            "was_panel": slot.panel_id,
        }

    def clean_was_starts_at(self) -> str:
        value = self.cleaned_data["was_starts_at"]
        try:
            datetime.fromisoformat(value)
        except ValueError as error:
            raise forms.ValidationError(_("Formulaire périmé : rechargez la page.")) from error
        return value
