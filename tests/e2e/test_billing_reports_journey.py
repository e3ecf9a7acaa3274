"""The documents and reports journey in a real browser: the director opens the aging report
and downloads it as CSV; the family opens their statements and downloads last month's
statement as PDF. Every page on the way must pass axe without serious or critical findings."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from tests.billing.reports_data import Ledger
from tests.e2e.conftest import snapshot
from tests.factories import ChildFactory, FamilyFactory

pytestmark = pytest.mark.e2e


def _books(world):
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=5)
    ledger = Ledger(world.program1, world.director1)
    with scopes_disabled():
        pena = FamilyFactory(alliance=world.alliance, account=world.family, name="Peña family",
                             language="es")  # fmt: skip
        ChildFactory(family=pena, first_name="Mateo", last_name="Peña")
        smith = FamilyFactory(alliance=world.alliance, name="Smith family", language="en")
    mine, theirs = ledger.account(pena, "A00001"), ledger.account(smith, "A00002")
    inv = ledger.invoice(mine, issued=last_month, due=last_month + timedelta(days=10),
                         family="450.00", agency="300.00", number="INV-0001")  # fmt: skip
    ledger.payment(mine, "150.00", received=last_month + timedelta(days=3), apply=[(inv, "150")])
    ledger.invoice(theirs, issued=today - timedelta(days=95), due=today - timedelta(days=91),
                   family="1200.00", number="INV-0002")  # fmt: skip
    return mine


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_director_downloads_aging_and_family_downloads_statement(
    page: Page, live_server, login, assert_accessible, world
):
    account = _books(world)

    login(page, live_server, world.director1)
    page.goto(f"/p/{world.program1.slug}/billing/reports/aging/")
    expect(page.locator("h1")).to_contain_text("Aging")
    expect(page.get_by_role("row", name="Smith family")).to_contain_text("$1,200.00")
    expect(page.locator("svg.chart")).to_be_visible()
    assert_accessible(page)
    snapshot(page, "billing-aging")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    csv_text = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Smith family" in csv_text and "1200.00" in csv_text
    page.get_by_role("link", name="Collection rate").first.click()
    expect(page.locator("h1")).to_contain_text("Collection rate")
    assert_accessible(page)
    page.get_by_role("link", name="Accounting export").first.click()
    expect(page.get_by_label("Account number for Tuition income")).to_have_value("4000")
    assert_accessible(page)
    _sign_out(page)

    login(page, live_server, world.family)
    page.goto("/me/billing/")
    page.get_by_role("link", name="My statements").click()
    expect(page.locator("h1")).to_contain_text("My statements")
    assert_accessible(page)
    snapshot(page, "billing-family-documents")
    link = page.get_by_role("link", name="Statement for").first
    href = link.get_attribute("href")
    assert href.startswith(f"/me/billing/accounts/{account.pk}/statement.pdf")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    # Another family's statement is not found.
    with scopes_disabled():
        other = account.__class__.objects.exclude(pk=account.pk).first()
    assert page.request.get(f"/me/billing/accounts/{other.pk}/statement.pdf").status == 404
