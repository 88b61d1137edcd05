"""Windows, publications and the campaign's phase at any instant (R1.2, R1.5, R1.6, R5.2, R6.4, R7.2).

Windows are half-open: open from ``opens_at`` included to ``closes_at`` excluded, so "until
9 March 2021 (midnight)" is open at 23:59:59 and closed at 10 March 00:00:00 (R1.2).
Every function takes ``now``; none reads the clock (R1.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal

from . import clock
from .explain import Decision, Reason, RulesError
from .language import in_language, is_english
from .params import Campaign, CampaignCalendar, Extension, Window

WindowName = Literal["applications", "exam_booking", "exams"]
WINDOW_NAMES: tuple[str, ...] = ("applications", "exam_booking", "exams")

Publication = Literal["admissibility_results", "academic_results"]
PUBLICATIONS: tuple[str, ...] = ("admissibility_results", "academic_results")

# Plain-language names of the windows and publications, with the French agreement of their
# adjectives (m, f, mp, fp): "Épreuves probatoires : closes", "Dépôt des candidatures : clos".
_LABELS: dict[str, tuple[str, str, str]] = {
    "sign_up": ("Création de compte", "Account creation", "f"),
    "applications": ("Dépôt des candidatures", "Applications", "m"),
    "admissibility_results": ("Résultats d'admissibilité", "Admissibility results", "mp"),
    "exam_booking": ("Choix du jour d'épreuves", "Exam day booking", "m"),
    "exams": ("Épreuves probatoires", "Admission exams", "fp"),
    "academic_results": ("Résultats d'admission académique", "Academic admission results", "mp"),
    "final_list": ("Liste définitive des admis", "Final admission list", "f"),
}


def _agree(adjective: str, agreement: str) -> str:
    """French agreement of the few adjectives used here ("clos" is its own plural)."""
    if adjective == "clos":
        return {"m": "clos", "f": "close", "mp": "clos", "fp": "closes"}[agreement]
    return adjective + {"m": "", "f": "e", "mp": "s", "fp": "es"}[agreement]


def is_open(window: Window, now: datetime) -> bool:
    """True from ``opens_at`` included to ``closes_at`` excluded (R1.2)."""
    instant = clock.utc(now)
    return clock.utc(window.opens_at) <= instant < clock.utc(window.closes_at)


def base_window(campaign: Campaign, name: str) -> Window:
    """The window ``name`` as the campaign file sets it, before any extension."""
    if name not in WINDOW_NAMES:
        raise RulesError(
            Reason(
                "deadlines.unknown_window",
                f"Fenêtre inconnue : « {name} » (attendu : {', '.join(WINDOW_NAMES)}).",
                f"Unknown window: '{name}' (expected one of {', '.join(WINDOW_NAMES)}).",
                {"window": name},
            )
        )
    window: Window = getattr(campaign.calendar, name)
    return window


def applicable_extensions(
    campaign: Campaign, name: str, candidate: str | None = None
) -> tuple[Extension, ...]:
    """The extensions of ``name`` that apply: those for everyone, plus the candidate's own (R1.6)."""
    base_window(campaign, name)  # validates the name
    return tuple(
        extension
        for extension in campaign.extensions
        if extension.window == name
        and (
            extension.candidate is None
            or (candidate is not None and extension.candidate == candidate)
        )
    )


def effective_window(campaign: Campaign, name: str, candidate: str | None = None) -> Window:
    """The window ``name`` after the extensions of R1.6.

    The latest applicable ``closes_at`` wins and an extension never shortens a window: an
    extension recorded with an earlier instant (a typo, or one superseded) changes nothing.
    Without ``candidate`` only the extensions for everyone apply.
    """
    window = base_window(campaign, name)
    closes_at = window.closes_at
    for extension in applicable_extensions(campaign, name, candidate):
        if clock.utc(extension.closes_at) > clock.utc(closes_at):
            closes_at = extension.closes_at
    return Window(opens_at=window.opens_at, closes_at=closes_at)


def window_decision(
    campaign: Campaign, name: str, now: datetime, candidate: str | None = None
) -> Decision:
    """Whether window ``name`` is open at ``now`` for ``candidate``, saying why not (R1.6)."""
    window = effective_window(campaign, name, candidate)
    tz = campaign.calendar.time_zone
    label_fr, label_en, agreement = _LABELS[name]
    if clock.utc(now) < clock.utc(window.opens_at):
        return Decision.refuse(
            Reason(
                f"{name}.not_yet_open",
                f"{label_fr} : ouverture le {clock.format_instant(window.opens_at, tz, 'fr')}"
                f" ({tz}).",
                f"{label_en}: opens on {clock.format_instant(window.opens_at, tz, 'en')} ({tz}).",
                {"opens_at": window.opens_at},
            )
        )
    if not is_open(window, now):
        return Decision.refuse(
            Reason(
                f"{name}.closed",
                f"{label_fr} : {_agree('clos', agreement)} depuis le "
                f"{clock.format_deadline(window.closes_at, tz, 'fr')}"
                f" ({tz}).",
                f"{label_en}: closed since {clock.format_deadline(window.closes_at, tz, 'en')}"
                f" ({tz}).",
                {"closes_at": window.closes_at},
            )
        )
    notes = [
        Reason(
            f"{name}.extended",
            f"{label_fr} : {_agree('prolongé', agreement)} jusqu'au {clock.format_deadline(extension.closes_at, tz, 'fr')}"
            f" ({extension.reason}).",
            f"{label_en}: extended until {clock.format_deadline(extension.closes_at, tz, 'en')}"
            f" ({extension.reason}).",
            {"closes_at": extension.closes_at, "for_candidate": extension.candidate is not None},
        )
        for extension in applicable_extensions(campaign, name, candidate)
        if clock.utc(extension.closes_at) == clock.utc(window.closes_at)
        and clock.utc(extension.closes_at) > clock.utc(base_window(campaign, name).closes_at)
    ]
    return Decision.allow(*notes[:1])


def can_submit(campaign: Campaign, now: datetime, candidate: str | None = None) -> Decision:
    """Submission is possible only inside the applications window, extensions included (R3.7, R1.6)."""
    return window_decision(campaign, "applications", now, candidate)


def sign_up_window(campaign: Campaign) -> Window:
    """Account creation closes with applications (R2.1), extended only by extensions for everyone:
    an extension for one candidate, who already has an account, reopens nothing for others."""
    return effective_window(campaign, "applications", candidate=None)


def can_sign_up(campaign: Campaign, now: datetime) -> Decision:
    """Whether a new account may be created at ``now`` (R2.1; "aucune inscription après le 9 mars")."""
    window = sign_up_window(campaign)
    if is_open(window, now):
        return Decision.allow()
    tz = campaign.calendar.time_zone
    if clock.utc(now) < clock.utc(window.opens_at):
        return Decision.refuse(
            Reason(
                "sign_up.not_yet_open",
                f"La création de compte ouvre le {clock.format_instant(window.opens_at, tz, 'fr')}.",
                f"Account creation opens on {clock.format_instant(window.opens_at, tz, 'en')}.",
                {"opens_at": window.opens_at},
            )
        )
    return Decision.refuse(
        Reason(
            "sign_up.closed",
            "La création de compte est close depuis le "
            f"{clock.format_deadline(window.closes_at, tz, 'fr')}, avec le dépôt des candidatures.",
            "Account creation closed at "
            f"{clock.format_deadline(window.closes_at, tz, 'en')}, with applications.",
            {"closes_at": window.closes_at},
        )
    )


def can_book_exam_day(campaign: Campaign, now: datetime, candidate: str | None = None) -> Decision:
    """Whether an admissible candidate may choose an exam day at ``now`` (R6.1)."""
    return window_decision(campaign, "exam_booking", now, candidate)


def publication_instant(campaign: Campaign, which: str) -> datetime:
    calendar: CampaignCalendar = campaign.calendar
    if which == "admissibility_results":
        return calendar.admissibility_results_at
    if which == "academic_results":
        return calendar.academic_results_at
    raise RulesError(
        Reason(
            "deadlines.unknown_publication",
            f"Publication inconnue : « {which} » (attendu : {', '.join(PUBLICATIONS)}).",
            f"Unknown publication: '{which}' (expected one of {', '.join(PUBLICATIONS)}).",
            {"publication": which},
        )
    )


def is_published(campaign: Campaign, which: str, now: datetime) -> bool:
    """Results are visible from their instant included, never before (R5.2, R6.4)."""
    return clock.utc(now) >= clock.utc(publication_instant(campaign, which))


def is_final_list_frozen(campaign: Campaign, now: datetime) -> bool:
    """Nobody is admitted from ``final_list_frozen_at`` included (R7.2)."""
    return clock.utc(now) >= clock.utc(campaign.calendar.final_list_frozen_at)


class Phase(StrEnum):
    BEFORE_APPLICATIONS = "before_applications"
    APPLICATIONS = "applications"
    ADMISSIBILITY_REVIEW = "admissibility_review"  # administrative check, then the committee
    EXAM_BOOKING = "exam_booking"
    EXAMS = "exams"
    ACADEMIC_DELIBERATION = "academic_deliberation"
    COMPANY_SEARCH = "company_search"
    FINAL_LIST_FROZEN = "final_list_frozen"
    TRAINING_STARTED = "training_started"


PHASE_LABELS: dict[Phase, tuple[str, str]] = {
    Phase.BEFORE_APPLICATIONS: ("Avant l'ouverture des candidatures", "Before applications open"),
    Phase.APPLICATIONS: ("Dépôt des candidatures", "Applications open"),
    Phase.ADMISSIBILITY_REVIEW: (
        "Instruction administrative et examen des dossiers (admissibilité)",
        "Administrative check and dossier review (admissibility)",
    ),
    Phase.EXAM_BOOKING: ("Choix du jour d'épreuves", "Exam day booking"),
    Phase.EXAMS: ("Épreuves probatoires", "Admission exams"),
    Phase.ACADEMIC_DELIBERATION: (
        "Délibération de la commission d'admission académique",
        "Academic admission committee deliberating",
    ),
    Phase.COMPANY_SEARCH: (
        "Recherche d'entreprise et admissions définitives",
        "Company search and final admissions",
    ),
    Phase.FINAL_LIST_FROZEN: ("Liste définitive arrêtée", "Final list frozen"),
    Phase.TRAINING_STARTED: ("Formation commencée", "Training started"),
}


class EntryState(StrEnum):
    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    CLOSED = "closed"
    NOT_YET_PUBLISHED = "not_yet_published"
    PUBLISHED = "published"
    NOT_YET_FROZEN = "not_yet_frozen"
    FROZEN = "frozen"


_STATE_WORDS: dict[EntryState, tuple[str, str]] = {
    EntryState.NOT_YET_OPEN: ("pas encore {ouvert}, ouverture le", "not yet open, opens on"),
    EntryState.OPEN: ("{ouvert} jusqu'au", "open until"),
    EntryState.CLOSED: ("{clos} depuis le", "closed since"),
    EntryState.NOT_YET_PUBLISHED: (
        "pas encore {publié}, publication le",
        "not yet published, due on",
    ),
    EntryState.PUBLISHED: ("{publié} depuis le", "published since"),
    EntryState.NOT_YET_FROZEN: ("pas encore {arrêté}, arrêt le", "not yet frozen, frozen at"),
    EntryState.FROZEN: ("{arrêté} depuis le", "frozen since"),
}


@dataclass(frozen=True)
class PhaseEntry:
    """What one window or publication is at the report's instant, and the instant that matters:
    the opening if not yet open, else the close; the publication or freeze instant."""

    name: str  # "sign_up", "applications", "admissibility_results", ...
    state: EntryState
    instant: datetime
    label_fr: str
    label_en: str
    time_zone: str
    agreement: str = "m"  # French agreement of the state's adjective

    def state_text(self, language: str = "fr") -> str:
        """The state in words ("open until", "clos depuis le"), agreed with the label in French."""
        if is_english(language):
            return _STATE_WORDS[self.state][1]
        template = _STATE_WORDS[self.state][0]
        return template.format(
            **{
                word: _agree(word, self.agreement)
                for word in ("ouvert", "clos", "publié", "arrêté")
            }
        )

    def text(self, language: str = "fr") -> str:
        english = is_english(language)
        label = in_language(language, self.label_fr, self.label_en)
        words = self.state_text(language)
        closing = self.state in (
            EntryState.OPEN,
            EntryState.CLOSED,
            EntryState.NOT_YET_FROZEN,
            EntryState.FROZEN,
        )
        when = (
            clock.format_deadline(self.instant, self.time_zone, language)
            if closing
            else clock.format_instant(self.instant, self.time_zone, language)
        )
        return f"{label}: {words} {when}" if english else f"{label} : {words} {when}"


@dataclass(frozen=True)
class PhaseReport:
    """The campaign at one instant (R1.5): the phase and the state of every window (R10.1)."""

    at: datetime  # the instant asked about, in the campaign's zone
    phase: Phase
    entries: tuple[PhaseEntry, ...]

    @property
    def label_fr(self) -> str:
        return PHASE_LABELS[self.phase][0]

    @property
    def label_en(self) -> str:
        return PHASE_LABELS[self.phase][1]

    def entry(self, name: str) -> PhaseEntry:
        for entry in self.entries:
            if entry.name == name:
                return entry
        raise KeyError(name)

    def text(self, language: str = "fr") -> str:
        tz = self.entries[0].time_zone if self.entries else "UTC"
        english = is_english(language)
        head = (
            f"At {self.at.isoformat()} ({tz}): {self.label_en}"
            if english
            else f"Au {self.at.isoformat()} ({tz}) : {self.label_fr}"
        )
        return "\n".join([head, *(f"- {entry.text(language)}" for entry in self.entries)])


def campaign_phase(campaign: Campaign, now: datetime) -> PhaseReport:
    """The phase at ``now`` and what is open or published, for staff and ``campaign_status`` (R1.5).

    Extensions for everyone count; an extension for one candidate does not move the campaign.
    The phases follow the calendar's milestones in order: each starts at its milestone and lasts
    until the next one.
    """
    calendar = campaign.calendar
    tz = calendar.time_zone
    instant = clock.utc(now)
    applications = effective_window(campaign, "applications")
    exam_booking = effective_window(campaign, "exam_booking")
    exams = effective_window(campaign, "exams")
    training_starts_at = clock.start_of_day(calendar.training_starts_on, tz)

    milestones: tuple[tuple[datetime, Phase], ...] = (
        (applications.opens_at, Phase.APPLICATIONS),
        (applications.closes_at, Phase.ADMISSIBILITY_REVIEW),
        (calendar.admissibility_results_at, Phase.EXAM_BOOKING),
        (exams.opens_at, Phase.EXAMS),
        (exams.closes_at, Phase.ACADEMIC_DELIBERATION),
        (calendar.academic_results_at, Phase.COMPANY_SEARCH),
        (calendar.final_list_frozen_at, Phase.FINAL_LIST_FROZEN),
        (training_starts_at, Phase.TRAINING_STARTED),
    )
    phase = Phase.BEFORE_APPLICATIONS
    for starts_at, milestone_phase in milestones:
        if instant >= clock.utc(starts_at):
            phase = milestone_phase

    entries = (
        _window_entry("sign_up", sign_up_window(campaign), now, tz),
        _window_entry("applications", applications, now, tz),
        _publication_entry("admissibility_results", calendar.admissibility_results_at, now, tz),
        _window_entry("exam_booking", exam_booking, now, tz),
        _window_entry("exams", exams, now, tz),
        _publication_entry("academic_results", calendar.academic_results_at, now, tz),
        _freeze_entry(calendar.final_list_frozen_at, now, tz),
    )
    return PhaseReport(at=clock.local(now, tz), phase=phase, entries=entries)


def calendar_problems(calendar: CampaignCalendar) -> tuple[Reason, ...]:
    """Order checks for the campaign loader (R1.1): naive instants and milestones out of order."""
    problems: list[Reason] = []
    named = {
        "applications.opens_at": calendar.applications.opens_at,
        "applications.closes_at": calendar.applications.closes_at,
        "admissibility_results_at": calendar.admissibility_results_at,
        "exam_booking.opens_at": calendar.exam_booking.opens_at,
        "exam_booking.closes_at": calendar.exam_booking.closes_at,
        "exams.opens_at": calendar.exams.opens_at,
        "exams.closes_at": calendar.exams.closes_at,
        "academic_results_at": calendar.academic_results_at,
        "final_list_frozen_at": calendar.final_list_frozen_at,
    }
    for field_name, value in named.items():
        if value.tzinfo is None or value.utcoffset() is None:
            problems.append(
                Reason(
                    "calendar.naive_instant",
                    f"{field_name} : l'instant doit porter un fuseau horaire.",
                    f"{field_name}: the instant must carry a time zone.",
                    {"field": field_name},
                )
            )
    if problems:
        return tuple(problems)
    ordered = (
        ("applications.opens_at", "applications.closes_at"),
        ("applications.closes_at", "admissibility_results_at"),
        ("exam_booking.opens_at", "exam_booking.closes_at"),
        ("admissibility_results_at", "exam_booking.opens_at"),
        ("exams.opens_at", "exams.closes_at"),
        ("exam_booking.closes_at", "exams.closes_at"),
        ("exams.closes_at", "academic_results_at"),
        ("academic_results_at", "final_list_frozen_at"),
    )
    for earlier, later in ordered:
        if clock.utc(named[earlier]) > clock.utc(named[later]):
            problems.append(
                Reason(
                    "calendar.out_of_order",
                    f"{earlier} doit précéder {later}.",
                    f"{earlier} must not come after {later}.",
                    {"earlier": earlier, "later": later},
                )
            )
    if calendar.earliest_contract_start > calendar.training_starts_on:
        problems.append(
            Reason(
                "calendar.contract_start_after_training",
                "earliest_contract_start doit précéder training_starts_on.",
                "earliest_contract_start must not come after training_starts_on.",
                {"field": "earliest_contract_start"},
            )
        )
    return tuple(problems)


def _window_entry(name: str, window: Window, now: datetime, tz: str) -> PhaseEntry:
    instant = clock.utc(now)
    if instant < clock.utc(window.opens_at):
        state, when = EntryState.NOT_YET_OPEN, window.opens_at
    elif is_open(window, now):
        state, when = EntryState.OPEN, window.closes_at
    else:
        state, when = EntryState.CLOSED, window.closes_at
    label_fr, label_en, agreement = _LABELS[name]
    return PhaseEntry(name, state, clock.local(when, tz), label_fr, label_en, tz, agreement)


def _publication_entry(name: str, published_at: datetime, now: datetime, tz: str) -> PhaseEntry:
    published = clock.utc(now) >= clock.utc(published_at)
    state = EntryState.PUBLISHED if published else EntryState.NOT_YET_PUBLISHED
    label_fr, label_en, agreement = _LABELS[name]
    return PhaseEntry(name, state, clock.local(published_at, tz), label_fr, label_en, tz, agreement)


def _freeze_entry(frozen_at: datetime, now: datetime, tz: str) -> PhaseEntry:
    frozen = clock.utc(now) >= clock.utc(frozen_at)
    state = EntryState.FROZEN if frozen else EntryState.NOT_YET_FROZEN
    label_fr, label_en, agreement = _LABELS["final_list"]
    return PhaseEntry(
        "final_list", state, clock.local(frozen_at, tz), label_fr, label_en, tz, agreement
    )
