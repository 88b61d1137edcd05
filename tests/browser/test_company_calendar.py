"""Issue 13 end to end in headless Chromium (R7.1, R7.2, R8.1): an academically admitted
candidate declares their host company (a valid SIRET); the company's contact opens the link of
the email the platform sent and confirms; the candidate is on staff's final list; the
candidate downloads their alternation calendar (ICS and PDF) and the tutor opens theirs from
their own email. Each page is saved as a screenshot and checked with axe-core (no serious or
critical violation).

No sleeps: each step waits on a navigation, a download or an element.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from admissions.accounts.models import Role
from admissions.alternation.models import CalendarSubscription
from admissions.companies.models import HostCompany, ListPlace
from admissions.notifications.models import OutboundEmail
from tests.browser.axe import serious_violations
from tests.browser.session import log_in
from tests.companies.conftest import JUNE, make_dossier, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TUTOR = "dominique.tuteur@company.example"


class Pages:
    """Saves each page the test visits and collects axe-core's serious findings."""

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


def link_in(body: str, pattern: str) -> str:
    found = re.search(pattern, body)
    assert found, body
    return found.group(0)


def test_declared_confirmed_listed_and_the_calendar_downloaded(
    new_context, live_server, reference_campaign, settings, mailoutbox, output_path
):
    settings.CLOCK_AT = JUNE.isoformat()
    settings.SITE_URL = live_server.url  # the links the emails and pages hand out
    pages = Pages(output_path)
    dossier = make_dossier(reference_campaign, "ana@example.org")
    officer = staff("officer@school.example", Role.SCHOOL_OFFICER, reference_campaign.school)
    # Three browsers, in French (dates typed and shown the French way): the candidate's, the
    # company contact's (no account) and the school officer's.
    page, company_window, staff_window = (
        new_context(locale="fr-FR", accept_downloads=True).new_page() for _ in range(3)
    )
    for window in (page, company_window, staff_window):
        window.set_viewport_size({"width": 1280, "height": 900})

    # 1. The academically admitted candidate declares the host company.
    log_in(page, live_server, dossier.candidate, "fr")
    page.goto(live_server.url + "/dossier/entreprise/")
    pages.check(page, "01-candidate-declare-form")
    page.get_by_label("Raison sociale de l'entreprise").fill("Usinage du Tarn SAS")
    page.get_by_label("Numéro SIRET").fill("732 829 320 00074")
    page.get_by_label("Secteur d'activité").select_option("industrie-mecanique")
    page.get_by_label("Adresse de l'établissement").fill("12 avenue de l'Industrie, 81000 Albi")
    page.locator("#id_contract_start").fill("2021-09-01")
    page.get_by_label("Nom et prénom du tuteur").fill("Dominique Tuteur")
    page.get_by_label("Fonction du tuteur").fill("Responsable de production")
    page.get_by_label("Adresse électronique du tuteur").fill(TUTOR)
    page.get_by_label("Téléphone du tuteur").fill("05 63 00 00 00")
    submit(page, page.get_by_role("button", name="Déclarer l'entreprise"))
    assert (
        "a reçu un lien pour confirmer votre contrat"
        in page.locator(".fr-alert").first.inner_text()
    )
    company = HostCompany.objects.get(dossier=dossier)
    assert (company.siret, company.state) == ("73282932000074", HostCompany.State.AWAITING)
    pages.check(page, "02-candidate-awaiting")

    # 2. The company's contact opens the link of the email they received, and confirms.
    (request,) = [m for m in mailoutbox if m.to == [TUTOR]]
    url = link_in(request.body, re.escape(live_server.url) + r"/entreprise/\S+/")
    company_window.goto(url)
    assert company_window.locator("h1").inner_text() == "Confirmation d'un contrat en alternance"
    pages.check(company_window, "03-company-link-form")
    company_window.click("label[for=id_answer_0]")  # "Je confirme le contrat..." (DSFR radio)
    assert company_window.get_by_label("Je confirme le contrat et sa date de début").is_checked()
    submit(company_window, company_window.get_by_role("button", name="Envoyer ma réponse"))
    pages.check(company_window, "04-company-link-answered")
    company.refresh_from_db()
    assert company.state == HostCompany.State.CONFIRMED
    assert ListPlace.objects.get(dossier=dossier).standing == ListPlace.Standing.ADMITTED

    # 3. The candidate is on staff's final list.
    log_in(staff_window, live_server, officer, "fr")
    staff_window.goto(live_server.url + "/gestion/liste-definitive/")
    row = staff_window.locator("#admitted-apprentissage tbody tr").first
    assert dossier.reference in row.inner_text() and "Usinage du Tarn SAS" in row.inner_text()
    pages.check(staff_window, "05-staff-final-list")

    # 4. The candidate, admitted for good, finds their calendar and downloads it.
    page.goto(live_server.url + "/dossier/entreprise/")
    section = page.locator("#calendar")
    assert section.get_by_role("heading", name="Mon calendrier d'alternance").is_visible()
    pages.check(page, "06-candidate-calendar")
    mine = CalendarSubscription.objects.get(
        dossier=dossier, kind=CalendarSubscription.Kind.APPRENTICE
    )
    assert page.locator("#calendar-subscribe").get_attribute("href") == (
        "webcal://" + live_server.url.split("://")[1] + f"/alternance/abonnement/{mine.token}.ics"
    )
    with page.expect_download() as download:
        page.locator("#calendar-ics").click()
    ics = Calendar.from_ical(Path(download.value.path()).read_bytes())
    events = ics.walk("VEVENT")
    assert str(ics["x-wr-calname"]) == (
        f"Alternance 1re année — {reference_campaign.name} — {dossier.full_name}"
    )
    assert str(events[0]["summary"]) == "Entreprise (semaines 1 à 5)"
    assert str(events[1]["summary"]) == "École (semaines 1 à 2)"
    assert events[1].decoded("dtstart") == date(2021, 11, 8)  # ISO week 2021-W45
    assert len(events) == 12  # 1st year: 6 company and 6 school periods
    pdf_href = page.locator("#calendar-pdf").get_attribute("href")
    assert pdf_href == f"{live_server.url}/alternance/2021-2022/calendrier.pdf"
    response = page.request.get(pdf_href)
    assert (response.status, response.headers["content-type"]) == (200, "application/pdf")
    text = " ".join(PdfReader(io.BytesIO(response.body())).pages[0].extract_text().split())
    assert "Calendrier de l'alternance école/entreprise 2021-2022" in text
    assert "04/10 – 10/10/2021" in text

    # 5. The tutor reads their own calendar link in their email (no account) and opens it.
    (calendar_email,) = [
        m for m in mailoutbox if m.to == [TUTOR] and "calendrier d'alternance" in m.subject
    ]
    feed_url = link_in(
        calendar_email.body, re.escape(live_server.url) + r"/alternance/abonnement/\S+\.ics"
    )
    theirs = CalendarSubscription.objects.get(dossier=dossier, kind=CalendarSubscription.Kind.TUTOR)
    assert feed_url.endswith(f"/{theirs.token}.ics") and theirs.token != mine.token
    feed = company_window.request.get(feed_url)
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert len(Calendar.from_ical(feed.body()).walk("VEVENT")) == len(events)
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.CALENDAR_LINK).count() == 2

    # 6. Staff's outbox shows both calendar emails, their links masked.
    staff_window.goto(live_server.url + "/gestion/courriels/")
    pages.check(staff_window, "07-staff-outbox")

    assert {name: found for name, found in pages.found.items() if found} == {}
    assert len(list(pages.folder.glob("*.png"))) == 7
