"""Accessibility checks with axe-core (WCAG 2.1 AA rules), run inside the page under test."""

from __future__ import annotations

import pytest

from tests.conftest import AXE

SERIOUS = {"serious", "critical"}


def serious_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (make test does it when npm exists)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]
