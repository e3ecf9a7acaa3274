"""Billing pages: program pages under ``p/<program_slug>/billing/``, the family's own pages
under ``me/billing/``. The collections/claims and documents/reports parts keep their own
``urls_claims.py`` / ``urls_reports.py`` (same ``app_name``), appended at the end."""

from __future__ import annotations

import importlib
import importlib.util

from django.urls import path

from alliance.billing import views_family
from alliance.billing import views_program as v

app_name = "billing"

P = "p/<slug:program_slug>/billing"
ME = "me/billing"

urlpatterns: list = [
    path(f"{P}/", v.home, name="home"),
    path(f"{P}/accounts/", v.accounts, name="accounts"),
    path(f"{P}/accounts/<int:account_id>/", v.account, name="account"),
    path(f"{P}/accounts/<int:account_id>/payments/", v.account_payment, name="account_payment"),
    path(f"{P}/accounts/<int:account_id>/credits/", v.account_credit, name="account_credit"),
    path(f"{P}/accounts/<int:account_id>/payers/", v.account_payers, name="account_payers"),
    path(f"{P}/settings/", v.settings_page, name="settings"),
    path(f"{P}/invoices/", v.invoices, name="invoices"),
    path(f"{P}/invoices/<int:invoice_id>/", v.invoice, name="invoice"),
    path(f"{P}/invoices/<int:invoice_id>/credit/", v.invoice_credit, name="invoice_credit"),
    path(f"{P}/invoices/<int:invoice_id>/reverse/", v.invoice_reverse, name="invoice_reverse"),
    path(f"{P}/payments/", v.payments, name="payments"),
    path(f"{P}/payments/import/", v.payments_import, name="payments_import"),
    path(f"{P}/payments/<int:payment_id>/refund/", v.payment_refund, name="payment_refund"),
    path(f"{P}/payments/<int:payment_id>/reverse/", v.payment_reverse, name="payment_reverse"),
    path(f"{P}/runs/", v.runs, name="runs"),
    path(f"{P}/runs/preview/", v.run_preview, name="run_preview"),
    path(f"{P}/runs/post/", v.run_post, name="run_post"),
    path(f"{P}/rates/", v.rates, name="rates"),
    path(f"{P}/authorizations/", v.authorizations, name="authorizations"),
    path(f"{ME}/", views_family.my_billing, name="my_billing"),
    path(f"{ME}/invoices/<int:invoice_id>/", views_family.my_invoice, name="my_invoice"),
]


# --- Other billing parts plug in here (do not import them directly: they may not exist). ---
for _part in ("alliance.billing.urls_claims", "alliance.billing.urls_reports"):
    if importlib.util.find_spec(_part) is not None:
        urlpatterns += importlib.import_module(_part).urlpatterns
