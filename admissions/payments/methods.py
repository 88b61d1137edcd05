"""Payment methods are pluggable (R8.4): settings.PAYMENT_METHODS lists dotted paths of classes.

A method declares a payment for a dossier; the default, "transfer", records the candidate's
transfer reference and leaves the confirmation to staff. An online-payment provider would be a
class with the same interface whose confirmation comes from the provider's callback.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


class BankTransfer:
    code = "transfer"
    label = _("Virement bancaire")
    needs_staff_confirmation = True


def available_methods() -> dict[str, type]:
    paths = getattr(settings, "PAYMENT_METHODS", ["admissions.payments.methods.BankTransfer"])
    methods = [import_string(path) for path in paths]
    return {method.code: method for method in methods}
