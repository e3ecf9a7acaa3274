"""URLs of the collections and claims part, appended to ``billing/urls.py`` (same
``app_name``): program pages under ``p/<program_slug>/billing/``, the hub's claims roll-up
under ``a/<alliance_slug>/hub/billing/``."""

from __future__ import annotations

from django.urls import path

from alliance.billing import views_agencies as g
from alliance.billing import views_claims as c
from alliance.billing import views_collections as k

P = "p/<slug:program_slug>/billing"
H = "a/<slug:alliance_slug>/hub/billing"

urlpatterns = [
    path(f"{P}/collections/", k.home, name="collections"),
    path(f"{P}/collections/policy/", k.policy, name="collections_policy"),
    path(f"{P}/collections/reminders/", k.reminders, name="collections_reminders"),
    path(f"{P}/collections/assess/", k.assess, name="collections_assess"),
    path(
        f"{P}/collections/autopay-required/",
        k.autopay_required,
        name="collections_autopay_required",
    ),
    path(
        f"{P}/collections/late-fees/<int:assessment_id>/waive/",
        k.waive,
        name="collections_waive",
    ),
    path(f"{P}/collections/accounts/<int:account_id>/", k.account, name="collections_account"),
    path(
        f"{P}/collections/accounts/<int:account_id>/plans/",
        k.plan_new,
        name="collections_plan_new",
    ),
    path(
        f"{P}/collections/plans/<int:plan_id>/cancel/",
        k.plan_cancel,
        name="collections_plan_cancel",
    ),
    path(
        f"{P}/collections/autopay/<int:attempt_id>/<str:action>/",
        k.attempt_settle,
        name="collections_autopay",
    ),
    path(f"{P}/claims/", c.claims, name="claims"),
    path(f"{P}/claims/new/", c.claim_new, name="claim_new"),
    path(f"{P}/claims/<int:claim_id>/", c.claim, name="claim"),
    path(f"{P}/claims/<int:claim_id>/submit/", c.claim_submit, name="claim_submit"),
    path(f"{P}/claims/<int:claim_id>/delete/", c.claim_delete, name="claim_delete"),
    path(f"{P}/claims/<int:claim_id>/claim.csv", c.claim_csv, name="claim_csv"),
    path(f"{P}/claims/<int:claim_id>/adjust/", c.claim_adjust, name="claim_adjust"),
    path(f"{P}/claims/<int:claim_id>/payments/", c.claim_payment, name="claim_payment"),
    path(
        f"{P}/claims/<int:claim_id>/lines/<int:line_id>/<str:action>/",
        c.line_resolve,
        name="claim_line_resolve",
    ),
    path(f"{P}/leakage/", c.leakage, name="leakage"),
    path(f"{P}/leakage/<int:flag_id>/dismiss/", c.leakage_dismiss, name="leakage_dismiss"),
    path(f"{H}/claims/", c.hub_claims, name="hub_claims"),
    path(f"{H}/agencies/", g.agencies, name="hub_agencies"),
    path(f"{H}/agencies/<int:agency_id>/", g.agency_edit, name="hub_agency"),
    path(f"{H}/agencies/<int:agency_id>/delete/", g.agency_delete, name="hub_agency_delete"),
    path(
        f"{H}/agencies/<int:agency_id>/<str:action>/",
        g.agency_active,
        name="hub_agency_active",
    ),
]
