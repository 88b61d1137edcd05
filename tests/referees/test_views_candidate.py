"""The candidate's recommendations page: status only, never the content (R3.5, R9.2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from admissions.dossiers.models import Dossier
from admissions.referees import services
from admissions.referees.models import Referee

from .conftest import IN_WINDOW, page_text

pytestmark = pytest.mark.django_db
URL = "/dossier/recommandations/"
SECRET = "Une rigueur rare, confidentielle."


@pytest.fixture
def signed_in(client, candidate, dossier, frozen_clock):
    client.force_login(candidate)
    return client


def answer(referee):
    services.submit_recommendation(
        referee=referee,
        nonce=referee.token_nonce,
        attachment=None,
        now=IN_WINDOW,
        answers={
            "acquaintance": "Deux ans.",
            "strengths": SECRET,
            "improvements": "L'oral.",
            "opinion": "very_favourable",
            "comment": "Commentaire très privé.",
        },
    )


def test_page_refuses_visitors_and_staff(client, accounts_by_role, dossier):
    assert client.get(URL).status_code == 302
    client.force_login(accounts_by_role["school_officer"])
    assert client.get(URL).status_code == 403


def test_page_is_404_for_a_candidate_without_dossier(client, other_dossier, dossier):
    from admissions.accounts.models import User

    client.force_login(User.objects.create_user("new@example.org", "a-long-password-1"))

    assert client.get(URL).status_code == 404


def test_page_shows_status_but_never_the_content(signed_in, dossier, name_referee):
    answer(name_referee(dossier, "academic"))
    name_referee(dossier, "professional", email="pro@example.com")

    page = page_text(signed_in.get(URL))

    assert "Reçue" in page
    assert "Demandée" in page
    assert SECRET not in page
    assert "Commentaire très privé." not in page
    assert "Très favorable" not in page


def test_naming_through_the_page_sends_the_request(signed_in, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            URL,
            {
                "action": "name",
                "kind": "academic",
                "academic-name": "Dr Lina Petit",
                "academic-role": "Professeure de physique",
                "academic-email": "lina@example.com",
            },
        )

    assert response.status_code == 302
    assert Referee.objects.get().kind == "academic"
    assert len(mail.outbox) == 1
    assert "Dr Lina Petit" in page_text(signed_in.get(URL))


def test_naming_with_a_bad_email_keeps_the_input_and_links_the_error(signed_in):
    response = signed_in.post(
        URL,
        {
            "action": "name",
            "kind": "academic",
            "academic-name": "Dr Lina Petit",
            "academic-role": "Professeure",
            "academic-email": "pas-une-adresse",
        },
    )

    page = page_text(response)
    assert response.status_code == 200
    assert 'href="#id_academic-email"' in page
    assert 'value="Dr Lina Petit"' in page
    assert not Referee.objects.exists()


def test_reminder_is_throttled_with_a_reason(signed_in, dossier, name_referee, settings):
    name_referee(dossier, now=IN_WINDOW - timedelta(days=2))
    signed_in.post(URL, {"action": "remind", "kind": "professional"})

    response = signed_in.post(URL, {"action": "remind", "kind": "professional"}, follow=True)

    assert "Une relance au plus toutes les 24 heures" in page_text(response)
    assert Referee.objects.get().reminders_count == 1


def test_replacing_through_the_page_keeps_the_old_referee(signed_in, dossier, name_referee):
    name_referee(dossier)

    signed_in.post(
        URL,
        {
            "action": "replace",
            "kind": "professional",
            "professional-name": "Sam Leroy",
            "professional-role": "Tuteur",
            "professional-email": "sam@example.com",
        },
    )

    states = dict(Referee.objects.values_list("name", "state"))
    assert states == {"Alex Martin": "replaced", "Sam Leroy": "requested"}


def test_another_candidate_cannot_see_or_remind_someone_elses_referee(
    client, other_dossier, dossier, name_referee, frozen_clock
):
    mine = name_referee(dossier, now=IN_WINDOW - timedelta(days=2))
    client.force_login(other_dossier.candidate)

    page = page_text(client.get(f"{URL}?dossier={dossier.pk}&referee={mine.pk}"))
    client.post(
        URL, {"action": "remind", "kind": "professional", "referee": mine.pk, "dossier": dossier.pk}
    )
    client.post(
        f"{URL}?dossier={dossier.pk}",
        {
            "action": "replace",
            "kind": "professional",
            "professional-name": "X",
            "professional-role": "Y",
            "professional-email": "x@example.com",
            "referee": mine.pk,
        },
    )

    assert "Alex Martin" not in page
    mine.refresh_from_db()
    assert (mine.state, mine.reminders_count) == ("requested", 0)
    assert dossier.referees.count() == 1
    assert len(mail.outbox) == 1


def test_editing_is_refused_once_submitted(signed_in, dossier):
    Dossier.objects.filter(pk=dossier.pk).update(state=Dossier.State.SUBMITTED)

    page = page_text(signed_in.get(URL))
    response = signed_in.post(
        URL,
        {
            "action": "name",
            "kind": "academic",
            "academic-name": "Dr Lina Petit",
            "academic-role": "Professeure",
            "academic-email": "lina@example.com",
        },
    )

    assert "Dossier en lecture seule" in page
    assert "n'est plus modifiable" in page_text(response)
    assert not Referee.objects.exists()


def test_unknown_action_is_refused_without_error(signed_in):
    response = signed_in.post(URL, {"action": "delete", "kind": "nope"}, follow=True)

    assert response.status_code == 200
    assert "Cette action n'est pas possible" in page_text(response)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "name",
            "Lina Petit\nBcc: someone@example.org",
            "Ce champ doit tenir sur une seule ligne, sans retour à la ligne, tabulation ni autre "
            "caractère de contrôle (trouvé : « U+000A »).",
        ),
        (
            "role",
            "Professeure \u202eenigami",
            "Ce champ contient un caractère invisible de mise en forme (trouvé : « U+202E »), par "
            "exemple une inversion du sens d'écriture : retapez-le au clavier plutôt que de le "
            "copier-coller.",
        ),
    ],
)
def test_naming_refuses_control_and_invisible_characters(signed_in, field, value, message):
    """Issue 10: a line break in a name broke the referee's email header while the candidate
    was told it was sent."""
    data = {
        "academic-name": "Dr Lina Petit",
        "academic-role": "Professeure",
        "academic-email": "lina@example.com",
    }
    data[f"academic-{field}"] = value

    response = signed_in.post(URL, {"action": "name", "kind": "academic", **data})

    assert response.status_code == 200
    assert response.context["error_form"].errors == {field: [message]}
    assert not Referee.objects.exists()
    assert mail.outbox == []
