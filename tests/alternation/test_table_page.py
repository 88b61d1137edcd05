"""The public alternation calendar page renders annex 3 of the notice cell for cell (R8.1)."""

from __future__ import annotations

import html

import pytest

from tests.rules.annex3 import ANNEX3_2021_ROWS

from .tables import read_table

pytestmark = pytest.mark.django_db

URL = "/alternance/2021-2022/"


def test_the_2021_2022_page_reproduces_annex_3_cell_for_cell(client, reference_campaign):
    response = client.get(URL)

    table = read_table(response.content.decode())
    printed = [(int(row.week), *(cell["number"] for cell in row.cells)) for row in table.rows]
    assert response.status_code == 200
    assert printed == list(ANNEX3_2021_ROWS)


def test_the_columns_are_the_week_its_dates_and_the_three_years(client, reference_campaign):
    table = read_table(client.get(URL).content.decode())

    assert table.headers == [
        "Semaine",
        "Dates (lundi – dimanche)",
        "1re année",
        "2e année",
        "3e année",
    ]


def test_each_week_shows_its_monday_and_sunday(client, reference_campaign):
    page = client.get(URL).content.decode()

    assert "04/10 – 10/10/2021" in page  # 2021-W40, the start of training
    assert "27/12 – 02/01/2022" in page  # 2021-W52 runs into the new year
    assert "26/09 – 02/10/2022" in page  # 2022-W39, the last row


def test_colour_is_never_the_only_cue(client, reference_campaign):
    """RGAA 3.1: each cell says its kind in text, visibly and for screen readers."""
    table = read_table(client.get(URL).content.decode())

    week_45 = table.rows[5]  # "1", "6", "6": school, company, school
    assert [c["kind"] for c in week_45.cells] == ["school", "company", "school"]
    assert [c["tag"] for c in week_45.cells] == ["Éc.", "Ent.", "Éc."]
    assert [c["label"].strip() for c in week_45.cells] == [
        "(école, semaine 1)",
        "(entreprise, semaine 6)",
        "(école, semaine 6)",
    ]
    defence, empty = table.rows[-3].cells[2], table.rows[-1].cells[2]
    assert (defence["kind"], defence["number"]) == ("defence", "Soutenances")
    assert (empty["kind"], empty["number"], empty["label"].strip()) == (
        "",
        "",
        "(aucune période)",
    )


def test_the_legend_names_every_kind(client, reference_campaign):
    page = client.get(URL).content.decode()

    legend = page.split('id="alternation-legend"')[1].split("</ul>")[0]
    for text in ("Éc.", "École", "Ent.", "Entreprise", "Soutenances", "case vide"):
        assert text in legend


def test_the_hours_check_is_shown_for_each_year(client, reference_campaign):
    page = html.unescape(client.get(URL).content.decode())

    hours = page.split('id="alternation-hours"')[1].split("</table>")[0]
    assert hours.count("595 h") == 3  # 17 school weeks x 35 h, every year
    assert "1050 h" in hours and "945 h" in hours  # (35 - 5) x 35, (32 - 5) x 35
    assert hours.count("conforme") == 3
    reasons = page.split('id="alternation-hours-reasons"')[1].split("</ul>")[0]
    assert "Année 1 : 17 semaines d'école x 35 h = 595 h" in reasons


def test_the_page_in_english(client, reference_campaign, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(URL)

    table = read_table(response.content.decode())
    assert table.headers[2:] == ["1st year", "2nd year", "3rd year"]
    assert table.rows[-3].cells[2]["number"] == "Defences"
    assert table.rows[5].cells[0]["tag"] == "Sch."
    assert "Year 1: 17 school weeks x 35 h = 595 h" in html.unescape(response.content.decode())


def test_the_index_opens_the_campaigns_academic_year(client, reference_campaign):
    response = client.get("/alternance/")

    assert (response.status_code, response["Location"]) == (302, URL)


def test_an_academic_year_without_a_calendar_is_not_found(client, reference_campaign):
    assert client.get("/alternance/2030-2031/").status_code == 404
    assert client.get("/alternance/2030-2031/calendrier.pdf").status_code == 404


def test_a_campaign_without_alternation_says_so(client, reference_campaign):
    from admissions.campaigns.models import Campaign

    campaign = Campaign.objects.get(pk=reference_campaign.pk)
    document = dict(campaign.document)
    document.pop("alternation", None)
    campaign.document = document
    campaign.save()

    response = client.get("/alternance/")

    assert response.status_code == 200
    assert "pas encore publié" in response.content.decode()


def test_no_campaign_no_calendar(client, db):
    assert client.get("/alternance/").status_code == 404


def test_the_page_follows_a_reloaded_campaign_file(client, reference_campaign):
    """The periods come from the campaign as it stands at each request (its revision)."""
    from .conftest import reload_reference

    client.get(URL)
    reload_reference(
        (
            '{ kind = "company", first = "2021-W40", last = "2021-W44" },  # entreprise 1-5',
            '{ kind = "company", first = "2021-W41", last = "2021-W44" },  # entreprise 1-4',
        )
    )

    table = read_table(client.get(URL).content.decode())
    assert [table.rows[0].cells[0]["number"], table.rows[1].cells[0]["number"]] == ["", "1"]
