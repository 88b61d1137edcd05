"""R9.1: nothing in the platform edits or deletes an audit entry; the purge's erasure of
personal fields (R9.3) is the one change allowed, and only that change."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from admissions.audit.models import ERASED_ACTOR_LABEL, AuditEntry
from admissions.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(accounts_by_role, reference_campaign):
    return record(
        accounts_by_role["candidate"],
        "dossiers.dossier.opened",
        reference_campaign,
        reason="a reason naming someone",
        data={"name": "Camille"},
    )


def test_saving_an_existing_entry_is_refused(entry):
    entry.reason = "rewritten"

    with pytest.raises(PermissionError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "a reason naming someone"


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).count() == 1


def test_queryset_update_and_delete_are_refused(entry):
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "a reason naming someone"


def test_bulk_update_is_refused(entry):
    entry.reason = "rewritten"

    with pytest.raises(PermissionError):
        AuditEntry.objects.bulk_update([entry], ["reason"])


def test_the_accounts_of_an_entry_cannot_be_deleted_under_it(entry, accounts_by_role):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        accounts_by_role["candidate"].delete()


def test_admin_grants_no_add_change_or_delete_even_to_a_superuser(entry, django_user_model):
    superuser = django_user_model.objects.create_superuser("root@example.org", "x" * 12)
    request = RequestFactory().get("/")
    request.user = superuser
    entry_admin = site._registry[AuditEntry]

    assert entry_admin.has_add_permission(request) is False
    assert entry_admin.has_change_permission(request, entry) is False
    assert entry_admin.has_delete_permission(request, entry) is False
    assert entry_admin.has_view_permission(request, entry) is True


def test_admin_delete_page_is_forbidden_to_a_superuser(entry, client, django_user_model):
    superuser = django_user_model.objects.create_superuser("root@example.org", "x" * 12)
    client.force_login(superuser)

    response = client.post(
        reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).count() == 1


def test_erasure_empties_reason_and_details_and_detaches_an_erased_account(entry, accounts_by_role):
    staff_entry = record(
        accounts_by_role["central_officer"],
        "payments.payment.rejected",
        entry,
        reason="not received",
        data={"payment": 1},
    )

    with transaction.atomic():
        changed = AuditEntry.objects.filter(
            pk__in=[entry.pk, staff_entry.pk]
        ).erase_personal_fields(erased_actor_ids=[accounts_by_role["candidate"].pk])

    erased = AuditEntry.objects.get(pk=entry.pk)
    kept_author = AuditEntry.objects.get(pk=staff_entry.pk)
    assert changed == 2
    assert (erased.actor_id, erased.actor_label, erased.reason, erased.data) == (
        None,
        ERASED_ACTOR_LABEL,
        "",
        {},
    )
    assert (erased.at, erased.action) == (entry.at, "dossiers.dossier.opened")
    assert (kept_author.actor_id, kept_author.actor_label, kept_author.reason) == (
        accounts_by_role["central_officer"].pk,
        "central_officer@example.org",
        "",
    )


@pytest.mark.parametrize(
    "language,expected",
    [
        ("fr", ["plateforme", "compte supprimé", "central_officer@example.org"]),
        ("en", ["platform", "deleted account", "central_officer@example.org"]),
    ],
)
def test_an_author_without_an_account_reads_in_the_readers_language(
    entry, accounts_by_role, language, expected
):
    by_platform = record(None, "referees.referee.reminded_automatically", entry)
    by_officer = record(accounts_by_role["central_officer"], "dossiers.dossier.opened", entry)
    with transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).erase_personal_fields(
            erased_actor_ids=[accounts_by_role["candidate"].pk]
        )
    rows = [AuditEntry.objects.get(pk=row.pk) for row in (by_platform, entry, by_officer)]

    with translation.override(language):
        authors = [row.author for row in rows]

    assert authors == expected
    assert [row.actor_label for row in rows[:2]] == ["plateforme", "compte supprimé"]


def test_the_admin_list_names_the_platform_in_english(entry, client, django_user_model):
    record(None, "referees.referee.reminded_automatically", entry)
    client.force_login(django_user_model.objects.create_superuser("root@example.org", "x" * 12))
    client.cookies.load({"django_language": "en"})

    response = client.get(reverse("admin:audit_auditentry_changelist"))

    authors = re.findall(r'<td class="field-author">(.*?)</td>', response.content.decode())
    assert sorted(set(authors)) == ["candidate@example.org", "platform"]


# --- PostgreSQL: the trigger (migration 0002) -------------------------------------------------


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")


def raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_trigger_rejects_an_update_from_outside_the_platform(postgresql, entry):
    with pytest.raises(DatabaseError, match="audit entries cannot be changed"):
        raw("UPDATE audit_auditentry SET reason = 'rewritten' WHERE id = %s", [entry.pk])

    assert AuditEntry.objects.get(pk=entry.pk).reason == "a reason naming someone"


def test_trigger_rejects_a_delete_from_outside_the_platform(postgresql, entry):
    with pytest.raises(DatabaseError, match="audit entries cannot be deleted"):
        raw("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])

    assert AuditEntry.objects.filter(pk=entry.pk).count() == 1


def test_trigger_rejects_an_erasure_without_the_purge_flag(postgresql, entry):
    with pytest.raises(DatabaseError, match="audit entries cannot be changed"):
        raw("UPDATE audit_auditentry SET reason = '', data = '{}' WHERE id = %s", [entry.pk])


def test_trigger_rejects_more_than_an_erasure_under_the_purge_flag(postgresql, entry):
    with pytest.raises(DatabaseError, match="audit entries cannot be changed"):
        raw(
            "SELECT set_config('admissions.audit_erasure', 'on', true); "
            "UPDATE audit_auditentry SET reason = '', data = '{}', action = 'other' "
            "WHERE id = %s",
            [entry.pk],
        )

    assert AuditEntry.objects.get(pk=entry.pk).action == "dossiers.dossier.opened"


def test_trigger_lets_the_purge_erasure_through(postgresql, entry, accounts_by_role):
    with transaction.atomic():
        changed = AuditEntry.objects.filter(pk=entry.pk).erase_personal_fields(
            erased_actor_ids=[accounts_by_role["candidate"].pk]
        )

    assert changed == 1
    assert AuditEntry.objects.get(pk=entry.pk).actor_label == ERASED_ACTOR_LABEL
