"""After the rush: every dossier the crowd saw submitted is SUBMITTED, frozen and complete.

SUBMITTED.json: {"confirmed": [ids answered 302], "attempted": [ids whose submit POST was sent]}.
Usage (environment from run.py): python verify.py SUBMITTED.json CV_SIZE OUT.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import django

django.setup()

from admissions.dossiers import selectors  # noqa: E402
from admissions.dossiers.models import Dossier  # noqa: E402


def main() -> None:
    sent = json.loads(Path(sys.argv[1]).read_text())
    reported, attempted = set(sent["confirmed"]), set(sent["attempted"])
    cv_size, out = int(sys.argv[2]), Path(sys.argv[3])
    problems: list[str] = []
    in_db = set(Dossier.objects.filter(state=Dossier.State.SUBMITTED).values_list("pk", flat=True))
    # A submit POST still in flight when locust stopped may have succeeded unseen: checked too.
    checked = reported | (in_db & attempted)
    dossiers = Dossier.objects.filter(pk__in=checked).select_related("campaign", "candidate")
    found = {d.pk: d for d in dossiers}
    params = None
    for pk in sorted(checked):
        dossier = found.get(pk)
        if dossier is None:
            problems.append(f"dossier {pk}: not in the database")
            continue
        params = params or dossier.campaign.params()
        if dossier.state != Dossier.State.SUBMITTED or dossier.submitted_at is None:
            problems.append(f"dossier {pk}: state {dossier.state}, reported submitted")
            continue
        snapshot = dossier.snapshot or {}
        if snapshot.get("reference") != dossier.reference:
            problems.append(f"dossier {pk}: no snapshot")
        missing = [doc.code for doc in selectors.document_checklist(dossier, params).missing]
        if missing:
            problems.append(f"dossier {pk}: documents missing {missing}")
        cv = dossier.documents.filter(code="cv").first()
        if (
            cv is None
            or cv.size_bytes != cv_size
            or snapshot.get("documents", {}).get("cv", {}).get("size") != cv_size
        ):
            problems.append(
                f"dossier {pk}: CV absent or not {cv_size} bytes in the record or snapshot"
            )
        elif not cv.file.storage.exists(cv.file.name) or cv.file.size != cv_size:
            problems.append(f"dossier {pk}: CV file {cv.file.name} absent or truncated on disk")
    in_database = len(in_db)
    if in_db - attempted:
        problems.append(
            f"{len(in_db - attempted)} dossiers SUBMITTED that the crowd never submitted"
        )
    out.write_text(
        json.dumps(
            {"checked": len(reported), "submitted_in_db": in_database, "problems": problems},
            indent=1,
        )
    )
    print(
        f"verify: {len(reported)} reported submitted, {in_database} SUBMITTED in the database, "
        f"{len(problems)} problem(s)"
    )


if __name__ == "__main__":
    main()
