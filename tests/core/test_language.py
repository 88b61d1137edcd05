"""The page's language, read in one place (core.language), and localized fields."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from admissions.core.language import in_page_language, localized, page_language


@pytest.mark.parametrize(("active", "expected"), [("fr", "fr"), ("en", "en"), ("en-gb", "en")])
def test_page_language_is_the_active_language(active, expected):
    with translation.override(active):
        assert page_language() == expected


def test_in_page_language_follows_the_active_language():
    with translation.override("en"):
        assert in_page_language("\u00a0:", ":") == ":"
    with translation.override("fr"):
        assert in_page_language("\u00a0:", ":") == "\u00a0:"


def test_localized_reads_the_fr_and_en_fields():
    alternative = SimpleNamespace(label_fr="Carte d'identité", label_en="Identity card")

    assert localized(alternative, "label", "en") == "Identity card"
    assert localized(alternative, "label", "fr") == "Carte d'identité"


def test_localized_reads_a_plain_french_field_and_falls_back_to_it():
    campaign = SimpleNamespace(name="Campagne 2021", name_en="")

    with translation.override("en"):
        assert localized(campaign, "name") == "Campagne 2021"
