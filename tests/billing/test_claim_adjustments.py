"""Adjustments of a submitted subsidy claim: the per-child difference between what is owed
now (recomputed like a claim) and what was claimed before (original plus earlier
adjustments), positive or negative, children added or removed; refusals; agency payments
against an adjustment and the period's reconciliation; the CSV."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled
from hypothesis import given
from hypothesis import strategies as st

from alliance.billing import queries_claims, services, services_adjustments, services_claims
from alliance.billing.models import ClaimLine, ClaimStatus, SubsidyClaim
from alliance.core.models import AuditEntry
from tests.billing.claims_support import APRIL, submitted_march_claim
from tests.billing.conftest import MONTH

pytestmark = pytest.mark.django_db


def _authorize(billing, child, *, starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31)):
    w = billing.world
    with scopes_disabled():
        return services.create_authorization(
            acting_user=w.director1, program=w.program1, child=child, agency=billing.agency,
            starts_on=starts_on, ends_on=ends_on, weekly_copay=Decimal("15.00"),
            case_number=f"UC-{child.first_name}",
        )  # fmt: skip


def _adjust(billing, claim, reason="Agency notice"):
    with scopes_disabled():
        return services_adjustments.create_adjustment(
            acting_user=billing.world.director1, claim=claim, reason=reason, today=APRIL
        )


def _submit(billing, claim):
    with scopes_disabled():
        return services_claims.submit_claim(acting_user=billing.world.director1, claim=claim)


def _owed_now(billing) -> Decimal:
    with scopes_disabled():
        return services_claims.build_claim_preview(
            program=billing.world.program1, agency=billing.agency, period_start=MONTH, today=APRIL
        ).total


def _computed_march_claim(billing) -> SubsidyClaim:
    """No run for March: Liam's line is computed from the CCAP rate (so ending his
    authorization early changes what is owed)."""
    w = billing.world
    with scopes_disabled():
        claim = services_claims.create_claim(
            acting_user=w.director1, program=w.program1, agency=billing.agency,
            period_start=MONTH, today=APRIL,
        )  # fmt: skip
        return services_claims.submit_claim(acting_user=w.director1, claim=claim)


def _rollup_short(world) -> Decimal:
    rows = queries_claims.hub_rollup(world.alliance)
    return next(r.short_paid for r in rows if r.program.pk == world.program1.pk)


def _lines(claim) -> dict[int, ClaimLine]:
    with scopes_disabled():
        return {ln.child_id: ln for ln in ClaimLine.objects.filter(claim=claim)}


# --- the difference ------------------------------------------------------------------------


def test_child_missing_from_the_claim_is_added_by_the_adjustment(billing):
    w = billing.world
    claim = submitted_march_claim(billing)
    _authorize(billing, billing.mateo)  # back-dated by the agency after submission
    adjustment = _adjust(billing, claim, reason="  Authorization back-dated  ")
    lines = _lines(adjustment)
    assert set(lines) == {billing.mateo.pk}  # Liam did not change: no zero line
    mateo = lines[billing.mateo.pk]
    assert mateo.amount_previous == 0 and mateo.amount_claimed > 0
    assert mateo.amount_now == mateo.amount_claimed
    assert mateo.days_scheduled == 21
    assert adjustment.adjusts_id == claim.pk and adjustment.sequence == 1
    assert (
        adjustment.status == ClaimStatus.DRAFT and adjustment.reason == "Authorization back-dated"
    )
    assert adjustment.created_by == w.director1
    assert adjustment.total_claimed == mateo.amount_claimed
    assert claim.total_claimed + adjustment.total_claimed == _owed_now(billing)
    with scopes_disabled():
        claim.refresh_from_db()
        assert claim.total_claimed == ClaimLine.objects.get(claim=claim).amount_claimed  # untouched
        assert AuditEntry.objects.filter(action="billing.claim_adjustment_created").count() == 1
    done = _submit(billing, adjustment)
    assert done.status == ClaimStatus.SUBMITTED and done.submitted_by == w.director1


def test_authorization_ended_early_gives_a_negative_line_and_closes_on_submit(billing):
    w = billing.world
    claim = _computed_march_claim(billing)
    before = _lines(claim)[billing.liam.pk].amount_claimed
    with scopes_disabled():
        auth = ClaimLine.objects.get(claim=claim).authorization
        services.end_authorization(
            acting_user=w.director1, authorization=auth, on=date(2025, 3, 14)
        )
    adjustment = _adjust(billing, claim)
    liam = _lines(adjustment)[billing.liam.pk]
    assert liam.amount_previous == before
    assert liam.amount_claimed < 0 and liam.amount_now == before + liam.amount_claimed
    assert liam.days_scheduled == 10  # March 3–14
    assert claim.total_claimed + adjustment.total_claimed == _owed_now(billing)
    assert _submit(billing, adjustment).status == ClaimStatus.CLOSED  # nothing to pay


def test_child_no_longer_authorized_is_removed_in_full(billing):
    w = billing.world
    claim = submitted_march_claim(billing)
    before = _lines(claim)[billing.liam.pk].amount_claimed
    with scopes_disabled():
        auth = ClaimLine.objects.get(claim=claim).authorization
        services.end_authorization(
            acting_user=w.director1, authorization=auth, on=date(2025, 2, 28)
        )
    _authorize(billing, billing.mateo)
    adjustment = _adjust(billing, claim)
    lines = _lines(adjustment)
    assert lines[billing.liam.pk].amount_claimed == -before
    assert lines[billing.liam.pk].amount_now == 0 and lines[billing.liam.pk].days_scheduled == 0
    assert lines[billing.mateo.pk].amount_claimed > 0
    assert adjustment.total_claimed == lines[billing.mateo.pk].amount_claimed - before
    assert claim.total_claimed + adjustment.total_claimed == _owed_now(billing)


def test_a_second_adjustment_counts_the_earlier_one(billing):
    w = billing.world
    claim = submitted_march_claim(billing)
    mateo_auth = _authorize(billing, billing.mateo)
    first = _adjust(billing, claim)
    with pytest.raises(ValidationError) as exc:  # the first is still a draft
        _adjust(billing, claim)
    assert "still a draft" in str(exc.value)
    _submit(billing, first)
    with pytest.raises(ValidationError) as exc:  # nothing changed since
        _adjust(billing, claim)
    assert "Nothing differs" in str(exc.value)
    with scopes_disabled():
        services.end_authorization(
            acting_user=w.director1, authorization=mateo_auth, on=date(2025, 3, 14)
        )
    second = _adjust(billing, first)  # adjusting an adjustment adjusts the original
    assert second.adjusts_id == claim.pk and second.sequence == 2
    mateo = _lines(second)[billing.mateo.pk]
    assert mateo.amount_previous == _lines(first)[billing.mateo.pk].amount_claimed
    assert mateo.amount_claimed < 0
    _submit(billing, second)
    total = claim.total_claimed + first.total_claimed + second.total_claimed
    assert total == _owed_now(billing)


# --- refusals ------------------------------------------------------------------------------


def test_nothing_differs_is_refused_and_saves_nothing(billing):
    claim = submitted_march_claim(billing)
    with pytest.raises(ValidationError) as exc:
        _adjust(billing, claim)
    assert "claim" in exc.value.message_dict
    with scopes_disabled():
        assert SubsidyClaim.objects.count() == 1


def test_a_draft_claim_cannot_be_adjusted(billing):
    w = billing.world
    with scopes_disabled():
        draft = services_claims.create_claim(
            acting_user=w.director1, program=w.program1, agency=billing.agency,
            period_start=MONTH, today=APRIL,
        )  # fmt: skip
    _authorize(billing, billing.mateo)
    with pytest.raises(ValidationError) as exc:
        _adjust(billing, draft)
    assert "Only a submitted claim" in str(exc.value)


def test_a_reason_is_required(billing):
    claim = submitted_march_claim(billing)
    _authorize(billing, billing.mateo)
    with pytest.raises(ValidationError) as exc:
        _adjust(billing, claim, reason="   ")
    assert "reason" in exc.value.message_dict


def test_a_draft_adjustment_can_be_deleted_a_submitted_one_cannot(billing):
    claim = submitted_march_claim(billing)
    _authorize(billing, billing.mateo)
    adjustment = _adjust(billing, claim)
    with scopes_disabled():
        services_claims.delete_draft_claim(acting_user=billing.world.director1, claim=adjustment)
        assert not SubsidyClaim.objects.filter(adjusts=claim).exists()
    again = _submit(billing, _adjust(billing, claim))
    assert again.sequence == 1
    with pytest.raises(ValidationError), scopes_disabled():
        services_claims.delete_draft_claim(acting_user=billing.world.director1, claim=again)


# --- payments and reconciliation ---------------------------------------------------------------


def test_corrected_shortfall_is_no_longer_short_paid(billing):
    """The agency paid Liam only for the days his authorization really covered; the
    adjustment takes the difference off, and the period shows nothing short-paid."""
    w = billing.world
    claim = _computed_march_claim(billing)
    with scopes_disabled():
        line = ClaimLine.objects.get(claim=claim)
        services.end_authorization(
            acting_user=w.director1, authorization=line.authorization, on=date(2025, 3, 14)
        )
    owed = _owed_now(billing)
    with scopes_disabled():
        services_claims.record_agency_payment(
            acting_user=w.director1, program=w.program1, agency=billing.agency, claim=claim,
            received_on=APRIL, amount=owed, allocations=[{"claim_line": line.pk, "amount": owed}],
        )  # fmt: skip
        line.refresh_from_db()
        assert services_claims.period_gap(line) == line.amount_claimed - owed > 0
        assert _rollup_short(w) == line.amount_claimed - owed
    _submit(billing, _adjust(billing, claim))
    with scopes_disabled():
        view = queries_claims.period_view(claim)
        (row,) = view.rows
        assert row.net == owed == row.paid and row.short_paid == 0
        assert view.net_claimed == owed and view.open_gap == 0
        assert services_claims.period_gap(line) == 0
        assert _rollup_short(w) == 0
        with pytest.raises(ValidationError) as exc:
            services_claims.waive_gap(acting_user=w.director1, line=line)
    assert "paid in full" in str(exc.value)


def test_agency_pays_an_adjustment_like_a_claim(billing):
    w = billing.world
    claim = submitted_march_claim(billing)
    liam = _lines(claim)[billing.liam.pk]
    with scopes_disabled():
        services_claims.record_agency_payment(
            acting_user=w.director1, program=w.program1, agency=billing.agency, claim=claim,
            received_on=APRIL, amount=liam.amount_claimed,
            allocations=[{"claim_line": liam.pk, "amount": liam.amount_claimed}],
        )  # fmt: skip
    _authorize(billing, billing.mateo)
    adjustment = _submit(billing, _adjust(billing, claim))
    mateo = _lines(adjustment)[billing.mateo.pk]
    with scopes_disabled():
        view = queries_claims.period_view(claim)
        assert view.open_gap == mateo.amount_claimed  # Mateo is expected, not yet paid
        short = mateo.amount_claimed - Decimal("20.00")
        services_claims.record_agency_payment(
            acting_user=w.director1, program=w.program1, agency=billing.agency,
            claim=adjustment, received_on=APRIL, amount=short,
            allocations=[{"claim_line": mateo.pk, "amount": short}],
        )  # fmt: skip
        adjustment.refresh_from_db()
        assert adjustment.status == ClaimStatus.PARTIALLY_PAID and adjustment.total_paid == short
        view = queries_claims.period_view(claim)
        assert view.paid == liam.amount_claimed + short
        assert view.net_claimed == claim.total_claimed + adjustment.total_claimed
        assert view.open_gap == Decimal("20.00")
        mateo.refresh_from_db()
        services_claims.waive_gap(acting_user=w.director1, line=mateo)
        assert queries_claims.period_view(claim).open_gap == 0
        with pytest.raises(ValidationError):  # the original's line is not the adjustment's
            services_claims.record_agency_payment(
                acting_user=w.director1, program=w.program1, agency=billing.agency,
                claim=adjustment, received_on=APRIL, amount="5.00",
                allocations=[{"claim_line": liam.pk, "amount": "5.00"}],
            )  # fmt: skip


def test_adjustment_csv_carries_the_difference(billing):
    claim = submitted_march_claim(billing)
    _authorize(billing, billing.mateo)
    adjustment = _adjust(billing, claim, reason="Back-dated")
    with scopes_disabled():
        adjustment = SubsidyClaim.objects.select_related("agency", "program").get(pk=adjustment.pk)
        rows = list(csv.reader(io.StringIO(services_claims.claim_csv(adjustment))))
    assert rows[0] == services_claims.ADJUSTMENT_CSV_HEADER
    (row,) = rows[1:]
    data = dict(zip(rows[0], row, strict=True))
    assert data["case_number"] == "UC-Mateo" and data["adjustment"] == "1"
    assert data["previously_claimed"] == "0.00" and data["reason"] == "Back-dated"
    assert data["amount_claimed"] == data["owed_now"] == f"{adjustment.total_claimed:.2f}"


def test_period_sums_stay_the_recomputed_total_through_changes(billing):
    """Original + adjustments equals what is owed now after every change (a scripted
    sequence; the property below checks the arithmetic on any numbers)."""
    w = billing.world
    claim = _computed_march_claim(billing)
    totals = [claim.total_claimed]
    mateo_auth = _authorize(billing, billing.mateo, starts_on=date(2025, 3, 10))
    changes = [
        lambda: _authorize(billing, billing.sofia),
        lambda: services.end_authorization(
            acting_user=w.director1, authorization=mateo_auth, on=date(2025, 3, 20)
        ),
        lambda: services.end_authorization(
            acting_user=w.director1, authorization=mateo_auth, on=date(2025, 3, 10)
        ),
    ]
    latest = claim
    for change in [lambda: None, *changes]:
        with scopes_disabled():
            change()
        latest = _submit(billing, _adjust(billing, latest))
        totals.append(latest.total_claimed)
        assert sum(totals) == _owed_now(billing)


amounts = st.dictionaries(
    st.integers(min_value=1, max_value=8),
    st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False),
    max_size=6,
)


@given(previous=amounts, now=amounts)
def test_differences_always_add_up_to_what_is_owed_now(previous, now):
    diffs = services_adjustments.claim_differences(previous, now)
    assert sum(previous.values(), Decimal("0")) + sum(diffs.values(), Decimal("0")) == sum(
        now.values(), Decimal("0")
    )
    assert all(v != 0 for v in diffs.values())
    for key in {*previous, *now}:
        assert previous.get(key, 0) + diffs.get(key, 0) == now.get(key, 0)


# --- demo data -----------------------------------------------------------------------------


SEED_TODAY = date(2026, 3, 15)  # the seeded history stays within the CCAP rate tables


def test_demo_seed_has_one_submitted_adjustment_at_little_learners():
    from alliance.seed.generate import seed

    report = seed("small", log=lambda _m: None, today=SEED_TODAY)
    assert report.counts["claim adjustments"] == 1
    with scopes_disabled():
        (adjustment,) = SubsidyClaim.objects.filter(adjusts__isnull=False).select_related(
            "program", "adjusts"
        )
        assert adjustment.program.name.startswith("Little Learners")
        assert adjustment.status == ClaimStatus.SUBMITTED and adjustment.sequence == 1
        assert adjustment.reason and adjustment.total_claimed > 0
        (line,) = ClaimLine.objects.filter(claim=adjustment)
        assert line.amount_previous == 0 and line.authorization.case_number.endswith("-BD")
        original = adjustment.adjusts
        owed = services_claims.build_claim_preview(
            program=original.program, agency=original.agency,
            period_start=original.period_start, today=SEED_TODAY,
        ).total  # fmt: skip
    assert original.total_claimed + adjustment.total_claimed == owed
