"""What happens to a dossier: opening it, the tariff, submission (R3).

Services change state in one transaction and write the audit trail; they take the clock as
``now`` and never read the request. What they read comes from ``selectors.py``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from admissions.audit.services import record
from admissions.campaigns.models import Option
from admissions.dossiers.emails import queue_receipt
from admissions.dossiers.models import Dossier, FormationChoice
from admissions.dossiers.selectors import (
    DOSSIER_RELATIONS,
    is_editable,
    snapshot,
    submission_blockers,
    tariff_fixed,
)
from admissions.rules import fees
from admissions.rules.explain import Reason
from admissions.rules.params import Campaign as CampaignParams


class DossierError(Exception):
    """A refused action on a dossier, with a message in the page's language."""

    def __init__(self, message, reasons: tuple[Reason, ...] = ()):
        super().__init__(str(message))
        self.message = message
        self.reasons = reasons


REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def new_reference(campaign) -> str:
    """A short reference that is not a counter: guessing one reveals nothing (R9.2)."""
    prefix = "".join(ch for ch in campaign.code.upper() if ch.isalnum())[:4]
    return f"{prefix}-{''.join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))}"


def open_dossier(*, candidate, campaign, now: datetime, prefetch: bool = False) -> Dossier:
    """The candidate's dossier for the campaign, created on first visit (idempotent).

    ``prefetch`` loads every relation a dossier page shows, one query each: right for pages,
    wasted on a save that redirects."""
    dossiers = Dossier.objects.filter(candidate=candidate, campaign=campaign)
    if prefetch:
        dossiers = dossiers.prefetch_related(*DOSSIER_RELATIONS)
    existing = dossiers.first()
    if existing is not None:
        existing.candidate = candidate  # the same account: no query to read it back
        return existing
    try:
        with transaction.atomic():
            dossier = Dossier.objects.create(
                candidate=candidate,
                campaign=campaign,
                reference=new_reference(campaign),
                created_at=now,
                updated_at=now,
            )
            record(candidate, "dossiers.dossier.opened", dossier, at=now)
            return dossier
    except IntegrityError:  # a second tab opened it at the same moment
        return Dossier.objects.get(candidate=candidate, campaign=campaign)


# How a refused tariff change is worded (R3.6, R3.8), one sentence per reason of the rule.
TARIFF_FIXED_MESSAGES = {
    fees.TariffFixed.DOSSIER_CLOSED: _(
        "Votre dossier n'est plus modifiable : rien n'a été changé."
    ),
    fees.TariffFixed.PAYMENT_RECORDED: _(
        "Un paiement est déjà enregistré : le tarif ne peut plus changer."
    ),
}


def save_tariff(*, dossier: Dossier, scholarship_claimed: bool, by, now: datetime) -> Dossier:
    """Claim the reduced (scholarship) rate or give it up (R3.6).

    Checked under the dossier's lock (issue 9): a payment declared or a submission committed
    since the page was read refuses the change. Raises DossierError. Side effect: audit entry."""
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update()
            .select_related("campaign")
            .prefetch_related("payments")
            .get(pk=dossier.pk)
        )
        fixed = tariff_fixed(locked, locked.campaign.params(), now)
        if fixed is not None:
            raise DossierError(TARIFF_FIXED_MESSAGES[fixed])
        locked.scholarship_claimed = scholarship_claimed
        locked.updated_at = now
        locked.save(update_fields=["scholarship_claimed", "updated_at"])
        record(by, "dossiers.fees.tariff_saved", locked, at=now)
    dossier.scholarship_claimed = scholarship_claimed
    dossier.updated_at = now
    return locked


# --- Submission (R3.7) ---------------------------------------------------------------------


def lock_editable(dossier: Dossier, params: CampaignParams, now: datetime) -> Dossier:
    """Lock the dossier's row for a change, then check it may still change (R3.8, issue 9).

    Call inside the transaction that writes: a submission committed since the page was read
    refuses the change (a page's form would otherwise write the stale row back over it), and
    one that starts now waits until the change is committed. Raises DossierError."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if not is_editable(locked, params, now):
        raise DossierError(_("Votre dossier n'est plus modifiable : rien n'a été changé."))
    return locked


def save_page(
    *,
    dossier: Dossier,
    params: CampaignParams,
    write: Callable[[], object],
    action: str,
    by,
    now: datetime,
    preview: bool = False,
) -> None:
    """Save one page of the dossier: ``write`` is the page's own write (a form's or a
    formset's ``save``, on ``dossier`` or its rows), then ``updated_at`` and the audit entry.

    Locks the dossier's row first and checks it may still change (``lock_editable``, issue 9):
    raises DossierError, nothing written. ``preview``: the caller rolls the transaction back
    (the live panel), so there is neither lock nor check. Side effect: audit entry ``action``."""
    with transaction.atomic():
        if not preview:
            lock_editable(dossier, params, now)
        dossier.updated_at = now  # a form on the dossier itself writes it too
        saved = write()
        if saved is not dossier:  # the rows of a formset: the dossier's row is not written yet
            dossier.save(update_fields=["updated_at"])
        record(by, action, dossier, at=now)


def choose_formations(
    *,
    dossier: Dossier,
    params: CampaignParams,
    options: Sequence[Option],
    notice_acknowledged: bool,
    by,
    now: datetime,
    preview: bool = False,
) -> None:
    """The formations chosen, in the candidate's order, and the notice read (R3.1, R3.6).

    The moment the notice was acknowledged is kept while the box stays ticked. Locked and
    checked as ``save_page``; raises DossierError. Side effect: audit entry."""

    def write() -> Dossier:
        dossier.choices.all().delete()
        FormationChoice.objects.bulk_create(
            FormationChoice(dossier=dossier, option=option, rank=rank)
            for rank, option in enumerate(options, start=1)
        )
        if notice_acknowledged and dossier.notice_acknowledged_at is None:
            dossier.notice_acknowledged_at = now
        elif not notice_acknowledged:
            dossier.notice_acknowledged_at = None
        dossier.save(update_fields=["notice_acknowledged_at", "updated_at"])
        return dossier

    save_page(
        dossier=dossier,
        params=params,
        write=write,
        action="dossiers.formations.saved",
        by=by,
        now=now,
        preview=preview,
    )


def submit_dossier(*, dossier: Dossier, by, now: datetime, language: str = "fr") -> Dossier:
    """Submit once, however many times it is asked (R3.7).

    Raises DossierError listing every blocker. Side effects: snapshot, audit entry, the receipt
    (PDF and email) owed in the outbox and queued after commit.
    """
    with transaction.atomic():
        # Lock the row first (two tabs, a replayed request), then read everything once: the
        # checks and the snapshot read the same relations.
        locked = Dossier.objects.select_for_update().only("state").get(pk=dossier.pk)
        if locked.is_submitted:
            return Dossier.objects.get(pk=dossier.pk)  # a double click or a replay: already done
        dossier = (
            Dossier.objects.select_related("campaign", "candidate")
            .defer("campaign__document", "campaign__source_text")
            .prefetch_related(*DOSSIER_RELATIONS, "experiences")
            .get(pk=dossier.pk)
        )
        params = dossier.campaign.params()
        blockers = submission_blockers(dossier, params, now, language)
        if blockers:
            raise DossierError(
                _("Votre dossier ne peut pas encore être déposé."),
                tuple(
                    Reason("dossier.blocker", text, text, {"page": page}) for page, text in blockers
                ),
            )
        dossier.snapshot = snapshot(dossier)
        dossier.state = Dossier.State.SUBMITTED
        dossier.submitted_at = now
        dossier.updated_at = now
        dossier.save(update_fields=["snapshot", "state", "submitted_at", "updated_at"])
        record(by, "dossiers.dossier.submitted", dossier, at=now)
        # Owed in the same transaction as the submission: never lost (notifications/services.py).
        queue_receipt(dossier=dossier)  # in the candidate's language (R8.2)
    dossier.refresh_from_db()  # the caller gets the row as stored, not relations read before
    return dossier
