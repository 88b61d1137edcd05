"""seed_demo: one account per staff role and candidates in every state known so far (issue 3, §4)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from admissions.accounts.models import Role, RoleGrant, User
from admissions.dossiers.models import Dossier
from admissions.payments.models import Payment

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_creates_every_staff_role_and_every_dossier_state(reference_campaign):
    printed = seed()

    assert {grant.role for grant in RoleGrant.objects.all()} == set(Role) - {Role.CANDIDATE}
    states = {d.candidate.email: d.state for d in Dossier.objects.select_related("candidate")}
    assert states["submitted@demo.example"] == Dossier.State.SUBMITTED
    assert states["paid@demo.example"] == Dossier.State.SUBMITTED
    assert states["ready@demo.example"] == Dossier.State.DRAFT
    assert Payment.objects.get(dossier__candidate__email="paid@demo.example").state == Payment.State.CONFIRMED
    assert "/recommandation/" in printed
    assert "password for all: demo-admissions-2021" in printed


def test_seed_demo_twice_changes_nothing(reference_campaign):
    seed()
    counts = (User.objects.count(), Dossier.objects.count(), Payment.objects.count())

    seed()

    assert (User.objects.count(), Dossier.objects.count(), Payment.objects.count()) == counts


def test_the_ready_dossier_can_be_submitted_by_its_candidate(reference_campaign):
    from datetime import datetime

    from admissions.dossiers.services import submit_dossier

    seed()
    dossier = Dossier.objects.get(candidate__email="ready@demo.example")

    submit_dossier(dossier=dossier, by=dossier.candidate, now=datetime.fromisoformat("2021-03-01T10:00:00+01:00"))

    assert Dossier.objects.get(pk=dossier.pk).state == Dossier.State.SUBMITTED
