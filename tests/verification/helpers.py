"""Shared steps of the central check's tests."""

from __future__ import annotations

from datetime import timedelta

from admissions.accounts.models import User
from admissions.dossiers.models import Dossier
from admissions.dossiers.services import open_dossier, submit_dossier
from admissions.verification.services import review_document
from tests.dossiers.helpers import IN_WINDOW, complete_dossier, received_recommendations

UNTIL = IN_WINDOW + timedelta(days=10)


def refuse(
    dossier: Dossier, code: str, by, *, reason: str = "Illisible.", now=IN_WINDOW, until=UNTIL
):
    return review_document(
        document=dossier.documents.get(code=code),
        by=by,
        now=now,
        verdict="refused",
        reason_text=reason,
        replace_until=until,
    )


def accept_all(dossier: Dossier, by, now=IN_WINDOW) -> None:
    for document in dossier.documents.all():
        review_document(document=document, by=by, now=now, verdict="valid")


def another_submitted(campaign, email: str, now=IN_WINDOW) -> Dossier:
    candidate = User.objects.create_user(email, "a-long-password-1")
    dossier = complete_dossier(candidate, campaign, now)
    received_recommendations(dossier, now)
    return submit_dossier(dossier=dossier, by=candidate, now=now)


__all__ = ["IN_WINDOW", "UNTIL", "accept_all", "another_submitted", "open_dossier", "refuse"]
