"""The reference campaign file carries every value of the 2021 notice (R1.2-R1.4, R3.2, R3.4,
R3.6, R6.2, R6.3, R8.1), checked one by one against seed/notice-alternance-2021.txt."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from admissions.rules import alternation, deadlines
from admissions.rules.params import DiplomaType, PeriodKind, StatusSought
from tests.rules.annex3 import ANNEX3_2021_ROWS

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


# --- School, contacts, programmes and options -----------------------------------------------


def test_school_and_contacts(reference_document):
    school = reference_document.school

    assert school.code == "imt-mines-albi"
    assert school.name == "IMT Mines Albi-Carmaux"
    assert school.short_name == "IMT Mines Albi"
    assert school.contacts.admissions_email == "admissions@mines-albi.fr"
    assert school.contacts.admissions_phones == ("05 63 49 30 45", "05 63 49 33 44")
    assert school.contacts.professionalisation_email == "admissions@mines-albi.fr"


def test_central_service(reference_document):
    service = reference_document.central_service

    assert service.name == "Dossier commun Apprentissage"
    assert service.email == "support.dossier@imt.fr"
    assert service.platform_url == "https://dossier-apprentissage.imt.fr/"


def test_campaign_identity(reference_document):
    campaign = reference_document.campaign

    assert (campaign.code, campaign.session, campaign.time_zone) == (
        "imt-mines-albi-2021",
        2021,
        "Europe/Paris",
    )


def test_options_with_the_notice_full_names(reference_document):
    """R1.3: SENMBA, SIPHASS, SIMMA, each covering at least one company sector."""
    options = {option.code: option for option in reference_document.options}

    assert list(options) == ["SENMBA", "SIPHASS", "SIMMA"]
    assert options["SENMBA"].name == (
        "Systèmes ENergétiques et Matériaux pour le Bâtiment et l'Aménagement durables"
    )
    assert options["SIPHASS"].name == "Secteur Industrie Pharmaceutique et Services"
    assert options["SIMMA"].name == "Secteur Industrie Manufacturière Mécanique et Aéronautique"
    assert all(option.name_en and option.sectors for option in options.values())
    assert {option.programme for option in options.values()} == {"ingenieur-alternance"}


# --- Calendar (R1.2) ------------------------------------------------------------------------


def test_applications_window(reference_params):
    applications = reference_params.calendar.applications

    assert applications.opens_at == paris(2021, 2, 1)
    assert applications.closes_at == paris(2021, 3, 10)
    assert applications.closes_at.utcoffset().total_seconds() == 3600


def test_applications_open_until_the_end_of_9_march(reference_params):
    window = reference_params.calendar.applications

    assert deadlines.is_open(window, datetime.fromisoformat("2021-03-09T23:59:59+01:00")) is True
    assert deadlines.is_open(window, datetime.fromisoformat("2021-03-10T00:00:00+01:00")) is False


def test_sign_up_closes_with_applications(reference_params):
    assert deadlines.sign_up_window(reference_params).closes_at == paris(2021, 3, 10)


def test_publication_and_phase_instants(reference_params):
    calendar = reference_params.calendar

    assert calendar.time_zone == "Europe/Paris"
    assert calendar.admissibility_results_at == paris(2021, 3, 24)
    assert calendar.exam_booking.opens_at == paris(2021, 3, 24)
    assert calendar.exam_booking.closes_at == calendar.exams.opens_at
    assert calendar.exams.opens_at == paris(2021, 3, 29)
    assert calendar.exams.closes_at == paris(2021, 4, 10)  # until Friday 9 April included
    assert calendar.academic_results_at == paris(2021, 4, 19)
    assert calendar.final_list_frozen_at == paris(2021, 9, 21)  # end of 20 September


def test_dates(reference_params):
    calendar = reference_params.calendar

    assert calendar.diploma_deadline == date(2021, 9, 20)
    assert calendar.training_starts_on == date(2021, 10, 4)
    assert calendar.earliest_contract_start == date(2021, 7, 4)


def test_exam_days_after_the_spring_daylight_saving_change(reference_params):
    """Paris moves to +02:00 on 28 March 2021: the exams open at 00:00 CEST (22:00 UTC)."""
    assert reference_params.calendar.exams.opens_at.astimezone(UTC) == datetime(
        2021, 3, 28, 22, tzinfo=UTC
    )


def test_calendar_passes_the_rules_order_checks(reference_params):
    assert deadlines.calendar_problems(reference_params.calendar) == ()


def test_no_extension_in_the_reference_file(reference_params):
    assert reference_params.extensions == ()


# --- Seats (R1.4) ---------------------------------------------------------------------------


def test_seat_groups(reference_params):
    groups = {group.code: group for group in reference_params.seat_groups}

    assert groups["apprentissage"].seats == 45
    assert groups["apprentissage"].statuses == (StatusSought.APPRENTICESHIP,)
    assert groups["fc_cp"].seats == 5
    assert groups["fc_cp"].statuses == (
        StatusSought.CONTINUING_EDUCATION,
        StatusSought.PROFESSIONALISATION,
    )


# --- Fees (R3.6) ----------------------------------------------------------------------------


def test_fees(reference_params, reference_document):
    fees = reference_params.fees

    assert fees.currency == "EUR"
    assert (fees.standard.first, fees.standard.each_further) == (Decimal("77"), Decimal("22"))
    assert (fees.scholarship.first, fees.scholarship.each_further) == (
        Decimal("22"),
        Decimal("11"),
    )
    assert all(
        isinstance(amount, Decimal) for amount in (fees.standard.first, fees.scholarship.first)
    )
    assert reference_document.fees.refundable is False


def test_bank_details_for_the_transfer(reference_params, reference_document):
    """R3.6: the payee, IBAN and BIC the fees page shows; the reference quoted is the dossier's."""
    bank = reference_params.fees.bank

    assert (bank.payee, bank.iban, bank.bic) == (
        "IMT Mines Albi-Carmaux — Agence comptable",
        "FR1420041010050500013M02606",
        "PSSTFRPPTOU",
    )
    assert bank.iban_grouped == "FR14 2004 1010 0505 0001 3M02 606"
    assert reference_document.fees.bank.reference == "dossier"


# --- Uploads (R3.4) -------------------------------------------------------------------------


def test_upload_rules(reference_params, reference_document):
    uploads = reference_params.uploads

    assert uploads.max_bytes == 2_097_152 == 2 * 1024 * 1024
    assert reference_document.uploads.max_size_label == "2 Mo"
    assert uploads.allowed_formats == ("jpeg", "png", "pdf")
    assert uploads.photo_formats == ("jpeg", "png")
    assert (uploads.photo_max_width, uploads.photo_max_height) == (900, 900)
    assert uploads.max_image_pixels == 50_000_000


# --- Exams (R6.2, R6.3) ---------------------------------------------------------------------


def test_exams(reference_params):
    interview, english = reference_params.exams

    assert (interview.code, interview.duration_minutes) == ("interview", 30)
    assert (english.code, english.duration_minutes) == ("english", 15)
    for exam in (interview, english):
        assert exam.max_grade == Decimal(20)
        assert exam.eliminating_at_or_below == Decimal(4)


def test_english_exam_has_the_three_phases(reference_document):
    english = reference_document.exams[1]

    assert [phase.name for phase in english.phases] == [
        "Présentation du candidat par lui-même",
        "Description et analyse d'un document iconographique (image ou photo)",
        "Dialogue à partir d'une mise en situation de la vie courante",
    ]
    assert english.examiner == "examiner"
    assert reference_document.exams[0].examiner == "jury"


def test_exam_day_is_remote_and_single(reference_document):
    assert reference_document.exam_day.remote is True
    assert reference_document.exam_day.all_exams_same_day is True


# --- Eligibility and countries (R3.2, R3.3, R7.4) -------------------------------------------


def test_eligibility(reference_params, reference_document):
    eligibility = reference_params.eligibility

    assert eligibility.age_limit_years == 30
    assert eligibility.qualifying_diplomas == (DiplomaType.BTS, DiplomaType.DUT, DiplomaType.L2)
    assert eligibility.qualifying_follow_ons == (DiplomaType.ATS, DiplomaType.L3)
    assert eligibility.continuing_min_experience_years == 3
    assert (eligibility.jdc_nationality, eligibility.jdc_age_limit_years) == ("FR", 26)
    assert reference_document.eligibility.continuing_requires_employer_agreement is True


def test_eea_is_the_27_eu_members_and_iceland_norway_liechtenstein(reference_params):
    eu_2021 = {
        *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"),
        *("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
    }

    assert len(eu_2021) == 27
    assert set(reference_params.eea_countries) == eu_2021 | {"IS", "NO", "LI"}
    assert len(reference_params.eea_countries) == 30
    assert reference_params.visa_exempt_countries == ("CH",)


# --- Alternation (R8.1) ---------------------------------------------------------------------


def test_alternation_table_matches_annex_3_cell_for_cell(reference_params):
    rows = alternation.academic_year_table(reference_params.alternation_years)

    printed = [(week[1], *cells) for week, cells in ((r.week, r.texts("fr")) for r in rows)]
    assert printed == [tuple(row) for row in ANNEX3_2021_ROWS]


def test_alternation_period_counts(reference_params):
    year_1, year_2, year_3 = reference_params.alternation_years

    assert alternation.period_count(year_1, PeriodKind.SCHOOL) == 6
    assert alternation.period_count(year_2, PeriodKind.SCHOOL) == 4
    assert alternation.period_count(year_3, PeriodKind.SCHOOL) == 2


def test_alternation_hours(reference_params, reference_document):
    hours = reference_params.alternation_hours

    assert (hours.hours_per_week, hours.paid_leave_weeks) == (35, 5)
    assert (hours.school_hours_target, hours.company_hours_target) == (600, 1000)
    assert hours.tolerance_percent == 10
    assert reference_document.alternation.school_hours_common == 420
    assert reference_document.alternation.school_hours_option == 180
    for year in reference_params.alternation_years:
        assert alternation.hours_check(year, hours).ok is True


def test_texts(reference_document):
    texts = reference_document.texts

    assert texts.notice_title.startswith("Notice d'information destinée aux candidats")
    assert texts.notice_title.endswith("Session 2021")
    assert len(texts.faq) >= 3


def test_personal_data_kept_until_the_end_of_2022(reference_params):
    assert reference_params.retention is not None
    assert reference_params.retention.personal_data_until == date(2022, 12, 31)
