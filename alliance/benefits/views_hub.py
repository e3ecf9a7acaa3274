"""The hub's benefits pages: plans and rates, plan years, participation across members and
the carrier remittance report. Every view requires HUB_MANAGE in the URL's alliance."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.benefits import figures, queries, services, statements
from alliance.benefits.access import access_plan
from alliance.benefits.forms import PlanForm, PlanYearForm, RateForm, steps_text
from alliance.core.charts import Bar, bar_chart
from alliance.core.forms import submit
from alliance.core.policy import Perm
from alliance.members.decorators import requires
from alliance.members.models import Program


@requires(Perm.HUB_MANAGE)
def home(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    today = timezone.localdate()
    programs = list(Program.objects.filter(alliance=alliance).order_by("name"))
    rows = figures.participation(programs, today)
    total = figures.totals(rows)
    shown = [r for r in rows if r.eligible]
    chart = None
    if shown:
        chart = bar_chart(
            [Bar(label=r.name, value=r.rate, display=f"{r.rate}%") for r in shown[:40]],
            title=_("Participation: enrolled of eligible staff, by member"),
        )
    return render(
        request,
        "benefits/hub/home.html",
        {
            "alliance": alliance,
            "plans": list(queries.plans_of(alliance)),
            "years": list(queries.plan_years_of(alliance)),
            "rows": rows,
            "total": total,
            "chart": chart,
        },
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, alliance_slug: str, plan_id: int | None = None) -> HttpResponse:
    alliance = request.alliance
    plan = access_plan(alliance.pk, plan_id) if plan_id else None
    initial = {"is_active": True}
    if plan is not None:
        initial = {
            "kind": plan.kind, "carrier": plan.carrier, "name": plan.name,
            "is_active": plan.is_active, "deferral_min_percent": plan.deferral_min_percent,
            "deferral_max_percent": plan.deferral_max_percent,
            "match_formula": steps_text(plan.match_formula), "vesting": steps_text(plan.vesting),
        }  # fmt: skip
    posted = request.method == "POST"
    form = PlanForm(request.POST if posted else None, request.FILES if posted else None,
                    initial=initial)  # fmt: skip
    saved = submit(
        request,
        form,
        lambda data: services.save_plan(
            acting_user=request.user, alliance=alliance, plan=plan, **form.service_data()
        ),
        success=_("Plan saved."),
    )
    if saved.ok:
        return redirect("benefits:hub_plan", alliance.slug, saved.result.pk)
    return render(
        request,
        "benefits/hub/plan.html",
        {
            "alliance": alliance,
            "plan": plan,
            "form": form,
            "rate_form": RateForm(),
            "rates": list(plan.rates.order_by("-effective_on")) if plan else [],
        },
        status=422 if form.errors else 200,
    )


@requires(Perm.HUB_MANAGE)
@require_POST
def plan_rates(request: HttpRequest, alliance_slug: str, plan_id: int) -> HttpResponse:
    alliance = request.alliance
    plan = access_plan(alliance.pk, plan_id)
    form = RateForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services.set_rates(acting_user=request.user, plan=plan, **data),
        success=_("Rates saved."),
    ).ok:
        return redirect("benefits:hub_plan", alliance.slug, plan.pk)
    return render(
        request,
        "benefits/hub/plan.html",
        {
            "alliance": alliance,
            "plan": plan,
            "form": PlanForm(
                initial={
                    "kind": plan.kind,
                    "carrier": plan.carrier,
                    "name": plan.name,
                    "is_active": plan.is_active,
                }
            ),
            "rate_form": form,
            "rates": list(plan.rates.order_by("-effective_on")),
        },  # fmt: skip
        status=422,
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def year_new(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    form = PlanYearForm(request.POST or None)
    if submit(
        request,
        form,
        lambda data: services.save_plan_year(acting_user=request.user, alliance=alliance, **data),
        success=_("Plan year saved."),
    ).ok:
        return redirect("benefits:hub_home", alliance.slug)
    return render(
        request,
        "benefits/hub/year.html",
        {"alliance": alliance, "form": form},
        status=422 if form.errors else 200,
    )


@requires(Perm.HUB_MANAGE)
def remittance(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    month = statements.month_start(request.GET.get("month"), timezone.localdate())
    carriers, total = statements.remittance(alliance, month)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"benefit-remittance-{alliance.slug}-{month:%Y-%m}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        writer = csv.writer(response)
        writer.writerow(["carrier", "member", "enrollments", "premium", "employer", "employee"])
        for c in carriers:
            for m in c.members:
                writer.writerow([c.carrier, m.label, m.count, m.premium, m.employer, m.employee])
        return response
    return render(
        request,
        "benefits/hub/remittance.html",
        {"alliance": alliance, "month": month, "carriers": carriers, "total": total},
    )
