"""The committee's state changes (R5): scores, the decision, the publication instant, and the
publication itself. Each runs in one transaction, locks the dossier (or campaign) row first,
then checks, then writes with an audit entry."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from admissions.accounts.models import User
from admissions.audit.services import record
from admissions.campaigns.models import Campaign
from admissions.committee.models import AdmissibilityDecision, CommitteeScore
from admissions.committee.permissions import (
    can_decide_admissibility,
    can_score,
    can_set_publication,
)
from admissions.committee.selectors import ADMISSIBILITY
from admissions.core.templatetags.dates import deadline, instant
from admissions.dossiers.models import Dossier
from admissions.rules import deadlines


class CommitteeError(Exception):
    """A committee action refused; ``message`` says why in the page's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _refuse_if_decided(dossier: Dossier) -> None:
    """A decision is final: once recorded, say who recorded it and when (a stale form)."""
    decision = (
        AdmissibilityDecision.objects.filter(dossier=dossier).select_related("decided_by").first()
    )
    if decision is not None:
        raise CommitteeError(
            _(
                "La décision sur ce dossier a déjà été enregistrée par %(who)s le %(at)s : "
                "elle est définitive."
            )
            % {"who": decision.decided_by, "at": instant(decision.decided_at)}
        )


def _results_published(campaign: Campaign) -> str:
    return _(
        "Les résultats d'admissibilité sont publiés depuis le %(at)s : "
        "les décisions sont définitives."
    ) % {"at": instant(campaign.admissibility_results_at)}


def _lock(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().select_related("campaign").get(pk=dossier.pk)


def record_score(
    *, dossier: Dossier, member: User, score: Decimal | None, comment: str, now: datetime
) -> CommitteeScore:
    """Record or update ``member``'s score and comment on ``dossier``, until the decision or
    the publication of the results, whichever comes first (a score after it could inform no
    decision: none can be recorded then).

    Side effects: audit entry ``committee.score.recorded``."""
    comment = comment.strip()
    with transaction.atomic():
        dossier = _lock(dossier)
        if not can_score(member, dossier):
            raise CommitteeError(_("Vous ne siégez pas à la commission qui examine ce dossier."))
        _refuse_if_decided(dossier)
        if deadlines.is_published(dossier.campaign.params(), ADMISSIBILITY, now):
            raise CommitteeError(_results_published(dossier.campaign))
        score_max = dossier.campaign.params().committee.score_max
        if score is not None and not Decimal(0) <= score <= score_max:
            raise CommitteeError(
                _("La note va de 0 à %(max)s.") % {"max": f"{score_max.normalize():f}"}
            )
        if score is None and not comment:
            raise CommitteeError(_("Donnez une note, un commentaire, ou les deux."))
        row, created = CommitteeScore.objects.update_or_create(
            dossier=dossier,
            member=member,
            defaults={"score": score, "comment": comment, "recorded_at": now},
        )
        record(
            member,
            "committee.score.recorded" if created else "committee.score.updated",
            dossier,
            data={"score": None if score is None else str(score)},
            at=now,
        )
    return row


def decide_admissibility(
    *, dossier: Dossier, by: User, admissible: bool, comment: str, now: datetime
) -> AdmissibilityDecision:
    """Record the committee's decision on a forwarded dossier, once, before publication (R5.1).

    A dossier found not admissible needs the committee's reason (kept for staff; the candidate
    is told the decision only). Side effects: audit entry ``committee.decision.recorded``; the
    candidate's email is owed by ``publish_results`` once the results are published."""
    comment = comment.strip()
    with transaction.atomic():
        dossier = _lock(dossier)
        if not can_decide_admissibility(by, dossier):
            raise CommitteeError(
                _(
                    "Seul le chargé des admissions de l'école enregistre la décision de la commission."
                )
            )
        _refuse_if_decided(dossier)
        if deadlines.is_published(dossier.campaign.params(), ADMISSIBILITY, now):
            raise CommitteeError(_results_published(dossier.campaign))
        if not admissible and not comment:
            raise CommitteeError(_("Indiquez le motif de la non-admissibilité."))
        decision = AdmissibilityDecision.objects.create(
            dossier=dossier, admissible=admissible, comment=comment, decided_by=by, decided_at=now
        )
        record(
            by,
            "committee.decision.recorded",
            dossier,
            reason=comment,
            data={"admissible": admissible},
            at=now,
        )
    return decision


def set_publication_instant(
    *, campaign: Campaign, at: datetime, reason: str, by: User, now: datetime
) -> Campaign:
    """Move the instant the admissibility results are published (R5.2). Every reader takes it
    from ``Campaign.params()``, whose revision this change renews.

    Refused once the results are out (nothing unpublishes them), for an instant before the
    applications close or after the exam-day choice opens, and without a reason.
    Side effects: audit entry ``committee.publication.moved``."""
    reason = reason.strip()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not can_set_publication(by, campaign):
            raise CommitteeError(_("Vous ne pouvez pas régler la publication de cette campagne."))
        params = campaign.params()
        if deadlines.is_published(params, ADMISSIBILITY, now):
            raise CommitteeError(
                _(
                    "Les résultats d'admissibilité sont publiés depuis le %(at)s : "
                    "la date ne peut plus changer."
                )
                % {"at": instant(campaign.admissibility_results_at)}
            )
        if not reason:
            raise CommitteeError(_("Indiquez le motif du changement de date."))
        moved = dataclasses.replace(params.calendar, admissibility_results_at=at)
        problems = [
            problem
            for problem in deadlines.calendar_problems(moved)
            if "admissibility_results_at" in problem.data.values()
        ]
        if problems:
            raise CommitteeError(
                _(
                    "La publication doit avoir lieu entre la clôture des candidatures "
                    "(%(closes)s) et l'ouverture du choix du jour d'épreuves (%(opens)s)."
                )
                % {
                    "closes": deadline(campaign.applications_closes_at),
                    "opens": instant(campaign.exam_booking_opens_at),
                }
            )
        before = campaign.admissibility_results_at
        campaign.admissibility_results_at = at
        campaign.save(update_fields=["admissibility_results_at"])
        record(
            by,
            "committee.publication.moved",
            campaign,
            reason=reason,
            data={"from": before.isoformat(), "to": at.isoformat()},
            at=now,
        )
    return campaign


def publish_results(*, now: datetime) -> int:
    """Owe each candidate whose decision is out, and not yet published, one email (R5.2).

    Idempotent: a decision is marked published in the transaction that owes its email (whose
    outbox key is unique too), so a second run, or two hosts at once, send nothing more. A
    decision recorded after a run is published by the next. Returns how many were published.
    Side effects: audit entry ``committee.decision.published``; emails queued after commit."""
    from admissions.committee.emails import queue_result  # emails import the selectors

    return publish_due_decisions(
        AdmissibilityDecision,
        ADMISSIBILITY,
        queue=queue_result,
        action="committee.decision.published",
        data=lambda decision: {"admissible": decision.admissible},
        now=now,
    )


def publish_due_decisions(model, phase, *, queue, action: str, data, now: datetime) -> int:
    """Mark published, one dossier per transaction, each decision of ``model`` (one row per
    dossier, with ``published_at``) whose campaign has reached the publication instant of
    ``phase``, owing its email through ``queue`` and writing the audit entry ``action``.
    Shared by the admissibility results (R5.2) and the academic list (R6.4)."""
    published = 0
    for campaign in Campaign.objects.all():
        if not deadlines.is_published(campaign.params(), phase, now):
            continue
        pending = model.objects.filter(
            dossier__campaign=campaign, published_at__isnull=True
        ).values_list("dossier_id", flat=True)
        for dossier_id in list(pending):
            with transaction.atomic():
                dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
                decision = model.objects.select_for_update().get(dossier=dossier)
                if decision.published_at is not None:
                    continue  # published by another run meanwhile
                decision.published_at = now
                decision.save(update_fields=["published_at"])
                queue(decision)
                record(None, action, dossier, data=data(decision), at=now)
            published += 1
    return published
