"""Every change to plans, rates, plan years, member policies, settings and quotes.

Keyword-only, atomic, audited; bad input raises ``ValidationError`` per field before any
write. Elections, dependents and life events: :mod:`alliance.benefits.services_elections`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.benefits.models import (
    BenefitSettings,
    ContributionKind,
    MemberPolicy,
    PayFrequency,
    Plan,
    PlanKind,
    PlanRate,
    PlanYear,
    StandaloneQuote,
)
from alliance.core.audit import changes, log_action
from alliance.members.models import Alliance, Program
from alliance.rules import benefits as rules
from alliance.staffing.models import StaffRole

MAX_SUMMARY_BYTES = 10 * 1024 * 1024
TIER_FIELDS = ("employee", "employee_spouse", "employee_children", "family")
Errors = dict[str, list[str]]


def check_summary(document: UploadedFile) -> str | None:
    """Why a plan summary is refused (None: a real PDF of at most 10 MB)."""
    name = (document.name or "").lower()
    if not name.endswith(".pdf"):
        return _("Upload the summary of benefits as a PDF file.")
    if document.size is not None and document.size > MAX_SUMMARY_BYTES:
        return _("The file is larger than 10 MB; upload a smaller PDF.")
    if not document.size:
        return _("The file is empty.")
    position = document.tell() if hasattr(document, "tell") else 0
    head = document.read(5)
    document.seek(position)
    if not head.startswith(b"%PDF"):
        return _("The file is not a real PDF (its contents do not match its name).")
    return None


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _check_formula(formula: Any, errors: Errors) -> list[list[str]]:
    try:
        steps = rules.match_steps(formula or [])
    except (TypeError, ValueError, InvalidOperation):
        errors["match_formula"] = [
            _("Write the match as steps of “up to % of pay: match %”, rising, e.g. 3:100, 5:50.")
        ]
        return []
    return [[str(s.to_percent), str(s.rate)] for s in steps]


def _check_vesting(schedule: Any, errors: Errors) -> list[list[str]]:
    try:
        steps = sorted((Decimal(str(y)), Decimal(str(p))) for y, p in (schedule or []))
    except (TypeError, ValueError, InvalidOperation):
        steps = None
    if steps is None or any(y < 0 or p < 0 or p > 100 for y, p in steps):
        errors["vesting"] = [
            _("Write vesting as “years: percent” steps between 0 and 100, e.g. 0:0, 2:50, 4:100.")
        ]
        return []
    return [[str(y), str(p)] for y, p in steps]


@transaction.atomic
def save_plan(
    *,
    acting_user: User,
    alliance: Alliance,
    plan: Plan | None = None,
    kind: str,
    carrier: str,
    name: str,
    is_active: bool = True,
    summary: UploadedFile | None = None,
    deferral_min_percent: Decimal | None = None,
    deferral_max_percent: Decimal | None = None,
    match_formula: list | None = None,
    vesting: list | None = None,
) -> Plan:
    """Create or change a plan. A retirement plan needs deferral limits (0–100, min ≤ max)
    and a match formula; a summary must be a PDF of at most 10 MB."""
    errors: Errors = {}
    if kind not in PlanKind.values:
        errors["kind"] = [_("Choose health, dental, vision or retirement.")]
    if not (carrier or "").strip():
        errors["carrier"] = [_("Enter the carrier (the insurer or the plan provider).")]
    if not (name or "").strip():
        errors["name"] = [_("Enter the plan's name.")]
    if summary is not None:
        problem = check_summary(summary)
        if problem:
            errors["summary"] = [problem]
    formula: list = []
    schedule: list = []
    if kind == PlanKind.RETIREMENT:
        low, high = _decimal(deferral_min_percent), _decimal(deferral_max_percent)
        if low is None or low < 0 or low > 100:
            errors["deferral_min_percent"] = [_("Enter the lowest deferral, 0 to 100 percent.")]
        if high is None or high <= 0 or high > 100:
            errors["deferral_max_percent"] = [_("Enter the highest deferral, up to 100 percent.")]
        elif low is not None and low > high:
            errors["deferral_max_percent"] = [
                _("The highest deferral must be at least the lowest.")
            ]
        formula = _check_formula(match_formula, errors)
        schedule = _check_vesting(vesting, errors)
        deferral_min_percent, deferral_max_percent = low, high
    else:
        deferral_min_percent = deferral_max_percent = None
    clash = Plan.objects.filter(alliance=alliance, kind=kind, name=(name or "").strip())
    if plan is not None:
        clash = clash.exclude(pk=plan.pk)
    if "name" not in errors and clash.exists():
        errors["name"] = [_("Another plan of this kind has this name; choose another.")]
    if errors:
        raise ValidationError(errors)
    fields = {
        "kind": kind,
        "carrier": carrier.strip(),
        "name": name.strip(),
        "is_active": is_active,
        "deferral_min_percent": deferral_min_percent,
        "deferral_max_percent": deferral_max_percent,
        "match_formula": formula,
        "vesting": schedule,
    }
    if plan is None:
        plan = Plan.objects.create(alliance=alliance, **fields)
        action, data = "benefits.plan_created", {"kind": kind}
    else:
        if plan.kind != kind and plan.elections.exists():
            raise ValidationError({"kind": [_("Staff have elected this plan: keep its kind.")]})
        data = changes(plan, fields)
        if data:
            plan.save(update_fields=list(data))
        action = "benefits.plan_changed"
    if summary is not None:
        plan.summary.save(summary.name, summary, save=False)
        plan.save(update_fields=["summary"])
    log_action(
        actor=acting_user, action=action, target=plan, alliance=alliance,
        summary=f"{plan.carrier} {plan.name}", data=data,
    )  # fmt: skip
    return plan


@transaction.atomic
def set_rates(*, acting_user: User, plan: Plan, effective_on: date, **tiers: Decimal) -> PlanRate:
    """Monthly rates of every tier from ``effective_on`` (the same day again replaces them).
    Rates are amounts of at least zero; a retirement plan has no premium rates."""
    errors: Errors = {}
    if plan.kind == PlanKind.RETIREMENT:
        raise ValidationError({"effective_on": [_("Retirement plans have no premium rates.")]})
    if not isinstance(effective_on, date):
        errors["effective_on"] = [_("Enter the date these rates take effect.")]
    values: dict[str, Decimal] = {}
    for tier in TIER_FIELDS:
        amount = _decimal(tiers.get(tier))
        if amount is None or amount < 0:
            errors[tier] = [_("Enter a monthly rate of 0 or more, e.g. 512.40.")]
        else:
            values[tier] = rules.cents(amount)
    if set(tiers) - set(TIER_FIELDS):
        errors["__all__"] = [_("Unknown coverage tier.")]
    if errors:
        raise ValidationError(errors)
    rate, _created = PlanRate.objects.update_or_create(
        plan=plan, effective_on=effective_on, defaults={"alliance_id": plan.alliance_id, **values}
    )
    log_action(
        actor=acting_user, action="benefits.rates_set", target=plan, alliance=plan.alliance,
        summary=f"Rates of {plan} from {effective_on}", data={k: str(v) for k, v in values.items()},
    )  # fmt: skip
    return rate


@transaction.atomic
def save_plan_year(
    *,
    acting_user: User,
    alliance: Alliance,
    plan_year: PlanYear | None = None,
    name: str,
    starts_on: date,
    ends_on: date,
    enrollment_opens_on: date,
    enrollment_closes_on: date,
) -> PlanYear:
    """A coverage year with its open-enrollment window; years of an alliance never overlap."""
    errors: Errors = {}
    if not (name or "").strip():
        errors["name"] = [_("Enter a name, e.g. 2027.")]
    if ends_on <= starts_on:
        errors["ends_on"] = [_("Coverage must end after it starts.")]
    if enrollment_closes_on < enrollment_opens_on:
        errors["enrollment_closes_on"] = [_("Open enrollment must close after it opens.")]
    elif enrollment_opens_on > ends_on:
        errors["enrollment_opens_on"] = [_("Open enrollment must open before coverage ends.")]
    overlap = PlanYear.objects.filter(
        alliance=alliance, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if plan_year is not None:
        overlap = overlap.exclude(pk=plan_year.pk)
    if "ends_on" not in errors and overlap.exists():
        errors["starts_on"] = [_("These dates overlap another plan year; adjust them.")]
    if errors:
        raise ValidationError(errors)
    fields = {
        "name": name.strip(),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "enrollment_opens_on": enrollment_opens_on,
        "enrollment_closes_on": enrollment_closes_on,
    }
    if plan_year is None:
        plan_year = PlanYear.objects.create(alliance=alliance, **fields)
        data: dict = {k: str(v) for k, v in fields.items()}
    else:
        data = changes(plan_year, fields)
        if data:
            plan_year.save(update_fields=list(data))
    log_action(
        actor=acting_user, action="benefits.plan_year_saved", target=plan_year,
        alliance=alliance, summary=plan_year.name, data=data,
    )  # fmt: skip
    return plan_year


def check_policy(
    *,
    contribution_kind: str,
    contribution_value: Any,
    contribution_cap: Any = None,
    min_hours: Any = Decimal(30),
    waiting_days: Any = 60,
    eligible_roles: list[str] | None = None,
) -> Errors:
    """Field problems of a contribution and eligibility rule (empty when sound)."""
    errors: Errors = {}
    value, cap = _decimal(contribution_value), _decimal(contribution_cap)
    if contribution_kind not in ContributionKind.values:
        errors["contribution_kind"] = [_("Choose how the employer contributes.")]
    if value is None:
        errors["contribution_value"] = [_("Enter an amount or a percent, e.g. 75.")]
    else:
        found = rules.check_contribution(contribution_kind, value, cap)
        if found.get("contribution_value") == "negative":
            errors["contribution_value"] = [_("The contribution cannot be negative.")]
        elif found.get("contribution_value") == "over_100":
            errors["contribution_value"] = [
                _("A percent contribution must be between 0 and 100; enter 100 or less.")
            ]
        if found.get("contribution_cap"):
            errors["contribution_cap"] = [_("The cap cannot be negative; leave it empty for none.")]
    if contribution_cap not in (None, "") and cap is None:
        errors["contribution_cap"] = [_("Enter the cap as an amount, e.g. 400.00.")]
    hours = _decimal(min_hours)
    if hours is None or hours < 0 or hours > 80:
        errors["min_hours"] = [_("Enter the minimum hours per week, 0 to 80.")]
    try:
        days = int(waiting_days)
    except (TypeError, ValueError):
        days = -1
    if days < 0 or days > 365:
        errors["waiting_days"] = [_("Enter a waiting period of 0 to 365 days.")]
    unknown = set(eligible_roles or []) - set(StaffRole.values)
    if unknown:
        errors["eligible_roles"] = [_("Choose roles from the list.")]
    return errors


@transaction.atomic
def set_policy(
    *,
    acting_user: User,
    program: Program,
    plan: Plan,
    contribution_kind: str,
    contribution_value: Decimal,
    contribution_cap: Decimal | None = None,
    min_hours: Decimal = Decimal(30),
    waiting_days: int = 60,
    eligible_roles: list[str] | None = None,
    offered: bool = True,
) -> MemberPolicy:
    """The member's contribution to ``plan`` and who is eligible. A percent above 100 or a
    negative amount is refused. For a retirement plan the contribution is unused (the
    plan's match applies); eligibility still does."""
    if plan.alliance_id != program.alliance_id:
        raise ValidationError({"plan": [_("This plan is not offered in your alliance.")]})
    errors = check_policy(
        contribution_kind=contribution_kind, contribution_value=contribution_value,
        contribution_cap=contribution_cap, min_hours=min_hours, waiting_days=waiting_days,
        eligible_roles=eligible_roles,
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    fields = {
        "contribution_kind": contribution_kind,
        "contribution_value": rules.cents(_decimal(contribution_value)),
        "contribution_cap": rules.cents(_decimal(contribution_cap))
        if _decimal(contribution_cap) is not None
        else None,
        "min_hours": _decimal(min_hours),
        "waiting_days": int(waiting_days),
        "eligible_roles": sorted(eligible_roles or []),
        "offered": offered,
    }
    policy = MemberPolicy.objects.filter(program=program, plan=plan).first()
    if policy is None:
        policy = MemberPolicy.objects.create(program=program, plan=plan, **fields)
        data: dict = {k: str(v) for k, v in fields.items()}
    else:
        data = changes(policy, fields)
        if data:
            policy.save(update_fields=[*data, "updated_at"])
    log_action(
        actor=acting_user, action="benefits.policy_set", target=policy,
        alliance=program.alliance, program=program, summary=f"Policy for {plan}", data=data,
    )  # fmt: skip
    return policy


def settings_of(program: Program) -> BenefitSettings:
    """The member's settings, unsaved defaults when it never changed them."""
    found = BenefitSettings.objects.filter(program=program).first()
    return found or BenefitSettings(program=program)


@transaction.atomic
def set_pay_frequency(
    *, acting_user: User, program: Program, pay_frequency: str
) -> BenefitSettings:
    if pay_frequency not in PayFrequency.values:
        raise ValidationError({"pay_frequency": [_("Choose how often your staff are paid.")]})
    settings, _created = BenefitSettings.objects.update_or_create(
        program=program, defaults={"pay_frequency": pay_frequency}
    )
    log_action(
        actor=acting_user, action="benefits.settings_set", target=settings,
        alliance=program.alliance, program=program, summary=f"Pay frequency {pay_frequency}",
    )  # fmt: skip
    return settings


@transaction.atomic
def save_quote(
    *,
    acting_user: User,
    program: Program,
    kind: str,
    quoted_on: date,
    carrier: str = "",
    **tiers: Decimal,
) -> StandaloneQuote:
    """The monthly rates the member was quoted on its own, for comparison with the pool."""
    errors: Errors = {}
    if kind not in (PlanKind.HEALTH, PlanKind.DENTAL, PlanKind.VISION):
        errors["kind"] = [_("Choose health, dental or vision.")]
    values: dict[str, Decimal] = {}
    for tier in TIER_FIELDS:
        amount = _decimal(tiers.get(tier))
        if amount is None or amount < 0:
            errors[tier] = [_("Enter a monthly rate of 0 or more, e.g. 512.40.")]
        else:
            values[tier] = rules.cents(amount)
    if errors:
        raise ValidationError(errors)
    quote, _created = StandaloneQuote.objects.update_or_create(
        program=program, kind=kind,
        defaults={"quoted_on": quoted_on, "carrier": (carrier or "").strip(), **values},
    )  # fmt: skip
    log_action(
        actor=acting_user, action="benefits.quote_saved", target=quote,
        alliance=program.alliance, program=program, summary=f"Stand-alone {kind} quote",
        data={k: str(v) for k, v in values.items()},
    )  # fmt: skip
    return quote
