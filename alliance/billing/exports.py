"""Billing exports: report tables as CSV and XLSX, and the accounting journal
(QuickBooks-importable CSV, and XLSX) with the program's chart-of-accounts mapping.

The journal has one entry per invoice, payment and credit note in the date range; every
entry balances (Σ debits = Σ credits):

* invoice — debit Accounts Receivable with the total; credit each line's income account
  (a discount line, negative, is a debit to its contra-income account);
* payment — debit the deposits account, credit Accounts Receivable (a refund or a reversal,
  negative, the other way round; refunds use the refund account);
* credit note — debit the account of its kind (credits, bad debt, waived subsidy gaps),
  credit Accounts Receivable.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from alliance.billing.models import (
    DEFAULT_MAPPING,
    AccountMapping,
    CreditKind,
    CreditNote,
    Invoice,
    InvoiceLine,
    LedgerCategory,
    Payment,
    PaymentKind,
)
from alliance.members.models import Program

ZERO = Decimal("0.00")

CREDIT_CATEGORY = {
    CreditKind.CREDIT: LedgerCategory.CREDIT,
    CreditKind.REVERSAL: LedgerCategory.CREDIT,
    CreditKind.WRITE_OFF: LedgerCategory.BAD_DEBT,
    CreditKind.WAIVER: LedgerCategory.WAIVER,
}


def safe_cell(value):
    """Spreadsheet formula-injection guard for text cells (numbers and dates pass)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def table_csv(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue()


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value.as_tuple().exponent <= -2 else str(value)
    return safe_cell(value) if isinstance(value, str) else value


def table_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(header))
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- chart of accounts --------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    code: str
    name: str
    kind: str
    class_name: str = ""

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}".strip()


def chart_of_accounts(program: Program) -> dict[str, Account]:
    """The program's mapping per ledger category, the defaults where it has none (one
    query)."""
    chart = {cat: Account(*DEFAULT_MAPPING[cat]) for cat in LedgerCategory.values}
    for row in AccountMapping.objects.filter(program=program):
        chart[row.category] = Account(
            row.account_code, row.account_name, row.account_type, row.class_name
        )
    return chart


# --- journal ------------------------------------------------------------------------------


@dataclass
class JournalLine:
    account: Account
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    description: str = ""


@dataclass
class JournalEntry:
    number: str
    day: date
    name: str
    memo: str
    lines: list[JournalLine] = field(default_factory=list)

    @property
    def debits(self) -> Decimal:
        return sum((ln.debit for ln in self.lines), ZERO)

    @property
    def credits(self) -> Decimal:
        return sum((ln.credit for ln in self.lines), ZERO)

    @property
    def balanced(self) -> bool:
        return self.debits == self.credits


def _post(entry: JournalEntry, account: Account, amount: Decimal, description: str, *, debit):
    """Add ``amount`` as a debit (``debit=True``) or credit; a negative amount flips side."""
    if not amount:
        return
    if amount < 0:
        amount, debit = -amount, not debit
    entry.lines.append(
        JournalLine(
            account=account,
            debit=amount if debit else ZERO,
            credit=ZERO if debit else amount,
            description=description,
        )
    )


def journal(*, program: Program, start: date, end: date) -> list[JournalEntry]:
    """The program's journal for ``start``–``end`` (inclusive), by date. Five queries."""
    chart = chart_of_accounts(program)
    ar = chart[LedgerCategory.RECEIVABLE]
    entries: list[JournalEntry] = []
    invoices = list(
        Invoice.objects.filter(program=program, issued_on__gte=start, issued_on__lte=end)
        .values("pk", "number", "issued_on", "total", "account__family__name", "memo")
        .order_by("issued_on", "pk")
    )
    lines: dict[int, dict[str, Decimal]] = defaultdict(dict)
    if invoices:
        for r in (
            InvoiceLine.objects.filter(invoice_id__in=[i["pk"] for i in invoices])
            .values("invoice_id", "kind")
            .annotate(s=Sum("amount"))
            .order_by("invoice_id", "kind")
        ):
            lines[r["invoice_id"]][r["kind"]] = r["s"] or ZERO
    for inv in invoices:
        entry = JournalEntry(
            number=inv["number"],
            day=inv["issued_on"],
            name=inv["account__family__name"],
            memo=_("Invoice %(n)s") % {"n": inv["number"]},
        )
        _post(entry, ar, inv["total"], entry.memo, debit=True)
        by_kind = lines[inv["pk"]]
        rest = inv["total"] - sum(by_kind.values(), ZERO)
        for kind, amount in by_kind.items():
            _post(entry, chart.get(kind, chart[LedgerCategory.CHARGE]), amount, kind, debit=False)
        # A manual invoice without lines (or lines that do not add up) books the rest as
        # other charges, so the entry always balances.
        _post(entry, chart[LedgerCategory.CHARGE], rest, LedgerCategory.CHARGE, debit=False)
        if entry.lines:
            entries.append(entry)
    for pay in (
        Payment.objects.filter(program=program, received_on__gte=start, received_on__lte=end)
        .values(
            "pk", "kind", "method", "amount", "received_on", "reference", "account__family__name"
        )  # fmt: skip
        .order_by("received_on", "pk")
    ):
        target = chart[
            LedgerCategory.REFUND if pay["kind"] == PaymentKind.REFUND else LedgerCategory.DEPOSITS
        ]
        memo = " ".join(x for x in (pay["kind"], pay["method"], pay["reference"]) if x)
        entry = JournalEntry(
            number=f"P{pay['pk']}",
            day=pay["received_on"],
            name=pay["account__family__name"],
            memo=memo,
        )
        _post(entry, target, pay["amount"], memo, debit=True)
        _post(entry, ar, pay["amount"], memo, debit=False)
        entries.append(entry)
    for cr in (
        CreditNote.objects.filter(program=program, issued_on__gte=start, issued_on__lte=end)
        .values("pk", "number", "kind", "amount", "issued_on", "reason", "account__family__name")
        .order_by("issued_on", "pk")
    ):
        memo = f"{cr['number']} {cr['reason']}"
        entry = JournalEntry(
            number=cr["number"], day=cr["issued_on"], name=cr["account__family__name"], memo=memo
        )
        _post(entry, chart[CREDIT_CATEGORY.get(cr["kind"], LedgerCategory.CREDIT)],
              cr["amount"], memo, debit=True)  # fmt: skip
        _post(entry, ar, cr["amount"], memo, debit=False)
        entries.append(entry)
    entries.sort(key=lambda e: (e.day, e.number))
    return entries


# QuickBooks Online's journal-entry import columns (lines of one entry share its number).
JOURNAL_HEADER = (
    "JournalNo",
    "JournalDate",
    "AccountName",
    "Debits",
    "Credits",
    "Description",
    "Name",
    "Class",
)


def _journal_rows(entries: Iterable[JournalEntry]):
    for e in entries:
        for ln in e.lines:
            yield [
                e.number,
                e.day.strftime("%m/%d/%Y"),
                ln.account.label,
                f"{ln.debit:.2f}" if ln.debit else "",
                f"{ln.credit:.2f}" if ln.credit else "",
                ln.description or e.memo,
                e.name,
                ln.account.class_name,
            ]


def journal_csv(entries: Iterable[JournalEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(JOURNAL_HEADER)
    for row in _journal_rows(entries):
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def journal_xlsx(entries: Iterable[JournalEntry]) -> bytes:
    rows = []
    for row in _journal_rows(entries):
        row[3] = Decimal(row[3]) if row[3] else None
        row[4] = Decimal(row[4]) if row[4] else None
        rows.append(row)
    return table_xlsx(_("Journal"), JOURNAL_HEADER, rows)


# --- report tables (shared by the CSV/XLSX downloads and the pages) -------------------------


def bucket_labels() -> dict[str, str]:
    from alliance.billing.reports import BUCKETS

    names = (_("Current"), _("1–30 days"), _("31–60 days"), _("61–90 days"), _("90+ days"))
    return dict(zip(BUCKETS, names, strict=True))


def aging_table(report, *, hub: bool = False) -> tuple[list[str], list[list]]:
    """One row per account (or member program) and part (family, agency), then totals."""
    from alliance.billing.reports import BUCKETS

    labels = bucket_labels()
    header = [_("Member") if hub else _("Family"), _("Account") if not hub else "", _("Part")]
    header += [labels[b] for b in BUCKETS] + [_("Total")]
    rows = []
    parts = ((_("Family"), "family"), (_("Agency"), "agency"))
    for r in [*report.rows, None]:
        row = r or report.totals
        for part_label, part in parts:
            values = getattr(row, part)
            rows.append(
                [_("Total") if r is None else row.label, "" if r is None else row.number,
                 part_label, *[values[b] for b in BUCKETS], sum(values.values(), ZERO)]
            )  # fmt: skip
    if hub:
        header.pop(1)
        for row in rows:
            row.pop(1)
    return header, rows


def collections_table(report, *, hub: bool = False) -> tuple[list[str], list[list]]:
    header = [
        _("Member") if hub else _("Month"),
        _("Billed"),
        _("Collected"),
        _("Collection rate (%)"),
        _("Family billed"),
        _("Family collected"),
        _("Family collection rate (%)"),
        _("Written off"),
        _("Bad debt (%)"),
    ]
    rows = []
    for r in [*report.rows, None]:
        f = r or report.totals
        label = _("Total") if r is None else (f.label if hub else f.key.strftime("%Y-%m"))
        rows.append(
            [label, f.billed, f.collected, f.collection_rate, f.family_billed,
             f.family_collected, f.family_collection_rate, f.written_off, f.bad_debt_rate]
        )  # fmt: skip
    return header, rows


def deposits_table(report, *, hub: bool = False) -> tuple[list[str], list[list]]:
    from alliance.billing.models import PaymentMethod

    names = dict(PaymentMethod.choices)
    header = [_("Member") if hub else _("Date"), _("Payments")]
    header += [str(names.get(m, m)) for m in report.methods] + [_("Total")]
    rows = []
    for r in [*report.rows, None]:
        d = r or report.totals
        label = _("Total") if r is None else (d.label if hub else d.key)
        rows.append([label, d.count, *[d.method(m) for m in report.methods], d.total])
    return header, rows
