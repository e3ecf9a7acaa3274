"""Payments: record (cash, check, ACH, card), apply oldest-first or to chosen invoices,
refunds and reversals, and all-or-nothing CSV imports with duplicate detection.

Guarantees: every function is atomic and audited; a payment's allocations never exceed it
and never take an invoice below zero open; refunds and reversals are new negative rows with a
reason (the original payment is never changed); the same ``idempotency_key`` with the same
request returns the first payment, with a different request raises ``IdempotencyConflict``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.billing import queries
from alliance.billing.models import (
    Allocation,
    CreditNote,
    FamilyAccount,
    Invoice,
    Payer,
    PayerKind,
    Payment,
    PaymentImport,
    PaymentKind,
    PaymentMethod,
)
from alliance.billing.services import _audit, parse_amount
from alliance.members.models import Program

ZERO = Decimal("0")


class IdempotencyConflict(Exception):
    """The idempotency key was already used for a different request."""


def request_fingerprint(data: dict[str, Any]) -> str:
    """A stable hash of a request body (keys sorted, values as strings)."""
    canonical = json.dumps({k: str(v) for k, v in sorted(data.items())}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def allocate_oldest_first(
    *,
    account: FamilyAccount,
    source: Payment | CreditNote,
    amount: Decimal,
    payer_kind: str = PayerKind.FAMILY,
    invoices: Sequence[Invoice] | None = None,
) -> Decimal:
    """Apply up to ``amount`` of ``source`` to open invoices (the chosen ones in order, else
    the account's oldest first). Returns what was applied; the rest stays unapplied."""
    program = account.program
    candidates = queries.open_invoices(account, payer_kind)
    if invoices is not None:
        by_pk = {inv.pk: inv for inv in candidates}
        candidates = [by_pk[i.pk] for i in invoices if i.pk in by_pk]
    remaining = amount
    rows = []
    for inv in candidates:
        if remaining <= 0:
            break
        take = min(remaining, inv.open_amount)
        if take <= 0:
            continue
        rows.append(
            Allocation(
                program=program,
                invoice=inv,
                payment=source if isinstance(source, Payment) else None,
                credit_note=source if isinstance(source, CreditNote) else None,
                payer_kind=payer_kind,
                amount=take,
            )
        )
        remaining -= take
    Allocation.objects.bulk_create(rows)
    return amount - remaining


def _check_method(method: str) -> str:
    if method not in PaymentMethod.values:
        raise ValidationError({"method": _("Choose cash, check, ACH or card.")})
    return method


@dataclass
class Recorded:
    payment: Payment
    created: bool  # False: an idempotent retry returned the first payment
    applied: Decimal = ZERO


@transaction.atomic
def record_payment(
    *,
    acting_user: User | None,
    account: FamilyAccount,
    amount: Any,
    method: str,
    received_on: date,
    reference: str = "",
    note: str = "",
    payer: Payer | None = None,
    invoices: Sequence[Invoice] | None = None,
    payer_kind: str = PayerKind.FAMILY,
    idempotency_key: str = "",
    request_hash: str = "",
    import_batch: PaymentImport | None = None,
) -> Recorded:
    """Record money received on an account and apply it (to ``invoices`` in order, else
    oldest first). The part not needed by open invoices stays as account credit."""
    program = account.program
    value = parse_amount(amount, "amount")
    _check_method(method)
    if payer is not None and payer.account_id != account.pk:
        raise ValidationError({"payer": _("Choose a payer of this account.")})
    for inv in invoices or ():
        if inv.account_id != account.pk:
            raise ValidationError({"invoices": _("Choose invoices of this account only.")})
    key = (idempotency_key or "").strip()[:100]
    if key:
        first = Payment.objects.filter(program=program, idempotency_key=key).first()
        if first is not None:
            return _replay(first, request_hash)
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                program=program,
                account=account,
                payer=payer,
                payer_kind=payer_kind,
                kind=PaymentKind.PAYMENT,
                method=method,
                amount=value,
                received_on=received_on,
                reference=reference.strip()[:80],
                note=note.strip()[:300],
                import_batch=import_batch,
                idempotency_key=key,
                request_hash=request_hash if key else "",
                recorded_by=acting_user,
            )
    except IntegrityError:
        # A concurrent request with the same key won the race: answer like a retry.
        first = (
            Payment.objects.filter(program=program, idempotency_key=key).first() if key else None
        )
        if first is None:
            raise
        return _replay(first, request_hash)
    applied = allocate_oldest_first(
        account=account, source=payment, amount=value, payer_kind=payer_kind, invoices=invoices
    )
    _audit(
        acting_user,
        "payment_recorded",
        payment,
        program,
        summary=f"{account.number} {value} {method} {payment.reference}".strip(),
        data={"applied": applied},
    )
    return Recorded(payment, True, applied)


def _replay(first: Payment, request_hash: str) -> Recorded:
    if request_hash and first.request_hash and first.request_hash != request_hash:
        raise IdempotencyConflict(
            _(
                "This Idempotency-Key was already used for a different payment. Send a new "
                "key for a new payment, or repeat the first request exactly."
            )
        )
    return Recorded(first, False)


def _net_by_invoice(payment: Payment) -> dict[int, Decimal]:
    """What a payment (with its refunds/reversals) currently has applied, per invoice."""
    rows = (
        Allocation.objects.filter(
            payment__in=[payment.pk, *payment.reversals.values_list("pk", flat=True)]
        )
        .values("invoice_id")
        .annotate(s=Sum("amount"))
    )
    net = {r["invoice_id"]: queries.cents(r["s"]) for r in rows}
    return {k: v for k, v in net.items() if v}


def _remaining(payment: Payment) -> Decimal:
    taken = queries.cents(payment.reversals.aggregate(s=Sum("amount"))["s"])
    return payment.amount + taken


def _give_back(
    *,
    acting_user: User | None,
    payment: Payment,
    amount: Decimal,
    kind: str,
    reason: str,
    on: date,
    method: str | None = None,
) -> Payment:
    if payment.kind != PaymentKind.PAYMENT:
        raise ValidationError({"payment": _("Only a payment can be refunded or reversed.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    # Lock the original so two refunds cannot both pass the check below.
    Payment.objects.select_for_update().filter(pk=payment.pk).first()
    remaining = _remaining(payment)
    if amount > remaining:
        raise ValidationError(
            {
                "amount": _("At most %(left)s of this payment is left to give back.")
                % {"left": remaining}
            }
        )
    net = _net_by_invoice(payment)
    unapplied = remaining - sum(net.values(), ZERO)
    row = Payment.objects.create(
        program=payment.program,
        account=payment.account,
        payer=payment.payer,
        payer_kind=payment.payer_kind,
        kind=kind,
        method=method or payment.method,
        amount=-amount,
        received_on=on,
        reference=payment.reference,
        reason=reason[:300],
        reverses=payment,
        recorded_by=acting_user,
    )
    to_unapply = amount - min(amount, max(unapplied, ZERO))
    allocations = []
    for invoice_id in sorted(net, reverse=True):  # newest invoice first
        if to_unapply <= 0:
            break
        take = min(to_unapply, net[invoice_id])
        allocations.append(
            Allocation(
                program=payment.program,
                invoice_id=invoice_id,
                payment=row,
                payer_kind=payment.payer_kind,
                amount=-take,
            )
        )
        to_unapply -= take
    Allocation.objects.bulk_create(allocations)
    _audit(
        acting_user,
        f"payment_{kind}",
        row,
        payment.program,
        summary=f"{payment.account.number} {amount}: {reason}"[:300],
        data={"payment": payment.pk},
    )
    return row


@transaction.atomic
def refund_payment(
    *,
    acting_user: User,
    payment: Payment,
    amount: Any,
    reason: str,
    refunded_on: date | None = None,
    method: str | None = None,
) -> Payment:
    """Give back part or all of a payment. Unapplied money goes first; beyond it, the
    refund re-opens the payment's invoices, newest first."""
    if method is not None:
        _check_method(method)
    return _give_back(
        acting_user=acting_user,
        payment=payment,
        amount=parse_amount(amount, "amount"),
        kind=PaymentKind.REFUND,
        reason=reason,
        on=refunded_on or date.today(),
        method=method,
    )


@transaction.atomic
def reverse_payment(*, acting_user: User, payment: Payment, reason: str) -> Payment:
    """Undo a payment recorded in error (bounced check, wrong account): a reversing entry
    for what is left of it, re-opening its invoices."""
    remaining = _remaining(payment)
    if remaining <= 0:
        raise ValidationError({"payment": _("This payment was already fully given back.")})
    return _give_back(
        acting_user=acting_user,
        payment=payment,
        amount=remaining,
        kind=PaymentKind.REVERSAL,
        reason=reason,
        on=date.today(),
    )


@transaction.atomic
def apply_unapplied(*, acting_user: User | None, account: FamilyAccount) -> Decimal:
    """Apply the account's unapplied family payments to its open invoices, oldest first
    (e.g. a prepayment once the next run posts)."""
    left = queries.unapplied(account)
    if left <= 0:
        return ZERO
    applied = ZERO
    payments = Payment.objects.filter(
        account=account, payer_kind=PayerKind.FAMILY, kind=PaymentKind.PAYMENT
    ).order_by("received_on", "pk")
    for payment in payments:
        free = _remaining(payment) - sum(_net_by_invoice(payment).values(), ZERO)
        if free > 0:
            applied += allocate_oldest_first(account=account, source=payment, amount=free)
    if applied:
        _audit(acting_user, "credit_applied", account, account.program, data={"applied": applied})
    return applied


# --- CSV import -------------------------------------------------------------------------

IMPORT_FIELDS = ("account", "amount", "received_on", "reference", "method", "note")
REQUIRED_FIELDS = ("account", "amount", "received_on", "reference")
_GUESS = {
    "account": ("account", "account number", "account_number", "customer", "customer id"),
    "amount": ("amount", "payment amount", "total", "net"),
    "received_on": ("date", "received", "received_on", "payment date", "settled", "posted"),
    "reference": ("reference", "ref", "transaction id", "transaction", "id", "check number"),
    "method": ("method", "type", "payment method"),
    "note": ("note", "memo", "description"),
}
_METHODS = {
    "cash": PaymentMethod.CASH,
    "check": PaymentMethod.CHECK,
    "cheque": PaymentMethod.CHECK,
    "ach": PaymentMethod.ACH,
    "bank": PaymentMethod.ACH,
    "eft": PaymentMethod.ACH,
    "card": PaymentMethod.CARD,
    "credit card": PaymentMethod.CARD,
    "debit card": PaymentMethod.CARD,
}
MAX_IMPORT_ROWS = 5000


@dataclass
class ImportRow:
    line: int
    account: FamilyAccount | None
    amount: Decimal | None
    received_on: date | None
    reference: str
    method: str
    note: str


@dataclass
class ImportPreview:
    headers: list[str]
    mapping: dict[str, str]
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, field, message)

    @property
    def total(self) -> Decimal:
        return sum((r.amount or ZERO for r in self.rows), ZERO)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def guess_mapping(headers: Sequence[str]) -> dict[str, str]:
    lower = {h.strip().lower(): h for h in headers}
    mapping = {}
    for name, options in _GUESS.items():
        for option in options:
            if option in lower:
                mapping[name] = lower[option]
                break
    return mapping


def _parse_date(text: str) -> date | None:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def preview_import(
    *, program: Program, content: str, mapping: dict[str, str] | None = None
) -> ImportPreview:
    """Parse a bank/processor CSV with a column mapping (field → header; guessed when not
    given) and check every row. Nothing is written."""
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    headers = [h for h in (reader.fieldnames or []) if h is not None]
    mapping = {k: v for k, v in (mapping or guess_mapping(headers)).items() if v}
    preview = ImportPreview(headers=headers, mapping=mapping)
    missing = [f for f in REQUIRED_FIELDS if mapping.get(f) not in headers]
    if missing:
        for name in missing:
            preview.errors.append(
                (
                    0,
                    name,
                    _("Choose the column that holds this field (columns: %(cols)s).")
                    % {"cols": ", ".join(headers) or "—"},
                )
            )
        return preview
    raw = list(reader)
    if len(raw) > MAX_IMPORT_ROWS:
        preview.errors.append(
            (0, "file", _("Import at most %(n)s rows at a time.") % {"n": MAX_IMPORT_ROWS})
        )
        return preview
    accounts = {
        a.number: a for a in FamilyAccount.objects.filter(program=program).select_related("program")
    }
    refs = [(r.get(mapping["reference"]) or "").strip() for r in raw]
    taken = set(
        Payment.objects.filter(
            program=program, kind=PaymentKind.PAYMENT, reference__in=[r for r in refs if r]
        ).values_list("reference", flat=True)
    )
    seen: set[str] = set()
    for i, r in enumerate(raw, start=2):  # line 1 is the header

        def col(name: str, r=r) -> str:
            header = mapping.get(name)
            return (r.get(header) or "").strip() if header else ""

        errors_before = len(preview.errors)
        account = accounts.get(col("account"))
        if account is None:
            preview.errors.append(
                (i, "account", _("No account with number %(n)r.") % {"n": col("account")})
            )
        amount = None
        try:
            amount = parse_amount(col("amount").replace("$", "").replace(",", ""), "amount")
        except ValidationError as exc:
            preview.errors.append((i, "amount", exc.message_dict["amount"][0]))
        received = _parse_date(col("received_on"))
        if received is None:
            preview.errors.append(
                (i, "received_on", _("Write the date as YYYY-MM-DD or MM/DD/YYYY."))
            )
        reference = col("reference")
        if not reference:
            preview.errors.append((i, "reference", _("Each row needs a reference.")))
        elif reference in taken:
            preview.errors.append(
                (
                    i,
                    "reference",
                    _("Already recorded: a payment with reference %(r)s exists.")
                    % {"r": reference},
                )
            )
        elif reference in seen:
            preview.errors.append(
                (
                    i,
                    "reference",
                    _("Reference %(r)s appears twice in this file.") % {"r": reference},
                )
            )
        seen.add(reference)
        method_text = col("method").lower()
        method = _METHODS.get(method_text, PaymentMethod.ACH if not method_text else "")
        if not method:
            preview.errors.append((i, "method", _("Use cash, check, ACH or card.")))
        if len(preview.errors) == errors_before:
            preview.rows.append(
                ImportRow(i, account, amount, received, reference, method, col("note"))
            )
    if not raw:
        preview.errors.append((0, "file", _("The file has no rows.")))
    return preview


@transaction.atomic
def import_payments(
    *,
    acting_user: User,
    program: Program,
    content: str,
    filename: str,
    mapping: dict[str, str] | None = None,
) -> PaymentImport:
    """Post every row of a checked CSV, or none: any row error raises ValidationError
    listing each bad row, and nothing is saved."""
    preview = preview_import(program=program, content=content, mapping=mapping)
    if not preview.ok:
        raise ValidationError(
            {
                "file": [
                    _("Row %(line)s, %(field)s: %(msg)s") % {"line": line, "field": f, "msg": msg}
                    for line, f, msg in preview.errors
                ]
                or [_("The file has no rows.")]
            }
        )
    batch = PaymentImport.objects.create(
        program=program,
        filename=filename[:200],
        mapping=preview.mapping,
        row_count=len(preview.rows),
        total=preview.total,
        imported_by=acting_user,
    )
    for row in preview.rows:
        record_payment(
            acting_user=acting_user,
            account=row.account,
            amount=row.amount,
            method=row.method,
            received_on=row.received_on,
            reference=row.reference,
            note=row.note,
            import_batch=batch,
        )
    _audit(
        acting_user,
        "payments_imported",
        batch,
        program,
        summary=f"{filename} {len(preview.rows)} rows {preview.total}",
    )
    return batch
