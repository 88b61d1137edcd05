"""The campaign's parameters as plain, immutable values (R1).

This module is the contract between the campaign file (validated and loaded by
``admissions.campaigns``) and the pure rules of this package. Nothing here imports Django:
the rules take these values and the instant as arguments, so tests and simulations can run a
campaign at any date (R1.5).

All instants are timezone-aware datetimes. Windows are half-open: ``opens_at <= now < closes_at``;
"until 9 March midnight" is stored as ``closes_at = 2021-03-10T00:00:00+01:00``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class StatusSought(StrEnum):
    """The three ways into the alternance track (R3.1)."""

    APPRENTICESHIP = "apprentissage"
    CONTINUING_EDUCATION = "formation_continue"
    PROFESSIONALISATION = "contrat_professionnalisation"


class DiplomaType(StrEnum):
    BTS = "BTS"
    DUT = "DUT"
    L2 = "L2"
    L3 = "L3"
    ATS = "ATS"  # a preparatory class after a BTS or DUT, not a diploma by itself
    BAC = "BAC"
    FOREIGN = "FOREIGN"
    OTHER = "OTHER"


class PeriodKind(StrEnum):
    """A week of the alternation calendar (R8.1)."""

    SCHOOL = "school"
    COMPANY = "company"
    DEFENCE = "defence"  # "Soutenances": no running number


@dataclass(frozen=True)
class Window:
    """A half-open interval of instants: open from ``opens_at`` (included) to ``closes_at`` (excluded)."""

    opens_at: datetime
    closes_at: datetime


@dataclass(frozen=True)
class Extension:
    """A window moved by staff (R1.6): for everyone when ``candidate`` is None, else for one candidate."""

    window: str  # name of the window in CampaignCalendar: "applications", "exam_booking", ...
    closes_at: datetime
    reason: str
    candidate: str | None = None  # an opaque identifier of the candidate (a dossier reference)


@dataclass(frozen=True)
class CampaignCalendar:
    """Every instant of the campaign (R1.2, R5.2, R6.4, R7.2), aware datetimes in the campaign's zone."""

    time_zone: str  # "Europe/Paris"
    applications: Window  # sign-up and submission (R1.2, R2.1, R3.7)
    admissibility_results_at: datetime  # publication of phase 1 results (R5.2); staff may move it
    exam_booking: Window  # candidates choose their exam day (R6.1)
    exams: Window  # exam days must fall in here (R6.1, R6.2)
    academic_results_at: datetime  # publication of the academic list (R6.4)
    final_list_frozen_at: datetime  # nobody admitted from this instant (R7.2)
    diploma_deadline: date  # required diploma held at the latest on this day (R3.2)
    training_starts_on: date  # first day of training (R1.2)
    earliest_contract_start: date  # a contract may start at most 3 months before training (R7.1)
    replacement_deadline: datetime | None = (
        None  # refused documents may be replaced until then (R4.1)
    )


@dataclass(frozen=True)
class FeeTariff:
    """The first formation costs ``first``; each further formation costs ``each_further`` (R3.6)."""

    first: Decimal
    each_further: Decimal


@dataclass(frozen=True)
class BankDetails:
    """The account candidates pay the fee into by transfer, quoting their dossier number (R3.6)."""

    payee: str
    iban: str  # without spaces, checked (mod 97) when the campaign file is read
    bic: str

    @property
    def iban_grouped(self) -> str:
        """The IBAN in groups of four, as banks print it."""
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))


@dataclass(frozen=True)
class Fees:
    standard: FeeTariff  # 77 + 22 per further formation in 2021
    scholarship: FeeTariff  # 22 + 11 per further formation in 2021
    currency: str = "EUR"
    bank: BankDetails | None = None  # how to pay by transfer; None when the file gives none


@dataclass(frozen=True)
class UploadRules:
    """What an uploaded file must be (R3.4)."""

    max_bytes: int  # 2 MiB = 2_097_152
    allowed_formats: tuple[str, ...]  # ("jpeg", "png", "pdf"), judged by content
    photo_formats: tuple[str, ...]  # ("jpeg", "png")
    photo_max_width: int  # 900
    photo_max_height: int  # 900
    max_image_pixels: int  # 50_000_000: beyond is refused as absurd


@dataclass(frozen=True)
class ExamSpec:
    """One oral exam of phase 2 (R6.2, R6.3)."""

    code: str  # "interview", "english"
    name_fr: str
    name_en: str
    duration_minutes: int
    max_grade: Decimal  # 20
    eliminating_at_or_below: Decimal  # 4: a grade <= 4 eliminates
    grade_step: Decimal = Decimal("0.01")  # grades are multiples of this step (R6.3)
    absence_eliminates: bool = True


@dataclass(frozen=True)
class ExamDayRules:
    """How an exam day's timetable is laid out (R6.2)."""

    gap_minutes: int = 15  # at least this long between a candidate's two exams
    slot_step_minutes: int = 5  # slots start on multiples of this from the day's start


@dataclass(frozen=True)
class AcademicListRules:
    """Weights of the academic list's ranking (R6.4): the dossier score scaled to 20, each exam."""

    dossier_weight: Decimal = Decimal(1)
    exam_weights: tuple[tuple[str, Decimal], ...] = ()  # (exam code, weight); absent: weight 1

    def weight_of(self, exam_code: str) -> Decimal:
        return dict(self.exam_weights).get(exam_code, Decimal(1))


@dataclass(frozen=True)
class Eligibility:
    """Who may apply (R3.2, R7.4)."""

    age_limit_years: int  # 30: the apprenticeship contract must be signed before the 30th birthday
    qualifying_diplomas: tuple[DiplomaType, ...]  # BTS, DUT, L2
    qualifying_follow_ons: tuple[DiplomaType, ...]  # ATS, L3 after a qualifying diploma
    continuing_min_experience_years: int  # 3 years as a higher technician
    jdc_nationality: str  # "FR": the JDC/JAPD certificate concerns French nationals...
    jdc_age_limit_years: int  # ...under 26


@dataclass(frozen=True)
class SeatGroup:
    """Seats shared by some statuses (R1.4): 45 apprenticeship; 5 continuing + professionalisation."""

    code: str
    statuses: tuple[StatusSought, ...]
    seats: int


@dataclass(frozen=True)
class AlternationBlock:
    """Consecutive ISO weeks of one kind, inclusive at both ends, e.g. 2021-W40 to 2021-W44."""

    kind: PeriodKind
    first_week: tuple[int, int]  # (ISO year, ISO week)
    last_week: tuple[int, int]


@dataclass(frozen=True)
class AlternationYear:
    """One year of study (1, 2 or 3) in one academic year, e.g. 2021-2022 (R8.1)."""

    academic_year: str  # "2021-2022"
    year_of_study: int  # 1, 2, 3
    first_week: tuple[int, int]  # the table's first row, e.g. (2021, 40)
    last_week: tuple[int, int]  # the table's last row, e.g. (2022, 39)
    blocks: tuple[AlternationBlock, ...]


@dataclass(frozen=True)
class AlternationHours:
    """The hours check of R8.1."""

    hours_per_week: int  # 35
    paid_leave_weeks: int  # 5, taken in company weeks
    school_hours_target: int  # 600 (420 common + 180 option)
    company_hours_target: int  # 1000
    tolerance_percent: int  # "about": accepted deviation


@dataclass(frozen=True)
class CommitteeRules:
    """How the admissibility committee scores a dossier (R5.1): from 0 to ``score_max``."""

    score_max: Decimal = Decimal(20)


@dataclass(frozen=True)
class Retention:
    """How long the campaign's personal data are kept (R9.3)."""

    personal_data_until: date  # kept until this local date (inclusive), purged after it


@dataclass(frozen=True)
class Campaign:
    """Everything the rules need to know about one campaign."""

    code: str  # "imt-mines-albi-2021"
    calendar: CampaignCalendar
    fees: Fees
    uploads: UploadRules
    exams: tuple[ExamSpec, ...]
    eligibility: Eligibility
    seat_groups: tuple[SeatGroup, ...]
    eea_countries: tuple[str, ...]  # ISO 3166-1 alpha-2; with ``visa_exempt_countries`` no visa
    visa_exempt_countries: tuple[str, ...]  # ("CH",)
    alternation_years: tuple[AlternationYear, ...] = ()
    alternation_hours: AlternationHours | None = None
    extensions: tuple[Extension, ...] = field(default=())
    committee: CommitteeRules = field(default=CommitteeRules())
    exam_day: ExamDayRules = field(default=ExamDayRules())
    academic_list: AcademicListRules = field(default=AcademicListRules())
    retention: Retention | None = None  # None: the file sets no retention, no purge allowed
