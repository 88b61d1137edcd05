"""Fill the bench database with a pool of candidates on the last evening (run by run.py).

Each candidate has a verified email, a logged-in session (written straight into the session
table: no password hashing during the rush), and a dossier complete except for its CV, which
the crowd uploads before submitting. Referees are not part of the rush: both recommendations
are already received.

Usage (environment from run.py): python prepare.py COUNT OUT.json
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

import django

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from admissions.accounts.models import User  # noqa: E402
from admissions.campaigns.selectors import current_campaign  # noqa: E402
from admissions.core import clock, demo  # noqa: E402
from admissions.documents.models import Document  # noqa: E402
from admissions.documents.services import DocumentError  # noqa: E402
from admissions.dossiers import selectors, services  # noqa: E402
from admissions.dossiers.models import Diploma, Dossier, FormationChoice  # noqa: E402
from admissions.payments.models import Payment  # noqa: E402
from admissions.referees.models import Recommendation, Referee  # noqa: E402

CROWD_UPLOADS = "cv"  # the one slot the crowd fills during the rush
IDENTITY = {
    "civility": "mme",
    "last_name": "Martin",
    "first_name": "Camille",
    "birth_date": date(2000, 5, 17),
    "birth_place": "Albi",
    "nationality": "FR",
    "country": "FR",
    "phone": "0563493045",
    "address": "1 allée des Sciences",
    "postal_code": "81000",
    "city": "Albi",
}
SESSION_KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


def template_documents(campaign, params, now) -> list[Document]:
    """Store every upload slot but the CV once, through the real service, to copy its rows."""
    user = User.objects.create_user("template@bench.example", None)
    dossier = services.open_dossier(candidate=user, campaign=campaign, now=now)
    demo.fill_pages(dossier, campaign, now=now, last_name="Martin")
    try:
        demo.upload_everything(dossier, now=now, skip=frozenset({CROWD_UPLOADS}))
    except DocumentError as error:
        sys.exit(f"prepare: refused: {[str(r.text('en')) for r in error.reasons]}")
    return list(dossier.documents.all())


def main() -> None:
    count, out = int(sys.argv[1]), Path(sys.argv[2])
    campaign = current_campaign()
    params = campaign.params()
    now = clock.now()
    option = campaign.options_on_offer().first()
    password = make_password(get_random_string(24))  # one hash for the whole pool
    with transaction.atomic():
        documents = template_documents(campaign, params, now)
        users = User.objects.bulk_create(
            User(email=f"rush{i:05d}@bench.example", password=password) for i in range(count)
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
        )
        dossiers = Dossier.objects.bulk_create(
            Dossier(
                candidate=u,
                campaign=campaign,
                reference=services.new_reference(campaign),
                created_at=now,
                updated_at=now,
                status_sought="apprentissage",
                notice_acknowledged_at=now,
                **IDENTITY,
            )
            for u in users
        )
        FormationChoice.objects.bulk_create(
            FormationChoice(dossier=d, option=option, rank=1) for d in dossiers
        )
        Diploma.objects.bulk_create(
            Diploma(
                dossier=d,
                type="DUT",
                speciality="Génie mécanique",
                year=2020,
                obtained_on=date(2020, 6, 30),
            )
            for d in dossiers
        )
        # Every candidate shares the template's stored files: only the CV slot changes in the rush.
        Document.objects.bulk_create(
            Document(
                dossier=d,
                code=t.code,
                file=t.file.name,
                format=t.format,
                content_type=t.content_type,
                size_bytes=t.size_bytes,
                pages=t.pages,
                original_name=t.original_name,
                uploaded_at=now,
                uploaded_by=d.candidate,
            )
            for d in dossiers
            for t in documents
        )
        fee = selectors.fee_breakdown(dossiers[0], params).total
        Payment.objects.bulk_create(
            Payment(dossier=d, amount=fee, reference=f"VIR-{d.pk}", declared_at=now)
            for d in dossiers
        )
        referees = Referee.objects.bulk_create(
            Referee(
                dossier=d,
                kind=kind,
                name="Dr Ref",
                role="Prof",
                email=f"{kind}-{d.pk}@bench.example",
                state="received",
                requested_at=now,
                received_at=now,
            )
            for d in dossiers
            for kind in ("academic", "professional")
        )
        Recommendation.objects.bulk_create(
            Recommendation(
                referee=r,
                acquaintance="Deux ans, enseignant.",
                strengths="Rigueur.",
                improvements="Anglais.",
                opinion="favourable",
                submitted_at=now,
            )
            for r in referees
        )
        store = SessionStore()
        expire = timezone.now() + timedelta(days=1)  # expiry is checked against the real time
        sessions = [
            Session(
                session_key=get_random_string(32, SESSION_KEY_CHARS),
                session_data=store.encode(
                    {
                        SESSION_KEY: str(u.pk),
                        BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                        HASH_SESSION_KEY: u.get_session_auth_hash(),
                    }
                ),
                expire_date=expire,
            )
            for u in users
        ]
        Session.objects.bulk_create(sessions)

    # Sanity check: the only thing between a pool dossier and its submission is the CV.
    sample = Dossier.objects.get(pk=dossiers[0].pk)
    blockers = selectors.submission_blockers(sample, params, now, "fr")
    checklist_missing = [doc.code for doc in selectors.document_checklist(sample, params).missing]
    if checklist_missing != [CROWD_UPLOADS] or len(blockers) != 1:
        sys.exit(
            f"prepare: a pool dossier should miss only its CV, it misses {checklist_missing}: {blockers}"
        )
    out.write_text(
        json.dumps(
            [
                {"email": u.email, "session": s.session_key, "dossier": d.pk}
                for u, s, d in zip(users, sessions, dossiers, strict=True)
            ]
        )
    )
    print(f"prepare: {count} candidates, each missing only its CV, at {now.isoformat()}")


if __name__ == "__main__":
    main()
