"""Money on the Django side: the rounding rule lives in ``alliance.rules.money``."""

from __future__ import annotations

from decimal import Decimal

from alliance.rules.money import CENT, to_money

__all__ = ["CENT", "format_money", "to_money"]


def format_money(value: Decimal) -> str:
    """$1,234.50 — negative amounts as -$1,234.50."""
    amount = to_money(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"
