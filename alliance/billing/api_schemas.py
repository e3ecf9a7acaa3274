"""Schemas of the billing API. Money is an exact two-decimal string, never a float."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from alliance.api.types import Money, PageOut


class PayerOut(Schema):
    id: int
    name: str
    email: str
    share_percent: str
    is_primary: bool


class BalanceOut(Schema):
    total: Money
    family: Money
    agency: Money


class AccountOut(Schema):
    id: int
    number: str
    family: str
    status: str
    autopay_enabled: bool
    balance: BalanceOut


class AccountDetail(AccountOut):
    payers: list[PayerOut]
    unapplied: Money


class AccountPage(PageOut):
    items: list[AccountOut]


class LineOut(Schema):
    kind: str
    payer: str
    description: str
    child_id: int | None
    days_billed: int | None
    days_scheduled: int | None
    amount: Money


class InvoiceOut(Schema):
    id: int
    number: str
    account_id: int
    family: str
    kind: str
    issued_on: date
    due_on: date
    period_start: date | None
    period_end: date | None
    total: Money
    family_amount: Money
    agency_amount: Money
    family_open: Money
    agency_open: Money


class InvoiceDetail(InvoiceOut):
    lines: list[LineOut]


class InvoicePage(PageOut):
    items: list[InvoiceOut]


class PaymentIn(Schema):
    account_id: int
    amount: str = Field(..., description='Dollars and cents as a string, e.g. "125.50".')
    method: str = Field(..., description="cash, check, ach or card")
    received_on: date
    reference: str = ""
    note: str = ""
    invoice_ids: list[int] | None = Field(
        None, description="Apply to these invoices in this order; default oldest first."
    )


class PaymentOut(Schema):
    id: int
    account_id: int
    kind: str
    method: str
    amount: Money
    received_on: date
    reference: str
    applied: Money | None = None


class PaymentPage(PageOut):
    items: list[PaymentOut]


class RunIn(Schema):
    period: str = Field(..., description="weekly or monthly")
    day: date = Field(..., description="Any day of the period to bill.")
    issued_on: date | None = None


class DraftOut(Schema):
    family: str
    account_id: int | None
    family_amount: Money
    agency_amount: Money
    lines: list[LineOut]


class PreviewOut(Schema):
    period: str
    period_start: date
    period_end: date
    issued_on: date
    due_on: date
    invoice_count: int
    total: Money
    family_total: Money
    agency_total: Money
    warnings: list[str]
    invoices: list[DraftOut]


class RunOut(Schema):
    id: int
    period: str
    period_start: date
    period_end: date
    issued_on: date
    due_on: date
    invoice_count: int
    total: Money
    family_total: Money
    agency_total: Money


class RunPage(PageOut):
    items: list[RunOut]


class AuthorizationIn(Schema):
    child_id: int
    agency_id: int
    starts_on: date
    ends_on: date
    schedule: str = "full"
    star_rating: int | None = None
    special_needs: bool = False
    case_number: str = ""
    weekly_copay: str | None = None
    annual_income: str | None = None
    household_size: int | None = None
    child_position: int = 1


class AuthorizationOut(Schema):
    id: int
    child_id: int
    child: str
    agency: str
    case_number: str
    starts_on: date
    ends_on: date
    schedule: str
    provider_type: str
    star_rating: int
    special_needs: bool
    weekly_copay: Money
    copay_source: str


class AuthorizationPage(PageOut):
    items: list[AuthorizationOut]


class MyAccountOut(Schema):
    id: int
    program: str
    program_slug: str
    number: str
    balance: Money
    invoices: list[InvoiceOut]
    payments: list[PaymentOut]


class PayerIn(Schema):
    id: int | None = None
    name: str
    email: str = ""
    share_percent: str = Field(..., description='Percent of the family share, e.g. "50".')


class PayersIn(Schema):
    payers: list[PayerIn]
