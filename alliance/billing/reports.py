"""Billing reports: aging, collection rate and bad debt, days sales outstanding, deposits
by day, account statements and year-end tax statements.

Pure reads over the ledger, reusable by the finance module: every function takes plain
arguments (program ids, dates), runs a fixed number of grouped queries whatever the number
of programs, accounts or invoices, and returns plain dataclasses. ``None`` means *unknown*
(nothing billed, so a rate has no denominator), never zero.

Callers open the tenant scope (a program's, an alliance's for the hub roll-up) or, in
benchmarks and tests, ``scopes_disabled()``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from alliance.billing.models import (
    Allocation,
    CreditKind,
    CreditNote,
    FamilyAccount,
    Invoice,
    InvoiceLine,
    PayerKind,
    Payment,
)
from alliance.billing.queries import cents
from alliance.core.money import to_money

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=14, decimal_places=2)

# Aging buckets, in order: days past the due date.
CURRENT, D1_30, D31_60, D61_90, D90_PLUS = "current", "d1_30", "d31_60", "d61_90", "d90_plus"
BUCKETS: tuple[str, ...] = (CURRENT, D1_30, D31_60, D61_90, D90_PLUS)


def bucket_for(days_past_due: int) -> str:
    """The aging bucket of an amount ``days_past_due`` days after its due date (0 or less:
    not yet due, "current"; 1–30; 31–60; 61–90; 91 and more: "90+")."""
    if days_past_due <= 0:
        return CURRENT
    if days_past_due <= 30:
        return D1_30
    if days_past_due <= 60:
        return D31_60
    if days_past_due <= 90:
        return D61_90
    return D90_PLUS


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` ÷ ``whole`` as a percentage to one decimal; None when ``whole`` is zero."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _buckets() -> dict[str, Decimal]:
    return dict.fromkeys(BUCKETS, ZERO)


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_between(start: date, end: date) -> list[date]:
    """First days of every month from ``start``'s month to ``end``'s month."""
    out, cur = [], month_start(start)
    while cur <= end:
        out.append(cur)
        cur = (cur + timedelta(days=32)).replace(day=1)
    return out


# --- aging ----------------------------------------------------------------------------


@dataclass
class AgingRow:
    """Open amounts of one account (or one program in the hub roll-up) per bucket, the
    family's part and the agency's part separately."""

    key: int
    label: str
    number: str = ""
    program_id: int | None = None
    family: dict[str, Decimal] = field(default_factory=_buckets)
    agency: dict[str, Decimal] = field(default_factory=_buckets)

    @property
    def family_total(self) -> Decimal:
        return sum(self.family.values(), ZERO)

    @property
    def agency_total(self) -> Decimal:
        return sum(self.agency.values(), ZERO)

    @property
    def total(self) -> Decimal:
        return self.family_total + self.agency_total

    def combined(self, bucket: str) -> Decimal:
        return self.family[bucket] + self.agency[bucket]

    def add(self, other: AgingRow) -> None:
        for b in BUCKETS:
            self.family[b] += other.family[b]
            self.agency[b] += other.agency[b]


@dataclass
class AgingReport:
    as_of: date
    rows: list[AgingRow]
    totals: AgingRow

    @property
    def is_empty(self) -> bool:
        return not self.rows


def _applied_as_of(payer_kind: str, as_of: date):
    """Σ allocations of one payer kind to the outer invoice whose payment was received (or
    credit note issued) on or before ``as_of``. The outer invoice query is scoped, so the
    subquery reads allocations through the plain base manager: the scope's own
    ``program_id = …`` filter made SQLite look the allocations up by program instead of by
    invoice, once per invoice (2.7 s for a program's aging page with 24 months of
    billing instead of 0.1 s)."""
    qs = Allocation._base_manager.filter(invoice=OuterRef("pk"), payer_kind=payer_kind).filter(
        Q(payment__received_on__lte=as_of) | Q(credit_note__issued_on__lte=as_of)
    )
    return Coalesce(
        Subquery(qs.values("invoice").annotate(s=Sum("amount")).values("s")[:1]),
        Value(ZERO),
        output_field=_MONEY,
    )


def open_invoices_as_of(program_ids: Sequence[int], as_of: date) -> list[dict]:
    """Invoices issued by ``as_of`` with something still open on that day, as dicts with
    ``family_open``/``agency_open`` (never negative) and the account's label. One query."""
    rows = (
        Invoice.objects.filter(program_id__in=list(program_ids), issued_on__lte=as_of)
        .annotate(
            family_applied=_applied_as_of(PayerKind.FAMILY, as_of),
            agency_applied=_applied_as_of(PayerKind.AGENCY, as_of),
        )
        .filter(Q(family_amount__gt=F("family_applied")) | Q(agency_amount__gt=F("agency_applied")))
        .values(
            "pk",
            "number",
            "program_id",
            "account_id",
            "account__number",
            "account__family__name",
            "due_on",
            "family_amount",
            "agency_amount",
            "family_applied",
            "agency_applied",
        )
        .order_by("account__family__name", "account_id", "due_on", "pk")
    )
    out = []
    for r in rows:
        # SQLite sums in floating point: round to cents, and drop what rounds to nothing.
        r["family_open"] = max(ZERO, to_money(r["family_amount"] - r["family_applied"]))
        r["agency_open"] = max(ZERO, to_money(r["agency_amount"] - r["agency_applied"]))
        if r["family_open"] or r["agency_open"]:
            out.append(r)
    return out


def aging(*, program_ids: Sequence[int], as_of: date) -> AgingReport:
    """Open invoice amounts per account and bucket on ``as_of`` (one query)."""
    by_account: dict[int, AgingRow] = {}
    totals = AgingRow(key=0, label="")
    for inv in open_invoices_as_of(program_ids, as_of):
        row = by_account.get(inv["account_id"])
        if row is None:
            row = by_account[inv["account_id"]] = AgingRow(
                key=inv["account_id"],
                label=inv["account__family__name"],
                number=inv["account__number"],
                program_id=inv["program_id"],
            )
        bucket = bucket_for((as_of - inv["due_on"]).days)
        row.family[bucket] += inv["family_open"]
        row.agency[bucket] += inv["agency_open"]
        totals.family[bucket] += inv["family_open"]
        totals.agency[bucket] += inv["agency_open"]
    return AgingReport(as_of=as_of, rows=list(by_account.values()), totals=totals)


def aging_by_program(*, programs: Sequence[tuple[int, str]], as_of: date) -> AgingReport:
    """The hub roll-up: one row per member program (``programs`` = (id, name) pairs, in
    the order to show), same single query as :func:`aging`."""
    per_account = aging(program_ids=[pk for pk, _ in programs], as_of=as_of)
    rows = {pk: AgingRow(key=pk, label=name, program_id=pk) for pk, name in programs}
    for r in per_account.rows:
        rows[r.program_id].add(r)
    return AgingReport(as_of=as_of, rows=list(rows.values()), totals=per_account.totals)


# --- collection rate, bad debt, DSO ------------------------------------------------------


@dataclass
class CollectionFigures:
    """Billed, collected and written off in one month (or one program over a range).

    * collection rate = collected ÷ billed (payments received, net of refunds, over
      invoices issued in the same period);
    * bad debt % = write-offs ÷ revenue (billed).
    Both are None when nothing was billed."""

    key: date | int
    label: str = ""
    billed: Decimal = ZERO
    family_billed: Decimal = ZERO
    collected: Decimal = ZERO
    family_collected: Decimal = ZERO
    written_off: Decimal = ZERO

    @property
    def collection_rate(self) -> Decimal | None:
        return percent(self.collected, self.billed)

    @property
    def family_collection_rate(self) -> Decimal | None:
        return percent(self.family_collected, self.family_billed)

    @property
    def bad_debt_rate(self) -> Decimal | None:
        return percent(self.written_off, self.billed)

    def add(self, other: CollectionFigures) -> None:
        self.billed += other.billed
        self.family_billed += other.family_billed
        self.collected += other.collected
        self.family_collected += other.family_collected
        self.written_off += other.written_off


@dataclass
class CollectionReport:
    start: date
    end: date
    rows: list[CollectionFigures]
    totals: CollectionFigures
    dso: Decimal | None = None

    @property
    def has_billing(self) -> bool:
        return bool(self.totals.billed)


def _collection_rows(
    program_ids: Sequence[int], start: date, end: date, group: str
) -> dict[object, CollectionFigures]:
    """Three grouped queries; ``group`` is "month" or "program"."""
    ids = list(program_ids)
    out: dict[object, CollectionFigures] = {}

    def grouped(qs, date_field: str):
        if group == "month":
            return qs.annotate(g=TruncMonth(date_field)).values("g")
        return qs.annotate(g=F("program_id")).values("g")

    def row(key) -> CollectionFigures:
        if isinstance(key, datetime):
            key = key.date()  # some backends truncate a date to a datetime
        return out.setdefault(key, CollectionFigures(key=key))

    invoices = Invoice.objects.filter(program_id__in=ids, issued_on__gte=start, issued_on__lte=end)
    for r in grouped(invoices, "issued_on").annotate(t=Sum("total"), f=Sum("family_amount")):
        fig = row(r["g"])
        fig.billed, fig.family_billed = cents(r["t"]), cents(r["f"])
    payments = Payment.objects.filter(
        program_id__in=ids, received_on__gte=start, received_on__lte=end
    )
    for r in grouped(payments, "received_on").annotate(
        t=Sum("amount"), f=Sum("amount", filter=Q(payer_kind=PayerKind.FAMILY))
    ):
        fig = row(r["g"])
        fig.collected, fig.family_collected = cents(r["t"]), cents(r["f"])
    write_offs = CreditNote.objects.filter(
        program_id__in=ids, kind=CreditKind.WRITE_OFF, issued_on__gte=start, issued_on__lte=end
    )
    for r in grouped(write_offs, "issued_on").annotate(t=Sum("amount")):
        row(r["g"]).written_off = cents(r["t"])
    return out


def collections_by_month(
    *, program_ids: Sequence[int], start: date, end: date, dso_days: int = 90
) -> CollectionReport:
    """Per calendar month from ``start`` to ``end`` (every month listed, empty ones with
    zeros and None rates), totals, and DSO on ``end``. Seven queries."""
    found = _collection_rows(program_ids, start, end, "month")
    rows = [found.get(m) or CollectionFigures(key=m) for m in months_between(start, end)]
    totals = CollectionFigures(key=0)
    for r in rows:
        totals.add(r)
    return CollectionReport(
        start=start,
        end=end,
        rows=rows,
        totals=totals,
        dso=days_sales_outstanding(program_ids=program_ids, as_of=end, days=dso_days),
    )


def collections_by_program(
    *, programs: Sequence[tuple[int, str]], start: date, end: date, dso_days: int = 90
) -> CollectionReport:
    """The hub roll-up over a date range: one row per member program, plus totals."""
    found = _collection_rows([pk for pk, _ in programs], start, end, "program")
    rows = []
    totals = CollectionFigures(key=0)
    for pk, name in programs:
        fig = found.get(pk) or CollectionFigures(key=pk)
        fig.label = name
        rows.append(fig)
        totals.add(fig)
    return CollectionReport(
        start=start,
        end=end,
        rows=rows,
        totals=totals,
        dso=days_sales_outstanding(
            program_ids=[pk for pk, _ in programs], as_of=end, days=dso_days
        ),
    )


def receivable_as_of(*, program_ids: Sequence[int], as_of: date) -> Decimal:
    """What all accounts owed on ``as_of``: invoices − payments − credit notes to that day
    (the ledger balance, so unapplied payments reduce it)."""
    ids = list(program_ids)
    invoiced = Invoice.objects.filter(program_id__in=ids, issued_on__lte=as_of).aggregate(
        s=Sum("total")
    )["s"]
    paid = Payment.objects.filter(program_id__in=ids, received_on__lte=as_of).aggregate(
        s=Sum("amount")
    )["s"]
    credited = CreditNote.objects.filter(program_id__in=ids, issued_on__lte=as_of).aggregate(
        s=Sum("amount")
    )["s"]
    return (invoiced or ZERO) - (paid or ZERO) - (credited or ZERO)


def days_sales_outstanding(
    *, program_ids: Sequence[int], as_of: date, days: int = 90
) -> Decimal | None:
    """DSO = receivable on ``as_of`` ÷ billed in the ``days`` days up to it × ``days``, to
    one decimal; None when nothing was billed in that window. A credit balance counts as 0."""
    start = as_of - timedelta(days=days - 1)
    billed = Invoice.objects.filter(
        program_id__in=list(program_ids), issued_on__gte=start, issued_on__lte=as_of
    ).aggregate(s=Sum("total"))["s"]
    if not billed:
        return None
    receivable = max(ZERO, receivable_as_of(program_ids=program_ids, as_of=as_of))
    return (receivable / billed * days).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- deposits by day ---------------------------------------------------------------------


@dataclass
class DepositDay:
    """Payments received on one day (or by one program over a range), per method. Refunds
    and reversals are negative, so ``total`` is the net deposit."""

    key: date | int
    label: str = ""
    by_method: dict[str, Decimal] = field(default_factory=dict)
    count: int = 0

    @property
    def total(self) -> Decimal:
        return sum(self.by_method.values(), ZERO)

    def method(self, name: str) -> Decimal:
        return self.by_method.get(name, ZERO)


@dataclass
class DepositReport:
    start: date
    end: date
    methods: list[str]
    rows: list[DepositDay]
    totals: DepositDay


def _deposits(program_ids: Sequence[int], start: date, end: date, group: str) -> DepositReport:
    qs = Payment.objects.filter(
        program_id__in=list(program_ids), received_on__gte=start, received_on__lte=end
    )
    key_field = "received_on" if group == "day" else "program_id"
    rows: dict[object, DepositDay] = {}
    totals = DepositDay(key=0)
    methods: set[str] = set()
    for r in qs.values(key_field, "method").annotate(s=Sum("amount"), n=Count("pk")):
        day = rows.setdefault(r[key_field], DepositDay(key=r[key_field]))
        amount = r["s"] or ZERO
        day.by_method[r["method"]] = day.method(r["method"]) + amount
        day.count += r["n"]
        totals.by_method[r["method"]] = totals.method(r["method"]) + amount
        totals.count += r["n"]
        methods.add(r["method"])
    return DepositReport(
        start=start, end=end, methods=sorted(methods), rows=list(rows.values()), totals=totals
    )


def deposits_by_day(*, program_ids: Sequence[int], start: date, end: date) -> DepositReport:
    """Net payments per received date and method, oldest day first (one query)."""
    report = _deposits(program_ids, start, end, "day")
    report.rows.sort(key=lambda d: d.key)
    return report


def deposits_by_program(
    *, programs: Sequence[tuple[int, str]], start: date, end: date
) -> DepositReport:
    """The hub roll-up: net payments per member program and method over the range."""
    report = _deposits([pk for pk, _ in programs], start, end, "program")
    found = {d.key: d for d in report.rows}
    rows = []
    for pk, name in programs:
        d = found.get(pk) or DepositDay(key=pk)
        d.label = name
        rows.append(d)
    report.rows = rows
    return report


# --- statements ---------------------------------------------------------------------------


@dataclass
class StatementEntry:
    day: date
    kind: str  # "invoice", "payment", "credit"
    reference: str
    description: str
    charge: Decimal = ZERO
    credit: Decimal = ZERO
    balance: Decimal = ZERO


@dataclass
class Statement:
    """The family's part of one account over a period: opening balance, every invoice,
    payment and credit in date order with the running balance, closing balance. The
    agency's part of subsidized invoices is the agency's to pay and is not on it."""

    account: FamilyAccount
    start: date
    end: date
    opening: Decimal
    entries: list[StatementEntry]
    closing: Decimal
    invoiced: Decimal = ZERO
    paid: Decimal = ZERO
    credited: Decimal = ZERO


def statement(*, account: FamilyAccount, start: date, end: date) -> Statement:
    """Six queries whatever the period's length."""
    fam = PayerKind.FAMILY
    before_inv = Invoice.objects.filter(account=account, issued_on__lt=start).aggregate(
        s=Sum("family_amount")
    )["s"]
    before_pay = Payment.objects.filter(
        account=account, payer_kind=fam, received_on__lt=start
    ).aggregate(s=Sum("amount"))["s"]
    before_cr = CreditNote.objects.filter(
        account=account, payer_kind=fam, issued_on__lt=start
    ).aggregate(s=Sum("amount"))["s"]
    opening = (before_inv or ZERO) - (before_pay or ZERO) - (before_cr or ZERO)
    entries: list[StatementEntry] = []
    for inv in Invoice.objects.filter(
        account=account, issued_on__gte=start, issued_on__lte=end, family_amount__gt=0
    ).values("issued_on", "number", "memo", "period_start", "period_end", "family_amount", "pk"):
        entries.append(
            StatementEntry(
                day=inv["issued_on"],
                kind="invoice",
                reference=inv["number"],
                description=inv["memo"]
                or (
                    f"{inv['period_start']:%m/%d/%Y}–{inv['period_end']:%m/%d/%Y}"
                    if inv["period_start"] and inv["period_end"]
                    else ""
                ),
                charge=inv["family_amount"],
            )
        )
    for pay in Payment.objects.filter(
        account=account, payer_kind=fam, received_on__gte=start, received_on__lte=end
    ).values("received_on", "reference", "method", "kind", "amount", "pk"):
        entries.append(
            StatementEntry(
                day=pay["received_on"],
                kind="payment" if pay["kind"] == "payment" else pay["kind"],
                reference=pay["reference"],
                description=pay["method"],
                credit=pay["amount"],
            )
        )
    for cr in CreditNote.objects.filter(
        account=account, payer_kind=fam, issued_on__gte=start, issued_on__lte=end
    ).values("issued_on", "number", "reason", "amount", "pk"):
        entries.append(
            StatementEntry(
                day=cr["issued_on"],
                kind="credit",
                reference=cr["number"],
                description=cr["reason"],
                credit=cr["amount"],
            )
        )
    order = {"invoice": 0, "credit": 1, "payment": 2, "refund": 2, "reversal": 2}
    entries.sort(key=lambda e: (e.day, order.get(e.kind, 3)))
    running = opening
    for e in entries:
        running = running + e.charge - e.credit
        e.balance = running
    return Statement(
        account=account,
        start=start,
        end=end,
        opening=opening,
        entries=entries,
        closing=running,
        invoiced=sum((e.charge for e in entries), ZERO),
        paid=sum((e.credit for e in entries if e.kind != "credit"), ZERO),
        credited=sum((e.credit for e in entries if e.kind == "credit"), ZERO),
    )


# --- year-end tax statement ----------------------------------------------------------------


@dataclass
class TaxYear:
    """What the family paid in one calendar year (payments received that year, refunds
    subtracted; agency payments excluded), split per child through the invoices the
    payments were applied to. What cannot be tied to a child (unapplied payments, fees
    without a child) is ``unassigned``."""

    account: FamilyAccount
    year: int
    paid: Decimal
    by_child: list[tuple[int, str, Decimal]]
    unassigned: Decimal


def tax_year(*, account: FamilyAccount, year: int) -> TaxYear:
    """Three queries."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    paid = (
        Payment.objects.filter(
            account=account,
            payer_kind=PayerKind.FAMILY,
            received_on__gte=start,
            received_on__lte=end,
        ).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    applied: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for r in (
        Allocation.objects.filter(
            invoice__account=account,
            payer_kind=PayerKind.FAMILY,
            payment__isnull=False,
            payment__received_on__gte=start,
            payment__received_on__lte=end,
        )
        .values("invoice_id")
        .annotate(s=Sum("amount"))
    ):
        applied[r["invoice_id"]] += r["s"] or ZERO
    shares: dict[int, dict[int | None, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    names: dict[int, str] = {}
    if applied:
        for r in (
            InvoiceLine.objects.filter(invoice_id__in=list(applied), payer=PayerKind.FAMILY)
            .values("invoice_id", "child_id", "child__first_name", "child__last_name")
            .annotate(s=Sum("amount"))
        ):
            shares[r["invoice_id"]][r["child_id"]] += r["s"] or ZERO
            if r["child_id"]:
                names[r["child_id"]] = f"{r['child__first_name']} {r['child__last_name']}"
    per_child: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for invoice_id, amount in applied.items():
        lines = shares[invoice_id]
        whole = sum((v for v in lines.values() if v > 0), ZERO)
        if not whole:
            continue
        # Each child gets its share of what was applied; lines without a child (a
        # registration fee for the family) and rounding stay unassigned.
        for child_id, share in lines.items():
            if child_id is not None and share > 0:
                per_child[child_id] += (amount * share / whole).quantize(
                    Decimal("0.01"), ROUND_HALF_UP
                )
    assigned = sum(per_child.values(), ZERO)
    return TaxYear(
        account=account,
        year=year,
        paid=paid,
        by_child=[(pk, names.get(pk, ""), amt) for pk, amt in sorted(per_child.items()) if amt],
        unassigned=paid - assigned,
    )


def tax_years(*, account_ids: Sequence[int]) -> dict[int, list[int]]:
    """Calendar years in which each account received family payments, newest first (one
    query), for the family's list of tax statements."""
    from django.db.models.functions import ExtractYear

    out: dict[int, list[int]] = defaultdict(list)
    for r in (
        Payment.objects.filter(account_id__in=list(account_ids), payer_kind=PayerKind.FAMILY)
        .annotate(y=ExtractYear("received_on"))
        .values("account_id", "y")
        .distinct()
        .order_by("account_id", "-y")
    ):
        out[r["account_id"]].append(r["y"])
    return out
