"""Subsidy claims: building from authorizations, enrollments and attendance; submission;
CSV; agency payments and reconciliation; waive / bill the family; leakage flags."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from alliance.billing import queries, services, services_claims
from alliance.billing.models import (
    AgencyPayment,
    ClaimLine,
    ClaimStatus,
    CreditKind,
    CreditNote,
    GapResolution,
    InvoiceLine,
    LeakageFlag,
    LeakageKind,
    OneOffCharge,
    PayerKind,
    Payment,
)
from alliance.rules import ccap
from tests.billing.claims_support import (
    APRIL,
    attend,
    post_march,
    submitted_march_claim,
    weekdays,
)
from tests.billing.conftest import MONTH, account_of, enroll

pytestmark = pytest.mark.django_db

MARCH_DAYS = weekdays(date(2025, 3, 1), date(2025, 3, 31))  # 21 weekdays


# --- pure arithmetic (hand cases) ------------------------------------------------------


def test_prorated_agency_amount_hand_cases():
    # $300/week, $20 co-pay, 10 of 21 scheduled days: 1300 × 10/21 = 619.05; co-pay
    # 86.67 × 10/21 = 41.27; 619.05 − 41.27 = 577.78.
    amount = services_claims.prorated_agency_amount(
        weekly_rate=Decimal("300"), weekly_copay=Decimal("20"), covered_days=10, period_days=21
    )
    assert amount == Decimal("577.78")
    full = services_claims.prorated_agency_amount(
        weekly_rate=Decimal("300"), weekly_copay=Decimal("20"), covered_days=21, period_days=21
    )
    assert full == Decimal("1300.00") - Decimal("86.67")
    # A co-pay above the rate never makes the agency's share negative.
    assert services_claims.prorated_agency_amount(
        weekly_rate=Decimal("50"), weekly_copay=Decimal("80"), covered_days=5, period_days=20
    ) == Decimal("0")
    assert services_claims.prorated_agency_amount(
        weekly_rate=Decimal("300"), weekly_copay=Decimal("0"), covered_days=0, period_days=21
    ) == Decimal("0")


def test_scheduled_days_follow_the_pattern():
    days = services_claims.scheduled_days("024", date(2025, 3, 1), date(2025, 3, 14))
    assert [d.isoformat() for d in days] == [
        "2025-03-03", "2025-03-05", "2025-03-07", "2025-03-10", "2025-03-12", "2025-03-14",
    ]  # fmt: skip


# --- building a claim -----------------------------------------------------------------------


def test_claim_from_the_ledger_counts_attendance_and_absences(billing):
    w = billing.world
    post_march(billing)
    attended = MARCH_DAYS[:15] + [date(2025, 3, 8)]  # a Saturday: not scheduled
    attend(w.program1, w.classroom1, billing.liam, attended)
    with scopes_disabled():
        preview = services_claims.build_claim_preview(
            program=w.program1, agency=billing.agency, period_start=MONTH, today=APRIL
        )
        subsidy = sum(
            ln.amount
            for ln in InvoiceLine.objects.filter(
                authorization__child=billing.liam, payer=PayerKind.AGENCY
            )
        )
    assert len(preview.lines) == 1
    line = preview.lines[0]
    assert line.days_scheduled == 21
    assert line.days_attended == 15  # the Saturday is not a scheduled day
    assert line.days_absent == 6
    assert line.from_invoice is True
    assert line.amount_claimed == subsidy > 0
    assert line.invoice_id is not None


def test_claim_without_an_invoice_is_computed_from_the_weekly_rate(billing):
    """No run for March: the amount comes from the CCAP rate, prorated to the days the
    authorization covers (it starts on March 17: 11 of 21 weekdays)."""
    w = billing.world
    with scopes_disabled():
        auth = services.create_authorization(
            acting_user=w.director1,
            program=w.program1,
            child=billing.mateo,
            agency=billing.agency,
            starts_on=date(2025, 3, 17),
            ends_on=date(2025, 9, 30),
            weekly_copay=Decimal("15.00"),
        )
        preview = services_claims.build_claim_preview(
            program=w.program1, agency=billing.agency, period_start=MONTH, today=APRIL
        )
    mateo = next(ln for ln in preview.lines if ln.child_id == billing.mateo.pk)
    assert mateo.days_scheduled == 11
    assert mateo.days_absent == 11  # no attendance at all
    rate = ccap.weekly_rate(
        provider_type=auth.provider_type,
        schedule="full",
        star_rating=auth.star_rating,
        age_group="toddler",  # born Dec 2022: 26 months on March 1
        on=MONTH,
    )
    assert mateo.amount_claimed == services_claims.prorated_agency_amount(
        weekly_rate=rate, weekly_copay=Decimal("15.00"), covered_days=11, period_days=21
    )
    assert mateo.from_invoice is False


def test_enrollment_ending_mid_month_limits_the_days(billing):
    w = billing.world
    with scopes_disabled():
        from alliance.enrollment.models import Enrollment

        Enrollment.objects.filter(child=billing.liam).update(end_date=date(2025, 3, 14))
        preview = services_claims.build_claim_preview(
            program=w.program1, agency=billing.agency, period_start=MONTH, today=APRIL
        )
    assert preview.lines[0].days_scheduled == 10  # March 3–14


def test_claim_is_unique_per_agency_and_period_and_refuses_empty(billing):
    claim = submitted_march_claim(billing)
    w = billing.world
    with scopes_disabled():
        with pytest.raises(ValidationError) as exc:
            services_claims.create_claim(
                acting_user=w.director1, program=w.program1, agency=billing.agency,
                period_start=date(2025, 3, 15), today=APRIL,
            )  # fmt: skip
        assert "period_start" in exc.value.message_dict
        with pytest.raises(ValidationError):
            services_claims.create_claim(
                acting_user=w.director1, program=w.program1, agency=billing.agency,
                period_start=date(2024, 3, 1), today=APRIL,
            )  # fmt: skip
        assert claim.status == ClaimStatus.SUBMITTED


def test_submitted_claim_is_immutable(billing):
    claim = submitted_march_claim(billing)
    w = billing.world
    with scopes_disabled():
        with pytest.raises(ValidationError):
            services_claims.submit_claim(acting_user=w.director1, claim=claim)
        with pytest.raises(ValidationError):
            services_claims.delete_draft_claim(acting_user=w.director1, claim=claim)
        assert ClaimLine.objects.filter(claim=claim).count() == 1


def test_claim_csv_has_one_row_per_child(billing):
    claim = submitted_march_claim(billing)
    with scopes_disabled():
        rows = list(csv.reader(io.StringIO(services_claims.claim_csv(claim))))
        line = ClaimLine.objects.get(claim=claim)
    assert rows[0] == services_claims.CSV_HEADER
    assert len(rows) == 2
    assert rows[1][0] == "UC-CCRR"
    assert rows[1][8:12] == ["21", "19", "2", f"{line.amount_claimed:.2f}"]


def test_claim_for_another_alliance_agency_is_refused(billing):
    w = billing.world
    with scopes_disabled():
        from alliance.billing.models import SubsidyAgency

        foreign = SubsidyAgency.objects.create(alliance=w.other_alliance, name="Essex", code="EX")
        with pytest.raises(ValidationError) as exc:
            services_claims.build_claim_preview(
                program=w.program1, agency=foreign, period_start=MONTH
            )
    assert "agency" in exc.value.message_dict


# --- agency payments and reconciliation ---------------------------------------------------


def _pay(billing, claim, amount):
    w = billing.world
    with scopes_disabled():
        line = ClaimLine.objects.get(claim=claim)
        return services_claims.record_agency_payment(
            acting_user=w.director1,
            program=w.program1,
            agency=billing.agency,
            claim=claim,
            received_on=date(2025, 4, 20),
            amount=amount,
            reference="EFT-1001",
            allocations=[{"claim_line": line.pk, "amount": amount}],
        )


def test_agency_payment_posts_to_the_childs_invoice_and_reconciles(billing):
    claim = submitted_march_claim(billing)
    with scopes_disabled():
        line = ClaimLine.objects.get(claim=claim)
        expected = line.amount_claimed
        paid = expected - Decimal("100.00")
        account = account_of(billing.world.program1, billing.smith)
        before = queries.account_balance(account)
        _pay(billing, claim, paid)
        line.refresh_from_db()
        claim.refresh_from_db()
        ledger = Payment.objects.get(account=account, payer_kind=PayerKind.AGENCY)
        after = queries.account_balance(account)
        open_agency = queries.open_amounts([line.invoice_id], PayerKind.AGENCY)[line.invoice_id]
    assert ledger.method == "agency" and ledger.amount == paid
    assert line.amount_paid == paid
    assert line.amount_claimed - line.amount_paid == line.short_paid == Decimal("100.00")
    assert claim.status == ClaimStatus.PARTIALLY_PAID and claim.total_paid == paid
    assert before.agency - after.agency == paid
    assert before.family == after.family
    assert open_agency == Decimal("100.00")


def test_allocations_must_add_up_and_nothing_is_half_saved(billing):
    claim = submitted_march_claim(billing)
    w = billing.world
    with scopes_disabled():
        line = ClaimLine.objects.get(claim=claim)
        with pytest.raises(ValidationError) as exc:
            services_claims.record_agency_payment(
                acting_user=w.director1, program=w.program1, agency=billing.agency, claim=claim,
                received_on=APRIL, amount="500.00",
                allocations=[{"claim_line": line.pk, "amount": "400.00"}],
            )  # fmt: skip
        assert "allocations" in exc.value.message_dict
        with pytest.raises(ValidationError):
            services_claims.record_agency_payment(
                acting_user=w.director1, program=w.program1, agency=billing.agency, claim=claim,
                received_on=APRIL, amount="-5",
                allocations=[{"claim_line": line.pk, "amount": "-5"}],
            )  # fmt: skip
        assert AgencyPayment.objects.count() == 0
        assert Payment.objects.filter(payer_kind=PayerKind.AGENCY).count() == 0


def test_payment_for_a_draft_claim_is_refused(billing):
    w = billing.world
    post_march(billing)
    with scopes_disabled():
        claim = services_claims.create_claim(
            acting_user=w.director1, program=w.program1, agency=billing.agency,
            period_start=MONTH, today=APRIL,
        )  # fmt: skip
        with pytest.raises(ValidationError) as exc:
            services_claims.record_agency_payment(
                acting_user=w.director1, program=w.program1, agency=billing.agency, claim=claim,
                received_on=APRIL, amount="10.00", allocations=[{"child": billing.liam.pk,
                                                                  "amount": "10.00"}],
            )  # fmt: skip
    assert "claim" in exc.value.message_dict


def test_waive_gap_balances_the_ledger(billing):
    claim = submitted_march_claim(billing)
    _pay(billing, claim, _claimed(claim) - Decimal("100.00"))
    with scopes_disabled():
        line = ClaimLine.objects.get(claim=claim)
        account = account_of(billing.world.program1, billing.smith)
        before = queries.account_balance(account)
        services_claims.waive_gap(acting_user=billing.world.director1, line=line, reason="")
        after = queries.account_balance(account)
        note = CreditNote.objects.get(account=account)
        line.refresh_from_db()
        with pytest.raises(ValidationError):
            services_claims.waive_gap(acting_user=billing.world.director1, line=line)
    assert note.kind == CreditKind.WAIVER and note.payer_kind == PayerKind.AGENCY
    assert note.amount == Decimal("100.00")
    assert after.agency == before.agency - Decimal("100.00") == Decimal("0.00")
    assert after.family == before.family
    assert line.resolution == GapResolution.WAIVED


def _claimed(claim) -> Decimal:
    with scopes_disabled():
        return ClaimLine.objects.get(claim=claim).amount_claimed


def test_bill_family_moves_the_gap_to_the_next_invoice(billing):
    claim = submitted_march_claim(billing)
    _pay(billing, claim, _claimed(claim) - Decimal("100.00"))
    with scopes_disabled():
        line = ClaimLine.objects.get(claim=claim)
        account = account_of(billing.world.program1, billing.smith)
        before = queries.account_balance(account)
        services_claims.bill_family_gap(acting_user=billing.world.director1, line=line, today=APRIL)
        after = queries.account_balance(account)
        charge = OneOffCharge.objects.get(account=account)
        line.refresh_from_db()
    # The agency no longer owes the gap; the family will, on the next run (April).
    assert after.agency == Decimal("0.00")
    assert charge.amount == Decimal("100.00") and charge.child_id == billing.liam.pk
    assert charge.charge_on == date(2025, 4, 10)  # March is billed; April is not yet
    assert before.total - after.total == Decimal("100.00")
    assert after.total + charge.amount == before.total  # nothing lost, nothing doubled
    assert line.resolution == GapResolution.BILLED_FAMILY


def test_paid_in_full_line_has_no_gap_to_resolve(billing):
    claim = submitted_march_claim(billing)
    _pay(billing, claim, _claimed(claim))
    with scopes_disabled():
        line = ClaimLine.objects.get(claim=claim)
        claim.refresh_from_db()
        with pytest.raises(ValidationError):
            services_claims.bill_family_gap(acting_user=billing.world.director1, line=line)
    assert claim.status == ClaimStatus.PAID


def test_one_agency_payment_spread_over_two_children(billing):
    w = billing.world
    with scopes_disabled():
        services.create_authorization(
            acting_user=w.director1, program=w.program1, child=billing.mateo,
            agency=billing.agency, starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31),
            weekly_copay=Decimal("10.00"),
        )  # fmt: skip
    claim = submitted_march_claim(billing)
    with scopes_disabled():
        lines = list(ClaimLine.objects.filter(claim=claim).order_by("pk"))
        total = sum(ln.amount_claimed for ln in lines)
        payment = services_claims.record_agency_payment(
            acting_user=w.director1, program=w.program1, agency=billing.agency, claim=claim,
            received_on=APRIL, amount=total,
            allocations=[{"claim_line": ln.pk, "amount": ln.amount_claimed} for ln in lines],
        )  # fmt: skip
        accounts = {ln.account_id for ln in lines}
        ledger = list(Payment.objects.filter(payer_kind=PayerKind.AGENCY))
        assert payment.allocations.count() == 2
    assert len(lines) == 2 and len(accounts) == 2
    assert sum(p.amount for p in ledger) == total
    with scopes_disabled():
        for acc_id in accounts:
            assert queries.account_balances([acc_id])[acc_id].agency == Decimal("0.00")


# --- leakage -----------------------------------------------------------------------


def test_leakage_flags_and_idempotent_refresh(billing):
    w = billing.world
    post_march(billing)
    with scopes_disabled():
        # Attendance on a Saturday (not scheduled), an authorization ending soon, and a child
        # enrolled in March who was not billed (enrolled after the run).
        attend(w.program1, w.classroom1, billing.mateo, [date(2025, 3, 22)])
        from tests.factories import ChildFactory

        late = ChildFactory(family=billing.smith, first_name="Noah", birth_date=date(2023, 5, 1))
        enroll(w.program1, w.classroom1, late, start=date(2025, 3, 10))
        services.end_authorization(
            acting_user=w.director1,
            authorization=_auth(billing),
            on=date(2025, 4, 20),
        )
        today = date(2025, 4, 5)
        new = services_claims.refresh_leakage(acting_user=None, program=w.program1, today=today)
        again = services_claims.refresh_leakage(acting_user=None, program=w.program1, today=today)
        kinds = sorted(LeakageFlag.objects.values_list("kind", flat=True))
    assert again == 0
    assert new == 3
    assert kinds == sorted(
        [
            LeakageKind.ATTENDANCE_BEYOND_SCHEDULE,
            LeakageKind.AUTHORIZATION_EXPIRING,
            LeakageKind.UNBILLED_ENROLLMENT,
        ]
    )


def _auth(billing):
    from alliance.billing.models import CcapAuthorization

    return CcapAuthorization.objects.get(child=billing.liam)


def test_expired_authorization_while_enrolled_is_flagged_and_can_be_dismissed(billing):
    w = billing.world
    with scopes_disabled():
        services.end_authorization(
            acting_user=w.director1, authorization=_auth(billing), on=date(2025, 3, 31)
        )
        services_claims.refresh_leakage(
            acting_user=None, program=w.program1, today=date(2025, 4, 10)
        )
        flag = LeakageFlag.objects.get(kind=LeakageKind.AUTHORIZATION_EXPIRED)
        with pytest.raises(ValidationError) as exc:
            services_claims.dismiss_flag(acting_user=w.director1, flag=flag, reason=" ")
        assert "reason" in exc.value.message_dict
        services_claims.dismiss_flag(acting_user=w.director1, flag=flag, reason="Renewal sent")
        # A dismissed finding is not raised again by the next refresh.
        assert (
            services_claims.refresh_leakage(
                acting_user=None, program=w.program1, today=date(2025, 4, 11)
            )
            == 0
        )
        flag.refresh_from_db()
    assert flag.resolution_note == "Renewal sent" and flag.resolved_by == w.director1
    assert flag.details["ended_on"] == "2025-03-31"


def test_no_flags_for_a_clean_program(billing):
    w = billing.world
    post_march(billing)
    attend(w.program1, w.classroom1, billing.liam, MARCH_DAYS[:5])
    with scopes_disabled():
        found = services_claims.detect_leakage(program=w.program1, today=date(2025, 4, 1))
    assert found == []


def test_next_charge_day_skips_billed_periods(billing):
    w = billing.world
    with scopes_disabled():
        assert services_claims.next_charge_day(w.program1, APRIL) == APRIL
        post_march(billing)
        assert services_claims.next_charge_day(w.program1, date(2025, 3, 20)) == date(2025, 4, 1)
        assert services_claims.next_charge_day(w.program1, APRIL) == APRIL
