"""What the purchasing API reads and writes. Quantities and prices travel as strings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import ConfigDict

from alliance.api.types import Money, PageOut

Price = Annotated[Decimal, Field(description="Unit price, up to 4 decimals")]


class PriceTierOut(Schema):
    min_quantity: int
    unit_price: str


class ItemOut(Schema):
    id: int
    sku: str
    name: str
    category: str
    unit: str
    pack_size: int
    divisible: bool
    cacfp_creditable: bool
    vendor: str
    tiers: list[PriceTierOut]
    baseline_price: str
    baseline_source: str
    baseline_date: date | None


class ItemPage(PageOut):
    items: list[ItemOut]


class CycleOut(Schema):
    id: int
    name: str
    status: str
    opens_at: datetime
    closes_at: datetime
    delivery_on: date
    member_min_spend: Money


class CyclePage(PageOut):
    items: list[CycleOut]


class OrderLineOut(Schema):
    id: int
    cycle_item_id: int
    item: str
    quantity: str
    tolerance: int
    final_quantity: str | None
    unit_price: str | None
    amount: Money | None
    baseline_amount: Money | None
    receipt: str


class OrderOut(Schema):
    id: int
    cycle_id: int
    cycle: str
    cycle_status: str
    subtotal: Money | None
    delivery_share: Money
    credits: Money
    baseline_total: Money | None
    savings: Money | None
    invoice_number: str


class OrderDetail(OrderOut):
    lines: list[OrderLineOut]


class OrderPage(PageOut):
    items: list[OrderOut]


class OrderLineIn(Schema):
    model_config = ConfigDict(extra="forbid")
    cycle_item_id: int
    quantity: Annotated[Decimal, Field(ge=0, le=100000, decimal_places=2)]
    tolerance: Annotated[int, Field(ge=0, le=10000)] = 0


class OrderIn(Schema):
    model_config = ConfigDict(extra="forbid")
    cycle_id: int
    lines: Annotated[list[OrderLineIn], Field(min_length=1, max_length=1000)]
    merge: bool = Field(False, description="Add to the quantities already ordered")


class POLineOut(Schema):
    item: str
    sku: str
    ordered_quantity: str
    quantity: str
    tier_min_quantity: int
    unit_price: str
    amount: Money


class POOut(Schema):
    id: int
    number: str
    cycle_id: int
    vendor: str
    status: str
    below_minimum: bool
    subtotal: Money
    delivery_fee: Money
    total: Money


class PODetail(POOut):
    lines: list[POLineOut]


class POPage(PageOut):
    items: list[POOut]


class SavingsRow(Schema):
    label: str
    spend: Money
    baseline: Money
    saved: Money
    percent: str


class SavingsOut(Schema):
    total: SavingsRow
    by_cycle: list[SavingsRow]
    by_year: list[SavingsRow]
    by_category: list[SavingsRow]
    by_member: list[SavingsRow] | None = None
