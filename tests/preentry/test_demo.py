"""The demo's pre-entry checklists (R7.4): four candidates admitted for good, in four states,
built once however often seed_demo runs."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from admissions.companies.models import ListPlace
from admissions.dossiers.models import Dossier
from admissions.preentry import selectors
from admissions.preentry.models import PreEntryDocument

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_checklists_in_every_state_once(reference_campaign):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())

    params = reference_campaign.params()
    found = {}
    for dossier in Dossier.objects.filter(candidate__email__startswith="entree-"):
        checklist = selectors.checklist_of(dossier, params)
        found[dossier.candidate.email] = (
            dossier.list_place.standing,
            checklist.conditional,
            checklist.missing,
        )
    assert found == {
        "entree-a-faire@demo.example": ("admitted", True, ("diploma", "jdc", "midisup")),
        "entree-a-verifier@demo.example": ("admitted", True, ("diploma", "jdc", "midisup")),
        "entree-refusee@demo.example": ("admitted", True, ("diploma", "midisup")),
        "entree-complete@demo.example": ("admitted", False, ()),
    }
    assert PreEntryDocument.objects.filter(review="refused").count() == 1
    assert ListPlace.objects.filter(dossier__candidate__email__startswith="entree-").count() == 4
    assert "entree-complete@demo.example" in out.getvalue()
