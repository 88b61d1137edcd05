"""Before the irreversible submission, the review page shows the whole dossier to check (R3.7)."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from admissions.dossiers.models import Experience, FormationChoice
from admissions.dossiers.services import open_dossier
from admissions.referees.services import name_referee
from tests.dossiers.helpers import IN_WINDOW, complete_dossier, fill_pages

pytestmark = pytest.mark.django_db
URL = reverse("dossiers:page", args=["depot"])


@pytest.fixture
def candidate_client(client, accounts_by_role, settings):
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    client.force_login(accounts_by_role["candidate"])
    return client


def summary_of(response) -> str:
    page = html.unescape(response.content.decode())
    return page.split('id="dossier-summary"', 1)[1].split("</div>\n\n", 1)[0]


def section(summary: str, slug: str) -> str:
    return summary.split(f'id="summary-{slug}"', 1)[1].split("</section>", 1)[0]


def rows(part: str) -> list[tuple[str, str]]:
    return re.findall(r"<div><dt>([^<]*)</dt><dd>([^<]*)</dd></div>", part)


def items(part: str) -> list[str]:
    return [item.strip() for item in re.findall(r"<li>(.*?)</li>", part, re.S)]


def test_review_summarises_every_page_with_a_link_to_change_it(
    candidate_client, accounts_by_role, reference_campaign
):
    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    second = (
        reference_campaign.options_on_offer().exclude(pk=dossier.choices.get().option_id).first()
    )
    FormationChoice.objects.create(dossier=dossier, option=second, rank=2)
    Experience.objects.create(
        dossier=dossier,
        employer="Atelier Durand",
        position="Stagiaire",
        started_on=date(2019, 6, 1),
        ended_on=date(2019, 8, 31),
    )
    name_referee(
        dossier=dossier,
        kind="professional",
        name="Alex Martin",
        role="Tuteur",
        email="alex@example.com",
        by=dossier.candidate,
        now=IN_WINDOW,
    )

    summary = summary_of(candidate_client.get(URL))

    identity = dict(rows(section(summary, "identite")))
    assert (
        identity["Nom"],
        identity["Prénom"],
        identity["Lieu de naissance"],
        identity["Nationalité"],
    ) == ("Martin", "Camille", "Albi", "France")
    assert identity["Date de naissance"] == "17 mai 2000"  # the one date format (issue 8)
    assert identity["Courriel"] == accounts_by_role["candidate"].email
    assert rows(section(summary, "statut")) == [("Statut", "Apprentissage")]
    formations = items(section(summary, "formations"))
    assert (
        len(formations) == 2
        and formations[0].startswith("1. ")
        and formations[1] == f"2. {second.display_name}"
    )
    assert items(section(summary, "parcours")) == [
        "DUT — Génie mécanique et productique — obtenu en 2020"
    ]
    assert items(section(summary, "experience")) == ["Stagiaire, Atelier Durand (2019 – 2019)"]
    assert rows(section(summary, "recommandations")) == [
        ("Référent académique", "aucun référent désigné"),
        ("Référent professionnel", "Alex Martin — Demandée"),
    ]
    documents = items(section(summary, "pieces"))
    assert "Curriculum vitae\u00a0: fourni" in documents  # the state agrees with the label
    assert "Photo d'identité\u00a0: fournie" in documents
    assert "Recommandation académique\u00a0: <strong>manquante</strong>" in documents
    assert rows(section(summary, "frais")) == [
        ("Total", "99,00\xa0€"),
        ("Reste dû", "22,00\xa0€"),
        ("Paiement", "77,00\xa0€ — Déclaré, à confirmer"),
    ]
    links = re.findall(r'<a class="fr-link fr-link--sm" href="([^"]+)"[^>]*>Modifier</a>', summary)
    assert links == [
        f"/dossier/{slug}/"
        for slug in (
            "identite",
            "statut",
            "formations",
            "parcours",
            "experience",
            "recommandations",
            "pieces",
            "frais",
        )
    ]


def test_review_of_an_empty_dossier_says_what_is_not_there(
    candidate_client, accounts_by_role, reference_campaign
):
    summary = summary_of(candidate_client.get(URL))

    assert "Aucune formation choisie." in section(summary, "formations")
    assert "Aucun diplôme déclaré." in section(summary, "parcours")
    assert "Aucune expérience décrite." in section(summary, "experience")


def test_submit_button_comes_with_the_warning_that_submission_is_final(
    candidate_client, accounts_by_role, reference_campaign, monkeypatch
):
    from admissions.dossiers import selectors

    dossier = fill_pages(
        open_dossier(
            candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
        ),
        reference_campaign,
    )
    monkeypatch.setattr(selectors, "submission_blockers", lambda *args, **kwargs: [])

    page = html.unescape(candidate_client.get(URL).content.decode())

    warning = page.split('id="submit-warning"', 1)[1].split("</div>", 1)[0]
    assert "Le dépôt est définitif" in warning
    assert (
        '<button class="fr-btn" type="submit" id="submit-dossier" aria-describedby="submit-warning">Déposer mon dossier</button>'
        in page
    )
    assert page.index('id="dossier-summary"') < page.index('id="submit-dossier"')
    assert dossier.reference in page


def test_submitted_dossier_summary_has_no_change_links(
    candidate_client, accounts_by_role, reference_campaign
):
    from admissions.dossiers.models import Dossier

    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    Dossier.objects.filter(pk=dossier.pk).update(
        state=Dossier.State.SUBMITTED, submitted_at=IN_WINDOW
    )

    page = html.unescape(candidate_client.get(URL).content.decode())

    assert 'id="dossier-summary"' in page
    assert ">Modifier</a>" not in page
    assert 'id="submit-dossier"' not in page
