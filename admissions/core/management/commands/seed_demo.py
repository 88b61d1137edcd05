"""Demo accounts: one per staff role of R2.2 and candidates in every state known so far."""

from __future__ import annotations

from datetime import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from admissions.accounts.models import Role, RoleGrant, User
from admissions.campaigns.selectors import current_campaign
from admissions.companies import demo as company_demo
from admissions.company_search.demo import build_demo as company_search_demo
from admissions.core import demo
from admissions.exams.demo_timetable import demo_exam_day
from admissions.preentry.demo import demo_preentry

DEMO_PASSWORD = "demo-admissions-2021"  # noqa: S105 - demo accounts only, printed on purpose
DEMO_AT = "2021-03-01T09:00:00+01:00"  # the dossiers are built as of this instant

# (email, role, whole network?) — the central service and the administrator see every school.
STAFF_ACCOUNTS = [
    ("admin@demo.example", Role.PLATFORM_ADMIN, True),
    ("central@demo.example", Role.CENTRAL_OFFICER, True),
    ("admissions@demo.example", Role.SCHOOL_OFFICER, False),
    ("committee@demo.example", Role.COMMITTEE_MEMBER, False),
    ("committee2@demo.example", Role.COMMITTEE_MEMBER, False),
    ("jury@demo.example", Role.JURY_MEMBER, False),
    ("examiner@demo.example", Role.JURY_MEMBER, False),
    ("jury2@demo.example", Role.JURY_MEMBER, False),
]
# Staff accounts in the states the staff accounts pages show (issue 11), built through their
# services by the administrator: (email, role, whole network?, state).
STAFF_ACCOUNT_STATES = [
    ("school-admin@demo.example", Role.PLATFORM_ADMIN, False, "administrator of one school"),
    ("invited@demo.example", Role.SCHOOL_OFFICER, False, "invited, password not chosen yet"),
    ("former@demo.example", Role.JURY_MEMBER, False, "deactivated"),
]
# (key, email, confirmed email?, what the account shows)
CANDIDATE_ACCOUNTS = [
    ("new", "candidate@demo.example", True, "compte confirmé, dossier vide"),
    ("unconfirmed", "unconfirmed@demo.example", False, "adresse pas encore confirmée"),
    ("draft", "draft@demo.example", True, "dossier commencé"),
    (
        "professionalisation",
        "pro@demo.example",
        True,
        "contrat de professionnalisation (suivi par l'école)",
    ),
    ("waiting_referee", "waiting@demo.example", True, "tout fourni, attend une recommandation"),
    ("ready", "ready@demo.example", True, "dossier complet, prêt à déposer"),
    ("submitted", "submitted@demo.example", True, "dossier déposé, paiement à confirmer"),
    ("paid", "paid@demo.example", True, "dossier déposé, paiement confirmé"),
    (
        "scholarship_pending",
        "scholarship@demo.example",
        True,
        "boursier, justificatif déposé, à vérifier",
    ),
    (
        "scholarship_accepted",
        "scholarship-accepted@demo.example",
        True,
        "boursier, justificatif accepté (22 €)",
    ),
    (
        "scholarship_refused",
        "scholarship-refused@demo.example",
        True,
        "boursier, justificatif refusé (différence due)",
    ),
    (
        "foreign",
        "foreign@demo.example",
        True,
        "diplôme étranger, nationalité hors EEE (visa demandé), compte en anglais",
    ),
    ("options", "options@demo.example", True, "trois options choisies (121 €)"),
    (
        "continuing",
        "continuing@demo.example",
        True,
        "formation continue (expérience et accord de l'employeur)",
    ),
    (
        "transcript_later",
        "transcript-later@demo.example",
        True,
        "dossier déposé, relevé du premier semestre annoncé plus tard",
    ),
    (
        "replacement",
        "replacement@demo.example",
        True,
        "dossier déposé, le service demande un autre CV",
    ),
    (
        "replacement_sent",
        "replacement-sent@demo.example",
        True,
        "dossier déposé, photo refusée puis remplacée, à revérifier",
    ),
    (
        "payment_refused",
        "payment-refused@demo.example",
        True,
        "dossier déposé, paiement marqué non reçu",
    ),
    (
        "recevable",
        "recevable@demo.example",
        True,
        "dossier déposé, vérifié et déclaré recevable",
    ),
    (
        "check_refused",
        "check-refused@demo.example",
        True,
        "dossier déposé, refus de pré-admissibilité (avec son motif)",
    ),
    (
        "forwarded",
        "forwarded@demo.example",
        True,
        "dossier transmis à la commission, noté par un membre, à décider",
    ),
    (
        "admissible",
        "admissible@demo.example",
        True,
        "déclaré admissible (visible du candidat à la publication des résultats)",
    ),
    (
        "not_admissible",
        "not-admissible@demo.example",
        True,
        "déclaré non admissible (visible du candidat à la publication des résultats)",
    ),
    (
        "graded",
        "graded@demo.example",
        True,
        "épreuves passées, admis(e) académique (visible le 19 avril 2021), sans entreprise",
    ),
    (
        "below_list",
        "below-list@demo.example",
        True,
        "épreuves passées, non retenu(e) sur la liste académique",
    ),
    (
        "eliminated",
        "eliminated@demo.example",
        True,
        "éliminé(e) : 3,5/20 à l'entretien",
    ),
    ("absent", "absent@demo.example", True, "éliminé(e) : absent(e) à l'épreuve d'anglais"),
    ("booked", "booked@demo.example", True, "admissible, jour d'épreuves choisi (30 mars)"),
    (
        "accommodation_pending",
        "accommodation@demo.example",
        True,
        "admissible, aménagement demandé, à décider",
    ),
    (
        "accommodation_approved",
        "accommodation-approved@demo.example",
        True,
        "admissible, jour choisi, aménagement accordé (tiers temps)",
    ),
    (
        "accommodation_refused",
        "accommodation-refused@demo.example",
        True,
        "admissible, aménagement refusé (avec son motif)",
    ),
    (
        "convoked",
        "convoque@demo.example",
        True,
        "admissible, placé dans l'emploi du temps de la journée de démo, convoqué",
    ),
    (
        "convoked_accommodated",
        "convoque-amenagement@demo.example",
        True,
        "admissible, convoqué, tiers temps accordé (+10 min entretien, +5 min anglais)",
    ),
    # The company phase (issue 13), built at instants after the academic list's publication.
    *[(key, email, True, state) for key, email, state in company_demo.COMPANY_PHASE_ACCOUNTS],
]


# Accounts that use the platform in English: their emails are written in English (R8.2).
ENGLISH_ACCOUNTS = frozenset({"foreign@demo.example"})


class Command(BaseCommand):
    help = (
        "Create the demo accounts and dossiers (idempotent) and print how to log in as each role."
    )

    def add_arguments(self, parser):
        parser.add_argument("--at", default=DEMO_AT, help="instant the demo dossiers are built at")

    def handle(self, *args, at, **options):
        campaign = current_campaign()
        if campaign is None:
            raise CommandError("No campaign loaded: run `manage.py load_campaign FILE` first.")
        now = datetime.fromisoformat(at)
        with transaction.atomic():
            rows = [
                self._staff(email, role, campaign, whole) for email, role, whole in STAFF_ACCOUNTS
            ]
            rows += self._staff_states(campaign, now)
            accounts = {
                "_officer": User.objects.get(email="central@demo.example"),
                "_committee": User.objects.get(email="committee@demo.example"),
                "_committee2": User.objects.get(email="committee2@demo.example"),
                # The school's admissions officer records the committee's decisions (R5.1).
                "_school_officer": User.objects.get(email="admissions@demo.example"),
                # Panels of the exam days (exams/booking); they grade (R6.3).
                "_jury": User.objects.get(email="jury@demo.example"),
                "_jury2": User.objects.get(email="jury2@demo.example"),
                "_examiner": User.objects.get(email="examiner@demo.example"),
            }
            for key, email, confirmed, state in CANDIDATE_ACCOUNTS:
                accounts[key] = self._account(email, confirmed)
                rows.append((email, f"{Role.CANDIDATE.label} : {state}"))
            links = demo.build(campaign, accounts, now=now)
            demo_exam_day(
                campaign,
                officer=accounts["_school_officer"],
                juries=(
                    User.objects.get(email="jury@demo.example"),
                    User.objects.get(email="jury2@demo.example"),
                ),
                examiner=User.objects.get(email="examiner@demo.example"),
                now=now,
            )
            # The demo day booked more candidates: graded too, the academic list recorded.
            demo.grade_the_others_and_record(campaign, accounts, now)
            links.update(company_demo.build(campaign, accounts, now=now))
            company_search_demo(campaign, accounts["_school_officer"], now)
            rows += demo_preentry(campaign, accounts, password=DEMO_PASSWORD)  # R7.4 checklists
        self.stdout.write("")
        self.stdout.write(f"Demo accounts for {campaign.name} (password for all: {DEMO_PASSWORD})")
        width = max(len(email) for email, _ in rows)
        for email, label in rows:
            self.stdout.write(f"  {email.ljust(width)}  {label}")
        self.stdout.write(f"Log in at {settings.SITE_URL}/accounts/login/ ; admin pages at /admin/")
        self.stdout.write(
            f"Staff accounts start at {settings.SITE_URL}/gestion/ (the central check, the "
            "committee, the outbox, the staff accounts: each role sees its own pages)."
        )
        if "referee" in links:
            self.stdout.write(
                "A referee's personal link (no account needed): "
                f"{settings.SITE_URL}/recommandation/{links['referee']}/"
            )
        if "company" in links:
            self.stdout.write(
                "A company's personal link to confirm a contract (no account needed; the company "
                "phase runs from 19 April 2021, try DEMO_CLOCK_AT=2021-06-01T10:00:00+02:00): "
                f"{settings.SITE_URL}/entreprise/{links['company']}/"
            )

    def _account(self, email: str, confirmed: bool) -> User:
        user, created = User.objects.get_or_create(
            email=email, defaults={"language": "en" if email in ENGLISH_ACCOUNTS else "fr"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": confirmed, "primary": True}
        )
        return user

    def _staff_states(self, campaign, now: datetime) -> list[tuple[str, str]]:
        """The administrator's work on the staff accounts pages, done once (idempotent)."""
        from admissions.accounts import services
        from admissions.accounts.emails import queue_staff_invitation

        admin = User.objects.get(email="admin@demo.example")
        rows = []
        for email, role, whole, state in STAFF_ACCOUNT_STATES:
            school = None if whole else campaign.school
            if email == "invited@demo.example":
                if not User.objects.filter(email=email).exists():
                    services.invite_staff(
                        email=email,
                        first_name="Camille",
                        last_name="Invitée",
                        role=role,
                        school=school,
                        by=admin,
                        now=now,
                        send_email=queue_staff_invitation,
                    )
            else:
                # Not _staff: a school's administrator is no superuser (that would be every school).
                user = self._account(email, confirmed=True)
                RoleGrant.objects.get_or_create(user=user, role=role, school=school)
            if state == "deactivated":
                services.set_active(
                    user=User.objects.get(email=email), active=False, by=admin, now=now
                )
            rows.append((email, f"{role.label} : {state}"))
        return rows

    def _staff(self, email: str, role: Role, campaign, whole_network: bool) -> tuple[str, str]:
        user = self._account(email, confirmed=True)
        if role == Role.PLATFORM_ADMIN and not (user.is_staff and user.is_superuser):
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        RoleGrant.objects.get_or_create(
            user=user, role=role, school=None if whole_network else campaign.school
        )
        return email, str(role.label)
