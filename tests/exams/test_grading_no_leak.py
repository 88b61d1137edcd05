"""No academic decision reaches a candidate before ``academic_results_at`` (2021-04-19 00:00
Europe/Paris), not a microsecond before, on any channel: the dossier's pages, its timeline,
emails, the data-export ZIP. From the instant on, each channel shows the outcome."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from admissions.exams.services.grading import publish_academic_results, record_academic_list
from tests.exams.grading_world import ACADEMIC_AT, GRADING_AT, JUST_BEFORE, build_phase_two
from tests.exams.test_grading_services import grade_all
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

# Any wording of an academic outcome, French or English.
OUTCOME_WORDS = re.compile(
    r"admis\(e\) acad|admis académique|retenu|éliminé|academically|eliminated|below the list"
    r"|Classé|Ranked|Note de|Absence à",
    re.IGNORECASE,
)


@pytest.fixture
def decided(reference_campaign, settings):
    settings.CLOCK_AT = GRADING_AT.isoformat()
    world = build_phase_two(reference_campaign)
    grade_all(world)
    record_academic_list(campaign=world.campaign, by=world.officer, cutoff=1, now=GRADING_AT)
    return world


def channels(client, dossier, mailoutbox) -> dict[str, str]:
    client.force_login(dossier.candidate)
    overview = page_text(client.get("/dossier/"))
    timeline = re.search(r"Calendrier de la campagne</h2>\s*<ul>(.*?)</ul>", overview, re.S)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/dossier/mes-donnees.zip").content))
    return {
        "overview": overview,
        "timeline": timeline.group(1),
        "export": json.dumps(json.loads(archive.read("donnees.json")), ensure_ascii=False),
        "emails": "\n".join(
            f"{m.subject}\n{m.body}" for m in mailoutbox if m.to == [dossier.candidate.email]
        ),
    }


def test_a_microsecond_before_the_instant_no_channel_shows_an_outcome(
    client,
    decided,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.CLOCK_AT = JUST_BEFORE.isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_academic_results(now=JUST_BEFORE) == 0
    for dossier in decided.dossiers:
        seen = channels(client, dossier, mailoutbox)
        assert {name: OUTCOME_WORDS.findall(text) for name, text in seen.items()} == {
            name: [] for name in seen
        }
        assert json.loads(seen["export"])["academic_result"] is None
        assert 'id="academic-result"' not in seen["overview"]
    assert mailoutbox == []


def test_from_the_instant_each_channel_shows_the_outcome(
    client,
    decided,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.CLOCK_AT = ACADEMIC_AT.isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_academic_results(now=ACADEMIC_AT) == 3
    admitted, below, eliminated = (
        channels(client, dossier, mailoutbox) for dossier in decided.dossiers
    )
    assert "Vous êtes admis(e) académique." in admitted["overview"]
    assert "https://www.imt-mines-albi.fr/fr/recrutement-apprenti-ingenieur" in admitted["overview"]
    assert admitted["timeline"].count("vous êtes admis(e) académique") == 1
    assert json.loads(admitted["export"])["academic_result"] == {"outcome": "admitted", "rank": 1}
    assert "Classé(e) au rang 2" in below["overview"]
    assert "vous n'êtes pas retenu(e) sur la liste" in below["timeline"]
    assert json.loads(below["export"])["academic_result"] == {"outcome": "below_list", "rank": 2}
    assert "Absence à l'épreuve « Épreuve d'anglais » : éliminatoire." in eliminated["overview"]
    assert json.loads(eliminated["export"])["academic_result"] == {
        "outcome": "eliminated",
        "rank": None,
    }
    for seen in (admitted, below, eliminated):
        assert "Résultat d'admission académique" in seen["emails"]
