"""Private ICS feeds of the alternation calendar: created and revoked by staff, read fresh (R8.1)."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from icalendar import Calendar

from admissions.alternation.models import CalendarSubscription
from admissions.alternation.services import (
    SubscriptionError,
    create_subscription,
    revoke_subscription,
)
from admissions.audit.models import AuditEntry

from .conftest import reload_reference

pytestmark = pytest.mark.django_db


def feed_url(subscription: CalendarSubscription) -> str:
    return f"/alternance/abonnement/{subscription.token}.ics"


def events(response) -> list:
    calendar = Calendar.from_ical(response.content)
    return sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))


@pytest.fixture
def subscription(reference_campaign, officer):
    return create_subscription(
        campaign=reference_campaign, kind="apprentice", label="Camille Exemple", by=officer
    )


def test_the_feed_has_one_all_day_event_per_period_of_the_1st_year(client, subscription):
    response = client.get(feed_url(subscription))

    found = events(response)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    # 1st year 2021-2022: 6 company and 6 school periods, alternating, company first.
    assert [str(e["summary"]) for e in found] == [
        "Entreprise (semaines 1 à 5)",
        "École (semaines 1 à 2)",
        "Entreprise (semaines 6 à 11)",
        "École (semaines 3 à 5)",
        "Entreprise (semaines 12 à 18)",
        "École (semaines 6 à 8)",
        "Entreprise (semaines 19 à 23)",
        "École (semaines 9 à 11)",
        "Entreprise (semaines 24 à 26)",
        "École (semaines 12 à 13)",
        "Entreprise (semaines 27 à 35)",
        "École (semaines 14 à 17)",
    ]
    first, last = found[0], found[-1]
    # All-day: dates, Monday of the first week to the day after the Sunday of the last.
    assert (first.decoded("dtstart"), first.decoded("dtend")) == (
        date(2021, 10, 4),
        date(2021, 11, 8),
    )
    assert (last.decoded("dtstart"), last.decoded("dtend")) == (
        date(2022, 9, 5),
        date(2022, 10, 3),
    )


def test_the_feed_names_the_calendar_and_the_campaigns_zone(client, subscription):
    calendar = Calendar.from_ical(client.get(feed_url(subscription)).content)

    assert str(calendar["x-wr-timezone"]) == "Europe/Paris"
    assert "Camille Exemple" in str(calendar["x-wr-calname"])
    assert "1re année" in str(calendar["x-wr-calname"])


def test_the_3rd_year_feed_has_the_defences(client, reference_campaign, officer):
    tutor = create_subscription(
        campaign=reference_campaign,
        kind="tutor",
        label="Tuteur de Camille",
        by=officer,
        year_of_study=3,
        language="en",
    )

    found = events(client.get(feed_url(tutor)))

    assert [str(e["summary"]) for e in found][-1] == "Defences"
    assert found[-1].decoded("dtstart") == date(2022, 9, 12)
    assert found[-1].decoded("dtend") == date(2022, 9, 26)
    assert str(found[0]["summary"]) == "School (weeks 1 to 6)"


def test_event_uids_are_stable_so_clients_update_rather_than_duplicate(client, subscription):
    first = [str(e["uid"]) for e in events(client.get(feed_url(subscription)))]
    second = [str(e["uid"]) for e in events(client.get(feed_url(subscription)))]

    assert first == second
    assert len(set(first)) == 12


def test_the_feed_follows_the_reloaded_campaign_file(client, subscription):
    """Staff change the periods (a reloaded file): the same link serves the new calendar."""
    before = events(client.get(feed_url(subscription)))
    reload_reference(
        (
            '{ kind = "school", first = "2021-W45", last = "2021-W46" },   # école 1-2',
            '{ kind = "school", first = "2021-W45", last = "2021-W45" },   # école 1\n'
            '    { kind = "company", first = "2021-W46", last = "2021-W46" },',
        )
    )

    after = events(client.get(feed_url(subscription)))

    assert str(before[1]["summary"]) == "École (semaines 1 à 2)"
    assert str(after[1]["summary"]) == "École (semaine 1)"
    assert after[1].decoded("dtend") == date(2021, 11, 15)
    assert str(after[2]["summary"]) == "Entreprise (semaines 6 à 12)"  # W46 joins W47-W52


def test_an_unknown_token_answers_a_clear_404(client, subscription):
    response = client.get("/alternance/abonnement/not-a-real-token.ics")

    assert response.status_code == 404
    assert "Lien d'abonnement inconnu ou révoqué" in response.content.decode()


def test_a_revoked_link_answers_410_gone_with_a_page_that_says_so(client, subscription, officer):
    revoke_subscription(subscription, by=officer)

    response = client.get(feed_url(subscription))

    assert response.status_code == 410
    page = response.content.decode()
    assert "Lien d'abonnement révoqué" in page
    assert "BEGIN:VCALENDAR" not in page


def test_creating_and_revoking_are_audited(subscription, officer):
    revoke_subscription(subscription, by=officer)
    revoke_subscription(subscription, by=officer)  # twice: nothing more

    actions = list(
        AuditEntry.objects.filter(
            target_type="alternation.calendarsubscription", target_id=str(subscription.pk)
        ).values_list("action", flat=True)
    )
    assert actions == ["alternation.subscription.created", "alternation.subscription.revoked"]
    subscription.refresh_from_db()
    assert (subscription.revoked_by, subscription.is_active) == (officer, False)


def test_tokens_are_long_random_and_distinct(reference_campaign, officer):
    tokens = {
        create_subscription(
            campaign=reference_campaign, kind="tutor", label=f"T{i}", by=officer
        ).token
        for i in range(5)
    }

    assert len(tokens) == 5
    assert all(len(token) >= 43 for token in tokens)  # 32 random bytes


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "parent"}, "Destinataire inconnu"),
        ({"label": "   "}, "Donnez un libellé"),
        ({"label": "x" * 201}, "dépasse 200 caractères"),
        ({"year_of_study": 4}, "pas de calendrier d'alternance pour l'année d'études 4"),
        ({"language": "de"}, "Langue inconnue"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    reference_campaign, officer, changes, message
):
    values = {"kind": "apprentice", "label": "Camille", **changes}

    with pytest.raises(SubscriptionError) as error:
        create_subscription(campaign=reference_campaign, by=officer, **values)

    assert message in error.value.message
    assert not CalendarSubscription.objects.exists()


def test_only_staff_of_the_campaigns_school_create_or_revoke(
    reference_campaign, accounts_by_role, subscription
):
    from tests.schools import load_school_campaign

    other = load_school_campaign("ecole-b", "ecole-b-2021")
    allowed = {"school_officer", "central_officer", "platform_admin"}
    for role, user in accounts_by_role.items():
        if role in allowed:
            create_subscription(campaign=reference_campaign, kind="tutor", label=role, by=user)
            continue
        with pytest.raises(SubscriptionError):
            create_subscription(campaign=reference_campaign, kind="tutor", label=role, by=user)
        with pytest.raises(SubscriptionError):
            revoke_subscription(subscription, by=user)
    # A school officer granted on the reference school only cannot act on school B's campaign.
    with pytest.raises(SubscriptionError):
        create_subscription(
            campaign=other, kind="tutor", label="x", by=accounts_by_role["school_officer"]
        )
    assert CalendarSubscription.objects.count() == 1 + len(allowed)


def test_a_dossier_of_another_campaign_is_refused(reference_campaign, officer, accounts_by_role):
    from admissions.dossiers.services import open_dossier
    from tests.helpers import IN_WINDOW
    from tests.schools import load_school_campaign

    other = load_school_campaign("ecole-b", "ecole-b-2021")
    dossier = open_dossier(candidate=accounts_by_role["candidate"], campaign=other, now=IN_WINDOW)

    with pytest.raises(SubscriptionError, match="n'appartient pas"):
        create_subscription(
            campaign=reference_campaign,
            kind="apprentice",
            label="Camille",
            by=officer,
            dossier=dossier,
        )


def test_the_management_command_creates_lists_and_revokes(client, reference_campaign, officer):
    out = StringIO()
    call_command(
        "calendar_subscription",
        "create",
        reference_campaign.code,
        "--kind",
        "apprentice",
        "--label",
        "Camille Exemple",
        "--by",
        officer.email,
        stdout=out,
    )
    url = out.getvalue().strip()
    path = url.split("127.0.0.1:8000", 1)[-1]
    assert client.get(path).status_code == 200

    listing = StringIO()
    call_command("calendar_subscription", "list", stdout=listing)
    assert "Camille Exemple\tactive" in listing.getvalue()

    call_command("calendar_subscription", "revoke", url, "--by", officer.email, stdout=out)
    assert client.get(path).status_code == 410


def test_the_management_command_refuses_bad_input(reference_campaign, officer):
    with pytest.raises(CommandError, match="no campaign"):
        call_command(
            "calendar_subscription",
            "create",
            "nope",
            "--kind",
            "tutor",
            "--label",
            "x",
            "--by",
            officer.email,
        )
    with pytest.raises(CommandError, match="pas de calendrier"):
        call_command(
            "calendar_subscription",
            "create",
            reference_campaign.code,
            "--kind",
            "tutor",
            "--label",
            "x",
            "--year",
            "9",
            "--by",
            officer.email,
        )
    with pytest.raises(CommandError, match="no active account"):
        call_command(
            "calendar_subscription",
            "create",
            reference_campaign.code,
            "--kind",
            "tutor",
            "--label",
            "x",
            "--by",
            "nobody@example.org",
        )
    with pytest.raises(CommandError, match="no such link"):
        call_command("calendar_subscription", "revoke", "x", "--by", officer.email)
    assert not CalendarSubscription.objects.exists()
