"""Capacity limits of a family child care home, as data per state (``data/ratios.json``,
key ``family_home`` of each state's table).

NJ registered family child care home: 3 to 5 children in care (the provider's own children
not counted), at most 8 including the provider's own children, and a limit on infants.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

_DATA = Path(__file__).with_name("data") / "ratios.json"

OVER_IN_CARE = "over_in_care"
OVER_TOTAL = "over_total"
OVER_INFANTS = "over_infants"


@dataclass(frozen=True)
class FamilyHomeLimits:
    min_in_care: int
    max_in_care: int
    max_total_with_own_children: int
    infant_under_months: int | None = None
    max_infants: int | None = None  # children under ``infant_under_months``, own included
    citation: str = ""


@dataclass(frozen=True)
class HomeCheck:
    """A home's children at one moment against its limits. ``breaches`` lists what is over
    (``over_in_care``, ``over_total``, ``over_infants``); empty means within the limits."""

    limits: FamilyHomeLimits
    in_care: int
    own_children: int
    infants: int
    breaches: tuple[str, ...]

    @property
    def total(self) -> int:
        return self.in_care + self.own_children

    @property
    def below_minimum(self) -> bool:
        """Fewer children in care than the registration is for (allowed; shown only)."""
        return 0 < self.in_care < self.limits.min_in_care


@cache
def _load() -> dict[str, tuple[tuple[date, FamilyHomeLimits], ...]]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    loaded: dict[str, tuple[tuple[date, FamilyHomeLimits], ...]] = {}
    for state, versions in raw.items():
        if state.startswith("_"):
            continue
        rows = []
        for v in versions:
            home = v.get("family_home")
            if not home:
                continue
            limits = FamilyHomeLimits(
                min_in_care=int(home["min_in_care"]),
                max_in_care=int(home["max_in_care"]),
                max_total_with_own_children=int(home["max_total_with_own_children"]),
                infant_under_months=home.get("infant_under_months"),
                max_infants=home.get("max_infants"),
                citation=home.get("citation", ""),
            )
            if not limits.min_in_care <= limits.max_in_care <= limits.max_total_with_own_children:
                raise ValueError(f"{state} family home limits are out of order")
            rows.append((date.fromisoformat(v["effective"]), limits))
        if rows:
            loaded[state] = tuple(sorted(rows, key=lambda r: r[0]))
    return loaded


def family_home_limits(state: str, on: date | None = None) -> FamilyHomeLimits | None:
    """The state's family child care home limits in force on ``on`` (default today), or
    None where none are loaded."""
    versions = _load().get(state.upper(), ())
    on = on or date.today()
    in_force = [limits for effective, limits in versions if effective <= on]
    return in_force[-1] if in_force else None


def check_home(
    limits: FamilyHomeLimits,
    ages_in_care: list[int],
    *,
    own_children: int = 0,
    own_infants: int = 0,
) -> HomeCheck:
    """Children in care (ages in months) plus the provider's own children against the
    limits. Own infants count towards the infant limit as well as the total."""
    if own_children < 0 or own_infants < 0 or own_infants > own_children:
        raise ValueError("Own children must be 0 or more, and own infants among them.")
    in_care = len(ages_in_care)
    infants = own_infants
    if limits.infant_under_months is not None:
        infants += sum(1 for age in ages_in_care if age < limits.infant_under_months)
    breaches = []
    if in_care > limits.max_in_care:
        breaches.append(OVER_IN_CARE)
    if in_care + own_children > limits.max_total_with_own_children:
        breaches.append(OVER_TOTAL)
    if limits.max_infants is not None and infants > limits.max_infants:
        breaches.append(OVER_INFANTS)
    return HomeCheck(
        limits=limits,
        in_care=in_care,
        own_children=own_children,
        infants=infants,
        breaches=tuple(breaches),
    )
