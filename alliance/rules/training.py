"""Yearly professional-development hours, as data per state.

New Jersey: every center staff member needs 12 hours a year; directors, head teachers, group
teachers and program supervisors need 20, of which orientation training may count for at most
6; family child care providers need 6 hours a year. The figures live in
``data/training.json`` so another state is a data change, not a code change.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path

_DATA = Path(__file__).with_name("data") / "training.json"


class UnknownState(ValueError):
    """No training requirement is loaded for that state."""


class Category(StrEnum):
    CENTER_LEAD = "center_lead"
    CENTER_STAFF = "center_staff"
    FAMILY_HOME = "family_home"


@dataclass(frozen=True)
class Requirement:
    state: str
    category: Category
    hours: Decimal
    orientation_max_hours: Decimal | None  # None: orientation counts in full
    citation: str


@dataclass(frozen=True)
class Progress:
    requirement: Requirement
    credited: Decimal  # hours that count toward the requirement
    attended: Decimal  # every hour attended, before the orientation cap

    @property
    def missing(self) -> Decimal:
        return max(Decimal(0), self.requirement.hours - self.credited)

    @property
    def met(self) -> bool:
        return self.credited >= self.requirement.hours

    @property
    def percent(self) -> int:
        if self.requirement.hours <= 0:
            return 100
        return min(100, int(self.credited * 100 / self.requirement.hours))


@dataclass(frozen=True)
class _StateRules:
    citation: str
    lead_roles: frozenset[str]
    categories: dict[Category, tuple[Decimal, Decimal | None]]


def _decimal(value: str | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@cache
def _load() -> dict[str, _StateRules]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    rules: dict[str, _StateRules] = {}
    for state, spec in raw.items():
        if state.startswith("_"):
            continue
        categories = {}
        for name, figures in spec["categories"].items():
            hours = _decimal(figures["hours"])
            if hours is None or hours < 0:
                raise ValueError(f"{state} {name}: hours must be a non-negative number")
            categories[Category(name)] = (hours, _decimal(figures.get("orientation_max_hours")))
        if set(categories) != set(Category):
            raise ValueError(f"{state} training rules must define every category")
        rules[state] = _StateRules(
            citation=spec["citation"],
            lead_roles=frozenset(_normalize(r) for r in spec["lead_roles"]),
            categories=categories,
        )
    return rules


def _normalize(role: str) -> str:
    return role.strip().lower().replace(" ", "_").replace("-", "_")


def states() -> list[str]:
    return sorted(_load())


def category_for(state: str, *, family_home: bool, role: str) -> Category:
    """The category of a person: anyone at a family child care home is under the home's
    rule; at a center, the lead roles (director, head or group teacher, supervisor) need
    the higher figure and every other role the staff figure."""
    rules = _rules(state)
    if family_home:
        return Category.FAMILY_HOME
    return Category.CENTER_LEAD if _normalize(role) in rules.lead_roles else Category.CENTER_STAFF


def requirement_for(state: str, *, family_home: bool, role: str) -> Requirement:
    rules = _rules(state)
    category = category_for(state, family_home=family_home, role=role)
    hours, orientation_max = rules.categories[category]
    return Requirement(
        state=state,
        category=category,
        hours=hours,
        orientation_max_hours=orientation_max,
        citation=rules.citation,
    )


def progress(requirement: Requirement, sessions: Iterable[tuple[Decimal, bool]]) -> Progress:
    """Credit a year's attended sessions, each given as (hours, is_orientation).

    Orientation hours beyond the requirement's cap do not count; other hours count in full.
    """
    attended = Decimal(0)
    orientation = Decimal(0)
    other = Decimal(0)
    for hours, is_orientation in sessions:
        if hours < 0:
            raise ValueError("session hours cannot be negative")
        attended += hours
        if is_orientation:
            orientation += hours
        else:
            other += hours
    cap = requirement.orientation_max_hours
    credited = other + (orientation if cap is None else min(orientation, cap))
    return Progress(requirement=requirement, credited=credited, attended=attended)


def _rules(state: str) -> _StateRules:
    try:
        return _load()[state]
    except KeyError:
        raise UnknownState(state) from None
