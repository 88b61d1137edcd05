"""The campaign file (R1.1): a TOML document, validated on load, turned into ``rules.params``.

A campaign file holds everything a campaign needs (school, programmes and options, calendar,
seats, fees, upload rules, exams, eligibility, countries, alternation calendar, texts,
extensions). ``load_campaign_file`` reads and validates it in two passes:

1. the shape, by the pydantic models below (types, required fields, unknown fields, ranges);
2. the relations between fields (an option whose programme does not exist, a window closing
   before it opens, overlapping alternation blocks, a local time that a DST change skips...).

Every problem becomes one line "field.path: problem" of ``CampaignFileError``, so the person
editing the file sees all mistakes at once. Instants are written as local date-times without
an offset, read in ``campaign.time_zone``; ``to_params`` makes them aware through zoneinfo.

No Django import here: the management commands, the services and the tests share this module.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)

from admissions.rules import params

FORMAT_VERSION = 1
WINDOW_NAMES = ("applications", "exam_booking", "exams")
FILE_FORMATS = ("jpeg", "png", "pdf")


class CampaignFileError(ValueError):
    """A campaign file that cannot be used; ``problems`` holds one "field.path: problem" each."""

    def __init__(self, problems: Iterable[str]):
        self.problems: tuple[str, ...] = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the campaign file:"
        super().__init__("\n".join([head, *(f"- {p}" for p in self.problems)]))


# --- Field types ------------------------------------------------------------------------------


def _code(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", value):
        raise ValueError(
            f"{value!r} is not a valid code: use letters, digits, '-', '_' or '.', "
            "at most 64 characters, starting with a letter or digit"
        )
    return value


def _slug(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", value):
        raise ValueError(
            f"{value!r} is not a valid code: use lower-case letters, digits and '-', "
            "e.g. imt-mines-albi-2021"
        )
    return value


def _email(value: str) -> str:
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise ValueError(f"{value!r} is not an email address")
    return value


def _country(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{2}", value):
        raise ValueError(
            f"{value!r} is not an ISO 3166-1 alpha-2 country code (two capital letters, e.g. FR)"
        )
    return value


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{value!r} is not a known time zone; use an IANA name such as Europe/Paris"
        ) from None
    return value


def _local_datetime(value: datetime) -> datetime:
    if value.tzinfo is not None:
        raise ValueError(
            "write a local date-time without an offset, e.g. 2021-03-10T00:00:00; "
            "it is read in campaign.time_zone"
        )
    return value


def parse_week(text: str) -> tuple[int, int]:
    """``"2021-W40"`` -> ``(2021, 40)``; raises ValueError in plain words."""
    match = re.fullmatch(r"(\d{4})-W(\d{2})", text.strip().upper())
    if not match:
        raise ValueError(f"{text!r} is not an ISO week; write it like 2021-W40")
    year, week = int(match[1]), int(match[2])
    weeks_in_year = date(year, 12, 28).isocalendar().week
    if not 1 <= week <= weeks_in_year:
        raise ValueError(f"{text!r} does not exist: {year} has ISO weeks W01 to W{weeks_in_year}")
    return year, week


def format_week(week: tuple[int, int]) -> str:
    return f"{week[0]}-W{week[1]:02d}"


def _week(value: str) -> str:
    return format_week(parse_week(value))


def _money_input(value: Any) -> Any:
    # TOML gives 77 (int) or 77.5 (float); str() keeps the decimal digits as written.
    if isinstance(value, float | int) and not isinstance(value, bool):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{value!r} is not an amount; write it like 77 or 77.50") from None
    return value


def _money(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError(f"{value} is not an amount")
    if value < 0:
        raise ValueError(f"an amount cannot be negative (got {value})")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"{value} has more than 2 decimal places; amounts are in cents at most")
    return value.quantize(Decimal("0.01"))


def _iban(value: str) -> str:
    """An IBAN as banks print it (spaces allowed), checked by its mod-97 key; kept without spaces."""
    compact = "".join(value.split()).upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", compact):
        raise ValueError(
            f"{value!r} is not an IBAN; write it like FR76 3000 6000 0112 3456 7890 189"
        )
    digits = "".join(str(int(character, 36)) for character in compact[4:] + compact[:4])
    if int(digits) % 97 != 1:
        raise ValueError(
            f"{value!r} is not a valid IBAN: its check digits do not match (a typing error?)"
        )
    return compact


def _bic(value: str) -> str:
    compact = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?", compact):
        raise ValueError(
            f"{value!r} is not a BIC: 8 or 11 letters and digits, like BDFEFRPP or BDFEFRPPCCT"
        )
    return compact


def _grade(value: Decimal) -> Decimal:
    if not value.is_finite() or value < 0:
        raise ValueError(f"a grade cannot be negative (got {value})")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"{value} has more than 2 decimal places")
    return value.quantize(Decimal("0.01"))


Code = Annotated[str, AfterValidator(_code)]
Slug = Annotated[str, AfterValidator(_slug)]
Email = Annotated[str, AfterValidator(_email)]
Country = Annotated[str, AfterValidator(_country)]
TimeZoneName = Annotated[str, AfterValidator(_time_zone)]
LocalDateTime = Annotated[datetime, AfterValidator(_local_datetime)]
IsoWeek = Annotated[str, AfterValidator(_week)]
Money = Annotated[Decimal, BeforeValidator(_money_input), AfterValidator(_money)]
Grade = Annotated[Decimal, BeforeValidator(_money_input), AfterValidator(_grade)]
Iban = Annotated[str, AfterValidator(_iban)]
Bic = Annotated[str, AfterValidator(_bic)]
Text = Annotated[str, Field(min_length=1)]
Name = Annotated[str, Field(min_length=1, max_length=200)]  # the database columns' limits
LongName = Annotated[str, Field(min_length=1, max_length=300)]
FileFormat = Literal["jpeg", "png", "pdf"]
WindowName = Literal["applications", "exam_booking", "exams"]


class Section(BaseModel):
    """Every section refuses unknown fields: a misspelt key is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- Sections ---------------------------------------------------------------------------------


class SchoolContacts(Section):
    admissions_email: Email
    admissions_phones: tuple[Text, ...] = ()
    professionalisation_email: Email
    professionalisation_note: str = ""
    website: str = ""


class SchoolSection(Section):
    code: Slug
    name: Name
    short_name: Name
    address: str = ""
    contacts: SchoolContacts


class CentralService(Section):
    name: Text
    full_name: str = ""
    email: Email
    platform_name: str = ""
    platform_url: str = ""


class CampaignSection(Section):
    code: Slug
    name: LongName
    name_en: LongName
    session: int = Field(ge=2000, le=2100)
    time_zone: TimeZoneName


class ProgrammeSection(Section):
    code: Code
    name: LongName
    name_en: LongName
    url: Annotated[str, Field(max_length=200)] = ""


class SectorSection(Section):
    code: Code
    name: Name
    name_en: Name
    naf_divisions: tuple[Annotated[str, Field(pattern=r"^\d{2}$")], ...] = ()


class OptionSection(Section):
    code: Code
    programme: Code
    name: LongName
    name_en: LongName
    sectors: tuple[Code, ...] = ()


class WindowSection(Section):
    opens_at: LocalDateTime
    closes_at: LocalDateTime


class CalendarSection(Section):
    applications: WindowSection
    admissibility_results_at: LocalDateTime
    exam_booking: WindowSection
    exams: WindowSection
    academic_results_at: LocalDateTime
    final_list_frozen_at: LocalDateTime
    diploma_deadline: date
    training_starts_on: date
    earliest_contract_start: date
    replacement_deadline: LocalDateTime | None = None


class SeatGroupSection(Section):
    code: Code
    name: Name
    name_en: Name
    statuses: tuple[params.StatusSought, ...] = Field(min_length=1)
    seats: int = Field(ge=0)


class TariffSection(Section):
    first: Money
    each_further: Money


class BankSection(Section):
    """Where candidates send the fee by transfer (R3.6): shown on the fees page with the amount."""

    payee: Name
    iban: Iban
    bic: Bic
    # What the candidate writes as the transfer's reference: their dossier number (R8.4).
    reference: Literal["dossier"] = "dossier"


class FeesSection(Section):
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"
    refundable: bool
    standard: TariffSection
    scholarship: TariffSection
    scholarship_proof: str = ""
    bank: BankSection | None = None


class UploadsSection(Section):
    max_bytes: int = Field(gt=0)
    max_size_label: Text
    allowed_formats: tuple[FileFormat, ...] = Field(min_length=1)
    photo_formats: tuple[FileFormat, ...] = Field(min_length=1)
    photo_max_width: int = Field(gt=0)
    photo_max_height: int = Field(gt=0)
    max_image_pixels: int = Field(gt=0)


class ExamDaySection(Section):
    remote: bool
    all_exams_same_day: bool
    note: str = ""
    # The timetable (R6.2): at least this gap between a candidate's two exams; slots start on
    # multiples of slot_step_minutes from the day's start.
    gap_minutes: int = Field(default=15, ge=0, le=240)
    slot_step_minutes: int = Field(default=5, gt=0, le=60)


class ExamPhase(Section):
    name: Text
    name_en: Text


class ExamSection(Section):
    code: Code
    name: Name
    name_en: Name
    examiner: Literal["jury", "examiner"]
    description: str = ""
    description_en: str = ""
    duration_minutes: int = Field(gt=0, le=600)
    max_grade: Grade
    eliminating_at_or_below: Grade
    absence_eliminates: bool = True
    phases: tuple[ExamPhase, ...] = ()
    # Grades are entered in steps of grade_step (R6.3): 0.5 accepts 12.5, refuses 12.25.
    grade_step: Grade = Field(default=Decimal("0.25"), gt=0)


class EligibilitySection(Section):
    age_limit_years: int = Field(gt=0, le=100)
    qualifying_diplomas: tuple[params.DiplomaType, ...] = Field(min_length=1)
    qualifying_specialities: str = ""
    qualifying_follow_ons: tuple[params.DiplomaType, ...] = ()
    continuing_min_experience_years: int = Field(ge=0, le=50)
    continuing_requires_employer_agreement: bool = True
    jdc_nationality: Country
    jdc_age_limit_years: int = Field(gt=0, le=100)


class CountriesSection(Section):
    eea: tuple[Country, ...]
    visa_exempt: tuple[Country, ...] = ()


class BlockSection(Section):
    kind: params.PeriodKind
    first: IsoWeek
    last: IsoWeek


class AlternationYearSection(Section):
    year_of_study: int = Field(ge=1, le=5)
    blocks: tuple[BlockSection, ...]


class AlternationSection(Section):
    academic_year: Annotated[str, Field(pattern=r"^\d{4}-\d{4}$")]
    first_week: IsoWeek
    last_week: IsoWeek
    hours_per_week: int = Field(gt=0, le=60)
    paid_leave_weeks: int = Field(ge=0, le=52)
    school_hours_target: int = Field(ge=0)
    school_hours_common: int = Field(ge=0)
    school_hours_option: int = Field(ge=0)
    company_hours_target: int = Field(ge=0)
    tolerance_percent: int = Field(ge=0, le=100)
    years: tuple[AlternationYearSection, ...]


class CommitteeSection(Section):
    """The admissibility committee (R5.1): members score each dossier from 0 to ``score_max``."""

    score_max: Decimal = Field(default=Decimal(20), gt=0, le=1000, decimal_places=2)


class AcademicListSection(Section):
    """The ranking of the academic list (R6.4): a weighted mean of the committee's dossier score
    (scaled to 20) and each exam's grade; ``exam_weights`` maps an exam code to its weight."""

    dossier_weight: Decimal = Field(default=Decimal(1), ge=0, le=100, decimal_places=2)
    # Sorted by exam code: PostgreSQL's jsonb keeps keys in its own order, and the file exported
    # back (export_campaign) must not depend on where the document was read from.
    exam_weights: Annotated[
        dict[str, Annotated[Decimal, Field(ge=0, le=100, decimal_places=2)]],
        AfterValidator(lambda weights: dict(sorted(weights.items()))),
    ] = {}


class FaqEntry(Section):
    question: Text
    answer: Text
    question_en: str = ""
    answer_en: str = ""


class TextsSection(Section):
    notice_title: Text
    notice_title_en: str = ""
    programme_url: str = ""
    company_presentation_urls: tuple[str, ...] = ()
    # The notice itself, readable on the platform (R3.1): candidates acknowledge it.
    notice: str = ""
    faq: tuple[FaqEntry, ...] = ()


class RefusalReason(Section):
    """A reason staff pick when refusing a document (R4.1); the candidate reads it."""

    code: Code
    text: Text
    text_en: str = ""


class VerificationSection(Section):
    refusal_reasons: tuple[RefusalReason, ...] = ()


class ExtensionSection(Section):
    window: WindowName
    closes_at: LocalDateTime
    reason: Text
    candidate: Annotated[str, Field(min_length=1, max_length=64)] | None = None


class RetentionSection(Section):
    personal_data_until: date


class CampaignDocument(Section):
    """A whole campaign file. Build one with ``load_campaign_file`` (which also checks relations)."""

    format_version: Literal[1]
    extensions: tuple[ExtensionSection, ...] = ()
    school: SchoolSection
    central_service: CentralService
    campaign: CampaignSection
    programmes: tuple[ProgrammeSection, ...] = Field(min_length=1)
    sectors: tuple[SectorSection, ...] = ()
    options: tuple[OptionSection, ...] = ()
    calendar: CalendarSection
    seat_groups: tuple[SeatGroupSection, ...] = Field(min_length=1)
    fees: FeesSection
    uploads: UploadsSection
    exam_day: ExamDaySection
    exams: tuple[ExamSection, ...] = Field(min_length=1)
    eligibility: EligibilitySection
    countries: CountriesSection
    alternation: AlternationSection | None = None
    verification: VerificationSection = VerificationSection()
    committee: CommitteeSection = CommitteeSection()
    academic_list: AcademicListSection = AcademicListSection()
    retention: RetentionSection | None = None
    texts: TextsSection

    def aware(self, local: datetime) -> datetime:
        """A local date-time of this file as an aware instant in the campaign's zone."""
        return local.replace(tzinfo=ZoneInfo(self.campaign.time_zone))

    def to_params(self) -> params.Campaign:
        """The values the pure rules take (aware datetimes, Decimal money)."""
        cal = self.calendar

        def window(section: WindowSection) -> params.Window:
            return params.Window(self.aware(section.opens_at), self.aware(section.closes_at))

        calendar = params.CampaignCalendar(
            time_zone=self.campaign.time_zone,
            applications=window(cal.applications),
            admissibility_results_at=self.aware(cal.admissibility_results_at),
            exam_booking=window(cal.exam_booking),
            exams=window(cal.exams),
            academic_results_at=self.aware(cal.academic_results_at),
            final_list_frozen_at=self.aware(cal.final_list_frozen_at),
            diploma_deadline=cal.diploma_deadline,
            training_starts_on=cal.training_starts_on,
            earliest_contract_start=cal.earliest_contract_start,
            replacement_deadline=(
                self.aware(cal.replacement_deadline) if cal.replacement_deadline else None
            ),
        )
        alternation = self.alternation
        years: tuple[params.AlternationYear, ...] = ()
        hours = None
        if alternation is not None:
            years = tuple(
                params.AlternationYear(
                    academic_year=alternation.academic_year,
                    year_of_study=year.year_of_study,
                    first_week=parse_week(alternation.first_week),
                    last_week=parse_week(alternation.last_week),
                    blocks=tuple(
                        params.AlternationBlock(
                            kind=block.kind,
                            first_week=parse_week(block.first),
                            last_week=parse_week(block.last),
                        )
                        for block in year.blocks
                    ),
                )
                for year in alternation.years
            )
            hours = params.AlternationHours(
                hours_per_week=alternation.hours_per_week,
                paid_leave_weeks=alternation.paid_leave_weeks,
                school_hours_target=alternation.school_hours_target,
                company_hours_target=alternation.company_hours_target,
                tolerance_percent=alternation.tolerance_percent,
            )
        uploads = self.uploads
        eligibility = self.eligibility
        return params.Campaign(
            code=self.campaign.code,
            calendar=calendar,
            fees=params.Fees(
                standard=params.FeeTariff(
                    self.fees.standard.first, self.fees.standard.each_further
                ),
                scholarship=params.FeeTariff(
                    self.fees.scholarship.first, self.fees.scholarship.each_further
                ),
                currency=self.fees.currency,
                bank=(
                    params.BankDetails(
                        payee=self.fees.bank.payee, iban=self.fees.bank.iban, bic=self.fees.bank.bic
                    )
                    if self.fees.bank is not None
                    else None
                ),
            ),
            uploads=params.UploadRules(
                max_bytes=uploads.max_bytes,
                allowed_formats=tuple(uploads.allowed_formats),
                photo_formats=tuple(uploads.photo_formats),
                photo_max_width=uploads.photo_max_width,
                photo_max_height=uploads.photo_max_height,
                max_image_pixels=uploads.max_image_pixels,
            ),
            exams=tuple(
                params.ExamSpec(
                    code=exam.code,
                    name_fr=exam.name,
                    name_en=exam.name_en,
                    duration_minutes=exam.duration_minutes,
                    max_grade=exam.max_grade,
                    eliminating_at_or_below=exam.eliminating_at_or_below,
                    grade_step=exam.grade_step,
                    absence_eliminates=exam.absence_eliminates,
                )
                for exam in self.exams
            ),
            exam_day=params.ExamDayRules(
                gap_minutes=self.exam_day.gap_minutes,
                slot_step_minutes=self.exam_day.slot_step_minutes,
            ),
            academic_list=params.AcademicListRules(
                dossier_weight=self.academic_list.dossier_weight,
                exam_weights=tuple(sorted(self.academic_list.exam_weights.items())),
            ),
            eligibility=params.Eligibility(
                age_limit_years=eligibility.age_limit_years,
                qualifying_diplomas=tuple(eligibility.qualifying_diplomas),
                qualifying_follow_ons=tuple(eligibility.qualifying_follow_ons),
                continuing_min_experience_years=eligibility.continuing_min_experience_years,
                jdc_nationality=eligibility.jdc_nationality,
                jdc_age_limit_years=eligibility.jdc_age_limit_years,
            ),
            seat_groups=tuple(
                params.SeatGroup(code=group.code, statuses=tuple(group.statuses), seats=group.seats)
                for group in self.seat_groups
            ),
            eea_countries=tuple(self.countries.eea),
            visa_exempt_countries=tuple(self.countries.visa_exempt),
            alternation_years=years,
            alternation_hours=hours,
            extensions=tuple(
                params.Extension(
                    window=extension.window,
                    closes_at=self.aware(extension.closes_at),
                    reason=extension.reason,
                    candidate=extension.candidate,
                )
                for extension in self.extensions
            ),
            committee=params.CommitteeRules(score_max=self.committee.score_max),
            retention=(
                params.Retention(personal_data_until=self.retention.personal_data_until)
                if self.retention is not None
                else None
            ),
        )


# --- Loading ----------------------------------------------------------------------------------


def load_campaign_file(source: str | Path) -> CampaignDocument:
    """Read and validate a campaign file (a path, or the TOML text itself).

    Raises CampaignFileError listing every problem as "field.path: problem".
    """
    if isinstance(source, Path):
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CampaignFileError([f"(file): cannot read {source}: {error}"]) from error
    else:
        text = source
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CampaignFileError([_toml_problem(text, error)]) from error
    return validate_campaign_data(data)


def validate_campaign_data(data: dict[str, Any]) -> CampaignDocument:
    """Validate parsed data (from TOML, or the JSON a Campaign row stores)."""
    try:
        document = CampaignDocument.model_validate(data)
    except ValidationError as error:
        raise CampaignFileError(_pydantic_problems(error)) from error
    problems = relation_problems(document)
    if problems:
        raise CampaignFileError(problems)
    return document


def _path(loc: Iterable[int | str]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(file)"


def _pydantic_problems(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        # Annotated validators add a segment naming the function ("function-after[...]").
        loc = [part for part in item["loc"] if not str(part).startswith("function-")]
        problems.append(f"{_path(loc)}: {_plain_message(item)}")
    return problems


def _plain_message(item: Any) -> str:
    kind = item["type"]
    given = item.get("input")
    ctx = item.get("ctx") or {}
    if kind == "missing":
        return "this field is required but missing"
    if kind == "extra_forbidden":
        return "unknown field (check its spelling, or remove it)"
    if kind == "value_error":
        return str(ctx.get("error", item["msg"]))
    if kind in ("literal_error", "enum"):
        return f"{given!r} is not allowed here; expected {ctx.get('expected')}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {
            "greater_than_equal": "at least",
            "greater_than": "more than",
            "less_than_equal": "at most",
            "less_than": "less than",
        }[kind]
        limit = next(iter(ctx.values()), "?")
        return f"must be {words} {limit} (got {given!r})"
    if kind.startswith("datetime") or kind.startswith("date"):
        detail = ctx.get("error", "")
        example = "2021-03-10T00:00:00" if kind.startswith("datetime") else "2021-09-20"
        return (
            f"{given!r} is not a valid {'date-time' if kind.startswith('datetime') else 'date'}"
            f"{f' ({detail})' if detail else ''}; write it like {example}"
        )
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number (got {given!r})"
    if kind == "too_short":
        return "must not be empty" if ctx.get("min_length") == 1 else item["msg"]
    if kind == "string_pattern_mismatch":
        return f"{given!r} does not have the expected form ({ctx.get('pattern')})"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"must be a table (a [section] or {{ key = value }}), got {given!r}"
    if kind in ("tuple_type", "list_type"):
        return f"must be a list [ ... ], got {given!r}"
    return f"{item['msg']} (got {given!r})"


def _toml_problem(text: str, error: tomllib.TOMLDecodeError) -> str:
    """Name the key of the line TOML could not read, e.g. "calendar.applications.opens_at"."""
    match = re.search(r"line (\d+)", str(error))
    if not match:
        return f"(file): not valid TOML: {error}"
    number = int(match[1])
    lines = text.splitlines()
    table = ""
    for line in lines[: number - 1]:
        header = re.match(r"\s*\[\[?\s*([^\]]+?)\s*\]\]?", line)
        if header:
            table = header[1]
    key_match = re.match(
        r"\s*([A-Za-z0-9_.\"-]+)\s*=", lines[number - 1] if number <= len(lines) else ""
    )
    key = key_match[1].strip('"') if key_match else ""
    path = ".".join(part for part in (table, key) if part) or "(file)"
    return f"{path}: line {number} is not valid TOML ({error}); dates are written like 2021-03-10T00:00:00"


# --- Relations between fields -----------------------------------------------------------------


def relation_problems(document: CampaignDocument) -> list[str]:
    """Checks that need several fields; each problem is "field.path: problem"."""
    problems: list[str] = []
    problems += _unique(document.programmes, "programmes", "code")
    problems += _unique(document.options, "options", "code")
    problems += _unique(document.sectors, "sectors", "code")
    problems += _unique(document.seat_groups, "seat_groups", "code")
    problems += _unique(document.exams, "exams", "code")
    problems += _unique(
        document.verification.refusal_reasons, "verification.refusal_reasons", "code"
    )

    programme_codes = [p.code for p in document.programmes]
    sector_codes = {s.code for s in document.sectors}
    for i, option in enumerate(document.options):
        if option.programme not in programme_codes:
            problems.append(
                f"options[{i}].programme: {option.programme!r} is not a programme of this file "
                f"(programmes: {', '.join(programme_codes)})"
            )
        for j, sector in enumerate(option.sectors):
            if sector not in sector_codes:
                problems.append(
                    f"options[{i}].sectors[{j}]: {sector!r} is not a sector of this file "
                    f"(sectors: {', '.join(sorted(sector_codes)) or 'none'})"
                )

    problems += _calendar_problems(document)
    problems += _retention_problems(document)

    seen_status: dict[str, str] = {}
    for i, group in enumerate(document.seat_groups):
        for j, status in enumerate(group.statuses):
            if status in seen_status:
                problems.append(
                    f"seat_groups[{i}].statuses[{j}]: {status.value!r} is already in seat group "
                    f"{seen_status[status]!r}; a status counts in one group only"
                )
            seen_status[status] = group.code

    uploads = document.uploads
    for j, fmt in enumerate(uploads.photo_formats):
        if fmt not in uploads.allowed_formats:
            problems.append(
                f"uploads.photo_formats[{j}]: {fmt!r} is not in uploads.allowed_formats"
            )

    exam_codes = [exam.code for exam in document.exams]
    for code in document.academic_list.exam_weights:
        if code not in exam_codes:
            problems.append(
                f"academic_list.exam_weights.{code}: {code!r} is not an exam of this file "
                f"(exams: {', '.join(exam_codes)})"
            )
    for i, exam in enumerate(document.exams):
        if exam.grade_step > exam.max_grade:
            problems.append(
                f"exams[{i}].grade_step: {exam.grade_step} is above max_grade ({exam.max_grade})"
            )
        if exam.eliminating_at_or_below >= exam.max_grade:
            problems.append(
                f"exams[{i}].eliminating_at_or_below: {exam.eliminating_at_or_below} must be "
                f"below max_grade ({exam.max_grade})"
            )

    countries = document.countries
    for name, codes in (("eea", countries.eea), ("visa_exempt", countries.visa_exempt)):
        seen: set[str] = set()
        for j, code in enumerate(codes):
            if code in seen:
                problems.append(f"countries.{name}[{j}]: {code!r} is listed twice")
            seen.add(code)
    for j, code in enumerate(countries.visa_exempt):
        if code in countries.eea:
            problems.append(f"countries.visa_exempt[{j}]: {code!r} is already in countries.eea")

    if document.alternation is not None:
        problems += _alternation_problems(document.alternation)
    return problems


def _unique(items: Iterable[Any], path: str, attribute: str) -> list[str]:
    seen: dict[Any, int] = {}
    problems = []
    for i, item in enumerate(items):
        value = getattr(item, attribute)
        if value in seen:
            problems.append(
                f"{path}[{i}].{attribute}: {value!r} is already used by {path}[{seen[value]}]"
            )
        else:
            seen[value] = i
    return problems


def _wall_time_problem(local: datetime, tz_name: str) -> str | None:
    """Say why a local date-time is not one instant in ``tz_name`` (DST gaps and overlaps)."""
    tz = ZoneInfo(tz_name)
    first = local.replace(tzinfo=tz, fold=0)
    second = local.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        round_trip = first.astimezone(ZoneInfo("UTC")).astimezone(tz).replace(tzinfo=None)
        if round_trip != local.replace(fold=0):
            return (
                f"{local.isoformat()} does not exist in {tz_name}: clocks jump forward that "
                "night (daylight saving time); use a time outside the gap"
            )
        return (
            f"{local.isoformat()} happens twice in {tz_name}: clocks go back that night; "
            "use a time outside the repeated hour"
        )
    return None


def _retention_problems(document: CampaignDocument) -> list[str]:
    """Personal data are needed until the final list is frozen (R7.2): no purge before it."""
    retention = document.retention
    if retention is None:
        return []
    frozen = document.calendar.final_list_frozen_at.date()
    if retention.personal_data_until < frozen:
        return [
            f"retention.personal_data_until: {retention.personal_data_until} is before "
            f"calendar.final_list_frozen_at ({frozen}): the data are needed until then"
        ]
    return []


def _calendar_problems(document: CampaignDocument) -> list[str]:
    problems: list[str] = []
    tz = document.campaign.time_zone
    cal = document.calendar
    instants: dict[str, datetime] = {
        "applications.opens_at": cal.applications.opens_at,
        "applications.closes_at": cal.applications.closes_at,
        "admissibility_results_at": cal.admissibility_results_at,
        "exam_booking.opens_at": cal.exam_booking.opens_at,
        "exam_booking.closes_at": cal.exam_booking.closes_at,
        "exams.opens_at": cal.exams.opens_at,
        "exams.closes_at": cal.exams.closes_at,
        "academic_results_at": cal.academic_results_at,
        "final_list_frozen_at": cal.final_list_frozen_at,
    }
    if cal.replacement_deadline is not None:
        instants["replacement_deadline"] = cal.replacement_deadline
    for name, local in instants.items():
        problem = _wall_time_problem(local, tz)
        if problem:
            problems.append(f"calendar.{name}: {problem}")
    for i, extension in enumerate(document.extensions):
        problem = _wall_time_problem(extension.closes_at, tz)
        if problem:
            problems.append(f"extensions[{i}].closes_at: {problem}")
    if problems:
        return problems

    def utc(local: datetime) -> datetime:
        return document.aware(local).astimezone(ZoneInfo("UTC"))

    for name in WINDOW_NAMES:
        window: WindowSection = getattr(cal, name)
        if utc(window.closes_at) <= utc(window.opens_at):
            problems.append(
                f"calendar.{name}.closes_at: closes before it opens "
                f"({window.closes_at.isoformat()} is not after opens_at "
                f"{window.opens_at.isoformat()})"
            )
    ordered = (
        ("applications.closes_at", "admissibility_results_at"),
        ("admissibility_results_at", "exam_booking.opens_at"),
        ("exam_booking.closes_at", "exams.closes_at"),
        ("exams.closes_at", "academic_results_at"),
        ("academic_results_at", "final_list_frozen_at"),
    )
    for earlier, later in ordered:
        if utc(instants[earlier]) > utc(instants[later]):
            problems.append(
                f"calendar.{later}: {instants[later].isoformat()} comes before "
                f"{earlier} ({instants[earlier].isoformat()})"
            )
    if cal.earliest_contract_start > cal.training_starts_on:
        problems.append(
            "calendar.earliest_contract_start: comes after training_starts_on "
            f"({cal.training_starts_on.isoformat()})"
        )
    if cal.diploma_deadline > cal.training_starts_on:
        problems.append(
            "calendar.diploma_deadline: comes after training_starts_on "
            f"({cal.training_starts_on.isoformat()})"
        )
    for i, extension in enumerate(document.extensions):
        base: WindowSection = getattr(cal, extension.window)
        if utc(extension.closes_at) <= utc(base.closes_at):
            problems.append(
                f"extensions[{i}].closes_at: an extension must close after the window it "
                f"extends (calendar.{extension.window}.closes_at = {base.closes_at.isoformat()})"
            )
    return problems


def _monday(week: str) -> date:
    year, number = parse_week(week)
    return date.fromisocalendar(year, number, 1)


def _alternation_problems(alternation: AlternationSection) -> list[str]:
    problems: list[str] = []
    if alternation.school_hours_common + alternation.school_hours_option != (
        alternation.school_hours_target
    ):
        problems.append(
            "alternation.school_hours_target: must equal school_hours_common + "
            f"school_hours_option ({alternation.school_hours_common} + "
            f"{alternation.school_hours_option})"
        )
    start, end = _monday(alternation.first_week), _monday(alternation.last_week)
    if end < start:
        problems.append(
            f"alternation.last_week: {alternation.last_week} comes before first_week "
            f"{alternation.first_week}"
        )
    if alternation.academic_year[:4] != str(start.year) and start.month >= 7:
        problems.append(
            f"alternation.first_week: {alternation.first_week} is not in academic year "
            f"{alternation.academic_year}"
        )
    problems += _unique(alternation.years, "alternation.years", "year_of_study")
    for y, year in enumerate(alternation.years):
        previous: tuple[int, BlockSection] | None = None
        for b, block in enumerate(year.blocks):
            path = f"alternation.years[{y}].blocks[{b}]"
            first, last = _monday(block.first), _monday(block.last)
            if last < first:
                problems.append(f"{path}.last: {block.last} comes before first ({block.first})")
                continue
            if first < start or last > end:
                problems.append(
                    f"{path}: {block.first}..{block.last} lies outside the academic year "
                    f"({alternation.first_week}..{alternation.last_week})"
                )
            if previous is not None:
                p, other = previous
                if first <= _monday(other.last):
                    problems.append(
                        f"{path}.first: {block.first}..{block.last} overlaps or precedes "
                        f"blocks[{p}] ({other.first}..{other.last}); list blocks in week "
                        "order without shared weeks"
                    )
            previous = (b, block)
    return problems


# --- Writing ----------------------------------------------------------------------------------


def document_to_toml_data(document: CampaignDocument) -> dict[str, Any]:
    """Plain TOML-ready data: no None (TOML has no null), lists, local datetimes and dates."""
    return _clean(document.model_dump(mode="python"))


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    if isinstance(value, Enum) and isinstance(value, str):  # StrEnum
        return str(value.value)
    return value
