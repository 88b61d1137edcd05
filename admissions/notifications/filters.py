"""The outbox list's filters (R8.2), read from the query string by django-filter."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from admissions.accounts.models import Language
from admissions.notifications.models import OutboundEmail

SEARCH_MAX_LENGTH = 100


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class OutboxFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Destinataire ou dossier"),
        method="search",
        max_length=SEARCH_MAX_LENGTH,
        help_text=_("Une partie de l'adresse, ou la référence du dossier."),
    )
    state = django_filters.ChoiceFilter(
        label=_("État"), choices=OutboundEmail.State.choices, empty_label=_("Tous")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Modèle"), choices=OutboundEmail.Kind.choices, empty_label=_("Tous")
    )
    language = django_filters.ChoiceFilter(
        label=_("Langue"), choices=Language.choices, empty_label=_("Toutes")
    )
    queued_from = django_filters.DateFilter(
        label=_("Mis en file à partir du"),
        field_name="queued_at",
        lookup_expr="date__gte",
        widget=DateInput(),
    )
    queued_until = django_filters.DateFilter(
        label=_("Mis en file jusqu'au"),
        field_name="queued_at",
        lookup_expr="date__lte",
        widget=DateInput(),
    )

    class Meta:
        model = OutboundEmail
        fields: list[str] = []
        form = DsfrBaseForm

    def search(self, queryset: QuerySet[OutboundEmail], name: str, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(recipient__icontains=value) | Q(dossier__reference__iexact=value))
