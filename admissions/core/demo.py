"""Demo dossiers in every state the platform knows (issue 3, §4), built through the services."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfWriter

from admissions.committee.services import decide_admissibility, record_score
from admissions.documents.models import Document
from admissions.documents.services import declare_pending, store_document
from admissions.dossiers.models import Diploma, Dossier, Experience, FormationChoice
from admissions.dossiers.selectors import upload_slots
from admissions.dossiers.services import open_dossier, submit_dossier
from admissions.payments.models import Payment
from admissions.payments.services import decide_payment, declare_payment
from admissions.referees.links import make_token
from admissions.referees.services import name_referee, submit_recommendation
from admissions.verification.services import decide_dossier, notify_fixes, review_document

if TYPE_CHECKING:
    from admissions.accounts.models import User
    from admissions.campaigns.models import Campaign


@functools.cache  # the same bytes for every dossier: seed_demo stays fast
def demo_pdf(title: str = "") -> bytes:
    """One A4 page; with ``title``, the page says what it stands for (a blank page looked like a
    broken render on the staff's dossier page)."""
    if not title:
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()
    page = Image.new("L", (595, 842), 255)
    draw = ImageDraw.Draw(page)
    draw.rectangle((40, 40, 555, 802), outline=120, width=2)
    draw.text(
        (70, 90), "Document fictif", fill=0, font=ImageFont.load_default(28)
    )  # ASCII: the font
    draw.text((70, 150), title, fill=60, font=ImageFont.load_default(20))
    buffer = io.BytesIO()
    page.save(buffer, format="PDF", resolution=72)
    return buffer.getvalue()


@functools.cache
def demo_photo() -> bytes:
    image = Image.new("RGB", (600, 800), (70, 110, 170))
    ImageDraw.Draw(image).ellipse((180, 180, 420, 480), fill=(230, 190, 160))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def fill_pages(
    dossier: Dossier,
    campaign: Campaign,
    *,
    now: datetime,
    last_name: str,
    status_sought: str = "apprentissage",
    nationality: str = "FR",
    options: int = 1,
    diploma: dict[str, Any] | None = None,
) -> None:
    """Every page answered: by default a French applicant with a DUT and the first option."""
    dossier.civility, dossier.last_name, dossier.first_name = "mme", last_name, "Camille"
    dossier.birth_date, dossier.birth_place = date(2000, 5, 17), "Albi"
    dossier.nationality = dossier.country = nationality
    dossier.phone, dossier.address, dossier.postal_code, dossier.city = (
        "05 63 49 30 45",
        "Allée des Sciences",
        "81000",
        "Albi",
    )
    dossier.status_sought = status_sought
    dossier.notice_acknowledged_at = now
    dossier.save()
    if not dossier.choices.exists():
        for rank, option in enumerate(campaign.options_on_offer()[:options], start=1):
            FormationChoice.objects.create(dossier=dossier, option=option, rank=rank)
    if not dossier.diplomas.exists():
        Diploma.objects.create(
            dossier=dossier,
            **(
                diploma
                or {
                    "type": "DUT",
                    "speciality": "Génie mécanique et productique",
                    "year": 2020,
                    "obtained_on": date(2020, 6, 30),
                }
            ),
        )


def upload_everything(
    dossier: Dossier, *, now: datetime, skip: frozenset[str] = frozenset()
) -> None:
    """One valid file in every upload slot (the first way of filling each), but those in ``skip``.

    The academic recommendation is left to a referee."""
    params = dossier.campaign.params()
    filled = set(skip)
    for code, slot in upload_slots(dossier, params).items():
        if slot.code in filled or code in filled or code.startswith("academic_recommendation"):
            continue
        filled.add(slot.code)
        data, name = (
            (demo_photo(), "photo.jpg") if code == "photo" else (demo_pdf(code), f"{code}.pdf")
        )
        store_document(
            dossier=dossier,
            code=code,
            upload=ContentFile(data, name=name),
            by=dossier.candidate,
            now=now,
            params=params,
        )


def receive_recommendations(dossier: Dossier, *, now: datetime) -> None:
    # Who writes each recommendation in the demo: a teacher, an internship supervisor.
    referees = {
        "academic": ("M. Lefèvre", "Enseignant"),
        "professional": ("Mme Roussel", "Tutrice de stage"),
    }
    for kind, (name, role) in referees.items():
        referee = name_referee(
            dossier=dossier,
            kind=kind,
            name=name,
            role=role,
            email=f"referee-{kind}-{dossier.pk}@demo.example",
            by=dossier.candidate,
            now=now,
        )
        submit_recommendation(
            referee=referee,
            nonce=referee.token_nonce,
            answers={
                "acquaintance": "Depuis deux ans, en cours.",
                "strengths": "Rigueur.",
                "improvements": "Anglais.",
                "opinion": "favourable",
                "comment": "",
            },
            attachment=None,
            now=now,
        )


def officer_reviews(
    dossier: Dossier,
    officer: User,
    now: datetime,
    *,
    refused: dict[str, str] | None = None,
    valid: tuple[str, ...] = (),
) -> None:
    """The central check's verdicts on documents, through its service (R4.1): ``refused``
    maps a code to its reason (replaceable for two weeks), the code of one of the campaign
    list's reasons (each reader reads it in their language) or words of the officer's own;
    ``valid`` lists accepted codes."""
    for code in valid:
        review_document(
            document=dossier.documents.get(code=code), by=officer, now=now, verdict="valid"
        )
    for code, reason in (refused or {}).items():
        review_document(
            document=dossier.documents.get(code=code),
            by=officer,
            now=now,
            verdict="refused",
            reason_code=reason,  # not one of the list's codes: the words below are the reason
            reason_text=reason,
            replace_until=now + timedelta(days=14),
        )


def complete(
    dossier: Dossier,
    campaign: Campaign,
    *,
    now: datetime,
    last_name: str,
    skip: frozenset[str] = frozenset(),
    **answers: Any,
) -> None:
    """Every page answered, every file uploaded, both recommendations received."""
    fill_pages(dossier, campaign, now=now, last_name=last_name, **answers)
    upload_everything(dossier, now=now, skip=skip)
    receive_recommendations(dossier, now=now)


def pay(dossier: Dossier, amount: str, *, now: datetime) -> Payment:
    return declare_payment(
        dossier=dossier,
        amount=Decimal(amount),
        currency="EUR",
        reference=f"VIR-DEMO-{dossier.pk}",
        by=dossier.candidate,
        now=now,
    )


def scholarship_holder(
    review: Document.Review,
) -> Callable[[Dossier, Campaign, User, datetime], None]:
    """A scholarship holder who paid the reduced fee; their proof as staff left it."""

    def build_dossier(dossier: Dossier, campaign: Campaign, officer: User, now: datetime) -> None:
        dossier.scholarship_claimed = True
        dossier.save(update_fields=["scholarship_claimed"])
        complete(
            dossier,
            campaign,
            now=now,
            last_name={
                Document.Review.UNCHECKED: "Garnier",
                Document.Review.VALID: "Faure",
                Document.Review.REFUSED: "Blanc",
            }[review],
        )
        pay(dossier, "22", now=now)
        if review == Document.Review.VALID:
            submit_dossier(dossier=dossier, by=dossier.candidate, now=now)
            officer_reviews(dossier, officer, now, valid=("scholarship_proof",))
        elif review == Document.Review.REFUSED:
            submit_dossier(dossier=dossier, by=dossier.candidate, now=now)
            officer_reviews(
                dossier,
                officer,
                now,
                refused={"scholarship_proof": "bourse-annee"},
            )

    return build_dossier


def foreign_diploma(dossier: Dossier, campaign: Campaign, officer: User, now: datetime) -> None:
    """A Moroccan national with a Moroccan diploma: the visa and programme slots appear."""
    complete(
        dossier,
        campaign,
        now=now,
        last_name="Benali",
        nationality="MA",
        diploma={
            "type": "FOREIGN",
            "speciality": "Diplôme de technicien supérieur en génie mécanique",
            "country": "MA",
            "institution": "ISTA Casablanca",
            "year": 2020,
            "obtained_on": date(2020, 7, 10),
        },
    )


def several_options(dossier: Dossier, campaign: Campaign, officer: User, now: datetime) -> None:
    """Three options: 77 € + 22 € + 22 € = 121 € (R3.6)."""
    complete(dossier, campaign, now=now, last_name="Mercier", options=3)
    pay(dossier, "121", now=now)


def continuing_education(
    dossier: Dossier, campaign: Campaign, officer: User, now: datetime
) -> None:
    """Formation continue: four years as a higher technician and the employer agrees (R3.2)."""
    complete(dossier, campaign, now=now, last_name="Fontaine", status_sought="formation_continue")
    dossier.technician_experience_years, dossier.employer_agreement = Decimal("4"), True
    dossier.save(update_fields=["technician_experience_years", "employer_agreement"])
    Experience.objects.get_or_create(
        dossier=dossier,
        employer="Aérotech Sud",
        defaults={
            "position": "Technicien supérieur méthodes",
            "started_on": date(2016, 9, 1),
            "higher_technician": True,
        },
    )


def submitted(
    *, later: frozenset[str] = frozenset(), last_name: str
) -> Callable[[Dossier, Campaign, User, datetime], Dossier]:
    def build_dossier(
        dossier: Dossier, campaign: Campaign, officer: User, now: datetime
    ) -> Dossier:
        complete(dossier, campaign, now=now, last_name=last_name, skip=later)
        params = campaign.params()
        for code in later:
            declare_pending(
                dossier=dossier, code=code, by=dossier.candidate, now=now, params=params
            )
        pay(dossier, "77", now=now)
        return submit_dossier(dossier=dossier, by=dossier.candidate, now=now)

    return build_dossier


def transcript_later(dossier: Dossier, campaign: Campaign, officer: User, now: datetime) -> None:
    """Submitted with the first-semester transcript declared "not yet available" (R3.3)."""
    submitted(later=frozenset({"transcripts_current_year"}), last_name="Lambert")(
        dossier, campaign, officer, now
    )


def replacement_asked(dossier: Dossier, campaign: Campaign, officer: User, now: datetime) -> None:
    """Submitted; staff asked for another CV (R3.8: that slot opens again)."""
    submitted(last_name="Girard")(dossier, campaign, officer, now)
    officer_reviews(dossier, officer, now, refused={"cv": "illisible"})
    notify_fixes(dossier=dossier, by=officer, now=now)


def replacement_sent(dossier: Dossier, campaign: Campaign, officer: User, now: datetime) -> None:
    """Submitted; staff refused the photo in their own words, the candidate sent another one,
    which waits for the service's second look (R3.8, R4.1)."""
    submitted(last_name="Perrin")(dossier, campaign, officer, now)
    codes = tuple(dossier.documents.exclude(code="photo").values_list("code", flat=True))
    officer_reviews(
        dossier,
        officer,
        now,
        valid=codes,
        refused={"photo": "La photo est floue : envoyez une photo nette, de face."},
    )
    notify_fixes(dossier=dossier, by=officer, now=now)
    store_document(
        dossier=dossier,
        code="photo",
        upload=ContentFile(demo_photo(), name="photo-nette.jpg"),
        by=dossier.candidate,
        now=now + timedelta(minutes=30),  # still before the demo's clock
        params=campaign.params(),
    )


def checked(verdict: str) -> Callable[[Dossier, Campaign, User, datetime], None]:
    """Submitted, every document checked, then declared recevable or refused (R4.1)."""

    def build_dossier(dossier: Dossier, campaign: Campaign, officer: User, now: datetime) -> None:
        last_name = "Chevalier" if verdict == "recevable" else "Robin"
        submitted(last_name=last_name)(dossier, campaign, officer, now)
        codes = tuple(dossier.documents.values_list("code", flat=True))
        officer_reviews(dossier, officer, now, valid=codes)
        decide_dossier(
            dossier=dossier,
            by=officer,
            now=now,
            verdict=verdict,
            reason=""
            if verdict == "recevable"
            else "Le parcours déclaré ne correspond pas aux relevés de notes fournis.",
        )

    return build_dossier


def payment_not_received(
    dossier: Dossier, campaign: Campaign, officer: User, now: datetime
) -> None:
    """Submitted; staff marked the transfer not received (the candidate may declare again)."""
    submitted(last_name="Bonnet")(dossier, campaign, officer, now)
    decide_payment(
        payment=dossier.payments.get(),
        received=False,
        by=officer,
        now=now,
        reason="Aucun virement reçu avec cette référence.",
    )


def before_committee(
    dossier: Dossier,
    campaign: Campaign,
    accounts: Mapping[str, User],
    now: datetime,
    *,
    last_name: str,
    scores: tuple[str, ...],
    admissible: bool | None,
) -> None:
    """Submitted, forwarded to the school by the central check, scored by the committee's
    members (one score each, in order) and, unless ``admissible`` is None, decided (R5.1)."""
    dossier = submitted(last_name=last_name)(dossier, campaign, accounts["_officer"], now)
    officer = accounts["_officer"]
    officer_reviews(
        dossier, officer, now, valid=tuple(dossier.documents.values_list("code", flat=True))
    )
    decide_dossier(dossier=dossier, by=officer, now=now, verdict="recevable", reason="")
    members = (accounts["_committee"], accounts["_committee2"])
    for member, score in zip(members, scores, strict=False):
        record_score(
            dossier=dossier,
            member=member,
            score=Decimal(score),
            comment="Parcours cohérent." if Decimal(score) >= 10 else "Projet à préciser.",
            now=now,
        )
    if admissible is not None:
        decide_admissibility(
            dossier=dossier,
            by=accounts["_school_officer"],
            admissible=admissible,
            comment="" if admissible else "Projet professionnel insuffisamment construit.",
            now=now,
        )


# Demo account key -> (last name, committee scores, decision) of a dossier before the committee.
COMMITTEE_DOSSIERS: dict[str, tuple[str, tuple[str, ...], bool | None]] = {
    "forwarded": ("Rousseau", ("14",), None),
    "admissible": ("Dupont", ("16", "15.5"), True),
    "not_admissible": ("Lemoine", ("8", "9"), False),
    # Phase 2 (exams/booking): admissible candidates with a booking and accommodation requests.
    "booked": ("Garnier", ("15",), True),
    "accommodation_pending": ("Faure", ("14",), True),
    "accommodation_approved": ("Blanc", ("15",), True),
    "accommodation_refused": ("Chevalier", ("13",), True),
    # Booked on the demo exam day, placed in its timetable and convoked (exams/demo_timetable.py).
    "convoked": ("Garnier", ("15", "14"), True),
    "convoked_accommodated": ("Fontaine", ("13", "14.5"), True),
}

# Phase 2 is built as of this instant: results published, exam-day choice open (R6.1).
EXAM_PHASE_AT = datetime.fromisoformat("2021-03-25T10:00:00+01:00")
EXAM_DAYS = (date(2021, 3, 30), date(2021, 3, 31), date(2021, 4, 1))


def exam_phase(campaign: Campaign, accounts: Mapping[str, User]) -> None:
    """Exam days with their panels, bookings and accommodations (R6.1, R10.4); once."""
    from datetime import time

    from admissions.exams.models import Accommodation, ExamDay
    from admissions.exams.services import booking as exams

    officer, now = accounts["_school_officer"], EXAM_PHASE_AT
    if ExamDay.objects.filter(campaign=campaign).exists():
        return  # built by an earlier run
    days = [
        exams.save_day(
            campaign=campaign,
            by=officer,
            now=now,
            date=day,
            starts_at=time(8, 30),
            ends_at=time(17, 30),
            capacity=capacity,
            videoconference=f"https://visio.demo.example/epreuves-{day:%Y%m%d}",
            breaks=[(time(12, 30), time(13, 30))],
        )
        for day, capacity in zip(EXAM_DAYS, (2, 20, 20), strict=True)
    ]
    jurors = [accounts["_jury"], accounts["_jury2"]]
    for day in days:
        exams.save_panel(
            day=day,
            by=officer,
            now=now,
            exam_code="interview",
            name="Jury 1",
            members=jurors,
            available_from=None,
            available_until=None,
            breaks=[],
        )
        exams.save_panel(
            day=day,
            by=officer,
            now=now,
            exam_code="english",
            name="Examinateur A",
            members=jurors[1:],
            available_from=time(9),
            available_until=time(17),
            breaks=[(time(15, 0), time(15, 15))],
        )
    params = campaign.params()
    for key in ("booked", "accommodation_approved"):
        if key in accounts:
            dossier = open_dossier(candidate=accounts[key], campaign=campaign, now=now)
            exams.book_day(dossier=dossier, day_id=days[0].pk, by=dossier.candidate, now=now)
    for key, decision in (
        ("accommodation_pending", None),
        ("accommodation_approved", True),
        ("accommodation_refused", False),
    ):
        if key not in accounts:
            continue
        dossier = open_dossier(candidate=accounts[key], campaign=campaign, now=now)
        row: Accommodation = exams.request_accommodation(
            dossier=dossier,
            needs="Tiers temps aux épreuves orales (trouble dys).",
            upload=ContentFile(demo_pdf(), name="avis-medical.pdf"),
            by=dossier.candidate,
            now=now,
            params=params,
        )
        if decision is not None:
            exams.decide_accommodation(
                accommodation=row,
                by=officer,
                approve=decision,
                granted="Tiers temps ; pause de 5 minutes possible." if decision else "",
                extra_minutes={"interview": 10, "english": 5} if decision else {},
                reason="" if decision else "Le justificatif ne porte pas sur les épreuves orales.",
                now=now,
            )


# Demo account key -> how its dossier is built, once (the dossier then has a last name).
BUILDERS: dict[str, Callable[[Dossier, Campaign, User, datetime], Any]] = {
    "scholarship_pending": scholarship_holder(Document.Review.UNCHECKED),
    "scholarship_accepted": scholarship_holder(Document.Review.VALID),
    "scholarship_refused": scholarship_holder(Document.Review.REFUSED),
    "foreign": foreign_diploma,
    "options": several_options,
    "continuing": continuing_education,
    "transcript_later": transcript_later,
    "replacement": replacement_asked,
    "replacement_sent": replacement_sent,
    "payment_refused": payment_not_received,
    "recevable": checked("recevable"),
    "check_refused": checked("refused"),
}


def outbox_history(accounts: Mapping[str, User]) -> None:
    """The receipts of three submitted demo dossiers as if the mail server had answered (R8.2):
    one sent, one failed for good (address refused), one waiting for its third attempt after a
    refused connection. The other emails the demo owes stay queued until the worker sends them.
    Outbox timings are the real clock's (notifications/services.py), not the campaign's."""
    from django.utils import timezone

    from admissions.dossiers.emails import receipt_key, receipt_message
    from admissions.notifications.models import OutboundEmail
    from admissions.notifications.services import shown_body

    real_now = timezone.now()
    history: dict[str, dict[str, Any]] = {
        "paid": {"state": OutboundEmail.State.SENT, "attempts": 1, "sent_at": real_now},
        "payment_refused": {
            "state": OutboundEmail.State.FAILED,
            "attempts": 1,
            "last_error": (
                "SMTPRecipientsRefused: {'{email}': (550, b'5.1.1 <{email}>: "
                "Recipient address rejected: User unknown')}"
            ),
        },
        "replacement": {
            "state": OutboundEmail.State.QUEUED,
            "attempts": 2,
            "next_attempt_at": real_now + timedelta(minutes=5),
            "last_error": "ConnectionRefusedError: [Errno 111] Connection refused",
        },
    }
    for key, outcome in history.items():
        if key not in accounts:
            continue
        dossier = Dossier.objects.select_related("campaign__school", "candidate").get(
            candidate=accounts[key]
        )
        email = OutboundEmail.objects.filter(key=receipt_key(dossier.pk)).first()
        if email is None or email.attempts:
            continue  # not submitted, or already given its history by an earlier run
        message = receipt_message(dossier, language=email.language)
        outcome = {
            **outcome,
            "last_error": outcome.get("last_error", "").replace("{email}", dossier.candidate.email),
            "subject": str(message.subject),
            "body": shown_body(email.kind, message),
            "claimed_at": real_now,
        }
        OutboundEmail.objects.filter(pk=email.pk).update(**outcome)


# Demo account key -> (last name, committee scores, grades by exam: a grade, or "absent"), for
# the candidates examined on the demo's exam day (R6.3); the academic list admits rank 1 (R6.4).
PHASE_TWO_DOSSIERS: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "graded": ("Martin", ("16", "15"), {"interview": "15.5", "english": "14"}),
    "below_list": ("Girard", ("12", "11"), {"interview": "11", "english": "10.5"}),
    "eliminated": ("Lambert", ("13", "14"), {"interview": "3.5", "english": "12"}),
    "absent": ("Mercier", ("14", "12"), {"interview": "13", "english": "absent"}),
}
DEMO_EXAM_DATE = date(2021, 4, 1)


def phase_two(campaign: Campaign, accounts: Mapping[str, User], now: datetime) -> None:
    """Admissible candidates booked on one exam day, in a jury's and an examiner's timetable,
    graded (one eliminated by a grade of 3.5, one absent), and the academic list recorded by the
    school's officer; published to candidates at the campaign's academic_results_at. Rows are
    made directly where the booking and timetable services would (idempotent)."""
    from datetime import time
    from zoneinfo import ZoneInfo

    from django.db.models import F

    from admissions.exams.models import Booking, ExamDay, ExamPanel, ExamSlot
    from admissions.exams.services.grading import record_grade

    if "_jury" not in accounts or not all(key in accounts for key in PHASE_TWO_DOSSIERS):
        return
    day, _created = ExamDay.objects.get_or_create(
        campaign=campaign,
        date=DEMO_EXAM_DATE,
        defaults={"starts_at": time(9), "ends_at": time(17), "capacity": 20},
    )
    jury, _created = ExamPanel.objects.get_or_create(
        day=day, name="Jury 1", defaults={"exam_code": "interview"}
    )
    jury.members.add(accounts["_jury"])
    examiner, _created = ExamPanel.objects.get_or_create(
        day=day, name="Examinateur A", defaults={"exam_code": "english"}
    )
    examiner.members.add(accounts["_examiner"])
    zone = ZoneInfo(campaign.time_zone)
    for index, (key, (last_name, scores, grades)) in enumerate(PHASE_TWO_DOSSIERS.items()):
        dossier = open_dossier(candidate=accounts[key], campaign=campaign, now=now)
        if not dossier.last_name:
            before_committee(
                dossier,
                campaign,
                accounts,
                now,
                last_name=last_name,
                scores=scores,
                admissible=True,
            )
        booking, created = Booking.objects.get_or_create(
            dossier=dossier,
            defaults={"day": day, "booked_at": now, "booked_by": dossier.candidate},
        )
        if created:
            ExamDay.objects.filter(pk=day.pk).update(booked=F("booked") + 1)
        start = datetime.combine(DEMO_EXAM_DATE, time(9), tzinfo=zone) + timedelta(
            minutes=45 * index
        )
        for code, panel, begins, minutes in (
            ("interview", jury, start, 30),
            ("english", examiner, start + timedelta(minutes=45), 15),
        ):
            slot, _created = ExamSlot.objects.get_or_create(
                booking=booking,
                exam_code=code,
                defaults={
                    "panel": panel,
                    "starts_at": begins,
                    "ends_at": begins + timedelta(minutes=minutes),
                },
            )
            if not dossier.exam_grades.filter(exam_code=code).exists():
                absent = grades[code] == "absent"
                record_grade(
                    slot=slot,
                    by=accounts["_jury"] if panel == jury else accounts["_examiner"],
                    grade=None if absent else Decimal(grades[code]),
                    absent=absent,
                    comment="" if absent else "Entretien mené en entier.",
                    now=now,
                )
    grade_the_others_and_record(campaign, accounts, now)


def grade_the_others_and_record(
    campaign: Campaign, accounts: Mapping[str, User], now: datetime
) -> None:
    """The other demo candidates with a booked day get middle grades (made directly), then the
    academic list is recorded (cut-off rank 1) unless every examined candidate already has
    their decision. Run again by seed_demo after the timetable's demo day books the rest."""
    from admissions.exams.models import AcademicDecision, Grade
    from admissions.exams.selectors.grading import campaign_ranking, examined_dossiers
    from admissions.exams.services.grading import record_academic_list

    for other in examined_dossiers(campaign).exclude(
        candidate__in=[accounts[key] for key in PHASE_TWO_DOSSIERS if key in accounts]
    ):
        for code, value in (("interview", "12"), ("english", "12.5")):
            Grade.objects.get_or_create(
                dossier=other,
                exam_code=code,
                defaults={
                    "grade": Decimal(value),
                    "graded_by": accounts["_jury"],
                    "graded_at": now,
                },
            )
    decided = AcademicDecision.objects.filter(dossier__campaign=campaign).values("dossier")
    undecided = examined_dossiers(campaign).exclude(pk__in=decided).exists()
    if undecided and campaign_ranking(campaign).ranking.complete:
        record_academic_list(campaign=campaign, by=accounts["_school_officer"], cutoff=1, now=now)


def build(campaign: Campaign, accounts: Mapping[str, User], *, now: datetime) -> dict[str, str]:
    """Dossiers for the demo candidates; returns a referee link to try, keyed by label."""
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
            referee = name_referee(
                dossier=dossier,
                kind="professional",
                name="Mme Tutrice",
                role="Maître d'apprentissage",
                email="tutrice@demo.example",
                by=dossier.candidate,
                now=now,
            )
        if referee is not None:
            links["referee"] = make_token(referee, now=now)
    for key, confirm in (("ready", None), ("submitted", False), ("paid", True)):
        if key not in accounts:
            continue
        dossier = open_dossier(candidate=accounts[key], campaign=campaign, now=now)
        if dossier.referees.exists():
            continue  # built by an earlier run
        fill_pages(
            dossier,
            campaign,
            now=now,
            last_name={"ready": "Petit", "submitted": "Moreau", "paid": "Laurent"}[key],
        )
        upload_everything(dossier, now=now)
        receive_recommendations(dossier, now=now)
        payment = pay(dossier, "77", now=now)
        if confirm is not None:
            submit_dossier(dossier=dossier, by=dossier.candidate, now=now)
        if confirm:
            decide_payment(payment=payment, received=True, by=accounts["_officer"], now=now)
    if "professionalisation" in accounts:
        dossier = open_dossier(
            candidate=accounts["professionalisation"], campaign=campaign, now=now
        )
        dossier.status_sought, dossier.last_name, dossier.first_name = (
            "contrat_professionnalisation",
            "Roux",
            "Hugo",
        )
        dossier.save()
    for key, build_dossier in BUILDERS.items():
        if key not in accounts:
            continue
        dossier = open_dossier(candidate=accounts[key], campaign=campaign, now=now)
        if not dossier.last_name:  # otherwise built by an earlier run
            build_dossier(dossier, campaign, accounts["_officer"], now)
    for key, (last_name, scores, admissible) in COMMITTEE_DOSSIERS.items():
        if key not in accounts:
            continue
        dossier = open_dossier(candidate=accounts[key], campaign=campaign, now=now)
        if not dossier.last_name:  # otherwise built by an earlier run
            before_committee(
                dossier,
                campaign,
                accounts,
                now,
                last_name=last_name,
                scores=scores,
                admissible=admissible,
            )
    if "_jury" in accounts:
        exam_phase(campaign, accounts)
    phase_two(campaign, accounts, now)  # after exam_phase, which builds only on a new campaign
    outbox_history(accounts)
    return links
