"""Money reads: monthly premium statements, the hub's carrier remittance, retirement
contributions per pay period and the payroll deduction export.

A month's premium is charged for every enrolled health, dental or vision election that
covers the first day of the month, at the plan's rate in effect that day, split by the
member's policy (``alliance.rules.benefits.split_premium``: the shares add up to the premium
to the cent). The reads use a fixed number of queries whatever the number of staff.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

from alliance.benefits.models import (
    INSURANCE_KINDS,
    BenefitSettings,
    Election,
    ElectionStatus,
    MemberPolicy,
    Plan,
    PlanKind,
    PlanRate,
    Tier,
)
from alliance.members.models import Alliance, Program
from alliance.rules import benefits as rules

ZERO = Decimal("0.00")
TIER_LABELS = dict(Tier.choices)


@dataclass
class Row:
    staff_id: int
    staff_name: str
    program_id: int
    kind: str
    plan_id: int
    plan_name: str
    carrier: str
    tier: str
    premium: Decimal
    employer: Decimal
    employee: Decimal

    @property
    def tier_label(self) -> str:
        return str(TIER_LABELS.get(self.tier, self.tier))


@dataclass
class Total:
    label: str
    count: int = 0
    premium: Decimal = ZERO
    employer: Decimal = ZERO
    employee: Decimal = ZERO

    def add(self, row: Row) -> None:
        self.count += 1
        self.premium += row.premium
        self.employer += row.employer
        self.employee += row.employee


@dataclass
class Statement:
    month: date
    rows: list[Row] = field(default_factory=list)
    carriers: list[Total] = field(default_factory=list)
    total: Total = field(default_factory=lambda: Total(label=""))


def month_start(value: str | date | None, today: date) -> date:
    """``2026-11`` (or a date) → 2026-11-01; anything unreadable → this month."""
    if isinstance(value, date):
        return value.replace(day=1)
    try:
        year, month = (int(p) for p in str(value or "").split("-")[:2])
        return date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


def rates_on(plan_ids, day: date) -> dict[int, dict]:
    """Each plan's rate row in effect on ``day`` (one query)."""
    found: dict[int, dict] = {}
    rows = (
        PlanRate.objects.filter(plan_id__in=list(plan_ids), effective_on__lte=day)
        .order_by("plan_id", "-effective_on")
        .values("plan_id", "employee", "employee_spouse", "employee_children", "family")
    )
    for row in rows:
        found.setdefault(row["plan_id"], row)
    return found


def _policies(program_ids) -> dict[tuple[int, int], dict]:
    rows = (
        MemberPolicy.objects.filter(program_id__in=list(program_ids))
        .order_by()
        .values(
            "program_id", "plan_id", "contribution_kind", "contribution_value", "contribution_cap"
        )
    )
    return {(r["program_id"], r["plan_id"]): r for r in rows}


def covering(day: date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def split_for(policy: dict | None, rate: dict, tier: str) -> rules.Split:
    premium = rate[tier]
    if policy is None:
        return rules.split_premium(
            premium=premium, employee_only_premium=rate["employee"], kind="fixed", value=ZERO
        )
    return rules.split_premium(
        premium=premium,
        employee_only_premium=rate["employee"],
        kind=policy["contribution_kind"],
        value=policy["contribution_value"],
        cap=policy["contribution_cap"],
    )


def premium_rows(elections_qs, day: date) -> list[Row]:
    """Statement rows of the enrolled insurance elections in ``elections_qs`` on ``day``."""
    elections = list(
        elections_qs.filter(status=ElectionStatus.ENROLLED, kind__in=INSURANCE_KINDS)
        .filter(covering(day))
        .order_by("staff__full_name", "staff_id", "kind")
        .values("staff_id", "staff__full_name", "program_id", "kind", "plan_id", "tier")
    )
    plan_ids = {e["plan_id"] for e in elections}
    plans = {
        p["pk"]: p for p in Plan.objects.filter(pk__in=plan_ids).values("pk", "name", "carrier")
    }
    rates = rates_on(plan_ids, day)
    policies = _policies({e["program_id"] for e in elections})
    rows = []
    for e in elections:
        rate = rates.get(e["plan_id"])
        if rate is None:
            continue  # no rate in effect yet: nothing to charge
        split = split_for(policies.get((e["program_id"], e["plan_id"])), rate, e["tier"])
        plan = plans[e["plan_id"]]
        rows.append(
            Row(
                staff_id=e["staff_id"],
                staff_name=e["staff__full_name"],
                program_id=e["program_id"],
                kind=e["kind"],
                plan_id=e["plan_id"],
                plan_name=plan["name"],
                carrier=plan["carrier"],
                tier=e["tier"],
                premium=split.premium,
                employer=split.employer,
                employee=split.employee,
            )  # fmt: skip
        )
    return rows


def premium_statement(program: Program, month: date) -> Statement:
    """One member's statement for ``month``: per employee and plan, and totals per carrier."""
    rows = premium_rows(Election.objects.filter(program=program), month)
    statement = Statement(month=month, rows=rows)
    carriers: dict[str, Total] = {}
    for row in rows:
        carriers.setdefault(row.carrier, Total(label=row.carrier)).add(row)
        statement.total.add(row)
    statement.carriers = sorted(carriers.values(), key=lambda t: t.label)
    return statement


@dataclass
class CarrierRemittance:
    carrier: str
    members: list[Total]
    total: Total


def remittance(alliance: Alliance, month: date) -> tuple[list[CarrierRemittance], Total]:
    """The hub's remittance for ``month``: what each carrier is owed, per member."""
    rows = premium_rows(Election.objects.filter(program__alliance=alliance), month)
    names = dict(Program.objects.filter(alliance=alliance).values_list("pk", "name"))
    by_carrier: dict[str, dict[int, Total]] = defaultdict(dict)
    grand = Total(label="")
    for row in rows:
        members = by_carrier[row.carrier]
        members.setdefault(row.program_id, Total(label=names.get(row.program_id, ""))).add(row)
        grand.add(row)
    out = []
    for carrier in sorted(by_carrier):
        members = sorted(by_carrier[carrier].values(), key=lambda t: t.label)
        total = Total(label=carrier)
        for m in members:
            total.count += m.count
            total.premium += m.premium
            total.employer += m.employer
            total.employee += m.employee
        out.append(CarrierRemittance(carrier=carrier, members=members, total=total))
    return out, grand


def pay_frequency(program: Program) -> str:
    found = BenefitSettings.objects.filter(program=program).values_list("pay_frequency", flat=True)
    return next(iter(found), "biweekly")


@dataclass
class RetirementRow:
    staff_id: int
    staff_name: str
    payday: date
    gross: Decimal
    deferral_percent: Decimal
    deferral: Decimal
    match: Decimal
    vested_percent: Decimal


def retirement_rows(program: Program, month: date) -> list[RetirementRow]:
    """Each payday of ``month`` and each person enrolled in a retirement plan that day:
    pay from wage × hours, their deferral and the employer match (plan formula)."""
    frequency = pay_frequency(program)
    paydays = rules.pay_dates(frequency, month)
    last = rules.month_end(month)
    elections = list(
        Election.objects.filter(
            program=program, status=ElectionStatus.ENROLLED, kind=PlanKind.RETIREMENT
        )
        .filter(Q(starts_on__lte=last) & (Q(ends_on__isnull=True) | Q(ends_on__gte=month)))
        .select_related("staff", "plan")
        .order_by("staff__full_name", "staff_id")
    )
    rows = []
    for payday in paydays:
        for e in elections:
            if not e.covers(payday) or not e.staff.is_employed_on(payday):
                continue
            gross = rules.gross_per_paycheck(
                wage=e.staff.wage, hours_per_week=e.staff.hours_per_week, frequency=frequency
            )
            c = rules.retirement_contribution(
                gross=gross, deferral_percent=e.deferral_percent, formula=e.plan.match_formula
            )
            years = Decimal((payday - e.staff.hire_date).days) / Decimal("365.25")
            rows.append(
                RetirementRow(
                    staff_id=e.staff_id,
                    staff_name=e.staff.full_name,
                    payday=payday,
                    gross=c.gross,
                    deferral_percent=e.deferral_percent,
                    deferral=c.deferral,
                    match=c.match,
                    vested_percent=rules.vested_percent(years, e.plan.vesting),
                )  # fmt: skip
            )
    return sorted(rows, key=lambda r: (r.staff_name, r.staff_id, r.payday))


PAYROLL_HEADER = [
    "employee",
    "email",
    "payday",
    "pay_frequency",
    "health_deduction",
    "dental_deduction",
    "vision_deduction",
    "retirement_deferral",
    "employer_match",
    "employer_premium_share",
]


def payroll_rows(program: Program, month: date) -> list[list[str]]:
    """The payroll deduction export: one row per employee per payday of ``month``.
    Premium shares are the month's shares spread over a year of paychecks."""
    frequency = pay_frequency(program)
    premiums = premium_rows(Election.objects.filter(program=program), month)
    retirement = retirement_rows(program, month)
    emails = dict(program_staff_emails(program))
    by_staff: dict[int, dict] = {}
    for row in premiums:
        entry = by_staff.setdefault(row.staff_id, {"name": row.staff_name, "kinds": {}})
        entry["kinds"][row.kind] = row
    ret = {(r.staff_id, r.payday): r for r in retirement}
    for r in retirement:
        by_staff.setdefault(r.staff_id, {"name": r.staff_name, "kinds": {}})
    out = []
    for payday in rules.pay_dates(frequency, month):
        for staff_id, entry in sorted(by_staff.items(), key=lambda kv: (kv[1]["name"], kv[0])):
            kinds = entry["kinds"]
            r = ret.get((staff_id, payday))
            employer = sum((k.employer for k in kinds.values()), ZERO)
            if not kinds and r is None:
                continue
            out.append(
                [
                    entry["name"],
                    emails.get(staff_id, ""),
                    payday.isoformat(),
                    frequency,
                    *[
                        str(
                            rules.per_paycheck(kinds[k].employee, frequency) if k in kinds else ZERO
                        )
                        for k in ("health", "dental", "vision")
                    ],
                    str(r.deferral if r else ZERO),
                    str(r.match if r else ZERO),
                    str(rules.per_paycheck(employer, frequency)),
                ]
            )
    return out


def program_staff_emails(program: Program):
    from alliance.staffing.models import StaffMember

    return StaffMember.objects.filter(program=program).values_list("pk", "email")
