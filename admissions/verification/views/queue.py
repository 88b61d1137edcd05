"""The check queue (R4, R10.5): filters, search, sorting and paging; its exports; the bulk PDFs.

Thin views: the rows come from ``selectors.queue_dossiers`` (the dossiers the officer checks,
R9.2), narrowed by ``filters.QueueFilter``; the page, its CSV/XLSX export and the bulk PDF
request all read the same filters from the query string, so they cannot disagree.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from admissions.accounts.models import Role
from admissions.accounts.scope import school_scope
from admissions.campaigns.selectors import campaign_or_404
from admissions.core import clock, exports
from admissions.core.access import CENTRAL_OFFICER, require_access
from admissions.core.language import page_language
from admissions.core.requests import SignedInRequest
from admissions.dossiers.models import Dossier
from admissions.verification import selectors
from admissions.verification.filters import QueueFilter
from admissions.verification.models import BulkExport
from admissions.verification.services import (
    BulkExportError,
    counts_for_page,
    max_dossiers,
    start_bulk_export,
)
from admissions.verification.tables import (
    PAGE_SIZE,
    CappedPaginator,
    QueueTable,
    export_columns,
)


def queue_table(request: SignedInRequest, data: QueryDict, *, paginate: bool):
    """The filter set and the table it fills, ordered (and paged) as the query string asks."""
    campaign = campaign_or_404(request)
    queryset = selectors.queue_dossiers(request.user, campaign)
    filterset = QueueFilter(data, queryset=queryset, campaign=campaign)
    rows = filterset.qs if filterset.is_valid() else queryset.none()
    # No request= here: it would page the table once more with Django's Paginator, whose
    # COUNT(*) reads every matching row; RequestConfig below pages it with CappedPaginator.
    table = QueueTable(rows, order_by=data.get("sort") or "submitted_at")
    paging = {"per_page": PAGE_SIZE, "paginator_class": CappedPaginator} if paginate else False
    RequestConfig(request, paginate=paging).configure(table)
    return campaign, filterset, table


def reversed_sort(sort: str) -> str:
    """The table's ``sort`` parameter for the opposite order ("name" <-> "-name")."""
    return sort[1:] if sort.startswith("-") else f"-{sort}"


@require_access(CENTRAL_OFFICER)
def queue(request: SignedInRequest) -> HttpResponse:
    campaign, filterset, table = queue_table(request, request.GET, paginate=True)
    counted = counts_for_page(campaign, timezone.now())
    capped = table.paginator.capped
    # Past the live count's limit, the background count's number when it counts exactly these
    # filters (none, one state, items to fix), if it is above that limit.
    estimate = None
    if capped and filterset.is_valid():
        found = selectors.counted_matching(
            request.user, campaign, counted, filterset.form.cleaned_data
        )
        estimate = found if found is not None and found > table.paginator.limit else None
    filters = request.GET.copy()
    for key in ("page", "sort"):
        filters.pop(key, None)
    # Past the count's limit the last page is unknown: the end of the list is the same
    # filters in the reverse order.
    from_the_end = filters.copy()
    from_the_end["sort"] = reversed_sort(request.GET.get("sort") or "submitted_at")
    return render(
        request,
        "verification/queue.html",
        {
            "page_title": _("Dossiers à vérifier"),
            "campaign": campaign,
            "filter": filterset,
            "table": table,
            "matching": table.paginator.count,
            "capped": capped,
            "counted_matching": estimate,
            "cap": table.paginator.limit,
            "from_the_end_query": from_the_end.urlencode(),
            "counts": selectors.counts_by_programme(request.user, campaign, counted),
            "counted_at": counted.computed_at if counted else None,
            "states": selectors.QueueState.CHOICES,
            "filters_query": filters.urlencode(),
            "bulk_limit": max_dossiers(),
        },
    )


@require_access(CENTRAL_OFFICER)
def queue_export(request: SignedInRequest, fmt: str) -> HttpResponseBase:
    """The queue as filtered and sorted on the page, every matching row (not one page)."""
    if fmt not in exports.FORMATS:
        raise Http404
    _campaign, _filterset, table = queue_table(request, request.GET, paginate=False)
    columns = export_columns()
    rows = (
        tuple(column.value(dossier) for column in columns)
        for dossier in selectors.queue_rows(table.data.data)
    )
    return exports.export_response(fmt, "dossiers", [column.header for column in columns], rows)


@require_access(CENTRAL_OFFICER)
@require_POST
def bulk_export_start(request: SignedInRequest) -> HttpResponse:
    """Start a ZIP of PDFs: the dossiers ticked, or every dossier matching the filters."""
    campaign = campaign_or_404(request)
    filters = QueryDict(request.POST.get("filters", "")[:2000])
    queryset = selectors.queue_dossiers(request.user, campaign)
    if request.POST.get("scope") == "all":
        filterset = QueueFilter(filters, queryset=queryset, campaign=campaign)
        chosen = filterset.qs if filterset.is_valid() else queryset.none()
    else:
        chosen = queryset.filter(reference__in=request.POST.getlist("reference")[:1000])
    try:
        export = start_bulk_export(
            by=request.user,
            campaign=campaign,
            dossiers=chosen,
            now=clock.now(),
            language=page_language(),
        )
    except BulkExportError as error:
        messages.error(request, error.message)
        return redirect(
            reverse("verification:queue") + ("?" + filters.urlencode() if filters else "")
        )
    return redirect("verification:bulk_export", pk=export.pk)


def own_export(request: SignedInRequest, pk: int) -> BulkExport:
    """The export, for its requester or a platform administrator whose grants cover every
    dossier in it (R9.2: a school's administrator never reads another school's); 404
    otherwise."""
    export = get_object_or_404(BulkExport, pk=pk)
    if export.requested_by_id == request.user.pk:
        return export
    administered = school_scope(request.user, [Role.PLATFORM_ADMIN])
    if administered.empty:
        raise Http404
    outside = export.dossiers.exclude(
        pk__in=administered.narrow(Dossier.objects.all(), "campaign__school").values("pk")
    )
    if outside.exists():
        raise Http404
    return export


@require_access(CENTRAL_OFFICER)
def bulk_export(request: SignedInRequest, pk: int) -> HttpResponse:
    """The export's progress (a <progress> bar the page polls, or refreshes without script),
    then its download link."""
    export = own_export(request, pk)
    if request.GET.get("format") == "json":
        return JsonResponse({"state": export.state, "done": export.done, "total": export.total})
    return render(
        request,
        "verification/bulk_export.html",
        {"page_title": _("Export des dossiers en PDF"), "export": export},
    )


@require_access(CENTRAL_OFFICER)
def bulk_export_download(request: SignedInRequest, pk: int) -> HttpResponseBase:
    export = own_export(request, pk)
    if export.state != BulkExport.State.READY or not export.file:
        raise Http404
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"dossiers-{export.pk}.zip",
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
