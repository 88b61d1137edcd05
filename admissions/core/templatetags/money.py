"""``{% load money %}{{ amount|money }}``: the one money format of the platform (issue 8)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from admissions.core.language import page_language
from admissions.rules.fees import format_money

register = template.Library()


@register.filter
def money(amount: Decimal | int | str | None, currency: str = "EUR") -> str:
    """``99,00 €`` in French, ``€99.00`` in English (the active language); empty for no amount."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    return format_money(value, currency or "EUR", page_language())
