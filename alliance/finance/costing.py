"""The cost-of-care model between its stored inputs (JSON of strings) and the pure formulas in
:mod:`alliance.rules.finance`: validation with field-named errors, CCAP rates from the rules
package, import from the program's own records and what-if scenarios."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from alliance.finance import sources
from alliance.finance.models import Scenario
from alliance.members.models import Program, ProgramKind
from alliance.rules import ccap
from alliance.rules import finance as rules

COST_KEYS = ("rent", "food", "supplies", "insurance", "other")
MONEY_KEYS = ("benefits_annual", "food_program_annual", "other_revenue_annual")


def cost_labels() -> dict[str, str]:
    return {
        "rent": _("Rent or mortgage"),
        "food": _("Food"),
        "supplies": _("Supplies"),
        "insurance": _("Insurance"),
        "other": _("Other costs"),
    }


def age_group_labels() -> dict[str, str]:
    return {
        "infant": _("Infants (under 18 months)"),
        "toddler": _("Toddlers (18–30 months)"),
        "preschool": _("Preschool (30–60 months)"),
        "school_age": _("School age (60+ months)"),
    }


def _decimal(
    value,
    errors: dict,
    key: str,
    *,
    low: Decimal | None = None,
    high: Decimal | None = None,
    message: str = "",
) -> Decimal:
    try:
        number = Decimal(str(value if value not in (None, "") else "0").strip())
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors[key] = _("Enter a number, e.g. 12.50.")
        return Decimal(0)
    if (low is not None and number < low) or (high is not None and number > high):
        errors[key] = message
    return number


def clean_inputs(raw: dict) -> tuple[dict, dict[str, str]]:
    """Normalise the model's inputs and name every impossible value: ``(inputs, errors)``.
    Error keys are the form's field names (``rooms-0-capacity``, ``benefits_annual`` …)."""
    errors: dict[str, str] = {}
    rooms, names = [], set()
    for i, room in enumerate(raw.get("rooms") or []):
        key = f"rooms-{i}"
        name = str(room.get("name") or "").strip()
        if not name:
            errors[f"{key}-name"] = _("Give the classroom a name.")
        elif name in names:
            errors[f"{key}-name"] = _("Two classrooms are named %(name)s; use distinct names.") % {
                "name": name
            }
        names.add(name)
        group = room.get("age_group")
        if group not in rules.AGE_GROUPS:
            errors[f"{key}-age_group"] = _("Choose the classroom's age group.")
        try:
            capacity = int(str(room.get("capacity") or "0"))
        except ValueError:
            capacity = 0
        if capacity < 1:
            errors[f"{key}-capacity"] = _(
                "Staffed capacity must be at least 1 child; remove the classroom if it is closed."
            )
        fte = _decimal(
            room.get("enrolled_fte"),
            errors,
            f"{key}-enrolled_fte",
            low=Decimal(0),
            high=Decimal(max(capacity, 0)),
            message=_("Enrolled FTE must be between 0 and the staffed capacity."),
        )
        share = _decimal(
            room.get("ccap_percent"),
            errors,
            f"{key}-ccap_percent",
            low=Decimal(0),
            high=Decimal(100),
            message=_("The CCAP share is a percentage from 0 to 100."),
        )
        rooms.append(
            {
                "name": name,
                "age_group": group,
                "capacity": capacity,
                "enrolled_fte": str(fte),
                "ccap_percent": str(share),
            }
        )
    positions = []
    for i, pos in enumerate(raw.get("positions") or []):
        key = f"positions-{i}"
        title = str(pos.get("title") or "").strip()
        if not title:
            errors[f"{key}-title"] = _("Name the position, e.g. Lead teacher.")
        room = str(pos.get("room") or "").strip()
        if room and room not in names:
            errors[f"{key}-room"] = _("No classroom is named %(name)s in this model.") % {
                "name": room
            }
        count = _decimal(
            pos.get("count"),
            errors,
            f"{key}-count",
            low=Decimal("0.1"),
            message=_("How many people hold this position? At least 0.1."),
        )
        wage = _decimal(
            pos.get("hourly_wage"),
            errors,
            f"{key}-hourly_wage",
            low=Decimal(0),
            high=Decimal(500),
            message=_("The hourly wage cannot be negative (or over $500)."),
        )
        hours = _decimal(
            pos.get("hours_per_week"),
            errors,
            f"{key}-hours_per_week",
            low=Decimal(0),
            high=Decimal(80),
            message=_("Hours per week must be between 0 and 80."),
        )
        positions.append(
            {
                "title": title,
                "room": room,
                "count": str(count),
                "hourly_wage": str(rules.money(wage)),
                "hours_per_week": str(hours),
            }
        )
    tuition = {}
    for group in rules.AGE_GROUPS:
        value = (raw.get("weekly_tuition") or {}).get(group)
        tuition[group] = str(
            rules.money(
                _decimal(
                    value,
                    errors,
                    f"tuition_{group}",
                    low=Decimal(0),
                    message=_("Tuition cannot be negative."),
                )
            )
        )
    costs = {}
    for cost in COST_KEYS:
        costs[cost] = str(
            rules.money(
                _decimal(
                    (raw.get("costs") or {}).get(cost),
                    errors,
                    f"cost_{cost}",
                    low=Decimal(0),
                    message=_("Costs cannot be negative; enter 0 if there is none."),
                )
            )
        )
    out = {"rooms": rooms, "positions": positions, "weekly_tuition": tuition, "costs": costs}
    out["payroll_tax_percent"] = str(
        _decimal(
            raw.get("payroll_tax_percent", "10"),
            errors,
            "payroll_tax_percent",
            low=Decimal(0),
            high=Decimal(50),
            message=_("Payroll taxes are a percentage from 0 to 50."),
        )
    )
    for key in MONEY_KEYS:
        out[key] = str(
            rules.money(
                _decimal(raw.get(key), errors, key, low=Decimal(0), message=_("Enter 0 or more."))
            )
        )
    if not rooms and "rooms" not in errors:
        errors["rooms"] = _("Add at least one classroom.")
    return out, errors


def ccap_rates(program: Program, on: date) -> dict[str, Decimal]:
    """CCAP full-time weekly rates per age group for the program's provider type and star
    rating, from the rules package; empty when no rate table is in force."""
    provider = "registered_fcc" if program.kind == ProgramKind.FAMILY_HOME else "licensed_center"
    stars = program.quality_rating if program.quality_rating in ccap.STAR_RATINGS else 0
    out = {}
    for group in rules.AGE_GROUPS:
        try:
            out[group] = ccap.weekly_rate(
                provider_type=provider, schedule="full", star_rating=stars, age_group=group, on=on
            )
        except (ccap.CcapDataMissing, ValueError, KeyError):
            continue
    return out


def to_rules(inputs: dict, ccap_weekly: dict[str, Decimal]) -> rules.CostModelInput:
    return rules.CostModelInput(
        rooms=[
            rules.ModelRoom(
                name=r["name"],
                age_group=r["age_group"],
                capacity=r["capacity"],
                enrolled_fte=Decimal(r["enrolled_fte"]),
                ccap_percent=Decimal(r["ccap_percent"]),
            )
            for r in inputs.get("rooms", [])
        ],
        positions=[
            rules.ModelPosition(
                title=p["title"],
                room=p["room"],
                count=Decimal(p["count"]),
                hourly_wage=Decimal(p["hourly_wage"]),
                hours_per_week=Decimal(p["hours_per_week"]),
            )
            for p in inputs.get("positions", [])
        ],
        weekly_tuition={k: Decimal(v) for k, v in inputs.get("weekly_tuition", {}).items()},
        weekly_ccap=ccap_weekly,
        payroll_tax_percent=Decimal(inputs.get("payroll_tax_percent", "10")),
        benefits_annual=Decimal(inputs.get("benefits_annual", "0")),
        costs_annual={k: Decimal(v) for k, v in inputs.get("costs", {}).items()},
        food_program_annual=Decimal(inputs.get("food_program_annual", "0")),
        other_revenue_annual=Decimal(inputs.get("other_revenue_annual", "0")),
    )


def from_records(program: Program, today: date) -> dict:
    """Model inputs built from the program's own records: classrooms (staffed capacity,
    enrolled FTE today), staff (role, wage, hours), the employer's benefits cost and the
    age-group tuition rates in force. Costs the records do not hold start at 0."""
    classrooms = [c for c in sources.classrooms_of([program])]
    fte = sources.fte_by_classroom([program], today)
    rooms = [
        {
            "name": c.name,
            "age_group": sources.age_group_of(c.age_min_months),
            "capacity": c.staffed_capacity,
            "enrolled_fte": str(min(fte.get(c.pk, Decimal(0)), Decimal(c.staffed_capacity))),
            "ccap_percent": "0",
        }
        for c in classrooms
        if c.staffed_capacity
    ]
    positions = []
    for s in sources.staff_of(program, today):
        positions.append(
            {
                "title": s.get_role_display(),
                "room": "",
                "count": "1",
                "hourly_wage": str(s.wage),
                "hours_per_week": str(s.hours_per_week),
            }
        )
    benefits = sources.benefits_by_program([program], today).get(program.pk, Decimal(0)) * 12
    tuition = sources.tuition_by_age_group(program, today)
    return {
        "rooms": rooms,
        "positions": positions,
        "weekly_tuition": {g: str(tuition.get(g, Decimal(0))) for g in rules.AGE_GROUPS},
        "costs": {k: "0" for k in COST_KEYS},
        "payroll_tax_percent": "10",
        "benefits_annual": str(rules.money(benefits)),
        "food_program_annual": "0",
        "other_revenue_annual": "0",
    }


@dataclass
class Outcome:
    name: str
    result: rules.ModelResult
    scenario: Scenario | None = None


def evaluate(
    program: Program, inputs: dict, scenarios: list[Scenario], today: date
) -> list[Outcome]:
    """The model as entered, then each saved scenario applied to it (for side by side)."""
    rates = ccap_rates(program, today)
    base = to_rules(inputs, rates)
    out = [Outcome(name=_("Current model"), result=rules.cost_of_care(base))]
    for s in scenarios:
        changed = rules.apply_scenario(
            base,
            wage_raise_percent=s.wage_raise_percent,
            age_group_changes=s.age_group_changes,
            purchasing_savings_percent=s.purchasing_savings_percent if s.join_purchasing else None,
        )
        out.append(Outcome(name=s.name, result=rules.cost_of_care(changed), scenario=s))
    return out
