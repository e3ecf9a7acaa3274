"""Billing documents as PDF (fpdf2): an invoice, a period statement and the year-end tax
statement, in the family's language (English or Spanish), with the program's branding from
``BillingSettings`` (name, address, tax ID, remit-to, brand colour, logo, message).

DejaVu Sans is embedded when installed (as for training certificates), so "Peña" and the
Spanish labels print; otherwise Helvetica with Latin-1 replacement.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from alliance.billing import reports
from alliance.billing.models import (
    BillingSettings,
    FamilyAccount,
    Invoice,
    PayerKind,
    PaymentMethod,
)
from alliance.billing.queries import cents
from alliance.core.money import format_money
from alliance.members.models import Program
from alliance.training.certificates import _fonts, _text

LANGUAGES = ("en", "es")


def language_of(account: FamilyAccount, requested: str | None = None) -> str:
    """The document's language: the one asked for if supported, else the family's."""
    for lang in (requested, account.family.language):
        if lang and lang[:2] in LANGUAGES:
            return lang[:2]
    return "en"


@dataclass
class Branding:
    name: str
    address: str
    tax_id: str
    remit_to: str
    color: tuple[int, int, int]
    logo_path: str | None
    message: str


def branding(program: Program) -> Branding:
    """Read-only: a program without saved settings gets the defaults (nothing is written)."""
    settings = BillingSettings.objects.filter(program=program).first() or BillingSettings(
        program=program
    )
    address = ", ".join(
        x for x in (program.address, f"{program.town} {program.zip_code}".strip()) if x
    )
    logo = None
    if settings.logo:
        try:
            logo = settings.logo.path
        except (NotImplementedError, ValueError):  # remote storage or no file
            logo = None
    return Branding(
        name=settings.statement_name or program.name,
        address=address,
        tax_id=settings.tax_id or program.tax_id,
        remit_to=settings.remit_to,
        color=_rgb(settings.brand_color),
        logo_path=logo,
        message=settings.statement_message,
    )


def _rgb(hex_color: str) -> tuple[int, int, int]:
    value = (hex_color or "").lstrip("#")
    try:
        return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
    except (ValueError, IndexError):
        return (31, 95, 139)


def _day(value: date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "—"


class _Doc:
    """A letter-size page with the program's header; small helpers for rows and tables."""

    def __init__(self, brand: Branding, title: str, *, compress: bool = True):
        self.brand = brand
        self.pdf = FPDF(orientation="P", unit="mm", format="Letter")
        self.pdf.set_compression(compress)
        self.pdf.set_title(title)
        self.pdf.set_author(brand.name)
        self.pdf.add_page()
        self.font = _fonts(self.pdf)
        self._header(title)

    def t(self, value) -> str:
        return _text(str(value), self.font)

    def _header(self, title: str) -> None:
        pdf, brand = self.pdf, self.brand
        pdf.set_fill_color(*brand.color)
        pdf.rect(0, 0, pdf.w, 6, style="F")
        top = 12
        if brand.logo_path:
            # A missing or broken logo file must not break the document.
            with contextlib.suppress(Exception):
                pdf.image(brand.logo_path, x=pdf.w - pdf.r_margin - 30, y=top, w=30)
        pdf.set_y(top)
        pdf.set_text_color(*brand.color)
        pdf.set_font(self.font, "B", 16)
        pdf.cell(0, 8, self.t(brand.name), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(self.font, "", 9)
        if brand.address:
            pdf.cell(0, 5, self.t(brand.address), new_x="LMARGIN", new_y="NEXT")
        if brand.tax_id:
            pdf.cell(0, 5, self.t(_("Tax ID: %(id)s") % {"id": brand.tax_id}),
                     new_x="LMARGIN", new_y="NEXT")  # fmt: skip
        pdf.ln(4)
        pdf.set_font(self.font, "B", 14)
        pdf.cell(0, 8, self.t(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(self.font, "", 10)

    def facts(self, pairs: list[tuple[str, str]]) -> None:
        for label, value in pairs:
            self.pdf.set_font(self.font, "B", 10)
            self.pdf.cell(45, 6, self.t(label))
            self.pdf.set_font(self.font, "", 10)
            self.pdf.cell(0, 6, self.t(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(3)

    def table(self, header: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
        pdf = self.pdf
        pdf.set_font(self.font, "", 9)
        n = len(header)
        align = ("LEFT",) * (n - 1) + ("RIGHT",)
        with pdf.table(col_widths=widths, text_align=align, line_height=5.5) as table:
            head = table.row()
            for title in header:
                head.cell(self.t(title))
            for row in rows:
                cells = table.row()
                for value in row:
                    cells.cell(self.t(value))
        pdf.ln(3)

    def totals(self, pairs: list[tuple[str, Decimal]], *, bold_last: bool = True) -> None:
        pdf = self.pdf
        for i, (label, value) in enumerate(pairs):
            last = bold_last and i == len(pairs) - 1
            pdf.set_font(self.font, "B" if last else "", 11 if last else 10)
            pdf.cell(0, 6.5, self.t(f"{label}: {format_money(value)}"), align="R",
                     new_x="LMARGIN", new_y="NEXT")  # fmt: skip
        pdf.ln(3)

    def paragraph(self, heading: str, text: str) -> None:
        if not text:
            return
        pdf = self.pdf
        pdf.set_font(self.font, "B", 10)
        pdf.cell(0, 6, self.t(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(self.font, "", 10)
        pdf.multi_cell(0, 5, self.t(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def footer(self) -> None:
        self.paragraph(_("Please send payments to"), self.brand.remit_to)
        self.paragraph(_("Message"), self.brand.message)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _payer_label(payer: str) -> str:
    return _("You") if payer == PayerKind.FAMILY else _("Subsidy agency")


def invoice_pdf(invoice: Invoice, *, language: str | None = None, compress: bool = True) -> bytes:
    """One invoice: its lines (child, who pays), the split, what was paid, what is open.
    ``invoice`` should come from ``queries.invoice_detail`` (lines and open amounts)."""
    account = invoice.account
    lang = language_of(account, language)
    with translation.override(lang):
        brand = branding(invoice.program)
        doc = _Doc(brand, _("Invoice %(number)s") % {"number": invoice.number}, compress=compress)
        facts = [
            (_("Family"), account.family.name),
            (_("Account"), account.number),
            (_("Invoice date"), _day(invoice.issued_on)),
            (_("Due date"), _day(invoice.due_on)),
        ]
        if invoice.period_start and invoice.period_end:
            facts.append(
                (_("Period"), f"{_day(invoice.period_start)} – {_day(invoice.period_end)}")
            )
        doc.facts(facts)
        rows = [
            [
                ln.description,
                str(ln.child) if ln.child_id else "",
                _payer_label(ln.payer),
                format_money(ln.amount),
            ]
            for ln in invoice.lines.all()
        ]
        doc.table([_("Description"), _("Child"), _("Paid by"), _("Amount")], rows, (80, 45, 35, 30))
        family_applied = cents(getattr(invoice, "family_applied", Decimal("0")))
        doc.totals(
            [
                (_("Total"), invoice.total),
                (_("Subsidy agency pays"), invoice.agency_amount),
                (_("Your share"), invoice.family_amount),
                (_("Paid and credited"), family_applied),
                (_("Amount due"), invoice.family_amount - family_applied),
            ]
        )
        if invoice.memo:
            doc.paragraph(_("Note"), invoice.memo)
        doc.footer()
        return doc.output()


def statement_pdf(
    statement: reports.Statement, *, language: str | None = None, compress: bool = True
) -> bytes:
    """A period statement: opening balance, invoices, payments, credits, closing balance."""
    account = statement.account
    lang = language_of(account, language)
    with translation.override(lang):
        kinds = {
            "invoice": _("Invoice"),
            "payment": _("Payment"),
            "refund": _("Refund"),
            "reversal": _("Payment reversed"),
            "credit": _("Credit"),
        }
        methods = dict(PaymentMethod.choices)
        brand = branding(account.program)
        doc = _Doc(brand, _("Account statement"), compress=compress)
        doc.facts(
            [
                (_("Family"), account.family.name),
                (_("Account"), account.number),
                (_("Period"), f"{_day(statement.start)} – {_day(statement.end)}"),
            ]
        )
        doc.totals([(_("Opening balance"), statement.opening)], bold_last=False)
        rows = [
            [
                _day(e.day),
                kinds.get(e.kind, e.kind),
                e.reference,
                str(methods.get(e.description, e.description))
                if e.kind != "invoice"
                else e.description,
                format_money(e.charge) if e.charge else "",
                format_money(e.credit) if e.credit else "",
                format_money(e.balance),
            ]
            for e in statement.entries
        ]
        if rows:
            doc.table(
                [
                    _("Date"),
                    _("Entry"),
                    _("Reference"),
                    _("Details"),
                    _("Charges"),
                    _("Payments and credits"),
                    _("Balance"),
                ],  # fmt: skip
                rows,
                (22, 24, 26, 44, 24, 30, 26),
            )
        else:
            doc.paragraph(_("Activity"), _("No invoices, payments or credits in this period."))
        doc.totals(
            [
                (_("Charges"), statement.invoiced),
                (_("Payments"), statement.paid),
                (_("Credits"), statement.credited),
                (_("Closing balance"), statement.closing),
            ]
        )
        doc.footer()
        return doc.output()


def tax_statement_pdf(
    year: reports.TaxYear, *, language: str | None = None, compress: bool = True
) -> bytes:
    """What the family paid for care in a calendar year, for the dependent care FSA and the
    child and dependent care credit (IRS Form 2441 asks for the provider's tax ID)."""
    account = year.account
    lang = language_of(account, language)
    with translation.override(lang):
        brand = branding(account.program)
        doc = _Doc(
            brand,
            _("Child care payments for tax year %(year)s") % {"year": year.year},
            compress=compress,
        )
        doc.facts(
            [
                (_("Provider"), brand.name),
                (_("Provider address"), brand.address or "—"),
                (_("Provider tax ID"), brand.tax_id or _("not on file")),
                (_("Family"), account.family.name),
                (_("Account"), account.number),
            ]
        )
        rows = [[name, format_money(amount)] for _pk, name, amount in year.by_child]
        if year.unassigned:
            rows.append([_("Not assigned to a child"), format_money(year.unassigned)])
        if rows:
            doc.table([_("Child"), _("Paid")], rows, (140, 50))
        doc.totals([(_("Total paid by the family in %(year)s") % {"year": year.year}, year.paid)])
        doc.paragraph(
            _("About this statement"),
            _(
                "Payments the family made between January 1 and December 31, refunds "
                "subtracted. Payments by a subsidy agency are not included. Keep this "
                "statement for your dependent care FSA claim or the child and dependent care "
                "credit."
            ),
        )
        doc.footer()
        return doc.output()
