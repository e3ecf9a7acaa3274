"""Reads for billing pages, the API and the other billing parts. Balances are always
computed from the ledger (never stored): invoices − payments − credit notes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django_scopes import scopes_disabled

from alliance.billing.models import (
    Allocation,
    BillingRun,
    CcapAuthorization,
    CreditNote,
    FamilyAccount,
    Invoice,
    PayerKind,
    Payment,
)
from alliance.core.money import to_money
from alliance.members.models import Program

ZERO = Decimal("0")
_MONEY = DecimalField(max_digits=14, decimal_places=2)


def cents(value) -> Decimal:
    """A sum from the database, exact to the cent. SQLite adds decimals as floating point
    (0.01 − 0.01 may come back as 1e-17), so every aggregate is rounded here; on PostgreSQL
    this changes nothing."""
    return to_money(Decimal(value or 0))


@dataclass
class Balance:
    invoiced: Decimal = ZERO
    paid: Decimal = ZERO
    credited: Decimal = ZERO
    family_invoiced: Decimal = ZERO
    family_paid: Decimal = ZERO
    family_credited: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.invoiced - self.paid - self.credited

    @property
    def family(self) -> Decimal:
        """What the family owes (negative: the family has credit)."""
        return self.family_invoiced - self.family_paid - self.family_credited

    @property
    def agency(self) -> Decimal:
        return self.total - self.family


def account_balances(account_ids: Iterable[int]) -> dict[int, Balance]:
    """Balance per account, in three grouped queries whatever the number of accounts."""
    ids = list(account_ids)
    out: dict[int, Balance] = {pk: Balance() for pk in ids}
    if not ids:
        return out
    for row in (
        Invoice.objects.filter(account_id__in=ids)
        .values("account_id")
        .annotate(t=Sum("total"), f=Sum("family_amount"))
    ):
        b = out[row["account_id"]]
        b.invoiced, b.family_invoiced = cents(row["t"]), cents(row["f"])
    for row in (
        Payment.objects.filter(account_id__in=ids)
        .values("account_id", "payer_kind")
        .annotate(s=Sum("amount"))
    ):
        b = out[row["account_id"]]
        b.paid += cents(row["s"])
        if row["payer_kind"] == PayerKind.FAMILY:
            b.family_paid += cents(row["s"])
    for row in (
        CreditNote.objects.filter(account_id__in=ids)
        .values("account_id", "payer_kind")
        .annotate(s=Sum("amount"))
    ):
        b = out[row["account_id"]]
        b.credited += cents(row["s"])
        if row["payer_kind"] == PayerKind.FAMILY:
            b.family_credited += cents(row["s"])
    return out


def account_balance(account: FamilyAccount) -> Balance:
    return account_balances([account.pk])[account.pk]


def open_amounts(
    invoice_ids: Iterable[int], payer_kind: str = PayerKind.FAMILY
) -> dict[int, Decimal]:
    """Open amount per invoice for one payer kind: its share − its allocations."""
    ids = list(invoice_ids)
    column = "family_amount" if payer_kind == PayerKind.FAMILY else "agency_amount"
    owed = dict(Invoice.objects.filter(pk__in=ids).values_list("pk", column))
    applied = dict(
        Allocation.objects.filter(invoice_id__in=ids, payer_kind=payer_kind)
        .values("invoice_id")
        .annotate(s=Sum("amount"))
        .values_list("invoice_id", "s")
    )
    return {pk: cents(owed.get(pk, ZERO)) - cents(applied.get(pk)) for pk in ids}


def with_open_amounts(qs: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Annotate ``family_applied``/``agency_applied``; open = amount − applied. The invoice
    query is scoped, so the subqueries read allocations through the plain base manager (the
    scope's ``program_id = …`` filter makes SQLite look allocations up by program, not by
    invoice, once per invoice)."""
    allocations = Allocation._base_manager
    family = allocations.filter(invoice=OuterRef("pk"), payer_kind=PayerKind.FAMILY)
    agency = allocations.filter(invoice=OuterRef("pk"), payer_kind=PayerKind.AGENCY)
    return qs.annotate(family_applied=_applied(family), agency_applied=_applied(agency))


def _applied(qs):
    return Coalesce(
        Subquery(qs.values("invoice").annotate(s=Sum("amount")).values("s")[:1]),
        Value(ZERO),
        output_field=_MONEY,
    )


def open_invoices(account: FamilyAccount, payer_kind: str = PayerKind.FAMILY) -> list[Invoice]:
    """The account's invoices with something open for that payer, oldest first."""
    invoices = list(
        with_open_amounts(Invoice.objects.filter(account=account)).order_by(
            "due_on", "issued_on", "pk"
        )
    )
    out = []
    for inv in invoices:
        owed = inv.family_amount if payer_kind == PayerKind.FAMILY else inv.agency_amount
        applied = inv.family_applied if payer_kind == PayerKind.FAMILY else inv.agency_applied
        inv.open_amount = cents(owed) - cents(applied)
        if inv.open_amount > 0:
            out.append(inv)
    return out


def unapplied(account: FamilyAccount, payer_kind: str = PayerKind.FAMILY) -> Decimal:
    """Money received (or credited) and not applied to any invoice."""
    paid = (
        Payment.objects.filter(account=account, payer_kind=payer_kind).aggregate(s=Sum("amount"))[
            "s"
        ]
        or ZERO
    )
    credited = (
        CreditNote.objects.filter(account=account, payer_kind=payer_kind).aggregate(
            s=Sum("amount")
        )["s"]
        or ZERO
    )
    applied = (
        Allocation.objects.filter(invoice__account=account, payer_kind=payer_kind).aggregate(
            s=Sum("amount")
        )["s"]
        or ZERO
    )
    return cents(paid) + cents(credited) - cents(applied)


# --- lists for pages and the API ------------------------------------------------------


def accounts_for(program: Program, *, q: str = "") -> QuerySet[FamilyAccount]:
    qs = FamilyAccount.objects.filter(program=program).select_related("family")
    if q:
        qs = qs.filter(family__name__icontains=q) | qs.filter(number__icontains=q)
    return qs.order_by("family__name", "pk")


def invoices_for(program: Program, *, account: FamilyAccount | None = None) -> QuerySet[Invoice]:
    qs = Invoice.objects.filter(program=program).select_related("account__family")
    if account is not None:
        qs = qs.filter(account=account)
    return with_open_amounts(qs).order_by("-issued_on", "-pk")


def payments_for(program: Program, *, account: FamilyAccount | None = None) -> QuerySet[Payment]:
    qs = Payment.objects.filter(program=program).select_related("account__family")
    if account is not None:
        qs = qs.filter(account=account)
    return qs.order_by("-received_on", "-pk")


def runs_for(program: Program) -> QuerySet[BillingRun]:
    return BillingRun.objects.filter(program=program).select_related("posted_by")


def authorizations_for(program: Program) -> QuerySet[CcapAuthorization]:
    return (
        CcapAuthorization.objects.filter(program=program)
        .select_related("child", "agency", "account__family")
        .order_by("-starts_on", "pk")
    )


def invoice_detail(invoice: Invoice) -> Invoice:
    """The invoice with its lines (children loaded) and open amounts."""
    inv = (
        with_open_amounts(Invoice.objects.filter(pk=invoice.pk))
        .select_related("account__family", "program")
        .prefetch_related("lines__child")
    )
    return inv.first()


def program_summary(program: Program) -> dict:
    """Totals for the billing home page."""
    inv = Invoice.objects.filter(program=program).aggregate(
        t=Sum("total"), f=Sum("family_amount"), a=Sum("agency_amount")
    )
    paid = Payment.objects.filter(program=program).values("payer_kind").annotate(s=Sum("amount"))
    credit = (
        CreditNote.objects.filter(program=program).values("payer_kind").annotate(s=Sum("amount"))
    )
    p = {r["payer_kind"]: cents(r["s"]) for r in paid}
    c = {r["payer_kind"]: cents(r["s"]) for r in credit}
    family = cents(inv["f"]) - p.get(PayerKind.FAMILY, ZERO) - c.get(PayerKind.FAMILY, ZERO)
    agency = cents(inv["a"]) - p.get(PayerKind.AGENCY, ZERO) - c.get(PayerKind.AGENCY, ZERO)
    return {
        "invoiced": cents(inv["t"]),
        "family_outstanding": family,
        "agency_outstanding": agency,
        "accounts": FamilyAccount.objects.filter(program=program).count(),
    }


# --- the family's own view --------------------------------------------------------------


@dataclass
class FamilyAccountView:
    account: FamilyAccount
    balance: Balance
    invoices: list[Invoice] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)


def family_accounts(user, *, limit: int = 24) -> list[FamilyAccountView]:
    """Every billing account of the families this user signs in for, across programs,
    with recent invoices and payments. Unscoped on purpose: the filter is the family's own
    sign-in (``Family.account``), the one thing a family user may see."""
    if not user.is_authenticated:
        return []
    with scopes_disabled():
        accounts = list(
            FamilyAccount.objects.filter(family__account=user)
            .select_related("program", "family")
            .order_by("program__name", "pk")
        )
        ids = [a.pk for a in accounts]
        balances = account_balances(ids)
        invoices: dict[int, list[Invoice]] = defaultdict(list)
        for inv in with_open_amounts(
            Invoice.objects.filter(account_id__in=ids).select_related("account__family")
        ).order_by("-issued_on", "-pk"):
            if len(invoices[inv.account_id]) < limit:
                inv.open_amount = inv.family_amount - cents(inv.family_applied)
                invoices[inv.account_id].append(inv)
        payments: dict[int, list[Payment]] = defaultdict(list)
        for pay in Payment.objects.filter(account_id__in=ids, payer_kind=PayerKind.FAMILY).order_by(
            "-received_on", "-pk"
        ):
            if len(payments[pay.account_id]) < limit:
                payments[pay.account_id].append(pay)
    return [FamilyAccountView(a, balances[a.pk], invoices[a.pk], payments[a.pk]) for a in accounts]


def family_invoice(user, invoice_id: int) -> Invoice | None:
    """One invoice of the user's own family, with lines; None when not theirs."""
    if not user.is_authenticated:
        return None
    with scopes_disabled():
        inv = (
            with_open_amounts(Invoice.objects.filter(pk=invoice_id, account__family__account=user))
            .select_related("account__family", "program")
            .prefetch_related("lines__child")
            .first()
        )
        if inv is not None:
            inv.open_amount = inv.family_amount - cents(inv.family_applied)
            list(inv.lines.all())
    return inv
