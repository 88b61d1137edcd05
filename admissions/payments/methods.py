"""Payment methods are pluggable (R8.4): settings.PAYMENT_METHODS lists dotted paths of classes.

A method declares a payment for a dossier; the default, "transfer", records the candidate's
transfer reference and leaves the confirmation to staff. An online-payment provider would be a
class with the same interface whose confirmation comes from the provider's callback.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise


class PaymentMethod(Protocol):
    """What a payment method declares (R8.4)."""

    code: str
    label: StrOrPromise
    needs_staff_confirmation: bool


class BankTransfer:
    code = "transfer"
    label = _("Virement bancaire")
    needs_staff_confirmation = True


def available_methods() -> dict[str, PaymentMethod]:
    paths = getattr(settings, "PAYMENT_METHODS", ["admissions.payments.methods.BankTransfer"])
    methods: list[PaymentMethod] = [import_string(path) for path in paths]
    return {method.code: method for method in methods}
