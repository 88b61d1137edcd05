"""Fixtures of the support tests: two candidates with dossiers, the clock inside the window."""

from __future__ import annotations

import pytest

from tests.helpers import IN_WINDOW, PARIS, page_text  # noqa: F401 - re-exported to the tests


@pytest.fixture
def officer(accounts_by_role):
    return accounts_by_role["central_officer"]


def make_dossier(user, campaign, first_name, last_name):
    from admissions.dossiers.services import open_dossier

    dossier = open_dossier(candidate=user, campaign=campaign, now=IN_WINDOW)
    dossier.first_name, dossier.last_name = first_name, last_name
    dossier.save()
    return dossier


@pytest.fixture
def dossier(reference_campaign, candidate):
    return make_dossier(candidate, reference_campaign, "Camille", "Durand")


@pytest.fixture
def other_candidate(db):
    from admissions.accounts.models import User

    return User.objects.create_user("other@example.org", "a-long-password-1")


@pytest.fixture
def other_dossier(reference_campaign, other_candidate):
    return make_dossier(other_candidate, reference_campaign, "Noé", "Bernard")
