"""The hub's member list as CSV: one streamed query, spreadsheet-safe cells."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from alliance.members.models import Program

# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def safe_cell(value: object) -> str:
    """Text for a CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _header() -> list[str]:
    return [
        _("Program"),
        _("Type"),
        _("License number"),
        _("License expires"),
        _("Days left"),
        _("Licensed capacity"),
        _("Staffed capacity"),
        _("Town"),
        _("ZIP code"),
        _("Address"),
        _("Email"),
        _("Phone"),
        _("Accepts CCAP"),
        _("Quality rating"),
        _("Tier"),
        _("Annual fee"),
        _("Membership status"),
        _("Fee paid through"),
    ]


def _row(program: Program, today: date) -> list[str]:
    membership = getattr(program, "membership", None)
    expires = program.license_expires_on
    return [
        program.name,
        program.get_kind_display(),
        program.license_number,
        expires.isoformat() if expires else "",
        "" if expires is None else str(program.license_days_left(today)),
        str(program.licensed_capacity),
        str(program.staffed_capacity),
        program.town,
        program.zip_code,
        program.address,
        program.email,
        program.phone,
        _("yes") if program.accepts_ccap else _("no"),
        str(program.quality_rating),
        membership.tier.name if membership else "",
        f"{membership.annual_fee:.2f}" if membership else "",
        membership.get_status_display() if membership else "",
        membership.fee_paid_through.isoformat()
        if membership and membership.fee_paid_through
        else "",
    ]


def member_rows_csv(programs: QuerySet[Program], *, today: date) -> Iterator[str]:
    """Yield the CSV text line by line; ``programs`` must select_related the membership."""
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so spreadsheet programs read the file as UTF-8 (accents in names)
    yield writer.writerow(_header())
    rows: Iterable[Program] = programs.iterator(chunk_size=500)
    for program in rows:
        yield writer.writerow([safe_cell(cell) for cell in _row(program, today)])
