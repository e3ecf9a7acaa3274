"""Capacity limits that depend on the kind of program, by state.

NJ registered family child care home: 3 to 5 children in care (the provider's own children
not counted), at most 8 including the provider's own children.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FamilyHomeLimits:
    min_in_care: int
    max_in_care: int
    max_total_with_own_children: int


_FAMILY_HOME = {"NJ": FamilyHomeLimits(min_in_care=3, max_in_care=5, max_total_with_own_children=8)}


def family_home_limits(state: str) -> FamilyHomeLimits | None:
    """The state's family child care home limits, or None where none are loaded."""
    return _FAMILY_HOME.get(state.upper())
