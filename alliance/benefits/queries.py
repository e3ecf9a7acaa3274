"""Reads of the benefits pages and API: what a person may choose and what it costs them,
a director's staff overview, plans and policies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q

from alliance.benefits.models import (
    Dependent,
    Election,
    LifeEvent,
    MemberPolicy,
    Plan,
    PlanKind,
    PlanRate,
    PlanYear,
    Tier,
)
from alliance.benefits.services_elections import check_eligible, enrollment_window
from alliance.benefits.statements import pay_frequency, rates_on
from alliance.members.models import Alliance, Program
from alliance.rules import benefits as rules
from alliance.staffing.models import StaffMember


def plans_of(alliance: Alliance):
    return Plan.objects.filter(alliance=alliance).prefetch_related(
        Prefetch("rates", queryset=PlanRate.objects.order_by("-effective_on"))
    )


def plan_years_of(alliance: Alliance):
    return PlanYear.objects.filter(alliance=alliance).order_by("-starts_on")


def policies_by_plan(program: Program) -> dict[int, MemberPolicy]:
    return {p.plan_id: p for p in MemberPolicy.objects.filter(program=program)}


def current_staff(program: Program):
    return StaffMember.objects.filter(program=program, separated_on__isnull=True)


def elections_of(staff: StaffMember):
    return (
        Election.objects.filter(staff=staff)
        .select_related("plan")
        .prefetch_related("dependents")
        .order_by("kind", "-starts_on")
    )


@dataclass
class Cost:
    tier: str
    label: str
    premium: Decimal
    employer: Decimal
    employee: Decimal
    per_paycheck: Decimal


@dataclass
class Offer:
    plan: Plan
    policy: MemberPolicy | None
    problem: str | None  # why the person may not enroll (None: eligible)
    costs: list[Cost] = field(default_factory=list)


@dataclass
class Choices:
    staff: StaffMember
    frequency: str
    window: object | None
    offers: dict[str, list[Offer]]
    elections: list[Election]
    dependents: list[Dependent]
    life_events: list[LifeEvent]
    start: date | None


def choices_for(staff: StaffMember, today: date) -> Choices:
    """Each active plan with what the person would pay per paycheck in every tier and what
    the employer pays, whether they may enroll, and their elections and dependents."""
    program = staff.program
    frequency = pay_frequency(program)
    policies = policies_by_plan(program)
    events = list(LifeEvent.objects.filter(staff=staff).order_by("-occurred_on"))
    recent = next(
        (
            e
            for e in events
            if (today - e.occurred_on).days <= rules.life_event_days(e.kind)
            and e.occurred_on <= today
        ),
        None,
    )
    waiting = min((p.waiting_days for p in policies.values()), default=0)
    window = enrollment_window(staff=staff, today=today, life_event=recent, waiting_days=waiting)
    start = window.starts_on if window else today
    plans = list(Plan.objects.filter(alliance_id=program.alliance_id, is_active=True))
    rates = rates_on([p.pk for p in plans], start)
    offers: dict[str, list[Offer]] = {k: [] for k in PlanKind.values}
    for plan in plans:
        policy = policies.get(plan.pk)
        if policy is None or not policy.offered:
            continue
        offer = Offer(plan=plan, policy=policy, problem=check_eligible(staff, policy, start))
        rate = rates.get(plan.pk)
        if rate is not None and not plan.is_retirement:
            for tier, label in Tier.choices:
                split = rules.split_premium(
                    premium=rate[tier], employee_only_premium=rate["employee"],
                    kind=policy.contribution_kind, value=policy.contribution_value,
                    cap=policy.contribution_cap,
                )  # fmt: skip
                offer.costs.append(
                    Cost(
                        tier,
                        str(label),
                        split.premium,
                        split.employer,
                        split.employee,
                        rules.per_paycheck(split.employee, frequency),
                    )  # fmt: skip
                )
        offers[plan.kind].append(offer)
    return Choices(
        staff=staff,
        frequency=frequency,
        window=window,
        offers={k: v for k, v in offers.items() if v},
        elections=list(elections_of(staff)),
        dependents=list(Dependent.objects.filter(staff=staff)),
        life_events=events,
        start=window.starts_on if window else None,
    )


def staff_overview(program: Program, today: date):
    """Current staff with their open elections (two queries)."""
    open_elections = Election.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return current_staff(program).prefetch_related(
        Prefetch("elections", queryset=open_elections.select_related("plan"), to_attr="open")
    )


def own_staff_record(program: Program, user) -> StaffMember | None:
    from alliance.staffing.queries import own_record

    return own_record(program, user)


def elections_for_api(program: Program, *, staff: StaffMember | None = None):
    rows = Election.objects.filter(program=program).select_related("plan", "staff")
    if staff is not None:
        rows = rows.filter(staff=staff)
    return rows.prefetch_related("dependents").order_by("staff__full_name", "kind", "-starts_on")
