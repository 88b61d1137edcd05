"""The layers (docs/architecture.md, "Layers"): views write no audit entry themselves, services do.

The import order itself is checked by import-linter (`make importlint`, in .ci/run)."""

from __future__ import annotations

import ast
from pathlib import Path

import admissions

ROOT = Path(admissions.__file__).parent


def view_modules() -> list[Path]:
    return sorted(
        [*ROOT.glob("*/views.py"), *ROOT.glob("*/views/*.py")], key=lambda path: str(path)
    )


def audit_calls(path: Path) -> list[int]:
    """Lines calling ``record(...)`` or ``<something>.record(...)``."""
    calls = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name == "record":
                calls.append(node.lineno)
    return calls


def test_the_views_are_found():
    assert ROOT / "dossiers" / "views" / "desk.py" in view_modules()


def test_no_view_writes_an_audit_entry_itself():
    found = {
        str(path.relative_to(ROOT)): lines
        for path in view_modules()
        if (lines := audit_calls(path))
    }

    assert found == {}
