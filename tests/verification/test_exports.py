"""Back-office lists as spreadsheets with their filters applied (R8.3): the queue, the payments
desk and the messages desk."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from admissions.support.models import Message
from tests.verification.helpers import (
    PARIS,
    check,
    make_dossier,
    officer_of_another_school,
    payment,
)

pytestmark = pytest.mark.django_db

SUBMITTED = datetime(2021, 3, 2, 14, 30, tzinfo=PARIS)


@pytest.fixture
def officer(client, accounts_by_role):
    user = accounts_by_role["central_officer"]
    client.force_login(user)
    return user


def csv_lines(response) -> list[str]:
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    return data.decode("utf-8-sig").splitlines()


def xlsx_rows(response) -> list[tuple]:
    data = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))


def test_queue_csv_holds_the_filtered_rows_with_accents(client, officer, reference_campaign):
    kept = make_dossier(
        reference_campaign,
        "heloise@example.org",
        reference="IMTM-KEPT",
        last_name="Lefèvre",
        first_name="Héloïse",
        submitted_at=SUBMITTED,
        status_sought="apprentissage",
        options=("SENMBA", "SIMMA"),
    )
    make_dossier(
        reference_campaign, "left@example.org", reference="IMTM-LEFT", submitted_at=SUBMITTED
    )
    check(kept, "recevable", officer)
    payment(kept, "confirmed")

    response = client.get(
        reverse("verification:queue_export", args=["csv"]), {"state": "recevable"}
    )

    assert response["Content-Disposition"] == 'attachment; filename="dossiers.csv"'
    assert csv_lines(response) == [
        "Dossier;Nom;Prénom;Adresse électronique;Options;Statut visé;État;Déposé le;"
        "Pièces à compléter;Boursier;Paiement",
        "IMTM-KEPT;Lefèvre;Héloïse;heloise@example.org;SENMBA, SIMMA;Apprentissage;Recevable;"
        "2021-03-02 14:30;Non;Non;Paiement confirmé",
    ]


def test_queue_xlsx_holds_every_matching_row_not_one_page(client, officer, reference_campaign):
    for number in range(55):
        make_dossier(reference_campaign, f"c{number}@example.org", reference=f"R-{number:03}")

    response = client.get(
        reverse("verification:queue_export", args=["xlsx"]), {"sort": "reference"}
    )

    rows = xlsx_rows(response)
    assert len(rows) == 56
    assert [row[0] for row in rows[1:4]] == ["R-000", "R-001", "R-002"]


def test_queue_export_defuses_a_name_written_as_a_formula(client, officer, reference_campaign):
    make_dossier(reference_campaign, "f@example.org", reference="R-F", last_name="=1+1")

    response = client.get(reverse("verification:queue_export", args=["csv"]))

    assert csv_lines(response)[1].split(";")[1] == "'=1+1"


def test_queue_export_holds_nothing_of_another_school(client, reference_campaign):
    make_dossier(reference_campaign, "f@example.org", reference="R-HIDDEN")
    client.force_login(officer_of_another_school())

    response = client.get(reverse("verification:queue_export", args=["csv"]))

    assert len(csv_lines(response)) == 1  # the headers alone


def test_queue_export_of_an_unknown_format_is_not_found(client, officer, reference_campaign):
    response = client.get(reverse("verification:queue_export", args=["ods"]))

    assert response.status_code == 404


def test_queue_export_is_refused_to_a_school_officer(client, accounts_by_role, reference_campaign):
    client.force_login(accounts_by_role["school_officer"])

    response = client.get(reverse("verification:queue_export", args=["csv"]))

    assert response.status_code == 403


def test_payments_desk_exports_the_declared_payments(client, officer, reference_campaign):
    dossier = make_dossier(
        reference_campaign, "p@example.org", reference="R-PAY", last_name="Noël", first_name="Zoé"
    )
    payment(dossier, "declared")
    payment(make_dossier(reference_campaign, "q@example.org"), "confirmed")

    response = client.get(reverse("payments:export", args=["csv"]))

    assert csv_lines(response) == [
        "Dossier;Candidat;Adresse électronique;Montant déclaré;Total dû;Reste dû;Devise;"
        "Référence;Déclaré le",
        "R-PAY;Zoé Noël;p@example.org;77.00;77.00;0.00;EUR;VIR-1;2021-02-01 09:00",
    ]


def test_messages_desk_exports_its_threads(client, officer, reference_campaign):
    dossier = make_dossier(reference_campaign, "m@example.org", reference="R-MSG", last_name="Ély")
    Message.objects.create(
        dossier=dossier, author=dossier.candidate, body="Bonjour", sent_at=SUBMITTED
    )
    make_dossier(reference_campaign, "silent@example.org")

    response = client.get(reverse("support:staff_list_export", args=["xlsx"]))

    assert xlsx_rows(response) == [
        ("Dossier", "Candidat", "Adresse électronique", "Dernier message", "Non lus"),
        ("R-MSG", "Ély", "m@example.org", datetime(2021, 3, 2, 14, 30), 1),
    ]
