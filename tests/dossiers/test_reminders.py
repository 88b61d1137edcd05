"""R10.2: the scheduled reminders reach candidates whose dossier is not submitted, once per stage."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from admissions.accounts.models import User
from admissions.dossiers.models import Dossier, DossierReminder
from admissions.dossiers.reminders import send_due_reminders
from admissions.dossiers.services import open_dossier
from tests.dossiers.helpers import IN_WINDOW

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
THREE_DAYS_BEFORE = datetime(2021, 3, 7, 9, 0, tzinfo=PARIS)


def test_draft_dossiers_get_one_reminder_per_stage(
    reference_campaign, django_capture_on_commit_callbacks
):
    draft = open_dossier(
        candidate=User.objects.create_user("late@example.org", "pw"),
        campaign=reference_campaign,
        now=IN_WINDOW,
    )
    done = open_dossier(
        candidate=User.objects.create_user("done@example.org", "pw"),
        campaign=reference_campaign,
        now=IN_WINDOW,
    )
    Dossier.objects.filter(pk=done.pk).update(state=Dossier.State.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        first = send_due_reminders(campaign=reference_campaign, now=THREE_DAYS_BEFORE)
        second = send_due_reminders(campaign=reference_campaign, now=THREE_DAYS_BEFORE)

    assert (first, second) == (1, 0)
    assert [m.to for m in mail.outbox] == [["late@example.org"]]
    assert "9 mars 2021 à minuit" in mail.outbox[0].body
    assert DossierReminder.objects.get().dossier == draft


def test_no_reminder_before_the_stage(reference_campaign):
    open_dossier(
        candidate=User.objects.create_user("early@example.org", "pw"),
        campaign=reference_campaign,
        now=IN_WINDOW,
    )

    assert send_due_reminders(campaign=reference_campaign, now=IN_WINDOW) == 0


def test_send_reminders_command_reports_what_it_queued(reference_campaign, settings):
    settings.CLOCK_AT = THREE_DAYS_BEFORE.isoformat()
    open_dossier(
        candidate=User.objects.create_user("late@example.org", "pw"),
        campaign=reference_campaign,
        now=IN_WINDOW,
    )
    out = StringIO()

    call_command("send_reminders", stdout=out)

    assert "imt-mines-albi-2021: 1 candidate reminder(s), 0 referee reminder(s)" in out.getvalue()


def test_abandoned_photo_previews_are_swept_after_a_day(tmp_path, settings):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from admissions.documents.services import PREVIEW_DIR, sweep_staged_photos

    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save(f"{PREVIEW_DIR}/old.jpg", ContentFile(b"x"))

    assert sweep_staged_photos(older_than=timedelta(days=1), now=timezone.now()) == 0
    assert (
        sweep_staged_photos(older_than=timedelta(days=1), now=timezone.now() + timedelta(days=2))
        == 1
    )
    assert not default_storage.exists(name)
