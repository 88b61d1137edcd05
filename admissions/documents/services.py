"""Storing a dossier's documents (R3.4, R3.8): judged by content, replaced atomically."""

from __future__ import annotations

import math
import secrets
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from admissions.audit.services import record
from admissions.documents.inspection import (
    combine_pages,
    download_name,
    inspect_upload,
    scale_down_photo,
)
from admissions.documents.models import Document, PendingDeclaration
from admissions.documents.selectors import may_change_document
from admissions.dossiers.models import Dossier
from admissions.dossiers.selectors import is_editable, upload_slots
from admissions.rules.explain import Reason, RulesError
from admissions.rules.params import Campaign as CampaignParams


class DocumentError(Exception):
    def __init__(self, message, reasons: tuple[Reason, ...] = (), can_scale_down: bool = False):
        super().__init__(str(message))
        self.message = message
        self.reasons = reasons
        self.can_scale_down = can_scale_down  # a photo only too large: offer a scaled preview


PREVIEW_DIR = "staging"

# Judging a file costs CPU and memory (an image is decoded, a PDF parsed): a candidate sends a
# dozen files in an evening, and replaces a few; 30 in 10 minutes leaves room for a slow,
# hesitant one and stops a script sending thousands (issue 10).
UPLOADS_PER_WINDOW = 30
UPLOAD_WINDOW = timedelta(minutes=10)


def throttle_uploads(*, user_id: int, files: int, now: datetime) -> None:
    """Count ``files`` uploads for the account, or raise DocumentError past the limit.

    The times of the account's recent uploads live in Django's cache (as allauth's rate limits
    do), in a sliding window: a refused attempt is not counted, so the candidate can send again
    as soon as the oldest upload leaves the window, and the message says when.
    """
    key = f"documents:uploads:{user_id}"
    window = UPLOAD_WINDOW.total_seconds()
    moment = now.timestamp()
    recent = sorted(t for t in cache.get(key, []) if t > moment - window)
    if len(recent) + files > UPLOADS_PER_WINDOW:
        # The upload whose leaving the window makes room for these files.
        freeing = min(len(recent) + files - UPLOADS_PER_WINDOW, len(recent)) - 1
        oldest = recent[freeing] if freeing >= 0 else moment
        minutes = max(1, math.ceil((oldest + window - moment) / 60))
        raise DocumentError(
            _(
                "Vous avez envoyé beaucoup de fichiers en peu de temps (%(limit)s en "
                "%(window)s minutes au plus). Réessayez dans %(minutes)s minute(s) : vos "
                "fichiers déjà enregistrés sont conservés."
            )
            % {
                "limit": UPLOADS_PER_WINDOW,
                "window": int(window // 60),
                "minutes": minutes,
            }
        )
    recent.extend([moment] * files)
    cache.set(key, recent, timeout=int(window) + 60)


def combine_uploads(uploads: list, params) -> ContentFile:
    """Several pages for one slot (identity card front and back) as one PDF (R10.3).

    Each part is judged by content first; the first refused part is named in the error."""
    parts = []
    for number, upload in enumerate(uploads, start=1):
        inspection = inspect_upload(upload, params.uploads, kind="document")
        if not inspection.ok:
            raise DocumentError(
                _("Le fichier n° %(number)s n'a pas été accepté.") % {"number": number},
                inspection.reasons,
            )
        upload.seek(0)
        parts.append(upload.read(params.uploads.max_bytes + 1))
    try:
        combined = combine_pages(parts, rules=params.uploads)
    except RulesError as error:
        raise DocumentError(_("Ces fichiers n'ont pas pu être réunis."), (error.reason,)) from error
    return ContentFile(combined, name="pages.pdf")


def stage_scaled_photo(upload, params) -> str:
    """Store a scaled-down copy of a too-large photo for the candidate to approve (R10.3)."""
    upload.seek(0)
    try:
        scaled = scale_down_photo(upload.read(params.uploads.max_bytes + 1), params.uploads)
    except RulesError as error:
        raise DocumentError(_("Cette photo n'a pas pu être réduite."), (error.reason,)) from error
    extension = "png" if scaled.startswith(b"\x89PNG") else "jpg"
    return default_storage.save(
        f"{PREVIEW_DIR}/{secrets.token_hex(16)}.{extension}", ContentFile(scaled)
    )


def _check_may_store(dossier: Dossier, code: str, params: CampaignParams, now: datetime) -> None:
    """Raise DocumentError unless ``code`` is a slot of the dossier the candidate may change now."""
    if code not in upload_slots(dossier, params):
        raise DocumentError(_("Cette pièce n'est pas demandée dans votre dossier."))
    if not may_change_document(dossier, code, editable=is_editable(dossier, params, now), now=now):
        raise DocumentError(
            _("Votre dossier n'est plus modifiable : cette pièce ne peut plus être changée.")
        )


def store_document(*, dossier: Dossier, code: str, upload, by, now: datetime, params) -> Document:
    """Judge ``upload`` by its content and make it the slot's file; the old one stays on refusal.

    Raises DocumentError with the reasons. Side effects: audit entry; old file deleted after commit.

    Judging the file is slow (an image decoded, a PDF parsed), so it happens before the
    transaction, never while the dossier's row is locked (a submission would wait for it).
    What was checked before it may no longer hold once it is done (issue 9: a submission
    committed meanwhile freezes a snapshot naming the current file): the slot and the right to
    change it are checked again under the lock, and only then is anything written.
    """
    _check_may_store(dossier, code, params, now)  # an early answer before the costly inspection
    inspection = inspect_upload(
        upload, params.uploads, kind="photo" if code == "photo" else "document"
    )
    if not inspection.ok:
        raise DocumentError(
            _("Ce fichier n'a pas été accepté."), inspection.reasons, inspection.can_scale_down
        )
    upload.seek(0)
    data = upload.read(params.uploads.max_bytes + 1)  # the size was checked: keep the bound
    with transaction.atomic():
        # Lock first, then check again, then write: a submission either committed before this
        # (the upload is refused) or waits until the new file is stored (its snapshot names it).
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        _check_may_store(dossier, code, params, now)
        previous = Document.objects.filter(dossier=dossier, code=code).first()
        old_name = previous.file.name if previous else None
        document = previous or Document(dossier=dossier, code=code)
        document.format = inspection.format or ""
        document.content_type = inspection.content_type or "application/octet-stream"
        document.size_bytes = len(data)
        document.pages = inspection.pages or 1
        document.original_name = download_name(
            getattr(upload, "name", "") or "document", inspection.format or ""
        )
        document.uploaded_at = now
        document.uploaded_by = by
        document.review = Document.Review.UNCHECKED
        document.refusal_reason_code = ""
        document.refusal_reason = ""
        document.replacement_requested = False
        document.replace_until = None
        document.reviewed_at = None
        document.reviewed_by = None
        document.file.save("upload", ContentFile(data), save=False)
        document.save()
        PendingDeclaration.objects.filter(dossier=dossier, code=code).delete()
        dossier.updated_at = now
        dossier.save(update_fields=["updated_at"])
        record(
            by,
            "documents.document.uploaded",
            dossier,
            data={"code": code, "size": len(data)},
            at=now,
        )
        if old_name:
            storage = document.file.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return document


def declare_pending(*, dossier: Dossier, code: str, by, now: datetime, params) -> None:
    """The first-semester transcript is "not yet available" and will come later (R3.3).

    Checked under the dossier's lock (issue 9): a submission committed since the page was read
    refuses the declaration; a second declaration (double click) records nothing more."""
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        slot = upload_slots(dossier, params).get(code)
        if slot is None or not slot.may_be_pending:
            raise DocumentError(_("Cette pièce ne peut pas être envoyée plus tard."))
        if not is_editable(dossier, params, now):
            raise DocumentError(_("Votre dossier n'est plus modifiable."))
        _declaration, created = PendingDeclaration.objects.get_or_create(
            dossier=dossier, code=code, defaults={"declared_at": now}
        )
        if created:
            record(by, "documents.document.declared_pending", dossier, data={"code": code}, at=now)


def sweep_staged_photos(*, older_than, now) -> int:
    """Delete scaled-down photo previews nobody approved or cancelled (R10.3); returns how many."""
    try:
        _directories, names = default_storage.listdir(PREVIEW_DIR)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    removed = 0
    for name in names:
        path = f"{PREVIEW_DIR}/{name}"
        try:
            if now - default_storage.get_modified_time(path) >= older_than:
                default_storage.delete(path)
                removed += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    return removed
