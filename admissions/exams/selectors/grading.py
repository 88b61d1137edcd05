"""Reads of phase 2's grading and academic list (R6.3, R6.4), and the one door through which a
candidate's channels see an academic decision.

Who reaches what (R9.2): a jury member or examiner reaches the candidates of the panels they sit
on (``ExamPanel.members``), within the schools of their jury grants; the admission committee
(the COMMITTEE roles, scoped to their schools) reads the ranking; the school's admissions officer
records the list. Everything else answers 404.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from admissions.accounts.models import Role, User
from admissions.accounts.scope import school_scope
from admissions.campaigns.models import Campaign
from admissions.committee.models import CommitteeScore
from admissions.core.language import page_language
from admissions.dossiers.models import Dossier
from admissions.exams.models import AcademicDecision, Accommodation, ExamSlot, Grade
from admissions.rules import deadlines
from admissions.rules.academic import (
    CandidateScores,
    ListOutcome,
    Ranking,
    below_list_reason,
    rank_candidates,
)
from admissions.rules.grades import ExamOutcome, exam_outcome
from admissions.rules.params import Campaign as CampaignParams
from admissions.rules.params import ExamSpec

ACADEMIC = "academic_results"
GRADERS = frozenset({Role.JURY_MEMBER})
# Who reads the ranking (core.access.COMMITTEE admits the same roles) and who records the list.
LIST_READERS = frozenset({Role.COMMITTEE_MEMBER, Role.SCHOOL_OFFICER, Role.PLATFORM_ADMIN})
LIST_DECIDERS = frozenset({Role.SCHOOL_OFFICER})


# --- The candidate's side ---------------------------------------------------------------------


def published_academic_decision(
    dossier: Dossier, now: datetime, params: CampaignParams | None = None
) -> AcademicDecision | None:
    """The academic decision as the candidate may know it: None before the campaign's
    ``academic_results_at`` (R6.4), or while there is none. Every channel that reaches a
    candidate (pages, timeline, emails, the data export) asks here and nowhere else."""
    params = params or dossier.campaign.params()
    if not deadlines.is_published(params, ACADEMIC, now):
        return None
    return AcademicDecision.objects.filter(dossier=dossier).first()


def outcome_of(dossier: Dossier, params: CampaignParams | None = None) -> ExamOutcome:
    """The dossier's phase-2 outcome from its grades (rules.grades.exam_outcome)."""
    params = params or dossier.campaign.params()
    rows = list(Grade.objects.filter(dossier=dossier))
    return outcome_from_rows(params, rows)


def outcome_from_rows(params: CampaignParams, rows: list[Grade]) -> ExamOutcome:
    codes = {spec.code for spec in params.exams}
    grades = {g.exam_code: g.grade for g in rows if g.exam_code in codes and not g.absent}
    absent = {g.exam_code for g in rows if g.exam_code in codes and g.absent}
    return exam_outcome(params.exams, grades, absent)


# --- The jury's side --------------------------------------------------------------------------


def slots_graded_by(user: User) -> QuerySet[ExamSlot]:
    """The slots of the panels ``user`` sits on, within the schools of their jury grants."""
    if not user.is_authenticated:
        return ExamSlot.objects.none()
    slots = ExamSlot.objects.filter(panel__members=user)
    return school_scope(user, GRADERS).narrow(slots, "panel__day__campaign__school")


def jury_days(user: User) -> list[date]:
    """The days ``user`` has candidates to grade, in order."""
    return sorted(set(slots_graded_by(user).values_list("panel__day__date", flat=True)))


@dataclass(frozen=True)
class GradingRow:
    slot: ExamSlot
    spec: ExamSpec | None
    grade: Grade | None
    accommodation: Accommodation | None


def _approved(dossier: Dossier) -> Accommodation | None:
    found = getattr(dossier, "exam_accommodation", None)
    if found is not None and found.state == Accommodation.State.APPROVED:
        return found
    return None


def day_rows(user: User, day: date) -> list[GradingRow]:
    """``user``'s candidates on ``day``, in timetable order, with their grade and approved
    accommodation (R10.4)."""
    slots = (
        slots_graded_by(user)
        .filter(panel__day__date=day)
        .select_related(
            "panel__day__campaign",
            "booking__dossier__exam_accommodation",
        )
        .order_by("starts_at", "pk")
    )
    grades = {
        (g.dossier_id, g.exam_code): g
        for g in Grade.objects.filter(
            dossier__in=[slot.booking.dossier_id for slot in slots]
        ).select_related("graded_by")
    }
    rows = []
    for slot in slots:
        dossier = slot.booking.dossier
        rows.append(
            GradingRow(
                slot=slot,
                spec=exam_spec(slot.panel.day.campaign.params(), slot.exam_code),
                grade=grades.get((dossier.pk, slot.exam_code)),
                accommodation=_approved(dossier),
            )
        )
    return rows


def slot_to_grade(user: User, slot_id: int) -> ExamSlot | None:
    """The slot if ``user`` sits on its panel, else None (the view answers 404)."""
    return (
        slots_graded_by(user)
        .filter(pk=slot_id)
        .select_related("panel__day__campaign__school", "booking__dossier__candidate")
        .first()
    )


def can_grade(user: User, slot: ExamSlot) -> bool:
    return slots_graded_by(user).filter(pk=slot.pk).exists()


def exam_spec(params: CampaignParams, code: str) -> ExamSpec | None:
    return next((spec for spec in params.exams if spec.code == code), None)


def grade_of(slot: ExamSlot) -> Grade | None:
    return Grade.objects.filter(
        dossier_id=slot.booking.dossier_id, exam_code=slot.exam_code
    ).first()


def approved_accommodation(dossier: Dossier) -> Accommodation | None:
    return Accommodation.objects.filter(dossier=dossier, state=Accommodation.State.APPROVED).first()


def exam_phases(campaign: Campaign, code: str) -> list[dict[str, str]]:
    """The exam's phases as the campaign file names them (English: its three parts)."""
    for exam in campaign.loaded_document().get("exams", []):
        if exam.get("code") == code:
            return list(exam.get("phases") or [])
    return []


# --- The committee's side ---------------------------------------------------------------------


def can_read_academic(user: User, campaign: Campaign) -> bool:
    return user.is_authenticated and school_scope(user, LIST_READERS).includes(campaign.school_id)


def can_record_academic(user: User, campaign: Campaign) -> bool:
    """The school's admissions officer records the committee's academic list (R6.4)."""
    return user.is_authenticated and school_scope(user, LIST_DECIDERS).includes(campaign.school_id)


def examined_dossiers(campaign: Campaign) -> QuerySet[Dossier]:
    """The admissible candidates of ``campaign`` who chose an exam day: those phase 2 ranks."""
    return Dossier.objects.filter(
        campaign=campaign, admissibility__admissible=True, exam_booking__isnull=False
    )


@dataclass(frozen=True)
class RankingView:
    ranking: Ranking
    dossiers: dict[str, Dossier]  # reference -> dossier


def campaign_ranking(campaign: Campaign) -> RankingView:
    """The ranking of R6.4 from the stored committee scores and grades."""
    params = campaign.params()
    dossiers = list(
        examined_dossiers(campaign)
        .prefetch_related(
            Prefetch("exam_grades", queryset=Grade.objects.order_by("exam_code")),
            Prefetch(
                "committee_scores",
                queryset=CommitteeScore.objects.filter(score__isnull=False).order_by("pk"),
            ),
        )
        .order_by("reference")
    )
    codes = {spec.code for spec in params.exams}
    candidates = []
    for dossier in dossiers:
        grades = [g for g in dossier.exam_grades.all() if g.exam_code in codes]
        candidates.append(
            CandidateScores(
                candidate=dossier.reference,
                committee_scores=tuple(
                    Decimal(s.score) for s in dossier.committee_scores.all() if s.score is not None
                ),
                grades={g.exam_code: g.grade for g in grades if not g.absent},
                absent=frozenset(g.exam_code for g in grades if g.absent),
            )
        )
    return RankingView(rank_candidates(params, candidates), {d.reference: d for d in dossiers})


def recorded_list(campaign: Campaign) -> QuerySet[AcademicDecision]:
    return (
        AcademicDecision.objects.filter(dossier__campaign=campaign)
        .select_related("dossier", "decided_by")
        .order_by("rank", "dossier__reference")
    )


def list_published(campaign: Campaign, now: datetime) -> bool:
    return deadlines.is_published(campaign.params(), ACADEMIC, now)


# --- Exports (R8.3) ---------------------------------------------------------------------------


def grade_export_rows(campaign: Campaign) -> tuple[list[str], Iterator[list[object]]]:
    """Every grade of the campaign, one row per candidate and exam."""
    headers = [
        str(_("Dossier")),
        str(_("Nom")),
        str(_("Prénom")),
        str(_("Épreuve")),
        str(pgettext("exam grade", "Note")),
        str(_("Absent")),
        str(_("Commentaire")),
        str(_("Noté par")),
        str(_("Noté le")),
    ]
    rows = (
        Grade.objects.filter(dossier__campaign=campaign)
        .select_related("dossier", "graded_by")
        .order_by("dossier__reference", "exam_code")
    )

    def lines() -> Iterator[list[object]]:
        for g in rows.iterator(chunk_size=500):
            yield [
                g.dossier.reference,
                g.dossier.last_name,
                g.dossier.first_name,
                g.exam_code,
                g.grade,
                _("oui") if g.absent else _("non"),
                g.comment,
                str(g.graded_by),
                g.graded_at,
            ]

    return headers, lines()


def list_export_rows(campaign: Campaign) -> tuple[list[str], Iterator[list[object]]]:
    """The ranking with each candidate's scores and the recorded outcome, if any."""
    view = campaign_ranking(campaign)
    params = campaign.params()
    recorded = {
        d.dossier_id: d for d in AcademicDecision.objects.filter(dossier__campaign=campaign)
    }
    headers = [
        str(_("Rang")),
        str(_("Dossier")),
        str(_("Nom")),
        str(_("Prénom")),
        str(_("Note de dossier (/20)")),
        *[spec.name_fr for spec in params.exams],
        str(_("Moyenne pondérée")),
        str(_("Résultat enregistré")),
        str(_("Motif")),
    ]

    def lines() -> Iterator[list[object]]:
        language = page_language()
        for r in view.ranking.ranked:
            dossier = view.dossiers[r.candidate]
            decision = recorded.get(dossier.pk)
            yield [
                r.rank,
                r.candidate,
                dossier.last_name,
                dossier.first_name,
                r.dossier_score,
                *[grade for _code, grade in r.grades],
                r.score,
                decision.get_outcome_display() if decision else "",
                "",
            ]
        for group in (view.ranking.eliminated, view.ranking.incomplete):
            for e in group:
                dossier = view.dossiers[e.candidate]
                decision = recorded.get(dossier.pk)
                yield [
                    None,
                    e.candidate,
                    dossier.last_name,
                    dossier.first_name,
                    e.dossier_score,
                    *[grade for _code, grade in e.grades],
                    None,
                    decision.get_outcome_display() if decision else "",
                    " ".join(reason.text(language) for reason in e.reasons),
                ]

    return headers, lines()


# --- What a decision means for the candidate --------------------------------------------------


def decision_reasons(decision: AcademicDecision, language: str) -> list[str]:
    """Why a candidate is not on the list, in ``language``: the eliminating grades or
    absences (from the grades, final once published), or the rank below the list."""
    if decision.outcome == ListOutcome.ELIMINATED:
        outcome = outcome_of(decision.dossier)
        return [reason.text(language) for reason in outcome.reasons] if outcome.eliminated else []
    if decision.outcome == ListOutcome.BELOW_LIST:
        return [below_list_reason(decision.rank, decision.score).text(language)]
    return []


def help_for_admitted(campaign: Campaign) -> dict[str, object]:
    """Where an admitted candidate finds help for the company search: the school's and the
    central service's contacts, the presentation file for companies (campaign file)."""
    document = campaign.loaded_document()
    return {
        "contacts": campaign.contacts(),
        "company_presentation_urls": list(
            (document.get("texts") or {}).get("company_presentation_urls") or []
        ),
    }
