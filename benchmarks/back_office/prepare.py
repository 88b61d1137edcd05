"""Fill the bench database with submitted dossiers for the back office (run by run.py).

Grows the campaign to COUNT dossiers (those already there are kept): 90 % submitted over the
application window, 10 % still drafts, one to three options each, two documents each (a tiny
PDF and a tiny JPEG, the same few stored files shared by every row), payments (confirmed,
declared or none), the central check's verdict on 40 % of the submitted ones, a refused
document or a document declared "not yet available" here and there. Everything goes in with
bulk_create, in batches. On the first run it also creates STAFF central officers, each with a
logged-in session written straight into the session table, listed in OUT.json.

Usage (environment from run.py): python prepare.py COUNT STAFF OUT.json
"""

from __future__ import annotations

import io
import json
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from admissions.accounts.models import Role, RoleGrant, User  # noqa: E402
from admissions.campaigns.models import Campaign, Option  # noqa: E402
from admissions.core import demo  # noqa: E402
from admissions.documents.models import Document, PendingDeclaration  # noqa: E402
from admissions.dossiers.models import Dossier, FormationChoice  # noqa: E402
from admissions.payments.models import Payment  # noqa: E402
from admissions.verification.models import DossierCheck  # noqa: E402

BATCH = 5_000
PARIS = ZoneInfo("Europe/Paris")
OPENS = datetime(2021, 1, 15, 9, 0, tzinfo=PARIS)
WINDOW_SECONDS = int((datetime(2021, 3, 9, 23, 0, tzinfo=PARIS) - OPENS).total_seconds())
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
]
FIRST_NAMES = [
    "Camille",
    "Léa",
    "Hugo",
    "Lucas",
    "Emma",
    "Chloé",
    "Louis",
    "Inès",
    "Jules",
    "Zoé",
    "Noé",
    "Éloïse",
    "Gabriel",
    "Manon",
    "Arthur",
    "Jade",
]
STATUSES = [
    "apprentissage",
    "apprentissage",
    "apprentissage",
    "formation_continue",
    "contrat_professionnalisation",
]
SESSION_KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


def shared_files() -> dict[str, str]:
    """The stored files every document row points to (a tiny PDF, a tiny JPEG)."""
    photo = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (60, 80), (70, 110, 170)).save(photo, format="JPEG")
    return {
        "pdf": default_storage.save("bench/tiny.pdf", ContentFile(demo.demo_pdf())),
        "jpeg": default_storage.save("bench/tiny.jpg", ContentFile(photo.getvalue())),
    }


def staff_sessions(count: int) -> list[dict]:
    store = SessionStore()
    expire = timezone.now() + timedelta(days=2)
    found = []
    for number in range(count):
        user, _created = User.objects.get_or_create(email=f"central{number}@bench.example")
        RoleGrant.objects.get_or_create(user=user, role=Role.CENTRAL_OFFICER, school=None)
        session = Session.objects.create(
            session_key=get_random_string(32, SESSION_KEY_CHARS),
            session_data=store.encode(
                {
                    SESSION_KEY: str(user.pk),
                    BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                    HASH_SESSION_KEY: user.get_session_auth_hash(),
                }
            ),
            expire_date=expire,
        )
        found.append({"email": user.email, "session": session.session_key})
    return found


def batch(campaign: Campaign, options: list[Option], files: dict, officer: User, numbers: range):
    rng = random.Random(numbers.start)
    users = User.objects.bulk_create(
        User(email=f"bench{n}@example.org", password="!", date_joined=OPENS) for n in numbers
    )
    dossiers = []
    for n, user in zip(numbers, users, strict=True):
        submitted = rng.random() < 0.9
        at = OPENS + timedelta(seconds=rng.randrange(WINDOW_SECONDS))
        dossiers.append(
            Dossier(
                campaign=campaign,
                candidate=user,
                reference=f"BNCH-{n:08d}",
                state=Dossier.State.SUBMITTED if submitted else Dossier.State.DRAFT,
                created_at=at,
                updated_at=at,
                submitted_at=at if submitted else None,
                last_name=rng.choice(LAST_NAMES),
                first_name=rng.choice(FIRST_NAMES),
                status_sought=rng.choice(STATUSES),
                scholarship_claimed=rng.random() < 0.2,
            )
        )
    dossiers = Dossier.objects.bulk_create(dossiers)
    choices, documents, payments, checks, pending = [], [], [], [], []
    for dossier in dossiers:
        for rank, option in enumerate(rng.sample(options, rng.randint(1, 3)), start=1):
            choices.append(FormationChoice(dossier=dossier, option=option, rank=rank))
        for code, kind in (("photo", "jpeg"), ("cv", "pdf")):
            refused = code == "cv" and rng.random() < 0.05
            documents.append(
                Document(
                    dossier=dossier,
                    code=code,
                    file=files[kind],
                    format=kind,
                    content_type="image/jpeg" if kind == "jpeg" else "application/pdf",
                    size_bytes=600,
                    original_name=f"{code}.{kind}",
                    uploaded_at=dossier.created_at,
                    review=Document.Review.REFUSED if refused else Document.Review.UNCHECKED,
                    refusal_reason="Illisible" if refused else "",
                    replacement_requested=refused,
                )
            )
        if dossier.state == Dossier.State.SUBMITTED:
            roll = rng.random()
            if roll < 0.9:
                payments.append(
                    Payment(
                        dossier=dossier,
                        amount=77,
                        reference=f"VIR-{dossier.pk}",
                        declared_at=dossier.created_at,
                        state="confirmed" if roll < 0.6 else "declared",
                    )
                )
            verdict = rng.random()
            if verdict < 0.4:
                checks.append(
                    DossierCheck(
                        dossier=dossier,
                        verdict="recevable" if verdict < 0.3 else "refused",
                        reason="" if verdict < 0.3 else "Pièces essentielles manquantes",
                        decided_by=officer,
                        decided_at=dossier.created_at,
                    )
                )
            if rng.random() < 0.03:
                pending.append(
                    PendingDeclaration(
                        dossier=dossier,
                        code="transcripts_current_year",
                        declared_at=dossier.created_at,
                    )
                )
    FormationChoice.objects.bulk_create(choices, batch_size=BATCH)
    Document.objects.bulk_create(documents, batch_size=BATCH)
    Payment.objects.bulk_create(payments, batch_size=BATCH)
    DossierCheck.objects.bulk_create(checks, batch_size=BATCH)
    PendingDeclaration.objects.bulk_create(pending, batch_size=BATCH)


def main() -> None:
    count, staff, out = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    campaign = Campaign.objects.get()
    options = list(Option.objects.filter(programme__campaign=campaign))
    if not out.exists():
        out.write_text(json.dumps(staff_sessions(staff)))
    officer = User.objects.get(email="central0@bench.example")
    files = shared_files()
    start = Dossier.objects.filter(campaign=campaign).count()
    for first in range(start, count, BATCH):
        with transaction.atomic():
            batch(campaign, options, files, officer, range(first, min(first + BATCH, count)))
        print(f"prepare: {min(first + BATCH, count)} dossiers", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"prepare: {Dossier.objects.count()} dossiers in the campaign")


if __name__ == "__main__":
    main()
