"""Demo benefits: two plan years (this one, and next year's with open enrollment open
today), two health plans, a dental, a vision and a retirement plan with rates; a policy at
most members; elections for about 55% of eligible staff with dependents; stand-alone quotes.

staff1@example.org (Sam Teacher at Little Learners) is eligible and has no election yet, so
the demo can enroll today; director1 sees the statement, figures and calculator at once.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from alliance.benefits.models import (
    BenefitSettings,
    Dependent,
    Election,
    MemberPolicy,
    Plan,
    PlanRate,
    PlanYear,
    StandaloneQuote,
)
from alliance.rules import benefits as rules
from alliance.seed.registry import SeedContext, register_step
from alliance.seed.util import bulk
from alliance.staffing.models import StaffMember, StaffRole

PLANS = [
    # kind, carrier, name, monthly rates (employee, + spouse, + children, family)
    ("health", "Garden State Health Co-op", "Silver PPO",
     ("612.40", "1286.04", "1102.32", "1776.00")),
    ("health", "Liberty Health Partners", "Bronze HMO", ("448.75", "942.38", "807.75", "1301.38")),
    ("dental", "Bright Smile Dental", "Dental PPO", ("38.20", "76.40", "84.04", "122.24")),
    ("vision", "ClearView Vision", "Vision Choice", ("9.80", "18.62", "19.60", "28.42")),
]  # fmt: skip
POLICIES = [
    ("percent_employee", Decimal("80"), None),
    ("percent_tier", Decimal("50"), Decimal("700.00")),
    ("fixed", Decimal("400.00"), None),
    ("percent_employee", Decimal("100"), None),
]
FIRST = ["Alex", "Jordan", "Maria", "Luis", "Aisha", "Noah", "Emma", "Mateo", "Zoe", "Liam"]


def _born(rng, first: int, last: int) -> date:
    return date(rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28))


def _dependent(s: dict, name: str, relationship: str, born: date) -> Dependent:
    return Dependent(
        program_id=s["program_id"], staff_id=s["pk"], full_name=name,
        relationship=relationship, birth_date=born,
    )  # fmt: skip


def seed_benefits(ctx: SeedContext) -> dict[str, int]:
    rng = ctx.rng
    today = ctx.today
    year = today.year
    PlanYear.objects.bulk_create(
        [
            PlanYear(
                alliance=ctx.alliance, name=str(year), starts_on=date(year, 1, 1),
                ends_on=date(year, 12, 31), enrollment_opens_on=date(year - 1, 11, 1),
                enrollment_closes_on=date(year - 1, 11, 30),
            ),
            PlanYear(
                alliance=ctx.alliance, name=str(year + 1), starts_on=date(year + 1, 1, 1),
                ends_on=date(year + 1, 12, 31),
                enrollment_opens_on=today - timedelta(days=14),
                enrollment_closes_on=today + timedelta(days=16),
            ),
        ]
    )  # fmt: skip
    plans = bulk(
        Plan,
        [Plan(alliance=ctx.alliance, kind=k, carrier=c, name=n) for k, c, n, _r in PLANS]
        + [
            Plan(
                alliance=ctx.alliance, kind="retirement", carrier="Alliance Retirement Trust",
                name="403(b) Savings", deferral_min_percent=Decimal("1"),
                deferral_max_percent=Decimal("50"), match_formula=[["3", "100"], ["5", "50"]],
                vesting=[["0", "0"], ["1", "25"], ["2", "50"], ["3", "75"], ["4", "100"]],
            )
        ],
    )  # fmt: skip
    bulk(
        PlanRate,
        [
            PlanRate(
                alliance=ctx.alliance, plan=plan, effective_on=date(year, 1, 1),
                **dict(zip(rules.Tier.__members__.values(), map(Decimal, rates), strict=True)),
            )
            for plan, (_k, _c, _n, rates) in zip(plans, PLANS, strict=False)
        ],
    )  # fmt: skip
    policies: list[MemberPolicy] = []
    settings: list[BenefitSettings] = []
    quotes: list[StandaloneQuote] = []
    offering: dict[int, dict[int, MemberPolicy]] = {}
    for index, program in enumerate(ctx.programs):
        demo = ctx.is_demo and index < 3
        if not demo and rng.random() < 0.15:
            continue  # a few members do not offer pooled benefits (yet)
        kind, value, cap = POLICIES[0] if demo else rng.choice(POLICIES)
        min_hours = Decimal(20) if demo else Decimal(rng.choice([20, 25, 30, 30]))
        waiting = 30 if demo else rng.choice([30, 60, 60, 90])
        chosen = {}
        for plan in plans:
            if plan.kind != "health" or plan.name == "Silver PPO" or rng.random() < 0.7 or demo:
                policy = MemberPolicy(
                    program=program, plan=plan, contribution_kind=kind, contribution_value=value,
                    contribution_cap=cap, min_hours=min_hours, waiting_days=waiting,
                )  # fmt: skip
                if plan.kind in ("dental", "vision"):
                    policy.contribution_kind = "percent_tier"
                    policy.contribution_value = Decimal(rng.choice([0, 50, 100]))
                    policy.contribution_cap = None
                policies.append(policy)
                chosen[plan.pk] = policy
        offering[program.pk] = chosen
        settings.append(
            BenefitSettings(
                program=program, pay_frequency=rng.choice(["weekly", "biweekly", "biweekly",
                                                           "semimonthly", "monthly"]),
            )
        )  # fmt: skip
        if demo or rng.random() < 0.5:
            markup = Decimal(rng.randint(112, 138)) / 100
            base = PLANS[0][3]
            quotes.append(
                StandaloneQuote(
                    program=program, kind="health", carrier="Local broker quote",
                    quoted_on=today - timedelta(days=rng.randint(20, 200)),
                    **{t: rules.cents(Decimal(v) * markup)
                       for t, v in zip(rules.Tier.__members__.values(), base, strict=True)},
                )
            )  # fmt: skip
    bulk(MemberPolicy, policies)
    bulk(BenefitSettings, settings)
    bulk(StandaloneQuote, quotes)

    staff1 = next((u.pk for u, _p in ctx.staff if u.email == "staff1@example.org"), None)
    staff = StaffMember.objects.filter(
        program__alliance=ctx.alliance, separated_on__isnull=True
    ).values("pk", "program_id", "hire_date", "hours_per_week", "role", "user_id")
    by_kind = {k: [p for p in plans if p.kind == k] for k in ("health", "dental", "vision")}
    retirement = plans[-1]
    start_of_year = date(year, 1, 1)
    elections: list[Election] = []
    dependents: list[Dependent] = []
    links: list[tuple[int, list[int]]] = []  # election index → dependent indexes
    for s in staff:
        chosen = offering.get(s["program_id"])
        if (
            not chosen
            or (staff1 is not None and s["user_id"] == staff1)
            or s["role"] == StaffRole.COOK
            and rng.random() < 0.5
        ):
            continue
        any_policy = next(iter(chosen.values()))
        if rules.eligibility(
            on=today, hire_date=s["hire_date"], separated_on=None,
            hours_per_week=s["hours_per_week"], role=s["role"], min_hours=any_policy.min_hours,
            waiting_days=any_policy.waiting_days, roles=[],
        ) is not None:  # fmt: skip
            continue
        if rng.random() >= 0.55:
            continue
        eligible_from = rules.first_eligible_day(s["hire_date"], any_policy.waiting_days)
        starts = max(start_of_year, rules.first_of_next_month(eligible_from - timedelta(days=1)))
        starts = min(starts, rules.first_of_next_month(today) - timedelta(days=1)).replace(day=1)
        tier = rng.choices(list(rules.Tier.__members__.values()), weights=[55, 15, 15, 15])[0]
        mine: list[int] = []
        if tier in ("employee_spouse", "family"):
            mine.append(len(dependents))
            dependents.append(_dependent(s, rng.choice(FIRST) + " Partner", "spouse",
                                         _born(rng, 1975, 2000)))  # fmt: skip
        if tier in ("employee_children", "family"):
            for _ in range(rng.randint(1, 3)):
                mine.append(len(dependents))
                dependents.append(_dependent(s, rng.choice(FIRST) + " Child", "child",
                                             _born(rng, 2008, year - 1)))  # fmt: skip
        health = [p for p in by_kind["health"] if p.pk in chosen]
        picks = [rng.choice(health)] if health else []
        for kind, share in (("dental", 0.7), ("vision", 0.5)):
            offered = [p for p in by_kind[kind] if p.pk in chosen]
            if offered and rng.random() < share:
                picks.append(offered[0])
        for plan in picks:
            links.append((len(elections), mine))
            elections.append(Election(
                program_id=s["program_id"], staff_id=s["pk"], kind=plan.kind, plan=plan,
                status="enrolled", tier=tier, starts_on=starts,
            ))  # fmt: skip
        if retirement.pk in chosen and rng.random() < 0.6:
            elections.append(Election(
                program_id=s["program_id"], staff_id=s["pk"], kind="retirement",
                plan=retirement, status="enrolled", starts_on=starts,
                deferral_percent=Decimal(rng.choice([2, 3, 4, 5, 6, 8])),
            ))  # fmt: skip
    dependents = bulk(Dependent, dependents)
    elections = bulk(Election, elections)
    through = Election.dependents.through
    bulk(
        through,
        [
            through(election_id=elections[e].pk, dependent_id=dependents[d].pk)
            for e, ds in links
            for d in ds
        ],
    )
    return {
        "benefit plans": len(plans),
        "member benefit policies": len(policies),
        "benefit elections": len(elections),
        "dependents": len(dependents),
        "stand-alone quotes": len(quotes),
    }


register_step("benefits.pool", seed_benefits)
