"""Collections and subsidy-claims API under ``/api/v1/programs/{slug}/``: subsidy claims
(list, preview or create, detail, submit, adjust), agency payments (record with allocations), the
late-fee policy (get, put), payment plans (list, create) and leakage flags (list, dismiss).

Every endpoint opens its tenant with ``api_program`` and ``Perm.BILLING_MANAGE`` (404 for
another program, 403 without the role); every write goes through a service; bad input is
422 ``{"message", "fields"}``. Imported by ``billing/api.py``."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Field, Query, Schema, Status

from alliance.api.root import api
from alliance.api.tenancy import api_program
from alliance.api.types import ErrorOut, Message, Money, PageIn, PageOut, page_of
from alliance.billing import (
    queries_claims,
    services_adjustments,
    services_claims,
    services_collections,
)
from alliance.billing.access_claims import (
    access_account,
    access_agency,
    access_claim,
    access_flag,
)
from alliance.billing.models import (
    AgencyPayment,
    ClaimLine,
    LateFeePolicy,
    LeakageFlag,
    PaymentPlan,
    SubsidyClaim,
)
from alliance.billing.services import settings_for
from alliance.core.policy import Perm

ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorOut}
TAGS = ["billing: claims and collections"]


# --- schemas -----------------------------------------------------------------------


class ClaimLineOut(Schema):
    id: int | None
    child_id: int
    child: str
    authorization_id: int
    case_number: str
    invoice_id: int | None
    days_scheduled: int
    days_attended: int
    days_absent: int
    amount_claimed: Money = Field(..., description="On an adjustment: the difference.")
    amount_previous: Money = Field(
        ..., description="On an adjustment: claimed before (original + earlier adjustments)."
    )
    amount_paid: Money
    short_paid: Money
    resolution: str


class ClaimOut(Schema):
    id: int
    agency_id: int
    agency: str
    period_start: date
    period_end: date
    sequence: int = Field(..., description="0 for the original claim, 1, 2, … adjustments.")
    adjusts_id: int | None = Field(..., description="The original claim an adjustment corrects.")
    reason: str
    status: str
    total_claimed: Money
    total_paid: Money


class ChildPeriodOut(Schema):
    authorization_id: int
    child_id: int
    child: str
    case_number: str
    original: Money
    adjustments: Money
    net_claimed: Money
    paid: Money
    short_paid: Money
    resolution: str


class PeriodOut(Schema):
    original_id: int
    original_claimed: Money
    adjusted: Money = Field(..., description="Σ of the submitted adjustments.")
    net_claimed: Money
    paid: Money
    open_gap: Money
    children: list[ChildPeriodOut]


class ClaimDetail(ClaimOut):
    lines: list[ClaimLineOut]
    adjustments: list[ClaimOut] = Field(..., description="Every adjustment of the period.")
    period: PeriodOut


class AdjustmentIn(Schema):
    reason: str = Field(..., description="Why the claim is adjusted (required).")
    preview: bool = Field(False, description="True: answer the lines without saving.")


class AdjustmentLineOut(Schema):
    child_id: int
    child: str
    authorization_id: int
    case_number: str
    amount_previous: Money
    amount_now: Money
    difference: Money


class AdjustmentPreviewOut(Schema):
    adjusts_id: int
    total: Money
    warnings: list[str]
    lines: list[AdjustmentLineOut]


class ClaimPage(PageOut):
    items: list[ClaimOut]


class ClaimIn(Schema):
    agency_id: int
    month: date = Field(..., description="Any day of the month claimed, e.g. 2026-10-01.")
    preview: bool = Field(False, description="True: answer the lines without saving.")


class ClaimPreviewOut(Schema):
    agency_id: int
    period_start: date
    period_end: date
    total: Money
    warnings: list[str]
    lines: list[ClaimLineOut]


class AllocationIn(Schema):
    claim_line_id: int | None = None
    child_id: int | None = None
    amount: str = Field(..., description='Dollars and cents as a string, e.g. "812.50".')


class AgencyPaymentIn(Schema):
    agency_id: int
    claim_id: int | None = None
    received_on: date
    amount: str = Field(..., description='Dollars and cents as a string, e.g. "4210.00".')
    reference: str = ""
    allocations: list[AllocationIn]


class AllocationOut(Schema):
    child_id: int
    claim_line_id: int | None
    amount: Money
    ledger_payment_id: int


class AgencyPaymentOut(Schema):
    id: int
    agency_id: int
    claim_id: int | None
    received_on: date
    amount: Money
    reference: str
    allocations: list[AllocationOut] = []


class AgencyPaymentPage(PageOut):
    items: list[AgencyPaymentOut]


class LateFeePolicyOut(Schema):
    id: int | None = None
    in_force: bool
    method: str = ""
    grace_days: int = 0
    flat_amount: Money | None = None
    percent: str = ""
    cap: Money | None = None
    minimum_overdue: Money | None = None
    effective_from: date | None = None


class LateFeePolicyIn(Schema):
    method: str = Field(..., description="flat or percent")
    grace_days: int = 5
    flat_amount: str = "0"
    percent: str = "0"
    cap: str | None = None
    minimum_overdue: str = "0"
    effective_from: date | None = None


class InstallmentOut(Schema):
    due_on: date
    amount: Money
    satisfied_on: date | None


class PlanOut(Schema):
    id: int
    account_id: int
    total: Money
    status: str
    note: str
    installments: list[InstallmentOut]


class PlanPage(PageOut):
    items: list[PlanOut]


class PlanIn(Schema):
    account_id: int
    installments: int
    first_due_on: date
    total: str | None = None
    note: str = ""


class FlagOut(Schema):
    id: int
    kind: str
    child_id: int | None
    authorization_id: int | None
    detected_on: date
    details: dict
    dismissed: bool
    resolution_note: str


class FlagPage(PageOut):
    items: list[FlagOut]


class DismissIn(Schema):
    reason: str


# --- helpers -----------------------------------------------------------------------


def _claim(c: SubsidyClaim) -> dict:
    return {
        "id": c.pk,
        "agency_id": c.agency_id,
        "agency": c.agency.name,
        "period_start": c.period_start,
        "period_end": c.period_end,
        "sequence": c.sequence,
        "adjusts_id": c.adjusts_id,
        "reason": c.reason,
        "status": c.status,
        "total_claimed": c.total_claimed,
        "total_paid": c.total_paid,
    }


def _line(ln: ClaimLine) -> dict:
    return {
        "id": ln.pk,
        "child_id": ln.child_id,
        "child": str(ln.child),
        "authorization_id": ln.authorization_id,
        "case_number": ln.authorization.case_number,
        "invoice_id": ln.invoice_id,
        "days_scheduled": ln.days_scheduled,
        "days_attended": ln.days_attended,
        "days_absent": ln.days_absent,
        "amount_claimed": ln.amount_claimed,
        "amount_previous": ln.amount_previous,
        "amount_paid": ln.amount_paid,
        "short_paid": ln.short_paid,
        "resolution": ln.resolution,
    }


def _draft(d: services_claims.LineDraft) -> dict:
    return {
        "id": None,
        "child_id": d.child_id,
        "child": d.child_name,
        "authorization_id": d.authorization.pk,
        "case_number": d.case_number,
        "invoice_id": d.invoice_id,
        "days_scheduled": d.days_scheduled,
        "days_attended": d.days_attended,
        "days_absent": d.days_absent,
        "amount_claimed": d.amount_claimed,
        "amount_previous": 0,
        "amount_paid": 0,
        "short_paid": d.amount_claimed,
        "resolution": "",
    }


def _claim_detail(claim: SubsidyClaim) -> dict:
    period = queries_claims.period_view(claim)
    for c in period.claims:
        c.agency = claim.agency
    return {
        **_claim(claim),
        "lines": [_line(ln) for ln in queries_claims.claim_lines(claim)],
        "adjustments": [_claim(a) for a in period.adjustments],
        "period": {
            "original_id": period.original.pk,
            "original_claimed": period.original_claimed,
            "adjusted": period.adjusted,
            "net_claimed": period.net_claimed,
            "paid": period.paid,
            "open_gap": period.open_gap,
            "children": [
                {
                    "authorization_id": r.authorization_id,
                    "child_id": r.child.pk,
                    "child": str(r.child),
                    "case_number": r.case_number,
                    "original": r.original,
                    "adjustments": r.adjustments,
                    "net_claimed": r.net,
                    "paid": r.paid,
                    "short_paid": r.short_paid,
                    "resolution": r.resolution,
                }
                for r in period.rows
            ],
        },
    }


def _agency_payment(p: AgencyPayment, with_allocations: bool = False) -> dict:
    out = {
        "id": p.pk,
        "agency_id": p.agency_id,
        "claim_id": p.claim_id,
        "received_on": p.received_on,
        "amount": p.amount,
        "reference": p.reference,
        "allocations": [],
    }
    if with_allocations:
        out["allocations"] = [
            {
                "child_id": a.child_id,
                "claim_line_id": a.claim_line_id,
                "amount": a.amount,
                "ledger_payment_id": a.ledger_payment_id,
            }
            for a in p.allocations.all()
        ]
    return out


def _policy(p: LateFeePolicy | None) -> dict:
    if p is None:
        return {"in_force": False}
    return {
        "id": p.pk,
        "in_force": True,
        "method": p.method,
        "grace_days": p.grace_days,
        "flat_amount": p.flat_amount,
        "percent": str(p.percent),
        "cap": p.cap,
        "minimum_overdue": p.minimum_overdue,
        "effective_from": p.effective_from,
    }


def _plan(p: PaymentPlan) -> dict:
    return {
        "id": p.pk,
        "account_id": p.account_id,
        "total": p.total,
        "status": p.status,
        "note": p.note,
        "installments": [
            {"due_on": i.due_on, "amount": i.amount, "satisfied_on": i.satisfied_on}
            for i in p.installments.all()
        ],
    }


def _flag(f: LeakageFlag) -> dict:
    return {
        "id": f.pk,
        "kind": f.kind,
        "child_id": f.child_id,
        "authorization_id": f.authorization_id,
        "detected_on": f.detected_on,
        "details": f.details,
        "dismissed": f.resolved_at is not None,
        "resolution_note": f.resolution_note,
    }


# --- subsidy claims -----------------------------------------------------------------------


@api.get("/programs/{slug}/subsidy-claims", response={200: ClaimPage, **ERRORS}, tags=TAGS)
def list_claims(request: HttpRequest, slug: str, page: Query[PageIn]):
    """The program's claims, latest period first."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        return page_of(queries_claims.claims_for(program), page, _claim)


@api.post(
    "/programs/{slug}/subsidy-claims",
    response={200: ClaimPreviewOut, 201: ClaimDetail, **ERRORS},
    tags=TAGS,
)
def create_claim(request: HttpRequest, slug: str, payload: ClaimIn):
    """Build the claim of an agency for a month. With ``preview`` the lines are answered
    (200) and nothing is saved; without, the draft claim is saved (201)."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        agency = access_agency(program, payload.agency_id)
        if payload.preview:
            p = services_claims.build_claim_preview(
                program=program, agency=agency, period_start=payload.month.replace(day=1)
            )
            return Status(
                200,
                {
                    "agency_id": agency.pk,
                    "period_start": p.period_start,
                    "period_end": p.period_end,
                    "total": p.total,
                    "warnings": p.warnings,
                    "lines": [_draft(d) for d in p.lines],
                },
            )
        claim = services_claims.create_claim(
            acting_user=request.user,
            program=program,
            agency=agency,
            period_start=payload.month.replace(day=1),
        )
        return Status(201, _claim_detail(access_claim(program, claim.pk)))


@api.get(
    "/programs/{slug}/subsidy-claims/{claim_id}", response={200: ClaimDetail, **ERRORS}, tags=TAGS
)
def get_claim(request: HttpRequest, slug: str, claim_id: int):
    """The claim with its lines: expected, received and short-paid per child."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        return _claim_detail(access_claim(program, claim_id))


@api.post(
    "/programs/{slug}/subsidy-claims/{claim_id}/submit",
    response={200: ClaimDetail, **ERRORS},
    tags=TAGS,
)
def submit_claim(request: HttpRequest, slug: str, claim_id: int):
    """Submit a draft claim; afterwards it is immutable (422 if already submitted)."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        claim = access_claim(program, claim_id)
        services_claims.submit_claim(acting_user=request.user, claim=claim)
        return _claim_detail(access_claim(program, claim_id))


@api.post(
    "/programs/{slug}/subsidy-claims/{claim_id}/adjustments",
    response={200: AdjustmentPreviewOut, 201: ClaimDetail, **ERRORS},
    tags=TAGS,
)
def create_adjustment(request: HttpRequest, slug: str, claim_id: int, payload: AdjustmentIn):
    """Adjust a submitted claim's period: one line per child whose amount owed now differs
    from what the claim and its earlier adjustments claimed. With ``preview`` the lines are
    answered (200) and nothing is saved; without, the draft adjustment is saved (201) —
    submit it with ``…/{id}/submit``. 422 without a reason, on a draft claim, while another
    adjustment is a draft, or when nothing differs."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        claim = access_claim(program, claim_id)
        if payload.preview:
            p = services_adjustments.build_adjustment_preview(claim=claim)
            return Status(
                200,
                {
                    "adjusts_id": p.original.pk,
                    "total": p.total,
                    "warnings": p.warnings,
                    "lines": [
                        {
                            "child_id": ln.child_id,
                            "child": ln.child_name,
                            "authorization_id": ln.authorization.pk,
                            "case_number": ln.case_number,
                            "amount_previous": ln.amount_previous,
                            "amount_now": ln.amount_now,
                            "difference": ln.difference,
                        }
                        for ln in p.lines
                    ],
                },
            )
        adjustment = services_adjustments.create_adjustment(
            acting_user=request.user, claim=claim, reason=payload.reason
        )
        return Status(201, _claim_detail(access_claim(program, adjustment.pk)))


# --- agency payments -----------------------------------------------------------------------


@api.get("/programs/{slug}/agency-payments", response={200: AgencyPaymentPage, **ERRORS}, tags=TAGS)
def list_agency_payments(request: HttpRequest, slug: str, page: Query[PageIn]):
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        return page_of(queries_claims.agency_payments_for(program), page, _agency_payment)


@api.post("/programs/{slug}/agency-payments", response={201: AgencyPaymentOut, **ERRORS}, tags=TAGS)
def create_agency_payment(request: HttpRequest, slug: str, payload: AgencyPaymentIn):
    """Record one agency payment spread over children (by claim line or child). The
    allocations must add up to the amount; all are posted or none."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        agency = access_agency(program, payload.agency_id)
        claim = access_claim(program, payload.claim_id) if payload.claim_id else None
        payment = services_claims.record_agency_payment(
            acting_user=request.user,
            program=program,
            agency=agency,
            claim=claim,
            received_on=payload.received_on,
            amount=payload.amount,
            reference=payload.reference,
            allocations=[
                {"claim_line": a.claim_line_id, "child": a.child_id, "amount": a.amount}
                if a.claim_line_id
                else {"child": a.child_id, "amount": a.amount}
                for a in payload.allocations
            ],
        )
        return Status(201, _agency_payment(payment, with_allocations=True))


# --- late-fee policy -----------------------------------------------------------------------


@api.get("/programs/{slug}/late-fee-policy", response={200: LateFeePolicyOut, **ERRORS}, tags=TAGS)
def get_late_fee_policy(request: HttpRequest, slug: str):
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        return _policy(settings_for(program).late_fee_policy)


@api.put("/programs/{slug}/late-fee-policy", response={200: LateFeePolicyOut, **ERRORS}, tags=TAGS)
def put_late_fee_policy(request: HttpRequest, slug: str, payload: LateFeePolicyIn):
    """Put a new late-fee policy in force."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        policy = services_collections.save_late_fee_policy(
            acting_user=request.user,
            program=program,
            method=payload.method,
            grace_days=payload.grace_days,
            flat_amount=payload.flat_amount,
            percent=payload.percent,
            cap=payload.cap,
            minimum_overdue=payload.minimum_overdue,
            effective_from=payload.effective_from,
        )
        return _policy(policy)


# --- payment plans -----------------------------------------------------------------------


@api.get("/programs/{slug}/payment-plans", response={200: PlanPage, **ERRORS}, tags=TAGS)
def list_plans(request: HttpRequest, slug: str, page: Query[PageIn]):
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        return page_of(queries_claims.plans_for(program), page, _plan)


@api.post("/programs/{slug}/payment-plans", response={201: PlanOut, **ERRORS}, tags=TAGS)
def create_plan(request: HttpRequest, slug: str, payload: PlanIn):
    """A plan for the account's overdue balance (or ``total``) in monthly installments that
    add up exactly."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        account = access_account(program, payload.account_id)
        plan = services_collections.create_payment_plan(
            acting_user=request.user,
            account=account,
            installments=payload.installments,
            first_due_on=payload.first_due_on,
            total=payload.total,
            note=payload.note,
        )
        return Status(201, _plan(queries_claims.plans_for(program).filter(pk=plan.pk).first()))


# --- leakage flags -----------------------------------------------------------------------


@api.get("/programs/{slug}/leakage-flags", response={200: FlagPage, **ERRORS}, tags=TAGS)
def list_flags(request: HttpRequest, slug: str, page: Query[PageIn], show: str = "open"):
    """Leakage findings: ``show`` = open (default), dismissed or all."""
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        return page_of(queries_claims.flags_for(program, show=show), page, _flag)


@api.post(
    "/programs/{slug}/leakage-flags/{flag_id}/dismiss", response={200: FlagOut, **ERRORS}, tags=TAGS
)
def dismiss_flag(request: HttpRequest, slug: str, flag_id: int, payload: DismissIn):
    with api_program(request, slug, Perm.BILLING_MANAGE) as program:
        flag = access_flag(program, flag_id)
        return _flag(
            services_claims.dismiss_flag(acting_user=request.user, flag=flag, reason=payload.reason)
        )
