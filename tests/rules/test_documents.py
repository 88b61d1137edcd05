"""Required documents computed from the answers, and the checklist (R3.3, R3.7, R10.3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admissions.rules.documents import (
    DossierAnswers,
    ItemState,
    ProvidedState,
    checklist,
    needs_visa,
    required_documents,
)
from admissions.rules.eligibility import Diploma
from admissions.rules.explain import RulesError
from admissions.rules.params import DiplomaType
from tests.rules.reference import EEA_COUNTRIES, campaign_2021

CAMPAIGN = campaign_2021()
DUT = Diploma(DiplomaType.DUT, True, obtained_on=date(2020, 7, 1))
BTS = Diploma(DiplomaType.BTS, True, obtained_on=date(2020, 7, 1))
ANSWERS = DossierAnswers(nationality="FR", diplomas=(DUT,), formations_chosen=("ALBI:SIMMA",))
ALWAYS = [
    "photo",
    "identity",
    "cv",
    "bac_transcripts",
    "transcripts_previous_year",
    "transcripts_current_year",
    "academic_recommendation",
    "professional_recommendation",
]


def codes(answers: DossierAnswers) -> list[str]:
    return [document.code for document in required_documents(CAMPAIGN, answers)]


def test_french_dut_holder_with_one_formation_needs_the_base_list():
    assert codes(ANSWERS) == [*ALWAYS, "motivation_letter:ALBI:SIMMA"]


@pytest.mark.parametrize(
    ("nationality", "visa"),
    [
        ("MA", True),
        ("IS", False),
        ("CH", False),
        ("FR", False),
        ("NO", False),
        ("LI", False),
        ("US", True),
    ],
)
def test_visa_only_outside_eea_and_switzerland(nationality, visa):
    assert ("visa" in codes(replace(ANSWERS, nationality=nationality))) is visa


def test_nationality_code_is_case_insensitive():
    assert needs_visa(CAMPAIGN, "is") is False


def test_dual_national_with_an_eea_nationality_needs_no_visa():
    assert needs_visa(CAMPAIGN, "MA", ("FR",)) is False


def test_missing_nationality_is_a_rules_error():
    with pytest.raises(RulesError):
        needs_visa(CAMPAIGN, "")


def test_visa_reason_is_explained_in_both_languages():
    visa = next(
        d
        for d in required_documents(CAMPAIGN, replace(ANSWERS, nationality="MA"))
        if d.code == "visa"
    )
    assert "Espace économique européen" in visa.why("fr")
    assert "European Economic Area" in visa.why("en")


def test_bts_exam_transcript_only_for_bts_holders():
    assert "bts_exam_transcript" in codes(replace(ANSWERS, diplomas=(BTS,)))
    assert "bts_exam_transcript" not in codes(ANSWERS)


def test_bts_exam_transcript_not_asked_before_the_bts_is_obtained():
    expected = Diploma(DiplomaType.BTS, True, expected_on=date(2021, 7, 1))
    assert "bts_exam_transcript" not in codes(replace(ANSWERS, diplomas=(expected,)))


def test_foreign_programme_for_a_foreign_diploma():
    foreign = Diploma(DiplomaType.FOREIGN, True, obtained_on=date(2020, 7, 1), country="MA")
    assert "foreign_programme" in codes(replace(ANSWERS, diplomas=(foreign,)))


def test_foreign_programme_for_a_bts_type_diploma_awarded_abroad():
    abroad = Diploma(DiplomaType.L2, True, obtained_on=date(2020, 7, 1), country="BE")
    assert "foreign_programme" in codes(replace(ANSWERS, diplomas=(abroad,)))


def test_no_foreign_programme_for_a_bac_obtained_abroad_only():
    bac = Diploma(DiplomaType.BAC, True, obtained_on=date(2017, 7, 1), country="SN")
    assert "foreign_programme" not in codes(replace(ANSWERS, diplomas=(DUT, bac)))


def test_one_motivation_letter_per_formation():
    answers = replace(ANSWERS, formations_chosen=("ALBI:SIMMA", "ALBI:SENMBA", "ALES:GI"))
    letters = [
        d for d in required_documents(CAMPAIGN, answers) if d.code.startswith("motivation_letter")
    ]
    assert [letter.formation for letter in letters] == ["ALBI:SIMMA", "ALBI:SENMBA", "ALES:GI"]


def test_a_letter_slot_shows_before_any_formation_is_chosen():
    assert codes(replace(ANSWERS, formations_chosen=()))[-1] == "motivation_letter"


def test_duplicate_formation_is_a_rules_error():
    with pytest.raises(RulesError):
        required_documents(CAMPAIGN, replace(ANSWERS, formations_chosen=("A", "A")))


def test_scholarship_proof_only_when_the_reduced_fee_is_claimed():
    assert "scholarship_proof" in codes(replace(ANSWERS, scholarship_claimed=True))
    assert "scholarship_proof" not in codes(ANSWERS)


def test_identity_takes_card_front_and_back_or_passport():
    identity = required_documents(CAMPAIGN, ANSWERS)[1]
    assert identity.max_pages == 2
    assert [a.code for a in identity.alternatives] == ["identity_card", "passport"]


def test_academic_recommendation_slot_lists_the_three_alternatives():
    slot = next(
        d for d in required_documents(CAMPAIGN, ANSWERS) if d.code == "academic_recommendation"
    )
    assert [a.code for a in slot.alternatives] == [
        "academic_recommendation.referee",
        "academic_recommendation.further_study_opinion",
        "academic_recommendation.no_opinion_letter",
    ]


def test_photo_accepts_jpeg_and_png_only_and_states_the_size():
    photo = required_documents(CAMPAIGN, ANSWERS)[0]
    assert photo.formats == ("jpeg", "png")
    assert "900 x 900" in photo.why("fr")


def test_only_the_current_year_transcript_may_be_pending():
    pending = [d.code for d in required_documents(CAMPAIGN, ANSWERS) if d.may_be_pending]
    assert pending == ["transcripts_current_year"]


# --- checklist ---------------------------------------------------------------------------------------


def everything_provided(answers: DossierAnswers) -> dict[str, ProvidedState]:
    return {d.code: ProvidedState.PROVIDED for d in required_documents(CAMPAIGN, answers)}


def test_checklist_complete_when_everything_is_provided():
    result = checklist(required_documents(CAMPAIGN, ANSWERS), everything_provided(ANSWERS))
    assert (result.complete, result.missing, result.reasons) == (True, (), ())


def test_checklist_lists_what_is_missing_with_reasons():
    provided = everything_provided(ANSWERS)
    del provided["cv"]
    result = checklist(required_documents(CAMPAIGN, ANSWERS), provided)
    assert [d.code for d in result.missing] == ["cv"]
    assert [r.code for r in result.reasons] == ["documents.missing"]
    assert result.reasons[0].fr == "Pièce manquante : Curriculum vitae."


def test_academic_slot_satisfied_by_the_no_opinion_letter():
    provided = everything_provided(ANSWERS)
    del provided["academic_recommendation"]
    provided["academic_recommendation.no_opinion_letter"] = ProvidedState.PROVIDED
    result = checklist(required_documents(CAMPAIGN, ANSWERS), provided)
    item = next(i for i in result.items if i.document.code == "academic_recommendation")
    assert (item.state, item.satisfied_by) == (
        ItemState.SATISFIED,
        "academic_recommendation.no_opinion_letter",
    )


def test_requested_recommendation_is_still_missing():
    provided = everything_provided(ANSWERS)
    provided["professional_recommendation"] = ProvidedState.REQUESTED
    result = checklist(required_documents(CAMPAIGN, ANSWERS), provided)
    assert [d.code for d in result.missing] == ["professional_recommendation"]


def test_pending_first_semester_transcript_does_not_block():
    provided = everything_provided(ANSWERS)
    provided["transcripts_current_year"] = ProvidedState.PENDING
    result = checklist(required_documents(CAMPAIGN, ANSWERS), provided)
    assert (result.complete, [d.code for d in result.pending]) == (
        True,
        ["transcripts_current_year"],
    )


def test_pending_is_not_accepted_for_other_documents():
    provided = everything_provided(ANSWERS)
    provided["cv"] = ProvidedState.PENDING
    assert [d.code for d in checklist(required_documents(CAMPAIGN, ANSWERS), provided).missing] == [
        "cv"
    ]


def test_refused_document_is_shown_as_refused_and_blocks():
    provided = everything_provided(ANSWERS)
    provided["photo"] = ProvidedState.REFUSED
    result = checklist(required_documents(CAMPAIGN, ANSWERS), provided)
    assert result.items[0].state is ItemState.REFUSED
    assert result.complete is False


def test_refused_passport_replaced_by_identity_card_satisfies_the_slot():
    provided = everything_provided(ANSWERS)
    del provided["identity"]
    provided["passport"] = ProvidedState.REFUSED
    provided["identity_card"] = ProvidedState.VALID
    result = checklist(required_documents(CAMPAIGN, ANSWERS), provided)
    assert result.items[1].satisfied_by == "identity_card"


def test_visa_no_longer_required_after_nationality_change():
    moroccan = replace(ANSWERS, nationality="MA")
    provided = everything_provided(moroccan)
    result = checklist(required_documents(CAMPAIGN, ANSWERS), provided)
    assert (result.complete, result.no_longer_required) == (True, ("visa",))


@given(st.sampled_from(EEA_COUNTRIES + ("CH",)))
def test_no_eea_or_swiss_national_needs_a_visa(nationality):
    assert needs_visa(CAMPAIGN, nationality) is False


@given(st.sets(st.sampled_from(ALWAYS), min_size=1))
def test_removing_any_document_makes_the_checklist_incomplete(removed):
    provided = everything_provided(ANSWERS)
    for code in removed:
        del provided[code]
    result = checklist(required_documents(CAMPAIGN, ANSWERS), provided)
    assert {d.code for d in result.missing} == set(removed)
    assert result.complete is False
