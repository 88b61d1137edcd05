"""What happens in the company phase (R7.1, R7.2, R7.5).

Services change state in one transaction, write the audit trail, take the clock as ``now`` and
the page's language as ``language``, and never read the request. Refusals raise
``CompanyError`` with a message for the person who asked (``field``: the form field it
belongs to). Every service that can move the final list locks the campaign row first, then
recomputes the list with the rules core (``refresh_final_list``) before it commits: two
changes at once are ranked one after the other, and a candidate who moves up is emailed from
the same transaction (R7.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from admissions.alternation import services as alternation
from admissions.audit.services import record
from admissions.campaigns.models import Campaign
from admissions.companies import emails, selectors
from admissions.companies.models import (
    Exclusion,
    FrozenFinalList,
    HostCompany,
    ListPlace,
    new_nonce,
)
from admissions.companies.permissions import can_place
from admissions.documents.inspection import inspect_upload
from admissions.dossiers.models import Dossier
from admissions.rules import clock as rules_clock
from admissions.rules import ranking
from admissions.rules.company import contract_start_allowed, normalize_siret, validate_siret
from admissions.rules.params import StatusSought


class CompanyError(Exception):
    """A refused action of the company phase, with a message in the page's language."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


def _lock_campaign(campaign_id: int) -> Campaign:
    """The campaign row, locked: every change that moves the final list waits for the last."""
    return Campaign.objects.select_for_update().get(pk=campaign_id)


def _check_frozen(campaign: Campaign, now: datetime, language: str) -> None:
    if now >= campaign.final_list_frozen_at:
        when = rules_clock.format_deadline(
            campaign.final_list_frozen_at, campaign.time_zone, language
        )
        raise CompanyError(
            _(
                "La liste définitive est arrêtée depuis le %(when)s : plus aucune admission "
                "n'est possible, rien n'a été enregistré."
            )
            % {"when": when}
        )


def _check_staff(by, dossier: Dossier) -> None:
    if not can_place(by, dossier):
        raise CompanyError(_("Vous ne gérez pas les admissions de cette école."))


def _store_evidence(field, upload: UploadedFile | None, campaign: Campaign, language: str) -> None:
    """Judge an evidence file by its content with the campaign's upload rules (R3.4), then
    store it under a generated name; a refused file raises CompanyError(field="evidence")."""
    if upload is None:
        return
    upload.seek(0)
    inspection = inspect_upload(upload, campaign.params().uploads)
    if not inspection.ok:
        raise CompanyError(" ".join(inspection.texts(language)), field="evidence")
    upload.seek(0)
    field.save(upload.name or "evidence", upload, save=False)


# --- The candidate's declaration (R7.1) -----------------------------------------------------


@dataclass(frozen=True)
class Declaration:
    name: str
    siret: str
    sector: str
    address: str
    contract_start: date
    tutor_name: str
    tutor_role: str
    tutor_email: str
    tutor_phone: str


def check_contract_start(campaign: Campaign, start: date, language: str) -> None:
    decision = contract_start_allowed(campaign.params(), start)
    if not decision:
        raise CompanyError(" ".join(decision.texts(language)), field="contract_start")


def declare_company(
    *, dossier: Dossier, declaration: Declaration, by, now: datetime, language: str = "fr"
) -> HostCompany:
    """The academically admitted candidate declares their host company (R7.1).

    Raises CompanyError: not admitted academically, excluded or withdrawn, a declaration already
    active, after the freeze, a SIRET that fails its check, a sector not of the campaign file,
    a contract start before the earliest date. Side effects: audit entry; the company's link
    emailed to the tutor after commit.
    """
    with transaction.atomic():
        campaign = _lock_campaign(dossier.campaign_id)
        dossier = Dossier.objects.select_for_update().select_related("candidate").get(pk=dossier.pk)
        dossier.campaign = campaign
        if not selectors.academically_admitted(dossier, now):
            raise CompanyError(
                _(
                    "Seuls les candidats admis sur la liste académique publiée peuvent déclarer "
                    "une entreprise d'accueil."
                )
            )
        if Exclusion.objects.filter(dossier=dossier).exists():
            raise CompanyError(
                _("Votre candidature est close : vous ne pouvez plus déclarer d'entreprise.")
            )
        _check_frozen(campaign, now, language)
        if not dossier.status_sought:  # never on the academic list without a status
            raise CompanyError(_("Indiquez d'abord le statut visé dans votre dossier."))
        if selectors.active_company(dossier) is not None:
            raise CompanyError(
                _("Vous avez déjà déclaré une entreprise ; annulez-la d'abord pour en changer.")
            )
        siret = validate_siret(declaration.siret)
        if not siret:
            raise CompanyError(" ".join(siret.texts(language)), field="siret")
        if declaration.sector not in {s.code for s in selectors.campaign_sectors(campaign)}:
            raise CompanyError(_("Choisissez un secteur de la liste."), field="sector")
        check_contract_start(campaign, declaration.contract_start, language)
        company = HostCompany.objects.create(
            dossier=dossier,
            name=declaration.name,
            siret=normalize_siret(declaration.siret),
            sector=declaration.sector,
            address=declaration.address,
            sector_mismatch=selectors.sector_mismatch(dossier, declaration.sector),
            contract_type=selectors.CONTRACT_FOR_STATUS[StatusSought(dossier.status_sought)],
            contract_start=declaration.contract_start,
            tutor_name=declaration.tutor_name,
            tutor_role=declaration.tutor_role,
            tutor_email=declaration.tutor_email,
            tutor_phone=declaration.tutor_phone,
            language=language,
            declared_at=now,
        )
        record(
            by,
            "companies.company.declared",
            company,
            data={
                "dossier": dossier.reference,
                "siret": company.siret,
                "sector": company.sector,
                "sector_mismatch": company.sector_mismatch,
            },
            at=now,
        )
        emails.queue_company_request(company)
    return company


def cancel_company(*, dossier: Dossier, by, now: datetime) -> HostCompany:
    """The candidate cancels a declaration the company has not answered; its link dies."""
    with transaction.atomic():
        _lock_campaign(dossier.campaign_id)
        company = (
            HostCompany.objects.select_for_update()
            .filter(dossier=dossier, state=HostCompany.State.AWAITING)
            .first()
        )
        if company is None:
            raise CompanyError(
                _("Aucune déclaration en attente de l'entreprise : rien n'a été annulé.")
            )
        company.state = HostCompany.State.CANCELLED
        company.token_nonce = new_nonce()
        company.answered_at = now
        company.save(update_fields=["state", "token_nonce", "answered_at"])
        record(by, "companies.company.cancelled", company, at=now)
    return company


# --- The company's answer, or staff's record of it (R7.1) -----------------------------------


@dataclass(frozen=True)
class AnswerResult:
    company: HostCompany
    created: bool  # False when an answer was already recorded (a second click, a second tab)


def _place_in_line(campaign: Campaign, now: datetime) -> datetime:
    """The confirmation's instant: ``now``, or just after the latest confirmation already
    recorded when ``now`` (read before waiting for the campaign's lock) is not later. Places in
    line then follow the order confirmations are recorded in, and a confirmation never jumps
    ahead of one committed before it."""
    latest = selectors.latest_confirmation(campaign)
    if latest is None or now > latest:
        return now
    return latest + timedelta(microseconds=1)


def _locked_awaiting(company_id: int, campaign: Campaign) -> HostCompany:
    company = (
        HostCompany.objects.select_for_update()
        .select_related("dossier__candidate")
        .get(pk=company_id)
    )
    company.dossier.campaign = campaign
    return company


def answer_link(
    *,
    company: HostCompany,
    nonce: str,
    confirm: bool,
    contract_start: date | None,
    reason: str = "",
    now: datetime,
    language: str = "fr",
) -> AnswerResult:
    """The company confirms the contract and its start date, or declines, once (R7.1).

    The confirmation's instant is the candidate's place in line. Raises CompanyError when the
    declaration was cancelled, after the freeze, or for a start date before the earliest one.
    Side effects: audit entry; the final list recomputed (an email to whoever moves); on a
    refusal, the candidate emailed.
    """
    with transaction.atomic():
        campaign = _lock_campaign(company.dossier.campaign_id)
        locked = _locked_awaiting(company.pk, campaign)
        if locked.token_nonce != nonce or locked.state == HostCompany.State.CANCELLED:
            raise CompanyError(
                _("Ce lien n'est plus valable : le candidat a annulé sa déclaration.")
            )
        if locked.state != HostCompany.State.AWAITING:
            return AnswerResult(locked, created=False)
        _check_frozen(campaign, now, language)
        locked.answered_at = now
        if confirm:
            if contract_start is not None:
                check_contract_start(campaign, contract_start, language)
                locked.contract_start = contract_start
            locked.state = HostCompany.State.CONFIRMED
            locked.confirmed_at = _place_in_line(campaign, now)
            _check_frozen(campaign, locked.confirmed_at, language)
            locked.save(update_fields=["state", "confirmed_at", "answered_at", "contract_start"])
            record(
                None,
                "companies.company.confirmed",
                locked,
                data={"by": "company", "contract_start": locked.contract_start.isoformat()},
                at=now,
            )
            refresh_final_list(campaign, now)
        else:
            locked.state = HostCompany.State.DECLINED
            locked.decline_reason = reason
            locked.save(update_fields=["state", "answered_at", "decline_reason"])
            record(None, "companies.company.declined", locked, reason=reason, at=now)
            emails.queue_declined(locked)
    return AnswerResult(locked, created=True)


def record_confirmation(
    *,
    company: HostCompany,
    evidence: str,
    evidence_file: UploadedFile | None,
    by,
    now: datetime,
    language: str = "fr",
) -> HostCompany:
    """Staff record the company's confirmation with its evidence, instead of the link (R7.1).
    The instant recorded is ``now``: the candidate's place in line."""
    with transaction.atomic():
        campaign = _lock_campaign(company.dossier.campaign_id)
        locked = _locked_awaiting(company.pk, campaign)
        _check_staff(by, locked.dossier)
        if locked.state != HostCompany.State.AWAITING:
            raise CompanyError(
                _("Cette déclaration n'attend plus de confirmation : rien n'a été enregistré.")
            )
        _check_frozen(campaign, now, language)
        _store_evidence(locked.confirmation_file, evidence_file, campaign, language)
        locked.state = HostCompany.State.CONFIRMED
        locked.confirmed_at = _place_in_line(campaign, now)
        _check_frozen(campaign, locked.confirmed_at, language)
        locked.answered_at = now
        locked.confirmed_by = by
        locked.confirmation_evidence = evidence
        locked.save()
        record(
            by,
            "companies.company.confirmed",
            locked,
            reason=evidence,
            data={"by": "staff", "file": bool(locked.confirmation_file)},
            at=now,
        )
        refresh_final_list(campaign, now)
    return locked


# --- Changes staff record: the contract's date, the age exemption (R3.2, R7.2) --------------


def record_contract_date(
    *, dossier: Dossier, signed_on: date | None, by, now: datetime
) -> HostCompany:
    """The contract's signature date, on which the age rule is checked (R7.2)."""
    with transaction.atomic():
        campaign = _lock_campaign(dossier.campaign_id)
        _check_staff(by, dossier)
        company = (
            HostCompany.objects.select_for_update()
            .filter(dossier=dossier, state=HostCompany.State.CONFIRMED)
            .first()
        )
        if company is None:
            raise CompanyError(
                _("Aucun contrat confirmé pour ce candidat : rien n'a été enregistré.")
            )
        company.contract_signed_on = signed_on
        company.save(update_fields=["contract_signed_on"])
        record(
            by,
            "companies.contract.dated",
            company,
            data={"signed_on": signed_on.isoformat() if signed_on else None},
            at=now,
        )
        refresh_final_list(campaign, now)
    return company


def set_age_exemption(*, dossier: Dossier, exempt: bool, reason: str, by, now: datetime) -> Dossier:
    """Staff record (or remove) the legal exemption to the age limit (R3.2, R7.2)."""
    with transaction.atomic():
        campaign = _lock_campaign(dossier.campaign_id)
        _check_staff(by, dossier)
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        locked.legal_age_exemption = exempt
        locked.save(update_fields=["legal_age_exemption"])
        record(
            by,
            "companies.age_exemption.set",
            locked,
            reason=reason,
            data={"exempt": exempt},
            at=now,
        )
        refresh_final_list(campaign, now)
    return locked


# --- Leaving: withdrawal (R7.2) and fraud (R7.5) --------------------------------------------


def withdraw(
    *, dossier: Dossier, by, now: datetime, reason: str = "", staff: bool = False
) -> Exclusion:
    """The candidate (or staff for them) withdraws: any admission is removed and, before the
    freeze, the next one waiting moves up (R7.2). An awaiting declaration is cancelled."""
    with transaction.atomic():
        campaign = _lock_campaign(dossier.campaign_id)
        if staff:
            _check_staff(by, dossier)
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if Exclusion.objects.filter(dossier=locked).exists():
            raise CompanyError(_("Cette candidature est déjà close : rien n'a été changé."))
        exclusion = Exclusion.objects.create(
            dossier=locked, kind=Exclusion.Kind.WITHDRAWAL, at=now, recorded_by=by, reason=reason
        )
        _cancel_awaiting(locked, now)
        record(by, "companies.withdrawn", locked, reason=reason, data={"staff": staff}, at=now)
        refresh_final_list(campaign, now)
    return exclusion


def _cancel_awaiting(dossier: Dossier, now: datetime) -> None:
    HostCompany.objects.filter(dossier=dossier, state=HostCompany.State.AWAITING).update(
        state=HostCompany.State.CANCELLED, token_nonce=new_nonce(), answered_at=now
    )


def record_fraud(
    *,
    dossier: Dossier,
    attempted: bool,
    reason: str,
    evidence: UploadedFile | None,
    by,
    now: datetime,
    language: str = "fr",
) -> Exclusion:
    """Staff record fraud or attempted fraud (R7.5): the candidate is excluded from the
    campaign, any admission removed, the next one waiting moves up; both are emailed."""
    if not reason.strip():
        raise CompanyError(
            _("Indiquez le motif : il est conservé et communiqué au candidat."), field="reason"
        )
    with transaction.atomic():
        campaign = _lock_campaign(dossier.campaign_id)
        _check_staff(by, dossier)
        locked = Dossier.objects.select_for_update().select_related("candidate").get(pk=dossier.pk)
        locked.campaign = campaign
        exclusion = Exclusion.objects.select_for_update().filter(dossier=locked).first()
        if exclusion is not None and exclusion.is_fraud:
            raise CompanyError(_("Une fraude est déjà enregistrée pour ce candidat."))
        if exclusion is None:
            exclusion = Exclusion(dossier=locked, at=now)
        # After a withdrawal the candidate left the line at its instant, which stays: the
        # fraud (its own instant is in the audit trail) must not put them back in line in
        # between, nor take back a seat someone moved up into.
        exclusion.kind = Exclusion.Kind.ATTEMPTED_FRAUD if attempted else Exclusion.Kind.FRAUD
        exclusion.recorded_by = by
        exclusion.reason = reason
        _store_evidence(exclusion.evidence, evidence, campaign, language)
        exclusion.save()
        _cancel_awaiting(locked, now)
        record(
            by,
            "companies.fraud.recorded",
            locked,
            reason=reason,
            data={"attempted": attempted, "evidence": bool(exclusion.evidence)},
            at=now,
        )
        emails.queue_fraud(exclusion)
        refresh_final_list(campaign, now)
    return exclusion


# --- The final list (R7.2) ------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    reference: str
    before: str | None
    after: str


def refresh_final_list(campaign: Campaign, now: datetime) -> list[Move]:
    """Recompute the final list with the rules core and store where each candidate stands;
    email whoever is admitted, moves up from the waiting list, or starts waiting (R7.2); give
    the admitted their calendar links and end those of whoever left the list (R8.1).

    Called inside the transaction of the change, with the campaign row locked. The list is
    computed at ``now`` or at the latest event already recorded, whichever is later: a change
    whose ``now`` was read before it waited for the lock must not undo, as "not yet happened",
    a confirmation committed meanwhile."""
    confirmations = selectors.confirmations(campaign, now)
    events = [
        instant
        for c in confirmations
        for instant in (c.confirmed_at, c.withdrawn_at, c.fraud_excluded_at)
        if instant is not None
    ]
    at = max([now, *events])
    result = ranking.campaign_final_list(campaign.params(), confirmations, now=at)
    standings: dict[str, tuple[str, str, int | None]] = {}
    for group_list in result.groups:
        code = group_list.group.code
        for position, c in enumerate(group_list.admitted, 1):
            standings[c.candidate] = (ListPlace.Standing.ADMITTED, code, position)
        for position, c in enumerate(group_list.waiting, 1):
            standings[c.candidate] = (ListPlace.Standing.WAITING, code, position)
    for entry in result.not_listed:
        standings[entry.candidate] = (ListPlace.Standing.OUT, "", None)
    dossiers = {
        d.reference: d
        for d in Dossier.objects.filter(
            campaign=campaign, reference__in=list(standings)
        ).select_related("candidate", "campaign__school")
    }
    places = {
        p.dossier_id: p
        for p in ListPlace.objects.select_for_update().filter(dossier__campaign=campaign)
    }
    moves = []
    for reference, (standing, group, rank) in standings.items():
        dossier = dossiers[reference]
        place = places.get(dossier.pk)
        before = place.standing if place is not None else None
        if place is None:
            place = ListPlace(dossier=dossier, standing=standing, changes=0)
        elif (place.standing, place.seat_group, place.rank) == (standing, group, rank):
            continue
        place.dossier = dossier
        place.seat_group, place.rank = group, rank
        if before == standing:  # the same list, another rank: no news
            place.save(update_fields=["seat_group", "rank"])
            continue
        place.standing = standing
        place.changes += 1
        place.since = now
        place.save()
        moves.append(Move(reference, before, standing))
        record(
            None,
            "companies.final_list.moved",
            dossier,
            data={"from": before, "to": standing, "group": group, "rank": rank},
            at=now,
        )
        if standing == ListPlace.Standing.ADMITTED:
            emails.queue_list_place(place, moved_up=before == ListPlace.Standing.WAITING)
        elif standing == ListPlace.Standing.WAITING:
            emails.queue_list_place(place, moved_up=False)
    # Each apprentice admitted for good and their tutor get the calendar; leaving ends it (R8.1).
    alternation.sync_admission_calendars(
        campaign,
        [
            dossiers[reference]
            for reference, (standing, _group, _rank) in standings.items()
            if standing == ListPlace.Standing.ADMITTED
        ],
        now=now,
    )
    return moves


@dataclass(frozen=True)
class FreezeResult:
    frozen: FrozenFinalList
    created: bool
    told: int  # candidates emailed: admitted without a company, or still waiting


def freeze_final_list(*, campaign: Campaign, now: datetime) -> FreezeResult:
    """Record the final list as it stood at the freeze instant, once (R7.2), and tell those
    admitted academically without a confirmed company, and those still waiting (R7.3).
    Idempotent: a second run finds the record and does nothing."""
    with transaction.atomic():
        campaign = _lock_campaign(campaign.pk)
        if now < campaign.final_list_frozen_at:
            raise CompanyError(_("La liste définitive n'est pas encore arrêtée."))
        existing = FrozenFinalList.objects.filter(campaign=campaign).first()
        if existing is not None:
            return FreezeResult(existing, created=False, told=0)
        refresh_final_list(campaign, now)
        at_freeze = selectors.final_list(campaign, campaign.final_list_frozen_at)
        frozen = FrozenFinalList.objects.create(
            campaign=campaign,
            frozen_at=campaign.final_list_frozen_at,
            recorded_at=now,
            admitted={g.group.code: list(g.admitted_refs) for g in at_freeze.groups},
        )
        still_waiting = [
            entry.candidate
            for entry in selectors.final_list(campaign, now).not_listed
            if entry.reason.code == "ranking.list_frozen"
        ]
        told = 0
        for dossier in Dossier.objects.filter(
            campaign=campaign, reference__in=still_waiting
        ).select_related("candidate"):
            emails.queue_frozen(dossier, waiting=True)
            told += 1
        for dossier in selectors.admitted_without_company(campaign, now):
            emails.queue_frozen(dossier, waiting=False)
            told += 1
        record(
            None,
            "companies.final_list.frozen",
            frozen,
            data={"admitted": frozen.admitted, "told": told},
            at=now,
        )
    return FreezeResult(frozen, created=True, told=told)
