"""Reads for the collections and claims pages, the API and the hub roll-up. Every list is
one or a few queries whatever its length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, QuerySet, Sum
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
from alliance.members.models import Alliance, Program

ZERO = Decimal("0")
OUTSTANDING = (ClaimStatus.SUBMITTED, ClaimStatus.PARTIALLY_PAID)


def last_month(today: date) -> str:
    first = today.replace(day=1) - timedelta(days=1)
    return f"{first:%Y-%m}"


# --- claims ------------------------------------------------------------------------------


def claims_for(program: Program) -> QuerySet[SubsidyClaim]:
    return (
        SubsidyClaim.objects.filter(program=program)
        .select_related("agency")
        .annotate(n_lines=Count("lines"))
        .order_by("-period_start", "agency__name", "pk")
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
    """Open gaps: lines of submitted claims paid less than claimed, not yet resolved."""
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
    not yet paid), agency payments received, and open short-paid gaps."""
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
        for r in (
            ClaimLine.objects.filter(
                program_id__in=ids, resolution="", amount_paid__lt=F("amount_claimed")
            )
            .exclude(claim__status=ClaimStatus.DRAFT)
            .values("program_id")
            .annotate(claimed=Sum("amount_claimed"), paid=Sum("amount_paid"))
        ):
            rows[r["program_id"]].short_paid = (r["claimed"] or ZERO) - (r["paid"] or ZERO)
    return [rows[pk] for pk in ids]
