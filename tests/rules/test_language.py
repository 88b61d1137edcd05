"""Picking the French or English wording (rules.language): French unless English is given."""

from __future__ import annotations

import pytest

from admissions.rules.language import in_language, is_english, platform_language


@pytest.mark.parametrize(("language", "expected"), [("en", True), ("en-gb", True), ("fr", False)])
def test_is_english_reads_the_language_code(language, expected):
    assert is_english(language) is expected


def test_in_language_answers_english_on_an_english_page():
    assert in_language("en", "Photo d'identité", "Identity photo") == "Identity photo"


def test_in_language_answers_french_on_a_french_page():
    assert in_language("fr", "Photo d'identité", "Identity photo") == "Photo d'identité"


@pytest.mark.parametrize("missing", ["", None])
def test_in_language_falls_back_to_french_when_no_english_is_given(missing):
    assert in_language("en", "Photo d'identité", missing) == "Photo d'identité"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en", "en"), ("en-us", "en"), ("fr", "fr"), ("de", "fr"), ("", "fr"), (None, "fr")],
)
def test_platform_language_is_english_or_french(code, expected):
    assert platform_language(code) == expected
