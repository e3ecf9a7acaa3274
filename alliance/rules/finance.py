"""Finance formulas: the Iron Triangle's figures, peer quartiles, red/amber/green status and
the cost-of-care model. Pure functions on Decimals (no Django), so each can be checked by
hand.

Conventions (documented in docs/finance.md):

* **FTE**: a full-time child counts 1.0, a part-time child 0.5 (CCAP: part time is "about
  half" of full time).
* **Percentages** are Decimals on a 0-100 scale, one decimal place, rounded half-up.
* ``None`` means *unknown* (no data yet); it is never turned into zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# The project's one rounding rule, under the name this module's callers use.
from alliance.rules.money import to_money as money

TENTH = Decimal("0.1")
HUNDRED = Decimal(100)
WEEKS_PER_YEAR = Decimal(52)
MONTHS_PER_YEAR = Decimal(12)

FTE_WEIGHT = {"full": Decimal("1.0"), "part": Decimal("0.5")}
AGE_GROUPS = ("infant", "toddler", "preschool", "school_age")
MIN_PEERS = 5  # a benchmark over fewer programs is not shown (it would expose members)

GREEN, AMBER, RED, UNKNOWN = "green", "amber", "red", "unknown"


def pct(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """``part`` as a percentage of ``whole``; unknown when the whole is zero or unknown."""
    if part is None or whole is None or not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


# --- Iron Triangle ------------------------------------------------------------------------


def fte(schedules: Iterable[str]) -> Decimal:
    """Full-time equivalents of enrolled children: full time 1.0, part time 0.5."""
    return sum((FTE_WEIGHT.get(s, Decimal(1)) for s in schedules), Decimal(0))


def enrollment_rate(enrolled_fte: Decimal, staffed_capacity: int) -> Decimal | None:
    """Enrolled FTE ÷ *staffed* capacity, in percent; unknown without staffed capacity."""
    return pct(enrolled_fte, staffed_capacity)


def collection_rate(collected: Decimal | None, billed: Decimal | None) -> Decimal | None:
    """Money collected ÷ money billed in the same period, in percent."""
    return pct(collected, billed)


def bad_debt_percent(written_off: Decimal | None, revenue: Decimal | None) -> Decimal | None:
    """Bad debt written off ÷ revenue billed, in percent."""
    return pct(written_off, revenue)


def dso(receivable: Decimal | None, billed: Decimal | None, days: int) -> Decimal | None:
    """Days sales outstanding: receivables ÷ billing of the last ``days`` days × ``days``."""
    if receivable is None or billed is None or not billed or days <= 0:
        return None
    value = max(Decimal(0), Decimal(receivable)) / Decimal(billed) * days
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def per_child(amount: Decimal | None, children: Decimal | None) -> Decimal | None:
    if amount is None or children is None or not children:
        return None
    return money(Decimal(amount) / Decimal(children))


# --- Targets and status -------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    enrollment: Decimal = Decimal(95)  # percent of staffed capacity, at least
    collection: Decimal = Decimal(97)  # percent of billing collected, at least
    bad_debt: Decimal = Decimal(3)  # percent of revenue, at most
    dso: Decimal = Decimal(30)  # days, at most


ENROLLMENT_AMBER_BAND = Decimal(10)  # 85-95%: what budgets often assume; below 85 is red
COLLECTION_AMBER_BAND = Decimal(7)


def status_at_least(value: Decimal | None, target: Decimal, band: Decimal) -> str:
    """Green at or above the target, amber within ``band`` points below it, red below."""
    if value is None:
        return UNKNOWN
    if value >= target:
        return GREEN
    return AMBER if value >= target - band else RED


def status_at_most(value: Decimal | None, limit: Decimal) -> str:
    """Green at or under the limit, amber up to twice the limit, red above."""
    if value is None:
        return UNKNOWN
    if value <= limit:
        return GREEN
    return AMBER if value <= limit * 2 else RED


def status_margin(revenue: Decimal | None, cost: Decimal | None) -> str:
    """Revenue per child against cost per child: green when it covers the cost, amber when
    within 5% of it, red below."""
    if revenue is None or cost is None:
        return UNKNOWN
    if revenue >= cost:
        return GREEN
    return AMBER if revenue * 100 >= cost * 95 else RED


RISK_ORDER = {RED: 0, AMBER: 1, UNKNOWN: 2, GREEN: 3}


def risk_score(statuses: Iterable[str]) -> tuple[int, int, int]:
    """Sort key, riskiest first: more reds, then more ambers, then more unknowns."""
    found = list(statuses)
    return (-found.count(RED), -found.count(AMBER), -found.count(UNKNOWN))


# --- Peer benchmarks ----------------------------------------------------------------------


@dataclass(frozen=True)
class Quartiles:
    count: int
    q1: Decimal
    median: Decimal
    q3: Decimal


def _at(sorted_values: Sequence[Decimal], position: Decimal) -> Decimal:
    """Linear interpolation between closest ranks (the "inclusive" method)."""
    low = int(position)
    frac = position - low
    if low + 1 >= len(sorted_values):
        return sorted_values[-1]
    return sorted_values[low] + (sorted_values[low + 1] - sorted_values[low]) * frac


def quartiles(values: Iterable[Decimal | None], minimum: int = MIN_PEERS) -> Quartiles | None:
    """First quartile, median and third quartile of the known values; None (not shown) when
    fewer than ``minimum`` programs have a value, so a small group never exposes a member."""
    known = sorted(Decimal(v) for v in values if v is not None)
    if len(known) < max(1, minimum):
        return None
    n1 = Decimal(len(known) - 1)
    q = [
        _at(known, n1 * f).quantize(TENTH, rounding=ROUND_HALF_UP)
        for f in (Decimal("0.25"), Decimal("0.5"), Decimal("0.75"))
    ]
    return Quartiles(count=len(known), q1=q[0], median=q[1], q3=q[2])


def size_band(kind: str, staffed_capacity: int) -> str:
    """Peer group by size: homes are one band; centers under 50, 50-99 and 100+ seats."""
    if kind == "family_home":
        return "home"
    if staffed_capacity < 50:
        return "small"
    if staffed_capacity < 100:
        return "medium"
    return "large"


# --- Cost-of-care model -------------------------------------------------------------------


@dataclass(frozen=True)
class ModelRoom:
    name: str
    age_group: str
    capacity: int  # staffed seats
    enrolled_fte: Decimal
    ccap_percent: Decimal = Decimal(0)  # share of the enrolled FTE paid by CCAP


@dataclass(frozen=True)
class ModelPosition:
    title: str
    room: str  # a classroom's name, or "" for program-wide (director, cook…)
    count: Decimal
    hourly_wage: Decimal
    hours_per_week: Decimal


@dataclass(frozen=True)
class CostModelInput:
    rooms: Sequence[ModelRoom]
    positions: Sequence[ModelPosition]
    weekly_tuition: Mapping[str, Decimal]  # age group → full-time weekly tuition
    weekly_ccap: Mapping[str, Decimal]  # age group → CCAP full-time weekly rate
    payroll_tax_percent: Decimal = Decimal("10")
    benefits_annual: Decimal = Decimal(0)  # employer share of benefits, a year
    costs_annual: Mapping[str, Decimal] = field(default_factory=dict)  # rent, food, …
    food_program_annual: Decimal = Decimal(0)
    other_revenue_annual: Decimal = Decimal(0)


@dataclass(frozen=True)
class GroupResult:
    age_group: str
    capacity: int
    enrolled_fte: Decimal
    cost_annual: Decimal
    revenue_annual: Decimal

    @property
    def cost_per_child(self) -> Decimal | None:
        return per_child(self.cost_annual, self.enrolled_fte)

    @property
    def revenue_per_child(self) -> Decimal | None:
        return per_child(self.revenue_annual, self.enrolled_fte)


@dataclass(frozen=True)
class ModelResult:
    groups: list[GroupResult]
    personnel_annual: Decimal
    non_personnel_annual: Decimal
    cost_annual: Decimal
    revenue_annual: Decimal
    capacity: int
    enrolled_fte: Decimal
    break_even_fte: Decimal | None

    @property
    def net_revenue(self) -> Decimal:
        return self.revenue_annual - self.cost_annual

    @property
    def break_even_percent(self) -> Decimal | None:
        return None if self.break_even_fte is None else pct(self.break_even_fte, self.capacity)

    @property
    def cost_per_child(self) -> Decimal | None:
        return per_child(self.cost_annual, self.enrolled_fte)


def annual_pay(position: ModelPosition, payroll_tax_percent: Decimal) -> Decimal:
    gross = position.count * position.hourly_wage * position.hours_per_week * WEEKS_PER_YEAR
    return gross * (HUNDRED + payroll_tax_percent) / HUNDRED


def room_revenue(room: ModelRoom, inputs: CostModelInput) -> Decimal:
    """A year of tuition for the privately paid FTE plus CCAP for the subsidized FTE."""
    tuition = Decimal(inputs.weekly_tuition.get(room.age_group, 0))
    ccap = Decimal(inputs.weekly_ccap.get(room.age_group, 0))
    subsidized = room.enrolled_fte * room.ccap_percent / HUNDRED
    private = room.enrolled_fte - subsidized
    return (private * tuition + subsidized * ccap) * WEEKS_PER_YEAR


def cost_of_care(inputs: CostModelInput) -> ModelResult:
    """Cost and revenue per child by age group, break-even enrollment and net revenue.

    Classroom staff are charged to their classroom; program-wide staff, benefits and
    non-personnel costs are shared by classrooms in proportion to their staffed seats.
    Food program and other revenue are shared the same way. Break-even enrollment is the
    FTE at which the year's revenue (at the model's average revenue per FTE) covers the
    year's cost, taking the cost as fixed (staffing follows capacity, not enrollment).
    """
    rooms = list(inputs.rooms)
    by_room = {r.name: r for r in rooms}
    direct = {r.name: Decimal(0) for r in rooms}
    shared = Decimal(0)
    personnel = Decimal(0)
    for p in inputs.positions:
        pay = annual_pay(p, inputs.payroll_tax_percent)
        personnel += pay
        if p.room and p.room in by_room:
            direct[p.room] += pay
        else:
            shared += pay
    non_personnel = sum((Decimal(v) for v in inputs.costs_annual.values()), Decimal(0))
    shared += Decimal(inputs.benefits_annual) + non_personnel
    shared_revenue = Decimal(inputs.food_program_annual) + Decimal(inputs.other_revenue_annual)
    seats = sum(r.capacity for r in rooms)
    groups: dict[str, dict] = {}
    revenue_total = Decimal(0)
    for room in rooms:
        weight = Decimal(room.capacity) / seats if seats else Decimal(0)
        cost = direct[room.name] + shared * weight
        revenue = room_revenue(room, inputs) + shared_revenue * weight
        revenue_total += revenue
        g = groups.setdefault(
            room.age_group,
            {"capacity": 0, "fte": Decimal(0), "cost": Decimal(0), "revenue": Decimal(0)},
        )
        g["capacity"] += room.capacity
        g["fte"] += room.enrolled_fte
        g["cost"] += cost
        g["revenue"] += revenue
    if not seats:
        revenue_total += shared_revenue
    cost_total = personnel + Decimal(inputs.benefits_annual) + non_personnel
    enrolled = sum((r.enrolled_fte for r in rooms), Decimal(0))
    tuition_revenue = sum((room_revenue(r, inputs) for r in rooms), Decimal(0))
    break_even = None
    if enrolled:
        per_fte = tuition_revenue / enrolled
        if per_fte > 0:
            break_even = ((cost_total - shared_revenue) / per_fte).quantize(TENTH, ROUND_HALF_UP)
            break_even = max(Decimal(0), break_even)
    ordered = sorted(groups, key=lambda k: AGE_GROUPS.index(k) if k in AGE_GROUPS else 99)
    return ModelResult(
        groups=[
            GroupResult(
                age_group=k,
                capacity=groups[k]["capacity"],
                enrolled_fte=groups[k]["fte"],
                cost_annual=money(groups[k]["cost"]),
                revenue_annual=money(groups[k]["revenue"]),
            )
            for k in ordered
        ],
        personnel_annual=money(personnel),
        non_personnel_annual=money(non_personnel),
        cost_annual=money(cost_total),
        revenue_annual=money(revenue_total),
        capacity=seats,
        enrolled_fte=enrolled,
        break_even_fte=break_even,
    )


# --- What-if scenarios --------------------------------------------------------------------


PURCHASABLE = ("food", "supplies")  # non-personnel costs group purchasing can lower


def apply_scenario(
    inputs: CostModelInput,
    *,
    wage_raise_percent: Decimal = Decimal(0),
    age_group_changes: Mapping[str, str] | None = None,
    purchasing_savings_percent: Decimal | None = None,
) -> CostModelInput:
    """The model's inputs changed by a what-if: wages raised by a percentage, classrooms
    moved to another age group (its tuition and CCAP rate), food and supplies lowered by the
    group purchasing savings the alliance measured."""
    factor = (HUNDRED + Decimal(wage_raise_percent)) / HUNDRED
    positions = [
        ModelPosition(
            title=p.title,
            room=p.room,
            count=p.count,
            hourly_wage=money(p.hourly_wage * factor),
            hours_per_week=p.hours_per_week,
        )
        for p in inputs.positions
    ]
    changes = age_group_changes or {}
    rooms = [
        ModelRoom(
            name=r.name,
            age_group=changes.get(r.name, r.age_group),
            capacity=r.capacity,
            enrolled_fte=r.enrolled_fte,
            ccap_percent=r.ccap_percent,
        )
        for r in inputs.rooms
    ]
    costs = dict(inputs.costs_annual)
    if purchasing_savings_percent:
        cut = (HUNDRED - Decimal(purchasing_savings_percent)) / HUNDRED
        for key in PURCHASABLE:
            if key in costs:
                costs[key] = money(Decimal(costs[key]) * cut)
    return CostModelInput(
        rooms=rooms,
        positions=positions,
        weekly_tuition=inputs.weekly_tuition,
        weekly_ccap=inputs.weekly_ccap,
        payroll_tax_percent=inputs.payroll_tax_percent,
        benefits_annual=inputs.benefits_annual,
        costs_annual=costs,
        food_program_annual=inputs.food_program_annual,
        other_revenue_annual=inputs.other_revenue_annual,
    )
