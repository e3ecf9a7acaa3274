"""API for benefit plans, member policies, elections, premium statements and remittance.

Plans and remittance belong to the hub (``hub.manage``); policies and statements to the
director (``benefits.manage``). Elections: a director (or the hub) sees and makes every
election of the program; anyone else with a role there (staff) only their own.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django_scopes import scopes_disabled
from ninja import Query, Status

from alliance.api.root import api
from alliance.api.tenancy import api_alliance, api_program
from alliance.api.types import ErrorOut, Message, PageIn, page_of
from alliance.benefits import queries, services, services_elections, statements
from alliance.benefits.access import (
    access_life_event,
    access_offered_plan,
    access_staff,
    program_dependents,
)
from alliance.benefits.api_schemas import (
    ElectionIn,
    ElectionOut,
    ElectionPage,
    PlanIn,
    PlanOut,
    PlanPage,
    PolicyIn,
    PolicyOut,
    RemittanceOut,
    StatementOut,
)
from alliance.benefits.models import Election, MemberPolicy, Plan
from alliance.core.policy import Perm, has_perm
from alliance.core.tenancy import program_scope

ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorOut}


def _plan(p: Plan) -> dict[str, Any]:
    rates = list(p.rates.all())
    return {
        "id": p.pk, "kind": p.kind, "carrier": p.carrier, "name": p.name,
        "is_active": p.is_active, "deferral_min_percent": p.deferral_min_percent,
        "deferral_max_percent": p.deferral_max_percent, "match_formula": p.match_formula,
        "vesting": p.vesting, "rates": rates[0] if rates else None,
    }  # fmt: skip


def _policy(p: MemberPolicy) -> dict[str, Any]:
    return {
        "plan_id": p.plan_id, "plan": str(p.plan), "offered": p.offered,
        "contribution_kind": p.contribution_kind, "contribution_value": p.contribution_value,
        "contribution_cap": p.contribution_cap, "min_hours": p.min_hours,
        "waiting_days": p.waiting_days, "eligible_roles": p.eligible_roles,
    }  # fmt: skip


def _election(e: Election) -> dict[str, Any]:
    return {
        "id": e.pk, "program": e.program.slug, "staff_id": e.staff_id,
        "staff_name": e.staff.full_name, "kind": e.kind, "status": e.status,
        "plan_id": e.plan_id, "plan": str(e.plan) if e.plan else None, "tier": e.tier,
        "deferral_percent": e.deferral_percent,
        "dependent_ids": [d.pk for d in e.dependents.all()],
        "starts_on": e.starts_on, "ends_on": e.ends_on,
    }  # fmt: skip


def _total(t) -> dict[str, Any]:
    return {"label": t.label, "count": t.count, "premium": t.premium, "employer": t.employer,
            "employee": t.employee}  # fmt: skip


@api.get("/alliances/{alliance}/benefit-plans", response={200: PlanPage, **ERRORS},
         tags=["benefits"])  # fmt: skip
def list_plans(request: HttpRequest, alliance: str, page: Query[PageIn]):
    """The pool's plans with the rates in effect most recently."""
    with api_alliance(request, alliance) as the_alliance:
        return page_of(queries.plans_of(the_alliance), page, _plan)


@api.post("/alliances/{alliance}/benefit-plans", response={201: PlanOut, **ERRORS},
          tags=["benefits"])  # fmt: skip
def create_plan(request: HttpRequest, alliance: str, payload: PlanIn):
    """Add a plan (summary documents and rates are added on the hub's plan page)."""
    with api_alliance(request, alliance) as the_alliance:
        plan = services.save_plan(
            acting_user=request.user, alliance=the_alliance, **payload.model_dump()
        )
        return Status(201, _plan(plan))


@api.get("/programs/{slug}/benefit-policies", response={200: list[PolicyOut], **ERRORS},
         tags=["benefits"])  # fmt: skip
def list_policies(request: HttpRequest, slug: str):
    with api_program(request, slug, Perm.BENEFITS_MANAGE) as program:
        return [_policy(p) for p in MemberPolicy.objects.filter(program=program)
                .select_related("plan")]  # fmt: skip


@api.post("/programs/{slug}/benefit-policies", response={200: PolicyOut, **ERRORS},
          tags=["benefits"])  # fmt: skip
def set_policy(request: HttpRequest, slug: str, payload: PolicyIn):
    """Set the member's contribution and eligibility for one plan (percent 0–100)."""
    with api_program(request, slug, Perm.BENEFITS_MANAGE) as program:
        data = payload.model_dump()
        plan = access_offered_plan(program, data.pop("plan_id"))
        policy = services.set_policy(acting_user=request.user, program=program, plan=plan, **data)
        return _policy(policy)


@api.get("/programs/{slug}/benefit-elections", response={200: ElectionPage, **ERRORS},
         tags=["benefits"])  # fmt: skip
def list_elections(request: HttpRequest, slug: str, page: Query[PageIn]):
    """Every election of the program for its director and the hub; staff get their own."""
    with api_program(request, slug) as program:
        if has_perm(request.user, Perm.BENEFITS_MANAGE, program=program):
            rows = queries.elections_for_api(program)
        else:
            own = queries.own_staff_record(program, request.user)
            rows = (queries.elections_for_api(program, staff=own) if own
                    else Election.objects.none())  # fmt: skip
        return page_of(rows.select_related("program"), page, _election)


@api.post("/programs/{slug}/benefit-elections", response={201: ElectionOut, **ERRORS},
          tags=["benefits"])  # fmt: skip
def create_election(request: HttpRequest, slug: str, payload: ElectionIn):
    """Enroll or waive in the window open today (see the benefits guide); staff may elect
    only for themselves, directors for any of their staff."""
    with api_program(request, slug) as program:
        manager = has_perm(request.user, Perm.BENEFITS_MANAGE, program=program)
        own = queries.own_staff_record(program, request.user)
        if payload.staff_id is not None and manager:
            staff = access_staff(program, payload.staff_id)
        elif own is not None and payload.staff_id in (None, own.pk):
            staff = own
        else:
            raise Http404
        plan = None
        if payload.plan_id is not None:
            plan = Plan.objects.filter(alliance_id=program.alliance_id, pk=payload.plan_id).first()
        event = access_life_event(staff, payload.life_event_id) if payload.life_event_id else None
        election = services_elections.elect(
            acting_user=request.user, staff=staff, kind=payload.kind,
            today=timezone.localdate(), waive=payload.waive, plan=plan, tier=payload.tier,
            deferral_percent=payload.deferral_percent,
            dependents=program_dependents(program, payload.dependent_ids),
            life_event=event, replace=payload.replace,
        )  # fmt: skip
        return Status(201, _election(election))


@api.get("/programs/{slug}/benefit-statement", response={200: StatementOut, **ERRORS},
         tags=["benefits"])  # fmt: skip
def statement(request: HttpRequest, slug: str, month: str = ""):
    """The monthly premium statement (``month=2026-12``; default this month)."""
    with api_program(request, slug, Perm.BENEFITS_MANAGE) as program:
        first = statements.month_start(month, timezone.localdate())
        found = statements.premium_statement(program, first)
        return {
            "program": program.slug, "month": first,
            "rows": [
                {"staff_id": r.staff_id, "staff_name": r.staff_name, "kind": r.kind,
                 "plan": r.plan_name, "carrier": r.carrier, "tier": r.tier,
                 "premium": r.premium, "employer": r.employer, "employee": r.employee}
                for r in found.rows
            ],
            "carriers": [_total(c) for c in found.carriers],
            "total": _total(found.total),
        }  # fmt: skip


@api.get("/alliances/{alliance}/benefit-remittance", response={200: RemittanceOut, **ERRORS},
         tags=["benefits"])  # fmt: skip
def remittance(request: HttpRequest, alliance: str, month: str = ""):
    """What each carrier is owed for ``month``, per member."""
    with api_alliance(request, alliance) as the_alliance:
        first = statements.month_start(month, timezone.localdate())
        carriers, total = statements.remittance(the_alliance, first)
        return {
            "month": first,
            "carriers": [
                {"carrier": c.carrier, "members": [_total(m) for m in c.members],
                 "total": _total(c.total)}
                for c in carriers
            ],
            "total": _total(total),
        }  # fmt: skip


@api.get("/me/benefit-elections", response={200: list[ElectionOut], **ERRORS},
         tags=["benefits"])  # fmt: skip
def my_elections(request: HttpRequest):
    """The caller's own elections at every program where they have a staff record."""
    from alliance.staffing.models import StaffMember

    with scopes_disabled():
        records = list(
            StaffMember.objects.filter(user=request.user).select_related("program__alliance")
        )
    out: list[dict] = []
    for staff in records:
        with program_scope(staff.program):
            out += [_election(e) for e in queries.elections_for_api(staff.program, staff=staff)
                    .select_related("program")]  # fmt: skip
    return out
