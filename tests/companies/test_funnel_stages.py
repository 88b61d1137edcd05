"""The funnel extended to the company phase (R8.3, issue 13): after "admitted academically",
"company confirmed" and "admitted for good" (the final list, then the frozen list)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from admissions.companies.models import ListPlace
from admissions.companies.services import freeze_final_list
from admissions.verification.funnel import count_funnel

from .conftest import FROZEN_AT, PARIS, confirm, declare, make_dossier

pytestmark = pytest.mark.django_db


def july(day: int) -> datetime:
    return datetime(2021, 7, day, 10, 0, tzinfo=PARIS)


@pytest.fixture
def line(campaign):
    """Four admitted: three confirmed for 2 seats (the third waits), one still awaiting."""
    dossiers = [make_dossier(campaign, f"{name}@example.org") for name in ("ana", "ben", "cid")]
    for day, dossier in zip((5, 6, 7), dossiers, strict=True):
        confirm(declare(dossier), july(day))
    declare(make_dossier(campaign, "dan@example.org"))
    make_dossier(campaign, "below@example.org", admitted=False)
    return dossiers


def stages(figures) -> tuple[int, int, int]:
    total = figures.total
    return total.admitted, total.company_confirmed, total.final_admitted


def test_the_funnel_counts_confirmed_companies_and_the_final_list(line, campaign, officer):
    figures = count_funnel(officer, campaign)

    assert stages(figures) == (4, 3, 2)
    apprenticeship = next(row for row in figures.by_status if row.label == "Apprentissage")
    assert apprenticeship.values()[-3:] == [4, 3, 2]


def test_admitted_for_good_is_the_frozen_list_once_recorded(line, campaign, officer):
    freeze_final_list(campaign=campaign, now=FROZEN_AT + timedelta(minutes=5))
    ListPlace.objects.update(standing=ListPlace.Standing.ADMITTED)  # a recount after the freeze

    assert stages(count_funnel(officer, campaign)) == (4, 3, 2)


def test_admitted_for_good_follows_the_list_before_the_freeze(line, campaign, officer):
    ListPlace.objects.update(standing=ListPlace.Standing.ADMITTED)

    assert stages(count_funnel(officer, campaign)) == (4, 3, 3)


def test_another_schools_officer_sees_no_company_stage(line, campaign, other_officer):
    assert stages(count_funnel(other_officer, campaign)) == (0, 0, 0)
