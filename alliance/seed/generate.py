"""The seed generator: realistic, deterministic (same seed and day → same data), fast (bulk
inserts in batches, one transaction).

Scales are in :mod:`alliance.seed.plan`; the demo logins always belong to the first alliance
(Union County). For each alliance the base step makes the organisations (:mod:`.programs`)
and the people (:mod:`.people`), then every registered module step runs
(:mod:`.registry`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.accounts.models import Role, User
from alliance.core.models import AuditEntry
from alliance.core.policy import RoleKind
from alliance.families.models import Child, Family
from alliance.members.models import (
    Alliance,
    Classroom,
    MembershipApplication,
    Program,
    ProgramKind,
)
from alliance.seed import data, people, programs
from alliance.seed.plan import SCALES
from alliance.seed.registry import SeedContext, registered_steps
from alliance.seed.util import Slugs, given_timestamps, months_before, without_query_log

DEMO_PASSWORD = "alliance-demo"
# Creation dates the base step sets in the past (history); see ``given_timestamps``.
_BACKDATED = [
    (Alliance, "created_at"),
    (Program, "created_at"),
    (Classroom, "created_at"),
    (Role, "created_at"),
    (Family, "created_at"),
    (MembershipApplication, "submitted_at"),
    (AuditEntry, "at"),
]
DEFAULT_SEED = 20241


class SeedError(Exception):
    """The seed cannot run (the message says why and what to do)."""


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def seed(
    scale_name: str,
    *,
    log: Callable[[str], None] = print,
    rng_seed: int = DEFAULT_SEED,
    today: date | None = None,
) -> Report:
    """Fill an empty database with one scale of demo data, all or nothing.

    Guarantees: refuses (``SeedError``) unless the database has no alliance and no user;
    the same ``rng_seed`` and ``today`` give the same rows; the counts of the base step
    equal ``plan(scale_name)``.
    """
    if scale_name not in SCALES:
        raise SeedError(f"Unknown scale {scale_name!r}; choose one of {', '.join(SCALES)}.")
    scale = SCALES[scale_name]
    started = time.perf_counter()
    today = today or timezone.localdate()
    history_start = months_before(today, scale.history_months)
    password_hash = make_password(DEMO_PASSWORD)
    steps = registered_steps()
    step_counts: dict[str, int] = {}
    in_care = waiting = 0
    with scopes_disabled(), without_query_log(), transaction.atomic():
        _refuse_unless_empty()
        alliance_slugs, program_slugs = Slugs(60), Slugs(80)
        for index in range(scale.alliances):
            county, towns = data.NJ_COUNTIES[index % len(data.NJ_COUNTIES)]
            round_ = index // len(data.NJ_COUNTIES)
            with given_timestamps(*_BACKDATED):
                ctx = SeedContext(
                    rng=random.Random(f"{rng_seed}:base:{index}"),
                    scale=scale,
                    today=today,
                    history_start=history_start,
                    password_hash=password_hash,
                    log=log,
                    alliance=programs.make_alliance(
                        county=county,
                        name_suffix=f" ({round_ + 1})" if round_ else "",
                        slugs=alliance_slugs,
                        created=history_start,
                    ),
                    is_demo=index == 0,
                    towns=towns,
                )
                owners = programs.make_programs(ctx, slugs=program_slugs)
                account = people.make_people(ctx, owners=owners)
                people.make_families(ctx, account=account)
                programs.record_history(ctx)
            in_care += len(ctx.placements)
            waiting += len(ctx.waiting)
            log(
                f"  {ctx.alliance.name}: {len(ctx.programs)} programs, "
                f"{len(ctx.classrooms)} classrooms, {len(ctx.placements) + len(ctx.waiting)} "
                "children"
            )
            for name, step in steps:
                counts = step(replace(ctx, rng=random.Random(f"{rng_seed}:{name}:{index}")))
                for key, value in (counts or {}).items():
                    step_counts[key] = step_counts.get(key, 0) + value
        report = Report(counts=_counts(in_care=in_care, waiting=waiting) | step_counts)
    report.seconds = time.perf_counter() - started
    return report


def _refuse_unless_empty() -> None:
    alliances, users = Alliance.objects.count(), User.objects.count()
    if alliances or users:
        raise SeedError(
            f"The database is not empty ({alliances} alliances, {users} users): the seed only "
            "fills an empty database. Use a new DATABASE_URL, delete the SQLite file "
            "(var/alliance.sqlite3), or empty it with `alliance flush`, then migrate and seed."
        )


def _counts(*, in_care: int, waiting: int) -> dict[str, int]:
    roles = dict(
        Role.objects.values_list("kind").annotate(n=models.Count("id")).values_list("kind", "n")
    )
    return {
        "alliances": Alliance.objects.count(),
        "programs": Program.objects.count(),
        "centers": Program.objects.filter(kind=ProgramKind.CENTER).count(),
        "family homes": Program.objects.filter(kind=ProgramKind.FAMILY_HOME).count(),
        "classrooms": Classroom.objects.count(),
        "users": User.objects.count(),
        "hub admins": roles.get(RoleKind.HUB, 0),
        "directors": roles.get(RoleKind.DIRECTOR, 0),
        "staff": roles.get(RoleKind.STAFF, 0),
        "substitutes": roles.get(RoleKind.SUBSTITUTE, 0),
        "committee": roles.get(RoleKind.COMMITTEE, 0),
        "families": Family.objects.count(),
        "children": Child.objects.count(),
        "children in care": in_care,
        "children waiting": waiting,
        "applications": MembershipApplication.objects.count(),
        "audit entries": AuditEntry.objects.count(),
    }
