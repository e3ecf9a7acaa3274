"""The report pages, downloads, the chart-of-accounts form and the reports API: content,
bad input and bounded queries whatever the number of accounts or members."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.accounts.services import issue_api_token
from alliance.billing.models import AccountMapping
from tests.billing.reports_data import Ledger
from tests.factories import FamilyFactory, ProgramFactory

D = Decimal


@pytest.fixture
def books(world):
    """program1: 2 accounts with an overdue family part and an open agency part."""
    ledger = Ledger(world.program1, world.director1)
    today = timezone.localdate()
    with scopes_disabled():
        pena = FamilyFactory(alliance=world.alliance, account=world.family, name="Peña family")
        smith = FamilyFactory(alliance=world.alliance, name="Smith family", language="en")
    a, b = ledger.account(pena, "A00001"), ledger.account(smith, "A00002")
    inv = ledger.invoice(a, issued=today - timedelta(days=50), due=today - timedelta(days=45),
                         family="300", agency="700")  # fmt: skip
    ledger.payment(a, "100", received=today - timedelta(days=3), method="cash",
                   apply=[(inv, "100")])  # fmt: skip
    ledger.invoice(b, issued=today, due=today + timedelta(days=10), family="1200")
    return ledger, a, b


def _many(world, n: int):
    """n more accounts with an invoice and a payment each (for query bounds)."""
    ledger = Ledger(world.program1)
    today = timezone.localdate()
    for i in range(n):
        with scopes_disabled():
            fam = FamilyFactory(alliance=world.alliance, name=f"Family {i}")
        acc = ledger.account(fam)
        inv = ledger.invoice(acc, issued=today - timedelta(days=i * 9), family="100", agency="20")
        ledger.payment(acc, "10", received=today - timedelta(days=i), apply=[(inv, "10")])


def test_aging_page_shows_buckets_parts_and_chart(world, books, as_user):
    response = as_user(world.director1).get(f"/p/{world.program1.slug}/billing/reports/aging/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Peña family" in html and "Smith family" in html
    assert "<svg" in html and "Open balance by days past due" in html
    assert "$200.00" in html  # Peña's family part, 45 days past due
    assert "$700.00" in html  # the agency part
    assert "$2,100.00" in html  # open in total: 200 + 700 + 1200


def test_aging_csv_download(world, books, as_user):
    response = as_user(world.director1).get(
        f"/p/{world.program1.slug}/billing/reports/aging/?format=csv"
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    pena_family = next(r for r in rows if r[0] == "Peña family" and r[2] == "Family")
    assert pena_family[3:] == ["0.00", "0.00", "200.00", "0.00", "0.00", "200.00"]
    total_agency = next(r for r in rows if r[0] == "Total" and r[2] == "Agency")
    assert total_agency[-1] == "700.00"


def test_a_bad_date_shows_a_message_and_the_default(world, books, as_user):
    response = as_user(world.director1).get(
        f"/p/{world.program1.slug}/billing/reports/aging/?as_of=yesterday"
    )
    assert response.status_code == 200
    assert "is not a date; use YYYY-MM-DD" in response.content.decode()
    response = as_user(world.director1).get(
        f"/p/{world.program1.slug}/billing/reports/deposits/?from=2025-06-30&to=2025-06-01"
    )
    assert response.status_code == 200
    assert "the start date must be on or before the end date" in response.content.decode()


def test_collections_without_billing_say_unknown(world, as_user):
    response = as_user(world.director1).get(
        f"/p/{world.program1.slug}/billing/reports/collections/"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing billed in this period" in html
    assert "—" in html


def test_the_director_edits_the_chart_of_accounts(world, as_user):
    client = as_user(world.director1)
    url = f"/p/{world.program1.slug}/billing/accounting/"
    page = client.get(url).content.decode()
    assert 'value="4000"' in page  # the default tuition account
    with scopes_disabled():
        from alliance.billing.exports import chart_of_accounts

        chart = chart_of_accounts(world.program1)
    data = {}
    for cat, acc in chart.items():
        data.update({f"{cat}-code": acc.code, f"{cat}-name": acc.name, f"{cat}-type": acc.kind})
    data["tuition-code"] = "41000"
    data["tuition-name"] = "Tuition - Center"
    response = client.post(url, data)
    assert response.status_code == 302
    with scopes_disabled():
        row = AccountMapping.objects.get(program=world.program1, category="tuition")
        assert (row.account_code, row.account_name) == ("41000", "Tuition - Center")
        before = AccountMapping.objects.filter(program=world.program1).count()
    # Bad input: names the category and the fix; nothing saved.
    data["tuition-code"] = ""
    data["fee-name"] = "Fees changed"
    response = client.post(url, data)
    assert response.status_code == 422
    assert "Tuition income: enter an account number of 1 to 20 characters." in (
        response.content.decode()
    )
    with scopes_disabled():
        assert AccountMapping.objects.get(program=world.program1, category="fee").account_name == (
            "Registration and Fees"
        )
        assert AccountMapping.objects.filter(program=world.program1).count() == before


def test_journal_download_balances(world, books, as_user):
    today = timezone.localdate()
    response = as_user(world.director1).get(
        f"/p/{world.program1.slug}/billing/accounting/journal.csv"
        f"?from={today - timedelta(days=60)}&to={today}"
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    debits = sum(D(r["Debits"] or "0") for r in rows)
    credits = sum(D(r["Credits"] or "0") for r in rows)
    assert debits == credits == D("2300")  # invoices 1000 + 1200, payment 100
    assert (
        as_user(world.director1)
        .get(f"/p/{world.program1.slug}/billing/accounting/journal.pdf")
        .status_code
        == 404
    )


def test_family_documents_page_lists_statements_and_tax_years(world, books, as_user):
    response = as_user(world.family).get("/me/billing/documents/")
    html = response.content.decode()
    _ledger, a, _b = books
    assert response.status_code == 200
    assert f"/me/billing/accounts/{a.pk}/statement.pdf?from=" in html
    year = timezone.localdate().year
    assert f"/me/billing/accounts/{a.pk}/tax-{year}.pdf" in html
    pdf = as_user(world.family).get(f"/me/billing/accounts/{a.pk}/tax-{year}.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_report_pages_run_bounded_queries(world, books, as_user, django_assert_max_num_queries):
    client = as_user(world.director1)
    base = f"/p/{world.program1.slug}/billing"
    urls = [
        f"{base}/reports/aging/",
        f"{base}/reports/aging/?format=xlsx",
        f"{base}/reports/collections/",
        f"{base}/reports/deposits/",
        f"{base}/accounting/",
        f"{base}/accounting/journal.csv",
    ]
    counts = {}
    for url in urls:
        client.get(url)  # warm caches (session, roles)
        with django_assert_max_num_queries(30) as ctx:
            client.get(url)
        counts[url] = len(ctx.captured_queries)
    _many(world, 15)
    for url in urls:
        with django_assert_max_num_queries(counts[url]) as ctx:
            assert client.get(url).status_code == 200


def test_hub_roll_ups_run_bounded_queries(world, books, as_user, django_assert_max_num_queries):
    client = as_user(world.hub)
    base = f"/a/{world.alliance.slug}/hub/billing"
    urls = [f"{base}/aging/", f"{base}/collections/", f"{base}/deposits/?format=csv"]
    counts = {}
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(30) as ctx:
            client.get(url)
        counts[url] = len(ctx.captured_queries)
    with scopes_disabled():
        for i in range(6):
            program = ProgramFactory(alliance=world.alliance, name=f"Member {i}", slug=f"m-{i}")
            ledger = Ledger(program)
            fam = FamilyFactory(alliance=world.alliance, name=f"Member family {i}")
            acc = ledger.account(fam)
            ledger.invoice(acc, issued=timezone.localdate(), family="50")
    for url in urls:
        with django_assert_max_num_queries(counts[url]) as ctx:
            response = client.get(url)
        assert response.status_code == 200
    assert "Member 5" in client.get(f"{base}/aging/").content.decode()


def _api(user):
    from django.test import Client

    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user=user, name='t')}")


def test_api_aging_returns_money_strings_per_bucket(world, books):
    response = _api(world.director1).get(f"/api/v1/programs/{world.program1.slug}/aging")
    assert response.status_code == 200
    body = response.json()
    assert body["totals"]["family"]["d31_60"] == "200.00"
    assert body["totals"]["agency"]["d31_60"] == "700.00"
    assert body["totals"]["family"]["current"] == "1200.00"
    assert body["totals"]["total"] == "2100.00"
    assert {r["label"] for r in body["rows"]} == {"Peña family", "Smith family"}


def test_api_collections_unknown_is_null_and_bad_dates_are_422(world):
    client = _api(world.director1)
    slug = world.program1.slug
    body = client.get(f"/api/v1/programs/{slug}/collections").json()
    assert body["totals"]["collection_rate"] is None and body["dso"] is None
    bad = client.get(f"/api/v1/programs/{slug}/deposits?start=2025-07-01&end=2025-06-01")
    assert bad.status_code == 422
    assert "start" in bad.json()["fields"]
    assert client.get(f"/api/v1/programs/{slug}/aging?as_of=soon").status_code == 422


def test_api_lists_run_bounded_queries(world, books, django_assert_max_num_queries):
    client = _api(world.hub)
    urls = [
        f"/api/v1/programs/{world.program1.slug}/aging",
        f"/api/v1/programs/{world.program1.slug}/collections",
        f"/api/v1/programs/{world.program1.slug}/deposits",
        f"/api/v1/alliances/{world.alliance.slug}/billing/aging",
        f"/api/v1/alliances/{world.alliance.slug}/billing/collections",
        f"/api/v1/alliances/{world.alliance.slug}/billing/deposits",
    ]
    counts = {}
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(30) as ctx:
            client.get(url)
        counts[url] = len(ctx.captured_queries)
    _many(world, 10)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200
