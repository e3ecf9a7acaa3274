"""Price tiers, pack rounding and cost splits: pure functions, no Django.

Rounding rule (documented in docs/purchasing.md):

* a line's amount is ``quantity × unit price`` rounded half-up to the cent, once per line;
* a purchase order line's total is the **sum of the members' line amounts**, so the members'
  allocations always add up to the purchase order to the cent;
* a shared cost (the vendor's delivery fee) is split in proportion to each member's spend by
  the largest-remainder method, so the shares add up to the fee exactly.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

# The project's one rounding rule, under the name this module's callers use.
from alliance.rules.money import CENT
from alliance.rules.money import to_money as money

ZERO = Decimal("0")


@dataclass(frozen=True)
class Tier:
    """From ``min_quantity`` pooled units on, every member pays ``unit_price``."""

    min_quantity: int
    unit_price: Decimal


class TierError(ValueError):
    """The tiers of an item do not form a valid price schedule."""


def check_tiers(tiers: Sequence[Tier]) -> list[Tier]:
    """Sorted tiers, or TierError: the first starts at 1, minimums strictly increase, prices
    are positive and never rise with quantity."""
    ordered = sorted(tiers, key=lambda t: t.min_quantity)
    if not ordered:
        raise TierError("An item needs at least one price tier.")
    if ordered[0].min_quantity != 1:
        raise TierError("The first price tier must start at 1 unit.")
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.min_quantity == before.min_quantity:
            raise TierError(f"Two tiers start at {after.min_quantity} units.")
        if after.unit_price > before.unit_price:
            raise TierError(
                f"The price at {after.min_quantity} units is higher than at "
                f"{before.min_quantity} units."
            )
    for tier in ordered:
        if tier.unit_price <= 0:
            raise TierError("Every tier price must be more than zero.")
    return ordered


def tier_for(tiers: Sequence[Tier], pooled_quantity: Decimal | int) -> Tier:
    """The tier the pooled quantity reaches: the one with the highest minimum that is at most
    the quantity (the first tier below its own minimum, e.g. for nothing ordered)."""
    ordered = sorted(tiers, key=lambda t: t.min_quantity)
    reached = ordered[0]
    for tier in ordered:
        if tier.min_quantity <= pooled_quantity:
            reached = tier
    return reached


def next_tier(tiers: Sequence[Tier], pooled_quantity: Decimal | int) -> tuple[Tier, Decimal] | None:
    """The next cheaper tier and how many more pooled units reach it (None at the top)."""
    for tier in sorted(tiers, key=lambda t: t.min_quantity):
        if tier.min_quantity > pooled_quantity:
            return tier, Decimal(tier.min_quantity) - Decimal(pooled_quantity)
    return None


def line_amount(quantity: Decimal | int, unit_price: Decimal) -> Decimal:
    return money(Decimal(quantity) * unit_price)


def allocate(lines: Mapping[Hashable, Decimal | int], unit_price: Decimal) -> dict:
    """Each member's amount at the one unit price; the PO line total is their sum."""
    return {key: line_amount(qty, unit_price) for key, qty in lines.items()}


def split_cost(total: Decimal, weights: Mapping[Hashable, Decimal]) -> dict:
    """Split ``total`` (cents) in proportion to ``weights``; shares add up to ``total``.

    Largest remainder: everyone gets their share rounded down to the cent, and the cents left
    go one each to the largest remainders (ties: the order of ``weights``). With no weight at
    all the cost is split evenly."""
    total = money(total)
    keys = list(weights)
    if not keys:
        return {}
    weight_sum = sum((Decimal(w) for w in weights.values()), ZERO)
    if weight_sum <= 0:
        weights = dict.fromkeys(keys, Decimal(1))
        weight_sum = Decimal(len(keys))
    exact = {k: total * Decimal(weights[k]) / weight_sum for k in keys}
    shares = {k: v.quantize(CENT, rounding=ROUND_DOWN) for k, v in exact.items()}
    left = int(((total - sum(shares.values(), ZERO)) / CENT).to_integral_value())
    position = {k: i for i, k in enumerate(keys)}
    order = sorted(keys, key=lambda k: (-(exact[k] - shares[k]), position[k]))
    for key in order[:left]:
        shares[key] += CENT
    return shares


@dataclass(frozen=True)
class PackLine:
    key: Hashable
    quantity: int
    tolerance: int = 0  # extra units this member accepts to fill a pack


def round_to_packs(lines: Sequence[PackLine], pack_size: int) -> dict:
    """Final quantities so the pooled total is a whole number of vendor packs.

    If the members' tolerances can fill the last pack, the extra units go to them (largest
    tolerance first, then the order of ``lines``), never more than each one's tolerance.
    Otherwise the partial pack is cut, from the last lines first (the latest orders). The
    result never exceeds a member's quantity plus tolerance and is never negative."""
    final = {line.key: line.quantity for line in lines}
    if pack_size <= 1:
        return final
    pooled = sum(final.values())
    partial = pooled % pack_size
    if partial == 0:
        return final
    missing = pack_size - partial
    if sum(line.tolerance for line in lines) >= missing:
        for line in sorted(lines, key=lambda ln: -ln.tolerance):
            extra = min(line.tolerance, missing)
            final[line.key] += extra
            missing -= extra
            if missing == 0:
                break
        return final
    for line in reversed(lines):
        cut = min(final[line.key], partial)
        final[line.key] -= cut
        partial -= cut
        if partial == 0:
            break
    return final


def parse_tiers(text: str) -> list[Tier]:
    """``"1:12.50|10:11.75"`` → tiers (the catalog CSV's ``tiers`` column)."""
    tiers = []
    for part in text.replace(";", "|").split("|"):
        part = part.strip()
        if not part:
            continue
        qty, sep, price = part.partition(":")
        if not sep:
            raise TierError(f"{part!r} is not quantity:price.")
        try:
            tiers.append(Tier(int(qty.strip()), Decimal(price.strip())))
        except (ValueError, ArithmeticError) as exc:
            raise TierError(f"{part!r} is not quantity:price.") from exc
    for tier in tiers:
        if not tier.unit_price.is_finite() or tier.unit_price.as_tuple().exponent < -4:
            raise TierError(f"{tier.unit_price} is not a price with at most 4 decimals.")
    return check_tiers(tiers)


def tiers_to_json(tiers: Sequence[Tier]) -> list[list[str | int]]:
    return [[t.min_quantity, str(t.unit_price)] for t in tiers]


def tiers_from_json(data: Sequence[Sequence]) -> list[Tier]:
    return [Tier(int(q), Decimal(str(p))) for q, p in data]
