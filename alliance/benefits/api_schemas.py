"""API shapes of benefits: money leaves as exact two-decimal strings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from alliance.api.types import Money, PageOut


class RatesOut(Schema):
    effective_on: date
    employee: Money
    employee_spouse: Money
    employee_children: Money
    family: Money


class PlanOut(Schema):
    id: int
    kind: str
    carrier: str
    name: str
    is_active: bool
    deferral_min_percent: Decimal | None = None
    deferral_max_percent: Decimal | None = None
    match_formula: list = Field(default_factory=list)
    vesting: list = Field(default_factory=list)
    rates: RatesOut | None = None


class PlanPage(PageOut):
    items: list[PlanOut]


class PlanIn(Schema):
    kind: str
    carrier: str
    name: str
    is_active: bool = True
    deferral_min_percent: Decimal | None = None
    deferral_max_percent: Decimal | None = None
    match_formula: list = Field(default_factory=list, description="e.g. [[3, 100], [5, 50]]")
    vesting: list = Field(default_factory=list, description="e.g. [[0, 0], [2, 50], [4, 100]]")


class PolicyOut(Schema):
    plan_id: int
    plan: str
    offered: bool
    contribution_kind: str
    contribution_value: Decimal
    contribution_cap: Money | None = None
    min_hours: Decimal
    waiting_days: int
    eligible_roles: list[str]


class PolicyIn(Schema):
    plan_id: int
    offered: bool = True
    contribution_kind: str
    contribution_value: Decimal
    contribution_cap: Decimal | None = None
    min_hours: Decimal = Decimal(30)
    waiting_days: int = 60
    eligible_roles: list[str] = Field(default_factory=list)


class ElectionOut(Schema):
    id: int
    program: str
    staff_id: int
    staff_name: str
    kind: str
    status: str
    plan_id: int | None = None
    plan: str | None = None
    tier: str
    deferral_percent: Decimal | None = None
    dependent_ids: list[int]
    starts_on: date
    ends_on: date | None = None


class ElectionPage(PageOut):
    items: list[ElectionOut]


class ElectionIn(Schema):
    staff_id: int | None = Field(None, description="Omit to elect for your own staff record.")
    kind: str
    waive: bool = False
    plan_id: int | None = None
    tier: str = ""
    deferral_percent: Decimal | None = None
    dependent_ids: list[int] = Field(default_factory=list)
    life_event_id: int | None = None
    replace: bool = False


class StatementRowOut(Schema):
    staff_id: int
    staff_name: str
    kind: str
    plan: str
    carrier: str
    tier: str
    premium: Money
    employer: Money
    employee: Money


class TotalOut(Schema):
    label: str
    count: int
    premium: Money
    employer: Money
    employee: Money


class StatementOut(Schema):
    program: str
    month: date
    rows: list[StatementRowOut]
    carriers: list[TotalOut]
    total: TotalOut


class RemittanceCarrierOut(Schema):
    carrier: str
    members: list[TotalOut]
    total: TotalOut


class RemittanceOut(Schema):
    month: date
    carriers: list[RemittanceCarrierOut]
    total: TotalOut
