"""URLs of the documents and reports part, appended to ``billing/urls.py`` (same
``app_name``): program pages under ``p/<program_slug>/billing/``, hub roll-ups under
``a/<alliance_slug>/hub/billing/``, the family's documents under ``me/billing/``."""

from __future__ import annotations

from django.urls import path

from alliance.billing import views_reports as v

P = "p/<slug:program_slug>/billing"
H = "a/<slug:alliance_slug>/hub/billing"
ME = "me/billing"

urlpatterns = [
    path(f"{P}/reports/aging/", v.aging, name="report_aging"),
    path(f"{P}/reports/collections/", v.collections, name="report_collections"),
    path(f"{P}/reports/deposits/", v.deposits, name="report_deposits"),
    path(f"{P}/accounting/", v.accounting, name="report_accounting"),
    path(f"{P}/accounting/journal.<str:fmt>", v.journal, name="report_journal"),
    path(f"{P}/invoices/<int:invoice_id>/invoice.pdf", v.invoice_pdf, name="doc_invoice"),
    path(f"{P}/accounts/<int:account_id>/statement.pdf", v.statement_pdf, name="doc_statement"),
    path(
        f"{P}/accounts/<int:account_id>/tax-<int:year>.pdf",
        v.tax_statement_pdf,
        name="doc_tax_statement",
    ),
    path(f"{H}/aging/", v.hub_aging, name="hub_report_aging"),
    path(f"{H}/collections/", v.hub_collections, name="hub_report_collections"),
    path(f"{H}/deposits/", v.hub_deposits, name="hub_report_deposits"),
    path(f"{ME}/documents/", v.my_documents, name="my_documents"),
    path(f"{ME}/invoices/<int:invoice_id>/invoice.pdf", v.my_invoice_pdf, name="my_doc_invoice"),
    path(
        f"{ME}/accounts/<int:account_id>/statement.pdf", v.my_statement_pdf, name="my_doc_statement"
    ),
    path(
        f"{ME}/accounts/<int:account_id>/tax-<int:year>.pdf",
        v.my_tax_statement_pdf,
        name="my_doc_tax_statement",
    ),
]
