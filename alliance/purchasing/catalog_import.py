"""Import a vendor's price list from CSV: preview first, then all rows or none."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.core.audit import log_action
from alliance.members.models import Alliance
from alliance.purchasing import services
from alliance.purchasing.models import Item, Vendor

COLUMNS = (
    "sku", "name", "category", "unit", "pack_size", "divisible", "cacfp_creditable",
    "baseline_price", "baseline_source", "baseline_date", "tiers",
)  # fmt: skip
REQUIRED = ("sku", "name", "category", "unit", "baseline_price", "tiers")
MAX_ROWS = 5000
TRUE = {"yes", "y", "true", "1", "x"}


@dataclass
class ImportRow:
    number: int  # line in the file (the header is line 1)
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    existing: Item | None = None


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    errors: list[str] = field(default_factory=list)  # whole-file problems

    @property
    def row_errors(self) -> list[tuple[int, str, str]]:
        return [(r.number, col, msg) for r in self.rows for col, msg in r.errors.items()]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.row_errors and bool(self.rows)


def _parse_row(raw: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    errors: dict[str, str] = {}
    for col in REQUIRED:
        if not values[col]:
            errors[col] = _("This column is empty.")
    try:
        values["baseline_price"] = Decimal(values["baseline_price"] or "x")
    except InvalidOperation:
        errors.setdefault("baseline_price", _("Enter a price like 12.50."))
        values["baseline_price"] = None
    try:
        values["pack_size"] = int(values["pack_size"] or 1)
        if values["pack_size"] < 1:
            raise ValueError
    except ValueError:
        errors["pack_size"] = _("Enter a whole number of 1 or more.")
    for flag in ("divisible", "cacfp_creditable"):
        values[flag] = values[flag].lower() in TRUE
    if values["baseline_date"]:
        try:
            values["baseline_date"] = date.fromisoformat(values["baseline_date"])
        except ValueError:
            errors["baseline_date"] = _("Use the form YYYY-MM-DD.")
    else:
        values["baseline_date"] = None
    for col, msg in services.check_item_fields(values).items():
        errors.setdefault(col, msg)
    for col, limit in (("sku", 40), ("name", 200), ("unit", 60), ("baseline_source", 200)):
        if len(values[col]) > limit:
            errors[col] = _("At most %(n)s characters.") % {"n": limit}
    return values, errors


def preview_import(*, vendor: Vendor, text: str) -> ImportPreview:
    """Parse and check every row; nothing is written."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return ImportPreview([], [_("Missing columns: %(c)s.") % {"c": ", ".join(missing)}])
    reader.fieldnames = header
    existing = {i.sku: i for i in Item.objects.filter(vendor=vendor)}
    rows: list[ImportRow] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        if len(rows) >= MAX_ROWS:
            return ImportPreview(rows, [_("At most %(n)s rows per file.") % {"n": MAX_ROWS}])
        values, errors = _parse_row(raw)
        sku = values["sku"]
        if sku in seen:
            errors["sku"] = _("Same SKU as row %(n)s.") % {"n": seen[sku]}
        seen.setdefault(sku, number)
        rows.append(ImportRow(number, values, errors, existing.get(sku)))
    if not rows:
        return ImportPreview([], [_("The file has no rows.")])
    return ImportPreview(rows)


@transaction.atomic
def import_catalog(
    *, acting_user: User, alliance: Alliance, vendor: Vendor, text: str
) -> ImportPreview:
    """Create or update (by SKU) every row, recording price changes — or, if any row has an
    error, nothing at all (ValidationError naming the row and column)."""
    preview = preview_import(vendor=vendor, text=text)
    if not preview.ok:
        problems = preview.errors + [
            _("Row %(row)s, column %(col)s: %(msg)s") % {"row": n, "col": c, "msg": m}
            for n, c, m in preview.row_errors[:50]
        ]
        raise ValidationError({"file": problems})
    for row in preview.rows:
        fields = {k: v for k, v in row.values.items() if k != "tiers"}
        services.save_item(
            acting_user=acting_user, alliance=alliance, vendor=vendor, item=row.existing,
            tiers=row.values["tiers"], source="import", **fields,
        )  # fmt: skip
    log_action(
        actor=acting_user,
        action="purchasing.catalog_imported",
        target=vendor,
        alliance=alliance,
        summary=_("%(n)s items") % {"n": len(preview.rows)},
        data={"rows": len(preview.rows)},
    )
    return preview
