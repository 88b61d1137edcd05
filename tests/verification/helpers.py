"""Shared steps of the central check's tests.

Dossiers for the check queue's tests, written straight to the tables (fast, any state).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from admissions.accounts.models import Role, RoleGrant, User
from admissions.campaigns.models import Campaign, Option, School
from admissions.documents.models import Document, PendingDeclaration
from admissions.dossiers.models import Dossier, FormationChoice
from admissions.dossiers.services import new_reference, open_dossier, submit_dossier
from admissions.payments.models import Payment
from admissions.verification.models import DossierCheck
from admissions.verification.services import review_document
from tests.dossiers.helpers import IN_WINDOW, complete_dossier, received_recommendations

UNTIL = IN_WINDOW + timedelta(days=10)


def refuse(
    dossier: Dossier, code: str, by, *, reason: str = "Illisible.", now=IN_WINDOW, until=UNTIL
):
    return review_document(
        document=dossier.documents.get(code=code),
        by=by,
        now=now,
        verdict="refused",
        reason_text=reason,
        replace_until=until,
    )


def accept_all(dossier: Dossier, by, now=IN_WINDOW) -> None:
    for document in dossier.documents.all():
        review_document(document=document, by=by, now=now, verdict="valid")


def another_submitted(campaign, email: str, now=IN_WINDOW) -> Dossier:
    candidate = User.objects.create_user(email, "a-long-password-1")
    dossier = complete_dossier(candidate, campaign, now)
    received_recommendations(dossier, now)
    return submit_dossier(dossier=dossier, by=candidate, now=now)


__all__ = ["IN_WINDOW", "UNTIL", "accept_all", "another_submitted", "open_dossier", "refuse"]


PARIS = ZoneInfo("Europe/Paris")
CREATED = datetime(2021, 2, 1, 9, 0, tzinfo=PARIS)


def make_dossier(
    campaign: Campaign,
    email: str,
    *,
    last_name: str = "",
    first_name: str = "",
    submitted_at: datetime | None = None,
    status_sought: str = "",
    scholarship: bool = False,
    options: tuple[str, ...] = ("SENMBA",),
    reference: str | None = None,
) -> Dossier:
    candidate = User.objects.create_user(email, "a-long-password-1")
    dossier = Dossier.objects.create(
        campaign=campaign,
        candidate=candidate,
        reference=reference or new_reference(campaign),
        state=Dossier.State.SUBMITTED if submitted_at else Dossier.State.DRAFT,
        created_at=CREATED,
        updated_at=CREATED,
        submitted_at=submitted_at,
        last_name=last_name,
        first_name=first_name,
        status_sought=status_sought,
        scholarship_claimed=scholarship,
    )
    for rank, code in enumerate(options, start=1):
        option = Option.objects.get(programme__campaign=campaign, code=code)
        FormationChoice.objects.create(dossier=dossier, option=option, rank=rank)
    return dossier


def check(dossier: Dossier, verdict: str, by: User, reason: str = "") -> DossierCheck:
    return DossierCheck.objects.create(
        dossier=dossier, verdict=verdict, reason=reason, decided_by=by, decided_at=CREATED
    )


def refuse_document(dossier: Dossier, code: str = "cv") -> Document:
    return Document.objects.create(
        dossier=dossier,
        code=code,
        file="dossiers/x.pdf",
        format="pdf",
        content_type="application/pdf",
        size_bytes=10,
        original_name="cv.pdf",
        uploaded_at=CREATED,
        review=Document.Review.REFUSED,
        refusal_reason="Illisible",
    )


def declare_pending(dossier: Dossier, code: str = "transcripts_current_year") -> None:
    PendingDeclaration.objects.create(dossier=dossier, code=code, declared_at=CREATED)


def payment(dossier: Dossier, state: str) -> Payment:
    return Payment.objects.create(
        dossier=dossier, amount=77, reference="VIR-1", declared_at=CREATED, state=state
    )


def officer_of_another_school(
    email: str = "other-central@example.org", role: str = Role.CENTRAL_OFFICER
) -> User:
    """A central (or ``role``) officer whose grant covers only another school."""
    school = School.objects.create(code="autre-ecole", name="Autre école")
    user = User.objects.create_user(email, "a-long-password-1")
    RoleGrant.objects.create(user=user, role=role, school=school)
    return user
