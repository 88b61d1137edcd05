"""The campaign file's list of document refusal reasons (R4.1)."""

from __future__ import annotations

import copy

import pytest

from admissions.campaigns.schema import CampaignFileError, validate_campaign_data
from admissions.verification.selectors import refusal_reason_text, refusal_reasons
from tests.campaigns.test_schema_errors import problem_at


@pytest.mark.django_db
def test_the_reference_file_lists_the_notices_usual_reasons_in_both_languages(
    reference_campaign,
):
    french = refusal_reasons(reference_campaign, "fr")
    english = refusal_reasons(reference_campaign, "en")

    assert [reason.code for reason in french] == [
        "illisible",
        "mauvaise-piece",
        "photo-non-conforme",
        "identite-expiree",
        "visa",
        "releves-manquants",
        "bourse-annee",
        "langue",
    ]
    assert (french[1].text, english[1].text) == (
        "Ce n'est pas la pièce demandée.",
        "This is not the document requested.",
    )
    assert (
        refusal_reason_text(reference_campaign, "visa"),
        refusal_reason_text(reference_campaign, "inconnu"),
    ) == ("Le visa n'est pas un visa étudiant long séjour valide.", "")


def test_a_reason_code_used_twice_is_refused(reference_data):
    data = copy.deepcopy(reference_data)
    data["verification"]["refusal_reasons"][1]["code"] = "illisible"

    with pytest.raises(CampaignFileError) as caught:
        validate_campaign_data(data)

    assert problem_at(caught.value.problems, "verification.refusal_reasons[1].code") == (
        "verification.refusal_reasons[1].code: 'illisible' is already used by "
        "verification.refusal_reasons[0]"
    )


def test_a_file_without_the_section_has_no_reasons(reference_data):
    data = copy.deepcopy(reference_data)
    del data["verification"]

    assert validate_campaign_data(data).verification.refusal_reasons == ()
