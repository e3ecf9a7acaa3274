"""The audited ways to reach one billing record of a program: scoped lookups that answer
404 alike for "missing" and "not yours"."""

from __future__ import annotations

from alliance.billing.models import (
    CcapAuthorization,
    FamilyAccount,
    Invoice,
    Payment,
    SubsidyAgency,
)
from alliance.core.access import first_or_404
from alliance.families.models import Child
from alliance.members.models import Program


def access_account(program: Program, account_id: int) -> FamilyAccount:
    return first_or_404(
        FamilyAccount.objects.select_related("family", "program__alliance").filter(
            program=program, pk=account_id
        )
    )


def access_invoice(program: Program, invoice_id: int) -> Invoice:
    return first_or_404(
        Invoice.objects.select_related("account__family", "program__alliance").filter(
            program=program, pk=invoice_id
        )
    )


def access_payment(program: Program, payment_id: int) -> Payment:
    return first_or_404(
        Payment.objects.select_related("account__family", "program__alliance").filter(
            program=program, pk=payment_id
        )
    )


def access_authorization(program: Program, authorization_id: int) -> CcapAuthorization:
    return first_or_404(
        CcapAuthorization.objects.select_related("child", "agency", "program__alliance").filter(
            program=program, pk=authorization_id
        )
    )


def access_agency(program: Program, agency_id: int) -> SubsidyAgency:
    return first_or_404(SubsidyAgency.objects.filter(alliance_id=program.alliance_id, pk=agency_id))


def access_billable_child(program: Program, child_id: int) -> Child:
    """A child the program may bill: one with an enrollment at this program."""
    return first_or_404(
        Child.objects.select_related("family")
        .filter(pk=child_id, enrollments__program=program)
        .distinct()
    )
