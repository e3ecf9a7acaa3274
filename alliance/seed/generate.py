"""The seed generator: deterministic (fixed random seed), fast (bulk inserts in batches).

Scales (PRODUCT.md): ``small`` for development and tests; ``county`` (1 alliance, ~60
programs, ~250 classrooms, ~3,500 children, ~700 staff, 120 substitutes); ``state`` (20
alliances, 5,000 programs, 250,000 children, 50,000 staff, 5,000 substitutes; use
PostgreSQL). The demo logins always belong to the first alliance (Union County).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django_scopes import scopes_disabled

from alliance.accounts.models import Role, User
from alliance.core.models import AuditEntry
from alliance.core.policy import RoleKind
from alliance.families.models import Child, Family
from alliance.members.models import (
    Alliance,
    ApplicationStatus,
    Classroom,
    Membership,
    MembershipApplication,
    MembershipTier,
    Program,
    ProgramKind,
)
from alliance.seed import data

DEMO_PASSWORD = "alliance-demo"
BATCH = 2000


@dataclass(frozen=True)
class Scale:
    alliances: int
    programs_per_alliance: int
    staff_per_center: int
    staff_per_home: int
    substitutes_per_alliance: int
    children_per_alliance: int
    waiting_children_per_alliance: int
    committee_per_alliance: int


SCALES = {
    "small": Scale(1, 8, 5, 1, 24, 160, 40, 3),
    "county": Scale(1, 60, 15, 1, 120, 3500, 1200, 7),
    "state": Scale(20, 250, 15, 1, 250, 12500, 3000, 7),
}


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def seed(scale_name: str, *, log: Callable[[str], None] = print, rng_seed: int = 20241) -> Report:
    """Fill the database. Refuses to run on a database that already has alliances."""
    scale = SCALES[scale_name]
    started = time.perf_counter()
    rng = random.Random(rng_seed)
    today = timezone.localdate()
    password = make_password(DEMO_PASSWORD)
    report = Report()
    with scopes_disabled():
        if Alliance.objects.exists():
            raise RuntimeError(
                "The database already has data; seed only an empty database "
                "(use `alliance flush` first, or a new DATABASE_URL)."
            )
        counties = data.NJ_COUNTIES
        for index in range(scale.alliances):
            county, towns = counties[index % len(counties)]
            suffix = "" if index < len(counties) else f" {index // len(counties) + 1}"
            with transaction.atomic():
                _seed_alliance(
                    index=index,
                    county=county + suffix,
                    towns=towns,
                    scale=scale,
                    rng=rng,
                    today=today,
                    password=password,
                    log=log,
                )
        report.counts = {
            "alliances": Alliance.objects.count(),
            "programs": Program.objects.count(),
            "classrooms": Classroom.objects.count(),
            "users": User.objects.count(),
            "staff": Role.objects.filter(kind=RoleKind.STAFF).count(),
            "substitutes": Role.objects.filter(kind=RoleKind.SUBSTITUTE).count(),
            "families": Family.objects.count(),
            "children": Child.objects.count(),
            "applications": MembershipApplication.objects.count(),
            "audit entries": AuditEntry.objects.count(),
        }
    report.seconds = time.perf_counter() - started
    return report


def _name(rng: random.Random, spanish: bool) -> tuple[str, str]:
    if spanish:
        return rng.choice(data.FIRST_NAMES_ES), rng.choice(data.LAST_NAMES_ES)
    return rng.choice(data.FIRST_NAMES_EN), rng.choice(data.LAST_NAMES_EN)


def _bulk(model, rows: list) -> list:
    out = []
    for start in range(0, len(rows), BATCH):
        out += model.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH)
    return out


def _seed_alliance(
    *,
    index: int,
    county: str,
    towns,
    scale: Scale,
    rng: random.Random,
    today: date,
    password: str,
    log: Callable[[str], None],
) -> None:
    first = index == 0
    slug = slugify(f"{county} county")
    alliance = Alliance.objects.create(
        name=f"{county} County Child Care Alliance",
        slug=slug,
        county=county,
        state="NJ",
        email=f"hub@{slug}.example.org" if not first else "hub@example.org",
        phone=f"908-555-{1000 + index:04d}",
        about=(
            "A shared services alliance of the child care centers and family child care "
            f"homes of {county} County, run by the county's child care resource and "
            "referral agency."
        ),
    )
    tiers = _bulk(
        MembershipTier,
        [
            MembershipTier(
                alliance=alliance,
                name="Family child care home",
                annual_fee=Decimal("150.00"),
                description="Registered family child care homes",
            ),
            MembershipTier(
                alliance=alliance,
                name="Small center",
                annual_fee=Decimal("450.00"),
                description="Centers licensed for up to 60 children",
            ),
            MembershipTier(
                alliance=alliance,
                name="Large center",
                annual_fee=Decimal("900.00"),
                description="Centers licensed for more than 60 children",
            ),
        ],
    )
    if first:
        tiers = list(MembershipTier.objects.filter(alliance=alliance).order_by("annual_fee"))
    else:
        tiers = list(MembershipTier.objects.filter(alliance=alliance).order_by("annual_fee"))
    home_tier, small_tier, large_tier = tiers

    # Programs: two thirds centers, one third family child care homes.
    programs: list[Program] = []
    n = scale.programs_per_alliance
    used_slugs: set[str] = set()
    for i in range(n):
        is_center = i % 3 != 2
        town, zip_code = towns[rng.randrange(len(towns))]
        spanish = rng.random() < 0.35
        if is_center:
            name = f"{rng.choice(data.CENTER_WORDS)} {rng.choice(data.CENTER_SUFFIX)} of {town}"
            licensed = rng.choice([40, 52, 60, 75, 90, 110, 130, 160])
            ages = (0 if rng.random() < 0.6 else 18, rng.choice([59, 71, 156]))
        else:
            first_name, last_name = _name(rng, spanish)
            name = f"{last_name} Family Child Care" if not spanish else f"Guardería {last_name}"
            licensed = 5
            ages = (0, rng.choice([59, 71, 156]))
        if first and i == 0:
            name, town, zip_code, licensed, ages = (
                "Little Learners Child Care Center of Elizabeth",
                "Elizabeth",
                "07201",
                90,
                (0, 156),
            )
        if first and i == 1:
            name, town, zip_code, licensed, ages = (
                "Sunshine Early Learning Center of Plainfield",
                "Plainfield",
                "07060",
                75,
                (6, 71),
            )
        if first and i == 2:
            name, town, zip_code = "García Family Child Care", "Union", "07083"
        base = slugify(name)[:60]
        slug, k = base, 2
        if slug in used_slugs or Program.objects.filter(slug=slug).exists():
            slug = f"{base}-{slug_suffix(alliance, i)}"
        while slug in used_slugs:
            slug, k = f"{base}-{k}", k + 1
        used_slugs.add(slug)
        staffed = licensed if not is_center else licensed - rng.choice([0, 0, 4, 8, 12])
        expires = today + timedelta(days=rng.randrange(-20, 3 * 365))
        programs.append(
            Program(
                alliance=alliance,
                slug=slug,
                name=name,
                kind=ProgramKind.CENTER if is_center else ProgramKind.FAMILY_HOME,
                license_number=f"{'CC' if is_center else 'FCC'}-{rng.randrange(10000, 99999)}",
                license_expires_on=expires,
                licensed_capacity=licensed,
                staffed_capacity=max(0, staffed),
                ages_min_months=ages[0],
                ages_max_months=ages[1],
                languages=["English", "Spanish"] if spanish or rng.random() < 0.3 else ["English"],
                accepts_ccap=rng.random() < 0.7,
                quality_rating=rng.choice([0, 0, 3, 3, 4, 5]),
                address=f"{rng.randrange(10, 999)} {rng.choice(data.STREETS)}",
                town=town,
                zip_code=zip_code,
                phone=f"908-555-{rng.randrange(1000, 9999)}",
                email=f"info@{slug[:40]}.example.org",
                tax_id=f"22-{rng.randrange(1000000, 9999999)}",
                description=(
                    "A licensed child care center."
                    if is_center
                    else "A registered family child care home."
                ),
            )
        )
    programs = _bulk(Program, programs)
    programs = list(Program.objects.filter(alliance=alliance).order_by("id"))

    # Memberships, with history: joined over the last three years; fee paid for most.
    memberships, applications = [], []
    for program in programs:
        joined = today - timedelta(days=rng.randrange(30, 3 * 365))
        tier = (
            home_tier
            if program.kind == ProgramKind.FAMILY_HOME
            else small_tier
            if program.licensed_capacity <= 60
            else large_tier
        )
        renews = _anniversary_after(joined, today)
        memberships.append(
            Membership(
                program=program,
                tier=tier,
                annual_fee=tier.annual_fee,
                joined_on=joined,
                renews_on=renews,
                fee_paid_through=renews if rng.random() < 0.85 else None,
            )
        )
        applications.append(
            MembershipApplication(
                alliance=alliance,
                status=ApplicationStatus.APPROVED,
                program_name=program.name,
                kind=program.kind,
                contact_name=" ".join(_name(rng, rng.random() < 0.35)),
                email=program.email,
                phone=program.phone,
                license_number=program.license_number,
                license_expires_on=program.license_expires_on,
                licensed_capacity=program.licensed_capacity,
                address=program.address,
                town=program.town,
                zip_code=program.zip_code,
                ages_min_months=program.ages_min_months,
                ages_max_months=program.ages_max_months,
                languages=program.languages,
                accepts_ccap=program.accepts_ccap,
                tier=tier,
                program=program,
                reviewed_at=timezone.now() - (today - joined),
            )
        )
    _bulk(Membership, memberships)
    # A few applications waiting for the hub, and one declined.
    for j in range(3 if first else 1):
        town, zip_code = towns[rng.randrange(len(towns))]
        applications.append(
            MembershipApplication(
                alliance=alliance,
                program_name=f"{rng.choice(data.CENTER_WORDS)} Child Care of {town}",
                kind=ProgramKind.CENTER if j % 2 == 0 else ProgramKind.FAMILY_HOME,
                contact_name=" ".join(_name(rng, j % 2 == 1)),
                email=f"applicant{j + 1}@{slug}.example.org",
                license_number=f"CC-{70000 + j}",
                licensed_capacity=60 if j % 2 == 0 else 5,
                town=town,
                zip_code=zip_code,
                ages_min_months=0,
                ages_max_months=59,
                languages=["English", "Spanish"],
                accepts_ccap=True,
                message="We would like to join the substitute pool first.",
            )
        )
    applications.append(
        MembershipApplication(
            alliance=alliance,
            status=ApplicationStatus.DECLINED,
            program_name="Unlicensed Play Space",
            kind=ProgramKind.CENTER,
            contact_name="Pat Doe",
            email=f"pat@{slug}.example.org",
            license_number="pending",
            licensed_capacity=20,
            town=towns[0][0],
            zip_code=towns[0][1],
            ages_min_months=24,
            ages_max_months=59,
            decision_note=(
                "Membership needs a current state license; please apply again once licensed."
            ),
            reviewed_at=timezone.now() - timedelta(days=40),
        )
    )
    _bulk(MembershipApplication, applications)

    # Classrooms by age range.
    classrooms = []
    for program in programs:
        if program.kind == ProgramKind.FAMILY_HOME:
            classrooms.append(
                Classroom(
                    program=program,
                    name="Home group",
                    age_min_months=0,
                    age_max_months=program.ages_max_months,
                    licensed_capacity=5,
                    staffed_capacity=5,
                )
            )
            continue
        rooms = [
            r
            for r in data.CENTER_ROOMS
            if r[2] >= program.ages_min_months and r[1] <= program.ages_max_months
        ]
        remaining = program.licensed_capacity
        staffed_gap = program.licensed_capacity - program.staffed_capacity
        for name, lo, hi, cap in rooms:
            if remaining <= 0:
                break
            cap = min(cap, remaining)
            remaining -= cap
            cut = min(staffed_gap, cap // 2)
            staffed_gap -= cut
            classrooms.append(
                Classroom(
                    program=program,
                    name=name,
                    age_min_months=lo,
                    age_max_months=hi,
                    licensed_capacity=cap,
                    staffed_capacity=cap - cut,
                )
            )
    _bulk(Classroom, classrooms)
    # Program capacity equals what its rooms hold.
    by_program: dict[int, list[int]] = {}
    for room in classrooms:
        sums = by_program.setdefault(room.program_id, [0, 0])
        sums[0] += room.licensed_capacity
        sums[1] += room.staffed_capacity
    for program in programs:
        program.licensed_capacity, program.staffed_capacity = by_program[program.pk]
    Program.objects.bulk_update(
        programs, ["licensed_capacity", "staffed_capacity"], batch_size=BATCH
    )

    # People. Demo logins first (first alliance only), then staff, subs, families, committee.
    users: list[User] = []
    roles: list[tuple[int, str, Program | None]] = []  # (user index, kind, program)

    def person(email: str, full_name: str, language: str = "en", phone: str = "") -> int:
        users.append(
            User(
                email=email, full_name=full_name, password=password, language=language, phone=phone
            )
        )
        return len(users) - 1

    if first:
        roles.append((person("hub@example.org", "Hannah Hub"), RoleKind.HUB, None))
        roles.append(
            (person("director1@example.org", "Dana Director"), RoleKind.DIRECTOR, programs[0])
        )
        roles.append(
            (person("director2@example.org", "Diego Ramírez", "es"), RoleKind.DIRECTOR, programs[1])
        )
        roles.append(
            (
                person("provider1@example.org", "Patricia García", "es"),
                RoleKind.DIRECTOR,
                programs[2],
            )
        )
        roles.append((person("staff1@example.org", "Sam Teacher"), RoleKind.STAFF, programs[0]))
        for k in range(1, 21):
            spanish = k % 3 == 0
            fn, ln = _name(rng, spanish)
            u = person(
                f"sub{k}@example.org",
                f"{fn} {ln}",
                "es" if spanish else "en",
                f"908-555-{2000 + k:04d}",
            )
            roles.append((u, RoleKind.SUBSTITUTE, None))
        # staff1 also substitutes: one person, several roles.
        roles.append((4, RoleKind.SUBSTITUTE, None))
        roles.append((person("family1@example.org", "Fernanda López", "es"), RoleKind.FAMILY, None))
        roles.append((person("committee1@example.org", "Carl Committee"), RoleKind.COMMITTEE, None))
    else:
        roles.append((person(f"hub@{slug}.example.org", f"{county} Hub"), RoleKind.HUB, None))
    for p_index, program in enumerate(programs):
        if first and p_index < 3:
            count = scale.staff_per_center - 1 if p_index < 2 else 0
        else:
            fn, ln = _name(rng, "Spanish" in program.languages and rng.random() < 0.5)
            roles.append(
                (
                    person(f"director.{program.slug[:50]}@example.org", f"{fn} {ln}"),
                    RoleKind.DIRECTOR,
                    program,
                )
            )
            count = (
                scale.staff_per_center
                if program.kind == ProgramKind.CENTER
                else scale.staff_per_home
            )
        for s in range(count):
            spanish = rng.random() < 0.35
            fn, ln = _name(rng, spanish)
            u = person(
                f"staff{s + 1}.{program.slug[:50]}@example.org",
                f"{fn} {ln}",
                "es" if spanish else "en",
            )
            roles.append((u, RoleKind.STAFF, program))
    for k in range(scale.substitutes_per_alliance - (20 if first else 0)):
        spanish = rng.random() < 0.4
        fn, ln = _name(rng, spanish)
        u = person(
            f"sub{k + 1}.{slug}@example.org",
            f"{fn} {ln}",
            "es" if spanish else "en",
            f"908-556-{k % 10000:04d}",
        )
        roles.append((u, RoleKind.SUBSTITUTE, None))
    for k in range(scale.committee_per_alliance - (1 if first else 0)):
        fn, ln = _name(rng, k % 2 == 1)
        u = person(f"committee{k + 2}.{slug}@example.org", f"{fn} {ln}")
        roles.append((u, RoleKind.COMMITTEE, None))

    users = _bulk(User, users)
    if users and users[0].pk is None:  # backends without RETURNING ids
        emails = [u.email for u in users]
        ids = dict(User.objects.filter(email__in=emails).values_list("email", "id"))
        for u in users:
            u.pk = u.id = ids[u.email]
    _bulk(
        Role,
        [
            Role(user_id=users[i].pk, kind=kind, alliance=alliance, program=program)
            for i, kind, program in roles
        ],
    )

    # Families and children: enrolled-age children plus a waiting list of younger ones.
    families, children_spec = [], []
    total_children = scale.children_per_alliance + scale.waiting_children_per_alliance
    family_users: list[User] = []
    made = 0
    f_index = 0
    while made < total_children:
        spanish = rng.random() < 0.45
        fn, ln = _name(rng, spanish)
        town, zip_code = towns[rng.randrange(len(towns))]
        kids = min(total_children - made, rng.choice([1, 1, 1, 2, 2, 3]))
        email = (
            "family1@example.org"
            if first and f_index == 0
            else f"family{f_index + 1}.{slug}@example.org"
        )
        families.append(
            Family(
                alliance=alliance,
                name=f"{ln} family",
                guardian_name=f"{fn} {ln}",
                email=email,
                phone=f"908-557-{f_index % 10000:04d}",
                town=town,
                zip_code=zip_code,
                language="es" if spanish else "en",
            )
        )
        for _ in range(kids):
            age_days = rng.randrange(40, 12 * 365)
            cfn, _cln = _name(rng, spanish)
            children_spec.append((f_index, cfn, ln, today - timedelta(days=age_days)))
        made += kids
        f_index += 1
    families = _bulk(Family, families)
    if families and families[0].pk is None:
        ids = list(
            Family.objects.filter(alliance=alliance).order_by("id").values_list("id", flat=True)
        )
        for fam, pk in zip(families, ids, strict=True):
            fam.pk = fam.id = pk
    if first:
        demo_family = User.objects.get(email="family1@example.org")
        Family.objects.filter(pk=families[0].pk).update(
            account=demo_family, guardian_name=demo_family.full_name
        )
    del family_users
    _bulk(
        Child,
        [
            Child(family_id=families[fi].pk, first_name=fn, last_name=ln, birth_date=bd)
            for fi, fn, ln, bd in children_spec
        ],
    )

    # History in the audit trail: each approval, by the hub.
    hub = User.objects.filter(email=alliance.email).first()
    approved = MembershipApplication.objects.filter(
        alliance=alliance, status=ApplicationStatus.APPROVED
    )
    _bulk(
        AuditEntry,
        [
            AuditEntry(
                actor=hub,
                alliance=alliance,
                program_id=a.program_id,
                action="application.approved",
                object_type="members.membershipapplication",
                object_id=str(a.pk),
                summary=f"Approved {a.program_name}",
            )
            for a in approved
        ],
    )
    log(
        f"  {alliance.name}: {len(programs)} programs, {len(classrooms)} classrooms, "
        f"{len(users)} people, {len(children_spec)} children"
    )


def slug_suffix(alliance: Alliance, i: int) -> str:
    return f"{alliance.slug.split('-')[0]}-{i + 1}"


def _anniversary_after(joined: date, today: date) -> date:
    years = today.year - joined.year
    for extra in (years, years + 1):
        try:
            candidate = joined.replace(year=joined.year + extra)
        except ValueError:
            candidate = joined.replace(year=joined.year + extra, day=28)
        if candidate > today:
            return candidate
    return today + timedelta(days=365)
