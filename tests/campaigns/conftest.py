from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from admissions.campaigns.schema import load_campaign_file

REFERENCE_PATH = (
    Path(__file__).resolve().parents[2]
    / "admissions"
    / "campaigns"
    / "reference"
    / "imt-mines-albi-2021.toml"
)


@pytest.fixture(scope="session")
def reference_text() -> str:
    return REFERENCE_PATH.read_text(encoding="utf-8")


@pytest.fixture
def reference_data(reference_text):
    """The reference file parsed but not validated, to break one field per test."""
    return tomllib.loads(reference_text)


@pytest.fixture(scope="session")
def reference_document(reference_text):
    return load_campaign_file(reference_text)


@pytest.fixture(scope="session")
def reference_params(reference_document):
    return reference_document.to_params()
