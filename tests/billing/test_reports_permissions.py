"""Who may open every page, download and API path of billing documents and reports.

Program pages: the director of the program and the alliance's hub (200); another program's
director and everyone without a role there (404); staff of the program (403). Hub roll-ups:
the hub (200), other alliance roles (403). The family's own documents: the family (200),
anyone else's account or invoice (404)."""

from __future__ import annotations

from datetime import date

import pytest
from django_scopes import scopes_disabled

from tests.billing.reports_data import Ledger
from tests.factories import FamilyFactory
from tests.permissions import LOGIN, Case, check_matrix, everyone

COVERED_API_PATHS = {
    "programs/<slug>/aging",
    "programs/<slug>/collections",
    "programs/<slug>/deposits",
    "alliances/<alliance>/billing/aging",
    "alliances/<alliance>/billing/collections",
    "alliances/<alliance>/billing/deposits",
}

# A program page of billing: director1 and the hub; staff 403; everyone else 404.
PROGRAM = everyone(404, anonymous=LOGIN, staff=403, director1=200, hub=200)
HUB = everyone(403, anonymous=LOGIN, hub=200, other_hub=403)


@pytest.fixture
def docs(world):
    """An invoice and account of world.family at program1, and another family's."""
    ledger = Ledger(world.program1, world.director1)
    with scopes_disabled():
        mine = FamilyFactory(alliance=world.alliance, account=world.family, name="Peña family")
        theirs = FamilyFactory(alliance=world.alliance, name="Smith family", language="en")
    acc, other = ledger.account(mine), ledger.account(theirs)
    inv = ledger.invoice(acc, issued=date(2025, 5, 1), family="300")
    other_inv = ledger.invoice(other, issued=date(2025, 5, 1), family="400")
    ledger.payment(acc, "100", received=date(2025, 5, 3), apply=[(inv, "100")])
    return acc, inv, other, other_inv


def test_program_report_pages(world, docs):
    acc, inv, _other, _other_inv = docs
    base = f"/p/{world.program1.slug}/billing"
    cases = [
        Case("GET", f"{base}/reports/aging/", PROGRAM),
        Case("GET", f"{base}/reports/aging/?format=csv", PROGRAM),
        Case("GET", f"{base}/reports/aging/?format=xlsx", PROGRAM),
        Case("GET", f"{base}/reports/collections/", PROGRAM),
        Case("GET", f"{base}/reports/collections/?format=csv", PROGRAM),
        Case("GET", f"{base}/reports/deposits/", PROGRAM),
        Case("GET", f"{base}/reports/deposits/?format=xlsx", PROGRAM),
        Case("GET", f"{base}/accounting/", PROGRAM),
        Case("GET", f"{base}/accounting/journal.csv", PROGRAM),
        Case("GET", f"{base}/accounting/journal.xlsx", PROGRAM),
        Case("GET", f"{base}/invoices/{inv.pk}/invoice.pdf", PROGRAM),
        Case("GET", f"{base}/accounts/{acc.pk}/statement.pdf", PROGRAM),
        Case("GET", f"{base}/accounts/{acc.pk}/tax-2025.pdf", PROGRAM),
    ]
    check_matrix(cases, world.personas())


def test_the_mapping_form_posts_only_for_the_director_and_hub(world):
    base = f"/p/{world.program1.slug}/billing/accounting/"
    # An empty post is bad input (422) for those allowed; the rest never reach the form.
    post = everyone(404, anonymous=LOGIN, staff=403, director1=422, hub=422)
    check_matrix([Case("POST", base, post, data={"tuition-code": ""})], world.personas())


def test_another_programs_documents_are_404(world, docs):
    acc, inv, _other, _other_inv = docs
    base = f"/p/{world.program2.slug}/billing"
    # program2's director asks program2's URLs for program1's rows: not found.
    expect = {"director2": 404, "director1": 404, "hub": 404}
    cases = [
        Case("GET", f"{base}/invoices/{inv.pk}/invoice.pdf", expect),
        Case("GET", f"{base}/accounts/{acc.pk}/statement.pdf", expect),
        Case("GET", f"{base}/accounts/{acc.pk}/tax-2025.pdf", expect),
    ]
    check_matrix(cases, world.personas())


def test_hub_roll_ups(world):
    base = f"/a/{world.alliance.slug}/hub/billing"
    cases = [
        Case("GET", f"{base}/aging/", HUB),
        Case("GET", f"{base}/aging/?format=csv", HUB),
        Case("GET", f"{base}/collections/", HUB),
        Case("GET", f"{base}/collections/?format=xlsx", HUB),
        Case("GET", f"{base}/deposits/", HUB),
    ]
    check_matrix(cases, world.personas())


def test_family_documents_are_their_own_only(world, docs):
    acc, inv, other, other_inv = docs
    signed_in = everyone(200, anonymous=LOGIN)
    own = everyone(404, anonymous=LOGIN, family=200)
    nobody = everyone(404, anonymous=LOGIN)
    cases = [
        Case("GET", "/me/billing/documents/", signed_in),
        Case("GET", f"/me/billing/invoices/{inv.pk}/invoice.pdf", own),
        Case("GET", f"/me/billing/accounts/{acc.pk}/statement.pdf", own),
        Case("GET", f"/me/billing/accounts/{acc.pk}/tax-2025.pdf", own),
        Case("GET", f"/me/billing/invoices/{other_inv.pk}/invoice.pdf", nobody),
        Case("GET", f"/me/billing/accounts/{other.pk}/statement.pdf", nobody),
        Case("GET", f"/me/billing/accounts/{other.pk}/tax-2025.pdf", nobody),
        Case("GET", f"/me/billing/accounts/{acc.pk}/tax-1999.pdf", nobody),
    ]
    check_matrix(cases, world.personas())


def test_api_matrix(world):
    slug, alliance = world.program1.slug, world.alliance.slug
    program = everyone(404, anonymous=401, staff=403, director1=200, hub=200)
    hub = everyone(403, anonymous=401, hub=200)
    cases = [
        Case("GET", f"/api/v1/programs/{slug}/aging", program),
        Case("GET", f"/api/v1/programs/{slug}/aging?as_of=2025-06-30", program),
        Case("GET", f"/api/v1/programs/{slug}/collections", program),
        Case("GET", f"/api/v1/programs/{slug}/deposits?start=2025-06-01&end=2025-06-30", program),
        Case("GET", f"/api/v1/alliances/{alliance}/billing/aging", hub),
        Case("GET", f"/api/v1/alliances/{alliance}/billing/collections", hub),
        Case("GET", f"/api/v1/alliances/{alliance}/billing/deposits", hub),
    ]
    check_matrix(cases, world.personas(), api=True)
