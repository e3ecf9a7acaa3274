"""The Iron Triangle of one program, the figures of many (hub, benchmarks) and the peer
benchmarks. Unknown figures stay ``None`` all the way to the page and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from alliance.core.money import format_money
from alliance.finance import costing, queries, sources
from alliance.members.models import Alliance, Program
from alliance.rules import finance as rules

WINDOW_DAYS = sources.DSO_DAYS  # collection, bad debt and DSO look back this far
WEEKS = 12
MONTHS = 12
FIGURES = ("enrollment", "collection", "bad_debt", "dso")


@dataclass
class Figure:
    key: str
    label: str
    value: Decimal | None
    unit: str
    status: str
    target: Decimal | None
    explanation: str
    action: str


@dataclass
class Metrics:
    """The headline figures of one program (what benchmarks and the hub compare)."""

    program_id: int
    enrollment: Decimal | None = None
    collection: Decimal | None = None
    bad_debt: Decimal | None = None
    dso: Decimal | None = None
    statuses: dict[str, str] = field(default_factory=dict)

    def value(self, key: str) -> Decimal | None:
        return getattr(self, key)

    @property
    def risk(self) -> tuple[int, int, int]:
        return rules.risk_score(self.statuses.values())


def labels() -> dict[str, str]:
    return {
        "enrollment": _("Full enrollment"),
        "collection": _("Fee collection"),
        "bad_debt": _("Bad debt"),
        "dso": _("Days sales outstanding"),
        "margin": _("Revenue against cost per child"),
    }


def units() -> dict[str, str]:
    return {"enrollment": "%", "collection": "%", "bad_debt": "%", "dso": _(" days")}


def statuses_for(m: Metrics, t: rules.Targets) -> dict[str, str]:
    return {
        "enrollment": rules.status_at_least(
            m.enrollment, t.enrollment, rules.ENROLLMENT_AMBER_BAND
        ),
        "collection": rules.status_at_least(
            m.collection, t.collection, rules.COLLECTION_AMBER_BAND
        ),
        "bad_debt": rules.status_at_most(m.bad_debt, t.bad_debt),
        "dso": rules.status_at_most(m.dso, t.dso),
    }


def metrics(
    programs: list[Program], today: date, targets: dict[int, rules.Targets]
) -> dict[int, Metrics]:
    """Headline figures for many programs in a fixed number of grouped queries, whatever
    their number. Collection rate and bad debt % are billing's report figures; DSO is
    billing's formula per program (:func:`sources.dso_by_program`)."""
    start = today - timedelta(days=WINDOW_DAYS - 1)
    seats = sources.capacity_by_program(programs)
    fte = sources.fte_by_program(programs, today)
    billing = sources.collections_by_program(programs, start, today)
    dso = sources.dso_by_program(programs, today, WINDOW_DAYS)
    out = {}
    for p in programs:
        m = Metrics(program_id=p.pk)
        m.enrollment = rules.enrollment_rate(fte.get(p.pk, Decimal(0)), seats.get(p.pk, 0))
        b = billing.get(p.pk)
        if b is not None:
            m.collection = b.collection_rate
            m.bad_debt = b.bad_debt_rate
        m.dso = dso.get(p.pk)
        m.statuses = statuses_for(m, targets.get(p.pk, rules.Targets()))
        out[p.pk] = m
    return out


CACHE_SECONDS = 300  # the alliance-wide figures (hub page, benchmarks) are this fresh


def _cache_key(alliance_id: int, today: date) -> str:
    return f"finance:metrics:{alliance_id}:{today.isoformat()}"


def alliance_metrics(
    alliance_id: int, programs: list[Program], today: date
) -> tuple[dict[int, Metrics], datetime]:
    """The headline figures of every member of one alliance (no statuses: targets differ
    per program) and when they were computed. Cached for ``CACHE_SECONDS``: at 5,000
    members computing them takes over a second; the hub's page and every director's
    benchmarks read the same cached figures. Members that joined since are computed and
    added (bounded queries for any number)."""
    key = _cache_key(alliance_id, today)
    hit = cache.get(key)
    if hit is None:
        values, as_of = {}, timezone.now()
    else:
        values, as_of = hit
    missing = [p for p in programs if p.pk not in values]
    if missing:
        for pk, m in metrics(missing, today, {}).items():
            values[pk] = (m.enrollment, m.collection, m.bad_debt, m.dso)
        cache.set(key, (values, as_of), CACHE_SECONDS)
    out = {}
    for p in programs:
        enrollment, collection, bad_debt, dso = values[p.pk]
        out[p.pk] = Metrics(
            program_id=p.pk,
            enrollment=enrollment,
            collection=collection,
            bad_debt=bad_debt,
            dso=dso,
        )
    return out, as_of


def forget_alliance_metrics(alliance_id: int, today: date) -> None:
    cache.delete(_cache_key(alliance_id, today))


# --- plain language -------------------------------------------------------------------------


def explain(key: str, status: str, value, target) -> tuple[str, str]:
    """What the figure means and what to do, in plain words."""
    v, t = value, target
    if status == rules.UNKNOWN:
        needs = {
            "enrollment": _("Add classrooms with their staffed capacity and record enrollments."),
            "collection": _("Bill families through Alliance's billing to see this figure."),
            "bad_debt": _("Bill families through Alliance's billing to see this figure."),
            "dso": _("Bill families through Alliance's billing to see this figure."),
            "margin": _("Enter a cost-of-care model (or import it from your records)."),
        }
        return _("No data yet."), needs[key]
    texts = {
        "enrollment": (
            _("Enrolled children fill %(v)s%% of your staffed seats; the target is %(t)s%%.")
            % {"v": v, "t": t},
            {
                rules.GREEN: _(
                    "Keep the waitlist warm so every seat that opens is filled at once."
                ),
                rules.AMBER: _(
                    "Budgets often assume 85 percent; strong programs reach 95 percent."
                    " Publish your openings to the alliance waitlist and follow up on offers."
                ),
                rules.RED: _(
                    "Empty seats still cost a teacher's time. Fill openings through the "
                    "alliance waitlist, or staff fewer seats in the emptiest classroom."
                ),
            },
        ),
        "collection": (
            _(
                "You collected %(v)s%% of what you billed in the last 90 days; "
                "the target is %(t)s%%."
            )
            % {"v": v, "t": t},
            {
                rules.GREEN: _("Keep billing in advance and collecting on the due date."),
                rules.AMBER: _(
                    "Send reminders before the due date and offer autopay to every family."
                ),
                rules.RED: _(
                    "Call families with open balances this week, agree payment plans and "
                    "check that subsidy claims were filed."
                ),
            },
        ),
        "bad_debt": (
            _("Bad debt written off is %(v)s%% of revenue; keep it under %(t)s%%.")
            % {"v": v, "t": t},
            {
                rules.GREEN: _("Keep acting on balances as soon as they are late."),
                rules.AMBER: _("Act on balances older than 30 days before they become bad debt."),
                rules.RED: _(
                    "Ask for a deposit, require autopay, and stop care only as the last "
                    "step of a written policy."
                ),
            },
        ),
        "dso": (
            _("On average %(v)s days pass between billing and payment; the limit is %(t)s.")
            % {"v": v, "t": t},
            {
                rules.GREEN: _("Payments arrive promptly."),
                rules.AMBER: _("Bill before care starts and ask for payment by the due date."),
                rules.RED: _(
                    "Money is slow to come in: review open balances and late subsidy payments."
                ),
            },
        ),
        "margin": (
            _("Revenue per child is %(v)s a month against a cost of %(t)s.") % {"v": v, "t": t},
            {
                rules.GREEN: _("Revenue covers the cost of care."),
                rules.AMBER: _(
                    "Revenue almost covers the cost: review tuition for this age group."
                ),
                rules.RED: _(
                    "Each child in this age group costs more than it brings in: review "
                    "tuition, CCAP rates and staffing with the cost-of-care model."
                ),
            },
        ),
    }
    text, actions = texts[key]
    return text, actions[status]


def headline(m: Metrics, t: rules.Targets) -> list[Figure]:
    names, unit = labels(), units()
    out = []
    for key in FIGURES:
        target = getattr(t, key)
        text, action = explain(key, m.statuses[key], m.value(key), target)
        out.append(
            Figure(
                key=key,
                label=names[key],
                value=m.value(key),
                unit=unit[key],
                status=m.statuses[key],
                target=target,
                explanation=text,
                action=action,
            )
        )
    return out


# --- the Iron Triangle of one program -----------------------------------------------------


def _weeks(today: date) -> list[date]:
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=i) for i in range(WEEKS - 1, -1, -1)]


def _month_ends(today: date, count: int) -> list[date]:
    ends = [today]
    first = today.replace(day=1)
    for _i in range(count - 1):
        end = first - timedelta(days=1)
        ends.append(end)
        first = end.replace(day=1)
    return list(reversed(ends))


def iron_triangle(program: Program, today: date) -> dict:
    """Every figure of the program's dashboard (a bounded number of queries)."""
    targets = queries.targets_for(program)
    m = metrics([program], today, {program.pk: targets})[program.pk]
    classrooms = sources.classrooms_of([program])
    fte_now = sources.fte_by_classroom([program], today)
    group_names = costing.age_group_labels()
    rooms, groups = [], {}
    for c in classrooms:
        fte = fte_now.get(c.pk, Decimal(0))
        rate = rules.enrollment_rate(fte, c.staffed_capacity)
        group = sources.age_group_of(c.age_min_months)
        rooms.append(
            {
                "id": c.pk,
                "name": c.name,
                "age_group": group,
                "age_group_label": group_names[group],
                "fte": fte,
                "capacity": c.staffed_capacity,
                "rate": rate,
                "status": rules.status_at_least(
                    rate, targets.enrollment, rules.ENROLLMENT_AMBER_BAND
                ),
            }
        )
        g = groups.setdefault(
            group,
            {"age_group": group, "label": group_names[group], "fte": Decimal(0), "capacity": 0},
        )
        g["fte"] += fte
        g["capacity"] += c.staffed_capacity
    for g in groups.values():
        g["rate"] = rules.enrollment_rate(g["fte"], g["capacity"])
        g["status"] = rules.status_at_least(
            g["rate"], targets.enrollment, rules.ENROLLMENT_AMBER_BAND
        )
    seats = sum(c.staffed_capacity for c in classrooms)
    days = _weeks(today)
    months = _month_ends(today, MONTHS)
    series = sources.fte_series(program, sorted(set(days) | set(months)))

    def rate_on(day: date) -> Decimal | None:
        return rules.enrollment_rate(sum(series.get(day, {}).values(), Decimal(0)), seats)

    weekly = [(date_format(d, "M j"), rate_on(d)) for d in days]
    monthly = [(date_format(d, "M Y"), rate_on(d)) for d in months]
    months6 = _month_ends(today, 6)
    report = sources.collections_by_month(program, months6[0].replace(day=1), today)
    collection_months = []
    for end, row in zip(months6, report.rows, strict=True):
        known = report.has_billing
        collection_months.append(
            {
                "label": date_format(end, "M Y"),
                "billed": row.billed if known else None,
                "collected": row.collected if known else None,
                "rate": row.collection_rate,
                "bad_debt": row.bad_debt_rate,
            }
        )
    return {
        "targets": targets,
        "metrics": m,
        "figures": headline(m, targets),
        "classrooms": rooms,
        "age_groups": sorted(groups.values(), key=lambda g: rules.AGE_GROUPS.index(g["age_group"])),
        "weekly": weekly,
        "monthly": monthly,
        "collection_months": collection_months,
        "cost": cost_side(program, today, classrooms, fte_now),
    }


def cost_side(program: Program, today: date, classrooms, fte_now) -> dict:
    """Revenue per child against cost per child by age group, monthly. From the cost-of-care
    model when there is one; else revenue billed last 30 days per enrolled FTE and cost from
    staffing wages plus the employer's benefits (program-wide, the same for every group)."""
    model = queries.cost_model_of(program)
    names = costing.age_group_labels()
    rows = []
    if model is not None and model.inputs.get("rooms"):
        result = costing.evaluate(program, model.inputs, [], today)[0].result
        for g in result.groups:
            cost = g.cost_per_child and rules.money(g.cost_per_child / 12)
            revenue = g.revenue_per_child and rules.money(g.revenue_per_child / 12)
            rows.append(_margin_row(g.age_group, names, revenue, cost))
        return {"source": "model", "rows": rows}
    start = today - timedelta(days=29)
    try:
        billed = sources.revenue_by_classroom(program, start, today)
    except ImportError:
        billed = {}
    payroll = sources.payroll_by_program([program], today).get(program.pk)
    benefits = sources.benefits_by_program([program], today).get(program.pk, Decimal(0))
    total_fte = sum(fte_now.values(), Decimal(0))
    cost = None
    if payroll is not None:
        cost = rules.per_child(payroll + benefits, total_fte)
    per_group: dict[str, list] = {}
    for c in classrooms:
        g = per_group.setdefault(
            sources.age_group_of(c.age_min_months), [Decimal(0), Decimal(0), False]
        )
        g[0] += billed.get(c.pk, Decimal(0))
        g[1] += fte_now.get(c.pk, Decimal(0))
        g[2] = g[2] or c.pk in billed
    for group in sorted(per_group, key=rules.AGE_GROUPS.index):
        amount, fte, any_billed = per_group[group]
        revenue = rules.per_child(amount, fte) if any_billed else None
        rows.append(_margin_row(group, names, revenue, cost))
    return {"source": "records", "rows": rows}


def _margin_row(group: str, names: dict, revenue, cost) -> dict:
    status = rules.status_margin(revenue, cost)
    shown = [None if v is None else format_money(v) for v in (revenue, cost)]
    text, action = explain("margin", status, *shown)
    return {
        "age_group": group,
        "label": names.get(group, group),
        "revenue": revenue,
        "cost": cost,
        "status": status,
        "explanation": text,
        "action": action,
    }


# --- peer benchmarks ----------------------------------------------------------------------


def peer_programs(program: Program) -> tuple[list[Program], list[Program]]:
    """(alliance members, similar members: same kind and size band), the program included.
    Read outside the program's scope on purpose: only aggregates leave this module."""
    band = rules.size_band(program.kind, program.staffed_capacity)
    with scopes_disabled():
        members = list(
            Program.unscoped.filter(alliance_id=program.alliance_id).only(
                "pk", "kind", "staffed_capacity", "alliance_id"
            )
        )
    similar = [
        p
        for p in members
        if p.kind == program.kind and rules.size_band(p.kind, p.staffed_capacity) == band
    ]
    return members, similar


def benchmarks(program: Program, today: date) -> dict:
    """Each headline figure beside the alliance median and the quartiles of similar programs.
    A group with fewer than 5 programs with a known value is not shown. No program is named
    and no single member's figure is returned."""
    members, similar = peer_programs(program)
    with scopes_disabled():
        everyone, as_of = alliance_metrics(program.alliance_id, members, today)
    targets = queries.targets_for(program)
    own = metrics([program], today, {program.pk: targets})[program.pk]  # always fresh
    similar_ids = {p.pk for p in similar}
    names = labels()
    rows = []
    for key in FIGURES:
        alliance_q = rules.quartiles(m.value(key) for m in everyone.values())
        peer_q = rules.quartiles(everyone[i].value(key) for i in similar_ids)
        rows.append(
            {
                "key": key,
                "label": names[key],
                "value": own.value(key),
                "status": own.statuses[key],
                "alliance": alliance_q,
                "peers": peer_q,
            }
        )
    return {
        "band": rules.size_band(program.kind, program.staffed_capacity),
        "kind": program.kind,
        "rows": rows,
        "min_peers": rules.MIN_PEERS,
        "as_of": as_of,
    }


# --- the hub ------------------------------------------------------------------------------


@dataclass
class MemberRow:
    program: Program
    metrics: Metrics


def members_by_risk(alliance: Alliance, today: date) -> tuple[list[MemberRow], datetime]:
    """Every member of the alliance with its headline figures, riskiest first, and when
    the figures were computed (see :func:`alliance_metrics`)."""
    programs = list(
        Program.objects.filter(alliance=alliance).only(
            "pk", "name", "slug", "kind", "staffed_capacity", "alliance_id"
        )
    )
    targets = queries.targets_by_program(alliance, programs)
    found, as_of = alliance_metrics(alliance.pk, programs, today)
    default = rules.Targets()
    for p in programs:
        found[p.pk].statuses = statuses_for(found[p.pk], targets.get(p.pk, default))
    rows = [MemberRow(program=p, metrics=found[p.pk]) for p in programs]
    rows.sort(key=lambda r: (r.metrics.risk, r.program.name))
    return rows, as_of


def group_quartiles(rows: list[MemberRow]) -> list[dict]:
    """Quartiles of each peer group (kind, size band) for the hub's summary."""
    groups: dict[tuple[str, str], list[Metrics]] = {}
    for r in rows:
        key = (r.program.kind, rules.size_band(r.program.kind, r.program.staffed_capacity))
        groups.setdefault(key, []).append(r.metrics)
    out = []
    for (kind, band), found in sorted(groups.items()):
        out.append(
            {
                "kind": kind,
                "band": band,
                "count": len(found),
                "figures": {k: rules.quartiles(m.value(k) for m in found) for k in FIGURES},
            }
        )
    return out
