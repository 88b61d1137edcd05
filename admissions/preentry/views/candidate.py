"""The candidate's pre-entry page (R7.4): what is asked before training starts, each item's
state, the upload of the diploma's copy and the JDC/JAPD certificate, their own files. The
dossier is always the signed-in candidate's own (never an identifier from the URL, R9.2)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from admissions.core.access import CANDIDATE, require_access
from admissions.core.requests import SignedInRequest
from admissions.documents.inspection import upload_help
from admissions.documents.services import DocumentError, throttle_uploads
from admissions.dossiers.views import desk_for, render_page
from admissions.dossiers.views.documents import serve_stored_file
from admissions.preentry import selectors, services
from admissions.preentry.forms import UploadForm
from admissions.preentry.models import PreEntryDocument
from admissions.preentry.services import PreEntryError

PAGE = "preentry"


@require_access(CANDIDATE)
def candidate(request: SignedInRequest) -> HttpResponse:
    desk = desk_for(request)
    admitted = selectors.is_admitted_for_good(desk.dossier)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if not admitted:
            messages.error(request, _("Cette action n'est pas possible : rien n'a été changé."))
            return redirect("preentry:candidate")
        if not form.is_valid():
            kind = request.POST.get("kind", "")
            message = _("Choisissez un fichier à envoyer.")
            if kind not in PreEntryDocument.Kind.values:
                messages.error(request, _("Cette pièce n'est pas demandée."))
                return redirect("preentry:candidate")
            errors[kind] = message
            status = 400
        else:
            kind = form.cleaned_data["kind"]
            try:
                # Real time, not the campaign's clock: the limit protects the server (issue 10).
                throttle_uploads(user_id=request.user.pk, files=1, now=timezone.now())
                services.upload_document(
                    dossier=desk.dossier,
                    kind=kind,
                    upload=form.cleaned_data["file"],
                    by=request.user,
                    now=desk.now,
                    params=desk.params,
                    language=desk.language,
                )
            except (PreEntryError, DocumentError) as error:
                errors[kind] = str(error.message)
                status = 400
            else:
                messages.success(
                    request,
                    _("Fichier enregistré : l'école le vérifiera et vous tiendra informé(e)."),
                )
                return redirect("preentry:candidate")
    context: dict = {"page_title": _("Avant l'entrée en formation"), "admitted": admitted}
    if admitted:
        checklist = selectors.checklist_of(desk.dossier, desk.params)
        context.update(
            preentry=checklist,
            items=items_of(checklist, desk.language, errors),
            upload_errors=[{"code": kind, "message": message} for kind, message in errors.items()],
            upload_help=upload_help(desk.params.uploads, desk.language),
            max_bytes=desk.params.uploads.max_bytes,
        )
    response = render_page(request, desk, "preentry/candidate.html", PAGE, **context)
    response.status_code = status
    return response


def items_of(checklist: selectors.Checklist, language: str, errors: dict[str, str]) -> list[dict]:
    """The candidate's two document items, as the page shows them."""
    items = []
    for kind, label in PreEntryDocument.Kind.choices:
        if kind == PreEntryDocument.Kind.JDC and not checklist.jdc_asked:
            continue
        document = checklist.documents.get(kind)
        items.append(
            {
                "kind": kind,
                "label": label,
                "document": document,
                "changeable": document is None or not document.accepted,
                "error": errors.get(kind, ""),
                "why": checklist.jdc.reason.text(language)
                if kind == PreEntryDocument.Kind.JDC and checklist.jdc
                else "",
            }
        )
    return items


@require_access(CANDIDATE)
def own_file(request: SignedInRequest, code: str) -> FileResponse:
    """The candidate's own file (``code``: its kind), looked up through their own dossier (R9.2)."""
    desk = desk_for(request)
    document = PreEntryDocument.objects.filter(dossier=desk.dossier, kind=code).first()
    if document is None:
        raise Http404
    return serve_stored_file(document.file, document.format, document.original_name)
