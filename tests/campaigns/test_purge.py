"""R9.3: `purge_campaign` removes a campaign's personal data after its retention date, never
before; a dry run removes nothing; the audit keeps that a purge happened, and by whom."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from admissions.accounts.models import User
from admissions.audit.models import ERASED_ACTOR_LABEL, AuditEntry
from admissions.audit.services import record
from admissions.campaigns.purge import PURGED_ACTION, PurgeError, purge_campaign
from admissions.documents.models import Document
from admissions.dossiers.models import Dossier
from admissions.notifications.models import OutboundEmail
from admissions.notifications.services import queue_email
from admissions.payments.models import Payment
from admissions.referees.models import Recommendation, Referee
from admissions.support.models import Message
from admissions.support.services import post_message
from tests.dossiers.helpers import complete_dossier, received_recommendations

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
AFTER_RETENTION = datetime(2023, 1, 1, 0, 0, tzinfo=PARIS)  # reference file: until 31 Dec 2022
LAST_RETAINED_INSTANT = datetime(2022, 12, 31, 23, 59, 59, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def admin(accounts_by_role):
    return accounts_by_role["platform_admin"]


@pytest.fixture
def dossier(candidate, reference_campaign, accounts_by_role):
    EmailAddress.objects.create(user=candidate, email=candidate.email, verified=True)
    dossier = complete_dossier(candidate, reference_campaign)
    received_recommendations(dossier)
    post_message(
        dossier=dossier,
        author=candidate,
        body="Bonjour, je m'appelle Camille Martin.",
        from_staff=False,
        now=datetime(2021, 3, 2, tzinfo=PARIS),
    )
    queue_email(kind=OutboundEmail.Kind.RECEIPT, key="receipt:test", recipient=candidate.email)
    record(
        accounts_by_role["central_officer"],
        "payments.payment.rejected",
        dossier,
        reason="Virement de Camille Martin non reçu",
        data={"payment": 1},
    )
    return dossier


def stored_files() -> list[str]:
    return [document.file.name for document in Document.objects.all()]


def test_purge_refused_before_the_retention_date_with_the_date(dossier, admin):
    with pytest.raises(PurgeError) as refused:
        purge_campaign(
            campaign=dossier.campaign, by=admin, now=LAST_RETAINED_INSTANT, dry_run=False
        )

    assert refused.value.message == (
        "Les données de la campagne imt-mines-albi-2021 sont conservées jusqu'au "
        "31 décembre 2022 inclus : la purge sera possible à partir du 1 janvier 2023 00:00."
    )
    assert Dossier.objects.count() == 1
    assert AuditEntry.objects.filter(action=PURGED_ACTION).count() == 0


def test_purge_refused_without_a_retention_in_the_file(dossier, admin):
    campaign = dossier.campaign
    document = dict(campaign.document)
    document.pop("retention")
    type(campaign).objects.filter(pk=campaign.pk).update(document=document, revision="other")

    with pytest.raises(PurgeError) as refused:
        purge_campaign(campaign=campaign, by=admin, now=AFTER_RETENTION, dry_run=False)

    assert refused.value.message.startswith(
        "Le fichier de la campagne imt-mines-albi-2021 ne fixe aucune durée de conservation"
    )
    assert Dossier.objects.count() == 1


def test_purge_refused_to_a_staff_member_who_is_not_an_administrator(dossier, accounts_by_role):
    with pytest.raises(PurgeError):
        purge_campaign(
            campaign=dossier.campaign,
            by=accounts_by_role["central_officer"],
            now=AFTER_RETENTION,
            dry_run=False,
        )
    assert Dossier.objects.count() == 1


def test_dry_run_lists_everything_and_removes_nothing(
    dossier, admin, django_capture_on_commit_callbacks
):
    files = stored_files()

    with django_capture_on_commit_callbacks(execute=True):
        report = purge_campaign(
            campaign=dossier.campaign, by=admin, now=AFTER_RETENTION, dry_run=True
        )

    assert sorted(report.files) == sorted(files)
    assert report.counts()["dossiers"] == 1
    assert report.rows["payments.payment"] == 1
    assert report.rows["referees.referee"] == 2
    assert report.rows["support.message"] == 1
    assert report.rows["documents.document"] == len(files)
    assert report.accounts_deleted == 1
    assert report.outbound_emails == 1
    assert Dossier.objects.count() == 1
    assert User.objects.filter(pk=dossier.candidate_id).count() == 1
    assert all(default_storage.exists(name) for name in files)
    assert AuditEntry.objects.filter(action=PURGED_ACTION).count() == 0


def test_purge_removes_personal_data_files_and_the_account(
    dossier, admin, django_capture_on_commit_callbacks
):
    files = stored_files()
    candidate_id = dossier.candidate_id

    with django_capture_on_commit_callbacks(execute=True):
        purge_campaign(campaign=dossier.campaign, by=admin, now=AFTER_RETENTION, dry_run=False)

    assert Dossier.objects.count() == 0
    assert Document.objects.count() == 0
    assert Payment.objects.count() == 0
    assert (Referee.objects.count(), Recommendation.objects.count()) == (0, 0)
    assert Message.objects.count() == 0
    assert OutboundEmail.objects.filter(key="receipt:test").count() == 0
    assert User.objects.filter(pk=candidate_id).count() == 0
    assert EmailAddress.objects.filter(user_id=candidate_id).count() == 0
    assert [name for name in files if default_storage.exists(name)] == []
    assert User.objects.filter(pk=admin.pk).count() == 1


def test_purge_writes_one_entry_with_who_and_the_counts(dossier, admin):
    purge_campaign(campaign=dossier.campaign, by=admin, now=AFTER_RETENTION, dry_run=False)

    (entry,) = AuditEntry.objects.filter(action=PURGED_ACTION)
    assert (entry.actor_id, entry.actor_label, entry.at) == (
        admin.pk,
        admin.email,
        AFTER_RETENTION,
    )
    assert (entry.target_type, entry.target_id) == ("campaigns.campaign", str(dossier.campaign_id))
    assert entry.data["dossiers"] == 1
    assert entry.data["accounts_deleted"] == 1
    assert entry.data["statistics"]["dossiers_by_state"] == {"draft": 1}
    assert entry.data["statistics"]["payments_by_state"] == {
        "declared": {"count": 1, "total": "77.00"}
    }


def test_purge_keeps_the_trail_but_erases_its_personal_fields(dossier, admin, accounts_by_role):
    entries_before = AuditEntry.objects.count()

    purge_campaign(campaign=dossier.campaign, by=admin, now=AFTER_RETENTION, dry_run=False)

    assert AuditEntry.objects.count() == entries_before + 1
    by_candidate = AuditEntry.objects.filter(action="dossiers.dossier.opened").get()
    assert (by_candidate.actor_id, by_candidate.actor_label) == (None, ERASED_ACTOR_LABEL)
    by_staff = AuditEntry.objects.filter(action="payments.payment.rejected").get()
    assert (by_staff.actor_id, by_staff.reason, by_staff.data) == (
        accounts_by_role["central_officer"].pk,
        "",
        {},
    )
    assert AuditEntry.objects.filter(actor_label=dossier.candidate.email).count() == 0


def test_candidate_with_a_dossier_in_another_campaign_keeps_the_account(
    dossier, admin, reference_campaign
):
    other = type(reference_campaign).objects.get(pk=reference_campaign.pk)
    other.pk = None
    other.code = "imt-mines-albi-2022"
    other.save()
    Dossier.objects.create(
        campaign=other,
        candidate=dossier.candidate,
        reference="OTHER-1",
        created_at=AFTER_RETENTION,
        updated_at=AFTER_RETENTION,
    )

    report = purge_campaign(campaign=dossier.campaign, by=admin, now=AFTER_RETENTION, dry_run=False)

    assert (report.accounts_deleted, report.accounts_kept) == (0, 1)
    assert list(Dossier.objects.values_list("reference", flat=True)) == ["OTHER-1"]
    assert User.objects.filter(pk=dossier.candidate_id).count() == 1


def test_command_refuses_before_the_retention_date(dossier, admin, settings):
    settings.CLOCK_AT = LAST_RETAINED_INSTANT.isoformat()

    with pytest.raises(CommandError) as refused:
        call_command("purge_campaign", dossier.campaign.code, "--by", admin.email)

    assert "31 décembre 2022" in str(refused.value)
    assert Dossier.objects.count() == 1


def test_command_dry_run_prints_the_files_and_keeps_them(dossier, admin, settings):
    settings.CLOCK_AT = AFTER_RETENTION.isoformat()
    out = StringIO()

    call_command(
        "purge_campaign", dossier.campaign.code, "--by", admin.email, "--dry-run", stdout=out
    )

    lines = out.getvalue().splitlines()
    assert lines[0] == "imt-mines-albi-2021: would remove (dry run, nothing removed)"
    assert "  dossiers.dossier: 1" in lines
    assert [line.strip() for line in lines if line.startswith("    ")] == stored_files()
    assert Dossier.objects.count() == 1


def test_sweep_orphans_removes_old_unreferenced_files_only(dossier, settings):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from admissions.campaigns.purge import sweep_orphan_files

    kept = stored_files()
    orphan = default_storage.save(f"dossiers/{dossier.campaign_id}/orphan.pdf", ContentFile(b"x"))
    staging = default_storage.save("staging/preview.jpg", ContentFile(b"x"))
    later = timezone.now() + timedelta(hours=2)

    assert sweep_orphan_files(older_than=timedelta(hours=1), now=timezone.now()) == []
    assert sweep_orphan_files(older_than=timedelta(hours=1), now=later) == [orphan]
    assert [name for name in kept if not default_storage.exists(name)] == []
    assert default_storage.exists(staging) is True
    assert default_storage.exists(orphan) is False


def test_sweep_orphans_removes_an_accommodation_proof_without_its_row_only(dossier):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from admissions.campaigns.purge import sweep_orphan_files
    from admissions.exams.models import Accommodation

    request = Accommodation(dossier=dossier, needs="Tiers temps", requested_at=timezone.now())
    request.proof.save("justificatif", ContentFile(b"%PDF-1.4"), save=True)
    orphan = default_storage.save("accommodations/2021/justificatif", ContentFile(b"%PDF-1.4"))
    later = timezone.now() + timedelta(hours=2)

    removed = sweep_orphan_files(older_than=timedelta(hours=1), now=later)

    assert removed == [orphan]
    assert default_storage.exists(request.proof.name) is True
    assert default_storage.exists(orphan) is False


def test_sweep_orphans_reaches_the_flat_folders_too(dossier):
    """company-evidence/ and the like hold files one level deep, not in a year or campaign
    folder: an orphan there is swept, a file with its row kept."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from admissions.campaigns.purge import sweep_orphan_files
    from admissions.verification.models import BulkExport

    export = BulkExport.objects.create(
        campaign=dossier.campaign,
        requested_by=dossier.candidate,
        total=1,
        created_at=timezone.now(),
    )
    export.file.save("export.zip", ContentFile(b"PK"), save=True)
    orphans = [
        default_storage.save(f"{folder}/{name}", ContentFile(b"x"))
        for folder, name in (
            ("company-evidence", "0123abcd"),
            ("company-presentation", "0123abcd.pdf"),
            ("bulk-exports", "0123abcd.zip"),
        )
    ]

    removed = sweep_orphan_files(
        older_than=timedelta(hours=1), now=timezone.now() + timedelta(hours=2)
    )

    assert sorted(removed) == sorted(orphans)
    assert default_storage.exists(export.file.name) is True


def test_every_file_field_stores_under_a_swept_folder():
    """A new FileField writing elsewhere would leave its orphans on disk for ever."""
    from unittest.mock import MagicMock

    from django.apps import apps
    from django.db import models

    from admissions.campaigns.purge import STORED_ROOTS

    roots = set()
    for model in apps.get_models():
        if not model.__module__.startswith("admissions."):
            continue  # the DSFR's logos are the site's, not personal data
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                upload_to = model_field.upload_to
                name = upload_to(MagicMock(), "file.pdf") if callable(upload_to) else upload_to
                roots.add((model._meta.label, name.split("/")[0]))

    assert {(label, root) for label, root in roots if root not in STORED_ROOTS} == set()


def test_sweep_uploads_command_with_orphans(dossier):
    out = StringIO()

    call_command("sweep_uploads", "--orphans", stdout=out)

    assert out.getvalue().splitlines()[-1] == "0 stored file(s) that no row points to removed"


def test_a_staff_account_with_a_dossier_is_never_deleted(
    reference_campaign, accounts_by_role, admin
):
    from admissions.dossiers.services import open_dossier

    jury = accounts_by_role["jury_member"]
    open_dossier(candidate=jury, campaign=reference_campaign, now=AFTER_RETENTION)

    report = purge_campaign(
        campaign=reference_campaign, by=admin, now=AFTER_RETENTION, dry_run=False
    )

    assert (report.accounts_deleted, report.accounts_kept) == (0, 1)
    assert User.objects.filter(pk=jury.pk).count() == 1
    assert Dossier.objects.count() == 0


def test_purge_removes_the_apprentices_and_tutors_calendar_links_and_the_tutors_emails(
    dossier, admin, accounts_by_role
):
    """R9.3 with R8.1: the calendar links name the apprentice (a dossier's, or one staff made
    by hand with no dossier) and the emails to the company tutor hold their address."""
    from datetime import date

    from admissions.alternation.models import CalendarSubscription
    from admissions.companies.models import HostCompany

    campaign = dossier.campaign
    company = HostCompany.objects.create(
        dossier=dossier,
        name="Exemple Industrie",
        siret="73282932000074",
        sector="industrie-mecanique",
        address="1 rue de l'Usine, 81000 Albi",
        contract_type=HostCompany.ContractType.APPRENTICESHIP,
        contract_start=date(2021, 9, 1),
        tutor_name="Dominique Tuteur",
        tutor_role="Responsable",
        tutor_email="Tuteur@Company.example",
        tutor_phone="05 00 00 00 00",
        state=HostCompany.State.CONFIRMED,
        declared_at=datetime(2021, 6, 1, tzinfo=PARIS),
        confirmed_at=datetime(2021, 6, 2, tzinfo=PARIS),
    )
    rows = [
        CalendarSubscription.objects.create(
            campaign=campaign,
            dossier=dossier,
            kind=kind,
            label="Camille Martin",
            created_at=datetime(2021, 6, 2, tzinfo=PARIS),
        )
        for kind in ("apprentice", "tutor")
    ]
    by_hand = CalendarSubscription.objects.create(
        campaign=campaign,
        kind="tutor",
        label="Dominique Tuteur (Exemple Industrie)",
        created_at=datetime(2021, 6, 3, tzinfo=PARIS),
        created_by=accounts_by_role["school_officer"],
    )
    for row in rows:
        queue_email(
            kind=OutboundEmail.Kind.CALENDAR_LINK,
            key=f"calendar-link:{row.pk}",
            recipient=company.tutor_email if row.kind == "tutor" else dossier.candidate.email,
            payload={"subscription": row.pk},
            dossier=dossier,
        )
    queue_email(
        kind=OutboundEmail.Kind.COMPANY_REQUEST,
        key=f"company:{company.pk}:request",
        recipient=company.tutor_email,
        payload={"company": company.pk},
        dossier=dossier,
    )

    dry = purge_campaign(campaign=campaign, by=admin, now=AFTER_RETENTION, dry_run=True)
    assert dry.rows["alternation.calendarsubscription"] == 3
    assert CalendarSubscription.objects.count() == 3

    report = purge_campaign(campaign=campaign, by=admin, now=AFTER_RETENTION, dry_run=False)

    assert report.rows["alternation.calendarsubscription"] == 3
    assert not CalendarSubscription.objects.filter(pk__in=[by_hand.pk, *(r.pk for r in rows)])
    assert HostCompany.objects.count() == 0
    assert not OutboundEmail.objects.filter(recipient__iexact="tuteur@company.example").exists()
    assert not OutboundEmail.objects.filter(kind=OutboundEmail.Kind.CALENDAR_LINK).exists()
