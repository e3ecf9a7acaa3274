"""The hub's value report: what each member pays the alliance against what it gets back
(measured purchasing savings, pooled benefits savings, substitute hours, children placed
through matching) over the last 12 months. Unknown stays None, never 0."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from alliance.core.money import format_money
from alliance.finance import sources
from alliance.members.models import Alliance, Program

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass
class ValueRow:
    program: Program
    fees: Decimal | None
    purchasing_saved: Decimal | None
    benefits_saved: Decimal | None  # a year, from this month's pooled vs stand-alone premiums
    substitute_hours: Decimal | None
    matches: int | None

    @property
    def savings(self) -> Decimal | None:
        found = [v for v in (self.purchasing_saved, self.benefits_saved) if v is not None]
        return sum(found, Decimal("0.00")) if found else None

    @property
    def net(self) -> Decimal | None:
        """Measured savings minus fees; unknown when either side is."""
        if self.fees is None or self.savings is None:
            return None
        return self.savings - self.fees


def value_report(alliance: Alliance, today: date) -> list[ValueRow]:
    programs = list(Program.objects.filter(alliance=alliance).order_by("name"))
    since = sources.year_ago(today)
    fees = sources.membership_fees(programs)
    purchasing = sources.purchasing_savings(programs, since)
    benefits = sources.benefits_saved(programs, today)
    hours = sources.substitute_hours(programs, since)
    matches = sources.matches_accepted(programs, since)
    return [
        ValueRow(
            program=p,
            fees=fees.get(p.pk),
            purchasing_saved=purchasing.get(p.pk),
            benefits_saved=benefits[p.pk] * 12 if p.pk in benefits else None,
            substitute_hours=hours.get(p.pk),
            matches=matches.get(p.pk),
        )
        for p in programs
    ]


def headers() -> list[str]:
    return [
        _("Member"),
        _("Membership fee (a year)"),
        _("Purchasing savings"),
        _("Benefits savings (a year)"),
        _("Total measured savings"),
        _("Savings minus fee"),
        _("Substitute hours received"),
        _("Children placed through matching"),
    ]


def _cells(row: ValueRow, *, money) -> list[str]:
    def m(v):
        return "" if v is None else money(v)

    return [
        row.program.name,
        m(row.fees),
        m(row.purchasing_saved),
        m(row.benefits_saved),
        m(row.savings),
        m(row.net),
        "" if row.substitute_hours is None else str(row.substitute_hours),
        "" if row.matches is None else str(row.matches),
    ]


def _safe(text: str) -> str:
    """Spreadsheet formula injection: a cell starting with = + - @ is quoted."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def as_csv(rows: list[ValueRow]) -> str:
    """Empty cells are unknown (no data yet), not zero."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers())
    for row in rows:
        writer.writerow([_safe(c) for c in _cells(row, money=lambda v: f"{v:.2f}")])
    return out.getvalue()


def as_pdf(alliance: Alliance, rows: list[ValueRow], today: date) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="Letter")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(_("Value report"))
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(
        0,
        10,
        _("What membership is worth: %(a)s") % {"a": alliance.name},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(
        0,
        5,
        _("The 12 months to %(d)s. Blank: no data yet (not zero).") % {"d": today.isoformat()},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    with pdf.table(col_widths=(56, 28, 28, 28, 28, 28, 26, 26), text_align="LEFT") as table:
        head = table.row()
        for title in headers():
            head.cell(title)
        for row in rows:
            cells = table.row()
            for value in _cells(row, money=format_money):
                cells.cell(value or "—")
    return bytes(pdf.output())
