"""Reads for the collections and claims pages, the API and the hub roll-up. Every list is
one or a few queries whatever its length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django_scopes import scopes_disabled

from alliance.billing.models import (
    AgencyPayment,
    AutopayAttempt,
    AutopayStatus,
    ClaimLine,
    ClaimStatus,
    FamilyAccount,
    LateFeeAssessment,
    LeakageFlag,
    PaymentPlan,
    Reminder,
    SubsidyClaim,
)
from alliance.billing.queries import cents
from alliance.members.models import Alliance, Program

ZERO = Decimal("0")
OUTSTANDING = (ClaimStatus.SUBMITTED, ClaimStatus.PARTIALLY_PAID)


def last_month(today: date) -> str:
    first = today.replace(day=1) - timedelta(days=1)
    return f"{first:%Y-%m}"


# --- claims ------------------------------------------------------------------------------


def claims_for(program: Program) -> QuerySet[SubsidyClaim]:
    """Claims and adjustments, latest period first, each adjustment after its original."""
    return (
        SubsidyClaim.objects.filter(program=program)
        .select_related("agency")
        .annotate(n_lines=Count("lines"))
        .order_by("-period_start", "agency__name", "sequence", "pk")
    )


def claim_lines(claim: SubsidyClaim) -> list[ClaimLine]:
    return list(
        ClaimLine.objects.filter(claim=claim)
        .select_related("child", "authorization", "account__family", "invoice")
        .order_by("child__last_name", "child__first_name", "pk")
    )


@dataclass
class ClaimTotals:
    claimed: Decimal = ZERO
    paid: Decimal = ZERO
    open_gap: Decimal = ZERO
    scheduled: int = 0
    attended: int = 0
    absent: int = 0

    @property
    def gap(self) -> Decimal:
        return self.claimed - self.paid


def claim_totals(lines: list[ClaimLine]) -> ClaimTotals:
    t = ClaimTotals()
    for ln in lines:
        t.claimed += ln.amount_claimed
        t.paid += ln.amount_paid
        t.scheduled += ln.days_scheduled
        t.attended += ln.days_attended
        t.absent += ln.days_absent
        if not ln.resolution:
            t.open_gap += ln.short_paid
    return t


# --- a period: the original claim and its adjustments ---------------------------------------


@dataclass
class ChildRow:
    """One authorization (child) over the period: claimed by the original, by the submitted
    adjustments, received, and what is still short."""

    authorization_id: int
    child: object
    case_number: str
    original: Decimal = ZERO
    adjustments: Decimal = ZERO
    paid: Decimal = ZERO
    resolution: str = ""
    resolution_label: str = ""

    @property
    def net(self) -> Decimal:
        return self.original + self.adjustments

    @property
    def short_paid(self) -> Decimal:
        return max(ZERO, self.net - self.paid)

    @property
    def gap(self) -> Decimal:
        """Short-paid and not yet waived or billed to the family."""
        return ZERO if self.resolution else self.short_paid


@dataclass
class PeriodView:
    original: SubsidyClaim
    adjustments: list[SubsidyClaim]
    rows: list[ChildRow]

    @property
    def claims(self) -> list[SubsidyClaim]:
        return [self.original, *self.adjustments]

    @property
    def submitted_adjustments(self) -> list[SubsidyClaim]:
        return [a for a in self.adjustments if a.status != ClaimStatus.DRAFT]

    @property
    def original_claimed(self) -> Decimal:
        return self.original.total_claimed

    @property
    def adjusted(self) -> Decimal:
        return sum((a.total_claimed for a in self.submitted_adjustments), ZERO)

    @property
    def net_claimed(self) -> Decimal:
        return self.original_claimed + self.adjusted

    @property
    def paid(self) -> Decimal:
        return self.original.total_paid + sum((a.total_paid for a in self.adjustments), ZERO)

    @property
    def open_gap(self) -> Decimal:
        return sum((r.gap for r in self.rows), ZERO)

    def row(self, authorization_id: int) -> ChildRow | None:
        return next((r for r in self.rows if r.authorization_id == authorization_id), None)


def period_view(claim: SubsidyClaim) -> PeriodView:
    """The claim's period (two queries): its original, every adjustment, and one row per
    authorization adding up the submitted lines of all of them."""
    original_id = claim.adjusts_id or claim.pk
    family = list(
        SubsidyClaim.objects.filter(Q(pk=original_id) | Q(adjusts_id=original_id))
        .select_related("created_by", "submitted_by")
        .order_by("sequence")
    )
    original = family[0]
    rows: dict[int, ChildRow] = {}
    for ln in (
        ClaimLine.objects.filter(claim__in=[c.pk for c in family])
        .exclude(claim__status=ClaimStatus.DRAFT)
        .select_related("child", "authorization")
        .order_by("child__last_name", "child__first_name", "authorization_id", "claim_id")
    ):
        row = rows.get(ln.authorization_id)
        if row is None:
            row = rows[ln.authorization_id] = ChildRow(
                ln.authorization_id, ln.child, ln.authorization.case_number
            )
        if ln.claim_id == original.pk:
            row.original += ln.amount_claimed
        else:
            row.adjustments += ln.amount_claimed
        row.paid += ln.amount_paid
        if ln.resolution:
            row.resolution, row.resolution_label = ln.resolution, ln.get_resolution_display()
    return PeriodView(original=original, adjustments=family[1:], rows=list(rows.values()))


def agency_payments_of(claim: SubsidyClaim) -> list[AgencyPayment]:
    return list(
        AgencyPayment.objects.filter(claim=claim)
        .select_related("recorded_by")
        .annotate(n_children=Count("allocations"))
        .order_by("-received_on", "-pk")
    )


def agency_payments_for(program: Program) -> QuerySet[AgencyPayment]:
    return (
        AgencyPayment.objects.filter(program=program)
        .select_related("agency", "claim")
        .annotate(n_children=Count("allocations"))
        .order_by("-received_on", "-pk")
    )


def short_paid_lines(program: Program) -> QuerySet[ClaimLine]:
    """Lines of submitted claims paid less than they claim, not yet resolved, each line on
    its own (an adjustment may have corrected it: ``period_view`` nets them per child)."""
    return (
        ClaimLine.objects.filter(
            program=program, resolution="", amount_paid__lt=F("amount_claimed")
        )
        .exclude(claim__status=ClaimStatus.DRAFT)
        .select_related("claim__agency", "child")
        .order_by("-claim__period_start", "pk")
    )


# --- leakage -------------------------------------------------------------------------------


def flags_for(program: Program, *, show: str = "open") -> QuerySet[LeakageFlag]:
    qs = LeakageFlag.objects.filter(program=program).select_related(
        "child", "authorization", "resolved_by"
    )
    if show == "open":
        qs = qs.filter(resolved_at__isnull=True)
    elif show == "dismissed":
        qs = qs.filter(resolved_at__isnull=False)
    return qs.order_by("-detected_on", "kind", "pk")


# --- collections -----------------------------------------------------------------------------


def late_fees_for(program: Program) -> QuerySet[LateFeeAssessment]:
    return (
        LateFeeAssessment.objects.filter(program=program)
        .select_related("overdue_invoice", "fee_invoice__account__family")
        .order_by("-assessed_on", "-pk")
    )


def plans_for(program: Program, *, account: FamilyAccount | None = None):
    qs = PaymentPlan.objects.filter(program=program)
    if account is not None:
        qs = qs.filter(account=account)
    return (
        qs.select_related("account__family")
        .prefetch_related("installments")
        .order_by("status", "-created_at", "pk")
    )


def reminders_for(program: Program, *, account: FamilyAccount | None = None):
    qs = Reminder.objects.filter(program=program)
    if account is not None:
        qs = qs.filter(account=account)
    return qs.select_related("invoice", "step", "account__family").order_by("-created_at", "-pk")


def autopay_attempts_for(program: Program, *, account: FamilyAccount | None = None, pending=False):
    qs = AutopayAttempt.objects.filter(program=program)
    if account is not None:
        qs = qs.filter(account=account)
    if pending:
        qs = qs.filter(status=AutopayStatus.PENDING)
    return qs.select_related("account__family", "payment").order_by("-attempted_on", "-pk")


def autopay_accounts(program: Program) -> QuerySet[FamilyAccount]:
    return (
        FamilyAccount.objects.filter(program=program, autopay_enabled=True)
        .select_related("family")
        .order_by("family__name", "pk")
    )


# --- hub roll-up ---------------------------------------------------------------------------


@dataclass
class MemberClaims:
    program: Program
    claims_outstanding: int = 0
    outstanding_amount: Decimal = ZERO
    received: Decimal = ZERO
    short_paid: Decimal = ZERO


def hub_rollup(alliance: Alliance) -> list[MemberClaims]:
    """One row per member program (four queries): claims outstanding (count and amount
    not yet paid), agency payments received, and open short-paid gaps (per child and
    period, the original claim plus its adjustments)."""
    with scopes_disabled():
        programs = list(Program.unscoped.filter(alliance=alliance).order_by("name", "pk"))
        rows = {p.pk: MemberClaims(program=p) for p in programs}
        ids = list(rows)
        for r in (
            SubsidyClaim.objects.filter(program_id__in=ids, status__in=OUTSTANDING)
            .values("program_id")
            .annotate(n=Count("pk"), claimed=Sum("total_claimed"), paid=Sum("total_paid"))
        ):
            row = rows[r["program_id"]]
            row.claims_outstanding = r["n"]
            row.outstanding_amount = (r["claimed"] or ZERO) - (r["paid"] or ZERO)
        for r in (
            AgencyPayment.objects.filter(program_id__in=ids)
            .values("program_id")
            .annotate(s=Sum("amount"))
        ):
            rows[r["program_id"]].received = r["s"] or ZERO
        # Short-paid per authorization and period, the original plus its adjustments.
        for r in (
            ClaimLine.objects.filter(program_id__in=ids)
            .exclude(claim__status=ClaimStatus.DRAFT)
            .values("program_id", "claim__agency_id", "claim__period_start", "authorization_id")
            .annotate(
                claimed=Sum("amount_claimed"),
                paid=Sum("amount_paid"),
                resolved=Count("pk", filter=~Q(resolution="")),
            )
            .order_by()
        ):
            if not r["resolved"]:
                gap = cents(r["claimed"]) - cents(r["paid"])  # SQLite sums in floats
                rows[r["program_id"]].short_paid += max(ZERO, gap)
    return [rows[pk] for pk in ids]
