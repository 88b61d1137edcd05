"""Background work of the dossier (R8.2): thin tasks that take ids and call a service."""

from __future__ import annotations

from django_tasks import task


@task()
def send_submission_receipt(dossier_id: int, language: str = "fr") -> None:
    from admissions.dossiers.receipts import send_receipt  # slow import: WeasyPrint

    send_receipt(dossier_id, language)
