"""The candidate's own data, downloadable as one ZIP (R9.3): what the platform holds about them."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

from admissions.dossiers.models import Dossier
from admissions.dossiers.selectors import snapshot


def personal_data(dossier: Dossier, *, now: datetime) -> dict:
    """The dossier as the candidate typed it, the state of each request, and the messages.

    Recommendations' contents are not the candidate's to read (R3.5): only their status is given.
    The committee's decision appears from its publication instant on (R5.2), never before."""
    from admissions.committee.selectors import published_admissibility  # committee imports dossiers
    from admissions.exams.models import Accommodation, Booking
    from admissions.exams.selectors.grading import published_academic_decision

    result = published_admissibility(dossier, now)
    academic = published_academic_decision(dossier, now)
    booking = Booking.objects.filter(dossier=dossier).select_related("day").first()
    accommodation = Accommodation.objects.filter(dossier=dossier).first()
    return {
        "exported_at": now.isoformat(),
        "account": {
            "email": dossier.candidate.email,
            "created_at": dossier.candidate.date_joined.isoformat(),
        },
        "dossier": snapshot(dossier),
        "state": dossier.state,
        "submitted_at": dossier.submitted_at.isoformat() if dossier.submitted_at else None,
        "referees": [
            {"kind": r.kind, "name": r.name, "role": r.role, "email": r.email, "state": r.state}
            for r in dossier.referees.all()
        ],
        "payments": [
            {
                "amount": str(p.amount),
                "currency": p.currency,
                "reference": p.reference,
                "state": p.state,
                "declared_at": p.declared_at.isoformat(),
            }
            for p in dossier.payments.all()
        ],
        "messages": [
            {"from_staff": m.from_staff, "sent_at": m.sent_at.isoformat(), "body": m.body}
            for m in dossier.messages.all()
        ],
        "admissibility_result": (
            None
            if result is None
            else {"decision": "admissible" if result.admissible else "non_admissible"}
        ),
        # The academic list (R6.4), from its publication instant on only.
        "academic_result": (
            None if academic is None else {"outcome": academic.outcome, "rank": academic.rank}
        ),
        "exam_booking": (
            None
            if booking is None
            else {"day": booking.day.date.isoformat(), "booked_at": booking.booked_at.isoformat()}
        ),
        "exam_accommodation": (
            None
            if accommodation is None
            else {
                "needs": accommodation.needs,
                "requested_at": accommodation.requested_at.isoformat(),
                "proof": accommodation.proof_name,
                "state": accommodation.state,
                "granted": accommodation.granted,
                "extra_minutes": accommodation.extra_minutes,
                "refusal_reason": accommodation.refusal_reason,
            }
        ),
    }


def personal_data_zip(dossier: Dossier, *, now: datetime) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "donnees.json",
            json.dumps(personal_data(dossier, now=now), ensure_ascii=False, indent=2),
        )
        for document in dossier.documents.all():
            extension = {"jpeg": "jpg"}.get(document.format, document.format)
            with document.file.open("rb") as stored:
                archive.writestr(
                    f"pieces/{document.code.replace(':', '-')}.{extension}", stored.read()
                )
        accommodation = getattr(dossier, "exam_accommodation", None)
        if accommodation is not None and accommodation.proof:
            with accommodation.proof.open("rb") as stored:
                archive.writestr(f"amenagement/{accommodation.proof_name}", stored.read())
    return buffer.getvalue()
