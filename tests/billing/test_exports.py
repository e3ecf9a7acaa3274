"""The accounting journal (every entry balances; QuickBooks columns; the program's chart of
accounts) and the CSV/XLSX tables of the reports."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from alliance.billing import exports, reports, services
from alliance.billing.models import DEFAULT_MAPPING
from tests.billing.reports_data import Ledger
from tests.factories import ChildFactory, FamilyFactory

D = Decimal


@pytest.fixture
def books(world):
    program = world.program1
    ledger = Ledger(program, world.director1)
    with scopes_disabled():
        fam = FamilyFactory(alliance=world.alliance, name="=HYPERLINK family")
        kid = ChildFactory(family=fam)
    acc = ledger.account(fam)
    inv = ledger.invoice(
        acc,
        issued=date(2025, 5, 1),
        family="1030.00",
        agency="600.00",
        lines=[
            ("tuition", "family", "1000.00", kid),
            ("discount", "family", "-100.00", kid),
            ("fee", "family", "50.00", None),
            ("copay", "family", "80.00", kid),
            ("subsidy", "agency", "600.00", kid),
        ],  # fmt: skip
    )
    ledger.invoice(acc, issued=date(2025, 5, 2), family="75.00", lines=[])  # manual, no lines
    ledger.payment(acc, "500.00", received=date(2025, 5, 5), method="ach", apply=[(inv, "500")])
    ledger.payment(acc, "-25.00", received=date(2025, 5, 6), kind="refund")
    ledger.payment(acc, "600.00", received=date(2025, 5, 20), method="agency",
                   payer_kind="agency", apply=[(inv, "600")])  # fmt: skip
    ledger.credit(acc, "30.00", issued=date(2025, 5, 21), kind="write_off", invoice=inv)
    ledger.credit(acc, "20.00", issued=date(2025, 5, 22), kind="waiver", invoice=inv)
    ledger.invoice(acc, issued=date(2025, 7, 1), family="10")  # outside the range
    return program, acc


def test_every_journal_entry_balances(world, books):
    program, _acc = books
    with scopes_disabled():
        entries = exports.journal(program=program, start=date(2025, 5, 1), end=date(2025, 5, 31))
    assert len(entries) == 7  # 2 invoices, 3 payments, 2 credit notes
    for entry in entries:
        assert entry.balanced, entry
        assert entry.debits > 0
    invoice = entries[0]
    lines = {(ln.account.code, ln.debit, ln.credit) for ln in invoice.lines}
    assert lines == {
        ("1200", D("1630.00"), 0),  # receivable: the whole invoice
        ("4000", 0, D("1000.00")),
        ("4900", D("100.00"), 0),  # the discount is a debit to contra-income
        ("4200", 0, D("50.00")),
        ("4110", 0, D("80.00")),
        ("4100", 0, D("600.00")),
    }
    manual = entries[1]
    assert {(ln.account.code, ln.debit, ln.credit) for ln in manual.lines} == {
        ("1200", D("75.00"), 0),
        ("4300", 0, D("75.00")),
    }
    refund = next(e for e in entries if "refund" in e.memo)
    assert {(ln.account.code, ln.debit, ln.credit) for ln in refund.lines} == {
        ("1200", D("25.00"), 0),
        ("1010", 0, D("25.00")),
    }
    write_off = next(e for e in entries if e.memo.endswith("goodwill") and e.debits == D("30"))
    assert {ln.account.code for ln in write_off.lines} == {"6500", "1200"}


def test_journal_csv_is_quickbooks_shaped_and_balances_per_journal_number(world, books):
    program, _acc = books
    with scopes_disabled():
        body = exports.journal_csv(
            exports.journal(program=program, start=date(2025, 5, 1), end=date(2025, 5, 31))
        )
    rows = list(csv.DictReader(io.StringIO(body)))
    assert list(rows[0]) == list(exports.JOURNAL_HEADER)
    assert rows[0]["JournalDate"] == "05/01/2025"
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [D(0), D(0)])
    for row in rows:
        totals[row["JournalNo"]][0] += D(row["Debits"] or "0")
        totals[row["JournalNo"]][1] += D(row["Credits"] or "0")
        assert not row["Name"].startswith("=")  # formula injection guarded
    assert len(totals) == 7
    assert all(debit == credit for debit, credit in totals.values())


def test_journal_uses_the_programs_chart_of_accounts(world, books):
    program, _acc = books
    mapping = dict(DEFAULT_MAPPING)
    mapping["tuition"] = ("41000", "Tuition - Toddlers", "income")
    with scopes_disabled():
        services.set_account_mapping(acting_user=world.director1, program=program,
                                     mapping=mapping)  # fmt: skip
        entries = exports.journal(program=program, start=date(2025, 5, 1), end=date(2025, 5, 1))
        xlsx = exports.journal_xlsx(entries)
    assert "41000 Tuition - Toddlers" in {ln.account.label for ln in entries[0].lines}
    sheet = load_workbook(io.BytesIO(xlsx)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == exports.JOURNAL_HEADER
    assert "41000 Tuition - Toddlers" in {row[2] for row in values[1:]}
    assert sum(row[3] or 0 for row in values[1:]) == sum(row[4] or 0 for row in values[1:])


def test_report_tables_export_to_csv_and_xlsx(world, books):
    program, acc = books
    with scopes_disabled():
        aging = reports.aging(program_ids=[program.pk], as_of=date(2025, 6, 30))
    header, rows = exports.aging_table(aging)
    body = exports.table_csv(header, rows)
    parsed = list(csv.reader(io.StringIO(body)))
    assert parsed[0][:3] == ["Family", "Account", "Part"]
    assert parsed[1][0] == "'=HYPERLINK family"  # guarded
    assert parsed[-1][0] == "Total"
    book = load_workbook(io.BytesIO(exports.table_xlsx("Aging", header, rows)))
    assert book.active.max_row == len(rows) + 1
