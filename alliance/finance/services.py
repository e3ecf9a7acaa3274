"""Every change to finance's records: targets, the cost-of-care model and scenarios. Each
service is atomic, validates everything before writing and records who did it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.audit import log_action
from alliance.finance import costing, sources
from alliance.finance.models import CostModel, Scenario, Targets
from alliance.members.models import Alliance, Program
from alliance.rules import finance as rules

LIMITS = {
    "enrollment": (Decimal(1), Decimal(100)),
    "collection": (Decimal(1), Decimal(100)),
    "bad_debt": (Decimal(0), Decimal(100)),
    "dso": (Decimal(1), Decimal(365)),
}


def _clean_targets(values: dict) -> dict[str, Decimal]:
    errors, out = {}, {}
    for key, (low, high) in LIMITS.items():
        try:
            number = Decimal(str(values[key]))
            if not number.is_finite():
                raise InvalidOperation
        except (KeyError, InvalidOperation, ValueError):
            errors[key] = _("Enter a number.")
            continue
        if not low <= number <= high:
            errors[key] = _("Enter a value from %(low)s to %(high)s.") % {"low": low, "high": high}
        out[key] = number.quantize(Decimal("0.1"))
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def save_targets(
    *, acting_user, alliance: Alliance, program: Program | None, values: dict
) -> Targets:
    """Set the program's own targets (``program``) or the alliance's defaults (None)."""
    clean = _clean_targets(values)
    row = Targets.objects.filter(alliance=alliance, program=program).first()
    if row is None:
        row = Targets(alliance=alliance, program=program)
    for key, value in clean.items():
        setattr(row, key, value)
    row.updated_by = acting_user
    row.save()
    log_action(
        actor=acting_user,
        action="finance.targets_saved",
        target=row,
        alliance=alliance,
        program=program,
        data={k: str(v) for k, v in clean.items()},
    )
    return row


@transaction.atomic
def save_cost_model(*, acting_user, program: Program, inputs: dict) -> CostModel:
    """Validate and store the program's cost-of-care model. Any impossible value (negative
    wage, zero capacity …) raises a ValidationError naming the field; nothing is saved."""
    clean, errors = costing.clean_inputs(inputs)
    if errors:
        raise ValidationError(errors)
    model = CostModel.objects.filter(program=program).first() or CostModel(program=program)
    model.inputs = clean
    model.updated_by = acting_user
    model.save()
    log_action(
        actor=acting_user,
        action="finance.cost_model_saved",
        target=model,
        alliance=program.alliance,
        program=program,
        summary=_("%(n)s classrooms, %(p)s positions")
        % {"n": len(clean["rooms"]), "p": len(clean["positions"])},
    )
    return model


@transaction.atomic
def import_cost_model(*, acting_user, program: Program, today: date | None = None) -> CostModel:
    """Replace the model's classrooms, positions, benefits and tuition with the program's
    own records, keeping the non-personnel costs and other revenue already entered."""
    today = today or timezone.localdate()
    imported = costing.from_records(program, today)
    current = CostModel.objects.filter(program=program).first()
    if current is not None:
        for key in ("costs", "payroll_tax_percent", "food_program_annual", "other_revenue_annual"):
            if key in current.inputs:
                imported[key] = current.inputs[key]
    if not imported["rooms"]:
        raise ValidationError(
            {
                "rooms": _(
                    "Your program has no classroom with staffed capacity to import; add "
                    "classrooms in the program profile first."
                )
            }
        )
    model = save_cost_model(acting_user=acting_user, program=program, inputs=imported)
    model.imported_at = timezone.now()
    model.save(update_fields=["imported_at"])
    return model


def _clean_scenario(
    program: Program, name: str, wage_raise_percent, age_group_changes, own_pk: int | None
) -> tuple:
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Name the scenario, e.g. Raise wages 5%.")
    elif len(name) > 80:
        errors["name"] = _("Keep the name under 80 characters.")
    try:
        raise_pct = Decimal(str(wage_raise_percent or 0))
        if not raise_pct.is_finite():
            raise InvalidOperation
        if not Decimal(-50) <= raise_pct <= Decimal(200):
            errors["wage_raise_percent"] = _("Enter a raise from -50 to 200 percent.")
    except (InvalidOperation, ValueError):
        errors["wage_raise_percent"] = _("Enter a percentage, e.g. 5.")
        raise_pct = Decimal(0)
    model = CostModel.objects.filter(program=program).first()
    if model is None:
        errors["name"] = _("Enter the cost-of-care model before adding scenarios.")
    rooms = {r["name"] for r in (model.inputs.get("rooms", []) if model else [])}
    changes = {}
    for room, group in (age_group_changes or {}).items():
        if not group:
            continue
        if room not in rooms:
            errors["age_group_changes"] = _("No classroom is named %(name)s in the model.") % {
                "name": room
            }
        elif group not in rules.AGE_GROUPS:
            errors["age_group_changes"] = _("Choose one of the age groups.")
        else:
            changes[room] = group
    taken = Scenario.objects.filter(program=program, name=name).exclude(pk=own_pk)
    if name and taken.exists():
        errors["name"] = _("A scenario with this name exists; choose another name.")
    if errors:
        raise ValidationError(errors)
    return name, raise_pct.quantize(Decimal("0.1")), changes


@transaction.atomic
def save_scenario(
    *,
    acting_user,
    program: Program,
    name: str,
    wage_raise_percent: Decimal | str | int = 0,
    age_group_changes: dict[str, str] | None = None,
    join_purchasing: bool = False,
    scenario: Scenario | None = None,
) -> Scenario:
    """Save a what-if (new, or ``scenario`` changed). Joining group purchasing records the
    alliance's measured savings at the time, so the comparison stays reproducible."""
    name, raise_pct, changes = _clean_scenario(
        program, name, wage_raise_percent, age_group_changes, scenario.pk if scenario else None
    )
    savings = sources.purchasing_savings_percent(program.alliance_id) if join_purchasing else None
    if join_purchasing and savings is None:
        raise ValidationError(
            {"join_purchasing": _("The alliance has no measured purchasing savings yet.")}
        )
    row = scenario or Scenario(program=program, created_by=acting_user)
    row.name = name
    row.wage_raise_percent = raise_pct
    row.age_group_changes = changes
    row.join_purchasing = join_purchasing
    row.purchasing_savings_percent = savings
    row.save()
    log_action(
        actor=acting_user,
        action="finance.scenario_saved",
        target=row,
        alliance=program.alliance,
        program=program,
        summary=name,
    )
    return row


@transaction.atomic
def delete_scenario(*, acting_user, scenario: Scenario) -> None:
    program = scenario.program
    log_action(
        actor=acting_user,
        action="finance.scenario_deleted",
        target=scenario,
        alliance=program.alliance,
        program=program,
        summary=scenario.name,
    )
    scenario.delete()
