"""Billing runs: build every invoice of a period from enrollments, schedules, rates, CCAP
authorizations, discounts, fees and one-off charges; preview (nothing written) or post.

Guarantees of :func:`post_run`: one transaction (a crash leaves no invoice of the run); a
program's periods never overlap (checked, and ``(program, period_start)`` is unique, so the
same period is never billed twice); a constant number of queries whatever the number of
children (everything is loaded in bulk, then ``bulk_create``).

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
from alliance.billing.services import _audit, _locked_settings, account_number, settings_for
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
        "child__family__name", "classroom__name",
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


@dataclass(slots=True)
class _Acc:
    COLUMNS = ("pk", "family_id", "family__name", "staff_family")
    pk: int
    family_id: int
    family_name: str
    staff_family: bool


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


def _in_force(qs, on: date):
    return qs.filter(effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)
    )


def _check_period(program: Program, period: str, start: date, end: date) -> None:
    overlapping = BillingRun.objects.filter(
        program=program, period_start__lte=end, period_end__gte=start
    ).first()
    if overlapping is not None:
        raise ValidationError(
            {
                "period_start": _(
                    "This period is already billed (run of %(start)s to %(end)s). Correct "
                    "single invoices with a credit note instead of billing again."
                )
                % {"start": overlapping.period_start, "end": overlapping.period_end}
            }
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
    settings = settings or settings_for(program)
    issued = issued_on or start
    due = issued + timedelta(days=settings.due_days)
    days = _Days(start, end)
    warnings: list[str] = []

    # Plain tuples, not model instances: building 250,000 instances would cost more than
    # the inserts the run makes.
    enrollments = [
        _Row(*values)
        for values in Enrollment.objects.filter(program=program, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .order_by("child__family_id", "child__birth_date", "start_date", "pk")
        .values_list(*_Row.COLUMNS)
    ]
    accounts = {
        a.family_id: a
        for a in (
            _Acc(*values)
            for values in FamilyAccount.objects.filter(program=program).values_list(*_Acc.COLUMNS)
        )
    }
    rates_by_room: dict[tuple[int, str], TuitionRate] = {}
    rates_by_age: dict[tuple[str, str], TuitionRate] = {}
    for rate in _in_force(TuitionRate.objects.filter(program=program), start).order_by(
        "effective_from", "pk"
    ):
        if rate.classroom_id:
            rates_by_room[(rate.classroom_id, rate.schedule)] = rate
        else:
            rates_by_age[(rate.age_group, rate.schedule)] = rate
    auths: dict[int, list[CcapAuthorization]] = defaultdict(list)
    for auth in CcapAuthorization.objects.filter(
        program=program, starts_on__lte=end, ends_on__gte=start
    ).order_by("starts_on"):
        if auth.last_day >= start:
            auths[auth.child_id].append(auth)
    discounts = {
        d.kind: d
        for d in _in_force(DiscountPolicy.objects.filter(program=program), start).order_by(
            "effective_from", "pk"
        )
    }
    fees = list(FeeType.objects.filter(program=program, is_active=True).order_by("name"))
    charges: dict[int, list[OneOffCharge]] = defaultdict(list)
    for charge in OneOffCharge.objects.filter(
        program=program, charge_on__lte=end, invoice_line__isnull=True
    ).order_by("charge_on", "pk"):
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
            once_due = fee.charge == FeeCharge.ONCE and start <= e.start_date <= end
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
    began = time.perf_counter()
    settings = _locked_settings(program)  # serializes runs and numbering of this program
    start, end = period_bounds(period, day)
    _check_period(program, period, start, end)
    preview = build_preview(
        program=program, period=period, day=day, issued_on=issued_on, settings=settings
    )
    if not preview.invoices:
        raise ValidationError(
            {"period_start": _("Nothing to bill for this period: no enrolled child has a rate.")}
        )
    _open_missing_accounts(program, preview)
    first = settings.next_invoice_number
    settings.next_invoice_number = first + len(preview.invoices)
    settings.save(update_fields=["next_invoice_number"])
    try:
        with transaction.atomic():
            run = BillingRun.objects.create(
                program=program,
                period=period,
                period_start=start,
                period_end=end,
                issued_on=preview.issued_on,
                due_on=preview.due_on,
                invoice_count=len(preview.invoices),
                total=preview.total,
                family_total=preview.family_total,
                agency_total=preview.agency_total,
                posted_by=acting_user,
            )
    except IntegrityError:
        raise ValidationError(
            {"period_start": _("This period was just billed by someone else.")}
        ) from None
    invoices = [
        Invoice(
            program=program,
            account_id=d.account_id,
            run=run,
            kind=InvoiceKind.PERIOD,
            number=f"{settings.invoice_prefix}-{first + i:06d}",
            issued_on=preview.issued_on,
            due_on=preview.due_on,
            period_start=start,
            period_end=end,
            total=d.total,
            family_amount=d.family_amount,
            agency_amount=d.agency_amount,
            created_by=acting_user,
        )
        for i, d in enumerate(preview.invoices)
    ]
    Invoice.objects.bulk_create(invoices, batch_size=2000)
    lines: list[InvoiceLine] = []
    charge_lines: list[tuple[int, InvoiceLine]] = []
    for invoice, d in zip(invoices, preview.invoices, strict=True):
        for ln in d.lines:
            row = InvoiceLine(
                program=program,
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
    run.seconds = Decimal(str(round(time.perf_counter() - began, 3)))
    run.save(update_fields=["seconds"])
    _audit(
        acting_user,
        "run_posted",
        run,
        program,
        summary=f"{period} {start}–{end}: {len(invoices)} invoices, {preview.total}",
        data={"invoices": len(invoices), "total": preview.total, "warnings": len(preview.warnings)},
    )
    # Families hear about their invoices from a background task, after commit: one task per
    # run, so posting thousands of invoices is not slowed by sending.
    if notify_families:
        enqueue_on_commit(notify_run_posted_task, program.pk, run.pk)
    return run


def _open_missing_accounts(program: Program, preview: RunPreview) -> None:
    """Families billed for the first time get an account (guardian as 100% payer)."""
    missing = [d for d in preview.invoices if d.account_id is None]
    if not missing:
        return
    from alliance.families.models import Family

    families = Family.objects.in_bulk([d.family_id for d in missing])
    accounts = FamilyAccount.objects.bulk_create(
        FamilyAccount(
            program=program,
            family=families[d.family_id],
            number=account_number(families[d.family_id]),
        )
        for d in missing
    )
    Payer.objects.bulk_create(
        Payer(
            program=program,
            account=acc,
            name=acc.family.guardian_name or acc.family.name,
            email=acc.family.email,
            user_id=acc.family.account_id,
            share_percent=HUNDRED,
            is_primary=True,
        )
        for acc in accounts
    )
    for d, acc in zip(missing, accounts, strict=True):
        d.account_id = acc.pk
