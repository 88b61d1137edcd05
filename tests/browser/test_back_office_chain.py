"""The back office end to end in headless Chromium (issue 11: R4.1, R5.1, R5.2, R8.2).

A central officer filters the queue, opens a dossier and refuses its CV with a reason from the
campaign's list; the candidate, in their own browser and in English, reads the fix list (the
reason in English) and sends another CV; the officer accepts it and forwards the dossier
("recevable"); a committee member scores it; the school's admissions officer, authorised to
decide, declares it admissible; at the publication instant the platform's publish step emails
the candidate, who reads the result. Each staff page visited is saved as a screenshot under the
test's output directory and checked with axe-core (no serious or critical violation).

No sleeps: each step waits on a navigation or an element.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from admissions.accounts.models import User
from admissions.committee.models import AdmissibilityDecision, CommitteeScore
from admissions.core import demo
from admissions.documents.models import Document
from admissions.dossiers.services import open_dossier
from admissions.notifications.models import OutboundEmail
from admissions.verification.models import DossierCheck
from admissions.verification.services import review_document
from tests.browser.axe import serious_violations
from tests.browser.session import log_in
from tests.committee.conftest import AFTER, BEFORE, committee_people
from tests.documents import corpus
from tests.dossiers.helpers import IN_WINDOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNREADABLE_EN = "The document is unreadable or incomplete (every page, both sides)."


@pytest.fixture
def people(accounts_by_role, reference_campaign):
    return committee_people(accounts_by_role, reference_campaign)


def submitted(campaign, officer, email: str, last_name: str, language: str = "fr"):
    candidate = User.objects.create_user(email, "a-long-password-1", language=language)
    dossier = open_dossier(candidate=candidate, campaign=campaign, now=IN_WINDOW)
    return demo.submitted(last_name=last_name)(dossier, campaign, officer, IN_WINDOW)


@pytest.fixture
def dossier(reference_campaign, people, settings):
    """An English-speaking candidate's submitted dossier, every document but the CV already
    judged valid; a second submitted dossier the queue's search leaves out."""
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    submitted(reference_campaign, people["central"], "other@example.org", "Bernard")
    dossier = submitted(
        reference_campaign, people["central"], "nguyen@example.org", "Nguyen", language="en"
    )
    for document in dossier.documents.exclude(code="cv"):
        review_document(document=document, by=people["central"], now=IN_WINDOW, verdict="valid")
    return dossier


class StaffPages:
    """Saves each staff page the test visits and collects axe-core's serious findings."""

    def __init__(self, output_path: str) -> None:
        self.folder = Path(output_path)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.found: dict[str, list[dict]] = {}

    def check(self, page, name: str) -> None:
        page.screenshot(path=str(self.folder / f"{name}.png"), full_page=True)
        self.found[name] = serious_violations(page)


def submit(page, button) -> None:
    with page.expect_navigation():
        button.click()


def test_the_back_office_from_the_queue_to_the_published_result(
    page, new_context, live_server, dossier, people, settings, mailoutbox, output_path, tmp_path
):
    staff = StaffPages(output_path)
    candidate = new_context().new_page()  # the candidate's own browser
    for window in (page, candidate):
        window.set_viewport_size({"width": 1280, "height": 900})
    cv = dossier.documents.get(code="cv")
    dossier_url = f"{live_server.url}/gestion/dossiers/{dossier.reference}/"

    # 1. The central officer searches the queue and opens the dossier from it.
    log_in(page, live_server, people["central"], "fr")
    page.goto(live_server.url + "/gestion/verification/")
    page.fill("#filter-q", "nguyen")
    with page.expect_navigation():
        page.press("#filter-q", "Enter")
    rows = page.locator(".queue-table tbody tr")
    assert rows.count() == 1
    staff.check(page, "01-queue-filtered")
    submit(page, rows.first.get_by_role("link", name=dossier.reference))
    assert page.locator("h1").inner_text().startswith(f"Dossier {dossier.reference}")

    # 2. It refuses the CV with a reason of the campaign's list and tells the candidate.
    mailoutbox.clear()  # the receipts of the submissions
    page.click(f"label[for=verdict-{cv.pk}-refused]")
    page.select_option(f"#reason-{cv.pk}", "illisible")
    submit(page, page.locator(f"#doc-{cv.pk} form button[type=submit]"))
    submit(page, page.get_by_role("button", name="Signaler au candidat les pièces à remplacer"))
    assert page.locator(f"#doc-{cv.pk}-title .fr-badge").inner_text().lower() == "refusée"
    staff.check(page, "02-dossier-cv-refused")
    (fix_list,) = mailoutbox
    assert f"- Curriculum vitae: {UNREADABLE_EN}" in fix_list.body.splitlines()

    # 3. The candidate reads the fix list in English and sends another CV.
    log_in(candidate, live_server, dossier.candidate, "en")
    candidate.goto(live_server.url + "/dossier/")
    assert UNREADABLE_EN in candidate.locator("#to-replace-items li").first.inner_text()
    candidate.goto(live_server.url + "/dossier/pieces/")
    new_cv = tmp_path / "cv-readable.pdf"
    new_cv.write_bytes(corpus.pdf())
    candidate.set_input_files("#slot-cv", str(new_cv))
    submit(
        candidate,
        candidate.locator("form[action='/dossier/pieces/cv/envoyer'] button[type=submit]"),
    )
    cv.refresh_from_db()
    assert (cv.review, cv.original_name) == (Document.Review.UNCHECKED, "cv-readable.pdf")

    # 4. The officer accepts the new CV and forwards the dossier to the school.
    page.goto(dossier_url)
    assert page.locator(f"#doc-{cv.pk}-title .fr-badge").inner_text().lower() == "à vérifier"
    staff.check(page, "03-dossier-cv-replaced")
    page.click(f"label[for=verdict-{cv.pk}-valid]")
    submit(page, page.locator(f"#doc-{cv.pk} form button[type=submit]"))
    page.click("label[for=decision-recevable]")
    submit(page, page.get_by_role("button", name="Enregistrer la décision"))
    assert DossierCheck.objects.get(dossier=dossier).verdict == DossierCheck.Verdict.RECEVABLE
    page.locator("#dossier-state .fr-badge").wait_for()
    staff.check(page, "04-dossier-forwarded")

    # 5. A committee member scores it from the committee's queue.
    settings.CLOCK_AT = BEFORE.isoformat()
    log_in(page, live_server, people["member"], "fr")
    page.goto(live_server.url + "/gestion/commission/")
    staff.check(page, "05-committee-queue")
    submit(page, page.get_by_role("link", name=dossier.reference).first)
    page.fill("#id_score", "15,5")
    page.fill("#id_comment", "Parcours solide, projet clair.")
    staff.check(page, "06-committee-dossier-member")
    submit(page, page.locator("form[action$='/avis'] button[type=submit]").first)
    assert page.locator(".fr-alert--success").inner_text() == "Votre avis est enregistré."
    score = CommitteeScore.objects.get(dossier=dossier)
    assert (score.member, str(score.score)) == (people["member"], "15.50")

    # 6. The school's admissions officer, authorised to decide, declares it admissible.
    log_in(page, live_server, people["officer"], "en")
    page.goto(f"{live_server.url}/gestion/commission/{dossier.reference}/")
    assert page.locator("#committee-scores tbody tr th").all_inner_texts() == [
        people["member"].email
    ]
    staff.check(page, "07-committee-dossier-officer-en")
    page.get_by_label("Admissible", exact=True).focus()
    page.keyboard.press("Space")
    submit(page, page.get_by_role("button", name="Record the decision"))
    assert AdmissibilityDecision.objects.get(dossier=dossier).admissible is True
    staff.check(page, "08-committee-decided-en")
    page.goto(live_server.url + "/gestion/commission/publication/")
    staff.check(page, "09-publication-en")

    # 7. Before the instant the candidate sees nothing of it; the publish step (the command
    # `make demo` and cron run) at the instant emails the result in the candidate's language.
    candidate.goto(live_server.url + "/dossier/")
    assert candidate.locator("#admissibility-result").count() == 0
    settings.CLOCK_AT = AFTER.isoformat()
    mailoutbox.clear()
    out = StringIO()
    call_command("publish_results", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 admissibility result(s) published",
        "0 academic result(s) published",  # the same command publishes R6.4's list later
    ]
    result = OutboundEmail.objects.get(kind=OutboundEmail.Kind.ADMISSIBILITY_RESULT)
    assert (result.recipient, result.language, result.state) == (
        dossier.candidate.email,
        "en",
        OutboundEmail.State.SENT,
    )
    assert [message.subject for message in mailoutbox] == [
        f"Admissibility result — application {dossier.reference}: you are admissible"
    ]
    log_in(page, live_server, people["central"], "fr")
    page.goto(live_server.url + "/gestion/courriels/")
    assert page.get_by_text(dossier.candidate.email).first.is_visible()
    staff.check(page, "10-outbox")

    # 8. The candidate reads the result.
    candidate.goto(live_server.url + "/dossier/")
    assert candidate.locator("#admissibility-result p").first.inner_text() == (
        "You are admissible. Next step: the admission exams."
    )
    candidate.screenshot(path=str(staff.folder / "11-candidate-result-en.png"), full_page=True)

    assert {name: found for name, found in staff.found.items() if found} == {}
    assert len(list(staff.folder.glob("*.png"))) == 11
