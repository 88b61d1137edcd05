"""Phase 2's state changes on the grading side (R6.3, R6.4): a grade, the academic list, its
publication. Each runs in one transaction, locks its row first, checks, then writes with an
audit entry."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from admissions.accounts.models import User
from admissions.audit.services import record
from admissions.campaigns.models import Campaign
from admissions.committee.services import publish_due_decisions
from admissions.core.language import page_language
from admissions.core.templatetags.dates import instant
from admissions.dossiers.models import Dossier
from admissions.exams.models import AcademicDecision, ExamSlot, Grade
from admissions.exams.selectors.grading import (
    ACADEMIC,
    campaign_ranking,
    can_grade,
    can_record_academic,
    exam_phases,
    exam_spec,
)
from admissions.rules import deadlines
from admissions.rules.academic import ListOutcome, academic_list
from admissions.rules.explain import RulesError
from admissions.rules.grades import validate_grade

PHASE_NOTE_MAX_LENGTH = 2_000


class GradingError(Exception):
    """A grading or list action refused; ``message`` says why in the page's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _published_refusal(campaign: Campaign) -> GradingError:
    return GradingError(
        _(
            "La liste des admis académiques est publiée depuis le %(at)s : "
            "les notes et la liste sont définitives."
        )
        % {"at": instant(campaign.academic_results_at)}
    )


def record_grade(
    *,
    slot: ExamSlot,
    by: User,
    grade: Decimal | None,
    absent: bool,
    comment: str = "",
    phase_notes: list[str] | None = None,
    now: datetime,
) -> Grade:
    """Record (or correct) the grade of ``slot``'s candidate in ``slot``'s exam, or their
    absence (R6.3). Only a member of the slot's panel grades; a grade is within the exam's
    maximum, in its step; nothing changes once the academic list is published.

    Side effects: audit entry ``exams.grade.recorded`` (or ``.updated``, with the old value)."""
    comment = comment.strip()
    notes = [note.strip() for note in (phase_notes or [])]
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update()
            .select_related("campaign")
            .get(pk=slot.booking.dossier_id)
        )
        campaign = dossier.campaign
        if not can_grade(by, slot):
            raise GradingError(_("Vous ne faites pas partie du jury de ce candidat."))
        params = campaign.params()
        if deadlines.is_published(params, ACADEMIC, now):
            raise _published_refusal(campaign)
        spec = exam_spec(params, slot.exam_code)
        if spec is None:
            raise GradingError(_("Cette épreuve n'existe pas dans la campagne."))
        if absent and grade is not None:
            raise GradingError(_("Donnez une note ou cochez « absent », pas les deux."))
        if not absent and grade is None:
            raise GradingError(_("Saisissez une note, ou cochez « absent »."))
        if grade is not None:
            try:
                decision = validate_grade(spec, grade)
            except RulesError as error:
                raise GradingError(error.reason.text(page_language())) from error
            if not decision.allowed:
                raise GradingError(decision.texts(page_language())[0])
        phases = exam_phases(campaign, slot.exam_code)
        if len(notes) > len(phases) or any(len(n) > PHASE_NOTE_MAX_LENGTH for n in notes):
            raise GradingError(_("Notes par phase invalides."))
        notes = notes + [""] * (len(phases) - len(notes))
        before = Grade.objects.filter(dossier=dossier, exam_code=slot.exam_code).first()
        row, created = Grade.objects.update_or_create(
            dossier=dossier,
            exam_code=slot.exam_code,
            defaults={
                "grade": None if absent else grade,
                "absent": absent,
                "comment": comment,
                "phase_notes": notes if any(notes) else [],
                "graded_by": by,
                "graded_at": now,
            },
        )
        data: dict[str, object] = {
            "exam": slot.exam_code,
            "grade": None if absent else str(grade),
            "absent": absent,
        }
        if before is not None:
            data["before"] = {
                "grade": None if before.grade is None else str(before.grade),
                "absent": before.absent,
                "by": before.graded_by_id,
            }
        record(
            by,
            "exams.grade.recorded" if created else "exams.grade.updated",
            dossier,
            data=data,
            at=now,
        )
    return row


def record_academic_list(
    *,
    campaign: Campaign,
    by: User,
    cutoff: int | None = None,
    chosen: set[str] | None = None,
    now: datetime,
) -> list[AcademicDecision]:
    """Record the committee's academic list (R6.4): one AcademicDecision per examined
    candidate, admitted, eliminated or below the list, with rank and score. Recorded again
    (replacing the previous one) as often as needed until the publication instant; final after.

    Side effects: audit entry ``exams.academic_list.recorded`` on the campaign, and one
    ``exams.academic_decision.recorded`` per dossier."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not can_record_academic(by, campaign):
            raise GradingError(
                _("Seul le chargé des admissions de l'école enregistre la liste académique.")
            )
        if deadlines.is_published(campaign.params(), ACADEMIC, now):
            raise _published_refusal(campaign)
        view = campaign_ranking(campaign)
        try:
            listed = academic_list(view.ranking, cutoff=cutoff, chosen=chosen)
        except RulesError as error:
            raise GradingError(error.reason.text(page_language())) from error
        # Lock the dossiers in a stable order, then replace the previous list.
        ids = sorted(d.pk for d in view.dossiers.values())
        list(Dossier.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        previous = {
            d.dossier_id: d.outcome
            for d in AcademicDecision.objects.filter(dossier__campaign=campaign)
        }
        AcademicDecision.objects.filter(dossier__campaign=campaign).delete()
        decisions = []
        for entry in listed.entries:
            dossier = view.dossiers[entry.candidate]
            decisions.append(
                AcademicDecision(
                    dossier=dossier,
                    outcome=entry.outcome.value,
                    rank=entry.rank,
                    score=entry.score,
                    decided_by=by,
                    decided_at=now,
                )
            )
        AcademicDecision.objects.bulk_create(decisions)
        for decision in decisions:
            if previous.get(decision.dossier_id) != decision.outcome:
                record(
                    by,
                    "exams.academic_decision.recorded",
                    decision.dossier,
                    data={
                        "outcome": decision.outcome,
                        "before": previous.get(decision.dossier_id),
                        "rank": decision.rank,
                        "score": None if decision.score is None else str(decision.score),
                    },
                    at=now,
                )
        record(
            by,
            "exams.academic_list.recorded",
            campaign,
            data={
                "cutoff": cutoff,
                "chosen": sorted(chosen) if chosen is not None else None,
                "admitted": len(listed.of(ListOutcome.ADMITTED)),
                "below_list": len(listed.of(ListOutcome.BELOW_LIST)),
                "eliminated": len(listed.of(ListOutcome.ELIMINATED)),
            },
            at=now,
        )
    return decisions


def publish_academic_results(*, now: datetime) -> int:
    """Owe each candidate on a recorded academic list, once its campaign's
    ``academic_results_at`` has come, one email with their outcome (R6.4).

    Idempotent: a decision is marked published in the transaction that owes its email (whose
    outbox key is unique too), so a second run sends nothing more. Returns how many were
    published. Side effects: audit entry ``exams.academic_decision.published``."""
    from admissions.exams.academic_emails import queue_academic_result  # emails read selectors

    return publish_due_decisions(
        AcademicDecision,
        ACADEMIC,
        queue=queue_academic_result,
        action="exams.academic_decision.published",
        data=lambda decision: {"outcome": decision.outcome},
        now=now,
    )
