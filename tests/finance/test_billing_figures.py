"""Finance shows billing's figures: collection rate, bad debt % and DSO of each program are
the ones ``alliance.billing.reports`` computes for the same program and period, and the
alliance-wide figures are cached for a short time."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django_scopes import scopes_disabled

from alliance.billing import reports
from alliance.finance import figures, sources
from alliance.members.models import Program
from tests.finance.conftest import account, invoice, payment, today, write_off

D = Decimal


def _ledger(world, peers):
    """Varied ledgers: old invoices (outside the window), credit balance, write-offs."""
    p1, p2 = world.program1, world.program2
    a1, a2 = account(p1), account(p2)
    invoice(p1, a1, "1200.00")
    invoice(p1, a1, "800.00", on=today() - timedelta(days=40))
    invoice(p1, a1, "500.00", on=today() - timedelta(days=200))  # before the window
    payment(p1, a1, "1500.00")
    payment(p1, a1, "300.00", on=today() - timedelta(days=150))
    write_off(p1, a1, "60.00")
    invoice(p2, a2, "300.00")
    payment(p2, a2, "450.00")  # paid more than billed: a credit balance, DSO 0
    write_off(peers[0], account(peers[0]), "25.00")
    return [p1, p2, world.home, *peers]


def test_finance_figures_equal_billing_reports(world, peers):
    programs = _ledger(world, peers)
    end = today()
    start = end - timedelta(days=figures.WINDOW_DAYS - 1)
    with scopes_disabled():
        found = figures.metrics(programs, end, {})
        for p in programs:
            report = reports.collections_by_program(programs=[(p.pk, p.name)], start=start, end=end)
            row = report.rows[0]
            dso = reports.days_sales_outstanding(
                program_ids=[p.pk], as_of=end, days=figures.WINDOW_DAYS
            )
            m = found[p.pk]
            assert m.collection == row.collection_rate, p.name
            assert m.bad_debt == row.bad_debt_rate, p.name
            assert m.dso == dso, p.name
    # hand-checked: program1 billed 2,000 in the window, collected 1,500, wrote off 60;
    # balance 2,500 − 1,800 − 60 = 640 over 2,000 billed × 90 days = 28.8 days.
    p1 = found[world.program1.pk]
    assert (p1.collection, p1.bad_debt, p1.dso) == (D("75.0"), D("3.0"), D("28.8"))
    assert found[world.program2.pk].dso == D("0.0")
    assert found[world.home.pk].collection is None  # never billed: unknown, not zero


def test_dso_for_many_programs_is_billings_one_program_at_a_time(world, peers):
    programs = _ledger(world, peers)
    with scopes_disabled():
        many = sources.dso_by_program(programs, today(), 90)
        for p in programs:
            one = reports.days_sales_outstanding(program_ids=[p.pk], as_of=today(), days=90)
            assert many.get(p.pk) == one, p.name


def test_dashboard_months_are_billings_months(world):
    p1 = world.program1
    a1 = account(p1)
    invoice(p1, a1, "1000.00", on=today().replace(day=1))
    payment(p1, a1, "970.00", on=today().replace(day=1))
    with scopes_disabled():
        program = Program.unscoped.get(pk=p1.pk)
        data = figures.iron_triangle(program, today())
    this_month = data["collection_months"][-1]
    assert (this_month["billed"], this_month["collected"], this_month["rate"]) == (
        D("1000.00"),
        D("970.00"),
        D("97.0"),
    )
    assert data["collection_months"][0]["rate"] is None  # nothing billed that month


def test_alliance_figures_are_cached(world, peers, django_assert_max_num_queries):
    programs = _ledger(world, peers)
    with scopes_disabled():
        first, as_of = figures.alliance_metrics(world.alliance.pk, programs, today())
        # Billing after the figures were computed shows once the cache expires.
        invoice(world.home, account(world.home), "100.00")
        with django_assert_max_num_queries(0):
            again, again_as_of = figures.alliance_metrics(world.alliance.pk, programs, today())
        assert again_as_of == as_of
        assert again[world.program1.pk].collection == first[world.program1.pk].collection
        assert again[world.home.pk].collection is None
        figures.forget_alliance_metrics(world.alliance.pk, today())
        fresh, _ = figures.alliance_metrics(world.alliance.pk, programs, today())
        assert fresh[world.home.pk].collection == D("0.0")


def test_pages_say_how_fresh_and_the_directors_own_figures_are_current(world, peers, as_user):
    hub = as_user(world.hub).get("/a/union-county/hub/finance/").content.decode()
    assert "Figures as of" in hub  # the alliance's figures are now cached
    p1 = world.program1
    acct = account(p1)
    invoice(p1, acct, "1000.00")
    payment(p1, acct, "500.00")
    director = as_user(world.director1)
    page = director.get("/p/little-learners/finance/benchmarks/").content.decode()
    assert "figures as of" in page
    with scopes_disabled():
        data = figures.benchmarks(Program.unscoped.get(pk=p1.pk), today())
    own = {r["key"]: r["value"] for r in data["rows"]}
    assert own["collection"] == D("50.0")  # billed after the cache was filled: still shown
