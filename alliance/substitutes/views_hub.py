"""The hub's pool pages: people and onboarding, settings, requests, invoices, numbers.

The tenant middleware opened the alliance's scope; every view needs HUB_MANAGE."""

from __future__ import annotations

import csv
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliance.core.forms import submit
from alliance.core.policy import Perm, RoleKind
from alliance.core.tables import build_table
from alliance.members.decorators import requires
from alliance.members.models import Program
from alliance.staffing.queries import valid_credential_kinds
from alliance.substitutes import queries, services, services_after, services_pool
from alliance.substitutes.access import access_profile
from alliance.substitutes.forms import (
    AddToPoolForm,
    BudgetForm,
    HubProfileForm,
    InvoiceForm,
    OnboardingForm,
    ReinstateForm,
    ReportRangeForm,
    SettingsForm,
)
from alliance.substitutes.models import (
    ONBOARDING_STEPS,
    Assignment,
    AssignmentStatus,
    SubstituteInvoice,
    SubstituteRequest,
    Tier,
)
from alliance.substitutes.ranking import REQUIRED_CHECKS
from alliance.substitutes.views_program import trend_chart


def _people_without_profile(alliance) -> list[tuple[int, str]]:
    from alliance.accounts.models import Role

    users = (
        Role.objects.filter(alliance=alliance, kind=RoleKind.SUBSTITUTE)
        .exclude(user__substitute_profiles__alliance=alliance)
        .select_related("user")
        .order_by("user__full_name", "user__email")[:500]
    )
    return [(r.user_id, f"{r.user} <{r.user.email}>") for r in users]


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def pool(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    add_form = AddToPoolForm(
        request.POST if request.method == "POST" else None,
        people=_people_without_profile(alliance),
    )
    from alliance.accounts.models import User

    added = submit(
        request,
        add_form,
        lambda data: services_pool.create_profile(
            acting_user=request.user,
            alliance=alliance,
            user=User.objects.get(pk=data["user"]),
            home_town=data["home_town"],
            pay_rate=data["pay_rate"],
        ),
        success=_("Added to the pool; complete the onboarding checklist."),
    )
    if added.ok:
        return redirect("substitutes:hub_profile", alliance.slug, added.result.pk)
    table = build_table(
        request,
        queries.pool_of(alliance.pk),
        columns=[
            (_("Name"), "name"),
            (_("Status"), "status"),
            (_("Home town"), "town"),
            (_("Checks"), None),
            (_("Onboarding"), None),
        ],
        orderings={
            "name": ("user__full_name", "user__email"),
            "status": ("status", "user__full_name"),
            "town": ("home_town", "user__full_name"),
        },
        default_sort="name",
    )
    rows = list(table.rows)
    valid = valid_credential_kinds([p.user_id for p in rows], timezone.localdate())
    for profile in rows:
        profile.checks_ok = all(k in valid.get(profile.user_id, ()) for k in REQUIRED_CHECKS)
        profile.steps_done = sum(1 for s in ONBOARDING_STEPS if profile.onboarding.get(s))
    return render(
        request,
        "substitutes/hub/pool.html",
        {
            "alliance": alliance,
            "table": table,
            "rows": rows,
            "steps": len(ONBOARDING_STEPS),
            "add_form": add_form,
        },
        status=422 if add_form.errors else 200,
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def profile_detail(request: HttpRequest, alliance_slug: str, profile_id: int) -> HttpResponse:
    alliance = request.alliance
    profile = access_profile(alliance.pk, profile_id)
    which = request.POST.get("form") if request.method == "POST" else None
    form = HubProfileForm(
        request.POST if which == "profile" else None,
        initial={
            "status": profile.status,
            "pay_rate": profile.pay_rate,
            "qualifications": profile.qualifications,
        },
    )
    onboarding = OnboardingForm(
        request.POST if which == "onboarding" else None, done=profile.onboarding
    )
    reinstate = ReinstateForm(request.POST if which == "reinstate" else None)
    if submit(  # bound only when this form was posted
        request,
        reinstate,
        lambda data: services_pool.reinstate_profile(
            acting_user=request.user, profile=profile, reason=data["reason"]
        ),
        success=_("Reinstated: they can be offered work again."),
    ).ok:
        return redirect("substitutes:hub_profile", alliance.slug, profile.pk)
    if submit(
        request,
        form,
        lambda data: services_pool.update_profile(
            acting_user=request.user, profile=profile, by_hub=True, **data
        ),
        success=_("Profile saved."),
    ).ok:
        return redirect("substitutes:hub_profile", alliance.slug, profile.pk)
    if which == "onboarding" and onboarding.is_valid():
        for step in ONBOARDING_STEPS:
            done = bool(onboarding.cleaned_data.get(step))
            if done != bool(profile.onboarding.get(step)):
                services_pool.set_onboarding_step(
                    acting_user=request.user, profile=profile, step=step, done=done
                )
        messages.success(request, _("Onboarding checklist saved."))
        return redirect("substitutes:hub_profile", alliance.slug, profile.pk)
    from alliance.staffing.models import Credential

    credentials = list(Credential.objects.filter(person=profile.user).order_by("kind"))
    no_shows = list(
        Assignment.objects.filter(
            substitute=profile.user,
            status=AssignmentStatus.NO_SHOW,
            request__program__alliance=alliance,
        )
        .select_related("request__program")
        .order_by("-request__first_date")[:20]
    )
    today = timezone.localdate()
    for credential in credentials:
        credential.valid_today = credential.is_valid_on(today)
    return render(
        request,
        "substitutes/hub/profile.html",
        {
            "alliance": alliance,
            "profile": profile,
            "form": form,
            "onboarding": onboarding,
            "credentials": credentials,
            "windows": list(profile.availability.all()),
            "reinstate": reinstate,
            "no_shows": no_shows,
        },
        status=422 if form.errors or reinstate.errors else 200,
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    current = services.pool_settings(alliance.pk)
    form = SettingsForm(request.POST if request.method == "POST" else None, instance=current)
    if submit(
        request,
        form,
        lambda data: services_pool.update_pool_settings(
            acting_user=request.user, settings=current, **data
        ),
        success=_("Pool settings saved."),
    ).ok:
        return redirect("substitutes:hub_settings", alliance.slug)
    return render(
        request,
        "substitutes/hub/settings.html",
        {"alliance": alliance, "form": form},
        status=422 if form.errors else 200,
    )


@requires(Perm.HUB_MANAGE)
def requests(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    table = build_table(
        request,
        SubstituteRequest.objects.filter(program__alliance=alliance).select_related(
            "program", "assigned_to"
        ),
        columns=[
            (_("Date"), "date"),
            (_("Member"), "member"),
            (_("Hours"), None),
            (_("Status"), "status"),
            (_("Substitute"), None),
        ],
        orderings={
            "date": ("first_date", "start"),
            "member": ("program__name", "first_date"),
            "status": ("status", "first_date"),
        },
        default_sort="-date",
    )
    return render(request, "substitutes/hub/requests.html", {"alliance": alliance, "table": table})


def _month(value: str | None) -> date:
    today = timezone.localdate()
    last = (today.replace(day=1) - date.resolution).replace(day=1)
    if not value:
        return last
    try:
        return date.fromisoformat(value[:7] + "-01")
    except ValueError:
        return last


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def invoices(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    month = _month(request.GET.get("month"))
    form = InvoiceForm(
        request.POST if request.method == "POST" and request.POST.get("form") != "budget" else None,
        initial={"month": month.strftime("%Y-%m")},
    )
    members = list(Program.objects.filter(alliance=alliance).order_by("name"))
    budget_form = BudgetForm(
        request.POST if request.POST.get("form") == "budget" else None,
        programs=members,
        initial={"year": month.year},
    )
    status = 200
    if request.POST.get("form") == "budget":
        if submit(
            request,
            budget_form,
            lambda data: services_after.set_budget(
                acting_user=request.user,
                program=next(p for p in members if p.pk == data["program"]),
                year=data["year"],
                hours=data["hours"],
            ),
            success=_("Subsidized hours saved."),
        ).ok:
            return redirect(f"{request.path}?month={month:%Y-%m}")
        status = 422
    elif request.method == "POST":
        program = Program.objects.filter(
            alliance=alliance, pk=_int(request.POST.get("program"))
        ).first()
        valid = form.is_valid()
        if valid and program is not None:
            settings = services.pool_settings(alliance.pk)
            try:
                invoice = services_after.issue_invoice(
                    acting_user=request.user,
                    program=program,
                    month=form.cleaned_data["month"],
                    rate=settings.billing_rate,
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    _("Invoice of $%(amount)s issued to %(name)s.")
                    % {"amount": invoice.amount, "name": program.name},
                )
                return redirect(
                    f"{request.path}?month={invoice.month:%Y-%m}"  # stay on the month
                )
        elif program is None:
            form.add_error(None, _("Choose a member."))
        status = 422
    year = month.year
    pending = queries.uninvoiced_hours(alliance.pk, month)
    budgets = queries.budget_statuses([p.pk for p, _h in pending], year)
    return render(
        request,
        "substitutes/hub/invoices.html",
        {
            "alliance": alliance,
            "month": month,
            "form": form,
            "pending": [(p, h, budgets.get(p.pk)) for p, h in pending],
            "issued": list(
                SubstituteInvoice.objects.filter(program__alliance=alliance)
                .select_related("program")
                .order_by("-month", "program__name")[:50]
            ),
            "pay": queries.pay_summary(alliance.pk, month),
            "rate": services.pool_settings(alliance.pk).billing_rate,
            "budget_form": budget_form,
        },
        status=status,
    )


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


@requires(Perm.HUB_MANAGE)
def numbers(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    figures = queries.numbers(alliance_id=alliance.pk)
    return render(
        request,
        "substitutes/numbers.html",
        {"alliance": alliance, "n": figures, "chart": trend_chart(figures), "hub": True},
    )


def _range(request: HttpRequest) -> tuple[ReportRangeForm, date, date]:
    """The report's period from ``?since=&until=`` (default: the last 90 days)."""
    today = timezone.localdate()
    form = ReportRangeForm(request.GET or None)
    since, until = today - timedelta(days=90), today
    if form.is_valid():
        since = form.cleaned_data.get("since") or since
        until = form.cleaned_data.get("until") or until
    if until < since:
        since, until = until, since
    return form, since, until


@requires(Perm.HUB_MANAGE)
def reports(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    """How each request was filled (mode, tier, wave, minutes, unfilled reason), and the
    substitutes who never work."""
    alliance = request.alliance
    form, since, until = _range(request)
    table = build_table(
        request,
        queries.fill_report(alliance.pk, since, until),
        columns=[
            (_("Date"), "date"),
            (_("Member"), "member"),
            (_("Mode"), "mode"),
            (_("Status"), "status"),
            (_("Tier"), None),
            (_("Wave"), None),
            (_("Minutes to fill"), None),
            (_("Substitute"), None),
        ],
        orderings={
            "date": ("first_date", "start"),
            "member": ("program__name", "first_date"),
            "mode": ("mode", "first_date"),
            "status": ("status", "first_date"),
        },
        default_sort="-date",
    )
    for row in table.rows:
        row.minutes = queries.minutes_to_fill(row)
        row.tier_label = Tier(row.fill_tier).label if row.fill_tier else ""
    settings = services.pool_settings(alliance.pk)
    return render(
        request,
        "substitutes/hub/reports.html",
        {
            "alliance": alliance,
            "table": table,
            "form": form,
            "since": since,
            "until": until,
            "never": queries.never_work(alliance.pk, min_offers=settings.never_work_min_offers),
            "min_offers": settings.never_work_min_offers,
        },
    )


@requires(Perm.HUB_MANAGE)
def fills_csv(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    """The fill report of the period as CSV (one query, streamed in chunks)."""
    alliance = request.alliance
    _form, since, until = _range(request)
    rows = queries.fill_report(alliance.pk, since, until).order_by("first_date", "start", "pk")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="substitute-fills-{since:%Y%m%d}-{until:%Y%m%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "request_id",
            "member",
            "first_date",
            "days",
            "start",
            "end",
            "mode",
            "tiered",
            "status",
            "tier",
            "wave",
            "minutes_to_fill",
            "unfilled_reason",
            "substitute",
        ]
    )
    for r in rows.iterator(chunk_size=500):
        writer.writerow(
            [
                r.pk,
                _cell(r.program.name),
                r.first_date.isoformat(),
                len(r.dates),
                r.start.strftime("%H:%M"),
                r.end.strftime("%H:%M"),
                r.mode,
                "yes" if r.tiered else "no",
                r.status,
                r.fill_tier or "",
                r.fill_wave if r.fill_wave is not None else "",
                queries.minutes_to_fill(r) if r.filled_at else "",
                r.unfilled_reason,
                _cell(str(r.assigned_to)) if r.assigned_to_id else "",
            ]
        )
    return response


def _cell(text: str) -> str:
    """No spreadsheet formulas from names (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
