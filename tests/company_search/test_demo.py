"""The demo holds the company-search help (R7.3): two sessions, the presentation file, a phone
advice request; seeding twice adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from admissions.company_search.models import PhoneAdviceRequest, PresentationFile, TrainingSession

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_company_search_help_once(reference_campaign):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    sessions = TrainingSession.objects.filter(campaign=reference_campaign)
    published = reference_campaign.academic_results_at
    assert [(s.remote, s.capacity) for s in sessions] == [(False, 20), (True, 30)]
    assert all(s.starts_at > published for s in sessions)
    presentation = PresentationFile.objects.get(campaign=reference_campaign)
    assert presentation.file.read().startswith(b"%PDF-")
    request = PhoneAdviceRequest.objects.select_related("dossier__candidate").get()
    assert request.dossier.academic_decision.outcome == "admitted"
    assert not request.dossier.host_companies.exists()
