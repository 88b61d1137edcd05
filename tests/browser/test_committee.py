"""Issue 11, R5 in a real browser: a committee member scores with the keyboard, the school's
officer records the decision, publication emails the candidate, who reads the result. Every
staff page is screenshot and checked with axe-core."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from admissions.accounts.models import User
from admissions.committee.models import AdmissibilityDecision, CommitteeScore
from admissions.core import demo
from admissions.dossiers.services import open_dossier
from tests.browser.axe import serious_violations
from tests.browser.test_fees_page import log_in
from tests.committee.conftest import AFTER, BEFORE, committee_people, forward

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(accounts_by_role, reference_campaign):
    return committee_people(accounts_by_role, reference_campaign)


def check(page, tmp_path, name: str) -> None:
    page.screenshot(path=str(tmp_path / f"committee-{name}.png"), full_page=True)
    assert serious_violations(page) == [], name


def test_a_member_scores_the_officer_decides_and_the_candidate_reads_the_result(
    page, live_server, reference_campaign, people, settings, mailoutbox, tmp_path
):
    settings.CLOCK_AT = BEFORE.isoformat()
    candidate = User.objects.create_user("camille@example.org", "a-long-password-1")
    dossier = open_dossier(candidate=candidate, campaign=reference_campaign, now=BEFORE)
    demo.submitted(last_name="Martin")(
        dossier, reference_campaign, people["central"], BEFORE.replace(day=1)
    )
    forward(dossier, people["central"])
    page.set_viewport_size({"width": 1280, "height": 900})

    # A committee member, keyboard only: the queue, "next dossier to score", the score form.
    page.context.clear_cookies()
    log_in(page, live_server, people["member"], "fr")
    page.goto(live_server.url + "/gestion/commission/")
    check(page, tmp_path, "queue")
    page.locator("#next-to-score").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == f"Dossier {dossier.reference}"
    check(page, tmp_path, "dossier-member")
    page.locator("#id_score").focus()
    page.keyboard.type("15,5")
    page.keyboard.press("Tab")
    page.keyboard.type("Parcours solide, projet clair.")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".fr-alert--success").inner_text() == "Votre avis est enregistré."
    score = CommitteeScore.objects.get()
    assert (str(score.score), score.comment) == ("15.50", "Parcours solide, projet clair.")

    # The school's admissions officer records the decision beside the scores.
    page.context.clear_cookies()
    log_in(page, live_server, people["officer"], "fr")
    page.goto(live_server.url + f"/gestion/commission/{dossier.reference}/")
    assert page.locator("#committee-scores tbody tr th").all_inner_texts() == [
        "member@school.example"
    ]
    check(page, tmp_path, "dossier-officer")
    page.get_by_label("Admissible", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Enregistrer la décision").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert AdmissibilityDecision.objects.get().admissible is True
    check(page, tmp_path, "decided")
    page.goto(live_server.url + "/gestion/commission/publication/")
    check(page, tmp_path, "publication")

    # Before the instant the candidate sees nothing; at it, publication emails them.
    page.context.clear_cookies()
    log_in(page, live_server, candidate, "fr")
    page.goto(live_server.url + "/dossier/")
    assert page.locator("#admissibility-result").count() == 0
    settings.CLOCK_AT = AFTER.isoformat()
    mailoutbox.clear()
    call_command("publish_results", stdout=StringIO())
    assert [message.subject for message in mailoutbox] == [
        f"Résultat d'admissibilité — dossier {dossier.reference} : vous êtes admissible"
    ]

    page.goto(live_server.url + "/dossier/")
    assert page.locator("#admissibility-result p").first.inner_text() == (
        "Vous êtes admissible. Prochaine étape : les épreuves probatoires."
    )
    page.screenshot(path=str(tmp_path / "committee-candidate-result.png"), full_page=True)
    assert serious_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("link", name="Choisir mon jour d'épreuves").click()
    assert page.locator("h1").inner_text() == "Choix du jour d'épreuves"
    page.screenshot(path=str(tmp_path / "committee-exam-days.png"), full_page=True)
    assert serious_violations(page) == []
    print("screenshots:", tmp_path)
