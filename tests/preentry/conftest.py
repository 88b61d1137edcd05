"""The pre-entry checklist's fixtures: candidates admitted for good through the real company
phase (declared, confirmed by the company's link, placed by the rules core)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from admissions.core.demo import demo_pdf
from admissions.dossiers.models import Dossier
from tests.companies.conftest import (  # noqa: F401 - fixtures
    JUNE,
    PARIS,
    campaign,
    clock_at,
    confirm,
    declare,
    make_dossier,
    officer,
    other_officer,
)

SEPTEMBER = datetime(2021, 9, 1, 10, 0, tzinfo=PARIS)
PDF = demo_pdf()


def admitted(
    campaign,  # noqa: F811 - the fixture's value
    email: str,
    *,
    nationality: str = "FR",
    birth_date: date = date(2000, 5, 1),
    confirmed_at: datetime = JUNE,
) -> Dossier:
    """A candidate admitted for good: academically admitted, company confirmed within seats."""
    dossier = make_dossier(campaign, email, birth_date=birth_date)
    dossier.nationality = nationality
    dossier.save(update_fields=["nationality"])
    company = declare(dossier, now=confirmed_at, tutor_email=f"tutor-{email}")
    confirm(company, confirmed_at)
    dossier.refresh_from_db()
    return dossier


def pdf(name: str = "diplome.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def params(campaign):  # noqa: F811
    return campaign.params()
