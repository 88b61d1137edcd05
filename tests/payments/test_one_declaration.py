"""Issue 9: at most one payment waiting for staff per dossier, in the database and the service."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from admissions.audit.models import AuditEntry
from admissions.dossiers.models import Dossier, FormationChoice
from admissions.dossiers.services import open_dossier
from admissions.payments.models import Payment
from admissions.payments.services import declare_payment
from tests.dossiers.helpers import IN_WINDOW, fill_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(reference_campaign: Any, accounts_by_role: Any) -> Dossier:
    return fill_pages(
        open_dossier(
            candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
        ),
        reference_campaign,
    )


def test_the_database_refuses_a_second_declared_payment(dossier: Dossier) -> None:
    Payment.objects.create(dossier=dossier, amount=77, reference="VIR-1", declared_at=IN_WINDOW)

    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(dossier=dossier, amount=77, reference="VIR-2", declared_at=IN_WINDOW)

    assert Payment.objects.filter(dossier=dossier).count() == 1


def test_payments_staff_handled_do_not_count_as_waiting(dossier: Dossier) -> None:
    for state in (Payment.State.CONFIRMED, Payment.State.REJECTED, Payment.State.REJECTED):
        Payment.objects.create(
            dossier=dossier, amount=77, reference="VIR", declared_at=IN_WINDOW, state=state
        )
    Payment.objects.create(dossier=dossier, amount=22, reference="VIR-2", declared_at=IN_WINDOW)

    assert Payment.objects.filter(dossier=dossier).count() == 4


def test_the_rest_due_while_a_payment_waits_joins_it(
    dossier: Dossier, reference_campaign: Any
) -> None:
    """Issue 8 + 9: 77 € declared, two more options (121 € in all): the 44 € join the waiting
    declaration instead of a second one, and the audit trail says what was added."""
    first = declare_payment(dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW)
    for rank, option in enumerate(reference_campaign.options_on_offer()[1:3], start=2):
        FormationChoice.objects.create(dossier=dossier, option=option, rank=rank)

    again = declare_payment(dossier=dossier, reference="VIR-2", by=dossier.candidate, now=IN_WINDOW)

    assert again.pk == first.pk
    assert list(Payment.objects.values_list("amount", "reference", "state")) == [
        (Decimal("121.00"), "VIR-1 + VIR-2", Payment.State.DECLARED)
    ]
    assert [
        entry.data
        for entry in AuditEntry.objects.filter(action="payments.payment.declared").order_by("pk")
    ] == [
        {"amount": "77.00", "reference": "VIR-1"},
        {"amount": "44.00", "reference": "VIR-2", "added_to": first.pk},
    ]


@pytest.fixture
def without_the_constraint() -> Iterator[None]:
    """The payments table as before the migration (restored afterwards: schema changes stay)."""
    constraint = next(
        c for c in Payment._meta.constraints if c.name == "one_declared_payment_per_dossier"
    )
    with connection.schema_editor() as editor:
        editor.remove_constraint(Payment, constraint)
    yield
    Payment.objects.all().delete()
    with connection.schema_editor() as editor:
        editor.add_constraint(Payment, constraint)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("without_the_constraint")
def test_the_migration_merges_declarations_already_waiting_side_by_side(dossier: Dossier) -> None:
    """Databases from before issue 9 may hold two waiting declarations for one dossier."""
    from django.apps import apps

    migration = importlib.import_module(
        "admissions.payments.migrations.0003_one_declared_payment_per_dossier"
    )
    confirmed = Payment.objects.create(
        dossier=dossier,
        amount=50,
        reference="VIR-0",
        declared_at=IN_WINDOW,
        state=Payment.State.CONFIRMED,
    )
    first = Payment.objects.create(
        dossier=dossier, amount=77, reference="VIR-1", declared_at=IN_WINDOW
    )
    Payment.objects.create(dossier=dossier, amount=44, reference="VIR-2", declared_at=IN_WINDOW)

    migration.merge_waiting_declarations(apps, None)

    assert list(
        Payment.objects.order_by("pk").values_list("pk", "amount", "reference", "state")
    ) == [
        (confirmed.pk, Decimal("50.00"), "VIR-0", Payment.State.CONFIRMED),
        (first.pk, Decimal("121.00"), "VIR-1 + VIR-2", Payment.State.DECLARED),
    ]
