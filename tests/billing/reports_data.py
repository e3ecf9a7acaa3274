"""Ledger rows written directly for the documents/reports tests (inserting is what the
ledger allows; the services that normally write them are tested by the billing core). Every
helper keeps the invariants: invoice total = family + agency = Σ lines; allocations never
exceed the open amount."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from django_scopes import scopes_disabled

from alliance.billing.models import (
    Allocation,
    CreditNote,
    FamilyAccount,
    Invoice,
    InvoiceLine,
    Payment,
)

D = Decimal
_numbers = itertools.count(1)


class Ledger:
    """Writes accounts, invoices, payments and credits of one program."""

    def __init__(self, program, user=None):
        self.program = program
        self.user = user

    def account(self, family, number: str | None = None) -> FamilyAccount:
        with scopes_disabled():
            return FamilyAccount.objects.create(
                program=self.program, family=family, number=number or f"A{next(_numbers):05d}"
            )

    def invoice(
        self,
        account,
        *,
        issued: date,
        due: date | None = None,
        family: Decimal | str = "0",
        agency: Decimal | str = "0",
        child=None,
        lines: list[tuple[str, str, Decimal | str, object]] | None = None,
        number: str | None = None,
    ) -> Invoice:
        """``lines``: (kind, payer, amount, child); default one tuition line for the family
        part and one subsidy line for the agency part."""
        family, agency = D(family), D(agency)
        if lines is None:
            lines = []
            if family:
                lines.append(("tuition", "family", family, child))
            if agency:
                lines.append(("subsidy", "agency", agency, child))
        with scopes_disabled():
            inv = Invoice.objects.create(
                program=self.program,
                account=account,
                kind="manual",
                number=number or f"INV-{next(_numbers):05d}",
                issued_on=issued,
                due_on=due or issued,
                total=family + agency,
                family_amount=family,
                agency_amount=agency,
                created_by=self.user,
            )
            for kind, payer, amount, kid in lines:
                InvoiceLine.objects.create(
                    program=self.program,
                    invoice=inv,
                    child=kid,
                    kind=kind,
                    payer=payer,
                    description=f"{kind} {kid or ''}".strip(),
                    amount=D(amount),
                )
        return inv

    def payment(
        self,
        account,
        amount: Decimal | str,
        *,
        received: date,
        method: str = "check",
        payer_kind: str = "family",
        apply: list[tuple[Invoice, Decimal | str]] = (),
        kind: str = "payment",
        reference: str = "",
    ) -> Payment:
        with scopes_disabled():
            pay = Payment.objects.create(
                program=self.program,
                account=account,
                payer_kind=payer_kind,
                kind=kind,
                method=method,
                amount=D(amount),
                received_on=received,
                reference=reference,
                reason="" if kind == "payment" else "test correction",
                recorded_by=self.user,
            )
            for inv, part in apply:
                Allocation.objects.create(
                    program=self.program, invoice=inv, payment=pay, payer_kind=payer_kind,
                    amount=D(part),
                )  # fmt: skip
        return pay

    def credit(
        self,
        account,
        amount: Decimal | str,
        *,
        issued: date,
        kind: str = "credit",
        invoice: Invoice | None = None,
        payer_kind: str = "family",
        reason: str = "goodwill",
    ) -> CreditNote:
        with scopes_disabled():
            note = CreditNote.objects.create(
                program=self.program,
                account=account,
                invoice=invoice,
                kind=kind,
                payer_kind=payer_kind,
                number=f"CR-{next(_numbers):05d}",
                amount=D(amount),
                issued_on=issued,
                reason=reason,
                created_by=self.user,
            )
            if invoice is not None:
                Allocation.objects.create(
                    program=self.program, invoice=invoice, credit_note=note,
                    payer_kind=payer_kind, amount=D(amount),
                )  # fmt: skip
        return note
