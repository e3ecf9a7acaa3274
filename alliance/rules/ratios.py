"""Staff-to-child ratios for child care centers, as data per state and effective date.

New Jersey (N.J.A.C. 3A:52-4.3): awake — under 18 months 1:4; 18 months to under 2½ years
1:6; 2½ to under 4 years 1:10; 4 years 1:12; 5 years and older 1:15. Resting — under 18
months 1:10; 18 months to under 2½ years 1:12; 2½ years and older 1:20. A mixed-age group
takes the ratio of its youngest child.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

_DATA = Path(__file__).with_name("data") / "ratios.json"


class UnknownState(ValueError):
    """No ratio table is loaded for that state (on that date)."""


@dataclass(frozen=True)
class Band:
    under_months: int | None  # None: this band has no upper bound
    children_per_staff: int


@dataclass(frozen=True)
class RatioTable:
    state: str
    effective: date
    citation: str
    awake: tuple[Band, ...]
    resting: tuple[Band, ...]
    mixed_ages: str
    field_trip_minimum_staff: int

    def children_per_staff(self, age_months: int, *, resting: bool) -> int:
        for band in self.resting if resting else self.awake:
            if band.under_months is None or age_months < band.under_months:
                return band.children_per_staff
        raise AssertionError("ratio table has no open-ended band")  # guarded by _load


@cache
def _load() -> dict[str, tuple[RatioTable, ...]]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    tables: dict[str, tuple[RatioTable, ...]] = {}
    for state, versions in raw.items():
        if state.startswith("_"):
            continue
        parsed = []
        for v in versions:
            awake = tuple(Band(b["under_months"], b["children_per_staff"]) for b in v["awake"])
            resting = tuple(Band(b["under_months"], b["children_per_staff"]) for b in v["resting"])
            for bands in (awake, resting):
                if bands[-1].under_months is not None:
                    raise ValueError(f"{state} ratio table must end with an open-ended band")
            parsed.append(
                RatioTable(
                    state=state,
                    effective=date.fromisoformat(v["effective"]),
                    citation=v["citation"],
                    awake=awake,
                    resting=resting,
                    mixed_ages=v.get("mixed_ages", "youngest"),
                    field_trip_minimum_staff=v.get("field_trip_minimum_staff", 1),
                )
            )
        tables[state] = tuple(sorted(parsed, key=lambda t: t.effective))
    return tables


def states() -> list[str]:
    return sorted(_load())


def table_for(state: str, on: date | None = None) -> RatioTable:
    """The table in force for ``state`` on ``on`` (default: today)."""
    versions = _load().get(state.upper())
    if not versions:
        raise UnknownState(f"No ratio rules are loaded for state {state!r}.")
    on = on or date.today()
    in_force = [t for t in versions if t.effective <= on]
    if not in_force:
        raise UnknownState(f"No ratio rules for {state!r} were in force on {on.isoformat()}.")
    return in_force[-1]


def required_staff(
    state: str,
    ages_in_months: list[int],
    resting: bool = False,
    *,
    on: date | None = None,
    field_trip: bool = False,
) -> int:
    """Staff needed for one group of children under the state's center ratios.

    The group takes the ratio of its youngest child (the NJ rule for mixed ages). An empty
    group needs nobody, except on a field trip, which needs the state's minimum anyway.
    """
    for age in ages_in_months:
        if isinstance(age, bool) or not isinstance(age, int) or age < 0:
            raise ValueError(f"Ages must be whole months, 0 or more; got {age!r}.")
    table = table_for(state, on)
    if not ages_in_months:
        return table.field_trip_minimum_staff if field_trip else 0
    if table.mixed_ages != "youngest":
        raise ValueError(f"Unsupported mixed-age rule {table.mixed_ages!r} for {state}.")
    per_staff = table.children_per_staff(min(ages_in_months), resting=resting)
    needed = math.ceil(len(ages_in_months) / per_staff)
    if field_trip:
        needed = max(needed, table.field_trip_minimum_staff)
    return needed
