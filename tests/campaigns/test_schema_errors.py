"""A campaign file with a mistake is refused, naming the field and the problem (R1.1)."""

from __future__ import annotations

import pytest

from admissions.campaigns.schema import (
    CampaignFileError,
    load_campaign_file,
    validate_campaign_data,
)


def problems_in(data) -> tuple[str, ...]:
    with pytest.raises(CampaignFileError) as caught:
        validate_campaign_data(data)
    return caught.value.problems


def problem_at(problems: tuple[str, ...], path: str) -> str:
    """The problems reported at exactly ``path``, one per line; fails if there is none."""
    matching = [problem for problem in problems if problem.split(": ", 1)[0] == path]
    assert matching, problems
    return "\n".join(matching)


def test_date_that_does_not_parse_in_toml_names_the_key(reference_text):
    text = reference_text.replace(
        "opens_at = 2021-02-01T00:00:00", "opens_at = 2021-02-30T00:00:00"
    )

    with pytest.raises(CampaignFileError) as caught:
        load_campaign_file(text)

    (problem,) = caught.value.problems
    assert problem.startswith("calendar.applications.opens_at: line ")
    assert "2021-03-10T00:00:00" in problem  # shows how to write a date-time


def test_date_that_does_not_parse_as_text_names_the_field(reference_data):
    reference_data["calendar"]["applications"]["opens_at"] = "2021-02-30T00:00:00"

    problem = problem_at(problems_in(reference_data), "calendar.applications.opens_at")

    assert "'2021-02-30T00:00:00' is not a valid date-time" in problem


def test_date_with_an_offset_is_refused(reference_text):
    text = reference_text.replace(
        "closes_at = 2021-03-10T00:00:00", "closes_at = 2021-03-10T00:00:00+01:00"
    )

    with pytest.raises(CampaignFileError) as caught:
        load_campaign_file(text)

    problem = problem_at(caught.value.problems, "calendar.applications.closes_at")
    assert "without an offset" in problem


def test_negative_seat_count(reference_data):
    reference_data["seat_groups"][0]["seats"] = -3

    problem = problem_at(problems_in(reference_data), "seat_groups[0].seats")

    assert problem == "seat_groups[0].seats: must be at least 0 (got -3)"


def test_option_of_no_programme(reference_data):
    reference_data["options"][2]["programme"] = "ingenieur-initial"

    problem = problem_at(problems_in(reference_data), "options[2].programme")

    assert "'ingenieur-initial' is not a programme of this file" in problem


def test_option_sector_not_defined(reference_data):
    reference_data["options"][0]["sectors"] = ["batiment-amenagement", "spatial"]

    problem = problem_at(problems_in(reference_data), "options[0].sectors[1]")

    assert "'spatial' is not a sector of this file" in problem


def test_fee_with_three_decimals(reference_data):
    reference_data["fees"]["standard"]["first"] = 77.005

    problem = problem_at(problems_in(reference_data), "fees.standard.first")

    assert "more than 2 decimal places" in problem


def test_negative_fee(reference_data):
    reference_data["fees"]["scholarship"]["each_further"] = -11

    problem = problem_at(problems_in(reference_data), "fees.scholarship.each_further")

    assert "cannot be negative" in problem


def test_iban_with_a_wrong_check_digit(reference_data):
    reference_data["fees"]["bank"]["iban"] = "FR14 2004 1010 0505 0001 3M02 607"

    problem = problem_at(problems_in(reference_data), "fees.bank.iban")

    assert problem == (
        "fees.bank.iban: 'FR14 2004 1010 0505 0001 3M02 607' is not a valid IBAN: "
        "its check digits do not match (a typing error?)"
    )


def test_iban_of_the_wrong_shape(reference_data):
    reference_data["fees"]["bank"]["iban"] = "1234"

    problem = problem_at(problems_in(reference_data), "fees.bank.iban")

    assert problem == (
        "fees.bank.iban: '1234' is not an IBAN; write it like FR76 3000 6000 0112 3456 7890 189"
    )


def test_bic_of_the_wrong_shape(reference_data):
    reference_data["fees"]["bank"]["bic"] = "PSST-FR"

    problem = problem_at(problems_in(reference_data), "fees.bank.bic")

    assert problem == (
        "fees.bank.bic: 'PSST-FR' is not a BIC: 8 or 11 letters and digits, like BDFEFRPP or "
        "BDFEFRPPCCT"
    )


def test_window_closing_before_it_opens(reference_data):
    reference_data["calendar"]["exams"]["closes_at"] = reference_data["calendar"]["exams"][
        "opens_at"
    ].replace(day=20)

    problem = problem_at(problems_in(reference_data), "calendar.exams.closes_at")

    assert "closes before it opens" in problem


def test_milestones_out_of_order(reference_data):
    reference_data["calendar"]["academic_results_at"] = reference_data["calendar"][
        "academic_results_at"
    ].replace(month=4, day=5)

    problems = problems_in(reference_data)

    assert "comes before exams.closes_at" in problem_at(problems, "calendar.academic_results_at")


def test_unknown_status(reference_data):
    reference_data["seat_groups"][1]["statuses"][0] = "alternance"

    problem = problem_at(problems_in(reference_data), "seat_groups[1].statuses[0]")

    assert "'alternance' is not allowed here" in problem
    assert "formation_continue" in problem


def test_status_in_two_seat_groups(reference_data):
    reference_data["seat_groups"][1]["statuses"].append("apprentissage")

    problem = problem_at(problems_in(reference_data), "seat_groups[1].statuses[2]")

    assert "already in seat group 'apprentissage'" in problem


def test_week_that_does_not_exist(reference_data):
    reference_data["alternation"]["years"][0]["blocks"][2]["last"] = "2021-W54"

    problem = problem_at(problems_in(reference_data), "alternation.years[0].blocks[2].last")

    assert "2021 has ISO weeks W01 to W52" in problem


def test_week_written_wrongly(reference_data):
    reference_data["alternation"]["years"][1]["blocks"][0]["first"] = "40/2021"

    problem = problem_at(problems_in(reference_data), "alternation.years[1].blocks[0].first")

    assert "write it like 2021-W40" in problem


def test_overlapping_alternation_blocks(reference_data):
    reference_data["alternation"]["years"][0]["blocks"][1]["first"] = "2021-W44"

    problem = problem_at(problems_in(reference_data), "alternation.years[0].blocks[1].first")

    assert "overlaps" in problem
    assert "blocks[0] (2021-W40..2021-W44)" in problem


def test_block_ending_before_it_starts(reference_data):
    reference_data["alternation"]["years"][2]["blocks"][4]["last"] = "2022-W36"

    problem = problem_at(problems_in(reference_data), "alternation.years[2].blocks[4].last")

    assert "comes before first" in problem


def test_school_hours_not_summing_up(reference_data):
    reference_data["alternation"]["school_hours_option"] = 200

    problem = problem_at(problems_in(reference_data), "alternation.school_hours_target")

    assert "420 + 200" in problem


def test_misspelt_field(reference_data):
    reference_data["campaign"]["tme_zone"] = reference_data["campaign"].pop("time_zone")

    problems = problems_in(reference_data)

    assert "unknown field" in problem_at(problems, "campaign.tme_zone")
    assert "required but missing" in problem_at(problems, "campaign.time_zone")


def test_missing_field(reference_data):
    del reference_data["fees"]["refundable"]

    problem = problem_at(problems_in(reference_data), "fees.refundable")

    assert problem == "fees.refundable: this field is required but missing"


def test_unknown_time_zone(reference_data):
    reference_data["campaign"]["time_zone"] = "Europe/Pariss"

    problem = problem_at(problems_in(reference_data), "campaign.time_zone")

    assert "not a known time zone" in problem


def test_local_time_skipped_by_daylight_saving(reference_data):
    reference_data["calendar"]["exam_booking"]["closes_at"] = reference_data["calendar"][
        "exam_booking"
    ]["closes_at"].replace(day=28, hour=2, minute=30)

    problem = problem_at(problems_in(reference_data), "calendar.exam_booking.closes_at")

    assert "does not exist in Europe/Paris" in problem


def test_local_time_repeated_by_daylight_saving(reference_data):
    first = reference_data["calendar"]["final_list_frozen_at"]
    reference_data["calendar"]["replacement_deadline"] = first.replace(
        month=10, day=31, hour=2, minute=30
    )

    problem = problem_at(problems_in(reference_data), "calendar.replacement_deadline")

    assert "happens twice in Europe/Paris" in problem


def test_unsupported_format_version(reference_data):
    reference_data["format_version"] = 2

    problem = problem_at(problems_in(reference_data), "format_version")

    assert "2 is not allowed here; expected 1" in problem


def test_country_code_not_alpha_2(reference_data):
    reference_data["countries"]["eea"][10] = "FRA"

    problem = problem_at(problems_in(reference_data), "countries.eea[10]")

    assert "not an ISO 3166-1 alpha-2 country code" in problem


def test_country_listed_twice(reference_data):
    reference_data["countries"]["visa_exempt"].append("FR")

    problem = problem_at(problems_in(reference_data), "countries.visa_exempt[1]")

    assert "already in countries.eea" in problem


def test_duplicate_option_code(reference_data):
    reference_data["options"][2]["code"] = "SENMBA"

    problem = problem_at(problems_in(reference_data), "options[2].code")

    assert "already used by options[0]" in problem


def test_photo_format_not_allowed_for_uploads(reference_data):
    reference_data["uploads"]["allowed_formats"] = ["pdf", "png"]

    problem = problem_at(problems_in(reference_data), "uploads.photo_formats[0]")

    assert "'jpeg' is not in uploads.allowed_formats" in problem


def test_elimination_threshold_not_below_max_grade(reference_data):
    reference_data["exams"][1]["eliminating_at_or_below"] = 20

    problem = problem_at(problems_in(reference_data), "exams[1].eliminating_at_or_below")

    assert "must be below max_grade" in problem


def test_invalid_email(reference_data):
    reference_data["central_service"]["email"] = "support.dossier.imt.fr"

    problem = problem_at(problems_in(reference_data), "central_service.email")

    assert "is not an email address" in problem


def test_unknown_extension_window(reference_data):
    reference_data["extensions"] = [
        {"window": "signup", "closes_at": "2021-03-11T00:00:00", "reason": "Panne"}
    ]

    problem = problem_at(problems_in(reference_data), "extensions[0].window")

    assert "'signup' is not allowed here" in problem


def test_extension_that_does_not_extend(reference_data):
    reference_data["extensions"] = [
        {"window": "applications", "closes_at": "2021-03-09T00:00:00", "reason": "Panne"}
    ]

    problem = problem_at(problems_in(reference_data), "extensions[0].closes_at")

    assert "must close after the window it extends" in problem


def test_every_problem_is_listed_at_once(reference_data):
    reference_data["seat_groups"][0]["seats"] = -1
    reference_data["uploads"]["max_bytes"] = 0
    reference_data["exams"][0]["duration_minutes"] = "trente"

    with pytest.raises(CampaignFileError) as caught:
        validate_campaign_data(reference_data)

    paths = sorted(problem.split(": ", 1)[0] for problem in caught.value.problems)
    assert paths == ["exams[0].duration_minutes", "seat_groups[0].seats", "uploads.max_bytes"]
    assert str(caught.value).startswith("3 problems in the campaign file:\n- ")


def test_not_toml_at_all():
    with pytest.raises(CampaignFileError) as caught:
        load_campaign_file("[school\ncode = 1")

    assert "is not valid TOML" in caught.value.problems[0]


def test_name_too_long_for_the_database(reference_data):
    reference_data["seat_groups"][0]["name"] = "x" * 201

    problem = problem_at(problems_in(reference_data), "seat_groups[0].name")

    assert "at most 200 characters" in problem


def test_retention_ending_before_the_final_list_is_refused(reference_data):
    reference_data["retention"]["personal_data_until"] = "2021-09-19"

    problem = problem_at(problems_in(reference_data), "retention.personal_data_until")

    assert problem == (
        "retention.personal_data_until: 2021-09-19 is before calendar.final_list_frozen_at "
        "(2021-09-21): the data are needed until then"
    )
