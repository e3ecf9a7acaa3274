"""How much data each scale makes: plain numbers and arithmetic, no Django.

The generator follows these numbers exactly, so ``plan(name)`` is also what a seeded database
holds (the tests compare both), and the targets of PRODUCT.md can be checked without seeding.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_SUBSTITUTES = 20  # sub1@example.org … sub20@example.org


@dataclass(frozen=True)
class Scale:
    """The targets of one scale. Every count except ``alliances`` is per alliance."""

    name: str
    alliances: int
    programs: int  # every third program is a family child care home, the rest are centers
    classrooms: int  # one group per home; the rest are spread over the centers
    children_in_care: int  # each placed in a classroom seat that fits their age
    children_waiting: int  # children with no place: the waiting list
    staff: int  # staff roles (teachers, assistants); directors are counted apart
    substitutes: int  # substitute roles in the shared pool
    committee: int  # Advisory Committee members
    history_months: int  # how far back memberships, hires and applications go

    def __post_init__(self) -> None:
        homes = self.programs // 3
        centers = self.programs - homes
        if self.classrooms < homes + centers:
            raise ValueError(f"{self.name}: every program needs at least one classroom.")
        # The first alliance holds the demo logins: 20 demo substitutes plus staff1, who
        # also substitutes; staff1 is a teacher at the first center.
        if self.substitutes < DEMO_SUBSTITUTES + 1 or self.staff < 1 or self.committee < 1:
            raise ValueError(f"{self.name}: too few people for the demo logins.")
        if self.history_months < 1:
            raise ValueError(f"{self.name}: history needs at least one month.")

    @property
    def family_homes(self) -> int:
        return self.programs // 3

    @property
    def centers(self) -> int:
        return self.programs - self.family_homes

    @property
    def home_assistants(self) -> int:
        """Every other family child care home employs one assistant (a staff role)."""
        return min(self.family_homes // 2, self.staff - 1)


SCALES: dict[str, Scale] = {
    "small": Scale("small", 1, 8, 26, 160, 40, 48, 24, 3, 12),
    "county": Scale("county", 1, 60, 250, 3_500, 1_200, 700, 120, 7, 24),
    "state": Scale("state", 20, 250, 1_042, 12_500, 3_000, 2_500, 250, 7, 12),
}


def plan(name: str) -> dict[str, int]:
    """The totals a seed of scale ``name`` creates (before any module's own steps)."""
    s = SCALES[name]
    a = s.alliances
    return {
        "alliances": a,
        "programs": a * s.programs,
        "centers": a * s.centers,
        "family homes": a * s.family_homes,
        "classrooms": a * s.classrooms,
        "hub admins": a,
        "directors": a * s.programs,
        "staff": a * s.staff,
        "substitutes": a * s.substitutes,
        "committee": a * s.committee,
        "children": a * (s.children_in_care + s.children_waiting),
        "children in care": a * s.children_in_care,
        "children waiting": a * s.children_waiting,
        "history months": s.history_months,
    }


def apportion(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` into whole shares proportional to ``weights`` (largest remainder;
    ties go to the earlier index), so the shares always add up to ``total`` exactly."""
    if total < 0 or not weights or min(weights) < 0 or sum(weights) == 0:
        raise ValueError("apportion needs a non-negative total and positive weights.")
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares
