"""State changes of the check queue's bulk PDF exports (R10.5).

``start_bulk_export`` records the request and queues ``tasks.build_bulk_export`` after commit;
the task calls ``build_bulk_export``, which writes the ZIP dossier by dossier, counting its
progress so the page can show it; ``sweep_bulk_exports`` deletes the files of expired exports.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from admissions.accounts.models import User
from admissions.audit.services import record
from admissions.campaigns.models import Campaign
from admissions.dossiers.models import Dossier
from admissions.verification.models import BulkExport

logger = logging.getLogger(__name__)


class BulkExportError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def max_dossiers() -> int:
    return settings.BULK_EXPORT_MAX_DOSSIERS


def time_to_live() -> timedelta:
    return timedelta(seconds=settings.BULK_EXPORT_TTL_SECONDS)


def start_bulk_export(
    *,
    by: User,
    campaign: Campaign,
    dossiers: QuerySet[Dossier],
    now: datetime,
    language: str = "fr",
) -> BulkExport:
    """Record an export of ``dossiers`` (already narrowed to what ``by`` may check) and queue
    its building. Raises BulkExportError for an empty selection or one over the limit.
    Side effects: audit entry; the task queued after commit."""
    from admissions.verification.tasks import build_bulk_export  # tasks import this module

    dossier_ids = list(
        dossiers.order_by("reference").values_list("pk", flat=True)[: max_dossiers() + 1]
    )
    if not dossier_ids:
        raise BulkExportError(_("Aucun dossier sélectionné : cochez au moins un dossier."))
    if len(dossier_ids) > max_dossiers():
        raise BulkExportError(
            ngettext(
                "Un export réunit au plus %(max)d dossier : affinez les filtres.",
                "Un export réunit au plus %(max)d dossiers : affinez les filtres.",
                max_dossiers(),
            )
            % {"max": max_dossiers()}
        )
    with transaction.atomic():
        export = BulkExport.objects.create(
            campaign=campaign,
            requested_by=by,
            total=len(dossier_ids),
            language=language,
            created_at=now,
        )
        export.dossiers.set(dossier_ids)
        record(
            by,
            "verification.bulk_export.requested",
            export,
            data={"dossiers": len(dossier_ids)},
            at=now,
        )
        transaction.on_commit(lambda: build_bulk_export.enqueue(export.pk))
    return export


def build_bulk_export(*, export_id: int, now: datetime) -> BulkExport:
    """Write the ZIP of ``export_id``: one PDF per dossier, progress counted after each.

    Claims the export with a conditional UPDATE (queued -> running), so a task run twice
    builds it once. Side effects: the file stored; the export ready (or failed)."""
    from admissions.verification.bulk import dossier_pdf  # WeasyPrint: only in the worker

    claimed = BulkExport.objects.filter(pk=export_id, state=BulkExport.State.QUEUED).update(
        state=BulkExport.State.RUNNING
    )
    export = BulkExport.objects.get(pk=export_id)
    if claimed != 1:  # another worker has it, or it is already built
        return export
    dossiers = export.dossiers.select_related("campaign", "candidate").prefetch_related(
        "documents", "payments", "choices"
    )
    try:
        with tempfile.TemporaryFile() as output:
            with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for dossier in dossiers.order_by("reference").iterator(chunk_size=50):
                    archive.writestr(
                        f"{dossier.reference}.pdf", dossier_pdf(dossier, export.language)
                    )
                    BulkExport.objects.filter(pk=export.pk).update(done=F("done") + 1)
            output.seek(0)
            export.refresh_from_db()
            export.file.save(f"{export.pk}.zip", File(output), save=False)
    except Exception:
        logger.exception("Bulk export %s failed", export_id)
        BulkExport.objects.filter(pk=export_id).update(
            state=BulkExport.State.FAILED, finished_at=now
        )
        export.refresh_from_db()
        return export
    export.state = BulkExport.State.READY
    export.finished_at = now
    export.expires_at = now + time_to_live()
    export.save(update_fields=["file", "state", "finished_at", "expires_at"])
    return export


def sweep_bulk_exports(*, now: datetime) -> int:
    """Delete the files of exports past their expiry; the rows stay (expired) as a record.
    Returns how many were swept."""
    swept = 0
    due = BulkExport.objects.filter(state=BulkExport.State.READY, expires_at__lte=now)
    for export in due.iterator():
        with transaction.atomic():
            locked = BulkExport.objects.select_for_update().get(pk=export.pk)
            if locked.state != BulkExport.State.READY:  # swept by another run meanwhile
                continue
            name = locked.file.name
            locked.file = ""
            locked.state = BulkExport.State.EXPIRED
            locked.save(update_fields=["file", "state"])
            if name:
                storage = locked.file.storage
                transaction.on_commit(partial(storage.delete, name))
            swept += 1
    return swept
