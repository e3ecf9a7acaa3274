"""Billing runs: build every invoice of a period from enrollments, schedules, rates, CCAP
authorizations, discounts, fees and one-off charges; preview (nothing written) or post.

Guarantees of :func:`post_run` and :func:`post_runs`: one transaction (a crash leaves no
invoice of the call); a program's periods never overlap (checked, and ``(program,
period_start)`` is unique, so the same period is never billed twice); each program's
billing settings row is locked for the transaction (runs and invoice numbers of a program
are serialized); a constant number of queries whatever the number of children (everything
is loaded in bulk, then ``bulk_create``). :func:`post_runs` posts several periods of
several programs in one call: it reads everything once for the whole span and writes every
run, invoice and line in a few bulk inserts, so its queries do not grow with the number of
programs or periods either (except one audit row per run).

Proration: a child who starts or leaves mid-period pays the period's amount × (scheduled
days the child is enrolled in the period ÷ scheduled days in the whole period), where
scheduled days are the enrollment's days of the week. A CCAP authorization covering part of
the period splits the same way. Rates in force on the first day of the period apply to the
whole period. Weekly amounts become monthly as × 52 ÷ 12, monthly become weekly as × 12 ÷ 52.
"""

from __future__ import annotations

import time
from calendar import monthrange
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.billing.models import (
    BillingRun,
    BillingSettings,
    CareSchedule,
    CcapAuthorization,
    DiscountKind,
    DiscountMethod,
    DiscountPolicy,
    FamilyAccount,
    FeeCharge,
    FeeType,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    LineKind,
    OneOffCharge,
    Payer,
    PayerKind,
    Period,
    TuitionRate,
)
from alliance.billing.services import _audit, account_number, settings_for
from alliance.billing.tasks_runs import notify_run_posted_task
from alliance.core.money import to_money
from alliance.core.tasks import enqueue_on_commit
from alliance.enrollment.models import Enrollment
from alliance.members.models import Program
from alliance.rules import ccap

ZERO = Decimal("0")
HUNDRED = Decimal("100")


def period_bounds(period: str, day: date) -> tuple[date, date]:
    """The week (Monday–Sunday) or calendar month containing ``day``."""
    if period == Period.WEEKLY:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if period == Period.MONTHLY:
        return day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1])
    raise ValidationError({"period": _("Choose weekly or monthly.")})


def convert(amount: Decimal, *, from_period: str, to_period: str) -> Decimal:
    """A weekly amount per month (× 52 ÷ 12) or a monthly amount per week (× 12 ÷ 52);
    exact (rounded by the caller)."""
    if from_period == to_period:
        return amount
    if from_period == Period.WEEKLY:
        return amount * 52 / 12
    return amount * 12 / 52


def _age_months(birth: date, on: date) -> int:
    months = (on.year - birth.year) * 12 + on.month - birth.month
    if on.day < birth.day:
        months -= 1
    return max(0, months)


class _Days:
    """Scheduled-day counting for one period: prefix sums per days-of-week pattern."""

    def __init__(self, start: date, end: date):
        self.start = start
        self.dates = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        self._prefix: dict[str, list[int]] = {}

    def count(self, pattern: str, lo: date, hi: date) -> int:
        if hi < lo:
            return 0
        prefix = self._prefix.get(pattern)
        if prefix is None:
            wanted = {int(c) for c in pattern if c.isdigit()}
            prefix = [0]
            for d in self.dates:
                prefix.append(prefix[-1] + (d.weekday() in wanted))
            self._prefix[pattern] = prefix
        i = max(0, (lo - self.start).days)
        j = min(len(self.dates), (hi - self.start).days + 1)
        return prefix[j] - prefix[i] if j > i else 0


@dataclass(slots=True)
class _Row:
    """One enrollment as the run needs it (read with ``values_list``)."""

    COLUMNS = (
        "pk", "child_id", "classroom_id", "start_date", "end_date", "schedule", "days",
        "child__first_name", "child__last_name", "child__birth_date", "child__family_id",
        "child__family__name", "classroom__name", "program_id",
    )  # fmt: skip
    pk: int
    child_id: int
    classroom_id: int
    start_date: date
    end_date: date | None
    schedule: str
    days: str
    first_name: str
    last_name: str
    birth_date: date
    family_id: int
    family_name: str
    room_name: str
    program_id: int


@dataclass(slots=True)
class _Acc:
    COLUMNS = ("pk", "family_id", "family__name", "staff_family", "program_id")
    pk: int
    family_id: int
    family_name: str
    staff_family: bool
    program_id: int


@dataclass
class LineDraft:
    kind: str
    payer: str
    description: str
    amount: Decimal
    child_id: int | None = None
    enrollment_id: int | None = None
    authorization_id: int | None = None
    days_billed: int | None = None
    days_scheduled: int | None = None
    charge_id: int | None = None


@dataclass
class InvoiceDraft:
    family_id: int
    family_name: str
    account_id: int | None
    lines: list[LineDraft] = field(default_factory=list)

    @property
    def family_amount(self) -> Decimal:
        return sum((ln.amount for ln in self.lines if ln.payer == PayerKind.FAMILY), ZERO)

    @property
    def agency_amount(self) -> Decimal:
        return sum((ln.amount for ln in self.lines if ln.payer == PayerKind.AGENCY), ZERO)

    @property
    def total(self) -> Decimal:
        return self.family_amount + self.agency_amount


@dataclass
class RunPreview:
    program: Program
    period: str
    period_start: date
    period_end: date
    issued_on: date
    due_on: date
    invoices: list[InvoiceDraft]
    warnings: list[str]

    @property
    def total(self) -> Decimal:
        return sum((i.total for i in self.invoices), ZERO)

    @property
    def family_total(self) -> Decimal:
        return sum((i.family_amount for i in self.invoices), ZERO)

    @property
    def agency_total(self) -> Decimal:
        return sum((i.agency_amount for i in self.invoices), ZERO)

    @property
    def line_count(self) -> int:
        return sum(len(i.lines) for i in self.invoices)


def _in_force(rows, on: date) -> list:
    """Rows (rates, discount policies; loaded ordered by ``effective_from``, pk) in force on
    ``on``, in that order: a later row of the same key overrides an earlier one."""
    return [
        r
        for r in rows
        if r.effective_from <= on and (r.effective_to is None or r.effective_to >= on)
    ]


def _check_period(program: Program, period: str, start: date, end: date) -> None:
    _check_periods([program.pk], [(start, end)])


def _check_periods(program_ids: list[int], bounds: list[tuple[date, date]]) -> None:
    """Refuse if any of the programs already has a run overlapping any of the periods
    (one query)."""
    lo, hi = bounds[0][0], bounds[-1][1]
    for run in BillingRun.objects.filter(
        program_id__in=program_ids, period_start__lte=hi, period_end__gte=lo
    ).order_by("period_start", "pk"):
        if any(run.period_start <= end and run.period_end >= start for start, end in bounds):
            raise ValidationError(
                {
                    "period_start": _(
                        "This period is already billed (run of %(start)s to %(end)s). Correct "
                        "single invoices with a credit note instead of billing again."
                    )
                    % {"start": run.period_start, "end": run.period_end}
                }
            )


@dataclass
class _Loaded:
    """Everything the runs of some programs read for a span of days, by program id: read
    once (seven queries whatever the number of programs and periods), then filtered per
    period in memory. Plain tuples for enrollments and accounts: building 250,000 model
    instances would cost more than the inserts the run makes."""

    enrollments: dict[int, list[_Row]]  # in run order (family, birth date, start, pk)
    accounts: dict[int, dict[int, _Acc]]  # program → family → account
    rates: dict[int, list[TuitionRate]]  # by effective_from, pk
    auths: dict[int, list[CcapAuthorization]]  # by starts_on, pk
    discounts: dict[int, list[DiscountPolicy]]  # by effective_from, pk
    fees: dict[int, list[FeeType]]  # active, by name
    charges: dict[int, list[OneOffCharge]]  # not yet billed, by charge_on, pk
    # (program, child, day) of every enrollment that continues one ending the day before
    # (the child moved rooms): no "once" fee for it.
    moves: set[tuple[int, int, date]] = field(default_factory=set)


def _load(program_ids: list[int], lo: date, hi: date) -> _Loaded:
    def grouped(rows) -> dict[int, list]:
        out: dict[int, list] = defaultdict(list)
        for row in rows:
            out[row.program_id].append(row)
        return out

    def overlapping(qs):
        return qs.filter(program_id__in=program_ids, effective_from__lte=hi).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=lo)
        )

    # From the day before the span: an enrollment ending then is continued by a move.
    rows = [
        _Row(*values)
        for values in Enrollment.objects.filter(program_id__in=program_ids, start_date__lte=hi)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=lo - timedelta(days=1)))
        .order_by("child__family_id", "child__birth_date", "start_date", "pk")
        .values_list(*_Row.COLUMNS)
    ]
    accounts: dict[int, dict[int, _Acc]] = defaultdict(dict)
    for values in FamilyAccount.objects.filter(program_id__in=program_ids).values_list(
        *_Acc.COLUMNS
    ):
        acc = _Acc(*values)
        accounts[acc.program_id][acc.family_id] = acc
    return _Loaded(
        enrollments=grouped(rows),
        accounts=accounts,
        rates=grouped(overlapping(TuitionRate.objects).order_by("effective_from", "pk")),
        auths=grouped(
            CcapAuthorization.objects.filter(
                program_id__in=program_ids, starts_on__lte=hi, ends_on__gte=lo
            ).order_by("starts_on", "pk")
        ),
        discounts=grouped(overlapping(DiscountPolicy.objects).order_by("effective_from", "pk")),
        fees=grouped(
            FeeType.objects.filter(program_id__in=program_ids, is_active=True).order_by(
                "name", "pk"
            )
        ),
        charges=grouped(
            OneOffCharge.objects.filter(
                program_id__in=program_ids, charge_on__lte=hi, invoice_line__isnull=True
            ).order_by("charge_on", "pk")
        ),
        moves={
            (r.program_id, r.child_id, r.end_date + timedelta(days=1)) for r in rows if r.end_date
        },
    )


def build_preview(
    *,
    program: Program,
    period: str,
    day: date,
    issued_on: date | None = None,
    settings: BillingSettings | None = None,
) -> RunPreview:
    """Compute every invoice of the period containing ``day``. Reads only."""
    start, end = period_bounds(period, day)
    return _compute(
        program=program,
        period=period,
        start=start,
        end=end,
        issued_on=issued_on,
        settings=settings or settings_for(program),
        loaded=_load([program.pk], start, end),
        days=_Days(start, end),
        billed_charges=set(),
    )


def _compute(
    *,
    program: Program,
    period: str,
    start: date,
    end: date,
    issued_on: date | None,
    settings: BillingSettings,
    loaded: _Loaded,
    days: _Days,
    billed_charges: set[int],
) -> RunPreview:
    """The invoices of one program's period from rows loaded for a span that contains it.
    ``billed_charges``: one-off charges already billed by an earlier period of the same
    call (skipped here; this period's charges are added to it)."""
    issued = issued_on or start
    due = issued + timedelta(days=settings.due_days)
    warnings: list[str] = []
    pid = program.pk

    enrollments = [
        e
        for e in loaded.enrollments.get(pid, ())
        if e.start_date <= end and (e.end_date is None or e.end_date >= start)
    ]
    accounts = loaded.accounts.get(pid, {})
    rates_by_room: dict[tuple[int, str], TuitionRate] = {}
    rates_by_age: dict[tuple[str, str], TuitionRate] = {}
    for rate in _in_force(loaded.rates.get(pid, ()), start):
        if rate.classroom_id:
            rates_by_room[(rate.classroom_id, rate.schedule)] = rate
        else:
            rates_by_age[(rate.age_group, rate.schedule)] = rate
    auths: dict[int, list[CcapAuthorization]] = defaultdict(list)
    for auth in loaded.auths.get(pid, ()):
        if auth.starts_on <= end and auth.ends_on >= start and auth.last_day >= start:
            auths[auth.child_id].append(auth)
    discounts = {d.kind: d for d in _in_force(loaded.discounts.get(pid, ()), start)}
    fees = loaded.fees.get(pid, [])
    charges: dict[int, list[OneOffCharge]] = defaultdict(list)
    for charge in loaded.charges.get(pid, ()):
        if charge.charge_on <= end and charge.pk not in billed_charges:
            charges[charge.account_id].append(charge)
    by_account_id = {a.pk: a for a in accounts.values()}  # for charges of unbilled families

    september = any(date(y, 9, 1) >= start and date(y, 9, 1) <= end for y in {start.year, end.year})
    ccap_cache: dict[tuple, Decimal] = {}
    drafts: dict[int, InvoiceDraft] = {}

    def draft_for(family_id: int, family_name: str) -> InvoiceDraft:
        d = drafts.get(family_id)
        if d is None:
            acc = accounts.get(family_id)
            d = drafts[family_id] = InvoiceDraft(family_id, family_name, acc.pk if acc else None)
        return d

    t_subsidy, t_copay = _("CCAP subsidy — %(l)s"), _("CCAP co-pay — %(l)s")
    t_difference, t_tuition = _("Difference to our rate — %(l)s"), _("Tuition — %(l)s")

    fee_children: set[int] = set()
    for e in enrollments:
        lo, hi = max(start, e.start_date), min(end, e.end_date or end)
        scheduled = days.count(e.days, start, end)
        billed = days.count(e.days, lo, hi)
        if scheduled == 0 or billed == 0:
            continue
        age = _age_months(e.birth_date, start)
        group = ccap.age_group(age)
        rate = rates_by_room.get((e.classroom_id, e.schedule)) or rates_by_age.get(
            (group, e.schedule)
        )
        if rate is None:
            warnings.append(
                _("No tuition rate for %(room)s (%(schedule)s): %(child)s is not billed.")
                % {
                    "room": e.room_name,
                    "schedule": CareSchedule(e.schedule).label,
                    "child": f"{e.first_name} {e.last_name}",
                }
            )
            continue
        draft = draft_for(e.family_id, e.family_name)
        full = convert(rate.amount, from_period=rate.period, to_period=period)
        name = f"{e.first_name} {e.last_name}"
        label = {"l": f"{name} · {e.room_name}"}
        subsidized = 0
        for auth in auths.get(e.child_id, ()):
            a_lo, a_hi = max(lo, auth.starts_on), min(hi, auth.last_day)
            sub_days = days.count(e.days, a_lo, a_hi)
            if sub_days == 0:
                continue
            subsidized += sub_days
            share = Decimal(sub_days) / Decimal(scheduled)
            key = (
                auth.provider_type,
                auth.schedule,
                auth.star_rating,
                auth.age_group or group,
                auth.special_needs,
            )
            weekly = ccap_cache.get(key)
            if weekly is None:
                try:
                    weekly = ccap.weekly_rate(
                        provider_type=key[0],
                        schedule=key[1],
                        star_rating=key[2],
                        age_group=key[3],
                        special_needs=key[4],
                        on=start,
                    )
                except ccap.CcapDataMissing as exc:
                    raise ValidationError({"period_start": str(exc)}) from None
                ccap_cache[key] = weekly
            own = to_money(full * share)
            agency_max = to_money(
                convert(weekly, from_period=Period.WEEKLY, to_period=period) * share
            )
            covered = min(own, agency_max)
            copay = ccap.capped_copay(
                to_money(
                    convert(auth.weekly_copay, from_period=Period.WEEKLY, to_period=period) * share
                ),
                covered,
            )
            common = {
                "child_id": e.child_id,
                "enrollment_id": e.pk,
                "authorization_id": auth.pk,
                "days_billed": sub_days,
                "days_scheduled": scheduled,
            }
            if covered - copay > 0:
                draft.lines.append(
                    LineDraft(
                        LineKind.SUBSIDY,
                        PayerKind.AGENCY,
                        t_subsidy % label,
                        covered - copay,
                        **common,
                    )
                )
            if copay > 0:
                draft.lines.append(
                    LineDraft(
                        LineKind.COPAY,
                        PayerKind.FAMILY,
                        t_copay % label,
                        copay,
                        **common,
                    )
                )
            if settings.bill_ccap_difference and own > covered:
                draft.lines.append(
                    LineDraft(
                        LineKind.DIFFERENCE,
                        PayerKind.FAMILY,
                        t_difference % label,
                        own - covered,
                        **common,
                    )
                )
        unsubsidized = billed - subsidized
        if unsubsidized > 0:
            amount = to_money(full * unsubsidized / scheduled)
            draft.lines.append(
                LineDraft(
                    LineKind.TUITION,
                    PayerKind.FAMILY,
                    t_tuition % label,
                    amount,
                    child_id=e.child_id,
                    enrollment_id=e.pk,
                    days_billed=unsubsidized,
                    days_scheduled=scheduled,
                )
            )
        for fee in fees:
            once_due = (
                fee.charge == FeeCharge.ONCE
                and start <= e.start_date <= end
                and (pid, e.child_id, e.start_date) not in loaded.moves
            )
            periodic = fee.charge == FeeCharge.EVERY_PERIOD or (
                fee.charge == FeeCharge.YEARLY and september
            )
            if once_due or (periodic and (e.child_id, fee.pk) not in fee_children):
                fee_children.add((e.child_id, fee.pk))
                draft.lines.append(
                    LineDraft(
                        LineKind.FEE,
                        PayerKind.FAMILY,
                        f"{fee.name} — {name}",
                        fee.amount,
                        child_id=e.child_id,
                        enrollment_id=e.pk,
                    )
                )

    for draft in drafts.values():
        _apply_discounts(draft, discounts, accounts.get(draft.family_id))

    for account_id, pending in charges.items():
        account = by_account_id.get(account_id)
        if account is None:
            continue
        draft = draft_for(account.family_id, account.family_name)
        for charge in pending:
            draft.lines.append(
                LineDraft(
                    LineKind.CHARGE,
                    PayerKind.FAMILY,
                    charge.description,
                    charge.amount,
                    child_id=charge.child_id,
                    charge_id=charge.pk,
                )
            )
    invoices = sorted(
        (d for d in drafts.values() if d.lines and d.total > 0),
        key=lambda d: (d.family_name, d.family_id),
    )
    return RunPreview(program, period, start, end, issued, due, invoices, warnings)


def _apply_discounts(draft: InvoiceDraft, discounts: dict, account: _Acc | None) -> None:
    """Sibling and staff discounts on family tuition (children without CCAP). They do not
    stack: each child gets the larger one."""
    tuition: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in draft.lines:
        if line.kind == LineKind.TUITION:
            tuition[line.child_id] += line.amount
    if not tuition:
        return
    order = sorted(tuition, key=lambda c: (-tuition[c], c))
    sibling = discounts.get(DiscountKind.SIBLING)
    staff = discounts.get(DiscountKind.STAFF) if account and account.staff_family else None
    for position, child_id in enumerate(order):
        best, label = ZERO, ""
        for policy, applies, text in (
            (sibling, position >= 1, _("Sibling discount")),
            (staff, True, _("Staff discount")),
        ):
            if policy is None or not applies:
                continue
            if policy.method == DiscountMethod.PERCENT:
                value = to_money(tuition[child_id] * policy.value / HUNDRED)
            else:
                value = min(policy.value, tuition[child_id])
            if value > best:
                best, label = value, text
        if best > 0:
            draft.lines.append(
                LineDraft(LineKind.DISCOUNT, PayerKind.FAMILY, label, -best, child_id=child_id)
            )


@transaction.atomic
def post_run(
    *,
    acting_user: User | None,
    program: Program,
    period: str,
    day: date,
    issued_on: date | None = None,
    notify_families: bool = True,
) -> BillingRun:
    """Post the run of the period containing ``day``: the run, any missing family
    accounts, and every invoice with its lines, in one transaction. After commit, one
    background task tells the families (``notify_families=False`` for demo history)."""
    runs = _post(
        acting_user=acting_user,
        programs=[program],
        period=period,
        days=[day],
        issued_on=issued_on,
        notify_families=notify_families,
    )
    if not runs:
        raise ValidationError(
            {"period_start": _("Nothing to bill for this period: no enrolled child has a rate.")}
        )
    return runs[0]


@transaction.atomic
def post_runs(
    *,
    acting_user: User | None,
    programs: Sequence[Program],
    period: str,
    days: Sequence[date],
    notify_families: bool = True,
) -> list[BillingRun]:
    """Post the runs of every period containing one of ``days`` for every program, in one
    transaction: the same runs, invoices, numbers and lines as calling :func:`post_run`
    period after period and program after program, read once and written in bulk. Each
    invoice is issued on its period's first day. A program with nothing to bill in a period
    gets no run for it; a period already billed for any of the programs refuses the whole
    call. Returns the runs posted, by period, then in the order of ``programs``."""
    return _post(
        acting_user=acting_user,
        programs=list(programs),
        period=period,
        days=list(days),
        issued_on=None,
        notify_families=notify_families,
    )


def _post(
    *,
    acting_user: User | None,
    programs: list[Program],
    period: str,
    days: list[date],
    issued_on: date | None,
    notify_families: bool,
) -> list[BillingRun]:
    began = time.perf_counter()
    if not programs or not days:
        return []
    bounds = sorted({period_bounds(period, day) for day in days})
    ids = [p.pk for p in programs]
    settings = _lock_settings(programs)  # serializes runs and numbering of each program
    _check_periods(ids, bounds)
    loaded = _load(ids, bounds[0][0], bounds[-1][1])
    billed_charges: set[int] = set()
    previews: list[RunPreview] = []
    for start, end in bounds:
        days_of = _Days(start, end)
        for program in programs:
            preview = _compute(
                program=program,
                period=period,
                start=start,
                end=end,
                issued_on=issued_on,
                settings=settings[program.pk],
                loaded=loaded,
                days=days_of,
                billed_charges=billed_charges,
            )
            if not preview.invoices:
                continue
            previews.append(preview)
            billed_charges.update(
                ln.charge_id for d in preview.invoices for ln in d.lines if ln.charge_id
            )
    if not previews:
        return []
    _open_missing_accounts(previews)

    runs: list[BillingRun] = []
    invoices: list[Invoice] = []
    drafts: list[InvoiceDraft] = []
    for preview in previews:
        program, s = preview.program, settings[preview.program.pk]
        run = BillingRun(
            program=program,
            period=period,
            period_start=preview.period_start,
            period_end=preview.period_end,
            issued_on=preview.issued_on,
            due_on=preview.due_on,
            invoice_count=len(preview.invoices),
            total=preview.total,
            family_total=preview.family_total,
            agency_total=preview.agency_total,
            posted_by=acting_user,
        )
        runs.append(run)
        first = s.next_invoice_number
        s.next_invoice_number = first + len(preview.invoices)
        for i, d in enumerate(preview.invoices):
            invoices.append(
                Invoice(
                    program=program,
                    account_id=d.account_id,
                    run=run,
                    kind=InvoiceKind.PERIOD,
                    number=f"{s.invoice_prefix}-{first + i:06d}",
                    issued_on=preview.issued_on,
                    due_on=preview.due_on,
                    period_start=preview.period_start,
                    period_end=preview.period_end,
                    total=d.total,
                    family_amount=d.family_amount,
                    agency_amount=d.agency_amount,
                    created_by=acting_user,
                )
            )
            drafts.append(d)
    billed = {r.program_id for r in runs}
    BillingSettings.objects.bulk_update(
        [settings[p.pk] for p in programs if p.pk in billed], ["next_invoice_number"]
    )
    try:
        # No savepoint: the error leaves the whole call (its atomic block rolls back).
        BillingRun.objects.bulk_create(runs, batch_size=2000)
    except IntegrityError:
        raise ValidationError(
            {"period_start": _("This period was just billed by someone else.")}
        ) from None
    Invoice.objects.bulk_create(invoices, batch_size=2000)
    lines: list[InvoiceLine] = []
    charge_lines: list[tuple[int, InvoiceLine]] = []
    for invoice, d in zip(invoices, drafts, strict=True):
        for ln in d.lines:
            row = InvoiceLine(
                program_id=invoice.program_id,
                invoice=invoice,
                child_id=ln.child_id,
                enrollment_id=ln.enrollment_id,
                authorization_id=ln.authorization_id,
                kind=ln.kind,
                payer=ln.payer,
                description=ln.description[:200],
                days_billed=ln.days_billed,
                days_scheduled=ln.days_scheduled,
                amount=ln.amount,
            )
            lines.append(row)
            if ln.charge_id:
                charge_lines.append((ln.charge_id, row))
    InvoiceLine.objects.bulk_create(lines, batch_size=5000)
    if charge_lines:
        pending = OneOffCharge.objects.in_bulk([cid for cid, _row in charge_lines])
        for cid, row in charge_lines:
            pending[cid].invoice_line = row
        OneOffCharge.objects.bulk_update(pending.values(), ["invoice_line"])
    # A run's seconds: its share of the call (the whole call for a single run).
    seconds = Decimal(str(round((time.perf_counter() - began) / len(runs), 3)))
    BillingRun.objects.filter(pk__in=[r.pk for r in runs]).update(seconds=seconds)
    _with_alliances(programs)
    for run, preview in zip(runs, previews, strict=True):
        run.seconds = seconds
        _audit(
            acting_user,
            "run_posted",
            run,
            preview.program,
            summary=f"{period} {run.period_start}–{run.period_end}: {run.invoice_count} "
            f"invoices, {preview.total}",
            data={
                "invoices": run.invoice_count,
                "total": preview.total,
                "warnings": len(preview.warnings),
            },
        )
        # Families hear about their invoices from a background task, after commit: one task
        # per run, so posting thousands of invoices is not slowed by sending.
        if notify_families:
            enqueue_on_commit(notify_run_posted_task, run.program_id, run.pk)
    return runs


def _lock_settings(programs: list[Program]) -> dict[int, BillingSettings]:
    """Each program's billing settings (created with defaults on first use), locked until
    the transaction ends, in program order (no deadlock between two calls); one query
    when every program has its settings."""
    ids = sorted(p.pk for p in programs)

    def locked(pks):
        return {
            s.program_id: s
            for s in BillingSettings.objects.select_for_update(of=("self",))
            .filter(program_id__in=pks)
            .order_by("program_id")
        }

    found = locked(ids)
    missing = [p for p in programs if p.pk not in found]
    if missing:
        for program in missing:
            settings_for(program)
        found |= locked([p.pk for p in missing])
    return found


def _with_alliances(programs: list[Program]) -> None:
    """Load the alliances the audit rows need in one query, not one per program."""
    from alliance.members.models import Alliance

    missing = {p.alliance_id for p in programs if not Program.alliance.is_cached(p)}
    if missing:
        alliances = Alliance.objects.in_bulk(missing)
        for p in programs:
            if not Program.alliance.is_cached(p):
                p.alliance = alliances[p.alliance_id]


def _open_missing_accounts(previews: list[RunPreview]) -> None:
    """Families billed for the first time get an account (guardian as 100% payer), one per
    program and family however many periods bill them."""
    missing: dict[tuple[int, int], list[InvoiceDraft]] = defaultdict(list)
    for preview in previews:
        for d in preview.invoices:
            if d.account_id is None:
                missing[(preview.program.pk, d.family_id)].append(d)
    if not missing:
        return
    from alliance.families.models import Family

    families = Family.objects.in_bulk([family_id for _pid, family_id in missing])
    accounts = FamilyAccount.objects.bulk_create(
        FamilyAccount(
            program_id=program_id,
            family=families[family_id],
            number=account_number(families[family_id]),
        )
        for program_id, family_id in missing
    )
    Payer.objects.bulk_create(
        Payer(
            program_id=acc.program_id,
            account=acc,
            name=acc.family.guardian_name or acc.family.name,
            email=acc.family.email,
            user_id=acc.family.account_id,
            share_percent=HUNDRED,
            is_primary=True,
        )
        for acc in accounts
    )
    for drafts, acc in zip(missing.values(), accounts, strict=True):
        for d in drafts:
            d.account_id = acc.pk
