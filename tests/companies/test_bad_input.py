"""Issue 13's "Bad input" and "Proof" lists, the cases the first tests of the company phase left
out: a staff confirmation recorded twice or after the freeze, a declaration after the freeze, a
company link answered twice with two different answers, and rules of the rules core driven
through the real services (fraud after the freeze, the age rule for apprenticeship only, a
waiting candidate's withdrawal, separate seat groups). Each refusal records nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from admissions.audit.models import AuditEntry
from admissions.companies.models import Exclusion, HostCompany, ListPlace
from admissions.companies.services import (
    CompanyError,
    answer_link,
    record_confirmation,
    record_fraud,
    withdraw,
)
from admissions.dossiers.models import Dossier
from admissions.notifications.models import OutboundEmail
from tests.helpers import page_text

from .conftest import FROZEN_AT, JUNE, PARIS, confirm, declare, make_dossier, token

pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2021, 7, day, hour, 0, tzinfo=PARIS)


def standing(dossier) -> tuple[str, int | None]:
    place = ListPlace.objects.get(dossier=dossier)
    return place.standing, place.rank


def confirmations_recorded() -> int:
    return AuditEntry.objects.filter(action="companies.company.confirmed").count()


# --- Bad input: nothing recorded twice, nothing lost ----------------------------------------


def test_a_staff_confirmation_recorded_twice_is_refused_the_second_time(campaign, officer):
    dossier = make_dossier(campaign, "twice@example.org")
    company = declare(dossier)
    record_confirmation(
        company=company, evidence="Courriel", evidence_file=None, by=officer, now=at(5)
    )

    with pytest.raises(CompanyError) as refused:
        record_confirmation(
            company=company, evidence="Encore", evidence_file=None, by=officer, now=at(6)
        )

    assert "n'attend plus de confirmation" in refused.value.message
    company.refresh_from_db()
    assert (company.confirmed_at, company.confirmation_evidence) == (at(5), "Courriel")
    assert confirmations_recorded() == 1


def test_staff_cannot_confirm_after_the_company_answered_through_its_link(campaign, officer):
    dossier = make_dossier(campaign, "linked@example.org")
    company = declare(dossier)
    confirm(company, at(5))

    with pytest.raises(CompanyError):
        record_confirmation(
            company=company, evidence="Doublon", evidence_file=None, by=officer, now=at(6)
        )

    company.refresh_from_db()
    assert (company.confirmed_at, company.confirmed_by) == (at(5), None)
    assert confirmations_recorded() == 1


def test_a_staff_confirmation_after_the_freeze_is_refused_and_records_nothing(campaign, officer):
    dossier = make_dossier(campaign, "late@example.org")
    company = declare(dossier)

    with pytest.raises(CompanyError) as refused:
        record_confirmation(
            company=company, evidence="Trop tard", evidence_file=None, by=officer, now=FROZEN_AT
        )

    assert "arrêtée" in refused.value.message
    company.refresh_from_db()
    assert (company.state, company.confirmation_evidence) == ("awaiting", "")
    assert not ListPlace.objects.exists()


def test_a_declaration_after_the_freeze_is_refused_and_nothing_is_sent(campaign):
    dossier = make_dossier(campaign, "after@example.org")

    with pytest.raises(CompanyError) as refused:
        declare(dossier, now=FROZEN_AT + timedelta(days=1))

    assert "arrêtée" in refused.value.message
    assert not HostCompany.objects.exists()
    assert not OutboundEmail.objects.filter(kind=OutboundEmail.Kind.COMPANY_REQUEST).exists()


def test_a_link_declined_then_confirmed_keeps_the_first_answer(campaign):
    dossier = make_dossier(campaign, "decided@example.org")
    company = declare(dossier)
    first = answer_link(
        company=company,
        nonce=company.token_nonce,
        confirm=False,
        contract_start=None,
        reason="Budget",
        now=at(5),
    )

    again = answer_link(
        company=company, nonce=company.token_nonce, confirm=True, contract_start=None, now=at(6)
    )

    assert (first.created, again.created) == (True, False)
    company.refresh_from_db()
    assert (company.state, company.decline_reason, company.confirmed_at) == (
        "declined",
        "Budget",
        None,
    )
    assert confirmations_recorded() == 0
    assert not ListPlace.objects.exists()


def test_the_link_after_the_freeze_says_so_in_english_too(client, campaign, settings):
    company = declare(make_dossier(campaign, "frozen@example.org"))
    link = f"/entreprise/{token(company)}/"
    settings.CLOCK_AT = FROZEN_AT.isoformat()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = client.post(link, {"answer": "confirm", "contract_start": "2021-09-01"})

    assert response.status_code == 410
    assert "frozen" in page_text(response).lower()
    company.refresh_from_db()
    assert company.state == HostCompany.State.AWAITING


def test_a_contract_start_too_early_on_the_link_is_refused_by_the_service(campaign):
    dossier = make_dossier(campaign, "early@example.org")
    company = declare(dossier)

    with pytest.raises(CompanyError) as refused:
        answer_link(
            company=company,
            nonce=company.token_nonce,
            confirm=True,
            contract_start=date(2021, 7, 3),
            now=at(5),
            language="en",
        )

    assert refused.value.field == "contract_start"
    assert "cannot start before" in refused.value.message
    company.refresh_from_db()
    assert (company.state, company.contract_start) == ("awaiting", date(2021, 9, 1))
    assert not ListPlace.objects.exists()


def test_a_candidate_below_the_academic_list_cannot_declare_through_the_page(client, campaign):
    from django.test import override_settings

    dossier = make_dossier(campaign, "below@example.org", admitted=False)
    client.force_login(dossier.candidate)
    form = {
        "action": "declare",
        "name": "Exemple",
        "siret": "732 829 320 00074",
        "sector": "energie",
        "address": "Albi",
        "contract_start": "2021-09-01",
        "tutor_name": "Tuteur",
        "tutor_role": "Chef",
        "tutor_email": "tuteur@company.example",
        "tutor_phone": "05 00 00 00 00",
    }

    with override_settings(CLOCK_AT=JUNE.isoformat()):
        response = client.post("/dossier/entreprise/", form, follow=True)

    assert "Cette action n'est pas possible : rien n'a été changé." in page_text(response)
    assert not HostCompany.objects.exists()


# --- The rules core's final list, driven through the services (R7.2, R7.5) -----------------


def test_fraud_after_the_freeze_removes_the_admission_and_nobody_moves_up(line3, officer):
    ana, ben, cid = line3

    record_fraud(
        dossier=ana,
        attempted=True,
        reason="Relevé de notes modifié",
        evidence=None,
        by=officer,
        now=FROZEN_AT + timedelta(days=2),
    )

    assert standing(ana)[0] == "out"
    assert standing(ben) == ("admitted", 1)
    assert standing(cid)[0] == "out"  # still waiting at the freeze: the list is closed
    assert Exclusion.objects.get(dossier=ana).kind == Exclusion.Kind.ATTEMPTED_FRAUD


def test_a_waiting_candidate_withdrawing_leaves_the_admitted_as_they_were(line3):
    ana, ben, cid = line3
    before = list(ListPlace.objects.filter(dossier__in=[ana, ben]).values_list("since", "rank"))

    withdraw(dossier=cid, by=cid.candidate, now=at(12))

    assert standing(cid)[0] == "out"
    assert list(ListPlace.objects.filter(dossier__in=[ana, ben]).values_list("since", "rank")) == (
        before
    )


def test_the_age_limit_binds_apprenticeship_contracts_only(campaign):
    over_30 = date(1989, 1, 1)
    apprentice = make_dossier(campaign, "older@example.org", birth_date=over_30)
    professional = make_dossier(
        campaign,
        "older-pro@example.org",
        birth_date=over_30,
        status=Dossier.StatusSought.PROFESSIONALISATION,
    )

    confirm(declare(apprentice), at(5))
    confirm(declare(professional), at(5, 11))

    assert standing(apprentice)[0] == "out"
    assert standing(professional) == ("admitted", 1)


def test_each_seat_group_fills_on_its_own(line3, campaign):
    professional = make_dossier(
        campaign, "pro@example.org", status=Dossier.StatusSought.PROFESSIONALISATION
    )

    confirm(declare(professional), at(8))  # the apprenticeship group is full: another group

    place = ListPlace.objects.get(dossier=professional)
    assert (place.standing, place.seat_group, place.rank) == ("admitted", "fc_cp", 1)


@pytest.fixture
def line3(campaign):
    """Three apprentices confirmed on 5, 6 and 7 July for 2 seats: the third waits."""
    dossiers = [make_dossier(campaign, f"{name}@example.org") for name in ("ana", "ben", "cid")]
    for day, dossier in zip((5, 6, 7), dossiers, strict=True):
        confirm(declare(dossier), at(day))
    return dossiers


def test_after_the_freeze_an_awaiting_declaration_says_the_company_can_no_longer_confirm(
    client, campaign, settings
):
    """Found walking the demo: the page still said a link was on its way to the company."""
    dossier = make_dossier(campaign, "awaiting@example.org")
    declare(dossier)
    client.force_login(dossier.candidate)
    settings.CLOCK_AT = (FROZEN_AT + timedelta(minutes=5)).isoformat()

    french = page_text(client.get("/dossier/entreprise/"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = page_text(client.get("/dossier/entreprise/"))

    assert "l'entreprise ne peut plus confirmer ce contrat" in french
    assert "Un lien personnel a été envoyé" not in french
    assert "the company can no longer confirm this contract" in english


def test_the_final_list_names_the_seat_groups_in_the_pages_language(
    client, line3, officer, settings
):
    """Found walking the demo: the English page showed the groups' French names."""
    settings.CLOCK_AT = at(9).isoformat()
    client.force_login(officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    english = page_text(client.get("/gestion/liste-definitive/"))

    assert "Apprenticeship — 2 seats" in english
    assert "Continuing education and professionalisation contract — 5 seats" in english
    assert "Nobody on this group's waiting list." in english  # no empty table
