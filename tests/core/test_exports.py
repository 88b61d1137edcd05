"""Lists as spreadsheets (R8.3): the CSV's bytes and the XLSX's cells, formulas defused."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404
from openpyxl import load_workbook

from admissions.core import exports

HEADERS = ["Dossier", "Nom", "Montant", "Déposé le"]
ROWS = [
    (
        "IMTM-AAAA",
        "Héloïse Çelik",
        Decimal("77.00"),
        datetime(2021, 3, 2, 9, 5, tzinfo=ZoneInfo("UTC")),
    ),
    ("IMTM-BBBB", '=HYPERLINK("http://evil")', 22, None),
    ("IMTM-CCCC", "+33 6 12", -5, None),
    ("IMTM-DDDD", "-2+3", None, None),
    ("IMTM-EEEE", "@SUM(A1)", None, None),
]


def csv_bytes(headers=HEADERS, rows=ROWS) -> bytes:
    response = exports.csv_response("liste", headers, rows)
    return b"".join(response.streaming_content)


def test_csv_starts_with_a_bom_and_keeps_accents_in_utf8():
    data = csv_bytes()

    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[0] == "Dossier;Nom;Montant;Déposé le"
    assert (
        data.decode("utf-8-sig").splitlines()[1] == "IMTM-AAAA;Héloïse Çelik;77.00;2021-03-02 10:05"
    )


def test_csv_prefixes_cells_a_spreadsheet_would_run_as_formulas():
    lines = csv_bytes().decode("utf-8-sig").splitlines()

    assert lines[2:] == [
        'IMTM-BBBB;"\'=HYPERLINK(""http://evil"")";22;',
        "IMTM-CCCC;'+33 6 12;-5;",
        "IMTM-DDDD;'-2+3;;",
        "IMTM-EEEE;'@SUM(A1);;",
    ]


def test_csv_response_streams_as_an_attachment():
    response = exports.csv_response("liste", HEADERS, iter(ROWS))

    assert response.streaming is True
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="liste.csv"'


def xlsx_rows(response) -> list[tuple]:
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [tuple(cell for cell in row) for row in sheet.iter_rows(values_only=True)]


def test_xlsx_holds_the_headers_the_values_and_defused_formulas():
    response = exports.xlsx_response("liste", HEADERS, iter(ROWS))

    rows = xlsx_rows(response)

    assert response["Content-Disposition"] == 'attachment; filename="liste.xlsx"'
    assert rows[0] == tuple(HEADERS)
    assert rows[1] == ("IMTM-AAAA", "Héloïse Çelik", 77, datetime(2021, 3, 2, 10, 5))
    assert [row[1] for row in rows[2:]] == [
        '\'=HYPERLINK("http://evil")',
        "'+33 6 12",
        "'-2+3",
        "'@SUM(A1)",
    ]
    assert rows[3][2] == -5  # a number stays a number


def test_an_unknown_format_is_not_found():
    with pytest.raises(Http404):
        exports.export_response("pdf", "liste", HEADERS, ROWS)
