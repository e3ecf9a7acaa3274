"""Template filters of purchasing: unit prices (2 to 4 decimals) and quantities."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


def price_text(value: Decimal | None) -> str:
    """$1.2500 → "$1.25"; $0.0325 → "$0.0325" (at least two decimals, at most four)."""
    if value is None:
        return "—"
    text = f"{Decimal(value).quantize(Decimal('0.0001')):,.4f}"
    while text.endswith("0") and len(text.split(".")[1]) > 2:
        text = text[:-1]
    return f"${text}"


@register.filter
def unit_price(value: Decimal | None) -> str:
    return price_text(value)


@register.filter
def qty(value: Decimal | None) -> str:
    """12.00 → "12"; 2.50 → "2.5"."""
    if value is None:
        return "—"
    return f"{Decimal(value).normalize():f}"
