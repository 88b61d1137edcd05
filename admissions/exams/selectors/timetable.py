"""Reads of the exam timetables (R6.2): who manages which day, what the solver is given, the
slots by panel and by candidate, a jury's own list, a candidate's convocation.

Times: an exam day's hours are local to the campaign's zone; the solver works in minutes from
the day's start (``minute_of`` / ``instant_at``); slots are stored as aware instants.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from admissions.accounts.models import Role, User
from admissions.accounts.scope import school_scope
from admissions.dossiers.models import Dossier
from admissions.exams.models import Accommodation, Booking, ExamDay, ExamPanel, ExamSlot
from admissions.notifications.models import OutboundEmail
from admissions.rules import clock as rules_clock
from admissions.rules import timetable as solver
from admissions.rules.explain import RulesError

# Who builds and adjusts the timetables, and sends the convocations (core.access.SCHOOL_OFFICER).
MANAGERS = frozenset({Role.SCHOOL_OFFICER, Role.PLATFORM_ADMIN})
SCHOOL = "campaign__school"


# --- Who reaches which day --------------------------------------------------------------------


def days_managed_by(user: User) -> QuerySet[ExamDay]:
    """The exam days of the schools where ``user`` is an admissions officer or administrator."""
    if not user.is_authenticated:
        return ExamDay.objects.none()
    return school_scope(user, MANAGERS).narrow(ExamDay.objects.all(), SCHOOL)


def managed_day(user: User, day_id: int) -> ExamDay | None:
    return days_managed_by(user).select_related("campaign__school").filter(pk=day_id).first()


def panels_of_member(user: User) -> QuerySet[ExamPanel]:
    """The panels (juries, examiners) ``user`` sits on: a jury member reads only these."""
    if not user.is_authenticated:
        return ExamPanel.objects.none()
    return ExamPanel.objects.filter(members=user)


def jury_days(user: User) -> QuerySet[ExamDay]:
    """The days ``user`` examines on, in date order."""
    return (
        ExamDay.objects.filter(panels__in=panels_of_member(user))
        .distinct()
        .select_related("campaign__school")
        .order_by("date")
    )


def jury_day(user: User, day_id: int) -> ExamDay | None:
    return jury_days(user).filter(pk=day_id).first()


# --- Times ------------------------------------------------------------------------------------
# The solver counts whole minutes from the day's local midnight (rules.timetable.minutes_of).


def zone_of(day: ExamDay) -> ZoneInfo:
    return day.campaign.zone()


def minute_of(day: ExamDay, moment: datetime | time) -> int:
    """Minutes from the day's local midnight to a local time or an aware instant."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(zone_of(day)).time()
    return solver.minutes_of(moment)


def instant_at(day: ExamDay, minute: int) -> datetime:
    """The aware instant of a wall-clock minute of the day, in the campaign's zone."""
    return rules_clock.at(day.date, day.campaign.time_zone, solver.wall_time(minute))


def span_of(pair: list[str] | tuple[str, str]) -> solver.Span:
    """A break ["12:00", "13:30"] as the solver's span."""
    return solver.Span(
        solver.minutes_of(time.fromisoformat(pair[0])),
        solver.minutes_of(time.fromisoformat(pair[1])),
    )


def panel_window(panel: ExamPanel) -> tuple[solver.Span, ...]:
    """When a panel is available within the day's hours (the whole day when it says nothing);
    none when its hours fall outside the day's."""
    day = panel.day
    start = solver.minutes_of(max(panel.available_from or day.starts_at, day.starts_at))
    end = solver.minutes_of(min(panel.available_until or day.ends_at, day.ends_at))
    return (solver.Span(start, end),) if start < end else ()


# --- What the solver is given -------------------------------------------------------------------


def approved_extra_minutes(day: ExamDay) -> dict[int, dict[str, int]]:
    """Extra minutes per exam of each booked dossier whose accommodation is approved (R10.4)."""
    rows = Accommodation.objects.filter(
        dossier__exam_booking__day=day, state=Accommodation.State.APPROVED
    ).values_list("dossier_id", "extra_minutes")
    return {
        dossier_id: {str(code): int(minutes) for code, minutes in (extra or {}).items()}
        for dossier_id, extra in rows
    }


@dataclass(frozen=True)
class DayData:
    """Everything a day's timetable is built or checked from, read once. Candidates are named
    by their dossier's reference and panels by their name: the solver's reasons show them."""

    day: ExamDay
    panels: tuple[ExamPanel, ...]
    bookings: tuple[Booking, ...]
    extra: dict[int, dict[str, int]]  # dossier id -> exam code -> extra minutes
    slots: tuple[ExamSlot, ...]
    interview_minutes: int
    english_minutes: int
    gap_minutes: int
    step_minutes: int

    def fingerprint(self) -> str:
        """What the timetable depends on, to notice a change while the solver ran."""
        day = self.day
        parts = [
            f"{day.starts_at}-{day.ends_at}-{day.breaks}",
            *(f"p{p.pk}:{p.available_from}:{p.available_until}:{p.breaks}" for p in self.panels),
            *(f"b{b.pk}:{b.dossier_id}" for b in self.bookings),
            *(f"e{k}:{sorted(v.items())}" for k, v in sorted(self.extra.items())),
            *(f"s{s.pk}:{s.panel_id}:{s.starts_at}:{s.adjusted_by_id}" for s in self.slots),
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    def panel_named(self, name: str) -> ExamPanel:
        return next(panel for panel in self.panels if panel.name == name)

    def booking_of(self, reference: str) -> Booking:
        return next(b for b in self.bookings if b.dossier.reference == reference)

    def solver_day(
        self, *, keep: tuple[ExamSlot, ...] = (), moved: dict[int, ExamSlot] | None = None
    ) -> solver.ExamDay:
        """The day as the solver reads it. ``keep``: slots it must keep where they are (hand
        adjustments); ``moved``: slots replaced by their adjusted copy (to check them)."""
        day = self.day
        fixed: dict[tuple[int, str], solver.Placement] = {}
        for slot in keep:
            slot = (moved or {}).get(slot.pk, slot)
            fixed[(slot.booking_id, slot.exam_code)] = solver.Placement(
                minute_of(day, slot.starts_at), self._panel_name(slot.panel_id)
            )

        def assessor(panel: ExamPanel) -> solver.Assessor:
            return solver.Assessor(
                id=panel.name,
                available=panel_window(panel),
                breaks=tuple(span_of(pair) for pair in panel.breaks),
            )

        interview, english = solver.Exam.INTERVIEW.value, solver.Exam.ENGLISH.value
        return solver.ExamDay(
            day=day.date,
            opening=solver.Span(solver.minutes_of(day.starts_at), solver.minutes_of(day.ends_at)),
            juries=tuple(assessor(p) for p in self.panels if p.exam_code == interview),
            examiners=tuple(assessor(p) for p in self.panels if p.exam_code == english),
            candidates=tuple(
                solver.BookedCandidate(
                    id=booking.dossier.reference,
                    interview_extra=self.extra.get(booking.dossier_id, {}).get(interview, 0),
                    english_extra=self.extra.get(booking.dossier_id, {}).get(english, 0),
                    interview_fixed=fixed.get((booking.pk, interview)),
                    english_fixed=fixed.get((booking.pk, english)),
                )
                for booking in self.bookings
            ),
            breaks=tuple(span_of(pair) for pair in day.breaks),
            interview_minutes=self.interview_minutes,
            english_minutes=self.english_minutes,
            gap_minutes=self.gap_minutes,
            granularity=self.step_minutes,
        )

    def _panel_name(self, panel_id: int) -> str:
        # A slot left with another day's panel (a booking moved) is named so the solver's
        # check reports it as unknown rather than failing here.
        return next((p.name for p in self.panels if p.pk == panel_id), f"#{panel_id}")

    def appointments(self, slots: list[ExamSlot]) -> list[solver.Appointment]:
        """Stored slots as the solver's appointments (candidates with both exams placed)."""
        day = self.day
        by_booking: dict[int, dict[str, solver.Slot]] = {}
        references = {b.pk: b.dossier.reference for b in self.bookings}
        for slot in slots:
            if slot.booking_id not in references:
                continue
            by_booking.setdefault(slot.booking_id, {})[slot.exam_code] = solver.Slot(
                candidate=references[slot.booking_id],
                exam=solver.Exam(slot.exam_code),
                assessor=self._panel_name(slot.panel_id),
                start=minute_of(day, slot.starts_at),
                end=minute_of(day, slot.ends_at),
            )
        return [
            solver.Appointment(
                candidate=pair["interview"].candidate,
                interview=pair["interview"],
                english=pair["english"],
            )
            for pair in by_booking.values()
            if {"interview", "english"} <= set(pair)
        ]


def day_data(day: ExamDay) -> DayData:
    """The day's bookings, panels, approved extra time, slots and the campaign's timetable
    parameters (R6.2, R10.4)."""
    params = day.campaign.params()
    interview, english = solver.exam_minutes(params.exams)
    return DayData(
        day=day,
        panels=tuple(ExamPanel.objects.filter(day=day).select_related("day").order_by("pk")),
        bookings=tuple(
            Booking.objects.filter(day=day).select_related("dossier__candidate").order_by("pk")
        ),
        extra=approved_extra_minutes(day),
        slots=tuple(ExamSlot.objects.filter(booking__day=day).order_by("pk")),
        interview_minutes=interview,
        english_minutes=english,
        gap_minutes=params.exam_day.gap_minutes,
        step_minutes=params.exam_day.slot_step_minutes,
    )


# --- The timetable as pages show it --------------------------------------------------------------


def full_name(dossier: Dossier) -> str:
    return f"{dossier.first_name} {dossier.last_name}".strip() or dossier.reference


def day_slots(day: ExamDay) -> QuerySet[ExamSlot]:
    return (
        ExamSlot.objects.filter(booking__day=day)
        .select_related("booking__dossier__candidate", "panel", "adjusted_by")
        .order_by("starts_at", "panel__name")
    )


@dataclass
class PanelRow:
    panel: ExamPanel
    slots: list[ExamSlot] = field(default_factory=list)
    idle_minutes: int = 0


@dataclass
class CandidateRow:
    dossier: Dossier
    slots: list[ExamSlot] = field(default_factory=list)
    accommodation: str = ""
    convoked: bool = False  # a convocation with these very times was owed
    convoked_before: bool = False  # one was, with other times


def idle_by_panel(data: DayData, slots: list[ExamSlot]) -> dict[str, int]:
    """Each panel's idle minutes between its first and last candidate, breaks not counted
    (rules.timetable.workload); empty when the day's hours make no sense to the solver."""
    try:
        loads = solver.workload(data.solver_day(), data.appointments(slots))
    except RulesError:
        return {}
    return {load.assessor: load.idle for load in loads}


def slot_signature(slots: list[ExamSlot]) -> str:
    """A short digest of a candidate's times and panels: a convocation's key carries it, so
    sending the convocations again sends only to candidates whose times changed."""
    text = "|".join(
        f"{s.exam_code}:{s.panel_id}:{s.starts_at.isoformat()}:{s.ends_at.isoformat()}"
        for s in sorted(slots, key=lambda s: s.exam_code)
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def convocation_key(dossier_id: int, signature: str) -> str:
    return f"convocation:{dossier_id}:{signature}"


def convocation_keys(dossier_ids: list[int]) -> set[str]:
    return set(
        OutboundEmail.objects.filter(
            kind=OutboundEmail.Kind.CONVOCATION, dossier_id__in=dossier_ids
        ).values_list("key", flat=True)
    )


@dataclass
class Timetable:
    day: ExamDay
    by_panel: list[PanelRow]
    by_candidate: list[CandidateRow]
    unplaced: list[Booking]  # booked but without every slot (built before they booked)

    @property
    def convoked(self) -> int:
        return sum(1 for row in self.by_candidate if row.convoked)


def timetable_of(day: ExamDay) -> Timetable:
    slots = list(day_slots(day))
    panels = {panel.pk: PanelRow(panel) for panel in ExamPanel.objects.filter(day=day)}
    candidates: dict[int, CandidateRow] = {}
    for slot in slots:
        panels.setdefault(slot.panel_id, PanelRow(slot.panel)).slots.append(slot)
        dossier = slot.booking.dossier
        candidates.setdefault(dossier.pk, CandidateRow(dossier)).slots.append(slot)
    idle = idle_by_panel(day_data(day), slots)
    for panel_row in panels.values():
        panel_row.idle_minutes = idle.get(panel_row.panel.name, 0)
    granted = dict(
        Accommodation.objects.filter(
            dossier_id__in=list(candidates), state=Accommodation.State.APPROVED
        ).values_list("dossier_id", "granted")
    )
    sent = convocation_keys(list(candidates))
    for dossier_id, row in candidates.items():
        row.accommodation = granted.get(dossier_id, "")
        row.convoked = convocation_key(dossier_id, slot_signature(row.slots)) in sent
        row.convoked_before = not row.convoked and any(
            key.startswith(f"convocation:{dossier_id}:") for key in sent
        )
    exams = len({panel.panel.exam_code for panel in panels.values()})
    unplaced = [
        booking
        for booking in Booking.objects.filter(day=day).select_related("dossier")
        if len(candidates.get(booking.dossier_id, CandidateRow(booking.dossier)).slots) < exams
    ]
    return Timetable(
        day=day,
        by_panel=sorted(panels.values(), key=lambda r: (r.panel.exam_code, r.panel.name)),
        by_candidate=sorted(
            candidates.values(), key=lambda r: (min(s.starts_at for s in r.slots), r.dossier.pk)
        ),
        unplaced=unplaced,
    )


# --- A jury's own list (R6.2, R6.3) -------------------------------------------------------------


@dataclass(frozen=True)
class JuryLine:
    """One candidate on a jury member's list: the slot, who, and the approved accommodation."""

    slot: ExamSlot
    name: str
    reference: str
    accommodation: str


def panel_slots_for(user: User, day: ExamDay) -> list[JuryLine]:
    """The slots of the panels ``user`` sits on that day, in timetable order, with each
    candidate's approved accommodation (R10.4). Never another panel's candidates."""
    slots = list(
        ExamSlot.objects.filter(booking__day=day, panel__in=panels_of_member(user))
        .select_related("booking__dossier", "panel")
        .order_by("starts_at", "panel__name")
    )
    granted = dict(
        Accommodation.objects.filter(
            dossier_id__in=[s.booking.dossier_id for s in slots],
            state=Accommodation.State.APPROVED,
        ).values_list("dossier_id", "granted")
    )
    return [
        JuryLine(
            slot=slot,
            name=full_name(slot.booking.dossier),
            reference=slot.booking.dossier.reference,
            accommodation=granted.get(slot.booking.dossier_id, ""),
        )
        for slot in slots
    ]


# --- The candidate's convocation ----------------------------------------------------------------


def candidate_slots(dossier: Dossier) -> list[ExamSlot]:
    return list(
        ExamSlot.objects.filter(booking__dossier=dossier)
        .select_related("panel", "booking__day__campaign")
        .order_by("starts_at")
    )


def convoked_slots(dossier: Dossier) -> list[ExamSlot]:
    """The candidate's slots once a convocation was owed to them; [] before (the timetable may
    still change while staff work on it)."""
    if not OutboundEmail.objects.filter(
        kind=OutboundEmail.Kind.CONVOCATION, dossier=dossier
    ).exists():
        return []
    return candidate_slots(dossier)


# --- Exports ------------------------------------------------------------------------------------

EXPORT_HEADERS = (
    "Journée",
    "Épreuve",
    "Jury ou examinateur",
    "Début",
    "Fin",
    "Dossier",
    "Nom",
    "Prénom",
    "Aménagement accordé",
    "Ajusté à la main",
)


def export_rows(days: QuerySet[ExamDay]) -> Iterator[tuple[object, ...]]:
    """One row per slot of the days, in date and time order (R6 exports)."""
    slots = (
        ExamSlot.objects.filter(booking__day__in=days)
        .select_related("booking__day", "booking__dossier__exam_accommodation", "panel")
        .order_by("booking__day__date", "starts_at", "panel__name")
    )
    for slot in slots.iterator(chunk_size=500):
        dossier = slot.booking.dossier
        accommodation = getattr(dossier, "exam_accommodation", None)
        granted = (
            accommodation.granted
            if accommodation is not None and accommodation.state == Accommodation.State.APPROVED
            else ""
        )
        yield (
            slot.booking.day.date,
            slot.exam_code,
            slot.panel.name,
            slot.starts_at,
            slot.ends_at,
            dossier.reference,
            dossier.last_name,
            dossier.first_name,
            granted,
            "oui" if slot.adjusted_by_id else "non",
        )
