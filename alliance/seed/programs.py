"""Base step, organisations: the alliance, its tiers, member programs with their classrooms
and memberships, and the membership history (applications, approvals in the audit trail)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from alliance.accounts.models import User
from alliance.core.models import AuditEntry
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
from alliance.seed.registry import SeedContext
from alliance.seed.util import Slugs, bulk, day_between, moment, person_name

# The demo alliance's first three programs: (slug, name, town, ZIP, owner of a home).
DEMO_PROGRAMS = [
    ("little-learners", "Little Learners Child Care Center", "Elizabeth", "07201"),
    ("sunshine", "Sunshine Early Learning Center", "Plainfield", "07060"),
    ("garcia-fcc", "García Family Child Care", "Union", "07083"),
]
DEMO_PROVIDER = "Patricia García"
ROOMS = {room[0]: room for room in data.AGE_ROOMS}
SHORT_STAFFED = 0.2  # share of center rooms one teacher short


def make_alliance(*, county: str, name_suffix: str, slugs: Slugs, created: date) -> Alliance:
    slug = slugs.take(f"{county} county{name_suffix}")
    return Alliance.objects.create(
        name=f"{county} County Child Care Alliance{name_suffix}",
        slug=slug,
        county=county,
        state="NJ",
        email=f"info@{slug}.example.org",
        phone=f"908-555-{len(slugs.taken):04d}",
        about=(
            "A shared services alliance of the child care centers and family child care "
            f"homes of {county} County, run by the county's child care resource and "
            "referral agency."
        ),
        created_at=timezone.make_aware(datetime.combine(created, time(9))),
    )


def make_programs(ctx: SeedContext, *, slugs: Slugs) -> dict[int, str]:
    """Programs (every third one a family child care home), their classrooms, tiers and
    memberships. Returns the owner's name of each family child care home (program id)."""
    rng, scale = ctx.rng, ctx.scale
    home_tier, small_tier, large_tier = _tiers(ctx.alliance)
    rooms_per_center = [(scale.classrooms - scale.family_homes) // scale.centers] * scale.centers
    for i in rng.sample(
        range(scale.centers), (scale.classrooms - scale.family_homes) % scale.centers
    ):
        rooms_per_center[i] += 1
    programs, rooms, owners, memberships = [], [], [], []
    for i in range(scale.programs):
        is_home = i % 3 == 2
        town, zip_code = ctx.towns[rng.randrange(len(ctx.towns))]
        spanish = rng.random() < 0.35
        owner = ""
        if is_home:
            first, last = person_name(rng, spanish)
            owner = f"{first} {last}"
            name = f"Guardería {owner}" if spanish else f"{owner} Family Child Care"
            specs = [("Home group", 0, rng.choice([59, 71, 156]), 5, 5)]
        else:
            name = f"{rng.choice(data.CENTER_WORDS)} {rng.choice(data.CENTER_SUFFIX)} of {town}"
            infants = rng.random() < 0.6 or (ctx.is_demo and i == 0)
            school_age = rng.random() < 0.35 or (ctx.is_demo and i == 0)
            specs = _center_rooms(rng, rooms_per_center.pop(0), infants, school_age)
        slug_text = name
        if ctx.is_demo and i < len(DEMO_PROGRAMS):
            slug_text, name, town, zip_code = DEMO_PROGRAMS[i]
            owner = DEMO_PROVIDER if is_home else owner
        joined = _joined(ctx, founding=ctx.is_demo and i < len(DEMO_PROGRAMS))
        slug = slugs.take(slug_text)
        programs.append(
            Program(
                alliance=ctx.alliance,
                slug=slug,
                name=name,
                kind=ProgramKind.FAMILY_HOME if is_home else ProgramKind.CENTER,
                license_number=f"{'FCC' if is_home else 'CC'}-{rng.randrange(10000, 99999)}",
                license_expires_on=ctx.today + timedelta(days=rng.randrange(-20, 3 * 365)),
                licensed_capacity=sum(s[3] for s in specs),
                staffed_capacity=sum(s[4] for s in specs),
                ages_min_months=min(s[1] for s in specs),
                ages_max_months=max(s[2] for s in specs),
                languages=["English", "Spanish"] if spanish or rng.random() < 0.3 else ["English"],
                accepts_ccap=rng.random() < 0.7,
                quality_rating=rng.choice([0, 0, 3, 3, 4, 5]),
                address=f"{rng.randrange(10, 999)} {rng.choice(data.STREETS)}",
                town=town,
                zip_code=zip_code,
                phone=f"908-555-{rng.randrange(1000, 9999)}",
                email=f"info@{slug[:50].strip('-')}.example.org",
                tax_id=f"22-{rng.randrange(1000000, 9999999)}",
                description=(
                    "A registered family child care home."
                    if is_home
                    else "A licensed child care center."
                ),
                created_at=moment(joined, rng),
            )
        )
        rooms.append(specs)
        owners.append(owner)
        tier = home_tier if is_home else small_tier
        if not is_home and programs[-1].licensed_capacity > 60:
            tier = large_tier
        memberships.append((tier, joined))
    ctx.programs = bulk(Program, programs)
    ctx.classrooms = bulk(
        Classroom,
        [
            Classroom(
                program=program,
                name=name,
                age_min_months=lo,
                age_max_months=hi,
                licensed_capacity=licensed,
                staffed_capacity=staffed,
                created_at=program.created_at,
            )
            for program, specs in zip(ctx.programs, rooms, strict=True)
            for name, lo, hi, licensed, staffed in specs
        ],
    )
    bulk(
        Membership,
        [
            Membership(
                program=program,
                tier=tier,
                annual_fee=tier.annual_fee,
                joined_on=joined,
                renews_on=_anniversary_after(joined, ctx.today),
                fee_paid_through=(
                    _anniversary_after(joined, ctx.today) if rng.random() < 0.85 else None
                ),
            )
            for program, (tier, joined) in zip(ctx.programs, memberships, strict=True)
        ],
    )
    return {p.pk: owner for p, owner in zip(ctx.programs, owners, strict=True) if owner}


def _tiers(alliance: Alliance) -> list[MembershipTier]:
    return bulk(
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


def _center_rooms(
    rng: random.Random, count: int, infants: bool, school_age: bool
) -> list[tuple[str, int, int, int, int]]:
    """``count`` rooms: (name, min months, max months, licensed, staffed), youngest first.

    Some rooms are one teacher short, so they are staffed for one teacher's
    ratio fewer children than licensed (the staffing shortage the alliance exists for).
    """
    names = list(data.ROOM_PRIORITY)
    if school_age:
        names.insert(data.ROOM_PRIORITY_SCHOOL_AGE, "School Age")
    extras = list(data.EXTRA_ROOMS)
    if not infants:
        names.remove("Infants")
        extras.remove("Infants")
    names = names[:count]
    while len(names) < count:
        names.append(extras[len(names) % len(extras)])
    out, seen = [], {}
    for name in sorted(names, key=lambda n: ROOMS[n][1]):
        seen[name] = seen.get(name, 0) + 1
        _, lo, hi, licensed, ratio = ROOMS[name]
        staffed = licensed - ratio if rng.random() < SHORT_STAFFED else licensed
        label = name if seen[name] == 1 else f"{name} {seen[name]}"
        out.append((label, lo, hi, licensed, staffed))
    return out


def _joined(ctx: SeedContext, *, founding: bool) -> date:
    """Seven in ten programs founded the alliance in its first two months; the rest
    joined later, spread over the history."""
    start = ctx.history_start
    if founding or ctx.rng.random() < 0.7:
        return day_between(start, start + timedelta(days=60), ctx.rng)
    return day_between(start + timedelta(days=61), ctx.today - timedelta(days=7), ctx.rng)


def _anniversary_after(joined: date, today: date) -> date:
    for years in range(today.year - joined.year, today.year - joined.year + 2):
        candidate = joined.replace(year=joined.year + years, day=min(joined.day, 28))
        if candidate > today:
            return candidate
    return today + timedelta(days=365)


def record_history(ctx: SeedContext) -> None:
    """Each program's approved application and its approval in the audit trail (by the hub,
    on the day it joined), a few applications waiting for review, and one declined."""
    rng, alliance, hub = ctx.rng, ctx.alliance, ctx.hub
    memberships = {m.program_id: m for m in Membership.objects.filter(program__in=ctx.programs)}
    applications = []
    for program in ctx.programs:
        membership = memberships[program.pk]
        reviewed = moment(membership.joined_on, rng)
        applications.append(
            MembershipApplication(
                alliance=alliance,
                status=ApplicationStatus.APPROVED,
                program_name=program.name,
                kind=program.kind,
                contact_name=ctx.directors[program.pk].full_name,
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
                tier=membership.tier,
                program=program,
                submitted_at=reviewed - timedelta(days=rng.randrange(3, 21)),
                reviewed_by=hub,
                reviewed_at=reviewed,
            )
        )
    for j in range(3 if ctx.is_demo else 1):
        town, zip_code = ctx.towns[rng.randrange(len(ctx.towns))]
        first, last = person_name(rng, j % 2 == 1)
        applications.append(
            MembershipApplication(
                alliance=alliance,
                program_name=f"{rng.choice(data.CENTER_WORDS)} Child Care of {town}",
                kind=ProgramKind.CENTER if j % 2 == 0 else ProgramKind.FAMILY_HOME,
                contact_name=f"{first} {last}",
                email=f"applicant{j + 1}@{alliance.slug}.example.org",
                license_number=f"CC-{70000 + j}",
                licensed_capacity=60 if j % 2 == 0 else 5,
                town=town,
                zip_code=zip_code,
                ages_min_months=0,
                ages_max_months=59,
                languages=["English", "Spanish"],
                accepts_ccap=True,
                message="We would like to join the substitute pool first.",
                submitted_at=moment(ctx.today - timedelta(days=rng.randrange(1, 14)), rng),
            )
        )
    declined_on = moment(ctx.today - timedelta(days=40), rng)
    applications.append(
        MembershipApplication(
            alliance=alliance,
            status=ApplicationStatus.DECLINED,
            program_name="Unlicensed Play Space",
            kind=ProgramKind.CENTER,
            contact_name="Pat Doe",
            email=f"pat@{alliance.slug}.example.org",
            license_number="pending",
            licensed_capacity=20,
            town=ctx.towns[0][0],
            zip_code=ctx.towns[0][1],
            ages_min_months=24,
            ages_max_months=59,
            decision_note=(
                "Membership needs a current state license; please apply again once licensed."
            ),
            submitted_at=declined_on - timedelta(days=9),
            reviewed_by=hub,
            reviewed_at=declined_on,
        )
    )
    applications = bulk(MembershipApplication, applications)
    entries = []
    for a in applications:
        entries.append(_entry(a, a.submitted_at, None, "submitted", f"{a.program_name} applied"))
        if a.status == ApplicationStatus.APPROVED:
            summary = f"Approved {a.program_name} ({a.tier.name})"
            entries.append(_entry(a, a.reviewed_at, hub, "approved", summary))
        elif a.status == ApplicationStatus.DECLINED:
            entries.append(_entry(a, a.reviewed_at, hub, "declined", f"Declined {a.program_name}"))
    bulk(AuditEntry, entries)


def _entry(
    application: MembershipApplication,
    at: datetime | None,
    actor: User | None,
    verb: str,
    summary: str,
) -> AuditEntry:
    """The audit row the members services write for the same change."""
    return AuditEntry(
        at=at,
        actor=actor,
        alliance=application.alliance,
        program=application.program if verb == "approved" else None,
        action=f"application.{verb}",
        object_type="members.membershipapplication",
        object_id=str(application.pk),
        summary=summary,
    )
