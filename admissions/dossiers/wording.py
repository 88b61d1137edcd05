"""Words of the dossier pages that depend on grammar (issue 8: the live panel's checklist)."""

from __future__ import annotations

from django.utils.translation import pgettext

from admissions.rules.documents import RequiredDocument, Source

# Each state in four forms (masculine, feminine, masculine plural, feminine plural); the
# words stand after a document's label ("Curriculum vitae — fourni") and English has one word
# for all four. The context keeps them apart from the same words used elsewhere ("Reçue").


def _received() -> tuple[str, str, str, str]:
    return (
        pgettext("checklist state", "reçu"),
        pgettext("checklist state", "reçue"),
        pgettext("checklist state", "reçus"),
        pgettext("checklist state", "reçues"),
    )


def _provided() -> tuple[str, str, str, str]:
    return (
        pgettext("checklist state", "fourni"),
        pgettext("checklist state", "fournie"),
        pgettext("checklist state", "fournis"),
        pgettext("checklist state", "fournies"),
    )


def _refused() -> tuple[str, str, str, str]:
    return (
        pgettext("checklist state", "refusé, à remplacer"),
        pgettext("checklist state", "refusée, à remplacer"),
        pgettext("checklist state", "refusés, à remplacer"),
        pgettext("checklist state", "refusées, à remplacer"),
    )


def _missing() -> tuple[str, str, str, str]:
    return (
        pgettext("checklist state", "manquant"),
        pgettext("checklist state", "manquante"),
        pgettext("checklist state", "manquants"),
        pgettext("checklist state", "manquantes"),
    )


def _agreeing(document: RequiredDocument, forms: tuple[str, str, str, str]) -> str:
    """The form that agrees with the document's French label (its gender and number)."""
    masculine, feminine, masculine_plural, feminine_plural = forms
    if document.plural:
        return feminine_plural if document.gender == "f" else masculine_plural
    return feminine if document.gender == "f" else masculine


def checklist_state(document: RequiredDocument, state: str) -> str:
    """``Curriculum vitae — fourni``, ``Photo d'identité — fournie``, ``Recommandation
    professionnelle — reçue``: the state of one checklist slot, agreeing with its label.

    ``state`` is a ``documents.ItemState`` value, or ``requested`` (a referee was asked)."""
    if state == "satisfied":
        return _agreeing(
            document, _received() if document.source == Source.REFEREE else _provided()
        )
    if state == "pending":
        return pgettext("checklist state", "à envoyer plus tard")
    if state == "refused":
        return _agreeing(document, _refused())
    if state == "requested":
        return pgettext("checklist state", "demandée au référent, en attente")
    return _agreeing(document, _missing())
