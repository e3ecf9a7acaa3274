"""Invoice, statement and tax statement PDFs: they render, carry the invoice number, the
program's branding and tax ID, and the family's language.

To read the text back, the tests draw with the core Helvetica font and no compression:
fpdf2 then writes every string literally in the page stream (with DejaVu it writes glyph
ids). One test renders with the real font to prove that path works too."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django_scopes import scopes_disabled

from alliance.billing import documents, reports
from alliance.billing.access_reports import access_invoice
from alliance.billing.models import BillingSettings
from tests.billing.reports_data import Ledger
from tests.factories import ChildFactory, FamilyFactory


@pytest.fixture
def plain_text(monkeypatch):
    monkeypatch.setattr(documents, "_fonts", lambda pdf: "Helvetica")


@pytest.fixture
def setup(world):
    program = world.program1
    with scopes_disabled():
        program.tax_id = "22-1234567"
        program.address = "12 Elm Street"
        program.save(update_fields=["tax_id", "address"])
        BillingSettings.objects.create(
            program=program,
            statement_name="Little Learners Academy",
            remit_to="PO Box 9, Elizabeth NJ 07201",
            statement_message="Thank you for choosing us.",
        )
        es = FamilyFactory(alliance=world.alliance, account=world.family, name="Peña family",
                           language="es")  # fmt: skip
        en = FamilyFactory(alliance=world.alliance, name="Smith family", language="en")
        kid = ChildFactory(family=es, first_name="Mateo", last_name="Peña")
    ledger = Ledger(program, world.director1)
    acc_es, acc_en = ledger.account(es, "A00001"), ledger.account(en, "A00002")
    inv = ledger.invoice(acc_es, issued=date(2025, 5, 1), due=date(2025, 5, 10), family="450",
                         agency="300", child=kid, number="INV-2025-0042")  # fmt: skip
    ledger.payment(acc_es, "200", received=date(2025, 5, 8), apply=[(inv, "200")])
    ledger.invoice(acc_en, issued=date(2025, 5, 1), family="1200", number="INV-2025-0043")
    return program, acc_es, acc_en, inv


def test_invoice_pdf_has_number_branding_split_and_family_language(world, setup, plain_text):
    program, acc_es, _acc_en, inv = setup
    with scopes_disabled():
        detail = access_invoice(program, inv.pk)
        pdf = documents.invoice_pdf(detail, compress=False)
        english = documents.invoice_pdf(detail, language="en", compress=False)
    assert pdf.startswith(b"%PDF")
    assert b"INV-2025-0042" in pdf
    assert b"Little Learners Academy" in pdf
    assert b"22-1234567" in pdf
    assert b"PO Box 9" in pdf
    assert b"Factura INV-2025-0042" in pdf  # the family reads Spanish
    assert b"Invoice INV-2025-0042" in english
    assert b"$250.00" in english  # due: 450 − 200


def test_statement_pdf_in_spanish_has_spanish_labels(world, setup, plain_text):
    _program, acc_es, acc_en, _inv = setup
    with scopes_disabled():
        es = reports.statement(account=acc_es, start=date(2025, 5, 1), end=date(2025, 5, 31))
        en = reports.statement(account=acc_en, start=date(2025, 5, 1), end=date(2025, 5, 31))
        pdf_es = documents.statement_pdf(es, compress=False)
        pdf_en = documents.statement_pdf(en, compress=False)
    assert pdf_es.startswith(b"%PDF") and pdf_en.startswith(b"%PDF")
    for label in (b"Estado de cuenta", b"Saldo inicial", b"Saldo final", b"INV-2025-0042"):
        assert label in pdf_es
    for label in (b"Account statement", b"Opening balance", b"Closing balance"):
        assert label in pdf_en
    assert b"Estado de cuenta" not in pdf_en
    assert b"$250.00" in pdf_es  # closing: 450 − 200


def test_tax_statement_pdf_has_year_tax_id_and_amount_paid(world, setup, plain_text):
    _program, acc_es, acc_en, _inv = setup
    with scopes_disabled():
        year = reports.tax_year(account=acc_es, year=2025)
        pdf = documents.tax_statement_pdf(year, language="en", compress=False)
    assert pdf.startswith(b"%PDF")
    assert b"tax year 2025" in pdf
    assert b"22-1234567" in pdf and b"12 Elm Street" in pdf
    assert b"$200.00" in pdf


def test_documents_render_with_the_embedded_font(world, setup):
    program, acc_es, _acc_en, inv = setup
    with scopes_disabled():
        detail = access_invoice(program, inv.pk)
        pdf = documents.invoice_pdf(detail)
        statement = documents.statement_pdf(
            reports.statement(account=acc_es, start=date(2025, 1, 1), end=date(2025, 12, 31))
        )
    assert pdf.startswith(b"%PDF") and statement.startswith(b"%PDF")
    assert b"DejaVu" in pdf  # the font that prints "Peña" and the Spanish labels


def test_a_program_without_billing_settings_uses_its_own_name(world):
    with scopes_disabled():
        brand = documents.branding(world.program2)
        assert not BillingSettings.objects.filter(program=world.program2).exists()
    assert brand.name == world.program2.name
    assert brand.color == (31, 95, 139)


def test_the_logo_and_brand_colour_are_drawn(world, setup, plain_text, settings, tmp_path):
    import io as _io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = str(tmp_path)
    buffer = _io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, format="PNG")
    program, _acc_es, _acc_en, inv = setup
    with scopes_disabled():
        billing = BillingSettings.objects.get(program=program)
        billing.brand_color = "#aa3300"
        billing.logo = SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")
        billing.save()
        brand = documents.branding(program)
        pdf = documents.invoice_pdf(access_invoice(program, inv.pk), compress=False)
    assert brand.color == (170, 51, 0) and brand.logo_path.endswith(".png")
    assert b"/Subtype /Image" in pdf
    assert re.search(rb"0\.6667 0\.2\d* 0(\.0+)? rg", pdf)  # the brand colour band
