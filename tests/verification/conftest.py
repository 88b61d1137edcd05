"""Submitted dossiers and the staff who check them (R4.1)."""

from __future__ import annotations

import pytest
from django.core import mail

from admissions.dossiers.services import submit_dossier
from tests.dossiers.helpers import IN_WINDOW, complete_dossier, received_recommendations


@pytest.fixture
def submitted(reference_campaign, accounts_by_role):
    """The candidate's dossier, complete and submitted at IN_WINDOW."""
    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    received_recommendations(dossier)
    dossier = submit_dossier(dossier=dossier, by=dossier.candidate, now=IN_WINDOW)
    mail.outbox.clear()  # the receipt
    return dossier


@pytest.fixture
def officer(accounts_by_role):
    return accounts_by_role["central_officer"]


@pytest.fixture
def render_cache(settings, tmp_path):
    settings.RENDER_CACHE_DIR = tmp_path / "rendered"
    return settings.RENDER_CACHE_DIR
