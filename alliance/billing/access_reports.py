"""Lookups of the documents and reports part: the one way its views and API reach an
invoice or an account, for a program (scoped) or for the signed-in family (their own only).
Missing and "not yours" are the same 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django_scopes import scopes_disabled

from alliance.billing.models import FamilyAccount, Invoice
from alliance.billing.queries import with_open_amounts
from alliance.core.access import first_or_404
from alliance.members.models import Program


def _invoice_detail(qs: QuerySet[Invoice]) -> Invoice:
    return first_or_404(
        with_open_amounts(qs)
        .select_related("account__family", "account__program", "program")
        .prefetch_related("lines__child")
    )


def access_invoice(program: Program, invoice_id: int) -> Invoice:
    """An invoice of ``program`` with its lines and open amounts."""
    return _invoice_detail(Invoice.objects.filter(program=program, pk=invoice_id))


def access_account(program: Program, account_id: int) -> FamilyAccount:
    return first_or_404(
        FamilyAccount.objects.filter(program=program, pk=account_id).select_related(
            "family", "program"
        )
    )


def family_accounts_of(user) -> QuerySet[FamilyAccount]:
    """The billing accounts of the families this user signs in for (any program). Unscoped
    on purpose: the filter is the family's own sign-in, the one thing a family may see.
    Callers evaluate it inside ``scopes_disabled()``."""
    return FamilyAccount.objects.filter(family__account=user).select_related("family", "program")


def access_family_account(user, account_id: int) -> FamilyAccount:
    with scopes_disabled():
        return first_or_404(family_accounts_of(user).filter(pk=account_id))


def access_family_invoice(user, invoice_id: int) -> Invoice:
    with scopes_disabled():
        invoice = _invoice_detail(
            Invoice.objects.filter(pk=invoice_id, account__family__account=user)
        )
        list(invoice.lines.all())
    return invoice
