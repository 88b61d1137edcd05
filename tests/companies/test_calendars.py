"""R8.1 for each apprentice and tutor: the company phase gives an apprentice admitted for good
and their company tutor a calendar link each, emailed once in their language, and ends both
when the apprentice leaves the final list (withdrawal, fraud, moved to the waiting list)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from admissions.alternation.models import CalendarSubscription
from admissions.alternation.services import revoke_subscription
from admissions.audit.models import AuditEntry
from admissions.companies.services import (
    freeze_final_list,
    record_fraud,
    refresh_final_list,
    set_age_exemption,
    withdraw,
)
from admissions.notifications.models import OutboundEmail
from admissions.notifications.services import compose, shown_body
from tests.helpers import page_text

from .conftest import FROZEN_AT, PARIS, confirm, declare, make_dossier

pytestmark = pytest.mark.django_db

Kind = CalendarSubscription.Kind
TUTOR = "tuteur@company.example"


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2021, 7, day, hour, 0, tzinfo=PARIS)


def links_of(dossier, *, active: bool | None = True) -> dict[str, list[CalendarSubscription]]:
    rows = CalendarSubscription.objects.filter(dossier=dossier).order_by("pk")
    if active is not None:
        rows = rows.filter(revoked_at__isnull=active)
    found: dict[str, list[CalendarSubscription]] = {Kind.APPRENTICE: [], Kind.TUTOR: []}
    for row in rows:
        found[row.kind].append(row)
    return found


def calendar_emails(recipient: str | None = None) -> list[OutboundEmail]:
    rows = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.CALENDAR_LINK).order_by("pk")
    if recipient is not None:
        rows = rows.filter(recipient=recipient)
    return list(rows)


def feed(client, subscription: CalendarSubscription):
    return client.get(reverse("alternation:feed", args=[subscription.token]))


@pytest.fixture
def line(campaign):
    """Three apprentices confirmed on 5, 6 and 7 July for 2 seats: the third waits. Each has
    their own tutor."""
    dossiers = [make_dossier(campaign, f"{name}@example.org") for name in ("ana", "ben", "cid")]
    for day, dossier in zip((5, 6, 7), dossiers, strict=True):
        name = dossier.candidate.email.split("@")[0]
        confirm(declare(dossier, tutor_email=f"tutor-{name}@company.example"), at(day))
    return dossiers


def test_each_admitted_apprentice_and_their_tutor_get_one_link_each_emailed_once(line):
    ana, ben, cid = line

    for admitted in (ana, ben):
        links = links_of(admitted)
        assert [len(links[Kind.APPRENTICE]), len(links[Kind.TUTOR])] == [1, 1]
        assert links[Kind.APPRENTICE][0].label == admitted.full_name
        assert links[Kind.APPRENTICE][0].year_of_study == 1
        assert links[Kind.APPRENTICE][0].created_by is None  # the platform made them
    assert links_of(cid, active=None) == {Kind.APPRENTICE: [], Kind.TUTOR: []}  # waiting
    assert [e.recipient for e in calendar_emails()] == [
        "ana@example.org",
        "tutor-ana@company.example",
        "ben@example.org",
        "tutor-ben@company.example",
    ]
    assert AuditEntry.objects.filter(action="alternation.subscription.created").count() == 4


def test_recomputing_the_list_again_creates_and_emails_nothing_more(line, campaign):
    before = (CalendarSubscription.objects.count(), len(calendar_emails()))

    refresh_final_list(campaign, at(20))
    refresh_final_list(campaign, at(21))

    assert (CalendarSubscription.objects.count(), len(calendar_emails())) == before


def test_a_withdrawal_revokes_both_links_and_the_one_moving_up_gets_theirs(client, line):
    ana, ben, cid = line
    old = links_of(ana)

    withdraw(dossier=ana, by=ana.candidate, now=at(10))

    assert links_of(ana) == {Kind.APPRENTICE: [], Kind.TUTOR: []}
    for row in (*old[Kind.APPRENTICE], *old[Kind.TUTOR]):
        row.refresh_from_db()
        assert row.revoked_at == at(10) and row.revoked_by is None
        response = feed(client, row)
        assert response.status_code == 410
        assert "Lien d'abonnement révoqué" in page_text(response)
    moved_up = links_of(cid)
    assert [len(moved_up[Kind.APPRENTICE]), len(moved_up[Kind.TUTOR])] == [1, 1]
    assert [e.recipient for e in calendar_emails()][-2:] == [
        "cid@example.org",
        "tutor-cid@company.example",
    ]
    assert feed(client, moved_up[Kind.TUTOR][0]).status_code == 200


def test_fraud_revokes_both_links(line, officer):
    ana = line[0]

    record_fraud(
        dossier=ana,
        attempted=False,
        reason="Diplôme falsifié",
        evidence=None,
        by=officer,
        now=at(9),
    )

    assert links_of(ana) == {Kind.APPRENTICE: [], Kind.TUTOR: []}
    assert len(links_of(ana, active=False)[Kind.TUTOR]) == 1


def test_moved_to_the_waiting_list_revokes_both_links(campaign, officer):
    # 30 on 15 August 2021: out until staff record the legal exemption, confirmed first in line.
    older = make_dossier(campaign, "older@example.org", birth_date=date(1991, 8, 15))
    confirm(declare(older, tutor_email="tutor-older@company.example"), at(1))
    ana, ben = (make_dossier(campaign, f"{n}@example.org") for n in ("ana", "ben"))
    confirm(declare(ana, tutor_email="tutor-ana@company.example"), at(5))
    confirm(declare(ben, tutor_email="tutor-ben@company.example"), at(6))
    assert len(links_of(ben)[Kind.TUTOR]) == 1

    set_age_exemption(dossier=older, exempt=True, reason="Dérogation", by=officer, now=at(8))

    assert ben.list_place.standing == "waiting"
    assert links_of(ben) == {Kind.APPRENTICE: [], Kind.TUTOR: []}
    assert len(links_of(older)[Kind.TUTOR]) == 1


def test_readmission_makes_new_links_and_only_then_emails_the_tutor_again(
    client, campaign, officer
):
    dossier = make_dossier(campaign, "older@example.org", birth_date=date(1991, 8, 15))
    confirm(declare(dossier), at(5))  # too old on the contract's start: out
    assert links_of(dossier, active=None) == {Kind.APPRENTICE: [], Kind.TUTOR: []}

    set_age_exemption(dossier=dossier, exempt=True, reason="Dérogation", by=officer, now=at(6))
    first = links_of(dossier)[Kind.TUTOR][0]
    set_age_exemption(dossier=dossier, exempt=False, reason="Erreur", by=officer, now=at(7))
    assert len(calendar_emails(TUTOR)) == 1  # leaving sends the tutor nothing
    set_age_exemption(dossier=dossier, exempt=True, reason="Dérogation", by=officer, now=at(8))

    second = links_of(dossier)[Kind.TUTOR][0]
    assert second.pk != first.pk and second.token != first.token
    assert feed(client, first).status_code == 410  # the old link stays dead
    assert feed(client, second).status_code == 200
    assert [e.payload["subscription"] for e in calendar_emails(TUTOR)] == [first.pk, second.pk]


def test_the_freeze_keeps_the_admitted_links_and_makes_no_duplicate(line, campaign):
    before = (
        CalendarSubscription.objects.filter(revoked_at__isnull=True).count(),
        len(calendar_emails()),
    )

    freeze_final_list(campaign=campaign, now=FROZEN_AT + timedelta(hours=1))

    after = (
        CalendarSubscription.objects.filter(revoked_at__isnull=True).count(),
        len(calendar_emails()),
    )
    assert after == before == (4, 4)


def test_the_freeze_gives_links_to_the_admitted_who_had_none(line, campaign):
    """Admitted before this feature existed (or a link staff revoked by hand): the freeze,
    which recomputes the list, gives them one."""
    ana = line[0]
    for row in CalendarSubscription.objects.filter(dossier=ana):
        row.delete()

    freeze_final_list(campaign=campaign, now=FROZEN_AT + timedelta(hours=1))

    assert [len(v) for v in links_of(ana).values()] == [1, 1]


# --- The emails ------------------------------------------------------------------------------


def test_the_apprentice_and_the_tutor_read_their_link_and_the_pdf_in_their_language(
    client, campaign
):
    dossier = make_dossier(campaign, "ana@example.org")
    dossier.candidate.language = "en"
    dossier.candidate.save()
    company = declare(dossier)
    company.language = "fr"  # declared from a French page: the tutor reads French
    company.save()
    confirm(company, at(5))

    apprentice_email, tutor_email = calendar_emails()
    apprentice, tutor = links_of(dossier)[Kind.APPRENTICE][0], links_of(dossier)[Kind.TUTOR][0]
    assert (apprentice_email.language, tutor_email.language) == ("en", "fr")
    assert (apprentice.language, tutor.language) == ("en", "fr")
    to_apprentice, to_tutor = compose(apprentice_email), compose(tutor_email)
    assert to_apprentice is not None and to_tutor is not None
    assert to_apprentice.to == ["ana@example.org"] and to_tutor.to == [TUTOR]
    assert to_apprentice.subject.endswith(": your work-study calendar")
    assert "le calendrier d'alternance de votre apprenti(e)" in to_tutor.subject
    assert "Here is your work-study calendar" in to_apprentice.body
    assert "Voici le calendrier de son alternance" in to_tutor.body
    assert "Camille" not in to_tutor.subject  # never text the candidate typed in a subject
    feed_path = reverse("alternation:feed", args=[tutor.token])
    assert f"webcal://127.0.0.1:8000{feed_path}" in to_tutor.body
    assert f"http://127.0.0.1:8000{feed_path}" in to_tutor.body
    assert "/alternance/2021-2022/calendrier.pdf" in to_tutor.body
    assert dossier.full_name in to_tutor.body
    assert reverse("alternation:feed", args=[apprentice.token]) in to_apprentice.body
    # Staff read the outbox with the personal links masked.
    shown = shown_body(OutboundEmail.Kind.CALENDAR_LINK, to_tutor)
    assert tutor.token not in shown and "masqué" in shown


def test_a_link_revoked_before_its_email_leaves_is_not_sent(campaign, officer):
    dossier = make_dossier(campaign, "ana@example.org")
    confirm(declare(dossier), at(5))
    tutor = links_of(dossier)[Kind.TUTOR][0]

    revoke_subscription(tutor, by=officer)

    assert compose(calendar_emails(TUTOR)[0]) is None


# --- The feed follows the periods staff edit ---------------------------------------------------


def test_an_apprentices_link_serves_the_periods_of_the_reloaded_campaign_file(client, line):
    from tests.alternation.conftest import reload_reference

    link = links_of(line[0])[Kind.APPRENTICE][0]
    before = Calendar.from_ical(feed(client, link).content).walk("VEVENT")

    reload_reference(
        (
            '{ kind = "school", first = "2021-W45", last = "2021-W46" },   # école 1-2',
            '{ kind = "school", first = "2021-W45", last = "2021-W45" },   # école 1\n'
            '    { kind = "company", first = "2021-W46", last = "2021-W46" },',
        )
    )
    after = Calendar.from_ical(feed(client, link).content).walk("VEVENT")

    assert str(before[1]["summary"]) == "École (semaines 1 à 2)"
    assert str(after[1]["summary"]) == "École (semaine 1)"


# --- The candidate's page ----------------------------------------------------------------------


def test_the_admitted_candidate_sees_their_calendar_on_the_company_page(client, line, clock_at):
    clock_at(at(8))
    ana, _ben, cid = line
    link = links_of(ana)[Kind.APPRENTICE][0]

    client.force_login(ana.candidate)
    page = client.get("/dossier/entreprise/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    in_english = page_text(client.get("/dossier/entreprise/"))
    client.force_login(cid.candidate)
    waiting = client.get("/dossier/entreprise/").content.decode()

    assert "Mon calendrier d&#x27;alternance" in page or "Mon calendrier d'alternance" in page
    assert f'href="webcal://127.0.0.1:8000/alternance/abonnement/{link.token}.ics"' in page
    assert f"http://127.0.0.1:8000/alternance/abonnement/{link.token}.ics" in page
    assert "/alternance/2021-2022/calendrier.pdf" in page
    assert "My work-study calendar" in in_english and "Subscribe in my calendar" in in_english
    assert "calendar-title" not in waiting  # on the waiting list: no calendar yet
    assert links_of(ana)[Kind.TUTOR][0].token not in page  # the tutor's link is theirs alone


def test_a_link_staff_made_by_hand_is_neither_duplicated_nor_revoked_by_the_list(campaign, officer):
    from admissions.alternation.services import create_subscription

    dossier = make_dossier(campaign, "ana@example.org")
    by_hand = create_subscription(
        campaign=campaign, kind=Kind.APPRENTICE, label="Ana", by=officer, dossier=dossier
    )
    confirm(declare(dossier), at(5))

    assert links_of(dossier)[Kind.APPRENTICE] == [by_hand]  # counts as the apprentice's link
    assert len(links_of(dossier)[Kind.TUTOR]) == 1
    withdraw(dossier=dossier, by=dossier.candidate, now=at(6))
    assert links_of(dossier) == {Kind.APPRENTICE: [by_hand], Kind.TUTOR: []}
