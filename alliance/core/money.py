"""Money is Decimal, exact to the cent, rounded half-up (the rule US invoices use)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def to_money(value: Decimal | int | str) -> Decimal:
    """Round a value to cents, half-up. Floats are refused: they are not exact; so are
    booleans, infinities, NaN and amounts too large to hold to the cent."""
    if isinstance(value, float | bool):
        raise TypeError("Money must be a Decimal, int or string, not a float or bool.")
    try:
        amount = Decimal(value)
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValueError(f"{value!r} is not an amount of money.") from exc
    if not amount.is_finite():
        raise ValueError(f"{value!r} is not an amount of money.")
    try:
        rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:  # more digits than the context's precision
        raise ValueError(f"{value!r} is too large an amount of money.") from exc
    return rounded if rounded else abs(rounded)  # never "-0.00"


def format_money(value: Decimal) -> str:
    """$1,234.50 — negative amounts as -$1,234.50."""
    amount = to_money(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"
