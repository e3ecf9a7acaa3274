"""A consolidated purchase order as CSV, XLSX and PDF (for the vendor)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.utils.translation import gettext as _

from alliance.core.money import format_money
from alliance.purchasing.models import PurchaseOrder, PurchaseOrderLine
from alliance.purchasing.templatetags.purchasing_tags import price_text

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _header() -> list[str]:
    return [_("SKU"), _("Item"), _("Unit"), _("Quantity"), _("Tier from"), _("Unit price"),
            _("Amount")]  # fmt: skip


def _rows(lines: list[PurchaseOrderLine]) -> list[list]:
    return [
        [
            ln.cycle_item.item.sku,
            ln.cycle_item.item.name,
            ln.cycle_item.item.unit,
            ln.quantity,
            ln.tier_min_quantity,
            ln.unit_price,
            ln.amount,
        ]
        for ln in lines
    ]


def _safe(value) -> str:
    """Spreadsheet formula injection guard for text cells."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def po_csv(po: PurchaseOrder, lines: list[PurchaseOrderLine]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Purchase order"), po.number, po.vendor.name, po.cycle.delivery_on])
    writer.writerow(_header())
    for row in _rows(lines):
        writer.writerow([_safe(row[0]), _safe(row[1]), _safe(row[2]), *row[3:]])
    writer.writerow(["", _("Subtotal"), "", "", "", "", po.subtotal])
    writer.writerow(["", _("Delivery"), "", "", "", "", po.delivery_fee])
    writer.writerow(["", _("Total"), "", "", "", "", po.total])
    return out.getvalue()


def po_xlsx(po: PurchaseOrder, lines: list[PurchaseOrderLine]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = po.number[:31]
    sheet.append([_("Purchase order"), po.number, po.vendor.name, str(po.cycle.delivery_on)])
    sheet.append(_header())
    for row in _rows(lines):
        sheet.append([_safe(row[0]), _safe(row[1]), _safe(row[2]), *row[3:]])
    for label, value in ((_("Subtotal"), po.subtotal), (_("Delivery"), po.delivery_fee),
                         (_("Total"), po.total)):  # fmt: skip
        sheet.append(["", label, "", "", "", "", value])
    for row in sheet.iter_rows(min_row=3, min_col=6, max_col=7):
        for cell in row:
            cell.number_format = "#,##0.00##"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def po_pdf(po: PurchaseOrder, lines: list[PurchaseOrderLine]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="Letter")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"{po.number} {po.vendor.name}")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, _("Purchase order %(n)s") % {"n": po.number}, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    facts = [
        (_("From"), po.alliance.name),
        (_("Vendor"), po.vendor.name),
        (_("Cycle"), po.cycle.name),
        (_("Deliver on"), po.cycle.delivery_on.isoformat()),
        (_("Terms"), po.vendor.terms or "—"),
    ]
    for label, value in facts:
        pdf.cell(0, 6, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    with pdf.table(col_widths=(18, 60, 30, 18, 16, 22, 26), text_align="LEFT") as table:
        head = table.row()
        for title in _header():
            head.cell(title)
        for row in _rows(lines):
            cells = table.row()
            for value in (*row[:3], f"{row[3].normalize():f}", str(row[4]), price_text(row[5]),
                          format_money(row[6])):  # fmt: skip
                cells.cell(str(value))
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 11)
    for label, value in ((_("Subtotal"), po.subtotal), (_("Delivery"), po.delivery_fee),
                         (_("Total"), po.total)):  # fmt: skip
        pdf.cell(0, 7, f"{label}: {format_money(value)}", align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def invoice_pdf(order, lines) -> bytes:
    """A member's invoice for its share of a closed cycle."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="Letter")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(order.invoice_number)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, _("Invoice %(n)s") % {"n": order.invoice_number}, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for label, value in (
        (_("From"), order.cycle.alliance.name),
        (_("To"), order.program.name),
        (_("Cycle"), order.cycle.name),
        (_("Delivery"), order.cycle.delivery_on.isoformat()),
    ):
        pdf.cell(0, 6, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    with pdf.table(col_widths=(70, 20, 26, 26, 28), text_align="LEFT") as table:
        head = table.row()
        for title in (_("Item"), _("Quantity"), _("Unit price"), _("Amount"), _("Retail")):
            head.cell(title)
        for ln in lines:
            row = table.row()
            for value in (
                ln.cycle_item.item.name,
                f"{ln.final_quantity.normalize():f}",
                price_text(ln.unit_price),
                format_money(ln.amount),
                format_money(ln.baseline_amount),
            ):
                row.cell(value)
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 11)
    for label, value in (
        (_("Items"), order.subtotal),
        (_("Delivery share"), order.delivery_share),
        (_("Credits"), -order.credits),
        (_("Amount due"), order.invoice_total),
        (_("You saved"), order.savings),
    ):
        pdf.cell(0, 7, f"{label}: {format_money(value)}", align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
