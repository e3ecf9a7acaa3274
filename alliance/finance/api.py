"""API for finance: a program's Iron Triangle and benchmarks, its what-if scenarios, and the
hub's members side by side. Unknown figures are ``null``, never 0.

Program endpoints need ``finance.view`` (the program's director, the hub): another program is
404, a staff member 403. Benchmarks only ever carry aggregates of five or more programs.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Schema, Status

from alliance.api.root import api
from alliance.api.tenancy import api_alliance, api_program
from alliance.api.types import ErrorOut, Message, Money, PageIn, PageOut
from alliance.core.policy import Perm
from alliance.finance import costing, figures, queries, services
from alliance.finance.access import access_scenario
from alliance.finance.models import Scenario

ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorOut}
TAGS = ["finance"]


class TargetsOut(Schema):
    enrollment: Decimal
    collection: Decimal
    bad_debt: Decimal
    dso: Decimal


class FigureOut(Schema):
    key: str
    label: str
    value: Decimal | None
    status: str
    target: Decimal | None
    explanation: str
    action: str


class RoomOut(Schema):
    id: int
    name: str
    age_group: str
    fte: Decimal
    capacity: int
    rate: Decimal | None
    status: str


class GroupOut(Schema):
    age_group: str
    fte: Decimal
    capacity: int
    rate: Decimal | None
    status: str


class PointOut(Schema):
    label: str
    value: Decimal | None


class MonthOut(Schema):
    label: str
    billed: Money | None
    collected: Money | None
    rate: Decimal | None
    bad_debt: Decimal | None


class MarginOut(Schema):
    age_group: str
    revenue_per_child: Money | None
    cost_per_child: Money | None
    status: str


class CostOut(Schema):
    source: str
    rows: list[MarginOut]


class IronTriangleOut(Schema):
    targets: TargetsOut
    figures: list[FigureOut]
    classrooms: list[RoomOut]
    age_groups: list[GroupOut]
    weekly: list[PointOut]
    monthly: list[PointOut]
    collection_months: list[MonthOut]
    cost: CostOut


class QuartilesOut(Schema):
    count: int
    q1: Decimal
    median: Decimal
    q3: Decimal


class BenchmarkOut(Schema):
    key: str
    label: str
    value: Decimal | None
    status: str
    alliance_median: Decimal | None
    similar: QuartilesOut | None


class BenchmarksOut(Schema):
    kind: str
    size_band: str
    min_programs: int
    figures: list[BenchmarkOut]
    as_of: datetime  # when the alliance-wide figures were computed (refreshed every 5 minutes)


class ScenarioIn(Schema):
    name: str
    wage_raise_percent: Decimal = Decimal(0)
    age_group_changes: dict[str, str] = {}
    join_purchasing: bool = False


class ResultOut(Schema):
    cost: Money
    revenue: Money
    net_revenue: Money
    break_even_fte: Decimal | None
    cost_per_child: Money | None


class ScenarioOut(Schema):
    id: int
    name: str
    wage_raise_percent: Decimal
    age_group_changes: dict[str, str]
    join_purchasing: bool
    purchasing_savings_percent: Decimal | None
    result: ResultOut | None


class ScenariosOut(Schema):
    model: ResultOut | None
    items: list[ScenarioOut]


class MemberOut(Schema):
    slug: str
    name: str
    kind: str
    enrollment: Decimal | None
    collection: Decimal | None
    bad_debt: Decimal | None
    dso: Decimal | None
    statuses: dict[str, str]


class MemberPage(PageOut):
    items: list[MemberOut]
    as_of: datetime  # when the figures were computed (refreshed every 5 minutes)


def _result(r) -> dict:
    return {
        "cost": r.cost_annual,
        "revenue": r.revenue_annual,
        "net_revenue": r.net_revenue,
        "break_even_fte": r.break_even_fte,
        "cost_per_child": r.cost_per_child,
    }


@api.get(
    "/programs/{slug}/finance/iron-triangle", response={200: IronTriangleOut, **ERRORS}, tags=TAGS
)
def iron_triangle(request: HttpRequest, slug: str):
    """Enrollment (by classroom, age group, week and month), fee collection, bad debt, DSO
    and revenue against cost per child, each with its red/amber/green status."""
    with api_program(request, slug, Perm.FINANCE_VIEW) as program:
        data = figures.iron_triangle(program, timezone.localdate())
        t = data["targets"]
        return {
            "targets": {
                "enrollment": t.enrollment,
                "collection": t.collection,
                "bad_debt": t.bad_debt,
                "dso": t.dso,
            },
            "figures": [f.__dict__ for f in data["figures"]],
            "classrooms": data["classrooms"],
            "age_groups": data["age_groups"],
            "weekly": [{"label": k, "value": v} for k, v in data["weekly"]],
            "monthly": [{"label": k, "value": v} for k, v in data["monthly"]],
            "collection_months": data["collection_months"],
            "cost": {
                "source": data["cost"]["source"],
                "rows": [
                    {
                        "age_group": r["age_group"],
                        "revenue_per_child": r["revenue"],
                        "cost_per_child": r["cost"],
                        "status": r["status"],
                    }
                    for r in data["cost"]["rows"]
                ],
            },
        }


@api.get("/programs/{slug}/finance/benchmarks", response={200: BenchmarksOut, **ERRORS}, tags=TAGS)
def benchmarks(request: HttpRequest, slug: str):
    """The program's figures beside the alliance median and similar programs' quartiles;
    ``null`` where fewer than 5 programs have the figure."""
    with api_program(request, slug, Perm.FINANCE_VIEW) as program:
        data = figures.benchmarks(program, timezone.localdate())
        return {
            "kind": data["kind"],
            "size_band": data["band"],
            "min_programs": data["min_peers"],
            "as_of": data["as_of"],
            "figures": [
                {
                    "key": r["key"],
                    "label": r["label"],
                    "value": r["value"],
                    "status": r["status"],
                    "alliance_median": r["alliance"].median if r["alliance"] else None,
                    "similar": r["peers"].__dict__ if r["peers"] else None,
                }
                for r in data["rows"]
            ],
        }


def _scenarios(program, only: Scenario | None = None) -> dict:
    model = queries.cost_model_of(program)
    rows = [only] if only is not None else list(queries.scenarios_of(program))
    results: dict[int, dict] = {}
    base = None
    if model is not None and model.inputs.get("rooms"):
        outcomes = costing.evaluate(program, model.inputs, rows, timezone.localdate())
        base = _result(outcomes[0].result)
        results = {o.scenario.pk: _result(o.result) for o in outcomes[1:]}
    items = [
        {
            "id": s.pk,
            "name": s.name,
            "wage_raise_percent": s.wage_raise_percent,
            "age_group_changes": s.age_group_changes,
            "join_purchasing": s.join_purchasing,
            "purchasing_savings_percent": s.purchasing_savings_percent,
            "result": results.get(s.pk),
        }
        for s in rows
    ]
    return {"model": base, "items": items}


@api.get("/programs/{slug}/finance/scenarios", response={200: ScenariosOut, **ERRORS}, tags=TAGS)
def list_scenarios(request: HttpRequest, slug: str):
    """The cost-of-care model's result and every saved what-if, side by side."""
    with api_program(request, slug, Perm.FINANCE_VIEW) as program:
        return _scenarios(program)


@api.post("/programs/{slug}/finance/scenarios", response={201: ScenarioOut, **ERRORS}, tags=TAGS)
def create_scenario(request: HttpRequest, slug: str, payload: ScenarioIn):
    """Save a what-if; 422 names the field (``name``, ``wage_raise_percent`` …)."""
    with api_program(request, slug, Perm.FINANCE_VIEW) as program:
        row = services.save_scenario(
            acting_user=request.user, program=program, **payload.model_dump()
        )
        return Status(201, _scenarios(program, row)["items"][0])


@api.get(
    "/programs/{slug}/finance/scenarios/{scenario_id}",
    response={200: ScenarioOut, **ERRORS},
    tags=TAGS,
)
def get_scenario(request: HttpRequest, slug: str, scenario_id: int):
    with api_program(request, slug, Perm.FINANCE_VIEW) as program:
        return _scenarios(program, access_scenario(program, scenario_id))["items"][0]


@api.put(
    "/programs/{slug}/finance/scenarios/{scenario_id}",
    response={200: ScenarioOut, **ERRORS},
    tags=TAGS,
)
def update_scenario(request: HttpRequest, slug: str, scenario_id: int, payload: ScenarioIn):
    with api_program(request, slug, Perm.FINANCE_VIEW) as program:
        row = services.save_scenario(
            acting_user=request.user,
            program=program,
            scenario=access_scenario(program, scenario_id),
            **payload.model_dump(),
        )
        return _scenarios(program, row)["items"][0]


@api.delete(
    "/programs/{slug}/finance/scenarios/{scenario_id}", response={204: None, **ERRORS}, tags=TAGS
)
def delete_scenario(request: HttpRequest, slug: str, scenario_id: int):
    with api_program(request, slug, Perm.FINANCE_VIEW) as program:
        services.delete_scenario(
            acting_user=request.user, scenario=access_scenario(program, scenario_id)
        )
        return Status(204, None)


@api.get("/alliances/{alliance}/finance/members", response={200: MemberPage, **ERRORS}, tags=TAGS)
def members(request: HttpRequest, alliance: str, page: Query[PageIn]):
    """Every member's headline figures, riskiest first (hub only)."""
    with api_alliance(request, alliance) as the_alliance:
        rows, as_of = figures.members_by_risk(the_alliance, timezone.localdate())
        chunk = rows[page.offset : page.offset + page.limit]
        return {
            "as_of": as_of,
            "count": len(rows),
            "limit": page.limit,
            "offset": page.offset,
            "items": [
                {
                    "slug": r.program.slug,
                    "name": r.program.name,
                    "kind": r.program.kind,
                    "enrollment": r.metrics.enrollment,
                    "collection": r.metrics.collection,
                    "bad_debt": r.metrics.bad_debt,
                    "dso": r.metrics.dso,
                    "statuses": r.metrics.statuses,
                }
                for r in chunk
            ],
        }
