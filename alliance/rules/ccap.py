"""NJ Child Care Assistance Program (CCAP): weekly maximum rates, the family co-pay
(schedule CC-236) and the federal poverty guidelines, all as data with effective dates.

Rounding rule: amounts are rounded to the cent, half-up (``ROUND_HALF_UP``), once, at the
end of each computation. The weekly co-pay is ``annual income × rate ÷ 52``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from alliance.rules.money import to_money

_DIR = Path(__file__).with_name("data")
ZERO = Decimal("0")
WEEKS_PER_YEAR = 52

PROVIDER_TYPES = ("licensed_center", "registered_fcc")
SCHEDULES = ("full", "part")
STAR_RATINGS = (0, 3, 4, 5)
AGE_GROUPS = ("infant", "toddler", "preschool", "school_age")


class CcapDataMissing(ValueError):
    """No rate table, co-pay schedule or poverty guideline was in force on that date."""


def age_group(age_months: int) -> str:
    """infant under 18 months, toddler 18 to under 30, preschool 30 to under 60, school age
    60 and over."""
    if isinstance(age_months, bool) or not isinstance(age_months, int) or age_months < 0:
        raise ValueError(f"Age must be whole months, 0 or more; got {age_months!r}.")
    if age_months < 18:
        return "infant"
    if age_months < 30:
        return "toddler"
    if age_months < 60:
        return "preschool"
    return "school_age"


# --- Rates -----------------------------------------------------------------------------


@cache
def _rate_tables(state: str) -> tuple[tuple[date, dict, dict], ...]:
    raw = json.loads((_DIR / "ccap_rates.json").read_text(encoding="utf-8"))
    versions = [
        (date.fromisoformat(v["effective"]), v["rates"], v["special_needs"])
        for v in raw.get(state, [])
    ]
    return tuple(sorted(versions, key=lambda v: v[0]))


def _in_force(versions, on: date, what: str):
    found = [v for v in versions if v[0] <= on]
    if not found:
        raise CcapDataMissing(f"No {what} was in force on {on.isoformat()}.")
    return found[-1]


def weekly_rate(
    *,
    provider_type: str,
    schedule: str,
    star_rating: int,
    age_group: str,
    on: date,
    special_needs: bool = False,
    state: str = "NJ",
) -> Decimal:
    """The CCAP weekly maximum rate in force on ``on`` for that kind of care."""
    if provider_type not in PROVIDER_TYPES:
        raise ValueError(f"Unknown provider type {provider_type!r}; use one of {PROVIDER_TYPES}.")
    if schedule not in SCHEDULES:
        raise ValueError(f"Unknown schedule {schedule!r}; use 'full' or 'part'.")
    if star_rating not in STAR_RATINGS:
        raise ValueError(f"Unknown star rating {star_rating!r}; use 0 (none), 3, 4 or 5.")
    if age_group not in AGE_GROUPS:
        raise ValueError(f"Unknown age group {age_group!r}; use one of {AGE_GROUPS}.")
    _, rates, special = _in_force(_rate_tables(state), on, "CCAP rate table")
    table = special if special_needs else rates
    star = "none" if star_rating == 0 else str(star_rating)
    return Decimal(table[provider_type][schedule][star][age_group])


# --- Federal poverty guidelines --------------------------------------------------------


@dataclass(frozen=True)
class PovertyGuideline:
    year: int
    effective: date
    by_size: dict[int, Decimal]
    additional_person: Decimal

    def for_household(self, size: int) -> Decimal:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValueError(f"Household size must be 1 or more; got {size!r}.")
        largest = max(self.by_size)
        if size <= largest:
            return self.by_size[size]
        return self.by_size[largest] + self.additional_person * (size - largest)


@cache
def _guidelines() -> tuple[PovertyGuideline, ...]:
    raw = json.loads((_DIR / "poverty_guidelines.json").read_text(encoding="utf-8"))
    rows = [
        PovertyGuideline(
            year=g["year"],
            effective=date.fromisoformat(g["effective"]),
            by_size={int(k): Decimal(v) for k, v in g["by_size"].items()},
            additional_person=Decimal(g["additional_person"]),
        )
        for g in raw["48_states"]
    ]
    return tuple(sorted(rows, key=lambda g: g.effective))


def poverty_guideline(
    household_size: int, *, on: date | None = None, year: int | None = None
) -> Decimal:
    """100% of the federal poverty guideline (48 states) for a household: the guideline of
    ``year``, or the one in force on ``on``."""
    rows = _guidelines()
    if year is not None:
        match = [g for g in rows if g.year == year]
        if not match:
            raise CcapDataMissing(f"No poverty guidelines are loaded for {year}.")
        return match[0].for_household(household_size)
    if on is None:
        raise ValueError("Give the date (on=) or the year (year=) of the guideline.")
    found = [g for g in rows if g.effective <= on]
    if not found:
        raise CcapDataMissing(f"No poverty guideline was in force on {on.isoformat()}.")
    return found[-1].for_household(household_size)


# --- Co-pay (CC-236) -------------------------------------------------------------------


@cache
def _copay_schedules(state: str) -> tuple[tuple[date, dict], ...]:
    raw = json.loads((_DIR / "ccap_copay.json").read_text(encoding="utf-8"))
    versions = [(date.fromisoformat(v["effective"]), v) for v in raw.get(state, [])]
    return tuple(sorted(versions, key=lambda v: v[0]))


def copay_rates(
    annual_income: Decimal, household_size: int, children: list[str], on: date, state: str = "NJ"
) -> list[Decimal]:
    """The co-pay percentage of gross annual income for each child, in order."""
    _check_income(annual_income)
    for kind in children:
        if kind not in SCHEDULES:
            raise ValueError(f"Each child is 'full' or 'part'; got {kind!r}.")
    _, schedule = _in_force(_copay_schedules(state), on, "co-pay schedule")
    fpl = poverty_guideline(household_size, on=on)
    percent_of_fpl = annual_income * 100 / fpl
    band = next(
        b
        for b in schedule["bands"]
        if b["up_to_fpl_percent"] is None or percent_of_fpl <= Decimal(b["up_to_fpl_percent"])
    )
    free_from = schedule["free_from_child"]
    rates = []
    for position, kind in enumerate(children, start=1):
        if position >= free_from:
            rates.append(ZERO)
        else:
            rates.append(Decimal(band["first" if position == 1 else "next"][kind]))
    return rates


def weekly_copay(
    annual_income: Decimal, household_size: int, children: list[str], on: date
) -> Decimal:
    """The family's weekly co-pay under CC-236 for the children in care (``"full"`` or
    ``"part"``, first child first): annual income × Σ rates ÷ 52, rounded to the cent
    half-up. Income up to 100% of the poverty guideline pays nothing."""
    rates = copay_rates(annual_income, household_size, children, on)
    return to_money(annual_income * sum(rates, ZERO) / 100 / WEEKS_PER_YEAR)


def weekly_copays_per_child(
    annual_income: Decimal, household_size: int, children: list[str], on: date
) -> list[Decimal]:
    """The family's weekly co-pay split per child. Each child's part is rounded half-up;
    the last child with a co-pay absorbs the rounding so the parts always sum to
    :func:`weekly_copay`."""
    rates = copay_rates(annual_income, household_size, children, on)
    total = to_money(annual_income * sum(rates, ZERO) / 100 / WEEKS_PER_YEAR)
    parts = [to_money(annual_income * r / 100 / WEEKS_PER_YEAR) for r in rates]
    paying = [i for i, r in enumerate(rates) if r > 0]
    if paying:
        last = paying[-1]
        parts[last] = total - (sum(parts, ZERO) - parts[last])
    return parts


def capped_copay(copay: Decimal, cost_of_care: Decimal) -> Decimal:
    """A co-pay never exceeds the cost of care (nor goes below zero)."""
    if copay < 0 or cost_of_care < 0:
        raise ValueError("Co-pay and cost of care are never negative.")
    return min(copay, cost_of_care)


def _check_income(annual_income: Decimal) -> None:
    if isinstance(annual_income, float | bool) or not isinstance(annual_income, Decimal | int):
        raise TypeError("Annual income must be a Decimal (never a float).")
    if not Decimal(annual_income).is_finite() or annual_income < 0:
        raise ValueError("Annual income must be 0 or more.")
