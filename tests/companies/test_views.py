"""The company phase's pages (R7.1, R7.2, R7.5, R8.3): the candidate's page, the company's
link, the school officers' pages and exports; in French and English; bad input."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from admissions.audit.models import AuditEntry
from admissions.companies import links
from admissions.companies.models import Exclusion, HostCompany, ListPlace
from admissions.dossiers.models import Dossier
from admissions.notifications.models import OutboundEmail
from tests.helpers import page_text

from .conftest import FROZEN_AT, JUNE, confirm, declare, make_dossier, token

pytestmark = pytest.mark.django_db

PAGE = "/dossier/entreprise/"
FORM = {
    "action": "declare",
    "name": "Exemple Industrie",
    "siret": "732 829 320 00074",
    "sector": "industrie-mecanique",
    "address": "1 rue de l'Usine, 81000 Albi",
    "contract_start": "2021-09-01",
    "tutor_name": "Dominique Tuteur",
    "tutor_role": "Responsable",
    "tutor_email": "tuteur@company.example",
    "tutor_phone": "05 00 00 00 00",
}


def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def h1(response) -> list[str]:
    return re.findall(r"<h1>(.*?)</h1>", page_text(response))


# --- The candidate's page -------------------------------------------------------------------


def test_a_candidate_not_admitted_gets_a_clear_page_in_both_languages(client, campaign, clock_at):
    clock_at(JUNE)
    dossier = make_dossier(campaign, "below@example.org", admitted=False)
    client.force_login(dossier.candidate)

    french = page_text(client.get(PAGE))
    posted = client.post(PAGE, FORM)
    english(client)
    in_english = page_text(client.get(PAGE))

    assert "Pas encore disponible" in french and 'name="siret"' not in french
    assert posted.status_code == 302
    assert "Not available yet" in in_english
    assert not HostCompany.objects.exists()


def test_the_candidate_declares_a_company_and_sees_it_awaiting(client, campaign, clock_at):
    clock_at(JUNE)
    dossier = make_dossier(campaign, "ana@example.org")
    client.force_login(dossier.candidate)

    response = client.post(PAGE, FORM)
    page = page_text(client.get(PAGE))

    assert response.status_code == 302
    company = HostCompany.objects.get(dossier=dossier)
    assert company.state == HostCompany.State.AWAITING
    assert "Un lien personnel a été envoyé à tuteur@company.example" in page
    assert "Annuler cette déclaration" in page


@pytest.mark.parametrize(
    "changes,french,english_text",
    [
        ({"siret": "73282932000075"}, "clé de contrôle incorrecte", "wrong check key"),
        ({"contract_start": "2021-07-03"}, "ne peut pas commencer avant le", "cannot start before"),
    ],
)
def test_bad_input_is_explained_in_the_pages_language_and_kept(
    client, campaign, clock_at, changes, french, english_text
):
    clock_at(JUNE)
    dossier = make_dossier(campaign, "bad@example.org")
    client.force_login(dossier.candidate)

    in_french = page_text(client.post(PAGE, {**FORM, **changes}))
    english(client)
    in_english = page_text(client.post(PAGE, {**FORM, **changes}))

    assert french in in_french
    assert english_text in in_english
    assert 'value="Exemple Industrie"' in in_french  # what was typed is kept
    assert not HostCompany.objects.exists()


def test_the_candidate_sees_the_place_in_line_and_withdraws(client, campaign, clock_at):
    dossier = make_dossier(campaign, "ana@example.org")
    confirm(declare(dossier), JUNE)
    clock_at(JUNE + timedelta(days=1))
    client.force_login(dossier.candidate)

    page = page_text(client.get(PAGE))
    unticked = client.post(PAGE, {"action": "withdraw"})
    assert not Exclusion.objects.exists()
    client.post(PAGE, {"action": "withdraw", "confirm_withdrawal": "yes"})

    assert "c'est votre place dans l'ordre d'admission" in page
    assert "Admis(e) définitivement (rang 1" in page
    assert unticked.status_code == 302
    assert Exclusion.objects.get(dossier=dossier).kind == Exclusion.Kind.WITHDRAWAL
    assert "Candidature retirée" in page_text(client.get(PAGE))


# --- The company's link ---------------------------------------------------------------------


def test_the_company_confirms_once_through_its_link(client, campaign, clock_at):
    clock_at(JUNE)
    dossier = make_dossier(campaign, "ana@example.org")
    company = declare(dossier)
    url = f"/entreprise/{token(company)}/"

    form = page_text(client.get(url))
    first = client.post(url, {"answer": "confirm", "contract_start": "2021-09-06"})
    second = client.post(url, {"answer": "decline"})

    assert "Confirmation d'un contrat en alternance" in form
    assert dossier.reference not in form  # the link shows the candidate's name, not the dossier
    assert first.status_code == 302
    assert second.status_code == 200 and "Réponse enregistrée" in page_text(second)
    company.refresh_from_db()
    assert (company.state, company.contract_start.isoformat()) == ("confirmed", "2021-09-06")
    assert AuditEntry.objects.filter(action="companies.company.confirmed").count() == 1
    assert ListPlace.objects.get(dossier=dossier).standing == "admitted"


def test_the_company_declines_and_the_candidate_is_told(client, campaign, clock_at):
    clock_at(JUNE)
    dossier = make_dossier(campaign, "ana@example.org")
    company = declare(dossier)

    client.post(f"/entreprise/{token(company)}/", {"answer": "decline", "reason": "Budget"})

    company.refresh_from_db()
    assert (company.state, company.decline_reason) == ("declined", "Budget")
    assert OutboundEmail.objects.filter(
        kind=OutboundEmail.Kind.COMPANY_DECLINED, recipient=dossier.candidate.email
    ).exists()


def test_a_start_date_too_early_on_the_link_is_refused(client, campaign, clock_at):
    clock_at(JUNE)
    company = declare(make_dossier(campaign, "ana@example.org"))

    response = client.post(
        f"/entreprise/{token(company)}/", {"answer": "confirm", "contract_start": "2021-06-01"}
    )

    assert "ne peut pas commencer avant le" in page_text(response)
    company.refresh_from_db()
    assert company.state == HostCompany.State.AWAITING


@pytest.mark.parametrize(
    "case,expected",
    [
        ("expired", "Lien expiré"),
        ("frozen", "Liste définitive arrêtée"),
        ("cancelled", "Demande annulée"),
        ("tampered", "Lien non reconnu"),
    ],
)
def test_an_unusable_link_says_why_and_records_nothing(client, campaign, clock_at, case, expected):
    dossier = make_dossier(campaign, "ana@example.org")
    company = declare(dossier)
    link = token(company)
    clock_at(JUNE + timedelta(days=1))
    if case == "expired":
        clock_at(JUNE + links.LINK_MAX_AGE + timedelta(seconds=1))
    elif case == "frozen":
        clock_at(FROZEN_AT)
    elif case == "cancelled":
        from admissions.companies.services import cancel_company

        cancel_company(dossier=dossier, by=dossier.candidate, now=JUNE)
    else:
        link = link[:-2] + ("AA" if not link.endswith("AA") else "BB")

    response = client.post(f"/entreprise/{link}/", {"answer": "confirm"})

    assert response.status_code == 410
    assert expected in page_text(response)
    assert not HostCompany.objects.filter(state=HostCompany.State.CONFIRMED).exists()


def test_the_link_page_in_english(client, campaign, clock_at):
    clock_at(JUNE)
    company = declare(make_dossier(campaign, "ana@example.org"))
    english(client)

    assert h1(client.get(f"/entreprise/{token(company)}/")) == [
        "Confirmation of a work-study contract"
    ]


# --- Staff pages ----------------------------------------------------------------------------


@pytest.fixture
def line(campaign):
    dossiers = [make_dossier(campaign, f"{name}@example.org") for name in ("ana", "ben", "cid")]
    for hours, dossier in enumerate(dossiers):
        confirm(declare(dossier), JUNE + timedelta(hours=hours))
    return dossiers


def test_the_officer_sees_companies_and_lists_and_exports_them(client, line, officer, clock_at):
    clock_at(JUNE + timedelta(days=1))
    client.force_login(officer)
    ana, ben, cid = line

    companies = page_text(client.get("/gestion/entreprises/"))
    lists = page_text(client.get("/gestion/liste-definitive/"))
    final_csv = b"".join(client.get("/gestion/liste-definitive/export.csv").streaming_content)
    waiting_csv = b"".join(client.get("/gestion/liste-attente/export.csv").streaming_content)
    xlsx = client.get("/gestion/liste-definitive/export.xlsx")

    assert all(d.reference in companies for d in line)
    assert re.search(r'id="admitted-apprentissage".*' + ana.reference, lists, re.S)
    assert re.search(r'id="waiting-apprentissage".*' + cid.reference, lists, re.S)
    assert ana.reference.encode() in final_csv and cid.reference.encode() not in final_csv
    assert cid.reference.encode() in waiting_csv and ana.reference.encode() not in waiting_csv
    assert xlsx.status_code == 200


def list_column(response) -> dict[str, str]:
    """The "List" cell of each row of the declared companies, by dossier reference."""
    rows = re.findall(
        r'<tr>\s*<td><a href="[^"]*">([^<]+)</a></td>(.*?)</tr>', response.content.decode(), re.S
    )
    column = {}
    for reference, row in rows:
        last = re.findall(r"<td>(.*?)</td>", row)[-1]
        column[reference] = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", last).split()))
    return column


@pytest.mark.parametrize(
    "language,apprenticeship,continuing,admitted,waiting,rank",
    [
        (
            "fr",
            "Apprentissage",
            "Formation continue et contrat de professionnalisation",
            "Admis définitivement",
            "Liste d'attente",
            "rang",
        ),
        (
            "en",
            "Apprenticeship",
            "Continuing education and professionalisation contract",
            "Finally admitted",
            "Waiting list",
            "rank",
        ),
    ],
)
def test_the_companies_list_names_the_seat_group_of_each_rank(
    client,
    campaign,
    line,
    officer,
    clock_at,
    language,
    apprenticeship,
    continuing,
    admitted,
    waiting,
    rank,
):
    ana, ben, cid = line
    dan = make_dossier(
        campaign, "dan@example.org", status=Dossier.StatusSought.CONTINUING_EDUCATION
    )
    confirm(declare(dan), JUNE + timedelta(hours=3))
    clock_at(JUNE + timedelta(days=1))
    client.force_login(officer)
    if language == "en":
        english(client)

    response = client.get("/gestion/entreprises/")

    assert list_column(response) == {
        ana.reference: f"{admitted} ({apprenticeship}, {rank} 1)",
        ben.reference: f"{admitted} ({apprenticeship}, {rank} 2)",
        cid.reference: f"{waiting} ({apprenticeship}, {rank} 1)",
        dan.reference: f"{admitted} ({continuing}, {rank} 1)",
    }


def test_the_companies_list_costs_the_same_queries_for_one_row_or_three(
    client, campaign, officer, clock_at
):
    clock_at(JUNE + timedelta(days=1))
    client.force_login(officer)
    client.get("/gestion/entreprises/")  # the first one also looks up the campaign shown
    counts = []
    for name in ("ana", "ben", "cid"):
        confirm(declare(make_dossier(campaign, f"{name}@example.org")), JUNE)
        with CaptureQueriesContext(connection) as queries:
            client.get("/gestion/entreprises/")
        counts.append(len(queries))

    assert counts[0] == counts[2]


def test_another_schools_officer_sees_nothing(client, line, other_officer, clock_at):
    clock_at(JUNE + timedelta(days=1))
    client.force_login(other_officer)

    companies = page_text(client.get("/gestion/entreprises/"))
    lists = page_text(client.get("/gestion/liste-definitive/"))
    detail = client.get(f"/gestion/entreprises/{line[0].reference}/")
    fraud = client.post(
        f"/gestion/entreprises/{line[0].reference}/fraude", {"kind": "fraud", "reason": "x"}
    )

    assert not any(d.reference in companies + lists for d in line)
    assert (detail.status_code, fraud.status_code) == (404, 404)
    assert not Exclusion.objects.exists()


def test_the_officer_records_fraud_and_the_next_moves_up(client, line, officer, clock_at):
    clock_at(JUNE + timedelta(days=1))
    client.force_login(officer)
    ana, ben, cid = line

    response = client.post(
        f"/gestion/entreprises/{ben.reference}/fraude",
        {"kind": "attempted_fraud", "reason": "Copie"},
    )
    page = page_text(client.get(f"/gestion/entreprises/{ben.reference}/"))

    assert response.status_code == 302
    assert "Tentative de fraude" in page and "Copie" in page
    assert ListPlace.objects.get(dossier=cid).standing == "admitted"


def test_a_fraud_without_a_reason_is_refused_on_the_page(client, line, officer, clock_at):
    clock_at(JUNE + timedelta(days=1))
    client.force_login(officer)

    response = client.post(f"/gestion/entreprises/{line[0].reference}/fraude", {"kind": "fraud"})

    assert response.status_code == 400
    assert not Exclusion.objects.exists()


def test_the_officer_records_a_confirmation_with_evidence(client, campaign, officer, clock_at):
    clock_at(JUNE)
    dossier = make_dossier(campaign, "ana@example.org")
    declare(dossier)
    client.force_login(officer)

    response = client.post(
        f"/gestion/entreprises/{dossier.reference}/confirmation", {"evidence": "Courriel RH"}
    )

    assert response.status_code == 302
    company = HostCompany.objects.get(dossier=dossier)
    assert (company.state, company.confirmed_by, company.confirmation_evidence) == (
        "confirmed",
        officer,
        "Courriel RH",
    )


def test_the_staff_pages_in_english(client, line, officer, clock_at):
    clock_at(JUNE + timedelta(days=1))
    client.force_login(officer)
    english(client)

    assert h1(client.get("/gestion/entreprises/")) == ["Host companies"]
    assert h1(client.get("/gestion/liste-definitive/")) == ["Final list and waiting list"]
    assert h1(client.get(f"/gestion/entreprises/{line[0].reference}/")) == [
        f"Company phase — dossier {line[0].reference}"
    ]
