"""Subsidy claims: build a claim per agency and period from CCAP authorizations,
enrollments and attendance; submit it (then it is immutable); record an agency payment
spread over many children; resolve each short-paid line (waive, or bill the family); and
detect billing leakage.

Guarantees: every writer is atomic and audited; an agency payment is recorded with all its
allocations or not at all, each allocation posting a ``Payment(payer_kind="agency")`` through
:func:`alliance.billing.services_payments.record_payment`; waivers and gaps billed to the
family are new ledger rows (credit notes, a pending charge), never edits.

How a line's amount is claimed (docs/billing.md, "Subsidy claims"):

* when a posted invoice of the period carries agency lines for the authorization, the claim
  asks exactly what the ledger expects from the agency (Σ those lines);
* otherwise it is computed like a run would: the CCAP weekly maximum rate for the
  authorization (provider type, schedule, star rating, age group on the first day of the
  period, special needs) converted to the period (weekly × 52 ÷ 12 for a month), prorated by
  the scheduled days covered by both the authorization and the enrollment over the scheduled
  days of the whole period, minus the prorated weekly co-pay (never below zero).

Attendance and absence days are counted for every line (scheduled days up to the day the
claim is built without a check-in are absences) and exported for agencies that need them.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.billing import queries
from alliance.billing.models import (
    AgencyPayment,
    AgencyPaymentAllocation,
    BillingRun,
    CcapAuthorization,
    ClaimLine,
    ClaimStatus,
    CreditKind,
    FamilyAccount,
    GapResolution,
    Invoice,
    InvoiceLine,
    LeakageFlag,
    LeakageKind,
    PayerKind,
    PaymentMethod,
    SubsidyAgency,
    SubsidyClaim,
)
from alliance.billing.services import _audit, add_charge, issue_credit, parse_amount
from alliance.billing.services_payments import record_payment
from alliance.core.money import to_money
from alliance.enrollment.models import Attendance, Enrollment, EnrollmentStatus
from alliance.members.models import Program
from alliance.rules import ccap

ZERO = Decimal("0")
EXPIRING_WITHIN_DAYS = 30
LEAKAGE_LOOKBACK_DAYS = 62


# --- pure arithmetic ---------------------------------------------------------------------


def scheduled_days(pattern: str, lo: date, hi: date) -> list[date]:
    """The dates from ``lo`` to ``hi`` (inclusive) whose weekday is in ``pattern``
    ("01234" = Monday to Friday)."""
    wanted = {int(c) for c in pattern if c.isdigit()}
    if hi < lo:
        return []
    return [
        lo + timedelta(days=i)
        for i in range((hi - lo).days + 1)
        if (lo + timedelta(days=i)).weekday() in wanted
    ]


def prorated_agency_amount(
    *, weekly_rate: Decimal, weekly_copay: Decimal, covered_days: int, period_days: int
) -> Decimal:
    """What the agency owes for one child and one month: (weekly rate − weekly co-pay)
    × 52 ÷ 12 × covered scheduled days ÷ scheduled days of the month, to the cent, never
    negative. Rate and co-pay are prorated separately and the co-pay is capped at the
    rate, exactly as the billing run does."""
    if covered_days <= 0 or period_days <= 0:
        return ZERO
    share = Decimal(covered_days) / Decimal(period_days)
    rate = to_money(weekly_rate * 52 / 12 * share)
    copay = min(rate, to_money(weekly_copay * 52 / 12 * share))
    return max(ZERO, rate - max(ZERO, copay))


def _age_months(birth: date, on: date) -> int:
    months = (on.year - birth.year) * 12 + on.month - birth.month
    if on.day < birth.day:
        months -= 1
    return max(0, months)


# --- building a claim ----------------------------------------------------------------------


@dataclass
class LineDraft:
    authorization: CcapAuthorization
    child_id: int
    account_id: int
    invoice_id: int | None
    days_scheduled: int
    days_attended: int
    days_absent: int
    amount_claimed: Decimal
    child_name: str = ""
    case_number: str = ""
    from_invoice: bool = False


@dataclass
class ClaimPreview:
    agency: SubsidyAgency
    period_start: date
    period_end: date
    lines: list[LineDraft] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((ln.amount_claimed for ln in self.lines), ZERO)


def month_bounds(day: date) -> tuple[date, date]:
    start = day.replace(day=1)
    nxt = (start + timedelta(days=32)).replace(day=1)
    return start, nxt - timedelta(days=1)


def _check_agency(program: Program, agency: SubsidyAgency) -> None:
    if agency.alliance_id != program.alliance_id:
        raise ValidationError({"agency": _("Choose an agency of your alliance.")})


def build_claim_preview(
    *, program: Program, agency: SubsidyAgency, period_start: date, period_end: date | None = None,
    today: date | None = None,
) -> ClaimPreview:  # fmt: skip
    """Every line the claim would hold, computed from the ledger, enrollments and
    attendance. Reads only."""
    _check_agency(program, agency)
    if period_end is None:
        period_start, period_end = month_bounds(period_start)
    if period_end < period_start:
        raise ValidationError({"period_end": _("The end of the period must be after its start.")})
    today = today or timezone.localdate()
    preview = ClaimPreview(agency=agency, period_start=period_start, period_end=period_end)
    auths = list(
        CcapAuthorization.objects.filter(
            program=program, agency=agency, starts_on__lte=period_end, ends_on__gte=period_start
        )
        .select_related("child", "account")
        .order_by("child__last_name", "child__first_name", "starts_on", "pk")
    )
    auths = [a for a in auths if a.last_day >= period_start]
    if not auths:
        return preview
    child_ids = {a.child_id for a in auths}
    enrollments: dict[int, list[Enrollment]] = defaultdict(list)
    for e in (
        Enrollment.objects.filter(program=program, child_id__in=child_ids)
        .filter(start_date__lte=period_end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period_start))
        .order_by("start_date", "pk")
    ):
        enrollments[e.child_id].append(e)
    attended: dict[int, set[date]] = defaultdict(set)
    for child_id, day in Attendance.objects.filter(
        program=program, child_id__in=child_ids, date__gte=period_start, date__lte=period_end
    ).values_list("child_id", "date"):
        attended[child_id].add(day)
    billed: dict[int, tuple[Decimal, int]] = {}
    for row in (
        InvoiceLine.objects.filter(
            program=program,
            authorization__in=[a.pk for a in auths],
            payer=PayerKind.AGENCY,
            invoice__period_start__gte=period_start,
            invoice__period_start__lte=period_end,
        )
        .values("authorization_id")
        .annotate(s=Sum("amount"))
    ):
        billed[row["authorization_id"]] = (row["s"] or ZERO, 0)
    invoice_of: dict[int, int] = {}
    for auth_id, inv_id in (
        InvoiceLine.objects.filter(
            program=program,
            authorization__in=[a.pk for a in auths],
            payer=PayerKind.AGENCY,
            invoice__period_start__gte=period_start,
            invoice__period_start__lte=period_end,
        )
        .order_by("invoice__period_start", "invoice_id")
        .values_list("authorization_id", "invoice_id")
    ):
        invoice_of.setdefault(auth_id, inv_id)
    rate_cache: dict[tuple, Decimal] = {}
    for auth in auths:
        spans = enrollments.get(auth.child_id, [])
        if not spans:
            preview.warnings.append(
                _("%(child)s has an authorization but no enrollment in this period.")
                % {"child": auth.child}
            )
            continue
        covered: set[date] = set()
        period_sched: set[date] = set()
        for e in spans:
            e_lo = max(period_start, e.start_date)
            e_hi = min(period_end, e.end_date or period_end)
            period_sched.update(scheduled_days(e.days, period_start, period_end))
            covered.update(
                scheduled_days(e.days, max(e_lo, auth.starts_on), min(e_hi, auth.last_day))
            )
        if not covered:
            continue
        days_att = sum(1 for d in attended.get(auth.child_id, ()) if d in covered)
        absent = sum(1 for d in covered if d <= today and d not in attended[auth.child_id])
        if auth.pk in billed:
            amount, from_invoice = billed[auth.pk][0], True
        else:
            group = auth.age_group or ccap.age_group(
                _age_months(auth.child.birth_date, period_start)
            )
            key = (auth.provider_type, auth.schedule, auth.star_rating, group, auth.special_needs)
            if key not in rate_cache:
                try:
                    rate_cache[key] = ccap.weekly_rate(
                        provider_type=key[0], schedule=key[1], star_rating=key[2],
                        age_group=key[3], special_needs=key[4], on=period_start,
                    )  # fmt: skip
                except ccap.CcapDataMissing as exc:
                    raise ValidationError({"period_start": str(exc)}) from None
            amount = prorated_agency_amount(
                weekly_rate=rate_cache[key],
                weekly_copay=auth.weekly_copay,
                covered_days=len(covered),
                period_days=len(period_sched),
            )
            from_invoice = False
        preview.lines.append(
            LineDraft(
                authorization=auth,
                child_id=auth.child_id,
                account_id=auth.account_id,
                invoice_id=invoice_of.get(auth.pk),
                days_scheduled=len(covered),
                days_attended=days_att,
                days_absent=absent,
                amount_claimed=amount,
                child_name=str(auth.child),
                case_number=auth.case_number,
                from_invoice=from_invoice,
            )
        )
    return preview


@transaction.atomic
def create_claim(
    *, acting_user: User | None, program: Program, agency: SubsidyAgency, period_start: date,
    period_end: date | None = None, today: date | None = None,
) -> SubsidyClaim:  # fmt: skip
    """Save the claim (a draft) for the agency and period with one line per authorization.
    A period already claimed from that agency is refused: open that claim instead."""
    if not agency.is_active:
        raise ValidationError(
            {"agency": _("This agency is deactivated; the hub can reactivate it.")}
        )
    preview = build_claim_preview(
        program=program, agency=agency, period_start=period_start, period_end=period_end,
        today=today,
    )  # fmt: skip
    if SubsidyClaim.objects.filter(
        program=program, agency=agency, period_start=preview.period_start
    ).exists():
        raise ValidationError(
            {"period_start": _("This period is already claimed from this agency; open that claim.")}
        )
    if not preview.lines:
        raise ValidationError(
            {"period_start": _("No child has an authorization from this agency in this period.")}
        )
    claim = SubsidyClaim.objects.create(
        program=program,
        agency=agency,
        period_start=preview.period_start,
        period_end=preview.period_end,
        total_claimed=preview.total,
        created_by=acting_user,
    )
    save_lines(claim, ((ln, ln.amount_claimed, ZERO) for ln in preview.lines))
    _audit(
        acting_user, "claim_created", claim, program,
        summary=f"{agency.code} {claim.period_start} {claim.total_claimed}",
    )  # fmt: skip
    return claim


@transaction.atomic
def delete_draft_claim(*, acting_user: User, claim: SubsidyClaim) -> None:
    """Throw away a draft (to rebuild it); a submitted claim is never deleted."""
    claim = SubsidyClaim.objects.select_for_update().filter(pk=claim.pk).first()
    if claim is None or claim.status != ClaimStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft claim can be deleted.")})
    _audit(acting_user, "claim_deleted", claim, claim.program, summary=str(claim.period_start))
    claim.lines.all().delete()
    claim.delete()


@transaction.atomic
def submit_claim(*, acting_user: User, claim: SubsidyClaim) -> SubsidyClaim:
    """Submit a draft claim or adjustment. From now on its lines are fixed; only payments
    and gap resolutions are recorded against it. An adjustment that only reduces what was
    claimed asks the agency for nothing: it is closed on submission."""
    claim = SubsidyClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.DRAFT:
        raise ValidationError({"status": _("This claim is already submitted.")})
    claim.status = ClaimStatus.SUBMITTED
    if claim.adjusts_id is not None and claim.total_claimed <= 0:
        claim.status = ClaimStatus.CLOSED  # a reduction: nothing for the agency to pay
    claim.submitted_by = acting_user
    claim.submitted_at = timezone.now()
    claim.save(update_fields=["status", "submitted_by", "submitted_at"])
    _audit(acting_user, "claim_submitted", claim, claim.program, summary=str(claim.total_claimed))
    return claim


CSV_HEADER = [
    "agency",
    "provider",
    "period_start",
    "period_end",
    "case_number",
    "child",
    "birth_date",
    "schedule",
    "days_scheduled",
    "days_attended",
    "days_absent",
    "amount_claimed",
]


ADJUSTMENT_CSV_HEADER = [*CSV_HEADER, "adjustment", "previously_claimed", "owed_now", "reason"]


def claim_csv(claim: SubsidyClaim) -> str:
    """The claim as the CSV agencies import (one row per child). An adjustment's rows
    carry the difference in ``amount_claimed`` and four more columns: the adjustment
    number, what was claimed before, what is owed now, and the reason."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ADJUSTMENT_CSV_HEADER if claim.adjusts_id else CSV_HEADER)
    for ln in claim.lines.select_related("child", "authorization").order_by(
        "child__last_name", "child__first_name", "pk"
    ):
        writer.writerow(
            [
                claim.agency.code,
                claim.program.name,
                claim.period_start.isoformat(),
                claim.period_end.isoformat(),
                ln.authorization.case_number,
                f"{ln.child.last_name}, {ln.child.first_name}",
                ln.child.birth_date.isoformat(),
                ln.authorization.schedule,
                ln.days_scheduled,
                ln.days_attended,
                ln.days_absent,
                f"{ln.amount_claimed:.2f}",
                *(
                    [claim.sequence, f"{ln.amount_previous:.2f}", f"{ln.amount_now:.2f}",
                     claim.reason]
                    if claim.adjusts_id
                    else []
                ),
            ]
        )  # fmt: skip
    return out.getvalue()


# --- agency payments -----------------------------------------------------------------------


def _claim_status(claim: SubsidyClaim) -> str:
    if claim.total_paid <= 0:
        return ClaimStatus.SUBMITTED
    if claim.total_paid >= claim.total_claimed:
        return ClaimStatus.PAID
    return ClaimStatus.PARTIALLY_PAID


@transaction.atomic
def record_agency_payment(
    *,
    acting_user: User | None,
    program: Program,
    agency: SubsidyAgency,
    received_on: date,
    amount: Any,
    allocations: Sequence[dict[str, Any]],
    claim: SubsidyClaim | None = None,
    reference: str = "",
) -> AgencyPayment:
    """Record one agency payment spread over children. ``allocations``: dicts with
    ``claim_line`` (a ClaimLine of ``claim``) or ``child`` (a child with an account here),
    and ``amount``. The allocations must add up to the payment exactly. Each posts an
    agency payment on the child's family account, applied to the line's invoice first and
    then to the account's other agency-open invoices, oldest first."""
    _check_agency(program, agency)
    total = parse_amount(amount, "amount")
    if claim is not None:
        if claim.program_id != program.pk or claim.agency_id != agency.pk:
            raise ValidationError({"claim": _("Choose a claim of this agency.")})
        if claim.status == ClaimStatus.DRAFT:
            raise ValidationError({"claim": _("Submit the claim before recording its payment.")})
    if not allocations:
        raise ValidationError({"allocations": _("Split the payment over at least one child.")})
    lines = {}
    if claim is not None:
        lines = {ln.pk: ln for ln in ClaimLine.objects.select_for_update().filter(claim=claim)}
    parsed = []
    for i, alloc in enumerate(allocations):
        value = parse_amount(alloc.get("amount"), f"allocations.{i}.amount", allow_zero=True)
        if value == 0:
            continue
        line = None
        line_ref = alloc.get("claim_line")
        if line_ref is not None:
            line = lines.get(getattr(line_ref, "pk", line_ref))
            if line is None:
                raise ValidationError(
                    {f"allocations.{i}.claim_line": _("Choose a line of this claim.")}
                )
            account = FamilyAccount.objects.filter(pk=line.account_id).first()
            child_id = line.child_id
        else:
            child = alloc.get("child")
            child_id = getattr(child, "pk", child)
            account = (
                FamilyAccount.objects.filter(program=program, family__children__pk=child_id).first()
                if child_id
                else None
            )
            if account is None:
                raise ValidationError(
                    {f"allocations.{i}.child": _("Choose a child with a family account here.")}
                )
        parsed.append((line, account, child_id, value))
    allocated = sum((v for *_rest, v in parsed), ZERO)
    if allocated != total:
        raise ValidationError(
            {
                "allocations": _(
                    "The children's amounts add up to %(sum)s but the payment is %(total)s; "
                    "make them equal."
                )
                % {"sum": allocated, "total": total}
            }
        )
    payment = AgencyPayment.objects.create(
        program=program,
        agency=agency,
        claim=claim,
        received_on=received_on,
        amount=total,
        reference=(reference or "").strip()[:80],
        recorded_by=acting_user,
    )
    rows = []
    for line, account, child_id, value in parsed:
        invoices = None
        if line is not None and line.invoice_id:
            first = Invoice.objects.filter(pk=line.invoice_id).first()
            rest = [i for i in queries.open_invoices(account, PayerKind.AGENCY) if i.pk != first.pk]
            invoices = [first, *rest]
        recorded = record_payment(
            acting_user=acting_user,
            account=account,
            amount=value,
            method=PaymentMethod.AGENCY,
            received_on=received_on,
            reference=payment.reference or f"{agency.code}-{payment.pk}",
            note=_("Agency payment from %(agency)s") % {"agency": agency.name},
            payer_kind=PayerKind.AGENCY,
            invoices=invoices,
        )
        rows.append(
            AgencyPaymentAllocation(
                program=program,
                agency_payment=payment,
                claim_line=line,
                child_id=child_id,
                amount=value,
                ledger_payment=recorded.payment,
            )
        )
        if line is not None:
            line.amount_paid += value
            line.save(update_fields=["amount_paid"])
    AgencyPaymentAllocation.objects.bulk_create(rows)
    if claim is not None:
        claim = SubsidyClaim.objects.select_for_update().get(pk=claim.pk)
        claim.total_paid += total
        claim.status = _claim_status(claim)
        claim.save(update_fields=["total_paid", "status"])
    _audit(
        acting_user, "agency_payment_recorded", payment, program,
        summary=f"{agency.code} {total} {payment.reference}".strip(),
        data={"children": len(rows), "claim": claim.pk if claim else None},
    )  # fmt: skip
    return payment


# --- short-paid lines ------------------------------------------------------------------------


def period_lines(line: ClaimLine):
    """The submitted lines of the same authorization in the claim's period: the original
    claim's and its adjustments'."""
    return ClaimLine.objects.filter(
        program_id=line.program_id,
        authorization_id=line.authorization_id,
        claim__agency_id=line.claim.agency_id,
        claim__period_start=line.claim.period_start,
    ).exclude(claim__status=ClaimStatus.DRAFT)


def period_gap(line: ClaimLine) -> Decimal:
    """What the agency still owes for the line's authorization and period: everything
    claimed (original plus adjustments) minus everything received, never negative."""
    sums = period_lines(line).aggregate(c=Sum("amount_claimed"), p=Sum("amount_paid"))
    return max(ZERO, queries.cents(sums["c"]) - queries.cents(sums["p"]))


def _open_line(line: ClaimLine) -> tuple[ClaimLine, Decimal]:
    """The line locked, with its period gap (original plus adjustments)."""
    line = (
        ClaimLine.objects.select_for_update(of=("self",))
        .select_related("claim", "account")
        .get(pk=line.pk)
    )
    if line.claim.status == ClaimStatus.DRAFT:
        raise ValidationError({"claim": _("Submit the claim first.")})
    group = period_lines(line)
    list(group.select_for_update(of=("self",)))
    if group.exclude(resolution="").exists():
        raise ValidationError({"resolution": _("This line's gap is already resolved.")})
    gap = period_gap(line)
    if gap <= 0:
        raise ValidationError({"resolution": _("This line is paid in full; there is no gap.")})
    return line, gap


def _credit_agency_share(
    acting_user, line: ClaimLine, kind: str, reason: str, gap: Decimal
) -> Decimal:
    """Credit what is still open of the agency share on the line's invoice (at most the
    gap). Returns the credited amount (zero when nothing was billed to the agency)."""
    if not line.invoice_id:
        return ZERO
    invoice = Invoice.objects.filter(pk=line.invoice_id).first()
    open_amount = queries.open_amounts([invoice.pk], PayerKind.AGENCY)[invoice.pk]
    amount = min(open_amount, gap)
    if amount <= 0:
        return ZERO
    issue_credit(
        acting_user=acting_user, account=line.account, amount=amount, reason=reason,
        invoice=invoice, kind=kind, payer_kind=PayerKind.AGENCY,
    )  # fmt: skip
    return amount


def _resolve(line: ClaimLine, acting_user: User, resolution: str) -> None:
    line.resolution = resolution
    line.resolved_by = acting_user
    line.resolved_at = timezone.now()
    line.save(update_fields=["resolution", "resolved_by", "resolved_at"])


@transaction.atomic
def waive_gap(*, acting_user: User, line: ClaimLine, reason: str = "") -> ClaimLine:
    """Waive a short-paid line: the agency share still open on its invoice is credited
    with a waiver credit note (the program absorbs the gap). The gap is the period's for
    the line's authorization: original plus adjustments, minus everything received."""
    line, gap = _open_line(line)
    reason = (reason or "").strip() or _("Subsidy gap waived (claim %(period)s)") % {
        "period": line.claim.period_start.strftime("%Y-%m")
    }
    credited = _credit_agency_share(acting_user, line, CreditKind.WAIVER, reason, gap)
    _resolve(line, acting_user, GapResolution.WAIVED)
    _audit(
        acting_user, "claim_gap_waived", line, line.claim.program,
        summary=f"{line.child_id} {gap}", data={"credited": credited},
    )  # fmt: skip
    return line


def next_charge_day(program: Program, today: date) -> date:
    """The first day not yet billed by a run: a charge dated then lands on the next invoice."""
    last = BillingRun.objects.filter(program=program).order_by("-period_end").first()
    if last is None or last.period_end < today:
        return today
    return last.period_end + timedelta(days=1)


@transaction.atomic
def bill_family_gap(*, acting_user: User, line: ClaimLine, today: date | None = None) -> ClaimLine:
    """Move a short-paid line's gap to the family: the agency share still open is credited
    (the agency will not pay it) and the gap becomes a charge on the family's next invoice."""
    line, gap = _open_line(line)
    period = line.claim.period_start.strftime("%Y-%m")
    reason = _("Subsidy gap of %(period)s moved to the family") % {"period": period}
    _credit_agency_share(acting_user, line, CreditKind.CREDIT, reason, gap)
    charge = add_charge(
        acting_user=acting_user,
        account=line.account,
        description=_("Subsidy not paid by the agency (%(period)s)") % {"period": period},
        amount=gap,
        charge_on=next_charge_day(line.program, today or timezone.localdate()),
        child=line.child,
    )
    _resolve(line, acting_user, GapResolution.BILLED_FAMILY)
    _audit(
        acting_user, "claim_gap_billed", line, line.claim.program,
        summary=f"{line.child_id} {gap}", data={"charge": charge.pk},
    )  # fmt: skip
    return line


# --- leakage -----------------------------------------------------------------------------------


def _flag(program, kind, key, today, child_id=None, auth_id=None, details=None) -> LeakageFlag:
    return LeakageFlag(
        program=program, kind=kind, key=key[:120], child_id=child_id, authorization_id=auth_id,
        detected_on=today, details=details or {},
    )  # fmt: skip


def detect_leakage(*, program: Program, today: date | None = None) -> list[LeakageFlag]:
    """Compute the program's leakage findings as unsaved flags. Reads only (a handful of
    queries whatever the number of children)."""
    today = today or timezone.localdate()
    since = today - timedelta(days=LEAKAGE_LOOKBACK_DAYS)
    flags: list[LeakageFlag] = []
    enrollments = list(
        Enrollment.objects.filter(program=program, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
        .exclude(status=EnrollmentStatus.WITHDRAWN, end_date__isnull=True)
        .select_related("child")
    )
    by_child: dict[int, list[Enrollment]] = defaultdict(list)
    for e in enrollments:
        by_child[e.child_id].append(e)
    # 1. Attendance on days no enrollment schedules (care given, not billed).
    extra: dict[tuple[int, str], list[str]] = defaultdict(list)
    for child_id, day in Attendance.objects.filter(
        program=program, date__gte=since, date__lte=today
    ).values_list("child_id", "date"):
        scheduled = any(
            e.covers(day) and str(day.weekday()) in e.days for e in by_child.get(child_id, ())
        )
        if not scheduled:
            year, week, _wd = day.isocalendar()
            extra[(child_id, f"{year}-W{week:02d}")].append(day.isoformat())
    for (child_id, week), days in extra.items():
        flags.append(
            _flag(program, LeakageKind.ATTENDANCE_BEYOND_SCHEDULE,
                  f"beyond_schedule:{child_id}:{week}", today, child_id=child_id,
                  details={"days": sorted(days), "week": week})
        )  # fmt: skip
    # 2. Authorizations expiring within 30 days, or ended while the child is still enrolled.
    enrolled_now = {e.child_id for e in enrollments if e.covers(today)}
    auths = list(
        CcapAuthorization.objects.filter(
            program=program, child_id__in=enrolled_now, ends_on__gte=since
        ).order_by("starts_on")
    )
    covering = {a.child_id for a in auths if a.starts_on <= today <= a.last_day}
    for a in auths:
        last = a.last_day
        if today <= last <= today + timedelta(days=EXPIRING_WITHIN_DAYS):
            if not any(
                b.child_id == a.child_id and b.pk != a.pk and b.starts_on > last for b in auths
            ):
                flags.append(
                    _flag(program, LeakageKind.AUTHORIZATION_EXPIRING, f"auth_expiring:{a.pk}",
                          today, child_id=a.child_id, auth_id=a.pk,
                          details={"ends_on": last.isoformat(), "case": a.case_number})
                )  # fmt: skip
        elif since <= last < today and a.child_id not in covering:
            flags.append(
                _flag(program, LeakageKind.AUTHORIZATION_EXPIRED, f"auth_expired:{a.pk}", today,
                      child_id=a.child_id, auth_id=a.pk,
                      details={"ended_on": last.isoformat(), "case": a.case_number})
            )  # fmt: skip
    # 3. Children enrolled during the last posted run's period without a line on it.
    run = (
        BillingRun.objects.filter(program=program, period_end__lte=today)
        .order_by("-period_start")
        .first()
    )
    if run is not None:
        billed = set(
            InvoiceLine.objects.filter(program=program, invoice__run=run)
            .exclude(child__isnull=True)
            .values_list("child_id", flat=True)
        )
        for e in enrollments:
            overlaps = e.start_date <= run.period_end and (
                e.end_date is None or e.end_date >= run.period_start
            )
            if overlaps and e.child_id not in billed:
                flags.append(
                    _flag(program, LeakageKind.UNBILLED_ENROLLMENT,
                          f"unbilled:{e.pk}:{run.period_start.isoformat()}", today,
                          child_id=e.child_id,
                          details={"period_start": run.period_start.isoformat(),
                                   "enrollment": e.pk})
                )  # fmt: skip
    return flags


@transaction.atomic
def refresh_leakage(
    *, acting_user: User | None, program: Program, today: date | None = None
) -> int:
    """Store new leakage findings (a finding already stored, open or dismissed, is never
    stored twice: ``key`` is unique). Returns how many are new."""
    found = detect_leakage(program=program, today=today)
    known = set(
        LeakageFlag.objects.filter(program=program, key__in=[f.key for f in found]).values_list(
            "key", flat=True
        )
    )
    new = [f for f in found if f.key not in known]
    LeakageFlag.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        _audit(acting_user, "leakage_refreshed", program, program, summary=str(len(new)))
    return len(new)


@transaction.atomic
def dismiss_flag(*, acting_user: User, flag: LeakageFlag, reason: str) -> LeakageFlag:
    """Dismiss a finding with a reason (kept, so the daily refresh does not raise it again)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this finding is dismissed.")})
    if flag.resolved_at is not None:
        raise ValidationError({"reason": _("This finding is already dismissed.")})
    flag.resolved_at = timezone.now()
    flag.resolved_by = acting_user
    flag.resolution_note = reason[:300]
    flag.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
    _audit(acting_user, "leakage_dismissed", flag, flag.program, summary=reason[:200])
    return flag


def save_lines(claim: SubsidyClaim, rows: Iterable[tuple[Any, Decimal, Decimal]]) -> None:
    """Write ``claim``'s lines: each drafted line (a ``LineDraft``, or an adjustment's
    ``AdjustmentLineDraft``) with the amount it claims and, on an adjustment, what the claim
    and earlier adjustments claimed for it before."""
    ClaimLine.objects.bulk_create(
        ClaimLine(
            program_id=claim.program_id,
            claim=claim,
            child_id=ln.child_id,
            account_id=ln.account_id,
            authorization=ln.authorization,
            invoice_id=ln.invoice_id,
            days_scheduled=ln.days_scheduled,
            days_attended=ln.days_attended,
            days_absent=ln.days_absent,
            amount_previous=previous,
            amount_claimed=amount,
        )
        for ln, amount, previous in rows
    )
