"""Base step, people: demo logins, hub, directors, staff, substitutes, committee, and the
families with their children (placed in a classroom seat, or waiting)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from alliance.accounts.models import Role, User
from alliance.core.policy import RoleKind
from alliance.families.models import Child, Family
from alliance.members.models import Classroom, Program, ProgramKind
from alliance.seed.plan import DEMO_SUBSTITUTES, apportion
from alliance.seed.registry import SeedContext
from alliance.seed.util import (
    birth_date,
    bulk,
    day_between,
    moment,
    months_before,
    person_name,
)

DEMO_DOMAIN = "example.org"


@dataclass
class _People:
    """Users to insert, with the roles each will hold."""

    ctx: SeedContext
    users: list[User] = field(default_factory=list)
    roles: list[tuple[int, RoleKind, Program | None, date]] = field(default_factory=list)

    def add(
        self,
        email: str,
        full_name: str,
        kind: RoleKind,
        program: Program | None = None,
        *,
        spanish: bool = False,
        phone: str = "",
        since: date | None = None,
    ) -> int:
        since = since or self.ctx.history_start
        self.users.append(
            User(
                email=email,
                full_name=full_name,
                password=self.ctx.password_hash,
                language="es" if spanish else "en",
                phone=phone,
                date_joined=moment(since, self.ctx.rng),
            )
        )
        self.roles.append((len(self.users) - 1, kind, program, since))
        return len(self.users) - 1

    def also(self, index: int, kind: RoleKind, program: Program | None = None) -> None:
        self.roles.append((index, kind, program, self.ctx.history_start))

    def generated(self, kind: str, number: int) -> str:
        return f"{kind}{number}@{self.ctx.alliance.slug}.{DEMO_DOMAIN}"

    def randomperson_name(self, spanish_share: float) -> tuple[str, bool]:
        spanish = self.ctx.rng.random() < spanish_share
        first, last = person_name(self.ctx.rng, spanish)
        return f"{first} {last}", spanish


def make_people(ctx: SeedContext, *, owners: dict[int, str]) -> User | None:
    """Every person of the alliance with their roles; returns the demo family's account."""
    rng, scale = ctx.rng, ctx.scale
    people = _People(ctx)
    demo = ctx.is_demo
    if demo:
        people.add(f"hub@{DEMO_DOMAIN}", "Hannah Hub", RoleKind.HUB)
        people.add(f"director1@{DEMO_DOMAIN}", "Dana Director", RoleKind.DIRECTOR, ctx.program(0))
        people.add(
            f"director2@{DEMO_DOMAIN}",
            "Diego Ramírez",
            RoleKind.DIRECTOR,
            ctx.program(1),
            spanish=True,
        )
        people.add(
            f"provider1@{DEMO_DOMAIN}",
            owners[ctx.program(2).pk],
            RoleKind.DIRECTOR,
            ctx.program(2),
            spanish=True,
        )
    else:
        people.add(people.generated("hub", 1), f"{ctx.alliance.county} Hub", RoleKind.HUB)
    for n, program in enumerate(ctx.programs[3 if demo else 0 :], start=1):
        name, spanish = people.randomperson_name(0.5 if "Spanish" in program.languages else 0.2)
        people.add(
            people.generated("director", n),
            owners.get(program.pk, name),
            RoleKind.DIRECTOR,
            program,
            spanish=spanish,
        )

    # Staff: one assistant in every other home, the rest shared by centers per classroom.
    homes = [p for p in ctx.programs if p.kind == ProgramKind.FAMILY_HOME]
    centers = [p for p in ctx.programs if p.kind == ProgramKind.CENTER]
    rooms = {p.pk: 0 for p in centers}
    for room in ctx.classrooms:
        if room.program_id in rooms:
            rooms[room.program_id] += 1
    with_assistant = set(rng.sample(range(len(homes)), scale.home_assistants))
    per_center = apportion(scale.staff - scale.home_assistants, [rooms[p.pk] for p in centers])
    staff_of = [(p, 1) for i, p in enumerate(homes) if i in with_assistant]
    staff_of += list(zip(centers, per_center, strict=True))
    staff_of.sort(key=lambda pair: pair[0].pk)
    number = 0
    for program, count in staff_of:
        for _ in range(count):
            number += 1
            if demo and number == 1:  # staff1 teaches at Little Learners and also substitutes
                staff1 = people.add(f"staff1@{DEMO_DOMAIN}", "Sam Teacher", RoleKind.STAFF, program)
                people.also(staff1, RoleKind.SUBSTITUTE)
                continue
            name, spanish = people.randomperson_name(0.35)
            hired = day_between(months_before(ctx.today, 96), ctx.today - timedelta(days=14), rng)
            people.add(
                people.generated("staff", number),
                name,
                RoleKind.STAFF,
                program,
                spanish=spanish,
                since=hired,
            )

    subs = scale.substitutes
    if demo:
        subs -= DEMO_SUBSTITUTES + 1  # staff1 already substitutes
        for k in range(1, DEMO_SUBSTITUTES + 1):
            name, spanish = people.randomperson_name(0.33)
            people.add(
                f"sub{k}@{DEMO_DOMAIN}",
                name,
                RoleKind.SUBSTITUTE,
                spanish=spanish,
                phone=f"908-555-{2000 + k:04d}",
            )
    for k in range(1, subs + 1):
        name, spanish = people.randomperson_name(0.4)
        people.add(
            people.generated("sub", k),
            name,
            RoleKind.SUBSTITUTE,
            spanish=spanish,
            phone=f"908-556-{k:04d}",
            since=day_between(ctx.history_start, ctx.today - timedelta(days=7), rng),
        )

    committee = scale.committee
    if demo:
        committee -= 1
        people.add(f"committee1@{DEMO_DOMAIN}", "Carl Committee", RoleKind.COMMITTEE)
    for k in range(1, committee + 1):
        name, spanish = people.randomperson_name(0.4)
        people.add(people.generated("committee", k), name, RoleKind.COMMITTEE, spanish=spanish)
    family = None
    if demo:
        family = people.add(
            f"family1@{DEMO_DOMAIN}", "Fernanda López", RoleKind.FAMILY, spanish=True
        )

    users = bulk(User, people.users)
    roles = bulk(
        Role,
        [
            Role(
                user=users[i],
                kind=kind,
                alliance=ctx.alliance,
                program=program,
                created_at=moment(since, rng),
            )
            for i, kind, program, since in people.roles
        ],
    )
    for role in roles:
        if role.kind == RoleKind.HUB:
            ctx.hub = role.user
        elif role.kind == RoleKind.DIRECTOR:
            ctx.directors[role.program_id] = role.user
        elif role.kind == RoleKind.STAFF:
            ctx.staff.append((role.user, role.program))
        elif role.kind == RoleKind.SUBSTITUTE:
            ctx.substitutes.append(role.user)
        elif role.kind == RoleKind.COMMITTEE:
            ctx.committee.append(role.user)
    return users[family] if family is not None else None


def make_families(ctx: SeedContext, *, account: User | None) -> None:
    """Children in care fill random staffed seats (each of an age that fits the room); the
    waiting children are mostly infants and toddlers, as on real waiting lists. Children are
    grouped into families of one to three."""
    rng, scale = ctx.rng, ctx.scale
    seats = [room for room in ctx.classrooms for _ in range(room.staffed_capacity)]
    if len(seats) < scale.children_in_care:
        raise ValueError(
            f"Scale {scale.name}: {scale.children_in_care} children in care need more than "
            f"{len(seats)} staffed seats; add classrooms to the scale."
        )
    rng.shuffle(seats)
    kids: list[Classroom | None] = [*seats[: scale.children_in_care]]
    kids += [None] * scale.children_waiting
    groups: list[list[Classroom | None]] = []
    if account is not None:  # the demo family: one child at Little Learners, one waiting
        first = next(i for i, room in enumerate(kids) if room and room.program == ctx.program(0))
        groups.append([kids.pop(first), kids.pop()])
    rng.shuffle(kids)
    while kids:
        size = min(len(kids), rng.choice([1, 1, 1, 2, 2, 3]))
        groups.append(kids[:size])
        del kids[:size]

    programs = {p.pk: p for p in ctx.programs}
    families, children = [], []
    for number, group in enumerate(groups, start=1):
        spanish = rng.random() < 0.45
        guardian, last = person_name(rng, spanish)
        placed = [room for room in group if room is not None]
        if placed:  # families mostly live near their program
            where = programs[placed[0].program_id]
            town, zip_code = where.town, where.zip_code
            since = day_between(months_before(ctx.today, 60), ctx.today - timedelta(days=30), rng)
        else:
            town, zip_code = ctx.towns[rng.randrange(len(ctx.towns))]
            since = day_between(ctx.history_start, ctx.today - timedelta(days=1), rng)
        email = f"family{number}@{ctx.alliance.slug}.{DEMO_DOMAIN}"
        if account is not None and number == 1:
            spanish, email = True, account.email
            guardian, last = account.full_name.split(" ", 1)
        families.append(
            Family(
                alliance=ctx.alliance,
                account=account if email == getattr(account, "email", None) else None,
                name=f"{last} family",
                guardian_name=f"{guardian} {last}",
                email=email,
                phone=f"908-557-{number % 10000:04d}",
                town=town,
                zip_code=zip_code,
                language="es" if spanish else "en",
                created_at=moment(since, rng),
            )
        )
        for room in group:
            first = person_name(rng, spanish)[0]
            months = _age_for(room, rng)
            children.append((len(families) - 1, first, last, birth_date(ctx.today, months, rng)))
    ctx.families = bulk(Family, families)
    made = bulk(
        Child,
        [
            Child(family=ctx.families[f], first_name=first, last_name=last, birth_date=born)
            for f, first, last, born in children
        ],
    )
    rooms = [room for group in groups for room in group]
    for child, room in zip(made, rooms, strict=True):
        if room is None:
            ctx.waiting.append(child)
        else:
            ctx.placements.append((child, room))


def _age_for(room: Classroom | None, rng: random.Random) -> int:
    if room is not None:
        return rng.randint(room.age_min_months, room.age_max_months)
    roll = rng.random()
    if roll < 0.5:
        return rng.randrange(0, 18)
    return rng.randrange(18, 36) if roll < 0.8 else rng.randrange(36, 60)
