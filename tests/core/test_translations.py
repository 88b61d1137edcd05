"""The English catalogue is complete, compiled, and used by the pages.

``admissions/locale/en/LC_MESSAGES/django.po`` is regenerated with ``manage.py makemessages -l en
--ignore=.venv --ignore=node_modules --ignore=tests --ignore=benchmarks --no-obsolete``; every new
entry must be translated, and ``manage.py compilemessages -l en --ignore=.venv`` run again: the
compiled ``django.mo`` is committed so that machines without gettext serve English too.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent.parent / "admissions" / "locale"
PO_FILE = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = LOCALE / "en" / "LC_MESSAGES" / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|<[^>]+>")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(literal: str) -> str:
    body = literal.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: ESCAPES[m.group(1)], body)


def po_entries() -> list[dict]:
    """The entries of the .po file (header excluded), each a dict of its fields and flags."""
    entries = []
    for block in PO_FILE.read_text(encoding="utf-8").strip().split("\n\n"):
        entry: dict = {"flags": set(), "obsolete": False}
        field = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[field] += _unquote(line)
            else:
                field, _, literal = line.partition(" ")
                entry[field] = _unquote(literal)
        if entry.get("msgid") and not entry["obsolete"]:
            entries.append(entry)
    return entries


def msgstrs(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = po_entries()
    assert len(entries) > 400
    untranslated = [e["msgid"] for e in entries if not all(s.strip() for s in msgstrs(e))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [], f"untranslated entries: {untranslated}"
    assert fuzzy == [], f"fuzzy entries (Django ignores them): {fuzzy}"
    header = PO_FILE.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "#, fuzzy" not in header


def test_translations_keep_placeholders_and_markup():
    for entry in po_entries():
        sources = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
        for index, translated in enumerate(msgstrs(entry)):
            source = sources[min(index, 1)]
            assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(source)), (
                f"{source!r} -> {translated!r}"
            )


def test_compiled_catalogue_matches_the_po_file():
    """django.mo holds exactly the .po translations: run compilemessages after each change."""
    assert MO_FILE.exists(), "run: manage.py compilemessages -l en --ignore=.venv"
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in po_entries():
        if "msgid_plural" in entry:
            for n, key in ((1, "msgstr[0]"), (2, "msgstr[1]")):
                if compiled.ngettext(entry["msgid"], entry["msgid_plural"], n) != entry[key]:
                    stale.append(entry["msgid"])
        elif "msgctxt" in entry:  # words told apart by their context (pgettext)
            if compiled.pgettext(entry["msgctxt"], entry["msgid"]) != entry["msgstr"]:
                stale.append(entry["msgid"])
        elif compiled.gettext(entry["msgid"]) != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert stale == [], f"django.mo is out of date for: {stale}"


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("en", "Where does the campaign stand?", "Où en est la campagne ?"),
        ("fr", "Où en est la campagne ?", "Where does the campaign stand?"),
    ],
)
def test_home_page_speaks_the_chosen_language(
    client, reference_campaign, settings, language, expected, absent
):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"
    client.cookies["django_language"] = language

    page = client.get("/").content.decode()

    assert expected in page
    assert absent not in page
    assert f'lang="{language}"' in page


def test_sign_up_page_is_in_english(client, reference_campaign, settings):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"
    client.cookies["django_language"] = "en"

    page = client.get("/accounts/signup/").content.decode()

    assert "Create an applicant account" in page
    assert "Your personal data" in page
    assert "Vos données personnelles" not in page
