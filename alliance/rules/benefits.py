"""Benefits arithmetic: contribution splits, per-paycheck amounts, retirement match, vesting,
eligibility and the dependents a coverage tier needs. Pure: no Django, exact Decimal.

Rounding (one rule everywhere): every amount is rounded once, half-up to the cent, at the
end of its own computation. The employer share of a premium is computed and rounded; the
employee share is the premium minus that rounded share, so the two always add up to the
premium to the cent. A per-paycheck amount is the monthly amount × 12 ÷ paychecks a year,
rounded half-up (so a year of paychecks may differ from 12 months by a few cents).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path

# The project's one rounding rule, under the name this module's callers use.
from alliance.rules.money import to_money as cents

_DATA = Path(__file__).with_name("data") / "benefits.json"
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")


class Tier(StrEnum):
    EMPLOYEE = "employee"
    EMPLOYEE_SPOUSE = "employee_spouse"
    EMPLOYEE_CHILDREN = "employee_children"
    FAMILY = "family"


class ContributionKind(StrEnum):
    FIXED = "fixed"  # a fixed amount a month (never more than the premium)
    PERCENT_EMPLOYEE = "percent_employee"  # a percent of the employee-only premium
    PERCENT_TIER = "percent_tier"  # a percent of the elected tier's premium


@cache
def _data() -> dict:
    return json.loads(_DATA.read_text())


def pay_periods(frequency: str) -> int:
    """Paychecks a year: weekly 52, biweekly 26, semimonthly 24, monthly 12."""
    try:
        return int(_data()["pay_periods_per_year"][frequency])
    except KeyError:
        raise ValueError(f"Unknown pay frequency {frequency!r}.") from None


def frequencies() -> list[str]:
    return list(_data()["pay_periods_per_year"])


def life_event_days(kind: str) -> int:
    """Days after a qualifying life event during which elections may change."""
    try:
        return int(_data()["life_event_days"][kind])
    except KeyError:
        raise ValueError(f"Unknown life event {kind!r}.") from None


def newly_eligible_days() -> int:
    """Days a newly eligible person (a new hire after the waiting period) may enroll."""
    return int(_data()["newly_eligible_days"])


def life_event_kinds() -> list[str]:
    return list(_data()["life_event_days"])


def check_contribution(kind: str, value: Decimal, cap: Decimal | None) -> dict[str, str]:
    """Problems with a contribution rule, by field (empty when it is sound)."""
    problems: dict[str, str] = {}
    if kind not in ContributionKind.__members__.values():
        problems["contribution_kind"] = "unknown"
    if value is None or value < 0:
        problems["contribution_value"] = "negative"
    elif kind != ContributionKind.FIXED and value > HUNDRED:
        problems["contribution_value"] = "over_100"
    if cap is not None and cap < 0:
        problems["contribution_cap"] = "negative"
    return problems


@dataclass(frozen=True)
class Split:
    premium: Decimal
    employer: Decimal
    employee: Decimal


def split_premium(
    *,
    premium: Decimal,
    employee_only_premium: Decimal,
    kind: str,
    value: Decimal,
    cap: Decimal | None = None,
) -> Split:
    """Employer and employee shares of one month's ``premium`` (the elected tier's rate).

    The employer share is the rule's amount, limited by ``cap`` and by the premium itself,
    never negative, rounded half-up; the employee pays the rest, so the shares always add
    up to the premium exactly."""
    premium = cents(premium)
    if kind == ContributionKind.FIXED:
        employer = Decimal(value)
    elif kind == ContributionKind.PERCENT_EMPLOYEE:
        employer = Decimal(employee_only_premium) * Decimal(value) / HUNDRED
    elif kind == ContributionKind.PERCENT_TIER:
        employer = premium * Decimal(value) / HUNDRED
    else:
        raise ValueError(f"Unknown contribution kind {kind!r}.")
    if cap is not None:
        employer = min(employer, Decimal(cap))
    employer = cents(max(ZERO, min(employer, premium)))
    return Split(premium=premium, employer=employer, employee=premium - employer)


def per_paycheck(monthly: Decimal, frequency: str) -> Decimal:
    """A monthly amount spread over the paychecks of a year, rounded half-up."""
    return cents(Decimal(monthly) * 12 / pay_periods(frequency))


def annual(monthly: Decimal) -> Decimal:
    return cents(Decimal(monthly) * 12)


def gross_per_paycheck(*, wage: Decimal, hours_per_week: Decimal, frequency: str) -> Decimal:
    """Pay for one period from an hourly wage: wage × hours × 52 weeks ÷ paychecks a year."""
    return cents(Decimal(wage) * Decimal(hours_per_week) * 52 / pay_periods(frequency))


@dataclass(frozen=True)
class MatchStep:
    """The employer matches ``rate`` percent of the deferral between ``from_percent`` and
    ``to_percent`` of pay (100% of the first 3% is MatchStep(0, 3, 100))."""

    from_percent: Decimal
    to_percent: Decimal
    rate: Decimal


def match_steps(formula: Iterable[Sequence]) -> list[MatchStep]:
    """``[[3, 100], [5, 50]]`` (up to % of pay, match rate %) → consecutive steps."""
    steps: list[MatchStep] = []
    start = Decimal(0)
    for upto, rate in formula:
        upto_d, rate_d = Decimal(str(upto)), Decimal(str(rate))
        if upto_d <= start or rate_d < 0 or rate_d > HUNDRED * 2:
            raise ValueError("Match steps must rise and rates lie between 0 and 200%.")
        steps.append(MatchStep(start, upto_d, rate_d))
        start = upto_d
    return steps


def match_percent(deferral_percent: Decimal, formula: Iterable[Sequence]) -> Decimal:
    """The employer match as a percent of pay for a deferral percent (3% + 1% for 5% under
    100% of the first 3% and 50% of the next 2%)."""
    total = Decimal(0)
    deferral = Decimal(deferral_percent)
    for step in match_steps(formula):
        matched = max(Decimal(0), min(deferral, step.to_percent) - step.from_percent)
        total += matched * step.rate / HUNDRED
    return total


@dataclass(frozen=True)
class Contribution:
    gross: Decimal
    deferral: Decimal
    match: Decimal


def retirement_contribution(
    *, gross: Decimal, deferral_percent: Decimal, formula: Iterable[Sequence]
) -> Contribution:
    """Employee deferral and employer match of one paycheck, each rounded half-up."""
    deferral = cents(Decimal(gross) * Decimal(deferral_percent) / HUNDRED)
    match = cents(Decimal(gross) * match_percent(deferral_percent, formula) / HUNDRED)
    return Contribution(gross=cents(gross), deferral=deferral, match=match)


def vested_percent(years_of_service: Decimal, schedule: Iterable[Sequence]) -> Decimal:
    """Percent of the employer's match that is vested: the highest step reached.
    ``[[0, 0], [1, 20], [2, 40], ... [5, 100]]``; an empty schedule vests at once."""
    steps = sorted((Decimal(str(y)), Decimal(str(p))) for y, p in schedule)
    if not steps:
        return HUNDRED
    vested = Decimal(0)
    for years, percent in steps:
        if Decimal(years_of_service) >= years:
            vested = percent
    return vested


class Ineligible(StrEnum):
    NOT_EMPLOYED = "not_employed"
    HOURS = "hours"
    ROLE = "role"
    WAITING = "waiting"
    NOT_OFFERED = "not_offered"


def first_of_next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def month_end(day: date) -> date:
    return first_of_next_month(day) - timedelta(days=1)


def pay_dates(frequency: str, month: date, *, anchor: date = date(2026, 1, 2)) -> list[date]:
    """Paydays in ``month``: weekly every Friday, biweekly every other Friday counted from
    ``anchor`` (a Friday), semimonthly the 15th and the last day, monthly the last day."""
    first = month.replace(day=1)
    last = month_end(first)
    if frequency in ("weekly", "biweekly"):
        step = 7 if frequency == "weekly" else 14
        offset = (first - anchor).days % step
        day = first + timedelta(days=(step - offset) % step)
        days = []
        while day <= last:
            days.append(day)
            day += timedelta(days=step)
        return days
    if frequency == "semimonthly":
        return [first.replace(day=15), last]
    if frequency == "monthly":
        return [last]
    raise ValueError(f"Unknown pay frequency {frequency!r}.")


def first_eligible_day(hire_date: date, waiting_days: int) -> date:
    """Coverage may start the day after the waiting period: hire date + waiting days."""
    return hire_date + timedelta(days=waiting_days)


def eligibility(
    *,
    on: date,
    hire_date: date,
    separated_on: date | None,
    hours_per_week: Decimal,
    role: str,
    min_hours: Decimal,
    waiting_days: int,
    roles: Sequence[str],
) -> Ineligible | None:
    """Why a person is not eligible on ``on`` (None: eligible). An empty ``roles`` list
    means every role."""
    if hire_date > on or (separated_on is not None and separated_on < on):
        return Ineligible.NOT_EMPLOYED
    if Decimal(hours_per_week) < Decimal(min_hours):
        return Ineligible.HOURS
    if roles and role not in roles:
        return Ineligible.ROLE
    if on < first_eligible_day(hire_date, waiting_days):
        return Ineligible.WAITING
    return None


SPOUSE_KINDS = frozenset({"spouse", "partner"})


def tier_problem(tier: str, relationships: Sequence[str]) -> str | None:
    """Whether the dependents fit the tier: employee alone; + spouse (one spouse or partner,
    no child); + children (one or more children, no spouse); family (a spouse and a child)."""
    spouses = sum(1 for r in relationships if r in SPOUSE_KINDS)
    children = sum(1 for r in relationships if r == "child")
    if spouses > 1:
        return "one_spouse"
    if tier == Tier.EMPLOYEE and (spouses or children):
        return "employee_alone"
    if tier == Tier.EMPLOYEE_SPOUSE and (spouses != 1 or children):
        return "spouse_only"
    if tier == Tier.EMPLOYEE_CHILDREN and (spouses or not children):
        return "children_only"
    if tier == Tier.FAMILY and (spouses != 1 or not children):
        return "family"
    return None
