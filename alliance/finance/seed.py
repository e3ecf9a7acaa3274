"""Demo finance: the alliance's default targets; for Little Learners a cost-of-care model
imported from its records (plus rent, food, supplies, insurance and a CCAP share), its own
stretch enrollment target and two saved what-if scenarios."""

from __future__ import annotations

from decimal import Decimal

from alliance.finance import costing, services
from alliance.seed.registry import SeedContext, register_step

DEMO_COSTS = {
    "rent": "54000",
    "food": "21000",
    "supplies": "9000",
    "insurance": "7500",
    "other": "6000",
}


def seed_finance(ctx: SeedContext) -> dict[str, int]:
    hub = ctx.hub
    services.save_targets(
        acting_user=hub,
        alliance=ctx.alliance,
        program=None,
        values={"enrollment": "95", "collection": "97", "bad_debt": "3", "dso": "30"},
    )
    if not ctx.is_demo or not ctx.programs:
        return {"targets": 1}
    program = ctx.program(0)
    director = ctx.directors.get(program.pk, hub)
    # The director's own stretch goal: a full house every day.
    services.save_targets(
        acting_user=director,
        alliance=ctx.alliance,
        program=program,
        values={"enrollment": "98", "collection": "97", "bad_debt": "3", "dso": "30"},
    )
    inputs = costing.from_records(program, ctx.today)
    inputs["costs"] = dict(DEMO_COSTS)
    inputs["food_program_annual"] = "14500"
    for i, room in enumerate(inputs["rooms"]):
        room["ccap_percent"] = str(20 + 10 * (i % 3))
    tuition = inputs["weekly_tuition"]
    for group, weekly in (
        ("infant", "385"),
        ("toddler", "345"),
        ("preschool", "295"),
        ("school_age", "210"),
    ):
        if Decimal(tuition.get(group) or 0) == 0:
            tuition[group] = weekly
    if not inputs["rooms"]:
        return {"targets": 2}
    services.save_cost_model(acting_user=director, program=program, inputs=inputs)
    services.save_scenario(
        acting_user=director, program=program, name="Raise wages 8%", wage_raise_percent=Decimal(8)
    )
    from alliance.finance import sources

    if sources.purchasing_savings_percent(ctx.alliance.pk) is not None:
        services.save_scenario(
            acting_user=director,
            program=program,
            name="Join group purchasing",
            join_purchasing=True,
        )
    else:
        first = inputs["rooms"][0]["name"]
        services.save_scenario(
            acting_user=director,
            program=program,
            name="Infant room",
            age_group_changes={first: "infant"},
        )
    return {"targets": 2, "cost models": 1, "scenarios": 2}


register_step("finance", seed_finance)
