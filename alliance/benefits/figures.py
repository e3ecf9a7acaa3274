"""Benefits figures: participation, cost per member and per employee, pooled rates against
the stand-alone quotes members entered, and the policy calculator (what a change would cost
a year, computed without saving anything)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from alliance.benefits.models import (
    INSURANCE_KINDS,
    Election,
    ElectionStatus,
    MemberPolicy,
    Plan,
    StandaloneQuote,
)
from alliance.benefits.statements import premium_rows, rates_on
from alliance.members.models import Program
from alliance.rules import benefits as rules
from alliance.staffing.models import StaffMember

ZERO = Decimal("0.00")


@dataclass
class Participation:
    program_id: int
    name: str
    eligible: int = 0
    enrolled: int = 0
    employer_monthly: Decimal = ZERO
    employee_monthly: Decimal = ZERO

    @property
    def rate(self) -> Decimal:
        if not self.eligible:
            return Decimal(0)
        return (Decimal(self.enrolled) * 100 / self.eligible).quantize(Decimal("0.1"))

    @property
    def cost_per_employee(self) -> Decimal:
        """The employer's monthly cost per enrolled employee."""
        if not self.enrolled:
            return ZERO
        return rules.cents(self.employer_monthly / self.enrolled)


def participation(programs: list[Program], today: date) -> list[Participation]:
    """Per program: current staff eligible today for at least one offered insurance plan,
    how many of them are enrolled in one, and the month's employer and employee cost."""
    ids = [p.pk for p in programs]
    out = {p.pk: Participation(program_id=p.pk, name=p.name) for p in programs}
    policies: dict[int, list[MemberPolicy]] = defaultdict(list)
    for policy in MemberPolicy.objects.filter(
        program_id__in=ids, offered=True, plan__kind__in=INSURANCE_KINDS, plan__is_active=True
    ).order_by():
        policies[policy.program_id].append(policy)
    staff = StaffMember.objects.filter(program_id__in=ids, separated_on__isnull=True).values(
        "pk", "program_id", "hire_date", "separated_on", "hours_per_week", "role"
    )
    rows = premium_rows(Election.objects.filter(program_id__in=ids), today)
    enrolled_staff = {r.staff_id for r in rows}
    for row in rows:
        out[row.program_id].employer_monthly += row.employer
        out[row.program_id].employee_monthly += row.employee
    for s in staff:
        eligible = any(
            rules.eligibility(
                on=today,
                hire_date=s["hire_date"],
                separated_on=s["separated_on"],
                hours_per_week=s["hours_per_week"],
                role=s["role"],
                min_hours=p.min_hours,
                waiting_days=p.waiting_days,
                roles=p.eligible_roles,
            )  # fmt: skip
            is None
            for p in policies.get(s["program_id"], [])
        )
        if eligible:
            out[s["program_id"]].eligible += 1
            if s["pk"] in enrolled_staff:
                out[s["program_id"]].enrolled += 1
    return sorted(out.values(), key=lambda p: p.name)


def totals(rows: list[Participation]) -> Participation:
    total = Participation(program_id=0, name="")
    for r in rows:
        total.eligible += r.eligible
        total.enrolled += r.enrolled
        total.employer_monthly += r.employer_monthly
        total.employee_monthly += r.employee_monthly
    return total


@dataclass
class Comparison:
    kind: str
    pooled: Decimal
    standalone: Decimal

    @property
    def saved(self) -> Decimal:
        return self.standalone - self.pooled


def pooled_vs_standalone(program: Program, today: date) -> list[Comparison]:
    """For each kind the member has a stand-alone quote for: this month's enrolled
    premiums at pooled rates against the same tiers at the quoted rates."""
    quotes = {q.kind: q for q in StandaloneQuote.objects.filter(program=program)}
    if not quotes:
        return []
    found: dict[str, Comparison] = {}
    for row in premium_rows(Election.objects.filter(program=program), today):
        quote = quotes.get(row.kind)
        if quote is None:
            continue
        c = found.setdefault(row.kind, Comparison(kind=row.kind, pooled=ZERO, standalone=ZERO))
        c.pooled += row.premium
        c.standalone += getattr(quote, row.tier)
    return [found[k] for k in sorted(found)]


@dataclass
class CalculatorResult:
    enrolled: int
    current_monthly: Decimal
    proposed_monthly: Decimal

    @property
    def current_annual(self) -> Decimal:
        return rules.annual(self.current_monthly)

    @property
    def proposed_annual(self) -> Decimal:
        return rules.annual(self.proposed_monthly)

    @property
    def difference(self) -> Decimal:
        return self.proposed_annual - self.current_annual


def calculate(
    *,
    program: Program,
    plan: Plan,
    today: date,
    contribution_kind: str,
    contribution_value: Decimal,
    contribution_cap: Decimal | None,
) -> CalculatorResult:
    """The employer's yearly cost for ``plan`` under the current policy and under the
    proposed one, for the people enrolled today (nothing is saved)."""
    policy = MemberPolicy.objects.filter(program=program, plan=plan).first()
    rate = rates_on([plan.pk], today).get(plan.pk)
    tiers = list(
        Election.objects.filter(program=program, plan=plan, status=ElectionStatus.ENROLLED)
        .filter(starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .values_list("tier", flat=True)
    )
    current = proposed = ZERO
    if rate is not None:
        for tier in tiers:
            if policy is not None:
                current += rules.split_premium(
                    premium=rate[tier], employee_only_premium=rate["employee"],
                    kind=policy.contribution_kind, value=policy.contribution_value,
                    cap=policy.contribution_cap,
                ).employer  # fmt: skip
            proposed += rules.split_premium(
                premium=rate[tier], employee_only_premium=rate["employee"],
                kind=contribution_kind, value=contribution_value, cap=contribution_cap,
            ).employer  # fmt: skip
    return CalculatorResult(enrolled=len(tiers), current_monthly=current, proposed_monthly=proposed)
