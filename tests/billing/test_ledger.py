"""The ledger: immutability (model and service guards), corrections by credit note and
reversal, payments applied oldest-first, refunds, idempotency, no float in money, and the
balance invariant under random sequences of operations (hypothesis)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.billing import queries, services, services_payments, services_runs
from alliance.billing.models import (
    Allocation,
    CreditNote,
    Invoice,
    InvoiceLine,
    LedgerImmutable,
    Payment,
)
from tests.billing.conftest import MONTH, account_of

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def posted(billing):
    with scopes_disabled():
        services_runs.post_run(
            acting_user=billing.world.director1, program=billing.world.program1,
            period="monthly", day=MONTH,
        )  # fmt: skip
        services_runs.post_run(
            acting_user=billing.world.director1, program=billing.world.program1,
            period="monthly", day=date(2025, 4, 1),
        )  # fmt: skip
    return billing


def test_posted_rows_refuse_change_and_delete(posted):
    with scopes_disabled():
        inv = Invoice.objects.first()
        inv.total = D("1.00")
        with pytest.raises(LedgerImmutable):
            inv.save()
        with pytest.raises(LedgerImmutable):
            inv.delete()
        with pytest.raises(LedgerImmutable):
            Invoice.objects.filter(pk=inv.pk).update(total=D("1.00"))
        with pytest.raises(LedgerImmutable):
            InvoiceLine.objects.filter(invoice=inv).delete()
        account = account_of(posted.world.program1, posted.lopez)
        pay = services_payments.record_payment(
            acting_user=posted.world.director1, account=account, amount="10", method="cash",
            received_on=date(2025, 3, 2),
        ).payment  # fmt: skip
        pay.amount = D("20")
        with pytest.raises(LedgerImmutable):
            pay.save()
        with pytest.raises(LedgerImmutable):
            Allocation.objects.filter(payment=pay).update(amount=D("1"))


def test_payment_applies_oldest_first_and_keeps_the_rest_as_credit(posted):
    w = posted.world
    with scopes_disabled():
        account = account_of(w.program1, posted.lopez)
        done = services_payments.record_payment(
            acting_user=w.director1, account=account, amount="2500.00", method="check",
            received_on=date(2025, 4, 2), reference="1234",
        )  # fmt: skip
        march, april = Invoice.objects.filter(account=account).order_by("issued_on")
        opens = queries.open_amounts([march.pk, april.pk])
        assert opens[march.pk] == 0
        assert opens[april.pk] == D("1900.00") - D("600.00")
        assert done.applied == D("2500.00")
        overpay = services_payments.record_payment(
            acting_user=w.director1, account=account, amount="1400.00", method="ach",
            received_on=date(2025, 4, 3),
        )  # fmt: skip
        assert overpay.applied == D("1300.00")
        assert queries.unapplied(account) == D("100.00")
        assert queries.account_balance(account).family == D("-100.00")


def test_payment_to_chosen_invoice(posted):
    w = posted.world
    with scopes_disabled():
        account = account_of(w.program1, posted.lopez)
        march, april = Invoice.objects.filter(account=account).order_by("issued_on")
        services_payments.record_payment(
            acting_user=w.director1, account=account, amount="100", method="card",
            received_on=date(2025, 4, 2), invoices=[april],
        )  # fmt: skip
        opens = queries.open_amounts([march.pk, april.pk])
        assert opens == {march.pk: D("1900.00"), april.pk: D("1800.00")}
        smith_invoice = Invoice.objects.filter(account__family=posted.smith).first()
        with pytest.raises(ValidationError) as exc:
            services_payments.record_payment(
                acting_user=w.director1, account=account, amount="100", method="card",
                received_on=date(2025, 4, 2), invoices=[smith_invoice],
            )  # fmt: skip
        assert "invoices" in exc.value.message_dict


@pytest.mark.parametrize("amount", ["-5", "0", "abc", "1e400", None, 12.5])
def test_bad_amounts_are_refused_and_nothing_saved(posted, amount):
    with scopes_disabled():
        account = account_of(posted.world.program1, posted.lopez)
        with pytest.raises(ValidationError) as exc:
            services_payments.record_payment(
                acting_user=posted.world.director1, account=account, amount=amount,
                method="cash", received_on=date(2025, 4, 2),
            )  # fmt: skip
        assert "amount" in exc.value.message_dict
        assert not Payment.objects.exists()


def test_refund_and_reversal_reopen_invoices(posted):
    w = posted.world
    with scopes_disabled():
        account = account_of(w.program1, posted.lopez)
        pay = services_payments.record_payment(
            acting_user=w.director1, account=account, amount="2000", method="check",
            received_on=date(2025, 4, 2), reference="99",
        ).payment  # fmt: skip
        with pytest.raises(ValidationError):
            services_payments.refund_payment(
                acting_user=w.director1, payment=pay, amount="50", reason=""
            )
        refund = services_payments.refund_payment(
            acting_user=w.director1, payment=pay, amount="50", reason="Overpaid field trip"
        )
        assert refund.amount == D("-50.00") and refund.reverses_id == pay.pk
        assert queries.account_balance(account).family == D("3800.00") - D("1950.00")
        with pytest.raises(ValidationError):
            services_payments.refund_payment(
                acting_user=w.director1, payment=pay, amount="1951", reason="too much"
            )
        services_payments.reverse_payment(acting_user=w.director1, payment=pay, reason="Bounced")
        assert queries.account_balance(account).family == D("3800.00")
        assert all(v == D("1900.00") for v in queries.open_amounts(
            Invoice.objects.filter(account=account).values_list("pk", flat=True)
        ).values())  # fmt: skip
        pay.refresh_from_db()
        assert pay.amount == D("2000.00")  # the original never changes


def test_credit_note_and_invoice_reversal(posted):
    w = posted.world
    with scopes_disabled():
        account = account_of(w.program1, posted.smith)
        inv = Invoice.objects.filter(account=account).order_by("issued_on").first()
        with pytest.raises(ValidationError) as exc:
            services.issue_credit(
                acting_user=w.director1, account=account, invoice=inv, amount="500", reason="x"
            )
        assert "amount" in exc.value.message_dict  # more than the family's 86.67 open
        services.issue_credit(
            acting_user=w.director1, account=account, invoice=inv, amount="6.67",
            reason="Closed for snow",
        )  # fmt: skip
        notes = services.reverse_invoice(
            acting_user=w.director1, invoice=inv, reason="Billed in error"
        )
        assert sorted((n.payer_kind, n.amount) for n in notes) == [
            ("agency", D("1113.33")),
            ("family", D("80.00")),
        ]
        assert all(n.created_by == w.director1 and n.reason for n in CreditNote.objects.all())
        assert queries.open_amounts([inv.pk], "family")[inv.pk] == 0
        with pytest.raises(ValidationError):
            services.reverse_invoice(acting_user=w.director1, invoice=inv, reason="again")


def test_idempotency_key(posted):
    w = posted.world
    with scopes_disabled():
        account = account_of(w.program1, posted.lopez)
        kwargs = {
            "acting_user": w.director1, "account": account, "amount": "100", "method": "ach",
            "received_on": date(2025, 4, 2), "idempotency_key": "k-1", "request_hash": "h1",
        }  # fmt: skip
        first = services_payments.record_payment(**kwargs)
        again = services_payments.record_payment(**kwargs)
        assert first.created and not again.created
        assert again.payment.pk == first.payment.pk
        assert Payment.objects.count() == 1
        with pytest.raises(services_payments.IdempotencyConflict):
            services_payments.record_payment(**{**kwargs, "amount": "200", "request_hash": "h2"})
        assert Payment.objects.count() == 1


def test_no_float_in_money():
    """Every money-like field of billing is a DecimalField with 2 places; no FloatField
    anywhere in billing models."""
    offenders = []
    for model in apps.get_app_config("billing").get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FloatField):
                offenders.append(f"{model.__name__}.{f.name} is a FloatField")
            name = getattr(f, "name", "")
            if any(w in name for w in ("amount", "total", "copay", "income", "fee", "paid")):
                if isinstance(f, models.Field) and f.get_internal_type() not in (
                    "DecimalField", "ForeignKey", "OneToOneField", "BooleanField", "CharField",
                ):  # fmt: skip
                    offenders.append(f"{model.__name__}.{name} is {f.get_internal_type()}")
                if isinstance(f, models.DecimalField) and f.decimal_places != 2:
                    offenders.append(f"{model.__name__}.{name} has {f.decimal_places} places")
    assert offenders == []


def test_money_values_are_decimal_after_a_run(posted):
    with scopes_disabled():
        for inv in Invoice.objects.all():
            for value in (inv.total, inv.family_amount, inv.agency_amount):
                assert isinstance(value, Decimal) and value == value.quantize(D("0.01"))


# --- the invariant, under random operations ----------------------------------------------

ops = st.lists(
    st.tuples(
        st.sampled_from(["pay", "refund", "credit", "reverse_pay", "reverse_invoice", "run"]),
        st.decimals(min_value=D("0.01"), max_value=D("3000"), places=2),
        st.integers(min_value=0, max_value=5),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(operations=ops)
def test_balance_always_equals_invoices_minus_payments_minus_credits(posted, operations):
    """Random payments, refunds, credits, reversals and runs: the balance is always
    invoices − payments − credits (in total and per payer), nothing over-applied. Each
    example runs in a savepoint rolled back at its end."""
    w = posted.world
    with scopes_disabled(), transaction.atomic():
        account = account_of(w.program1, posted.lopez)
        smith = account_of(w.program1, posted.smith)
        month = 5
        for op, amount, pick in operations:
            try:
                if op == "pay":
                    services_payments.record_payment(
                        acting_user=w.director1, account=account if pick % 2 else smith,
                        amount=amount, method="cash", received_on=date(2025, 5, 1),
                    )  # fmt: skip
                elif op == "refund":
                    pays = list(Payment.objects.filter(kind="payment").order_by("pk"))
                    if pays:
                        services_payments.refund_payment(
                            acting_user=w.director1, payment=pays[pick % len(pays)],
                            amount=amount, reason="refund",
                        )  # fmt: skip
                elif op == "reverse_pay":
                    pays = list(Payment.objects.filter(kind="payment").order_by("pk"))
                    if pays:
                        services_payments.reverse_payment(
                            acting_user=w.director1, payment=pays[pick % len(pays)], reason="r"
                        )
                elif op == "credit":
                    invoices = list(Invoice.objects.filter(account=account).order_by("pk"))
                    target = invoices[pick % len(invoices)] if pick < 3 else None
                    services.issue_credit(
                        acting_user=w.director1, account=account, amount=amount,
                        reason="goodwill", invoice=target,
                    )  # fmt: skip
                elif op == "reverse_invoice":
                    invoices = list(Invoice.objects.filter(account=smith).order_by("pk"))
                    services.reverse_invoice(
                        acting_user=w.director1, invoice=invoices[pick % len(invoices)], reason="x"
                    )
                elif op == "run" and month <= 12:
                    services_runs.post_run(
                        acting_user=w.director1, program=w.program1, period="monthly",
                        day=date(2025, month, 1),
                    )  # fmt: skip
                    month += 1
            except ValidationError:
                pass  # refused input changes nothing; the invariant must still hold
            _check_invariant(account)
            _check_invariant(smith)
        transaction.set_rollback(True)


def _check_invariant(account):
    inv = sum(Invoice.objects.filter(account=account).values_list("total", flat=True), D("0"))
    pay = sum(Payment.objects.filter(account=account).values_list("amount", flat=True), D("0"))
    cred = sum(CreditNote.objects.filter(account=account).values_list("amount", flat=True), D("0"))
    bal = queries.account_balance(account)
    assert bal.total == inv - pay - cred
    assert bal.family + bal.agency == bal.total
    # no invoice is ever over-applied, per payer
    for pk, open_amount in queries.open_amounts(
        Invoice.objects.filter(account=account).values_list("pk", flat=True)
    ).items():
        assert open_amount >= 0, pk
    for pk, open_amount in queries.open_amounts(
        Invoice.objects.filter(account=account).values_list("pk", flat=True), "agency"
    ).items():
        assert open_amount >= 0, pk
    assert queries.unapplied(account) >= 0
