"""The reference 2021 IMT Mines Albi campaign, built in Python from the notice (R1.2).

Other test files import ``campaign_2021()``; conftest.py exposes it as a fixture. Keep it stable:
these are the notice's values, not test conveniences.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from admissions.rules.params import (
    Campaign,
    CampaignCalendar,
    DiplomaType,
    Eligibility,
    ExamSpec,
    Fees,
    FeeTariff,
    SeatGroup,
    StatusSought,
    UploadRules,
    Window,
)

PARIS = ZoneInfo("Europe/Paris")

EU_COUNTRIES = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
)  # fmt: skip
EEA_COUNTRIES = (*EU_COUNTRIES, "IS", "NO", "LI")


def paris(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """A wall time in Paris; zoneinfo picks +01:00 or +02:00."""
    return datetime(year, month, day, hour, minute, second, tzinfo=PARIS)


def campaign_2021() -> Campaign:
    admissibility_results_at = paris(2021, 3, 24)
    return Campaign(
        code="imt-mines-albi-2021",
        calendar=CampaignCalendar(
            time_zone="Europe/Paris",
            # "jusqu'au 09 mars 2021 (minuit)": closed from 10 March 00:00.
            applications=Window(paris(2021, 2, 1), paris(2021, 3, 10)),
            admissibility_results_at=admissibility_results_at,
            exam_booking=Window(admissibility_results_at, paris(2021, 3, 29)),
            # "jusqu'au vendredi 9 avril 2021": the exams window closes at 10 April 00:00.
            exams=Window(paris(2021, 3, 29), paris(2021, 4, 10)),
            academic_results_at=paris(2021, 4, 19),
            final_list_frozen_at=paris(2021, 9, 21),
            diploma_deadline=date(2021, 9, 20),
            training_starts_on=date(2021, 10, 4),
            earliest_contract_start=date(2021, 7, 4),
        ),
        fees=Fees(
            standard=FeeTariff(first=Decimal("77"), each_further=Decimal("22")),
            scholarship=FeeTariff(first=Decimal("22"), each_further=Decimal("11")),
            currency="EUR",
        ),
        uploads=UploadRules(
            max_bytes=2_097_152,
            allowed_formats=("jpeg", "png", "pdf"),
            photo_formats=("jpeg", "png"),
            photo_max_width=900,
            photo_max_height=900,
            max_image_pixels=50_000_000,
        ),
        exams=(
            ExamSpec(
                code="interview",
                name_fr="Entretien avec le jury",
                name_en="Interview with the jury",
                duration_minutes=30,
                max_grade=Decimal("20"),
                eliminating_at_or_below=Decimal("4"),
            ),
            ExamSpec(
                code="english",
                name_fr="Épreuve d'anglais",
                name_en="English exam",
                duration_minutes=15,
                max_grade=Decimal("20"),
                eliminating_at_or_below=Decimal("4"),
            ),
        ),
        eligibility=Eligibility(
            age_limit_years=30,
            qualifying_diplomas=(DiplomaType.BTS, DiplomaType.DUT, DiplomaType.L2),
            qualifying_follow_ons=(DiplomaType.ATS, DiplomaType.L3),
            continuing_min_experience_years=3,
            jdc_nationality="FR",
            jdc_age_limit_years=26,
        ),
        seat_groups=(
            SeatGroup(code="apprentissage", statuses=(StatusSought.APPRENTICESHIP,), seats=45),
            SeatGroup(
                code="fc_cp",
                statuses=(StatusSought.CONTINUING_EDUCATION, StatusSought.PROFESSIONALISATION),
                seats=5,
            ),
        ),
        eea_countries=EEA_COUNTRIES,
        visa_exempt_countries=("CH",),
    )
