"""The company phase's services driven from real records (R7.1, R7.2, R7.5): the rules core's
final list, moved by confirmations, withdrawals, fraud, contract dates and the freeze."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command

from admissions.audit.models import AuditEntry
from admissions.campaigns.models import Option
from admissions.companies import selectors
from admissions.companies.models import Exclusion, FrozenFinalList, HostCompany, ListPlace
from admissions.companies.services import (
    CompanyError,
    cancel_company,
    freeze_final_list,
    record_confirmation,
    record_contract_date,
    record_fraud,
    set_age_exemption,
    withdraw,
)
from admissions.dossiers.models import FormationChoice
from admissions.notifications.models import OutboundEmail

from .conftest import (
    BEFORE_RESULTS,
    FROZEN_AT,
    JUNE,
    PARIS,
    confirm,
    declare,
    make_dossier,
)

pytestmark = pytest.mark.django_db

Kind = OutboundEmail.Kind


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2021, 7, day, hour, 0, tzinfo=PARIS)


def standing(dossier) -> tuple[str, int | None]:
    place = ListPlace.objects.get(dossier=dossier)
    return place.standing, place.rank


def emails_to(dossier, kind) -> list[OutboundEmail]:
    return list(
        OutboundEmail.objects.filter(kind=kind, recipient=dossier.candidate.email).order_by("pk")
    )


# --- Declaration (R7.1) ---------------------------------------------------------------------


def test_an_admitted_candidate_declares_and_the_tutor_gets_the_link(campaign):
    dossier = make_dossier(campaign, "ana@example.org")

    company = declare(dossier)

    assert company.state == HostCompany.State.AWAITING
    assert company.siret == "73282932000074"  # stored without the spaces typed
    assert company.contract_type == HostCompany.ContractType.APPRENTICESHIP
    email = OutboundEmail.objects.get(kind=Kind.COMPANY_REQUEST)
    assert (email.recipient, email.dossier_id) == ("tuteur@company.example", dossier.pk)
    assert AuditEntry.objects.filter(action="companies.company.declared").count() == 1


def test_the_contract_type_is_the_status_sought_one(campaign):
    dossier = make_dossier(campaign, "pro@example.org", status="contrat_professionnalisation")

    assert declare(dossier).contract_type == HostCompany.ContractType.PROFESSIONALISATION


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"siret": "73282932000075"}, "siret"),
        ({"siret": "1234"}, "siret"),
        ({"contract_start": date(2021, 7, 3)}, "contract_start"),
        ({"sector": "boulangerie"}, "sector"),
    ],
)
def test_bad_declarations_are_refused_and_nothing_is_saved(campaign, changes, field):
    dossier = make_dossier(campaign, "bad@example.org")

    with pytest.raises(CompanyError) as refused:
        declare(dossier, **changes)

    assert refused.value.field == field
    assert not HostCompany.objects.exists()
    assert not OutboundEmail.objects.filter(kind=Kind.COMPANY_REQUEST).exists()


def test_the_earliest_contract_start_itself_is_accepted(campaign):
    dossier = make_dossier(campaign, "early@example.org")

    assert declare(dossier, contract_start=date(2021, 7, 4)).contract_start == date(2021, 7, 4)


def test_a_candidate_not_admitted_academically_cannot_declare(campaign):
    dossier = make_dossier(campaign, "below@example.org", admitted=False)

    with pytest.raises(CompanyError):
        declare(dossier)
    assert not HostCompany.objects.exists()


def test_nobody_declares_before_the_academic_results_are_published(campaign):
    dossier = make_dossier(campaign, "soon@example.org")

    with pytest.raises(CompanyError):
        declare(dossier, now=BEFORE_RESULTS)
    assert not selectors.academically_admitted(dossier, BEFORE_RESULTS)
    assert selectors.academically_admitted(dossier, JUNE)


def test_one_active_declaration_at_a_time_and_cancel_frees_it(campaign):
    dossier = make_dossier(campaign, "twice@example.org")
    first = declare(dossier)

    with pytest.raises(CompanyError):
        declare(dossier, name="Autre")
    cancel_company(dossier=dossier, by=dossier.candidate, now=JUNE)
    second = declare(dossier, name="Autre")

    first.refresh_from_db()
    assert first.state == HostCompany.State.CANCELLED
    assert second.state == HostCompany.State.AWAITING


def test_a_sector_outside_the_candidates_options_is_flagged(campaign):
    dossier = make_dossier(campaign, "sector@example.org")
    senmba = Option.objects.get(programme__campaign=campaign, code="SENMBA")
    FormationChoice.objects.create(dossier=dossier, option=senmba, rank=1)

    mismatched = declare(dossier, sector="aeronautique")
    cancel_company(dossier=dossier, by=dossier.candidate, now=JUNE)
    matching = declare(dossier, sector="energie")

    assert (mismatched.sector_mismatch, matching.sector_mismatch) == (True, False)


# --- The final list (R7.2) ------------------------------------------------------------------


@pytest.fixture
def line(campaign):
    """Three apprentices confirmed on 5, 6 and 7 July for 2 seats: the third waits."""
    dossiers = [make_dossier(campaign, f"{name}@example.org") for name in ("ana", "ben", "cid")]
    for day, dossier in zip((5, 6, 7), dossiers, strict=True):
        confirm(declare(dossier), at(day))
    return dossiers


def test_confirmations_fill_the_seats_in_order_and_the_next_waits(line):
    ana, ben, cid = line

    assert [standing(d) for d in line] == [("admitted", 1), ("admitted", 2), ("waiting", 1)]
    assert emails_to(ana, Kind.FINAL_LIST_PLACE)[0].payload["standing"] == "admitted"
    assert emails_to(cid, Kind.FINAL_LIST_PLACE)[0].payload["standing"] == "waiting"


def test_the_place_in_line_is_the_confirmation_instant_not_the_declaration(campaign):
    early, late = (
        make_dossier(campaign, "early@example.org"),
        make_dossier(campaign, "late@example.org"),
    )
    third = make_dossier(campaign, "third@example.org")
    early_company, late_company = declare(early), declare(late)
    confirm(declare(third), at(1))
    confirm(late_company, at(2))
    confirm(early_company, at(3))

    assert standing(late) == ("admitted", 2)
    assert standing(early) == ("waiting", 1)


def test_a_withdrawal_moves_the_first_waiting_up_and_tells_them_at_once(line):
    ana, ben, cid = line

    withdraw(dossier=ana, by=ana.candidate, now=at(10))

    assert standing(ana) == ("out", None)
    assert standing(cid) == ("admitted", 2)
    moved = emails_to(cid, Kind.FINAL_LIST_PLACE)[-1]
    assert moved.payload == {"dossier": cid.pk, "standing": "admitted", "moved_up": True}
    assert AuditEntry.objects.filter(action="companies.withdrawn").count() == 1


def test_withdrawing_twice_is_refused(line):
    ana = line[0]
    withdraw(dossier=ana, by=ana.candidate, now=at(10))

    with pytest.raises(CompanyError):
        withdraw(dossier=ana, by=ana.candidate, now=at(11))
    assert Exclusion.objects.count() == 1


def test_staff_confirmation_with_evidence_takes_its_instant_as_the_place(campaign, officer):
    dossier = make_dossier(campaign, "staffed@example.org")
    company = declare(dossier)

    record_confirmation(
        company=company,
        evidence="Courriel RH du 5 juillet",
        evidence_file=None,
        by=officer,
        now=at(5),
    )

    company.refresh_from_db()
    assert (company.state, company.confirmed_at, company.confirmed_by) == (
        "confirmed",
        at(5),
        officer,
    )
    assert standing(dossier) == ("admitted", 1)


def test_staff_of_another_school_cannot_confirm(campaign, other_officer):
    company = declare(make_dossier(campaign, "scope@example.org"))

    with pytest.raises(CompanyError):
        record_confirmation(
            company=company, evidence="x", evidence_file=None, by=other_officer, now=at(5)
        )
    company.refresh_from_db()
    assert company.state == HostCompany.State.AWAITING


# --- Fraud (R7.5) ---------------------------------------------------------------------------


def test_fraud_excludes_removes_the_admission_and_the_next_moves_up(line, officer):
    ana, ben, cid = line

    record_fraud(
        dossier=ben,
        attempted=False,
        reason="Diplôme falsifié",
        evidence=None,
        by=officer,
        now=at(12),
    )

    exclusion = Exclusion.objects.get(dossier=ben)
    assert (exclusion.kind, exclusion.reason) == ("fraud", "Diplôme falsifié")
    assert standing(ben) == ("out", None)
    assert standing(cid) == ("admitted", 2)
    assert len(emails_to(ben, Kind.FRAUD_EXCLUSION)) == 1
    assert emails_to(cid, Kind.FINAL_LIST_PLACE)[-1].payload["moved_up"] is True
    assert selectors.final_list(ana.campaign, at(12)).reason_for(ben.reference).code == (
        "ranking.excluded_for_fraud"
    )
    assert AuditEntry.objects.filter(
        action="companies.fraud.recorded", reason="Diplôme falsifié"
    ).exists()


def test_fraud_needs_a_reason_and_is_recorded_once(line, officer):
    ben = line[1]
    with pytest.raises(CompanyError):
        record_fraud(dossier=ben, attempted=True, reason=" ", evidence=None, by=officer, now=at(12))
    record_fraud(dossier=ben, attempted=True, reason="Copie", evidence=None, by=officer, now=at(12))
    with pytest.raises(CompanyError):
        record_fraud(
            dossier=ben, attempted=False, reason="Encore", evidence=None, by=officer, now=at(13)
        )

    assert Exclusion.objects.get(dossier=ben).kind == "attempted_fraud"


def test_an_excluded_candidate_cannot_declare_again(campaign, officer):
    dossier = make_dossier(campaign, "fraud@example.org")
    record_fraud(
        dossier=dossier, attempted=False, reason="Faux", evidence=None, by=officer, now=JUNE
    )

    with pytest.raises(CompanyError):
        declare(dossier)


# --- Age (R3.2, R7.2) -----------------------------------------------------------------------


def test_the_age_rule_is_checked_on_the_contract_date_with_the_exemption(campaign, officer):
    # 30 on 15 August 2021: a contract starting on 1 September is too late...
    dossier = make_dossier(campaign, "older@example.org", birth_date=date(1991, 8, 15))
    confirm(declare(dossier), at(5))
    assert standing(dossier) == ("out", None)

    # ...unless signed before the birthday (the signature date is the contract's date)...
    record_contract_date(dossier=dossier, signed_on=date(2021, 8, 1), by=officer, now=at(20))
    assert standing(dossier) == ("admitted", 1)
    record_contract_date(dossier=dossier, signed_on=date(2021, 8, 20), by=officer, now=at(21))
    assert standing(dossier) == ("out", None)

    # ...or with the legal exemption staff record.
    set_age_exemption(
        dossier=dossier, exempt=True, reason="Travailleur handicapé", by=officer, now=at(22)
    )
    assert standing(dossier) == ("admitted", 1)


# --- The freeze (R7.2, R7.3) ----------------------------------------------------------------


def test_after_the_freeze_nobody_moves_up_and_no_confirmation_is_taken(line, campaign):
    ana, ben, cid = line
    late = make_dossier(campaign, "late@example.org")
    company = declare(late)

    withdraw(dossier=ana, by=ana.candidate, now=FROZEN_AT + timedelta(hours=1))
    with pytest.raises(CompanyError):
        confirm(company, FROZEN_AT + timedelta(hours=2))

    assert standing(ana)[0] == "out"
    assert standing(cid)[0] == "out"  # the seat stays empty: the waiting list is closed
    company.refresh_from_db()
    assert company.state == HostCompany.State.AWAITING


def test_a_confirmation_at_the_freeze_instant_is_too_late(campaign):
    dossier = make_dossier(campaign, "edge@example.org")
    company = declare(dossier)

    with pytest.raises(CompanyError):
        confirm(company, FROZEN_AT)
    confirm(company, FROZEN_AT - timedelta(seconds=1))

    assert standing(dossier) == ("admitted", 1)


def test_the_freeze_records_the_list_once_and_tells_who_is_left(line, campaign):
    ana, ben, cid = line
    nobody = make_dossier(campaign, "nocompany@example.org")

    first = freeze_final_list(campaign=campaign, now=FROZEN_AT + timedelta(minutes=5))
    again = freeze_final_list(campaign=campaign, now=FROZEN_AT + timedelta(hours=5))

    assert (first.created, again.created) == (True, False)
    assert FrozenFinalList.objects.get().admitted == {
        "apprentissage": [ana.reference, ben.reference],
        "fc_cp": [],
    }
    assert first.told == 2
    assert emails_to(nobody, Kind.FINAL_LIST_FROZEN)[0].payload["waiting"] is False
    assert emails_to(cid, Kind.FINAL_LIST_FROZEN)[0].payload["waiting"] is True
    assert OutboundEmail.objects.filter(kind=Kind.FINAL_LIST_FROZEN).count() == 2


def test_the_freeze_is_refused_before_its_instant(campaign):
    with pytest.raises(CompanyError):
        freeze_final_list(campaign=campaign, now=FROZEN_AT - timedelta(seconds=1))
    assert not FrozenFinalList.objects.exists()


def test_the_freeze_command_is_idempotent(line, campaign, settings, capsys):
    settings.CLOCK_AT = (FROZEN_AT + timedelta(hours=1)).isoformat()

    call_command("freeze_final_list")
    call_command("freeze_final_list")

    out = capsys.readouterr().out
    assert "final list frozen, 2 admitted" in out
    assert "already frozen" in out
    assert FrozenFinalList.objects.count() == 1


def test_fraud_after_a_withdrawal_keeps_the_withdrawal_instant_and_the_seat_given(line, officer):
    ana, ben, cid = line
    withdraw(dossier=ana, by=ana.candidate, now=at(10))

    record_fraud(dossier=ana, attempted=False, reason="Faux", evidence=None, by=officer, now=at(20))

    exclusion = Exclusion.objects.get(dossier=ana)
    assert (exclusion.kind, exclusion.at) == ("fraud", at(10))
    assert standing(cid) == ("admitted", 2)
    assert len(emails_to(ana, Kind.FRAUD_EXCLUSION)) == 1


def test_fraud_evidence_is_judged_by_its_content(line, officer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from admissions.core.demo import demo_pdf

    settings.MEDIA_ROOT = tmp_path
    ben = line[1]
    fake = SimpleUploadedFile("preuve.pdf", b"not a pdf at all", "application/pdf")
    with pytest.raises(CompanyError) as refused:
        record_fraud(
            dossier=ben, attempted=False, reason="Faux", evidence=fake, by=officer, now=at(12)
        )
    assert refused.value.field == "evidence"
    assert not Exclusion.objects.exists()

    pdf = SimpleUploadedFile("preuve.pdf", demo_pdf(), "application/pdf")
    record_fraud(dossier=ben, attempted=False, reason="Faux", evidence=pdf, by=officer, now=at(12))

    assert Exclusion.objects.get(dossier=ben).evidence.name.startswith("company-evidence/")


def test_a_confirmation_never_jumps_ahead_of_one_already_recorded(campaign):
    # Its ``now`` was read before it waited for the campaign's lock: it is placed just after.
    first, second = make_dossier(campaign, "a@example.org"), make_dossier(campaign, "b@example.org")
    first_company, second_company = declare(first), declare(second)
    confirm(first_company, at(6))

    confirm(second_company, at(5))

    second_company.refresh_from_db()
    assert second_company.confirmed_at == at(6) + timedelta(microseconds=1)
    assert (standing(first), standing(second)) == (("admitted", 1), ("admitted", 2))
