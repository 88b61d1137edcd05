"""One money format everywhere (issue 8): the |money filter follows the active language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation


@pytest.mark.parametrize(
    ("language", "amount", "currency", "expected"),
    [
        ("fr", Decimal("99"), "EUR", "99,00\u00a0€"),
        ("en", Decimal("99"), "EUR", "€99.00"),
        ("en", "44.00", "EUR", "€44.00"),
        ("fr", 7, "EUR", "7,00\u00a0€"),
        ("fr", None, "EUR", ""),
    ],
)
def test_money_filter_formats_in_the_active_language(language, amount, currency, expected):
    template = Template("{% load money %}{{ amount|money:currency }}")

    with translation.override(language):
        rendered = template.render(Context({"amount": amount, "currency": currency}))

    assert rendered == expected
