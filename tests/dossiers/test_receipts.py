"""The submission receipt (R3.7, issue 8): fee lines, payments, what remains, documents by label."""

from __future__ import annotations

import pytest
from django.urls import reverse

from admissions.dossiers.services import submit_dossier
from tests.dossiers.helpers import IN_WINDOW, complete_dossier, received_recommendations
from tests.helpers import pdf_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(reference_campaign, accounts_by_role, settings):
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    received_recommendations(dossier)
    return submit_dossier(dossier=dossier, by=dossier.candidate, now=IN_WINDOW)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            [
                "Frais de dossier",
                "Première formation choisie 77,00 €",
                "Total 77,00 €",
                "Paiement Référence État Montant",
                "Virement bancaire VIR-1 Déclaré, à confirmer 77,00 €",
                "Reste dû 0,00 €",
            ],
        ),
        (
            "en",
            [
                "Application fee",
                "First formation chosen €77.00",
                "Total €77.00",
                "Payment Reference Status Amount",
                "Bank transfer VIR-1 Declared, awaiting confirmation €77.00",
                "Still due €0.00",
            ],
        ),
    ],
)
def test_receipt_carries_the_fee_the_payments_and_what_remains(
    client, submitted, language, expected
):
    client.force_login(submitted.candidate)

    response = client.get(reverse("dossiers:receipt"), HTTP_ACCEPT_LANGUAGE=language)

    lines = pdf_lines(response.content)
    start = lines.index(expected[0])
    assert lines[start : start + len(expected)] == expected


def test_receipt_names_documents_by_their_checklist_labels(client, submitted):
    client.force_login(submitted.candidate)

    lines = pdf_lines(client.get(reverse("dossiers:receipt"), HTTP_ACCEPT_LANGUAGE="fr").content)

    text = "\n".join(lines)
    assert ".pdf" not in text and ".jpg" not in text  # no file names
    start = lines.index("Pièces fournies Photo d'identité")
    assert lines[start + 1 : start + 7] == [
        "Pièce d'identité — Carte d'identité (recto et verso)",
        "Curriculum vitae",
        "Relevés de notes du baccalauréat",
        "Relevés de notes de l'année précédente",
        "Relevé de notes de cette année (premier semestre)",
        "Lettre de motivation : SENMBA",
    ]
