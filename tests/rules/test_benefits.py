"""Benefits arithmetic to the cent: splits, paychecks, match, vesting, eligibility, tiers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.rules import benefits as rules
from alliance.rules.benefits import ContributionKind, Ineligible, Tier

D = Decimal


def split(premium, kind, value, cap=None, employee_only=None):
    return rules.split_premium(
        premium=D(premium),
        employee_only_premium=D(employee_only if employee_only is not None else premium),
        kind=kind,
        value=D(value),
        cap=None if cap is None else D(cap),
    )


@pytest.mark.parametrize(
    ("premium", "employee_only", "kind", "value", "cap", "employer"),
    [
        ("500.00", "500.00", "fixed", "400", None, "400.00"),
        ("300.00", "300.00", "fixed", "400", None, "300.00"),  # never more than the premium
        ("1500.00", "500.00", "percent_employee", "80", None, "400.00"),
        ("1500.00", "500.00", "percent_tier", "50", None, "750.00"),
        ("1500.00", "500.00", "percent_tier", "50", "700", "700.00"),  # the cap
        ("612.40", "612.40", "percent_tier", "33.33", None, "204.11"),  # 204.1129 → 204.11
        ("10.01", "10.01", "percent_tier", "50", None, "5.01"),  # 5.005 → 5.01 (half-up)
        ("500.00", "500.00", "percent_tier", "0", None, "0.00"),
        ("500.00", "500.00", "percent_tier", "100", None, "500.00"),
    ],
)
def test_split_by_hand(premium, employee_only, kind, value, cap, employer):
    s = split(premium, kind, value, cap, employee_only)
    assert s.employer == D(employer)
    assert s.employee == D(premium) - D(employer)
    assert s.employer + s.employee == s.premium


money = st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False)
percent = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@given(
    rates=st.tuples(money, money, money, money),
    tier=st.sampled_from(list(Tier)),
    kind=st.sampled_from(list(ContributionKind)),
    value=st.one_of(percent, money),
    cap=st.one_of(st.none(), money),
)
def test_shares_always_add_up_to_the_premium(rates, tier, kind, value, cap):
    by_tier = dict(zip(Tier, rates, strict=True))
    if kind != ContributionKind.FIXED:
        value = min(value, D(100))
    s = rules.split_premium(
        premium=by_tier[tier], employee_only_premium=by_tier[Tier.EMPLOYEE],
        kind=kind, value=value, cap=cap,
    )  # fmt: skip
    assert s.employer + s.employee == s.premium == by_tier[tier]
    assert D(0) <= s.employer <= s.premium
    assert s.employer == s.employer.quantize(D("0.01"))
    if cap is not None:
        assert s.employer <= cap


def test_contribution_checks():
    assert rules.check_contribution("percent_tier", D("101"), None) == {
        "contribution_value": "over_100"
    }
    assert rules.check_contribution("fixed", D("-1"), None) == {"contribution_value": "negative"}
    assert rules.check_contribution("fixed", D("1500"), D("-5")) == {"contribution_cap": "negative"}
    assert rules.check_contribution("fixed", D("1500"), None) == {}


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [("weekly", "23.08"), ("biweekly", "46.15"), ("semimonthly", "50.00"), ("monthly", "100.00")],
)
def test_per_paycheck(frequency, expected):
    assert rules.per_paycheck(D("100.00"), frequency) == D(expected)


def test_unknown_frequency():
    with pytest.raises(ValueError, match="pay frequency"):
        rules.pay_periods("daily")


def test_gross_per_paycheck():
    # 18.50 × 40 × 52 / 26 = 1480.00
    assert rules.gross_per_paycheck(wage=D("18.50"), hours_per_week=D("40"),
                                    frequency="biweekly") == D("1480.00")  # fmt: skip


FORMULA = [[3, 100], [5, 50]]  # 100% of the first 3% + 50% of the next 2%


@pytest.mark.parametrize(
    ("deferral", "match"),
    [("0", "0"), ("2", "2"), ("3", "3"), ("4", "3.5"), ("5", "4"), ("10", "4")],
)
def test_match_percent(deferral, match):
    assert rules.match_percent(D(deferral), FORMULA) == D(match)


def test_retirement_contribution_by_hand():
    c = rules.retirement_contribution(gross=D("1480.00"), deferral_percent=D("5"), formula=FORMULA)
    assert (c.deferral, c.match) == (D("74.00"), D("59.20"))
    c = rules.retirement_contribution(gross=D("1333.33"), deferral_percent=D("4"), formula=FORMULA)
    assert (c.deferral, c.match) == (D("53.33"), D("46.67"))  # 53.3332, 46.66655


def test_bad_match_formula():
    with pytest.raises(ValueError):
        rules.match_steps([[5, 100], [3, 50]])


@given(gross=money, deferral=percent)
def test_match_never_exceeds_the_formula_top(gross, deferral):
    c = rules.retirement_contribution(gross=gross, deferral_percent=deferral, formula=FORMULA)
    assert c.match <= rules.cents(gross * D("0.04")) + D("0.01")
    assert c.deferral == rules.cents(gross * deferral / 100)


def test_vesting():
    schedule = [[0, 0], [2, 50], [4, 100]]
    assert rules.vested_percent(D("1.9"), schedule) == 0
    assert rules.vested_percent(D("2"), schedule) == 50
    assert rules.vested_percent(D("9"), schedule) == 100
    assert rules.vested_percent(D("0"), []) == 100


HIRED = date(2026, 1, 5)


def eligible(on, hours="30", role="group_teacher", roles=(), separated=None):
    return rules.eligibility(
        on=on, hire_date=HIRED, separated_on=separated, hours_per_week=D(hours), role=role,
        min_hours=D("30"), waiting_days=60, roles=list(roles),
    )  # fmt: skip


def test_waiting_period_boundary():
    assert rules.first_eligible_day(HIRED, 60) == date(2026, 3, 6)
    assert eligible(date(2026, 3, 5)) == Ineligible.WAITING
    assert eligible(date(2026, 3, 6)) is None


def test_hours_role_and_employment():
    assert eligible(date(2026, 6, 1), hours="29.5") == Ineligible.HOURS
    assert eligible(date(2026, 6, 1), role="cook", roles=["group_teacher"]) == Ineligible.ROLE
    assert eligible(date(2026, 6, 1), separated=date(2026, 5, 31)) == Ineligible.NOT_EMPLOYED
    assert eligible(date(2026, 1, 1)) == Ineligible.NOT_EMPLOYED


@pytest.mark.parametrize(
    ("tier", "relationships", "problem"),
    [
        ("employee", [], None),
        ("employee", ["child"], "employee_alone"),
        ("employee_spouse", ["spouse"], None),
        ("employee_spouse", ["partner", "child"], "spouse_only"),
        ("employee_children", ["child", "child"], None),
        ("employee_children", [], "children_only"),
        ("family", ["spouse", "child"], None),
        ("family", ["spouse"], "family"),
        ("family", ["spouse", "partner", "child"], "one_spouse"),
    ],
)
def test_tier_dependents(tier, relationships, problem):
    assert rules.tier_problem(tier, relationships) == problem


def test_pay_dates():
    november = date(2026, 11, 1)
    assert rules.pay_dates("monthly", november) == [date(2026, 11, 30)]
    assert rules.pay_dates("semimonthly", november) == [date(2026, 11, 15), date(2026, 11, 30)]
    assert rules.pay_dates("weekly", november) == [date(2026, 11, d) for d in (6, 13, 20, 27)]
    # every other Friday from Friday 2026-01-02
    assert rules.pay_dates("biweekly", november) == [date(2026, 11, 6), date(2026, 11, 20)]


def test_life_event_days_are_data():
    assert rules.life_event_days("marriage") == 30
    assert rules.life_event_days("birth_adoption") == 60
    with pytest.raises(ValueError):
        rules.life_event_days("lottery")
