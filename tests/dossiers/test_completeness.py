"""Honest completeness in the side menu (R3.1, R3.2, R10.1): a page is "complet" only when the
rules agree; an optional page says so."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from admissions.dossiers.models import Diploma, Experience
from admissions.dossiers.selectors import page_states, submission_blockers
from admissions.dossiers.services import open_dossier
from tests.dossiers.helpers import IN_WINDOW, fill_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_client(client, accounts_by_role, settings):
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    client.force_login(accounts_by_role["candidate"])
    return client


@pytest.fixture
def dossier(accounts_by_role, reference_campaign):
    return open_dossier(
        candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
    )


def menu_badges(page: str) -> dict[str, str]:
    """Each page's badge in the side menu, by the page's slug."""
    found = re.findall(
        r'href="/dossier/([a-z]+)/"[^>]*>\s*<span class="sidemenu-page">\d+\.[^<]*</span>\s*'
        r'<span class="fr-badge[^"]*"[^>]*>([^<]+)</span>',
        page,
    )
    return dict(found)


def states(dossier, campaign) -> dict[str, tuple[bool, tuple[str, ...], bool]]:
    dossier.refresh_from_db()
    return {
        p.slug: (p.complete, p.missing, p.optional)
        for p in page_states(dossier, campaign.params(), "fr", now=IN_WINDOW)
    }


def test_education_is_not_complete_while_the_diploma_does_not_qualify(dossier, reference_campaign):
    fill_pages(dossier, reference_campaign)
    dossier.diplomas.update(scientific_or_technical=False)

    complete, missing, _optional = states(dossier, reference_campaign)["parcours"]

    assert complete is False
    assert len(missing) == 1 and "scientifique" in missing[0]


def test_education_is_complete_with_a_qualifying_diploma(dossier, reference_campaign):
    fill_pages(dossier, reference_campaign)

    assert states(dossier, reference_campaign)["parcours"] == (True, (), False)


def test_a_diploma_that_does_not_qualify_is_listed_once_among_the_blockers(
    dossier, reference_campaign
):
    fill_pages(dossier, reference_campaign)
    dossier.diplomas.update(type="BAC")
    dossier.refresh_from_db()

    blockers = submission_blockers(dossier, reference_campaign.params(), IN_WINDOW, "fr")

    education = [text for slug, text in blockers if slug == "parcours"]
    assert len(education) == 1
    assert [text for slug, text in blockers if slug == "statut"] == []


def test_experience_is_optional_for_an_apprentice_with_nothing_described(
    dossier, reference_campaign
):
    fill_pages(dossier, reference_campaign)

    assert states(dossier, reference_campaign)["experience"] == (True, (), True)


def test_experience_is_required_for_formation_continue(dossier, reference_campaign):
    fill_pages(
        dossier,
        reference_campaign,
    )
    dossier.status_sought = "formation_continue"
    dossier.save()

    complete, missing, optional = states(dossier, reference_campaign)["experience"]

    assert (complete, optional) == (False, False)
    assert missing == ("vos expériences comme technicien supérieur, 3 ans au moins",)


def test_experience_is_complete_with_three_years_as_higher_technician(dossier, reference_campaign):
    fill_pages(dossier, reference_campaign)
    dossier.status_sought = "formation_continue"
    dossier.save()
    Experience.objects.create(
        dossier=dossier,
        employer="Usine",
        position="Technicien",
        started_on=date(2016, 9, 1),
        ended_on=date(2018, 8, 31),
        higher_technician=True,
    )
    Experience.objects.create(
        dossier=dossier,
        employer="Usine",
        position="Vendeur",
        started_on=date(2015, 1, 1),
        ended_on=date(2016, 8, 31),
        higher_technician=False,
    )
    Experience.objects.create(
        dossier=dossier,
        employer="Atelier",
        position="Technicien",
        started_on=date(2020, 1, 4),
        higher_technician=True,
    )

    assert states(dossier, reference_campaign)["experience"] == (True, (), False)


def test_side_menu_of_an_empty_dossier_says_optional_not_complete(
    candidate_client, reference_campaign
):
    page = candidate_client.get(reverse("dossiers:overview")).content.decode()

    badges = menu_badges(page)
    assert badges["experience"] == "facultatif"
    assert badges["parcours"] == "à compléter"
    assert "complet" not in badges.values()


def test_side_menu_shows_education_to_complete_with_a_diploma_that_does_not_qualify(
    candidate_client, dossier, reference_campaign
):
    fill_pages(dossier, reference_campaign)
    Diploma.objects.filter(dossier=dossier).update(scientific_or_technical=False)

    page = candidate_client.get(reverse("dossiers:page", args=["parcours"])).content.decode()

    assert menu_badges(page)["parcours"] == "à compléter"
    assert menu_badges(page)["identite"] == "complet"
    assert 'id="page-missing"' in page


def test_recommendations_asked_but_not_answered_say_so(dossier, reference_campaign):
    from admissions.referees.services import name_referee

    fill_pages(dossier, reference_campaign)
    name_referee(
        dossier=dossier,
        kind="professional",
        name="Alex Martin",
        role="Tuteur",
        email="alex@example.com",
        by=dossier.candidate,
        now=IN_WINDOW,
    )

    complete, missing, _optional = states(dossier, reference_campaign)["recommandations"]

    assert complete is False
    assert missing == (
        "Recommandation académique",
        "Recommandation professionnelle (demandée, réponse du référent attendue)",
    )
