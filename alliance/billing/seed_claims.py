"""Demo collections and claims, after the billing ledger step (``billing.ledger``):

* a late-fee policy (flat $25 after 5 grace days, or 1.5% capped at $40) and a reminder
  schedule (3 days before, on the due date, 7 and 14 days after) at about 80% of programs;
* for the last three complete months, a submitted claim per program to the county agency
  from the agency lines of the posted invoices, with attendance and absence days; the two
  older months are paid by one agency payment each (about one line in eight short-paid by
  $25–$120), the latest is still outstanding;
* two payment plans in the demo alliance; leakage flags for Little Learners (the detector
  run on the seeded data);
* one submitted adjustment at Little Learners: the agency back-dated an authorization for
  a child missing from the oldest claim, so the adjustment claims that child's month
  (built and submitted through ``services_adjustments``, like a director would).

Everything is bulk-inserted (a county seeds in well under a second here): ledger payments
and allocations follow the same rules as ``services_payments.record_payment``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum

from alliance.billing.models import (
    AgencyPayment,
    AgencyPaymentAllocation,
    Allocation,
    BillingSettings,
    CareSchedule,
    CcapAuthorization,
    ClaimLine,
    ClaimStatus,
    FamilyAccount,
    InvoiceLine,
    LateFeePolicy,
    PayerKind,
    Payment,
    PaymentMethod,
    PaymentPlan,
    PaymentPlanInstallment,
    ReminderSchedule,
    ReminderStep,
    SubsidyAgency,
    SubsidyClaim,
)
from alliance.billing.services import create_authorization
from alliance.billing.services_adjustments import create_adjustment
from alliance.billing.services_claims import detect_leakage, month_bounds, submit_claim
from alliance.billing.services_collections import add_months, split_installments
from alliance.enrollment.models import Attendance, Enrollment
from alliance.seed.registry import SeedContext, register_step
from alliance.seed.util import bulk

CLAIM_MONTHS = 3
STEPS = ((-3, "email"), (0, "email"), (7, "both"), (14, "both"))


def _last_months(today: date, n: int) -> list[date]:
    first = today.replace(day=1)
    out = []
    for _ in range(n):
        first = (first - timedelta(days=1)).replace(day=1)
        out.append(first)
    return sorted(out)


def _policies(ctx: SeedContext) -> int:
    rng = ctx.rng
    chosen = [p for i, p in enumerate(ctx.programs) if i < 3 or rng.random() < 0.8]
    policies = bulk(
        LateFeePolicy,
        [
            LateFeePolicy(
                program=p, name="Late fee", grace_days=5, method="flat",
                flat_amount=Decimal("25.00"), effective_from=ctx.history_start,
            )
            if i % 3 else
            LateFeePolicy(
                program=p, name="Late fee", grace_days=7, method="percent",
                percent=Decimal("1.5"), cap=Decimal("40.00"), effective_from=ctx.history_start,
            )
            for i, p in enumerate(chosen)
        ],
    )  # fmt: skip
    schedules = bulk(
        ReminderSchedule, [ReminderSchedule(program=p, name="Reminders") for p in chosen]
    )
    bulk(
        ReminderStep,
        [
            ReminderStep(program_id=s.program_id, schedule=s, days_after_due=d, channel=c)
            for s in schedules
            for d, c in STEPS
        ],
    )
    by_program = {p.program_id: (p, s) for p, s in zip(policies, schedules, strict=True)}
    settings = list(BillingSettings.objects.filter(program_id__in=by_program))
    for st in settings:
        st.late_fee_policy, st.reminder_schedule = by_program[st.program_id]
    BillingSettings.objects.bulk_update(settings, ["late_fee_policy", "reminder_schedule"])
    return len(policies)


def _claims(ctx: SeedContext, agency: SubsidyAgency) -> dict[str, int]:
    rng = ctx.rng
    program_ids = [p.pk for p in ctx.programs]
    months = _last_months(ctx.today, CLAIM_MONTHS)
    counts = {"claims": 0, "claim lines": 0, "agency payments": 0, "short-paid lines": 0}
    director = None
    for month in months:
        start, end = month_bounds(month)
        rows = list(
            InvoiceLine.objects.filter(
                program_id__in=program_ids,
                payer=PayerKind.AGENCY,
                authorization__agency=agency,
                invoice__period_start=start,
            )
            .values("program_id", "authorization_id", "child_id", "invoice_id",
                    "invoice__account_id")
            .annotate(amount=Sum("amount"), days=Sum("days_billed"))
            .order_by("program_id", "authorization_id")
        )  # fmt: skip
        if not rows:
            continue
        attended = {
            (r["program_id"], r["child_id"]): r["n"]
            for r in Attendance.objects.filter(
                program_id__in=program_ids, date__gte=start, date__lte=end
            )
            .values("program_id", "child_id")
            .annotate(n=Count("pk"))
        }
        by_program: dict[int, list[dict]] = defaultdict(list)
        for r in rows:
            by_program[r["program_id"]].append(r)
        paid = month != months[-1]  # the latest month is still outstanding
        claims = bulk(
            SubsidyClaim,
            [
                SubsidyClaim(
                    program_id=pid, agency=agency, period_start=start, period_end=end,
                    status=ClaimStatus.SUBMITTED, created_by=director, submitted_by=director,
                    total_claimed=sum((r["amount"] for r in lines), Decimal("0")),
                )
                for pid, lines in by_program.items()
            ],
        )  # fmt: skip
        claim_of = {c.program_id: c for c in claims}
        lines = []
        for pid, group in by_program.items():
            for r in group:
                scheduled = r["days"] or 0
                att = min(scheduled, attended.get((pid, r["child_id"]), 0))
                amount = r["amount"]
                received = Decimal("0")
                if paid:
                    received = amount
                    if rng.random() < 0.125:
                        received = max(Decimal("0"), amount - Decimal(rng.randint(25, 120)))
                        counts["short-paid lines"] += 1
                lines.append(
                    ClaimLine(
                        program_id=pid, claim=claim_of[pid], child_id=r["child_id"],
                        account_id=r["invoice__account_id"],
                        authorization_id=r["authorization_id"], invoice_id=r["invoice_id"],
                        days_scheduled=scheduled, days_attended=att,
                        days_absent=max(0, scheduled - att), amount_claimed=amount,
                        amount_paid=received,
                    )
                )  # fmt: skip
        lines = bulk(ClaimLine, lines)
        counts["claims"] += len(claims)
        counts["claim lines"] += len(lines)
        if not paid:
            continue
        received_on = end + timedelta(days=rng.randint(18, 28))
        if received_on > ctx.today:
            received_on = ctx.today
        totals: dict[int, Decimal] = defaultdict(Decimal)
        for ln in lines:
            totals[ln.program_id] += ln.amount_paid
        payments = bulk(
            AgencyPayment,
            [
                AgencyPayment(
                    program_id=pid, agency=agency, claim=claim_of[pid], received_on=received_on,
                    amount=totals[pid], reference=f"EFT-{start:%Y%m}-{pid}",
                )
                for pid in by_program
                if totals[pid] > 0
            ],
        )  # fmt: skip
        payment_of = {p.program_id: p for p in payments}
        paying = [ln for ln in lines if ln.amount_paid > 0 and ln.program_id in payment_of]
        ledger = bulk(
            Payment,
            [
                Payment(
                    program_id=ln.program_id, account_id=ln.account_id,
                    payer_kind=PayerKind.AGENCY, kind="payment", method=PaymentMethod.AGENCY,
                    amount=ln.amount_paid, received_on=received_on,
                    reference=payment_of[ln.program_id].reference,
                    note=f"Agency payment from {agency.name}"[:300],
                )
                for ln in paying
            ],
        )  # fmt: skip
        bulk(
            Allocation,
            [
                Allocation(
                    program_id=ln.program_id, invoice_id=ln.invoice_id, payment=p,
                    payer_kind=PayerKind.AGENCY, amount=ln.amount_paid,
                )
                for ln, p in zip(paying, ledger, strict=True)
            ],
        )  # fmt: skip
        bulk(
            AgencyPaymentAllocation,
            [
                AgencyPaymentAllocation(
                    program_id=ln.program_id, agency_payment=payment_of[ln.program_id],
                    claim_line=ln, child_id=ln.child_id, amount=ln.amount_paid,
                    ledger_payment=p,
                )
                for ln, p in zip(paying, ledger, strict=True)
            ],
        )  # fmt: skip
        for c in claims:
            c.total_paid = totals[c.program_id]
            c.status = (
                ClaimStatus.PAID if c.total_paid >= c.total_claimed else ClaimStatus.PARTIALLY_PAID
            )
        SubsidyClaim.objects.bulk_update(claims, ["total_paid", "status"])
        counts["agency payments"] += len(payments)
    return counts


def _plans(ctx: SeedContext) -> int:
    if not ctx.is_demo or not ctx.programs:
        return 0
    program = ctx.program(0)
    accounts = list(
        FamilyAccount.objects.filter(program=program).exclude(family__account__isnull=False)[:2]
    )
    plans = bulk(
        PaymentPlan,
        [
            PaymentPlan(
                program=program, account=a, total=Decimal(total),
                note="Agreed at the parent meeting", created_by=ctx.directors.get(program.pk),
            )
            for a, total in zip(accounts, ("600.00", "1250.00"), strict=False)
        ],
    )  # fmt: skip
    first = ctx.today.replace(day=1)
    bulk(
        PaymentPlanInstallment,
        [
            PaymentPlanInstallment(
                program=program, plan=plan, due_on=add_months(first, i + 1), amount=part
            )
            for plan in plans
            for i, part in enumerate(split_installments(plan.total, 4))
        ],
    )
    return len(plans)


def _adjustment(ctx: SeedContext, agency: SubsidyAgency) -> int:
    if not ctx.is_demo or not ctx.programs:
        return 0
    program = ctx.program(0)
    original = (
        SubsidyClaim.objects.filter(program=program, agency=agency, sequence=0)
        .exclude(status=ClaimStatus.DRAFT)
        .order_by("period_start")
        .first()
    )
    director = ctx.directors.get(program.pk)
    if original is None or director is None:
        return 0
    authorized = CcapAuthorization.objects.filter(program=program).values("child_id")
    enrollment = (
        Enrollment.objects.filter(program=program, start_date__lte=original.period_start)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=original.period_end))
        .exclude(child_id__in=authorized)
        .select_related("child__family")
        .order_by("pk")
        .first()
    )
    if enrollment is None:
        return 0
    try:
        create_authorization(
            acting_user=director, program=program, child=enrollment.child, agency=agency,
            starts_on=original.period_start, ends_on=original.period_end,
            schedule=enrollment.schedule if enrollment.schedule in CareSchedule.values
            else CareSchedule.FULL_TIME,
            weekly_copay=Decimal("25.00"), case_number=f"UC-{original.period_start:%Y%m}-BD",
        )  # fmt: skip
        adjustment = create_adjustment(
            acting_user=director, claim=original, today=ctx.today,
            reason="Authorization back-dated by the agency (notice received after submission)",
        )  # fmt: skip
        submit_claim(acting_user=director, claim=adjustment)
    except ValidationError:  # e.g. no CCAP rates for that month: no demo adjustment
        return 0
    return 1


def seed_claims(ctx: SeedContext) -> dict[str, int]:
    out: dict[str, int] = {"late fee policies": _policies(ctx)}
    agency = SubsidyAgency.objects.filter(alliance=ctx.alliance).order_by("pk").first()
    if agency is not None:
        out.update(_claims(ctx, agency))
        out["claim adjustments"] = _adjustment(ctx, agency)
    out["payment plans"] = _plans(ctx)
    flags = []
    if ctx.is_demo and ctx.programs:
        flags = bulk_flags(ctx)
    out["leakage flags"] = len(flags)
    return out


def bulk_flags(ctx: SeedContext) -> list:
    from alliance.billing.models import LeakageFlag

    found = detect_leakage(program=ctx.program(0), today=ctx.today)
    return bulk(LeakageFlag, found) if found else []


register_step("billing.claims", seed_claims)
