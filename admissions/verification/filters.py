"""The check queue's filters (R4, R10.5), as django-filter reads them from the query string.

The same FilterSet narrows the page and its exports, so a spreadsheet holds exactly the rows
the officer was looking at; the order is the table's (tables.py). Each filter is index-backed: columns of the dossier (campaign and
state, submission instant, status sought, scholarship) or an EXISTS over a table keyed by the
dossier (options, documents, payments).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from admissions.campaigns.models import Campaign, Option, Programme
from admissions.dossiers.models import Dossier
from admissions.verification import selectors
from admissions.verification.selectors import PaymentState, QueueState

YES_NO = (("yes", _("Oui")), ("no", _("Non")))


class QueueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Rechercher (nom, adresse électronique ou numéro de dossier)"), method="by_text"
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Formation"),
        queryset=Programme.objects.none(),
        method="by_programme",
        empty_label=_("Toutes"),
    )
    option = django_filters.ModelChoiceFilter(
        label=_("Option"),
        queryset=Option.objects.none(),
        method="by_option",
        empty_label=_("Toutes"),
    )
    status_sought = django_filters.ChoiceFilter(
        label=_("Statut visé"), choices=Dossier.StatusSought.choices, empty_label=_("Tous")
    )
    state = django_filters.ChoiceFilter(
        label=_("État"), choices=QueueState.CHOICES, method="by_state", empty_label=_("Tous")
    )
    submitted_from = django_filters.DateFilter(
        label=_("Déposé à partir du"),
        method="by_submitted_from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    submitted_until = django_filters.DateFilter(
        label=_("Déposé jusqu'au (inclus)"),
        method="by_submitted_until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    to_fix = django_filters.ChoiceFilter(
        label=_("Pièces à compléter"), choices=YES_NO, method="by_to_fix", empty_label=_("Tous")
    )
    scholarship_claimed = django_filters.ChoiceFilter(
        label=_("Boursier"), choices=YES_NO, method="by_scholarship", empty_label=_("Tous")
    )
    payment = django_filters.ChoiceFilter(
        label=_("Paiement"),
        choices=PaymentState.CHOICES,
        method="by_payment",
        empty_label=_("Tous"),
    )

    class Meta:
        model = Dossier
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, campaign: Campaign, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.campaign = campaign
        self.filters["programme"].queryset = Programme.objects.filter(campaign=campaign)
        self.filters["option"].queryset = Option.objects.filter(
            programme__campaign=campaign
        ).select_related("programme")
        for name, form_field in self.form.fields.items():
            css = "fr-select" if isinstance(form_field.widget, forms.Select) else "fr-input"
            form_field.widget.attrs.setdefault("class", css)
            form_field.widget.attrs.setdefault("id", f"filter-{name}")

    # -- one method per filter ---------------------------------------------------------------

    def by_text(self, queryset: QuerySet[Dossier], name: str, value: str) -> QuerySet[Dossier]:
        return selectors.search(queryset, value)

    def by_programme(self, queryset, name, value: Programme | None):
        return selectors.with_programme(queryset, value.pk) if value else queryset

    def by_option(self, queryset, name, value: Option | None):
        return selectors.with_option(queryset, value.pk) if value else queryset

    def by_state(self, queryset, name, value: str):
        condition = QueueState.CONDITIONS.get(value)
        return queryset.filter(condition) if condition is not None else queryset

    def _start_of(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=ZoneInfo(self.campaign.time_zone))

    def by_submitted_from(self, queryset, name, value: date | None):
        return queryset.filter(submitted_at__gte=self._start_of(value)) if value else queryset

    def by_submitted_until(self, queryset, name, value: date | None):
        if not value:
            return queryset
        return queryset.filter(submitted_at__lt=self._start_of(value + timedelta(days=1)))

    def by_to_fix(self, queryset, name, value: str):
        if value == "yes":
            return queryset.filter(selectors.items_to_fix())
        if value == "no":
            return queryset.exclude(selectors.items_to_fix())
        return queryset

    def by_scholarship(self, queryset, name, value: str):
        if value in ("yes", "no"):
            return queryset.filter(scholarship_claimed=value == "yes")
        return queryset

    def by_payment(self, queryset, name, value: str):
        return selectors.with_payment_state(queryset, value)
