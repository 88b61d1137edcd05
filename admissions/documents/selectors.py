"""What a dossier's documents allow, read without changing anything (R3.8).

Each rule is decided here once, for the services (under the dossier's lock), the pages and
their templates. The slots a dossier may upload are ``dossiers.selectors.upload_slots``.
"""

from __future__ import annotations

from datetime import datetime

from admissions.documents.models import Document
from admissions.dossiers.models import Dossier


def to_replace(document: Document) -> bool:
    """Refused by staff or asked to be replaced: the candidate must send it again ("à remplacer")."""
    return document.review == Document.Review.REFUSED or document.replacement_requested


def may_change_document(dossier: Dossier, code: str, *, editable: bool, now: datetime) -> bool:
    """R3.8: while the dossier is editable (``selectors.is_editable``), any file; afterwards only
    one declared "not yet available" or one staff asked to replace, until the date they set.

    Reads the dossier's pending declarations and documents: prefetched on the pages, read fresh
    from a row just locked by a service."""
    if editable:
        return True
    if any(pending.code == code for pending in dossier.pending_documents.all()):
        return True
    return any(
        document.code == code and document.replacement_open(now)
        for document in dossier.documents.all()
    )
