"""The alternation table of a page, read from its HTML as a reader sees it (standard library)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Row:
    week: str = ""
    cells: list[dict[str, str]] = field(default_factory=list)  # number, tag, label, kind


class AlternationTable(HTMLParser):
    """Rows of ``<table id="alternation-table">``'s body: the week, then per year of study the
    cell's number (``.alt-number``), its visible kind tag, its screen-reader label and kind."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_table = self.in_body = False
        self.rows: list[Row] = []
        self.headers: list[str] = []
        self.part = ""  # which part of a cell the text goes to
        self.in_th = False

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        if tag == "table" and values.get("id") == "alternation-table":
            self.in_table = True
        if not self.in_table:
            return
        if tag == "tbody":
            self.in_body = True
        elif tag == "th":
            self.in_th = True
            if not self.in_body:
                self.headers.append("")
        elif tag == "tr" and self.in_body:
            self.rows.append(Row())
        elif tag == "td" and self.in_body and "data-kind" in values:
            self.rows[-1].cells.append(
                {"number": "", "tag": "", "label": "", "kind": values["data-kind"]}
            )
        elif tag == "span" and self.in_body:
            classes = values.get("class", "").split()
            self.part = (
                "number"
                if "alt-number" in classes
                else "tag"
                if "alt-tag" in classes
                else "label"
                if "fr-sr-only" in classes
                else ""
            )

    def handle_endtag(self, tag):
        if tag == "table" and self.in_table:
            self.in_table = self.in_body = False
        elif tag == "th":
            self.in_th = False
        elif tag == "span":
            self.part = ""

    def handle_data(self, data):
        if not self.in_table:
            return
        if self.in_th and not self.in_body:
            self.headers[-1] += data.strip()
        elif self.in_th and self.in_body:
            self.rows[-1].week += data.strip()
        elif self.part and self.rows and self.rows[-1].cells:
            self.rows[-1].cells[-1][self.part] += data


def read_table(html: str) -> AlternationTable:
    parser = AlternationTable()
    parser.feed(html)
    return parser
