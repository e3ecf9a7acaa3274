"""A program's finance pages: the Iron Triangle dashboard, peer benchmarks, targets, the
cost-of-care model and its what-if scenarios. For the program's director and the hub."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.core.charts import Bar, bar_chart
from alliance.core.forms import add_service_errors
from alliance.core.policy import Perm
from alliance.finance import costing, figures, queries, services
from alliance.finance.access import access_scenario
from alliance.finance.charts import line_chart
from alliance.finance.forms import (
    ModelForm,
    PositionFormSet,
    RoomFormSet,
    ScenarioForm,
    TargetsForm,
    initial_from,
    inputs_from,
)
from alliance.members.decorators import requires


def _status_labels() -> dict[str, str]:
    return {
        "green": _("On target"),
        "amber": _("Watch"),
        "red": _("Off target"),
        "unknown": _("No data yet"),
    }


@requires(Perm.FINANCE_VIEW)
def dashboard(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    today = timezone.localdate()
    data = figures.iron_triangle(program, today)
    targets = data["targets"]
    charts = {
        "weekly": line_chart(
            data["weekly"],
            title=_("Enrollment by week (percent of staffed capacity)"),
            description=_("The dashed line is the target."),
            target=targets.enrollment,
        ),
        "monthly": line_chart(
            data["monthly"],
            title=_("Enrollment by month (percent of staffed capacity)"),
            description=_("The dashed line is the target."),
            target=targets.enrollment,
        ),
        "collection": line_chart(
            [(m["label"], m["rate"]) for m in data["collection_months"]],
            title=_("Fee collection by month (percent of billing collected)"),
            target=targets.collection,
        ),
    }
    rooms = [r for r in data["classrooms"] if r["rate"] is not None]
    if rooms:
        charts["rooms"] = bar_chart(
            [Bar(label=r["name"], value=r["rate"], display=f"{r['rate']}%") for r in rooms],
            title=_("Enrollment by classroom (percent of staffed capacity)"),
        )
    return render(
        request,
        "finance/program/dashboard.html",
        {"program": program, "data": data, "charts": charts, "status_labels": _status_labels()},
    )


@requires(Perm.FINANCE_VIEW)
def benchmarks(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    data = figures.benchmarks(program, timezone.localdate())
    return render(
        request,
        "finance/program/benchmarks.html",
        {"program": program, "data": data, "status_labels": _status_labels()},
    )


@requires(Perm.FINANCE_VIEW)
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    current = queries.targets_for(program)
    initial = {k: getattr(current, k) for k in ("enrollment", "collection", "bad_debt", "dso")}
    form = TargetsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_targets(
                    acting_user=request.user,
                    alliance=program.alliance,
                    program=program,
                    values=form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Targets saved."))
                return redirect("finance:dashboard", program.slug)
        status = 422
    else:
        status = 200
    return render(
        request,
        "finance/program/targets.html",
        {"program": program, "form": form, "own": queries.own_targets(program)},
        status=status,
    )


def _model_forms(request: HttpRequest, inputs: dict):
    main_initial, rooms, positions = initial_from(inputs)
    data = request.POST if request.method == "POST" else None
    return (
        ModelForm(data, initial=main_initial),
        RoomFormSet(data, initial=rooms or None, prefix="rooms"),
        PositionFormSet(data, initial=positions or None, prefix="positions"),
    )


def _route_errors(exc: ValidationError, main, rooms, positions) -> None:
    """Put each service error on its field (``rooms-0-capacity`` → row 0's capacity)."""
    for key, errors in exc.message_dict.items():
        prefix, _sep, rest = key.partition("-")
        if prefix in ("rooms", "positions") and rest:
            index, _sep2, field = rest.partition("-")
            formset = rooms if prefix == "rooms" else positions
            if index.isdigit() and int(index) < len(formset.forms):
                formset.forms[int(index)].add_error(field or None, errors)
                continue
        main.add_error(key if key in main.fields else None, errors)


@requires(Perm.FINANCE_VIEW)
@require_http_methods(["GET", "POST"])
def cost_model(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    model = queries.cost_model_of(program)
    inputs = model.inputs if model else {}
    main, rooms, positions = _model_forms(request, inputs)
    status = 200
    if request.method == "POST":
        if main.is_valid() and rooms.is_valid() and positions.is_valid():
            raw = inputs_from(main, rooms, positions)
            try:
                services.save_cost_model(acting_user=request.user, program=program, inputs=raw)
            except ValidationError as exc:
                _route_errors(exc, main, rooms, positions)
            else:
                messages.success(request, _("Cost-of-care model saved."))
                return redirect("finance:model", program.slug)
        status = 422
    result = None
    if model is not None and model.inputs.get("rooms"):
        result = costing.evaluate(program, model.inputs, [], timezone.localdate())[0].result
    return render(
        request,
        "finance/program/model.html",
        {
            "program": program,
            "model": model,
            "main": main,
            "rooms": rooms,
            "positions": positions,
            "result": result,
            "groups": costing.age_group_labels(),
            "ccap": costing.ccap_rates(program, timezone.localdate()),
        },
        status=status,
    )


@requires(Perm.FINANCE_VIEW)
@require_POST
def cost_model_import(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    try:
        services.import_cost_model(acting_user=request.user, program=program)
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
        return redirect("finance:model", program.slug)
    messages.success(
        request,
        _(
            "Imported your classrooms, staff, benefits and tuition. Add rent, food, supplies and "
            "insurance, then save."
        ),
    )
    return redirect("finance:model", program.slug)


@requires(Perm.FINANCE_VIEW)
@require_http_methods(["GET", "POST"])
def scenarios(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    today = timezone.localdate()
    model = queries.cost_model_of(program)
    room_names = [r["name"] for r in (model.inputs.get("rooms", []) if model else [])]
    form = ScenarioForm(request.POST or None, rooms=room_names)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_scenario(
                    acting_user=request.user,
                    program=program,
                    name=form.cleaned_data["name"],
                    wage_raise_percent=form.cleaned_data["wage_raise_percent"] or 0,
                    age_group_changes=form.changes(),
                    join_purchasing=form.cleaned_data["join_purchasing"],
                )
            except ValidationError as exc:
                for key, errors in exc.message_dict.items():
                    field = key if key in form.fields else None
                    if key == "age_group_changes" and room_names:
                        field = "room_0"
                    form.add_error(field, errors)
            else:
                messages.success(request, _("Scenario saved."))
                return redirect("finance:scenarios", program.slug)
        status = 422
    outcomes = []
    if model is not None and model.inputs.get("rooms"):
        outcomes = costing.evaluate(
            program, model.inputs, list(queries.scenarios_of(program)), today
        )
    return render(
        request,
        "finance/program/scenarios.html",
        {
            "program": program,
            "model": model,
            "form": form,
            "outcomes": outcomes,
            "groups": costing.age_group_labels(),
        },
        status=status,
    )


@requires(Perm.FINANCE_VIEW)
@require_POST
def scenario_delete(request: HttpRequest, program_slug: str, scenario_id: int) -> HttpResponse:
    program = request.program
    scenario = access_scenario(program, scenario_id)
    services.delete_scenario(acting_user=request.user, scenario=scenario)
    messages.success(request, _("Scenario deleted."))
    return redirect("finance:scenarios", program.slug)
