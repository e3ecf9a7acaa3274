"""The finance formulas on cases computed by hand."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from alliance.rules import finance as f


def test_fte_counts_part_time_as_half():
    assert f.fte(["full", "full", "part"]) == D("2.5")
    assert f.fte([]) == D(0)


def test_enrollment_rate_against_staffed_capacity():
    # 9.5 FTE in 10 staffed seats = 95.0%
    assert f.enrollment_rate(D("9.5"), 10) == D("95.0")
    # 2 of 3: 66.666… rounds half-up to 66.7
    assert f.enrollment_rate(D(2), 3) == D("66.7")


def test_unknown_is_never_zero():
    assert f.enrollment_rate(D(5), 0) is None
    assert f.collection_rate(D(0), D(0)) is None
    assert f.collection_rate(None, D(100)) is None
    assert f.bad_debt_percent(D(0), None) is None
    assert f.dso(D(100), D(0), 90) is None
    assert f.per_child(D(100), D(0)) is None
    # …while a real zero stays zero
    assert f.collection_rate(D(0), D(100)) == D("0.0")


def test_collection_bad_debt_and_dso():
    assert f.collection_rate(D("2910"), D("3000")) == D("97.0")
    assert f.bad_debt_percent(D("90"), D("3000")) == D("3.0")
    # 500 open against 3,000 billed in 90 days: 500 / 3000 × 90 = 15 days
    assert f.dso(D("500"), D("3000"), 90) == D("15.0")
    # a credit balance is not negative days
    assert f.dso(D("-50"), D("3000"), 90) == D("0.0")


def test_status_rules():
    assert f.status_at_least(D(95), D(95), D(10)) == f.GREEN
    assert f.status_at_least(D("85.0"), D(95), D(10)) == f.AMBER
    assert f.status_at_least(D("84.9"), D(95), D(10)) == f.RED
    assert f.status_at_least(None, D(95), D(10)) == f.UNKNOWN
    assert f.status_at_most(D(3), D(3)) == f.GREEN
    assert f.status_at_most(D(6), D(3)) == f.AMBER
    assert f.status_at_most(D("6.1"), D(3)) == f.RED
    assert f.status_margin(D(100), D(100)) == f.GREEN
    assert f.status_margin(D(95), D(100)) == f.AMBER
    assert f.status_margin(D(94), D(100)) == f.RED
    assert f.status_margin(None, D(100)) == f.UNKNOWN


def test_risk_sorts_reds_first():
    rows = {"a": ["green", "green"], "b": ["red", "green"], "c": ["amber", "amber"]}
    assert sorted(rows, key=lambda k: f.risk_score(rows[k])) == ["b", "c", "a"]


def test_quartiles_by_hand():
    q = f.quartiles([D(5), D(1), D(3), D(2), D(4)])
    assert (q.count, q.q1, q.median, q.q3) == (5, D(2), D(3), D(4))
    # 6 values: positions 1.25, 2.5, 3.75 between ranks
    q = f.quartiles([D(10), D(20), D(30), D(40), D(50), D(60)])
    assert (q.q1, q.median, q.q3) == (D("22.5"), D("35.0"), D("47.5"))


def test_fewer_than_five_known_values_are_not_shown():
    assert f.quartiles([D(1), D(2), D(3), D(4)]) is None
    assert f.quartiles([D(1), D(2), D(3), D(4), None, None]) is None


@given(st.lists(st.decimals(min_value=0, max_value=1000, places=1), min_size=5, max_size=40))
def test_quartiles_are_ordered_and_within_range(values):
    q = f.quartiles(values)
    assert min(values) - D("0.1") <= q.q1 <= q.median <= q.q3 <= max(values) + D("0.1")


def test_size_bands():
    assert f.size_band("family_home", 8) == "home"
    assert f.size_band("center", 49) == "small"
    assert f.size_band("center", 50) == "medium"
    assert f.size_band("center", 100) == "large"


MODEL = f.CostModelInput(
    rooms=[
        f.ModelRoom("Infants", "infant", 8, D(8)),
        f.ModelRoom("Preschool", "preschool", 20, D(15), ccap_percent=D(20)),
    ],
    positions=[
        f.ModelPosition("Infant teacher", "Infants", D(2), D(20), D(40)),
        f.ModelPosition("Preschool teacher", "Preschool", D(2), D(18), D(40)),
        f.ModelPosition("Director", "", D(1), D(30), D(40)),
    ],
    weekly_tuition={"infant": D(400), "preschool": D(300)},
    weekly_ccap={"infant": D("366.67"), "preschool": D("291.57")},
    payroll_tax_percent=D(10),
    benefits_annual=D(12000),
    costs_annual={"rent": D(36000), "food": D(10000), "supplies": D(5000), "insurance": D(4000)},
    food_program_annual=D(7000),
)


def test_cost_of_care_by_hand():
    r = f.cost_of_care(MODEL)
    # wages × 52 weeks × 1.10 payroll taxes: 2×20×40 → 91,520; 2×18×40 → 82,368; 30×40 → 68,640
    assert r.personnel_annual == D("242528.00")
    assert r.non_personnel_annual == D("55000.00")
    # 242,528 + 12,000 benefits + 55,000 non-personnel
    assert r.cost_annual == D("309528.00")
    infants, preschool = r.groups
    # shared = director 68,640 + benefits 12,000 + 55,000 = 135,640; infants hold 8 of 28 seats
    assert infants.cost_annual == D("130274.29")  # 91,520 + 135,640 × 8/28
    assert preschool.cost_annual == D("179253.71")  # 82,368 + 135,640 × 20/28
    # infants: 8 × 400 × 52 + food program 7,000 × 8/28
    assert infants.revenue_annual == D("168400.00")
    # preschool: (12 × 300 + 3 × 291.57) × 52 + 7,000 × 20/28
    assert preschool.revenue_annual == D("237684.92")
    assert r.revenue_annual == D("406084.92")
    assert r.net_revenue == D("96556.92")
    assert infants.cost_per_child == D("16284.29")
    # tuition and CCAP per FTE: 399,084.92 / 23; (309,528 − 7,000) / that = 17.4 FTE
    assert r.break_even_fte == D("17.4")
    assert r.break_even_percent == D("62.1")  # 17.4 of 28 seats


def test_cost_of_care_with_no_children_has_no_per_child_figures():
    empty = f.CostModelInput(
        rooms=[f.ModelRoom("Room", "toddler", 10, D(0))],
        positions=[],
        weekly_tuition={},
        weekly_ccap={},
    )
    r = f.cost_of_care(empty)
    assert r.cost_per_child is None
    assert r.break_even_fte is None
    assert r.groups[0].revenue_per_child is None


def test_scenarios():
    raised = f.cost_of_care(f.apply_scenario(MODEL, wage_raise_percent=D(10)))
    # wages +10%: personnel 242,528 × 1.1 = 266,780.80
    assert raised.personnel_annual == D("266780.80")
    moved = f.cost_of_care(f.apply_scenario(MODEL, age_group_changes={"Preschool": "infant"}))
    # preschool room now bills infant tuition and CCAP: (12×400 + 3×366.67) × 52 + 5,000
    assert moved.groups[0].revenue_annual == D("168400.00") + D("306800.52") + D("5000.00")
    shop = f.cost_of_care(f.apply_scenario(MODEL, purchasing_savings_percent=D(20)))
    # food 10,000 and supplies 5,000 cost 20% less: 3,000 saved
    assert shop.cost_annual == D("306528.00")
