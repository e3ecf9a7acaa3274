"""Collections pages of a program (director and hub): the late-fee policy and fees charged,
the reminder schedule, autopay attempts to confirm, payment plans, and one account's
reminder log, autopay and plans. Every write calls a service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.billing import queries_claims, services_collections
from alliance.billing.access_claims import (
    access_account,
    access_assessment,
    access_attempt,
    access_plan,
)
from alliance.billing.forms_claims import (
    AutopayForm,
    LateFeePolicyForm,
    PlanForm,
    ReasonForm,
    ReminderScheduleForm,
)
from alliance.billing.services import settings_for, update_settings
from alliance.core.forms import submit
from alliance.core.policy import Perm
from alliance.members.decorators import requires

LIST_LIMIT = 50


def _steps(schedule) -> list:
    steps = list(schedule.steps.all()) if schedule is not None else []
    for step in steps:
        step.days_before = -step.days_after_due
    return steps


def _overview(request, *, policy_form=None, schedule_form=None, status=200):
    program = request.program
    settings = settings_for(program)
    policy = settings.late_fee_policy
    schedule = settings.reminder_schedule
    if policy_form is None:
        initial = {"effective_from": timezone.localdate()}
        if policy is not None:
            initial.update(
                method=policy.method,
                grace_days=policy.grace_days,
                flat_amount=policy.flat_amount,
                percent=policy.percent,
                cap=policy.cap,
                minimum_overdue=policy.minimum_overdue,
            )
        policy_form = LateFeePolicyForm(initial=initial, prefix="fee")
    if schedule_form is None:
        initial = {}
        if schedule is not None:
            initial["steps"] = ", ".join(
                f"{s.days_after_due} {s.channel}" for s in schedule.steps.all()
            )
        schedule_form = ReminderScheduleForm(initial=initial or None, prefix="rem")
    return render(
        request,
        "billing/collections/home.html",
        {
            "program": program,
            "settings": settings,
            "policy": policy,
            "policy_percent": f"{policy.percent.normalize():f}" if policy else "",
            "schedule": schedule,
            "steps": _steps(schedule),
            "policy_form": policy_form,
            "schedule_form": schedule_form,
            "late_fees": list(queries_claims.late_fees_for(program)[:LIST_LIMIT]),
            "plans": list(queries_claims.plans_for(program)[:LIST_LIMIT]),
            "pending": list(
                queries_claims.autopay_attempts_for(program, pending=True)[:LIST_LIMIT]
            ),
            "autopay_accounts": list(queries_claims.autopay_accounts(program)[:LIST_LIMIT]),
            "reminders": list(queries_claims.reminders_for(program)[:LIST_LIMIT]),
            "reason_form": ReasonForm(),
        },
        status=status,
    )


@requires(Perm.BILLING_MANAGE)
def home(request: HttpRequest, program_slug: str) -> HttpResponse:
    return _overview(request)


@requires(Perm.BILLING_MANAGE)
@require_POST
def policy(request: HttpRequest, program_slug: str) -> HttpResponse:
    form = LateFeePolicyForm(request.POST, prefix="fee")
    if submit(
        request,
        form,
        lambda data: services_collections.save_late_fee_policy(
            acting_user=request.user,
            program=request.program,
            method=data["method"],
            grace_days=data["grace_days"],
            flat_amount=data["flat_amount"],
            percent=data["percent"],
            cap=data["cap"],
            minimum_overdue=data["minimum_overdue"],
            effective_from=data["effective_from"],
        ),
        success=_("The late fee policy is in force."),
    ).ok:
        return redirect("billing:collections", request.program.slug)
    return _overview(request, policy_form=form, status=422)


@requires(Perm.BILLING_MANAGE)
@require_POST
def reminders(request: HttpRequest, program_slug: str) -> HttpResponse:
    form = ReminderScheduleForm(request.POST, prefix="rem")
    if form.is_valid():
        try:
            services_collections.save_reminder_schedule(
                acting_user=request.user, program=request.program, steps=form.cleaned_data["steps"]
            )
        except ValidationError as exc:
            form.add_error("steps", exc.messages)
        else:
            messages.success(request, _("The reminder schedule is in force."))
            return redirect("billing:collections", request.program.slug)
    return _overview(request, schedule_form=form, status=422)


@requires(Perm.BILLING_MANAGE)
@require_POST
def autopay_required(request: HttpRequest, program_slug: str) -> HttpResponse:
    """Require (or stop requiring) autopay of the program's families."""
    required = request.POST.get("required") == "on"
    update_settings(acting_user=request.user, program=request.program, autopay_required=required)
    messages.success(
        request,
        _("Families must now use autopay.") if required else _("Autopay is optional for families."),
    )
    return redirect("billing:collections", request.program.slug)


@requires(Perm.BILLING_MANAGE)
@require_POST
def assess(request: HttpRequest, program_slug: str) -> HttpResponse:
    """Run today's late-fee assessment now (the daily job does the same)."""
    result = services_collections.assess_late_fees(
        program=request.program, acting_user=request.user
    )
    messages.success(
        request,
        _("%(n)s late fees charged (%(total)s).") % {"n": result.assessed, "total": result.total},
    )
    return redirect("billing:collections", request.program.slug)


@requires(Perm.BILLING_MANAGE)
@require_POST
def waive(request: HttpRequest, program_slug: str, assessment_id: int) -> HttpResponse:
    fee = access_assessment(request.program, assessment_id)
    try:
        services_collections.waive_late_fee(
            acting_user=request.user, assessment=fee, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _overview(request, status=422)
    messages.success(request, _("The late fee is waived with a credit note."))
    return redirect("billing:collections", request.program.slug)


def _account_page(request, account, *, autopay_form=None, plan_form=None, status=200):
    program = request.program
    if autopay_form is None:
        autopay_form = AutopayForm(
            initial={
                "enabled": account.autopay_enabled,
                "method": account.autopay_method,
                "last4": account.autopay_last4,
            },
            prefix="auto",
        )
    return render(
        request,
        "billing/collections/account.html",
        {
            "program": program,
            "account": account,
            "reminders": list(queries_claims.reminders_for(program, account=account)[:LIST_LIMIT]),
            "attempts": list(
                queries_claims.autopay_attempts_for(program, account=account)[:LIST_LIMIT]
            ),
            "plans": list(queries_claims.plans_for(program, account=account)[:LIST_LIMIT]),
            "autopay_form": autopay_form,
            "plan_form": plan_form or PlanForm(prefix="plan"),
            "reason_form": ReasonForm(),
            "autopay_required": settings_for(program).autopay_required,
        },
        status=status,
    )


@requires(Perm.BILLING_MANAGE)
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest, program_slug: str, account_id: int) -> HttpResponse:
    """One account's reminder log, autopay (POST changes the method on file) and plans."""
    acc = access_account(request.program, account_id)
    if request.method == "GET":
        return _account_page(request, acc)
    form = AutopayForm(request.POST, prefix="auto")
    if form.is_valid():
        try:
            services_collections.set_autopay(
                acting_user=request.user,
                account=acc,
                enabled=form.cleaned_data["enabled"],
                method=form.cleaned_data["method"],
                last4=form.cleaned_data["last4"],
            )
        except ValidationError as exc:
            mapping = {"autopay_method": "method", "autopay_last4": "last4"}
            for name, errors in exc.message_dict.items():
                form.add_error(mapping.get(name), errors)
        else:
            messages.success(request, _("Autopay is updated."))
            return redirect("billing:collections_account", request.program.slug, acc.pk)
    return _account_page(request, acc, autopay_form=form, status=422)


@requires(Perm.BILLING_MANAGE)
@require_POST
def plan_new(request: HttpRequest, program_slug: str, account_id: int) -> HttpResponse:
    acc = access_account(request.program, account_id)
    form = PlanForm(request.POST, prefix="plan")
    if submit(
        request,
        form,
        lambda data: services_collections.create_payment_plan(
            acting_user=request.user,
            account=acc,
            installments=data["installments"],
            first_due_on=data["first_due_on"],
            total=data["total"],
            note=data["note"],
        ),
        success=_("The payment plan is set up; late fees pause while it is kept."),
    ).ok:
        return redirect("billing:collections_account", request.program.slug, acc.pk)
    return _account_page(request, acc, plan_form=form, status=422)


@requires(Perm.BILLING_MANAGE)
@require_POST
def plan_cancel(request: HttpRequest, program_slug: str, plan_id: int) -> HttpResponse:
    plan = access_plan(request.program, plan_id)
    try:
        services_collections.cancel_payment_plan(
            acting_user=request.user, plan=plan, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _account_page(request, plan.account, status=422)
    messages.success(request, _("The payment plan is cancelled."))
    return redirect("billing:collections_account", request.program.slug, plan.account_id)


@requires(Perm.BILLING_MANAGE)
@require_POST
def attempt_settle(
    request: HttpRequest, program_slug: str, attempt_id: int, action: str
) -> HttpResponse:
    """Confirm a pending autopay attempt (money arrived) or mark it failed."""
    if action not in ("confirm", "fail"):
        raise Http404
    attempt = access_attempt(request.program, attempt_id)
    try:
        if action == "confirm":
            services_collections.confirm_autopay(
                acting_user=request.user,
                attempt=attempt,
                reference=request.POST.get("reference", ""),
            )
            messages.success(request, _("The autopay payment is recorded."))
        else:
            services_collections.fail_autopay(
                acting_user=request.user, attempt=attempt, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Marked failed; the family and directors are alerted."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _overview(request, status=422)
    return redirect("billing:collections", request.program.slug)
