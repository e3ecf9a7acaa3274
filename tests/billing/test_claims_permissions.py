"""Every collections and claims URL and API path, asked as every persona: director of the
program and the hub 200 (or 422 for refused input), another program's director 404, staff
403, family and other roles 404, anonymous to sign-in (pages) or 401 (API)."""

from __future__ import annotations

from datetime import date

import pytest
from django_scopes import scopes_disabled

from alliance.billing import services_claims, services_collections
from alliance.billing.models import (
    AutopayAttempt,
    AutopayStatus,
    ClaimLine,
    LateFeeAssessment,
    LeakageFlag,
    LeakageKind,
    SubsidyAgency,
)
from tests.billing.claims_support import submitted_march_claim
from tests.billing.conftest import account_of
from tests.permissions import LOGIN, Case, check_matrix, everyone

pytestmark = pytest.mark.django_db

V1 = "/api/v1"

COVERED_API_PATHS = {
    "programs/<slug>/subsidy-claims",
    "programs/<slug>/subsidy-claims/<claim_id>",
    "programs/<slug>/subsidy-claims/<claim_id>/submit",
    "programs/<slug>/subsidy-claims/<claim_id>/adjustments",
    "alliances/<alliance>/subsidy-agencies",
    "alliances/<alliance>/subsidy-agencies/<agency_id>",
    "programs/<slug>/agency-payments",
    "programs/<slug>/late-fee-policy",
    "programs/<slug>/payment-plans",
    "programs/<slug>/leakage-flags",
    "programs/<slug>/leakage-flags/<flag_id>/dismiss",
}


@pytest.fixture
def setup(billing):
    w = billing.world
    claim = submitted_march_claim(billing)
    with scopes_disabled():
        services_collections.save_late_fee_policy(
            acting_user=w.director1, program=w.program1, method="flat", flat_amount="25",
            effective_from=date(2025, 1, 1),
        )  # fmt: skip
        services_collections.assess_late_fees(program=w.program1, today=date(2025, 3, 20))
        lopez = account_of(w.program1, billing.lopez)
        smith = account_of(w.program1, billing.smith)
        plan = services_collections.create_payment_plan(
            acting_user=w.director1, account=smith, installments=2,
            first_due_on=date(2030, 1, 1), total="100.00",
        )  # fmt: skip
        attempt = AutopayAttempt.objects.create(
            program=w.program1, account=lopez, amount="10.00", attempted_on=date(2025, 3, 11),
            status=AutopayStatus.SUCCEEDED,
        )  # fmt: skip
        flag = LeakageFlag.objects.create(
            program=w.program1, kind=LeakageKind.UNBILLED_ENROLLMENT, key="unbilled:test",
            child=billing.mateo, detected_on=date(2025, 4, 1),
        )  # fmt: skip
        line = ClaimLine.objects.get(claim=claim)
        # Paid in full: resolving its gap is refused (422) for everyone who may try.
        services_claims.record_agency_payment(
            acting_user=w.director1, program=w.program1, agency=billing.agency, claim=claim,
            received_on=date(2025, 4, 20), amount=line.amount_claimed,
            allocations=[{"claim_line": line.pk, "amount": line.amount_claimed}],
        )  # fmt: skip
        return {
            "claim": claim,
            "line": line,
            "fee": LateFeeAssessment.objects.first(),
            "plan": plan,
            "attempt": attempt,
            "flag": flag,
            "account": lopez,
        }


def test_program_pages_matrix(world, setup):
    p1 = "/p/little-learners/billing"
    c = setup["claim"].pk
    view = everyone(404, anonymous=LOGIN, staff=403, director1=200, hub=200)
    refused = everyone(404, anonymous=LOGIN, staff=403, director1=422, hub=422)
    redirect = everyone(404, anonymous=LOGIN, staff=403, director1=302, hub=302)
    acc = setup["account"].pk
    cases = [
        Case("GET", f"{p1}/collections/", view),
        Case("POST", f"{p1}/collections/policy/", refused, data={"fee-method": "weekly"}),
        Case("POST", f"{p1}/collections/reminders/", refused, data={"rem-steps": "soon"}),
        Case("POST", f"{p1}/collections/assess/", redirect),
        Case("POST", f"{p1}/collections/autopay-required/", redirect, data={}),
        Case("POST", f"{p1}/collections/late-fees/{setup['fee'].pk}/waive/", refused, data={}),
        Case("GET", f"{p1}/collections/accounts/{acc}/", view),
        Case(
            "POST",
            f"{p1}/collections/accounts/{acc}/",
            refused,
            data={"auto-enabled": "on", "auto-method": "card", "auto-last4": "1"},
        ),
        Case(
            "POST",
            f"{p1}/collections/accounts/{acc}/plans/",
            refused,
            data={"plan-installments": "0"},
        ),
        Case("POST", f"{p1}/collections/plans/{setup['plan'].pk}/cancel/", refused, data={}),
        Case(
            "POST",
            f"{p1}/collections/autopay/{setup['attempt'].pk}/confirm/",
            refused,  # already settled
        ),
        Case(
            "POST",
            f"{p1}/collections/autopay/{setup['attempt'].pk}/fail/",
            refused,
            data={"reason": "x"},
        ),
        Case("GET", f"{p1}/claims/", view),
        Case("GET", f"{p1}/claims/new/", view),
        Case(
            "GET",
            f"{p1}/claims/new/?agency={setup['claim'].agency_id}&month=2025-03",
            view,
        ),
        Case("POST", f"{p1}/claims/new/", refused, data={"month": "2025-13"}),
        Case("GET", f"{p1}/claims/{c}/", view),
        Case("GET", f"{p1}/claims/{c}/claim.csv", view),
        Case("GET", f"{p1}/claims/{c}/adjust/", view),  # "nothing to adjust"
        Case("POST", f"{p1}/claims/{c}/adjust/", refused, data={"reason": "x"}),  # same
        Case("POST", f"{p1}/claims/{c}/adjust/", refused, data={}),  # no reason
        Case("POST", f"{p1}/claims/{c}/submit/", refused),  # already submitted
        Case("POST", f"{p1}/claims/{c}/delete/", refused),  # submitted: never deleted
        Case("POST", f"{p1}/claims/{c}/payments/", refused, data={"pay-amount": "-1"}),
        Case(
            "POST",
            f"{p1}/claims/{c}/lines/{setup['line'].pk}/waive/",
            refused,  # paid in full: no gap to waive
        ),
        Case("POST", f"{p1}/claims/{c}/lines/{setup['line'].pk}/bill-family/", refused),
        Case(
            "POST",
            f"{p1}/claims/{c}/lines/{setup['line'].pk}/other/",
            everyone(404, anonymous=LOGIN, staff=403),
        ),
        Case("GET", f"{p1}/leakage/", view),
        Case("POST", f"{p1}/leakage/", redirect),
        Case("POST", f"{p1}/leakage/{setup['flag'].pk}/dismiss/", refused, data={"reason": ""}),
        Case("GET", f"{p1}/claims/999999/", everyone(404, anonymous=LOGIN, staff=403)),
    ]
    check_matrix(cases, world.personas())


def test_another_programs_records_are_missing(world, setup):
    """program1's claim and flag asked through program2's URLs (as program2's director)."""
    p2 = "/p/sunshine/billing"
    cases = [
        Case("GET", f"{p2}/claims/{setup['claim'].pk}/", {"director2": 404, "hub": 404}),
        Case("GET", f"{p2}/claims/{setup['claim'].pk}/adjust/", {"director2": 404, "hub": 404}),
        Case("POST", f"{p2}/claims/{setup['claim'].pk}/adjust/", {"director2": 404}),
        Case("POST", f"{p2}/leakage/{setup['flag'].pk}/dismiss/", {"director2": 404}),
        Case("GET", f"{p2}/collections/accounts/{setup['account'].pk}/", {"director2": 404}),
        Case("POST", f"{p2}/collections/plans/{setup['plan'].pk}/cancel/", {"director2": 404}),
    ]
    check_matrix(cases, world.personas())


def test_hub_pages_matrix(world, setup):
    only_hub = everyone(403, anonymous=LOGIN, hub=200)
    refused = everyone(403, anonymous=LOGIN, hub=422)
    h = "/a/union-county/hub/billing"
    a = setup["claim"].agency_id
    check_matrix(
        [
            Case("GET", f"{h}/claims/", only_hub),
            Case("GET", f"{h}/agencies/", only_hub),
            Case("POST", f"{h}/agencies/", refused, data={"new-name": "x", "new-code": ""}),
            Case("GET", f"{h}/agencies/{a}/", only_hub),
            Case("POST", f"{h}/agencies/{a}/", refused, data={"name": "", "code": "X"}),
            Case("POST", f"{h}/agencies/{a}/reactivate/", refused),  # already active
            Case("POST", f"{h}/agencies/{a}/delete/", refused),  # it has a claim
            Case("POST", f"{h}/agencies/{a}/other/", everyone(403, anonymous=LOGIN, hub=404)),
            Case("GET", f"{h}/agencies/999999/", everyone(403, anonymous=LOGIN, hub=404)),
        ],
        world.personas(),
    )


def test_another_alliances_agency_is_missing(world, setup):
    """Each hub asks for the other alliance's agency through its own alliance's URLs."""
    with scopes_disabled():
        essex = SubsidyAgency.objects.create(alliance=world.other_alliance, name="DFD", code="DFD")
    union = setup["claim"].agency_id
    cases = [
        Case("GET", f"/a/union-county/hub/billing/agencies/{essex.pk}/", {"hub": 404}),
        Case("POST", f"/a/union-county/hub/billing/agencies/{essex.pk}/deactivate/", {"hub": 404}),
        Case("POST", f"/a/union-county/hub/billing/agencies/{essex.pk}/delete/", {"hub": 404}),
        Case("GET", f"/a/essex-county/hub/billing/agencies/{union}/", {"other_hub": 404}),
    ]
    check_matrix(cases, world.personas())
    api_cases = [
        Case(
            "PATCH",
            f"{V1}/alliances/union-county/subsidy-agencies/{essex.pk}",
            {"hub": 404},
            data={"name": "Mine"},
        ),
        Case(
            "PATCH",
            f"{V1}/alliances/essex-county/subsidy-agencies/{union}",
            {"other_hub": 404},
            data={"name": "Mine"},
        ),
    ]
    check_matrix(api_cases, world.personas(), api=True)
    with scopes_disabled():
        essex.refresh_from_db()
    assert essex.name == "DFD"


def test_agencies_api_matrix(world, setup):
    base = f"{V1}/alliances/union-county/subsidy-agencies"
    a = setup["claim"].agency_id
    cases = [
        Case("GET", base, everyone(403, anonymous=401, hub=200)),
        Case(
            "POST",
            base,
            everyone(403, anonymous=401, hub=422),
            data={"name": "Dup", "code": "uc-ccrr"},  # the code is taken
        ),
        Case(
            "PATCH",
            f"{base}/{a}",
            everyone(403, anonymous=401, hub=422),
            data={"name": "  "},
        ),
        Case("PATCH", f"{base}/999999", everyone(403, anonymous=401, hub=404), data={}),
        Case(
            "GET",
            f"{V1}/alliances/no-such/subsidy-agencies",
            everyone(404, anonymous=401),
        ),
    ]
    check_matrix(cases, world.personas(), api=True)


def test_api_matrix(world, setup):
    p1 = f"{V1}/programs/little-learners"
    view = everyone(404, anonymous=401, staff=403, director1=200, hub=200)
    refused = everyone(404, anonymous=401, staff=403, director1=422, hub=422)
    c = setup["claim"]
    cases = [
        Case("GET", f"{p1}/subsidy-claims", view),
        Case(
            "POST",
            f"{p1}/subsidy-claims",
            refused,  # March is already claimed
            data={"agency_id": c.agency_id, "month": "2025-03-01"},
        ),
        Case(
            "POST",
            f"{p1}/subsidy-claims",
            view,
            data={"agency_id": c.agency_id, "month": "2025-03-01", "preview": True},
        ),
        Case("GET", f"{p1}/subsidy-claims/{c.pk}", view),
        Case("POST", f"{p1}/subsidy-claims/{c.pk}/submit", refused),
        Case(
            "POST",
            f"{p1}/subsidy-claims/{c.pk}/adjustments",
            refused,  # nothing differs from the claim
            data={"reason": "Agency notice"},
        ),
        Case(
            "POST",
            f"{p1}/subsidy-claims/{c.pk}/adjustments",
            view,  # a preview answers the (empty) difference
            data={"reason": "Agency notice", "preview": True},
        ),
        Case(
            "POST",
            f"{V1}/programs/sunshine/subsidy-claims/{c.pk}/adjustments",
            everyone(404, anonymous=401, staff=404, director1=404, hub=404),
            data={"reason": "x"},
        ),
        Case("GET", f"{p1}/agency-payments", view),
        Case(
            "POST",
            f"{p1}/agency-payments",
            refused,
            data={
                "agency_id": c.agency_id,
                "claim_id": c.pk,
                "received_on": "2025-04-20",
                "amount": "100.00",
                "allocations": [{"claim_line_id": setup["line"].pk, "amount": "90.00"}],
            },
        ),
        Case("GET", f"{p1}/late-fee-policy", view),
        Case("PUT", f"{p1}/late-fee-policy", refused, data={"method": "flat", "flat_amount": "0"}),
        Case("GET", f"{p1}/payment-plans", view),
        Case(
            "POST",
            f"{p1}/payment-plans",
            refused,  # the account already has an active plan
            data={
                "account_id": setup["plan"].account_id,
                "installments": 2,
                "first_due_on": "2030-02-01",
            },
        ),  # fmt: skip
        Case("GET", f"{p1}/leakage-flags", view),
        Case(
            "POST",
            f"{p1}/leakage-flags/{setup['flag'].pk}/dismiss",
            refused,
            data={"reason": ""},
        ),
        Case(
            "GET",
            f"{V1}/programs/sunshine/subsidy-claims/{c.pk}",
            everyone(404, anonymous=401, staff=404, director1=404, hub=404),
        ),
    ]
    check_matrix(cases, world.personas(), api=True)
