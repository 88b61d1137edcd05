"""The check queue as a django-tables2 table: sortable by its headers, 50 rows a page (R4).

The same columns make the queue's exports (``export_columns``), so the spreadsheet and the
page cannot disagree on what a column means.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django_tables2 as tables
from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from admissions.dossiers.models import Dossier
from admissions.verification.selectors import PaymentState, QueueState

PAGE_SIZE = 50


class CappedPaginator(Paginator):
    """Counts the matching rows only a little past the page asked for (``SELECT COUNT(*)`` over
    a ``LIMIT`` subquery), so that a page costs the same at 10,000 or 100,000 dossiers
    whatever the filters match: the count reads at most ``limit + 1`` matching rows, ``limit``
    being the page's last row rounded up to a multiple of ``CAP`` (500 for pages 1 to 10,
    1,000 for 11 to 20, ...), never the whole campaign. Beyond it the page says "more than
    ``limit``" (with the background count's number when it counts these filters) and offers
    the pages counted so far plus one: paging on goes as far as the rows go (each page counts
    a little further), and the end of the list is the same filters in the reverse order.
    Filters narrow long lists; exports take every row.

    A page is read in two steps: the identifiers of its rows (the filters and the order alone,
    index-backed), then those rows with the columns computed per row (``queue_dossiers``'
    annotations). In one query PostgreSQL plans the annotations' subqueries for every matching
    row (hashing whole tables) before the LIMIT; restricted to the page's identifiers it runs
    them for the rows shown only."""

    # With a single cap of 10,000, a filter matching 9,000 of 100,000 dossiers (refused,
    # items to fix) read all of them to count: 30-40 ms of SQL, 2-5 at 10,000. Counting 501
    # reads about as many dossiers at either size (2-4 ms); 1,001 twice as many.
    CAP = 500
    MAX_PAGE = 1_000_000
    asked = 1  # the page number asked for, set by page() before anything is counted

    def queryset(self) -> QuerySet:
        # django-tables2 pages its BoundRows, which wrap (.data) the queryset (.data.data).
        rows: Any = self.object_list
        return getattr(getattr(rows, "data", None), "data", rows)

    @property
    def limit(self) -> int:
        """How many matching rows the count reads at most (one more tells "more than")."""
        last_row = self.asked * self.per_page
        return -(-last_row // self.CAP) * self.CAP

    @cached_property
    def count(self) -> int:
        # Any limit + 1 rows will do: no ORDER BY, and only the key (no annotations, no joins).
        return self.queryset().order_by().values("pk")[: self.limit + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.limit

    def page(self, number) -> Page:
        if "count" not in self.__dict__:  # counted once, as far as the first page asked for
            try:
                # Bounded, so that the count's LIMIT stays a valid integer whatever is typed.
                self.asked = min(max(1, int(number)), self.MAX_PAGE)
            except (TypeError, ValueError):
                self.asked = 1
        page = super().page(number)
        rows: Any = page.object_list
        queryset = self.queryset()
        if isinstance(queryset, QuerySet) and isinstance(getattr(rows, "data", None), QuerySet):
            shown = list(rows.data.values_list("pk", flat=True))
            rows.data = queryset.filter(pk__in=shown)  # same order, annotations, prefetches
        return page


def option_names(dossier: Dossier) -> str:
    """The options the candidate chose, in their order of preference (prefetched)."""
    return ", ".join(choice.option.code for choice in dossier.choices.all())


def payment_state(dossier: Dossier) -> str:
    if getattr(dossier, "paid", False):
        return PaymentState.CONFIRMED
    if getattr(dossier, "payment_declared", False):
        return PaymentState.DECLARED
    return PaymentState.NONE


def yes_no(value: bool) -> str:
    return str(_("Oui") if value else _("Non"))


class QueueTable(tables.Table):
    # The two HTML cells are built here rather than by a template per cell: 100 template
    # renders were about a fifth of the CPU of a page of 50 rows (issue 11).
    select = tables.Column(
        verbose_name=pgettext_lazy("column", "Sélection"),
        accessor="reference",
        orderable=False,
    )
    reference = tables.Column(verbose_name=_("Dossier"))
    name = tables.Column(
        verbose_name=_("Nom"), accessor="last_name", order_by=("last_name", "first_name")
    )
    email = tables.Column(verbose_name=_("Adresse électronique"), accessor="candidate__email")
    options = tables.Column(verbose_name=_("Options"), empty_values=(), orderable=False)
    status_sought = tables.Column(verbose_name=_("Statut visé"))
    queue_state = tables.Column(verbose_name=_("État"), orderable=False)
    submitted_at = tables.DateTimeColumn(verbose_name=_("Déposé le"), format="d/m/Y H:i")
    to_fix = tables.BooleanColumn(verbose_name=_("Pièces à compléter"), orderable=False)
    scholarship_claimed = tables.Column(verbose_name=_("Boursier"), orderable=False)
    payment = tables.Column(verbose_name=_("Paiement"), empty_values=(), orderable=False)

    class Meta:
        model = Dossier
        fields = ()
        sequence = (
            "select",
            "reference",
            "name",
            "email",
            "options",
            "status_sought",
            "queue_state",
            "submitted_at",
            "to_fix",
            "scholarship_claimed",
            "payment",
        )
        template_name = "verification/_queue_table.html"
        order_by_field = "sort"
        page_field = "page"
        empty_text = _("Aucun dossier ne correspond à ces critères.")

    def render_select(self, value: str) -> str:
        return format_html(
            '<input type="checkbox" name="reference" value="{}" form="bulk-form" '
            'id="select-{}" aria-label="{}">',
            value,
            value,
            _("Sélectionner le dossier %(reference)s") % {"reference": value},
        )

    def render_reference(self, value: str) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("verification:dossier", args=[value]), value
        )

    def render_name(self, record: Dossier) -> str:
        return f"{record.last_name.upper()} {record.first_name}".strip() or "—"

    def render_options(self, record: Dossier) -> str:
        return option_names(record) or "—"

    def render_queue_state(self, value: str) -> str:
        return str(QueueState.LABELS.get(value, value))

    def render_to_fix(self, value: bool) -> str:
        return yes_no(value)

    def render_scholarship_claimed(self, value: bool) -> str:
        return yes_no(value)

    def render_payment(self, record: Dossier) -> str:
        return str(PaymentState.LABELS[payment_state(record)])

    def order_submitted_at(
        self, queryset: QuerySet[Dossier], is_descending: bool
    ) -> tuple[QuerySet[Dossier], bool]:
        """First come, first checked; drafts (never submitted) last either way. The reference
        (unique) breaks ties, so pages never overlap or skip a row."""
        if is_descending:
            order = (F("submitted_at").desc(nulls_last=True), F("reference").desc())
        else:
            order = (F("submitted_at").asc(nulls_last=True), F("reference").asc())
        return queryset.order_by(*order), True


@dataclass(frozen=True)
class ExportColumn:
    header: str
    value: Callable[[dict[str, Any]], object]  # a row of selectors.queue_rows


def export_columns() -> list[ExportColumn]:
    """The queue's columns for a spreadsheet, from the rows of ``selectors.queue_rows``."""
    statuses = {code: str(label) for code, label in Dossier.StatusSought.choices}
    states = {code: str(label) for code, label in QueueState.CHOICES}
    payments = {code: str(label) for code, label in PaymentState.CHOICES}
    yes, no = yes_no(True), yes_no(False)
    return [
        ExportColumn(str(_("Dossier")), lambda r: r["reference"]),
        ExportColumn(str(_("Nom")), lambda r: r["last_name"]),
        ExportColumn(str(_("Prénom")), lambda r: r["first_name"]),
        ExportColumn(str(_("Adresse électronique")), lambda r: r["candidate__email"]),
        ExportColumn(str(_("Options")), lambda r: ", ".join(r["options"])),
        ExportColumn(str(_("Statut visé")), lambda r: statuses.get(r["status_sought"], "")),
        ExportColumn(str(_("État")), lambda r: states[r["queue_state"]]),
        ExportColumn(str(_("Déposé le")), lambda r: r["submitted_at"]),
        ExportColumn(str(_("Pièces à compléter")), lambda r: yes if r["to_fix"] else no),
        ExportColumn(str(_("Boursier")), lambda r: yes if r["scholarship_claimed"] else no),
        ExportColumn(
            str(_("Paiement")),
            lambda r: payments[
                PaymentState.CONFIRMED
                if r["paid"]
                else PaymentState.DECLARED
                if r["payment_declared"]
                else PaymentState.NONE
            ],
        ),
    ]
