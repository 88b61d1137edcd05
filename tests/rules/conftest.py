"""Fixtures of the pure rules tests: no database, no Django, no clock."""

from __future__ import annotations

import pytest

from admissions.rules.params import Campaign
from tests.rules import reference


@pytest.fixture
def campaign_2021() -> Campaign:
    return reference.campaign_2021()
