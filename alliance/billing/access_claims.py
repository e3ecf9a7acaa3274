"""The audited ways to reach one collections or claims record: scoped lookups that 404
alike for "missing" and "not yours"."""

from __future__ import annotations

from alliance.billing.models import (
    AgencyPayment,
    AutopayAttempt,
    ClaimLine,
    FamilyAccount,
    LateFeeAssessment,
    LeakageFlag,
    PaymentPlan,
    SubsidyAgency,
    SubsidyClaim,
)
from alliance.core.access import first_or_404
from alliance.members.models import Program


def access_agency(program: Program, agency_id: int) -> SubsidyAgency:
    return first_or_404(SubsidyAgency.objects.filter(alliance_id=program.alliance_id, pk=agency_id))


def access_claim(program: Program, claim_id: int) -> SubsidyClaim:
    claim = SubsidyClaim.objects.select_related("agency", "program")
    return first_or_404(claim.filter(program=program, pk=claim_id))


def access_claim_line(claim: SubsidyClaim, line_id: int) -> ClaimLine:
    line = ClaimLine.objects.select_related("claim", "account", "child", "program")
    return first_or_404(line.filter(claim=claim, pk=line_id))


def access_agency_payment(program: Program, payment_id: int) -> AgencyPayment:
    return first_or_404(AgencyPayment.objects.filter(program=program, pk=payment_id))


def access_flag(program: Program, flag_id: int) -> LeakageFlag:
    return first_or_404(LeakageFlag.objects.filter(program=program, pk=flag_id))


def access_account(program: Program, account_id: int) -> FamilyAccount:
    account = FamilyAccount.objects.select_related("family", "program")
    return first_or_404(account.filter(program=program, pk=account_id))


def access_plan(program: Program, plan_id: int) -> PaymentPlan:
    plan = PaymentPlan.objects.select_related("account__family", "program")
    return first_or_404(plan.filter(program=program, pk=plan_id))


def access_attempt(program: Program, attempt_id: int) -> AutopayAttempt:
    attempt = AutopayAttempt.objects.select_related("account__family", "program")
    return first_or_404(attempt.filter(program=program, pk=attempt_id))


def access_assessment(program: Program, assessment_id: int) -> LateFeeAssessment:
    fee = LateFeeAssessment.objects.select_related("fee_invoice__account", "overdue_invoice")
    return first_or_404(fee.filter(program=program, pk=assessment_id))


def access_alliance_agency(alliance_id: int, agency_id: int) -> SubsidyAgency:
    """An agency of this alliance (the hub's pages and API); another alliance's is 404."""
    return first_or_404(SubsidyAgency.objects.filter(alliance_id=alliance_id, pk=agency_id))
