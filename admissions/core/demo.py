"""Demo dossiers in every state the platform knows (issue 3, §4), built through the services."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw
from pypdf import PdfWriter

from admissions.accounts.models import User
from admissions.documents.services import store_document, upload_slots
from admissions.dossiers.models import Diploma, Dossier, FormationChoice
from admissions.dossiers.services import open_dossier, submit_dossier
from admissions.payments.services import decide_payment, declare_payment


def demo_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def demo_photo() -> bytes:
    image = Image.new("RGB", (600, 800), (70, 110, 170))
    ImageDraw.Draw(image).ellipse((180, 180, 420, 480), fill=(230, 190, 160))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def fill_pages(dossier: Dossier, campaign, *, now: datetime, last_name: str, status: str = "apprentissage") -> None:
    """Every page answered for a French applicant with a DUT and the first option."""
    dossier.civility, dossier.last_name, dossier.first_name = "mme", last_name, "Camille"
    dossier.birth_date, dossier.birth_place = date(2000, 5, 17), "Albi"
    dossier.nationality = dossier.country = "FR"
    dossier.phone, dossier.address, dossier.postal_code, dossier.city = (
        "05 63 49 30 45", "Allée des Sciences", "81000", "Albi",
    )
    dossier.status = status
    dossier.notice_acknowledged_at = now
    dossier.save()
    if not dossier.choices.exists():
        FormationChoice.objects.create(dossier=dossier, option=campaign.options_on_offer().first(), rank=1)
    if not dossier.diplomas.exists():
        Diploma.objects.create(
            dossier=dossier, type="DUT", speciality="Génie mécanique et productique",
            year=2020, obtained_on=date(2020, 6, 30),
        )


def upload_everything(dossier: Dossier, *, now: datetime, skip: frozenset[str] = frozenset()) -> None:
    """One valid file in every upload slot (the first way of filling each), but those in ``skip``.

    The academic recommendation is left to a referee."""
    params = dossier.campaign.params()
    filled = set(skip)
    for code, slot in upload_slots(dossier, params).items():
        if slot.code in filled or code in filled or code.startswith("academic_recommendation"):
            continue
        filled.add(slot.code)
        data, name = (demo_photo(), "photo.jpg") if code == "photo" else (demo_pdf(), f"{code}.pdf")
        store_document(dossier=dossier, code=code, upload=ContentFile(data, name=name),
                       by=dossier.candidate, now=now, params=params)


def receive_recommendations(dossier: Dossier, *, now: datetime) -> None:
    from admissions.referees.services import name_referee, submit_recommendation

    for kind in ("academic", "professional"):
        referee = name_referee(dossier=dossier, kind=kind, name=f"Référent {kind}", role="Enseignant",
                               email=f"referee-{kind}-{dossier.pk}@demo.example", by=dossier.candidate, now=now)
        submit_recommendation(
            referee=referee, nonce=referee.token_nonce,
            answers={"acquaintance": "Depuis deux ans, en cours.", "strengths": "Rigueur.",
                     "improvements": "Anglais.", "opinion": "favorable", "comment": ""},
            attachment=None, now=now,
        )


def build(campaign, accounts: Mapping[str, User], *, now: datetime) -> dict[str, str]:
    """Dossiers for the demo candidates; returns a referee link to try, keyed by label."""
    from admissions.referees.links import make_token
    from admissions.referees.services import name_referee

    links = {}
    if "draft" in accounts:
        dossier = open_dossier(candidate=accounts["draft"], campaign=campaign, now=now)
        dossier.last_name, dossier.first_name = "Durand", "Léa"
        dossier.save()
    if "waiting_referee" in accounts:
        dossier = open_dossier(candidate=accounts["waiting_referee"], campaign=campaign, now=now)
        referee = dossier.referees.exclude(state__in=["received", "replaced"]).first()
        if referee is None and not dossier.referees.exists():
            fill_pages(dossier, campaign, now=now, last_name="Bernard")
            upload_everything(dossier, now=now)
            referee = name_referee(dossier=dossier, kind="professional", name="Mme Tutrice", role="Maître d'apprentissage",
                                   email="tutrice@demo.example", by=dossier.candidate, now=now)
        if referee is not None:
            links["referee"] = make_token(referee, now=now)
    for key, confirm in (("ready", None), ("submitted", False), ("paid", True)):
        if key not in accounts:
            continue
        dossier = open_dossier(candidate=accounts[key], campaign=campaign, now=now)
        if dossier.referees.exists():
            continue  # built by an earlier run
        fill_pages(dossier, campaign, now=now, last_name={"ready": "Petit", "submitted": "Moreau", "paid": "Laurent"}[key])
        upload_everything(dossier, now=now)
        receive_recommendations(dossier, now=now)
        payment = declare_payment(dossier=dossier, amount=Decimal("77"), currency="EUR",
                                  reference=f"VIR-DEMO-{dossier.pk}", by=dossier.candidate, now=now)
        if confirm is not None:
            submit_dossier(dossier=dossier, by=dossier.candidate, now=now)
        if confirm:
            decide_payment(payment=payment, received=True, by=accounts["_officer"], now=now)
    if "professionalisation" in accounts:
        dossier = open_dossier(candidate=accounts["professionalisation"], campaign=campaign, now=now)
        dossier.status, dossier.last_name, dossier.first_name = "contrat_professionnalisation", "Roux", "Hugo"
        dossier.save()
    return links
