"""Money is Decimal, exact to the cent, rounded half-up (the rule US invoices use).

The one rounding rule of the project: the pure rules (CCAP, benefits, finance, purchasing)
and the Django side (``alliance.core.money``) all round with :func:`to_money`.
"""

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
