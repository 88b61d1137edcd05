"""Reading one element of a page as a reader sees it (standard library only)."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _ById(HTMLParser):
    def __init__(self, element_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.element_id = element_id
        self.depth = 0
        self.found = False
        self.parts: list[str] = []
        self.attributes: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if self.depth:
            self.attributes.setdefault(tag, values)
            if tag not in VOID:
                self.depth += 1
        elif values.get("id") == self.element_id:
            self.found = True
            self.attributes[tag] = values
            self.depth = 0 if tag in VOID else 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def element(page: str, element_id: str) -> tuple[str, dict[str, dict[str, str]]]:
    """The text of the element ``#element_id`` (spaces collapsed) and the attributes of the
    first tag of each kind inside it (``{"a": {"href": ...}}``)."""
    parser = _ById(element_id)
    parser.feed(page)
    assert parser.found, f"no element with id {element_id!r}"
    return " ".join("".join(parser.parts).split()), parser.attributes


def element_text(page: str, element_id: str) -> str:
    return element(page, element_id)[0]
