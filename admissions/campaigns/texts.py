"""The campaign's texts (notice, FAQ answers) from Markdown to safe HTML (R3.1, R3.9).

The campaign file writes them in Markdown (CommonMark with tables). markdown-it-py renders
them; nh3 then keeps only harmless markup, so a ``<script>`` or an ``onclick`` written in a
campaign file never reaches a page. Headings get stable ids (their slug) for the table of
contents and for links inside the text (``[annexe 3](#annexe-3-...)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt

# Headings that enter the table of contents; h1 is the page's own title.
TOC_LEVELS = ("h2", "h3")
_TAG = re.compile(r"<[^>]+>")
# Markup written by this module after sanitising: DSFR's frame around a table.
_TABLE_OPEN = '<div class="fr-table"><table>'
_TABLE_CLOSE = "</table></div>"


@dataclass(frozen=True)
class Heading:
    level: int  # 2 or 3
    anchor: str
    title: str


@dataclass(frozen=True)
class RenderedText:
    html: str  # sanitised: safe to mark as such in a template
    headings: tuple[Heading, ...] = ()


def _parser() -> MarkdownIt:
    # Raw HTML is parsed (``<br>``, ``<sup>`` in a cell) and then filtered by nh3.
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def _sanitise(html: str) -> str:
    attributes = {tag: {"id"} for tag in ("h2", "h3", "h4")}
    attributes["a"] = {"href", "hreflang"}
    attributes["th"] = {"scope"}
    return nh3.clean(html, attributes=attributes, url_schemes={"http", "https", "mailto"})


def render_markdown(source: str) -> RenderedText:
    """``source`` (Markdown) as sanitised HTML, with the h2/h3 headings for a table of contents."""
    parser = _parser()
    tokens = parser.parse(source or "")
    headings: list[Heading] = []
    used: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type == "th_open":
            token.attrSet("scope", "col")
        if token.type != "heading_open" or token.tag not in TOC_LEVELS:
            continue
        inline = tokens[index + 1]
        title = " ".join(_TAG.sub("", inline.content).split())
        anchor = base = slugify(title) or "section"
        suffix = 2
        while anchor in used:
            anchor, suffix = f"{base}-{suffix}", suffix + 1
        used.add(anchor)
        token.attrSet("id", anchor)
        headings.append(Heading(level=int(token.tag[1]), anchor=anchor, title=title))
    html = _sanitise(parser.renderer.render(tokens, parser.options, {}))
    html = html.replace("<table>", _TABLE_OPEN).replace("</table>", _TABLE_CLOSE)
    return RenderedText(html=html, headings=tuple(headings))
