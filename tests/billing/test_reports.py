"""Billing reports on hand-computed ledgers: aging buckets at every boundary, collection
rate and bad debt, DSO, deposits by day, the hub roll-up, statements and tax years."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.billing import reports
from alliance.billing.queries import account_balances
from alliance.billing.reports import BUCKETS, bucket_for
from tests.billing.reports_data import Ledger
from tests.factories import ChildFactory, FamilyFactory

D = Decimal
AS_OF = date(2025, 6, 30)


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-5, "current"),
        (0, "current"),
        (1, "d1_30"),
        (30, "d1_30"),
        (31, "d31_60"),
        (60, "d31_60"),
        (61, "d61_90"),
        (90, "d61_90"),
        (91, "d90_plus"),
        (400, "d90_plus"),
    ],
)
def test_bucket_boundaries(days, bucket):
    assert bucket_for(days) == bucket


@pytest.fixture
def ledger(world):
    return Ledger(world.program1, world.director1)


@pytest.fixture
def family(world):
    with scopes_disabled():
        return FamilyFactory(alliance=world.alliance, account=world.family, name="Peña family")


def test_aging_puts_each_invoice_in_its_bucket_by_days_past_due(ledger, family):
    acc = ledger.account(family)
    expected = {b: D("0") for b in BUCKETS}
    for days, amount in [(0, 10), (1, 11), (30, 12), (31, 13), (60, 14), (61, 15), (90, 16),
                         (91, 17)]:  # fmt: skip
        due = AS_OF - timedelta(days=days)
        ledger.invoice(acc, issued=due - timedelta(days=10), due=due, family=D(amount))
        expected[bucket_for(days)] += D(amount)
    # Not yet issued on the as-of date: not on the report.
    ledger.invoice(acc, issued=AS_OF + timedelta(days=1), family="999")
    with scopes_disabled():
        report = reports.aging(program_ids=[ledger.program.pk], as_of=AS_OF)
    assert [r.key for r in report.rows] == [acc.pk]
    assert report.rows[0].family == {
        "current": D("10"),
        "d1_30": D("23"),
        "d31_60": D("27"),
        "d61_90": D("31"),
        "d90_plus": D("17"),
    }
    assert report.rows[0].family == expected
    assert report.totals.agency_total == 0
    assert report.totals.total == D("108")


def test_aging_separates_family_and_agency_and_applies_payments_as_of(ledger, family):
    acc = ledger.account(family)
    inv = ledger.invoice(acc, issued=date(2025, 5, 1), due=date(2025, 5, 10), family="200",
                         agency="800")  # fmt: skip
    ledger.payment(acc, "150", received=date(2025, 6, 1), apply=[(inv, "150")])
    ledger.payment(acc, "800", received=date(2025, 6, 20), payer_kind="agency",
                   method="agency", apply=[(inv, "800")])  # fmt: skip
    ledger.payment(acc, "50", received=date(2025, 7, 5), apply=[(inv, "50")])  # after as-of
    with scopes_disabled():
        on_june_10 = reports.aging(program_ids=[ledger.program.pk], as_of=date(2025, 6, 10))
        on_june_30 = reports.aging(program_ids=[ledger.program.pk], as_of=AS_OF)
        on_july_31 = reports.aging(program_ids=[ledger.program.pk], as_of=date(2025, 7, 31))
    # June 10 is 31 days past May 10: family 50 open, agency 800 open.
    assert on_june_10.totals.family["d31_60"] == D("50")
    assert on_june_10.totals.agency["d31_60"] == D("800")
    assert on_june_30.totals.family["d31_60"] == D("50")
    assert on_june_30.totals.agency_total == 0
    assert on_july_31.rows == []
    assert on_july_31.is_empty


def test_aging_of_a_program_without_billing_is_empty(world):
    with scopes_disabled():
        report = reports.aging(program_ids=[world.program1.pk], as_of=AS_OF)
    assert report.rows == [] and report.totals.total == 0


amounts = st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    invoices=st.lists(
        st.tuples(st.integers(-20, 200), amounts, amounts, st.integers(0, 100)),
        min_size=1,
        max_size=8,
    )
)
def test_bucket_totals_equal_the_open_balance(world, family, invoices):
    """Whatever the invoices and partial payments, Σ buckets = Σ open amounts = the
    account's ledger balance (every payment here is fully applied)."""
    ledger = Ledger(world.program1)
    with scopes_disabled():
        fam = FamilyFactory(alliance=world.alliance, name="Hypothesis family")
    acc = ledger.account(fam)
    open_total = D("0")
    for days, fam_amount, agency_amount, paid_pct in invoices:
        due = AS_OF - timedelta(days=days)
        inv = ledger.invoice(acc, issued=min(due, AS_OF), due=due, family=fam_amount,
                             agency=agency_amount)  # fmt: skip
        paid = (fam_amount * paid_pct / 100).quantize(D("0.01"))
        if paid:
            ledger.payment(acc, paid, received=AS_OF, apply=[(inv, paid)])
        open_total += fam_amount - paid + agency_amount
    with scopes_disabled():
        report = reports.aging(program_ids=[world.program1.pk], as_of=AS_OF)
        balance = account_balances([acc.pk])[acc.pk]
    row = next(r for r in report.rows if r.key == acc.pk)
    assert sum(row.family.values()) + sum(row.agency.values()) == row.total == open_total
    assert row.total == balance.total
    assert row.family_total == balance.family


def test_collection_rate_and_bad_debt_per_month(ledger, family):
    acc = ledger.account(family)
    march = ledger.invoice(acc, issued=date(2025, 3, 1), family="1000")
    ledger.invoice(acc, issued=date(2025, 3, 15), family="200", agency="800")
    april = ledger.invoice(acc, issued=date(2025, 4, 1), family="500")
    ledger.payment(acc, "900", received=date(2025, 3, 20), apply=[(march, "900")])
    ledger.payment(acc, "800", received=date(2025, 3, 28), payer_kind="agency", method="agency")
    ledger.payment(acc, "-100", received=date(2025, 3, 30), kind="refund")
    ledger.payment(acc, "250", received=date(2025, 4, 10), apply=[(april, "250")])
    ledger.credit(acc, "100", issued=date(2025, 4, 30), kind="write_off", invoice=march)
    with scopes_disabled():
        report = reports.collections_by_month(
            program_ids=[ledger.program.pk], start=date(2025, 2, 1), end=date(2025, 4, 30)
        )
    feb, mar, apr = report.rows
    assert feb.billed == 0 and feb.collection_rate is None and feb.bad_debt_rate is None
    # March: billed 2000 (family 1200); collected 900 + 800 − 100 = 1600 (family 800).
    assert (mar.billed, mar.collected) == (D("2000"), D("1600"))
    assert mar.collection_rate == D("80.0")
    assert mar.family_collection_rate == D("66.7")
    assert mar.bad_debt_rate == D("0.0")
    # April: billed 500, collected 250, written off 100.
    assert (apr.collection_rate, apr.bad_debt_rate) == (D("50.0"), D("20.0"))
    assert report.totals.billed == D("2500")
    assert report.totals.collection_rate == D("74.0")  # 1850 / 2500
    assert report.totals.bad_debt_rate == D("4.0")


def test_no_billing_means_unknown_not_zero(world):
    with scopes_disabled():
        report = reports.collections_by_month(
            program_ids=[world.program1.pk], start=date(2025, 1, 1), end=date(2025, 3, 31)
        )
        dso = reports.days_sales_outstanding(program_ids=[world.program1.pk], as_of=AS_OF)
    assert not report.has_billing
    assert len(report.rows) == 3
    assert all(r.collection_rate is None and r.bad_debt_rate is None for r in report.rows)
    assert report.totals.collection_rate is None
    assert report.dso is None and dso is None


def test_dso_is_receivable_over_billed_times_days(ledger, family):
    acc = ledger.account(family)
    ledger.invoice(acc, issued=date(2025, 6, 1), family="900")  # in the 90-day window
    ledger.invoice(acc, issued=date(2025, 1, 1), family="300")  # before it
    ledger.payment(acc, "600", received=date(2025, 6, 15))
    with scopes_disabled():
        dso = reports.days_sales_outstanding(program_ids=[ledger.program.pk], as_of=AS_OF)
    # receivable 1200 − 600 = 600; billed in the window 900; 600 / 900 × 90 = 60.0
    assert dso == D("60.0")


def test_deposits_by_day_group_by_date_and_method(ledger, family):
    acc = ledger.account(family)
    ledger.payment(acc, "100", received=date(2025, 6, 2), method="cash")
    ledger.payment(acc, "50", received=date(2025, 6, 2), method="cash")
    ledger.payment(acc, "200", received=date(2025, 6, 2), method="check")
    ledger.payment(acc, "-30", received=date(2025, 6, 3), method="check", kind="refund")
    ledger.payment(acc, "999", received=date(2025, 7, 1), method="cash")  # outside
    with scopes_disabled():
        report = reports.deposits_by_day(
            program_ids=[ledger.program.pk], start=date(2025, 6, 1), end=date(2025, 6, 30)
        )
    assert report.methods == ["cash", "check"]
    day2, day3 = report.rows
    assert (day2.key, day2.count, day2.method("cash"), day2.method("check")) == (
        date(2025, 6, 2), 3, D("150"), D("200"))  # fmt: skip
    assert (day3.key, day3.total) == (date(2025, 6, 3), D("-30"))
    assert report.totals.total == D("320") and report.totals.count == 4


def test_hub_roll_up_has_a_row_per_member_and_totals(world, family):
    one, two = Ledger(world.program1), Ledger(world.program2)
    with scopes_disabled():
        other = FamilyFactory(alliance=world.alliance, name="Jones family")
    a1, a2 = one.account(family), two.account(other)
    one.invoice(a1, issued=date(2025, 6, 1), due=date(2025, 6, 1), family="100")
    two.invoice(a2, issued=date(2025, 5, 1), due=date(2025, 5, 1), agency="400")
    two.payment(a2, "40", received=date(2025, 6, 5), method="ach")
    members = [(world.home.pk, world.home.name), (world.program1.pk, "Little Learners"),
               (world.program2.pk, "Sunshine")]  # fmt: skip
    with scopes_disabled():
        aging = reports.aging_by_program(programs=members, as_of=AS_OF)
        coll = reports.collections_by_program(
            programs=members, start=date(2025, 5, 1), end=date(2025, 6, 30)
        )
        deps = reports.deposits_by_program(
            programs=members, start=date(2025, 6, 1), end=date(2025, 6, 30)
        )
    assert [r.label for r in aging.rows] == [world.home.name, "Little Learners", "Sunshine"]
    assert [r.total for r in aging.rows] == [0, D("100"), D("400")]
    assert aging.totals.family["d1_30"] == D("100")
    assert aging.totals.agency["d31_60"] == D("400")
    assert [r.billed for r in coll.rows] == [0, D("100"), D("400")]
    assert coll.rows[0].collection_rate is None
    assert coll.rows[2].collection_rate == D("10.0")
    assert [d.total for d in deps.rows] == [0, 0, D("40")]


def test_statement_has_opening_entries_running_balance_and_closing(ledger, family):
    acc = ledger.account(family)
    ledger.invoice(acc, issued=date(2025, 4, 1), family="500")  # before: opening
    ledger.payment(acc, "200", received=date(2025, 4, 20))
    may = ledger.invoice(acc, issued=date(2025, 5, 1), family="600", agency="400")
    ledger.payment(acc, "300", received=date(2025, 5, 12), reference="chk 1001")
    ledger.credit(acc, "50", issued=date(2025, 5, 20), invoice=may)
    ledger.payment(acc, "400", received=date(2025, 5, 25), payer_kind="agency", method="agency")
    with scopes_disabled():
        st_ = reports.statement(account=acc, start=date(2025, 5, 1), end=date(2025, 5, 31))
    assert st_.opening == D("300")
    assert [(e.kind, e.charge, e.credit, e.balance) for e in st_.entries] == [
        ("invoice", D("600"), 0, D("900")),
        ("payment", 0, D("300"), D("600")),
        ("credit", 0, D("50"), D("550")),
    ]
    assert st_.closing == D("550")
    assert (st_.invoiced, st_.paid, st_.credited) == (D("600"), D("300"), D("50"))


def test_tax_year_counts_family_payments_of_the_year_per_child(ledger, family):
    acc = ledger.account(family)
    with scopes_disabled():
        mateo = ChildFactory(family=family, first_name="Mateo", last_name="Peña")
        sofia = ChildFactory(family=family, first_name="Sofía", last_name="Peña")
    inv = ledger.invoice(
        acc,
        issued=date(2024, 12, 1),
        family="900",
        agency="300",
        lines=[
            ("tuition", "family", "600", mateo),
            ("tuition", "family", "300", sofia),
            ("subsidy", "agency", "300", sofia),
        ],  # fmt: skip
    )
    ledger.payment(acc, "450", received=date(2024, 12, 28), apply=[(inv, "450")])  # 2024
    ledger.payment(acc, "450", received=date(2025, 1, 5), apply=[(inv, "450")])
    ledger.payment(acc, "300", received=date(2025, 2, 1), payer_kind="agency", method="agency",
                   apply=[(inv, "300")])  # fmt: skip
    ledger.payment(acc, "100", received=date(2025, 3, 1))  # unapplied
    ledger.payment(acc, "-20", received=date(2025, 4, 1), kind="refund")
    with scopes_disabled():
        year = reports.tax_year(account=acc, year=2025)
        years = reports.tax_years(account_ids=[acc.pk])
    assert year.paid == D("530")  # 450 + 100 − 20; the agency's 300 is not the family's
    assert [(name, amount) for _pk, name, amount in year.by_child] == [
        ("Mateo Peña", D("300.00")),
        ("Sofía Peña", D("150.00")),
    ]
    assert year.unassigned == D("80")
    assert years == {acc.pk: [2025, 2024]}


def test_reports_run_a_fixed_number_of_queries(world, family, django_assert_max_num_queries):
    ledger = Ledger(world.program1)
    for i in range(12):
        with scopes_disabled():
            fam = FamilyFactory(alliance=world.alliance, name=f"Family {i}")
        acc = ledger.account(fam)
        inv = ledger.invoice(acc, issued=date(2025, 5, 1), family="100", agency="50")
        ledger.payment(acc, "30", received=date(2025, 5, 5 + i % 3), apply=[(inv, "30")])
    ids = [world.program1.pk]
    with scopes_disabled():
        with django_assert_max_num_queries(1):
            reports.aging(program_ids=ids, as_of=AS_OF)
        with django_assert_max_num_queries(7):
            reports.collections_by_month(program_ids=ids, start=date(2025, 1, 1), end=AS_OF)
        with django_assert_max_num_queries(1):
            reports.deposits_by_day(program_ids=ids, start=date(2025, 1, 1), end=AS_OF)
