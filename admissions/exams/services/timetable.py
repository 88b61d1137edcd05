"""The exam timetables' state changes (R6.2): build a day's timetable with the solver, adjust one
slot by hand, send the convocations. Each writes in one transaction that locks the day's row
first (builds, adjustments and sends of one day take turns), checks, writes, audits.

The solver runs outside the transaction (up to its time limit: the day's row is not held that
long); what it was given is compared, under the lock, with the day as it is then, and a day
that changed meanwhile (a booking, an adjustment) is refused, to be built again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from admissions.accounts.models import User
from admissions.audit.services import record
from admissions.core.templatetags.dates import instant
from admissions.exams.emails_timetable import queue_convocation
from admissions.exams.models import ExamDay, ExamPanel, ExamSlot
from admissions.exams.selectors.timetable import (
    DayData,
    convocation_key,
    convocation_keys,
    day_data,
    days_managed_by,
    instant_at,
    minute_of,
    slot_signature,
)
from admissions.notifications.models import OutboundEmail
from admissions.rules import timetable as solver
from admissions.rules.explain import Reason, RulesError

# Reasons of check_timetable that are not about an adjustment: a candidate booked after the
# timetable was built has no slot yet (the page lists them; a rebuild places them).
NOT_ABOUT_ADJUSTMENTS = frozenset({"timetable.missing_candidate"})


class TimetableError(Exception):
    """A timetable action refused. ``message`` in the page's language; ``reasons`` are the
    solver's (FR and EN), shown in the page's language by the view."""

    def __init__(self, message: str, reasons: tuple[Reason, ...] = ()):
        super().__init__(message)
        self.message = message
        self.reasons = reasons


@dataclass(frozen=True)
class Built:
    candidates: int
    kept: int  # hand-adjusted slots kept where staff put them
    solve_seconds: float


def _lock_day(day: ExamDay, by: User) -> ExamDay:
    locked = (
        days_managed_by(by)
        .select_for_update(of=("self",))
        .select_related("campaign__school")
        .filter(pk=day.pk)
        .first()
    )
    if locked is None:
        raise TimetableError(_("Vous ne gérez pas les épreuves de cette journée."))
    return locked


def _solver_day(data: DayData, **kwargs) -> solver.ExamDay:
    try:
        return data.solver_day(**kwargs)
    except RulesError as error:
        # Hours that make no sense (a break that ends before it starts...): said as such.
        raise TimetableError(
            _("Les horaires de la journée ou d'un jury sont incohérents."), (error.reason,)
        ) from error
    except ValueError as error:  # a break that is not "HH:MM"
        raise TimetableError(
            _("Une pause de la journée ou d'un jury n'est pas une heure (HH:MM).")
        ) from error


def _kept_slots(data: DayData) -> tuple[ExamSlot, ...]:
    """Slots adjusted by hand, of candidates still booked on the day, with a panel of the day."""
    bookings = {booking.pk for booking in data.bookings}
    panels = {panel.pk for panel in data.panels}
    return tuple(
        slot
        for slot in data.slots
        if slot.adjusted_by_id is not None
        and slot.booking_id in bookings
        and slot.panel_id in panels
    )


def build_day_timetable(
    *,
    day: ExamDay,
    by: User,
    now: datetime,
    time_limit_seconds: float = solver.DEFAULT_TIME_LIMIT_SECONDS,
) -> Built:
    """Build (or rebuild) the day's timetable and replace its slots; slots adjusted by hand
    stay where staff put them. Refused with the solver's reasons when the day cannot be
    scheduled: nothing is written then.

    Side effects: the day's ExamSlot rows replaced, ``timetable_built_at`` set, audit entry
    ``exams.timetable.built``."""
    if days_managed_by(by).filter(pk=day.pk).first() is None:
        raise TimetableError(_("Vous ne gérez pas les épreuves de cette journée."))
    data = day_data(day)
    if not data.bookings:
        raise TimetableError(_("Aucun candidat n'a choisi cette journée : rien à placer."))
    kept = _kept_slots(data)
    result = solver.build_timetable(
        _solver_day(data, keep=kept), time_limit_seconds=time_limit_seconds
    )
    if not result.solved:
        raise TimetableError(
            _("L'emploi du temps de cette journée ne peut pas être établi."), result.reasons
        )
    with transaction.atomic():
        day = _lock_day(day, by)
        if day_data(day).fingerprint() != data.fingerprint():
            raise TimetableError(
                _(
                    "La journée a changé pendant le calcul (un choix de jour, un ajustement) : "
                    "rien n'est enregistré, relancez le calcul."
                )
            )
        kept_ids = [slot.pk for slot in kept]
        ExamSlot.objects.filter(booking__day=day).exclude(pk__in=kept_ids).delete()
        ExamSlot.objects.filter(panel__day=day).exclude(pk__in=kept_ids).delete()
        held = {(slot.booking_id, slot.exam_code) for slot in kept}
        created = []
        for appointment in result.appointments:
            booking = data.booking_of(appointment.candidate)
            for placed in (appointment.interview, appointment.english):
                if (booking.pk, placed.exam.value) in held:
                    continue
                created.append(
                    ExamSlot(
                        booking=booking,
                        exam_code=placed.exam.value,
                        panel=data.panel_named(placed.assessor),
                        starts_at=instant_at(day, placed.start),
                        ends_at=instant_at(day, placed.end),
                    )
                )
        ExamSlot.objects.bulk_create(created)
        day.timetable_built_at = now
        day.save(update_fields=["timetable_built_at"])
        record(
            by,
            "exams.timetable.built",
            day,
            data={
                "candidates": len(result.appointments),
                "kept": len(kept),
                "solve_seconds": round(result.solve_seconds, 3),
            },
            at=now,
        )
    return Built(len(result.appointments), len(kept), result.solve_seconds)


def adjust_slot(
    *,
    slot: ExamSlot,
    by: User,
    starts_at: datetime,
    panel: ExamPanel,
    was_starts_at: datetime,
    was_panel_id: int,
    now: datetime,
) -> ExamSlot:
    """Move one slot to ``starts_at`` with ``panel`` (same exam, same day), by hand. Refused
    with the solver's reasons when the move creates a fault the timetable did not have: the
    candidate's two exams overlap or are closer than the gap, the panel has two candidates at
    once, the slot leaves the panel's hours or falls in a break. ``was_*`` are the slot as the
    form showed it: a slot changed meanwhile is refused (a stale form), the same move sent
    twice (a double click) changes nothing.

    Side effects: the slot saved with ``adjusted_by`` (a rebuild keeps it), audit entry
    ``exams.timetable.slot_adjusted``."""
    with transaction.atomic():
        day = _lock_day(slot.booking.day, by)
        current = (
            ExamSlot.objects.select_for_update()
            .select_related("panel", "booking__dossier")
            .filter(pk=slot.pk, booking__day=day)
            .first()
        )
        if current is None:
            raise TimetableError(
                _("Ce créneau n'existe plus : l'emploi du temps a été établi à nouveau.")
            )
        if current.starts_at == starts_at and current.panel_id == panel.pk:
            return current  # the same move again (a double click): nothing more to do
        if current.starts_at != was_starts_at or current.panel_id != was_panel_id:
            raise TimetableError(
                _(
                    "Ce créneau a été modifié entre-temps (il commence maintenant le %(at)s, "
                    "avec %(panel)s) : vérifiez-le avant de le déplacer."
                )
                % {"at": instant(current.starts_at), "panel": current.panel.name}
            )
        if panel.day_id != day.pk or panel.exam_code != current.exam_code:
            raise TimetableError(_("Choisissez un jury de cette épreuve et de cette journée."))
        if starts_at.astimezone(day.campaign.zone()).date() != day.date:
            raise TimetableError(_("Le nouvel horaire doit être le jour de l'épreuve."))
        data = day_data(day)
        length = current.ends_at - current.starts_at
        moved = ExamSlot(
            pk=current.pk,
            booking=current.booking,
            exam_code=current.exam_code,
            panel=panel,
            starts_at=starts_at,
            ends_at=starts_at + length,
        )
        before = set(solver.check_timetable(_solver_day(data), data.appointments(list(data.slots))))
        after = solver.check_timetable(
            _solver_day(data),
            data.appointments([moved if s.pk == moved.pk else s for s in data.slots]),
        )
        created = tuple(
            reason
            for reason in after
            if reason not in before and reason.code not in NOT_ABOUT_ADJUSTMENTS
        )
        if created:
            raise TimetableError(_("Ce déplacement est refusé :"), created)
        start_minute = minute_of(day, starts_at)
        previous = {"starts_at": current.starts_at.isoformat(), "panel": current.panel.name}
        current.starts_at, current.ends_at, current.panel = (
            moved.starts_at,
            moved.ends_at,
            panel,
        )
        current.adjusted_by = by
        current.save(update_fields=["starts_at", "ends_at", "panel", "adjusted_by"])
        record(
            by,
            "exams.timetable.slot_adjusted",
            current.booking.dossier,
            data={
                "day": day.date.isoformat(),
                "exam": current.exam_code,
                "from": previous,
                "to": {"starts_at": starts_at.isoformat(), "panel": panel.name},
                "minute": start_minute,
            },
            at=now,
        )
    return current


@dataclass(frozen=True)
class Sent:
    queued: int  # convocations owed now (new candidates, or new times)
    unchanged: int  # already convoked with these times: nothing sent again
    unplaced: int  # booked without both slots: nothing sent


def send_convocations(*, day: ExamDay, by: User, now: datetime) -> Sent:
    """Owe each candidate of the day their convocation with their current times (R6.2). A
    candidate already convoked with these very times gets nothing more (a second click, a
    resend without change); after an adjustment, the candidates whose times changed get the
    new ones.

    Side effects: outbox rows (kind ``convocation``), sent after commit; audit entries
    ``exams.convocation.queued`` (per dossier) and ``exams.convocations.sent`` (the day)."""
    with transaction.atomic():
        day = _lock_day(day, by)
        if day.timetable_built_at is None:
            raise TimetableError(_("Établissez d'abord l'emploi du temps de cette journée."))
        data = day_data(day)
        exams = {panel.exam_code for panel in data.panels}
        by_booking: dict[int, list[ExamSlot]] = {}
        for slot in ExamSlot.objects.filter(booking__day=day).select_related("panel"):
            by_booking.setdefault(slot.booking_id, []).append(slot)
        sent = convocation_keys([booking.dossier_id for booking in data.bookings])
        queued = unchanged = unplaced = 0
        for booking in data.bookings:
            slots = by_booking.get(booking.pk, [])
            if {slot.exam_code for slot in slots} != exams or not slots:
                unplaced += 1
                continue
            if convocation_key(booking.dossier_id, slot_signature(slots)) in sent:
                unchanged += 1
                continue
            email = queue_convocation(booking.dossier, slots)
            record(
                by,
                "exams.convocation.queued",
                booking.dossier,
                data={"day": day.date.isoformat(), "email": email.pk},
                at=now,
            )
            queued += 1
        if queued:  # a click that owes nothing (all convoked already) changes nothing
            record(
                by,
                "exams.convocations.sent",
                day,
                data={"queued": queued, "unchanged": unchanged, "unplaced": unplaced},
                at=now,
            )
    return Sent(queued, unchanged, unplaced)


__all__ = [
    "Built",
    "OutboundEmail",
    "Sent",
    "TimetableError",
    "adjust_slot",
    "build_day_timetable",
    "send_convocations",
]
