"""No admissibility decision reaches a candidate before the publication instant, on any channel
(R5.2): the dossier's pages, its timeline, emails, the receipt PDF, the data-export ZIP and the
exam-day page. From the instant on, each channel shows the decision."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from admissions.accounts.models import User
from admissions.committee.services import decide_admissibility, publish_results
from admissions.core import demo
from admissions.dossiers.services import open_dossier
from tests.committee.conftest import AFTER, BEFORE, forward
from tests.helpers import page_text, pdf_lines

pytestmark = pytest.mark.django_db

IN_WINDOW = BEFORE.replace(month=3, day=1)
# Any wording of a decision, in French or English: "admissible", "non admissible", "pas
# admissible", "not admissible". "admissibilité" / "admissibility" (the phase's name) is fine.
DECISION_WORDS = re.compile(r"\badmissible\b", re.IGNORECASE)


@pytest.fixture
def candidates(reference_campaign, people, mailoutbox, django_capture_on_commit_callbacks):
    """Two submitted dossiers (receipt emailed), forwarded, decided before the instant."""
    built = {}
    for key, admissible in (("yes", True), ("no", False)):
        user = User.objects.create_user(f"{key}@example.org", "a-long-password-1")
        dossier = open_dossier(candidate=user, campaign=reference_campaign, now=IN_WINDOW)
        with django_capture_on_commit_callbacks(execute=True):
            demo.submitted(last_name=key.title())(
                dossier, reference_campaign, people["central"], IN_WINDOW
            )
        forward(dossier, people["central"])
        decide_admissibility(
            dossier=dossier,
            by=people["officer"],
            admissible=admissible,
            comment="" if admissible else "Projet flou.",
            now=BEFORE,
        )
        built[key] = dossier
    return built


def channels(client, dossier, mailoutbox) -> dict[str, str]:
    """What the candidate can read, channel by channel, as text."""
    client.force_login(dossier.candidate)
    overview = page_text(client.get("/dossier/"))
    timeline = re.search(r"Calendrier de la campagne</h2>\s*<ul>(.*?)</ul>", overview, re.S)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/dossier/mes-donnees.zip").content))
    exported = json.loads(archive.read("donnees.json"))
    return {
        "overview": overview,
        "timeline": timeline.group(1),
        "review": page_text(client.get("/dossier/depot/")),
        "messages": page_text(client.get("/dossier/messages/")),
        "receipt": "\n".join(pdf_lines(client.get("/dossier/recu.pdf").content)),
        "export": json.dumps(exported, ensure_ascii=False),
        "emails": "\n".join(
            f"{message.subject}\n{message.body}"
            for message in mailoutbox
            if message.to == [dossier.candidate.email]
        ),
        # The exam-day page (the admissibility email's link): its stage, the same for a
        # candidate who is not admissible and one whose result is not out.
        "exam_days": re.search(
            r'data-stage="(\w+)"', client.get("/dossier/epreuves/", follow=True).content.decode()
        ).group(1),
    }


def test_before_the_instant_no_channel_shows_a_decision(
    client, candidates, clock_at, mailoutbox, django_capture_on_commit_callbacks
):
    clock_at(BEFORE)
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_results(now=BEFORE) == 0

    for dossier in candidates.values():
        seen = channels(client, dossier, mailoutbox)

        assert {name: DECISION_WORDS.findall(text) for name, text in seen.items()} == {
            name: [] for name in seen
        }
        assert seen["exam_days"] == "no_result"
        assert json.loads(seen["export"])["admissibility_result"] is None
        assert "Projet flou." not in seen["overview"] + seen["export"] + seen["emails"]
        # The receipt was emailed: the emails channel was walked, not empty.
        assert seen["emails"].splitlines()[0] == (
            f"Accusé de réception de votre dossier {dossier.reference}"
        )


def test_from_the_instant_each_channel_shows_the_decision(
    client, candidates, clock_at, mailoutbox, django_capture_on_commit_callbacks
):
    clock_at(AFTER)
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_results(now=AFTER) == 2

    yes = channels(client, candidates["yes"], mailoutbox)
    no = channels(client, candidates["no"], mailoutbox)

    result = re.compile(r'<div id="admissibility-result"[^>]*>.*?<p>(.*?)</p>', re.S)
    assert result.search(yes["overview"]).group(1) == (
        "Vous êtes admissible. Prochaine étape : les épreuves probatoires."
    )
    assert result.search(no["overview"]).group(1) == (
        "Vous n'êtes pas admissible. Cette décision de la commission est définitive."
    )
    assert [line for line in yes["timeline"].split("</li>") if "admissibilité" in line][0].endswith(
        "— vous êtes admissible"
    )
    assert [line for line in no["timeline"].split("</li>") if "admissibilité" in line][0].endswith(
        "— vous n'êtes pas admissible"
    )
    assert json.loads(yes["export"])["admissibility_result"] == {"decision": "admissible"}
    assert json.loads(no["export"])["admissibility_result"] == {"decision": "non_admissible"}
    assert (yes["exam_days"], no["exam_days"]) == ("open", "no_result")
    assert yes["emails"].splitlines()[-0] == (
        f"Accusé de réception de votre dossier {candidates['yes'].reference}"
    )
    subjects = [message.subject for message in mailoutbox]
    assert (
        subjects.count(
            f"Résultat d'admissibilité — dossier {candidates['yes'].reference} : "
            "vous êtes admissible"
        )
        == 1
    )
    assert subjects.count(f"Résultat d'admissibilité — dossier {candidates['no'].reference}") == 1
    # The receipt is the proof of submission, frozen then: it never carries the decision.
    assert DECISION_WORDS.findall(yes["receipt"]) == []
