"""A member's benefits pages for its director (and the hub): staff overview, policies, the
monthly premium statement, retirement contributions, payroll export, figures, calculator."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliance.benefits import figures, queries, services, statements
from alliance.benefits.access import access_offered_plan
from alliance.benefits.forms import CalculatorForm, FrequencyForm, PolicyForm, QuoteForm
from alliance.benefits.models import PlanKind
from alliance.core.charts import Bar, bar_chart
from alliance.core.forms import submit
from alliance.core.money import format_money
from alliance.core.policy import Perm, has_perm
from alliance.members.decorators import requires


def _month(request: HttpRequest):
    return statements.month_start(request.GET.get("month"), timezone.localdate())


@requires(Perm.PROGRAM_VIEW)
def home(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    if not has_perm(request.user, Perm.BENEFITS_MANAGE, program=program):
        return redirect("benefits:my_elections", program.slug)
    today = timezone.localdate()
    numbers = figures.participation([program], today)[0]
    return render(
        request,
        "benefits/program/home.html",
        {
            "program": program,
            "staff": list(queries.staff_overview(program, today)),
            "numbers": numbers,
            "frequency": statements.pay_frequency(program),
        },
    )


@requires(Perm.PROGRAM_VIEW)
def plan_summary(request: HttpRequest, program_slug: str, plan_id: int) -> HttpResponse:
    plan = access_offered_plan(request.program, plan_id)
    if not plan.summary:
        raise Http404
    return FileResponse(plan.summary.open("rb"), filename=f"{plan.name}.pdf")


@requires(Perm.BENEFITS_MANAGE)
@require_http_methods(["GET", "POST"])
def policies(request: HttpRequest, program_slug: str) -> HttpResponse:
    """Every plan of the pool with this member's policy; POST sets the pay frequency."""
    program = request.program
    form = FrequencyForm(
        request.POST or None, initial={"pay_frequency": statements.pay_frequency(program)}
    )
    if request.method == "POST" and form.is_valid():
        services.set_pay_frequency(acting_user=request.user, program=program, **form.cleaned_data)
        messages.success(request, _("Pay frequency saved."))
        return redirect("benefits:policies", program.slug)
    by_plan = queries.policies_by_plan(program)
    plans = [(plan, by_plan.get(plan.pk)) for plan in queries.plans_of(program.alliance)]
    return render(
        request,
        "benefits/program/policies.html",
        {"program": program, "plans": plans, "form": form},
        status=422 if form.errors else 200,
    )


@requires(Perm.BENEFITS_MANAGE)
@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest, program_slug: str, plan_id: int) -> HttpResponse:
    program = request.program
    plan = access_offered_plan(program, plan_id)
    current = queries.policies_by_plan(program).get(plan.pk)
    initial = {"offered": True, "contribution_kind": "percent_employee", "min_hours": 30,
               "waiting_days": 60}  # fmt: skip
    if current is not None:
        initial = {f: getattr(current, f) for f in PolicyForm.base_fields}
    form = PolicyForm(request.POST or None, initial=initial)
    if submit(
        request,
        form,
        lambda data: services.set_policy(
            acting_user=request.user, program=program, plan=plan, **data
        ),
        success=_("Policy saved."),
    ).ok:
        return redirect("benefits:policies", program.slug)
    return render(
        request,
        "benefits/program/policy.html",
        {"program": program, "plan": plan, "form": form},
        status=422 if form.errors else 200,
    )


@requires(Perm.BENEFITS_MANAGE)
def statement(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    month = _month(request)
    return render(
        request,
        "benefits/program/statement.html",
        {"program": program, "statement": statements.premium_statement(program, month)},
    )


@requires(Perm.BENEFITS_MANAGE)
def retirement(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    month = _month(request)
    return render(
        request,
        "benefits/program/retirement.html",
        {
            "program": program,
            "month": month,
            "rows": statements.retirement_rows(program, month),
            "frequency": statements.pay_frequency(program),
        },
    )


@requires(Perm.BENEFITS_MANAGE)
def payroll_csv(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    month = _month(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"benefit-deductions-{program.slug}-{month:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(statements.PAYROLL_HEADER)
    writer.writerows(statements.payroll_rows(program, month))
    return response


def _quote_data(cleaned: dict) -> dict:
    """The form asks when the quote takes effect; the service dates the quote with it."""
    data = dict(cleaned)
    data["quoted_on"] = data.pop("effective_on")
    return data


@requires(Perm.BENEFITS_MANAGE)
@require_http_methods(["GET", "POST"])
def numbers(request: HttpRequest, program_slug: str) -> HttpResponse:
    """Participation, cost per employee, pooled against stand-alone; POST saves a quote."""
    program = request.program
    today = timezone.localdate()
    form = QuoteForm(request.POST or None, initial={"effective_on": today})
    if submit(
        request,
        form,
        lambda data: services.save_quote(
            acting_user=request.user, program=program, **_quote_data(data)
        ),
        success=_("Stand-alone quote saved."),
    ).ok:
        return redirect("benefits:numbers", program.slug)
    part = figures.participation([program], today)[0]
    comparisons = figures.pooled_vs_standalone(program, today)
    labels = dict(PlanKind.choices)
    chart = None
    if comparisons:
        bars = []
        for c in comparisons:
            bars.append(Bar(label=_("%(kind)s, pooled") % {"kind": labels[c.kind]},
                            value=c.pooled, display=format_money(c.pooled)))  # fmt: skip
            bars.append(Bar(label=_("%(kind)s, stand-alone") % {"kind": labels[c.kind]},
                            value=c.standalone, display=format_money(c.standalone)))  # fmt: skip
        chart = bar_chart(bars, title=_("Monthly premiums: pooled against stand-alone"))
    return render(
        request,
        "benefits/program/numbers.html",
        {
            "program": program,
            "part": part,
            "comparisons": comparisons,
            "chart": chart,
            "form": form,
            "labels": labels,
        },  # fmt: skip
        status=422 if form.errors else 200,
    )


@requires(Perm.BENEFITS_MANAGE)
def calculator(request: HttpRequest, program_slug: str) -> HttpResponse:
    """What a policy change would cost a year: nothing is saved."""
    program = request.program
    plans = [p for p in queries.plans_of(program.alliance) if p.is_active and not p.is_retirement]
    form = CalculatorForm(request.GET or None, plans=plans)
    result = None
    if request.GET and form.is_valid():
        errors = services.check_policy(
            contribution_kind=form.cleaned_data["contribution_kind"],
            contribution_value=form.cleaned_data["contribution_value"],
            contribution_cap=form.cleaned_data["contribution_cap"],
        )
        if errors:
            form.add_service_errors(ValidationError(errors))
        else:
            plan = access_offered_plan(program, form.cleaned_data["plan"])
            result = figures.calculate(
                program=program, plan=plan, today=timezone.localdate(),
                contribution_kind=form.cleaned_data["contribution_kind"],
                contribution_value=form.cleaned_data["contribution_value"],
                contribution_cap=form.cleaned_data["contribution_cap"],
            )  # fmt: skip
    return render(
        request,
        "benefits/program/calculator.html",
        {"program": program, "form": form, "result": result},
        status=422 if form.errors else 200,
    )
