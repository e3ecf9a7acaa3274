"""Billing reports API (imported by ``billing/api.py``): aging, collections (collection rate,
bad debt, DSO) and deposits for a program, and their hub roll-ups for an alliance.

Program endpoints need ``Perm.BILLING_MANAGE`` (the director, the alliance's hub); alliance
endpoints ``Perm.HUB_MANAGE``. Money is a two-decimal string; a rate with nothing billed is
``null`` (unknown), never 0."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Schema

from alliance.api.root import api
from alliance.api.tenancy import api_alliance, api_program
from alliance.api.types import ErrorOut, Message, Money
from alliance.billing import reports
from alliance.core.policy import Perm
from alliance.members.models import Program

ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorOut}
TAGS = ["billing reports"]


class BucketsOut(Schema):
    current: Money
    d1_30: Money
    d31_60: Money
    d61_90: Money
    d90_plus: Money
    total: Money


class AgingRowOut(Schema):
    id: int
    label: str
    number: str
    family: BucketsOut
    agency: BucketsOut
    total: Money


class AgingOut(Schema):
    as_of: date
    rows: list[AgingRowOut]
    totals: AgingRowOut


class CollectionRowOut(Schema):
    period: str
    billed: Money
    collected: Money
    collection_rate: Decimal | None
    family_billed: Money
    family_collected: Money
    family_collection_rate: Decimal | None
    written_off: Money
    bad_debt_rate: Decimal | None


class CollectionsOut(Schema):
    start: date
    end: date
    dso: Decimal | None
    rows: list[CollectionRowOut]
    totals: CollectionRowOut


class DepositRowOut(Schema):
    period: str
    count: int
    by_method: dict[str, Money]
    total: Money


class DepositsOut(Schema):
    start: date
    end: date
    rows: list[DepositRowOut]
    totals: DepositRowOut


class AsOfIn(Schema):
    as_of: date | None = None


class RangeIn(Schema):
    start: date | None = None
    end: date | None = None


def _buckets(values: dict) -> dict:
    return {**values, "total": sum(values.values(), reports.ZERO)}


def _aging(report: reports.AgingReport) -> dict:
    def row(r: reports.AgingRow) -> dict:
        return {
            "id": r.key,
            "label": r.label,
            "number": r.number,
            "family": _buckets(r.family),
            "agency": _buckets(r.agency),
            "total": r.total,
        }

    return {
        "as_of": report.as_of,
        "rows": [row(r) for r in report.rows],
        "totals": row(report.totals),
    }


def _collection_row(f: reports.CollectionFigures, period: str) -> dict:
    return {
        "period": period,
        "billed": f.billed,
        "collected": f.collected,
        "collection_rate": f.collection_rate,
        "family_billed": f.family_billed,
        "family_collected": f.family_collected,
        "family_collection_rate": f.family_collection_rate,
        "written_off": f.written_off,
        "bad_debt_rate": f.bad_debt_rate,
    }


def _collections(report: reports.CollectionReport, *, hub: bool) -> dict:
    return {
        "start": report.start,
        "end": report.end,
        "dso": report.dso,
        "rows": [
            _collection_row(r, r.label if hub else r.key.strftime("%Y-%m")) for r in report.rows
        ],
        "totals": _collection_row(report.totals, "total"),
    }


def _deposit_row(d: reports.DepositDay, period: str) -> dict:
    return {"period": period, "count": d.count, "by_method": d.by_method, "total": d.total}


def _deposits(report: reports.DepositReport, *, hub: bool) -> dict:
    return {
        "start": report.start,
        "end": report.end,
        "rows": [_deposit_row(d, d.label if hub else d.key.isoformat()) for d in report.rows],
        "totals": _deposit_row(report.totals, "total"),
    }


def _range(filters: RangeIn, *, default_days: int, months: bool = False) -> tuple[date, date]:
    end = filters.end or timezone.localdate()
    start = filters.start or (end - timedelta(days=default_days))
    if months:
        start = start.replace(day=1)
        end = (end.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if start > end:
        raise ValidationError({"start": _("The start date must be on or before the end date.")})
    if (end - start).days > 366 * 3:
        raise ValidationError(
            {"start": _("A report covers at most three years: move the start date.")}
        )
    return start, end


def _members(alliance) -> list[tuple[int, str]]:
    return list(
        Program.objects.filter(alliance=alliance).order_by("name", "pk").values_list("pk", "name")
    )


@api.get("/programs/{slug}/aging", response={200: AgingOut, **ERRORS}, tags=TAGS)
def program_aging(request: HttpRequest, slug: str, filters: Query[AsOfIn]):
    """Open invoice amounts per account in the buckets current, 1–30, 31–60, 61–90 and 90+
    days past due, family and agency parts separately, on ``as_of`` (default today)."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        as_of = filters.as_of or timezone.localdate()
        return _aging(reports.aging(program_ids=[program.pk], as_of=as_of))


@api.get("/programs/{slug}/collections", response={200: CollectionsOut, **ERRORS}, tags=TAGS)
def program_collections(request: HttpRequest, slug: str, filters: Query[RangeIn]):
    """Per month: billed, collected, collection rate, write-offs and bad debt %; DSO on the
    end date. Default: the last twelve months."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        start, end = _range(filters, default_days=330, months=True)
        report = reports.collections_by_month(program_ids=[program.pk], start=start, end=end)
        return _collections(report, hub=False)


@api.get("/programs/{slug}/deposits", response={200: DepositsOut, **ERRORS}, tags=TAGS)
def program_deposits(request: HttpRequest, slug: str, filters: Query[RangeIn]):
    """Net payments per received date and method (default: the last 30 days)."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        start, end = _range(filters, default_days=30)
        report = reports.deposits_by_day(program_ids=[program.pk], start=start, end=end)
        return _deposits(report, hub=False)


@api.get("/alliances/{alliance}/billing/aging", response={200: AgingOut, **ERRORS}, tags=TAGS)
def alliance_aging(request: HttpRequest, alliance: str, filters: Query[AsOfIn]):
    """The hub roll-up of aging: one row per member program, plus totals."""
    with api_alliance(request, alliance, Perm.HUB_MANAGE) as hub:
        as_of = filters.as_of or timezone.localdate()
        return _aging(reports.aging_by_program(programs=_members(hub), as_of=as_of))


@api.get(
    "/alliances/{alliance}/billing/collections",
    response={200: CollectionsOut, **ERRORS},
    tags=TAGS,
)
def alliance_collections(request: HttpRequest, alliance: str, filters: Query[RangeIn]):
    """The hub roll-up of collections over the range: one row per member program."""
    with api_alliance(request, alliance, Perm.HUB_MANAGE) as hub:
        start, end = _range(filters, default_days=330, months=True)
        report = reports.collections_by_program(programs=_members(hub), start=start, end=end)
        return _collections(report, hub=True)


@api.get("/alliances/{alliance}/billing/deposits", response={200: DepositsOut, **ERRORS}, tags=TAGS)
def alliance_deposits(request: HttpRequest, alliance: str, filters: Query[RangeIn]):
    """The hub roll-up of deposits over the range: one row per member program."""
    with api_alliance(request, alliance, Perm.HUB_MANAGE) as hub:
        start, end = _range(filters, default_days=30)
        report = reports.deposits_by_program(programs=_members(hub), start=start, end=end)
        return _deposits(report, hub=True)
