"""Documents of the dossier: upload pages, uploads, the photo preview, serving files (R3.4, R10.3)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from admissions.core.access import CANDIDATE, require_access
from admissions.core.language import localized
from admissions.documents.inspection import (
    CONTENT_TYPES,
    download_name,
    sanitize_filename,
    upload_help,
)
from admissions.documents.models import Document
from admissions.documents.selectors import may_change_document, to_replace
from admissions.documents.services import (
    DocumentError,
    combine_uploads,
    declare_pending,
    stage_scaled_photo,
    store_document,
    throttle_uploads,
)
from admissions.dossiers import pages
from admissions.dossiers.selectors import upload_slots
from admissions.dossiers.views.desk import desk_for, render_page
from admissions.verification.selectors import document_refusal_reason

# The session key of a refused upload, kept across the redirect (post, redirect, get) so that
# the page shows it at its slot and in the error summary, naming the slot.
UPLOAD_REFUSAL = "upload_refusal"


def refuse_upload(request: HttpRequest, code: str, message: str) -> None:
    request.session[UPLOAD_REFUSAL] = {"code": code, "message": message}


def upload_page(request, page: pages.Page, only_motivation: bool) -> HttpResponse:
    desk = desk_for(request)
    slots = upload_slots(desk.dossier, desk.params)
    refusal = request.session.pop(UPLOAD_REFUSAL, None)
    stored = {document.code: document for document in desk.dossier.documents.all()}
    pending = set(desk.dossier.pending_documents.values_list("code", flat=True))
    rows = []
    for code, slot in slots.items():
        if code.startswith("motivation") != only_motivation:
            continue
        label = slot.label(desk.language)
        for alternative in slot.alternatives:
            if alternative.code == code:
                choice = localized(alternative, "label", desk.language)
                label = f"{label} — {choice}"
        rows.append(
            {
                "code": code,
                "label": label,
                "why": slot.why(desk.language),
                "document": stored.get(code),
                "to_replace": code in stored and to_replace(stored[code]),
                "reason": document_refusal_reason(stored[code], desk.campaign, desk.language)
                if code in stored
                else "",
                "pending": code in pending,
                "may_be_pending": slot.may_be_pending and code not in stored,
                "changeable": may_change_document(
                    desk.dossier, code, editable=desk.editable, now=desk.now
                ),
                "max_pages": slot.max_pages,
                "error": refusal["message"] if refusal and refusal["code"] == code else "",
            }
        )
    upload_errors = [
        {"code": row["code"], "label": row["label"], "message": row["error"]}
        for row in rows
        if row["error"]
    ]
    if refusal and not upload_errors:  # a slot of the other page, or one no longer asked for
        messages.error(request, refusal["message"])
    return render_page(
        request,
        desk,
        "dossiers/uploads.html",
        page.slug,
        rows=rows,
        upload_errors=upload_errors,
        title=page.title,
        max_bytes=desk.params.uploads.max_bytes,
        photo_max=(desk.params.uploads.photo_max_width, desk.params.uploads.photo_max_height),
        upload_help=upload_help(desk.params.uploads, desk.language),
    )


@require_access(CANDIDATE)
def uploads(request: HttpRequest) -> HttpResponse:
    return upload_page(request, pages.UPLOADS, only_motivation=False)


@require_access(CANDIDATE)
def motivation(request: HttpRequest) -> HttpResponse:
    return upload_page(request, pages.LETTERS, only_motivation=True)


@require_access(CANDIDATE)
@require_POST
def upload(request: HttpRequest, code: str) -> HttpResponse:
    """One file, or several pages for a slot that takes them (R10.3); refusals keep the old file."""
    desk = desk_for(request)
    back = pages.LETTERS if code.startswith("motivation") else pages.UPLOADS
    if code == "scholarship_proof" and request.POST.get("back") == pages.FEES.slug:
        back = pages.FEES  # the fees page offers the proof's upload too (R3.6, issue 8)
    files = request.FILES.getlist("file")
    if not files:
        refuse_upload(request, code, _("Choisissez un fichier à envoyer."))
        return redirect(back.url)
    try:
        # Real time, not the campaign's clock: the limit protects the server (issue 10).
        throttle_uploads(user_id=cast(int, request.user.pk), files=len(files), now=timezone.now())
        if len(files) > 1:
            slot = upload_slots(desk.dossier, desk.params).get(code)
            if slot is None or len(files) > slot.max_pages:
                raise DocumentError(_("Cette pièce ne prend qu'un seul fichier."))
            candidate_file: File = combine_uploads(files, desk.params)
            candidate_file.name = sanitize_filename(files[0].name)
        else:
            candidate_file = files[0]
        store_document(
            dossier=desk.dossier,
            code=code,
            upload=candidate_file,
            by=request.user,
            now=desk.now,
            params=desk.params,
        )
    except DocumentError as error:
        if code == "photo" and error.can_scale_down and desk.editable:
            request.session["photo_preview"] = stage_scaled_photo(files[0], desk.params)
            return redirect("dossiers:photo_preview")
        details = " ".join(reason.text(desk.language) for reason in error.reasons)
        refuse_upload(request, code, f"{error.message} {details}".strip())
    else:
        messages.success(request, _("Fichier enregistré."))
    return redirect(back.url)


@require_access(CANDIDATE)
def photo_preview(request: HttpRequest) -> HttpResponse:
    """A too-large photo, scaled down by the platform: used only if the candidate approves it."""
    desk = desk_for(request)
    staged = request.session.get("photo_preview")
    if not staged or not default_storage.exists(staged):
        messages.info(request, _("Aucune photo en attente de validation."))
        return redirect(pages.UPLOADS.url)
    if request.method == "POST":
        del request.session["photo_preview"]
        if request.POST.get("decision") == "use":
            with default_storage.open(staged, "rb") as scaled:
                photo = ContentFile(scaled.read(), name="photo-reduite" + staged[-4:])
            try:
                store_document(
                    dossier=desk.dossier,
                    code="photo",
                    upload=photo,
                    by=request.user,
                    now=desk.now,
                    params=desk.params,
                )
            except DocumentError as error:
                refuse_upload(request, "photo", str(error.message))
            else:
                messages.success(request, _("Photo réduite enregistrée."))
        default_storage.delete(staged)
        return redirect(pages.UPLOADS.url)
    return render_page(request, desk, "dossiers/photo_preview.html", pages.UPLOADS.slug)


@require_access(CANDIDATE)
def photo_preview_file(request: HttpRequest) -> FileResponse:
    staged = request.session.get("photo_preview")
    if not staged or not default_storage.exists(staged):
        raise Http404
    response = FileResponse(
        default_storage.open(staged, "rb"),
        content_type="image/png" if staged.endswith(".png") else "image/jpeg",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_access(CANDIDATE)
@require_POST
def mark_pending(request: HttpRequest, code: str) -> HttpResponse:
    desk = desk_for(request)
    try:
        declare_pending(
            dossier=desk.dossier, code=code, by=request.user, now=desk.now, params=desk.params
        )
    except DocumentError as error:
        refuse_upload(request, code, str(error.message))
    else:
        messages.success(
            request, _("Noté : vous enverrez cette pièce dès qu'elle sera disponible.")
        )
    return redirect(pages.UPLOADS.url)


@require_access(CANDIDATE)
def document_file(request: HttpRequest, code: str) -> FileResponse:
    """The candidate's own file, never anyone else's (R9.2): looked up through their dossier."""
    desk = desk_for(request)
    document = Document.objects.filter(dossier=desk.dossier, code=code).first()
    if document is None:
        raise Http404
    return serve_document(document)


def serve_document(document: Document) -> FileResponse:
    """The file with the type and extension of its judged format, never the candidate's
    (issue 10: a file named poly.html must not come back as a web page)."""
    return serve_stored_file(document.file, document.format, document.original_name)


def serve_stored_file(file: FieldFile, found: str, original_name: str) -> FileResponse:
    """Any stored upload judged by content (``found``: its format), with serve_document's
    headers: the pre-entry documents (R7.4) are served the same way."""
    response = FileResponse(
        file.open("rb"),
        content_type=CONTENT_TYPES.get(found, "application/octet-stream"),
        as_attachment=False,
        filename=download_name(original_name, found),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; plugin-types application/pdf"
    )
    return response
