"""The campaign's funnel (R8.3): counts by option and status, school scope, chart and export."""

from __future__ import annotations

import io
from datetime import date, datetime, time

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from admissions.accounts.models import Role
from admissions.committee.models import AdmissibilityDecision
from admissions.exams.models import Booking, ExamDay
from admissions.verification.funnel import count_funnel
from tests.verification.helpers import PARIS, check, make_dossier, officer_of_another_school

pytestmark = pytest.mark.django_db

AT = datetime(2021, 3, 2, 10, 0, tzinfo=PARIS)


def decide(dossier, admissible: bool, by) -> None:
    AdmissibilityDecision.objects.create(
        dossier=dossier, admissible=admissible, decided_by=by, decided_at=AT
    )


@pytest.fixture
def campaign_with_dossiers(reference_campaign, accounts_by_role):
    """One draft, three submitted (two recevable, one of them admissible and booked, one not)."""
    officer = accounts_by_role["central_officer"]
    make_dossier(reference_campaign, "draft@example.org", options=("SIMMA",))
    make_dossier(
        reference_campaign,
        "sub@example.org",
        submitted_at=AT,
        status_sought="apprentissage",
        options=("SENMBA", "SIMMA"),
    )
    good = make_dossier(
        reference_campaign, "good@example.org", submitted_at=AT, status_sought="apprentissage"
    )
    refused = make_dossier(
        reference_campaign,
        "no@example.org",
        submitted_at=AT,
        status_sought="formation_continue",
        options=("SENMBA",),
    )
    check(good, "recevable", officer)
    check(refused, "recevable", officer)
    decide(good, True, officer)
    decide(refused, False, officer)
    day = ExamDay.objects.create(
        campaign=reference_campaign,
        date=date(2021, 3, 30),
        starts_at=time(8),
        ends_at=time(18),
        capacity=5,
        booked=1,
    )
    Booking.objects.create(dossier=good, day=day, booked_at=AT, booked_by=good.candidate)
    return reference_campaign


def test_funnel_counts_each_stage_by_option_and_status(campaign_with_dossiers, accounts_by_role):
    figures = count_funnel(accounts_by_role["school_officer"], campaign_with_dossiers)

    assert figures.total.values() == [4, 3, 2, 1, 1, 0, 0, 0, 0, 0]
    assert figures.total.accounts == 1 + 4  # the fixture's candidate and the four above
    assert [(row.label, row.values()) for row in figures.by_option] == [
        ("SENMBA", [3, 3, 2, 1, 1, 0, 0, 0, 0, 0]),
        ("SIPHASS", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        ("SIMMA", [2, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
    ]
    assert [(row.label, row.values()) for row in figures.by_status] == [
        ("Apprentissage", [2, 2, 1, 1, 1, 0, 0, 0, 0, 0]),
        ("Formation continue diplômante", [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]),
        ("Contrat de professionnalisation", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        ("Statut non renseigné", [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ]


def test_funnel_of_another_school_counts_nothing(campaign_with_dossiers):
    figures = count_funnel(officer_of_another_school(), campaign_with_dossiers)

    assert figures.total.values() == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert [row.values() for row in figures.by_option] == [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]] * 3


def test_funnel_of_a_school_officer_of_another_school_counts_nothing(campaign_with_dossiers):
    other = officer_of_another_school(role=Role.SCHOOL_OFFICER)

    figures = count_funnel(other, campaign_with_dossiers)

    assert figures.total.values() == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]


@pytest.mark.parametrize("role", ["central_officer", "school_officer", "platform_admin"])
def test_funnel_page_shows_the_table_and_the_chart(
    client, campaign_with_dossiers, accounts_by_role, role
):
    client.force_login(accounts_by_role[role])

    response = client.get(reverse("statistics:funnel"))

    assert response.status_code == 200
    assert response.context["funnel"].total.values() == [4, 3, 2, 1, 1, 0, 0, 0, 0, 0]
    chart = response.context["option_chart"]
    assert [bar.value for bar in chart.groups[0].bars] == [3, 3, 2, 1, 1, 0, 0, 0, 0, 0]
    assert response.content.decode().count("<rect ") == 11 + 3 * 10 + 4 * 10


@pytest.mark.parametrize("role", ["candidate", "committee_member", "jury_member"])
def test_funnel_page_is_refused_to_other_roles(client, accounts_by_role, role):
    client.force_login(accounts_by_role[role])

    response = client.get(reverse("statistics:funnel"))

    assert response.status_code == 403


def test_funnel_exports_as_xlsx(client, campaign_with_dossiers, accounts_by_role):
    client.force_login(accounts_by_role["central_officer"])

    response = client.get(reverse("statistics:funnel_export", args=["xlsx"]))

    rows = list(
        load_workbook(
            io.BytesIO(b"".join(response.streaming_content)), read_only=True
        ).active.iter_rows(values_only=True)
    )
    assert rows[0] == (
        "Regroupement",
        "Ligne",
        "Comptes candidats",
        "Dossiers commencés",
        "Dossiers déposés",
        "Dossiers recevables",
        "Candidats admissibles",
        "Candidats inscrits à une journée d'épreuves",
        "Candidats examinés",
        "Candidats éliminés aux épreuves",
        "Admis académiques",
        "Entreprise d'accueil confirmée",
        "Admis définitivement",
    )
    assert rows[1] == ("Campagne", "Toute la campagne", 5, 4, 3, 2, 1, 1, 0, 0, 0, 0, 0)
    assert rows[2] == ("Option", "SENMBA", None, 3, 3, 2, 1, 1, 0, 0, 0, 0, 0)
    assert len(rows) == 1 + 1 + 3 + 4


def test_funnel_is_counted_per_school_scope(campaign_with_dossiers, accounts_by_role):
    count_funnel(accounts_by_role["central_officer"], campaign_with_dossiers)  # cached

    figures = count_funnel(officer_of_another_school(), campaign_with_dossiers)

    assert figures.total.values() == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
