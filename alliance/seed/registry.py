"""Seed steps of the modules: each module adds its own demo data after the base step.

A module registers a step in ``alliance/<module>/seed.py`` (imported automatically, in
``INSTALLED_APPS`` order, when a seed runs)::

    from alliance.seed.registry import SeedContext, register_step

    def seed_openings(ctx: SeedContext) -> dict[str, int]:
        ...  # bulk_create rows for ctx.alliance, using ctx.rng only
        return {"openings": n}

    register_step("enrollment.openings", seed_openings)

The step runs once per alliance, right after that alliance's base data, inside the seed's
transaction and with scopes disabled. See docs/seed-and-bench.md.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.utils.module_loading import autodiscover_modules

from alliance.seed.plan import Scale

if TYPE_CHECKING:
    from alliance.accounts.models import User
    from alliance.families.models import Child, Family
    from alliance.members.models import Alliance, Classroom, Program


@dataclass
class SeedContext:
    """One alliance as the base step left it, plus the run's parameters.

    Steps draw every random choice from ``rng`` (their own generator, derived from the run's
    seed and the step's name), so a step's data stays the same when other steps change.
    """

    rng: random.Random
    scale: Scale
    today: date
    history_start: date  # ``scale.history_months`` before today
    password_hash: str  # hash of the demo password, for any user a step creates
    log: Callable[[str], None]
    alliance: Alliance
    is_demo: bool  # the first alliance: it holds the demo logins (hub@example.org …)
    towns: list[tuple[str, str]]  # (town, ZIP) of the county
    programs: list[Program] = field(default_factory=list)
    classrooms: list[Classroom] = field(default_factory=list)
    hub: User | None = None
    directors: dict[int, User] = field(default_factory=dict)  # program id → director
    staff: list[tuple[User, Program]] = field(default_factory=list)
    substitutes: list[User] = field(default_factory=list)
    committee: list[User] = field(default_factory=list)
    families: list[Family] = field(default_factory=list)
    # Children in care, each with the classroom whose age range and seat they were made for
    # (the enrollment module turns these into enrollments), and the waiting children.
    placements: list[tuple[Child, Classroom]] = field(default_factory=list)
    waiting: list[Child] = field(default_factory=list)

    def program(self, index: int) -> Program:
        """Programs in creation order: on the demo alliance 0 = Little Learners (director1),
        1 = Sunshine (director2), 2 = García Family Child Care (provider1)."""
        return self.programs[index]


Step = Callable[[SeedContext], Mapping[str, int] | None]
_steps: dict[str, Step] = {}


def register_step(name: str, fn: Step | None = None):
    """Add a seed step (also usable as ``@register_step("name")``). Steps run in the order
    they were registered; a step returns counts for the seed report, or None."""

    def add(step: Step) -> Step:
        if _steps.get(name, step) is not step:
            raise ValueError(f"A seed step named {name!r} is already registered.")
        _steps[name] = step
        return step

    return add if fn is None else add(fn)


def unregister_step(name: str) -> None:
    _steps.pop(name, None)


def registered_steps() -> list[tuple[str, Step]]:
    """Every module's steps: imports ``<app>.seed`` of each installed app first."""
    autodiscover_modules("seed")
    return list(_steps.items())
