"""Building dossiers in a given state for the tests."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from admissions.documents.services import store_document, upload_slots
from admissions.dossiers.models import Diploma, FormationChoice
from admissions.dossiers.services import open_dossier
from admissions.payments.models import Payment
from tests.documents import corpus

PARIS = ZoneInfo("Europe/Paris")
IN_WINDOW = datetime(2021, 3, 1, 10, 0, tzinfo=PARIS)
AFTER_CLOSE = datetime(2021, 3, 10, 0, 0, tzinfo=PARIS)


def fill_pages(dossier, campaign, now=IN_WINDOW):
    """Every page answered: a French apprentice with a DUT, one formation, the notice read."""
    dossier.civility = "mme"
    dossier.last_name, dossier.first_name = "Martin", "Camille"
    dossier.birth_date, dossier.birth_place = date(2000, 5, 17), "Albi"
    dossier.nationality, dossier.country = "FR", "FR"
    dossier.phone, dossier.address, dossier.postal_code, dossier.city = (
        "0563493045", "1 allée des Sciences", "81000", "Albi",
    )
    dossier.status = "apprentissage"
    dossier.notice_acknowledged_at = now
    dossier.save()
    option = campaign.options_on_offer().first()
    FormationChoice.objects.create(dossier=dossier, option=option, rank=1)
    Diploma.objects.create(
        dossier=dossier, type="DUT", speciality="Génie mécanique", year=2020,
        obtained_on=date(2020, 6, 30),
    )
    return dossier


def upload_everything(dossier, campaign, now=IN_WINDOW):
    """A valid file in every upload slot (one alternative per slot)."""
    params = campaign.params()
    seen_slots = set()
    for code, slot in upload_slots(dossier, params).items():
        if slot.code in seen_slots:
            continue
        seen_slots.add(slot.code)
        if code == "photo":
            upload = SimpleUploadedFile("photo.jpg", corpus.jpeg(600, 800), "image/jpeg")
        else:
            upload = SimpleUploadedFile(f"{code}.pdf", corpus.pdf(), "application/pdf")
        store_document(dossier=dossier, code=code, upload=upload, by=dossier.candidate, now=now, params=params)


def pay(dossier, now=IN_WINDOW):
    Payment.objects.create(dossier=dossier, amount=77, reference="VIR-1", declared_at=now)


def complete_dossier(candidate, campaign, now=IN_WINDOW):
    """A dossier with everything but what comes from referees."""
    dossier = fill_pages(open_dossier(candidate=candidate, campaign=campaign, now=now), campaign, now)
    upload_everything(dossier, campaign, now)
    pay(dossier, now)
    return dossier
