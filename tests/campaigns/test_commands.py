"""Management commands: load_campaign, export_campaign, campaign_status (R1.1, R1.5)."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from admissions.campaigns.models import Campaign
from admissions.campaigns.schema import load_campaign_file
from tests.campaigns.conftest import REFERENCE_PATH

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def loaded():
    run("load_campaign", str(REFERENCE_PATH))
    return Campaign.objects.get(code="imt-mines-albi-2021")


def test_load_campaign_says_created_then_unchanged_then_updated(tmp_path, reference_text):
    edited = tmp_path / "edited.toml"
    edited.write_text(reference_text.replace("seats = 5\n", "seats = 6\n"), encoding="utf-8")

    first = run("load_campaign", str(REFERENCE_PATH))
    second = run("load_campaign", str(REFERENCE_PATH))
    third = run("load_campaign", str(edited))

    assert first.startswith("created: imt-mines-albi-2021 (")
    assert second.startswith("unchanged: imt-mines-albi-2021 (")
    assert third.startswith("updated: imt-mines-albi-2021 (")


def test_load_campaign_lists_every_problem_and_fails(tmp_path, reference_text):
    broken = tmp_path / "broken.toml"
    broken.write_text(
        reference_text.replace("seats = 45", "seats = -45").replace(
            'programme = "ingenieur-alternance"\nname = "Secteur Industrie Manufacturière',
            'programme = "ingenieur-initial"\nname = "Secteur Industrie Manufacturière',
        ),
        encoding="utf-8",
    )
    stderr = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("load_campaign", str(broken), stdout=StringIO(), stderr=stderr)

    assert caught.value.returncode == 1
    assert "1 problem" in str(caught.value)
    assert stderr.getvalue().splitlines() == [
        "seat_groups[0].seats: must be at least 0 (got -45)",
    ]
    assert not Campaign.objects.exists()


def test_load_campaign_lists_relation_problems_too(tmp_path, reference_text):
    broken = tmp_path / "broken.toml"
    broken.write_text(
        reference_text.replace(
            'programme = "ingenieur-alternance"\nname = "Secteur Industrie Manufacturière',
            'programme = "ingenieur-initial"\nname = "Secteur Industrie Manufacturière',
        ).replace('first = "2021-W45", last = "2021-W46"', 'first = "2021-W44", last = "2021-W46"'),
        encoding="utf-8",
    )
    stderr = StringIO()

    with pytest.raises(CommandError):
        call_command("load_campaign", str(broken), stdout=StringIO(), stderr=stderr)

    lines = stderr.getvalue().splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [
        "options[2].programme",
        "alternation.years[0].blocks[1].first",
    ]


def test_load_campaign_exits_with_status_1_without_traceback(tmp_path, reference_text):
    broken = tmp_path / "broken.toml"
    broken.write_text(reference_text.replace("seats = 45", "seats = -45"), encoding="utf-8")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "admissions.config.test_settings",
        "DATA_DIR": str(tmp_path),
    }

    result = subprocess.run(  # noqa: S603 - fixed arguments: this interpreter and manage.py
        [sys.executable, "manage.py", "load_campaign", str(broken)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "seat_groups[0].seats: must be at least 0 (got -45)" in result.stderr


def test_load_campaign_missing_file(tmp_path):
    with pytest.raises(CommandError) as caught:
        run("load_campaign", str(tmp_path / "nowhere.toml"))

    assert "cannot read" in str(caught.value)


def test_export_campaign_to_stdout_loads_back_equal(loaded, reference_document):
    text = run("export_campaign", "imt-mines-albi-2021")

    assert load_campaign_file(text) == reference_document


def test_export_campaign_to_a_file(loaded, tmp_path, reference_document):
    target = tmp_path / "out.toml"

    out = run("export_campaign", "imt-mines-albi-2021", "--output", str(target))

    assert out.strip() == f"exported: imt-mines-albi-2021 -> {target}"
    assert load_campaign_file(target) == reference_document


def test_export_campaign_unknown_code(loaded):
    with pytest.raises(CommandError) as caught:
        run("export_campaign", "nope")

    assert "imt-mines-albi-2021" in str(caught.value)


def test_campaign_status_applications_open_at_the_last_second(loaded):
    out = run("campaign_status", "--at", "2021-03-09T23:59:59+01:00")

    lines = out.splitlines()
    assert lines[0].startswith("imt-mines-albi-2021 — Admission en 1re année")
    assert lines[1] == "Au 2021-03-09T23:59:59+01:00 (Europe/Paris) : Dépôt des candidatures"
    assert "- Dépôt des candidatures : ouvert jusqu'au 9 mars 2021 à minuit" in lines
    assert any(line.startswith("- Création de compte : ouvert") for line in lines)


def test_campaign_status_applications_closed_at_midnight(loaded):
    out = run("campaign_status", "--at", "2021-03-10T00:00:00+01:00")

    lines = out.splitlines()
    assert "- Dépôt des candidatures : clos depuis le 9 mars 2021 à minuit" in lines
    assert any(line.startswith("- Création de compte : clos") for line in lines)


def test_campaign_status_in_english(loaded):
    out = run("campaign_status", "--at", "2021-03-10T00:00:00+01:00", "--language", "en")

    lines = out.splitlines()
    assert lines[0].startswith("imt-mines-albi-2021 — Admission to the first year")
    assert "- Applications: closed since midnight at the end of 9 March 2021" in lines
    assert "- Account creation: closed since midnight at the end of 9 March 2021" in lines


def test_campaign_status_reads_a_naive_instant_in_the_campaign_zone(loaded):
    out = run("campaign_status", "--campaign", "imt-mines-albi-2021", "--at", "2021-03-09T23:59")

    assert "Au 2021-03-09T23:59:00+01:00 (Europe/Paris)" in out
    assert "- Dépôt des candidatures : ouvert jusqu'au 9 mars 2021 à minuit" in out.splitlines()


def test_campaign_status_on_the_spring_forward_night(loaded):
    out = run("campaign_status", "--at", "2021-03-28T03:00:00+02:00", "--language", "en")

    assert "At 2021-03-28T03:00:00+02:00 (Europe/Paris): Exam day booking" in out


def test_campaign_status_unreadable_instant(loaded):
    with pytest.raises(CommandError) as caught:
        run("campaign_status", "--at", "9 mars")

    assert "Instant illisible" in str(caught.value)


def test_campaign_status_without_campaign():
    with pytest.raises(CommandError):
        run("campaign_status")
