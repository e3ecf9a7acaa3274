"""Reads of finance's own records: targets in force, the cost model, saved scenarios."""

from __future__ import annotations

from django.db.models import QuerySet

from alliance.finance.models import CostModel, Scenario, Targets
from alliance.members.models import Alliance, Program
from alliance.rules import finance as rules


def _as_rules(row: Targets | None) -> rules.Targets:
    if row is None:
        return rules.Targets()
    return rules.Targets(
        enrollment=row.enrollment, collection=row.collection, bad_debt=row.bad_debt, dso=row.dso
    )


def alliance_default(alliance: Alliance | int) -> Targets | None:
    alliance_id = alliance if isinstance(alliance, int) else alliance.pk
    return Targets.objects.filter(alliance_id=alliance_id, program__isnull=True).first()


def own_targets(program: Program) -> Targets | None:
    return Targets.objects.filter(alliance_id=program.alliance_id, program=program).first()


def targets_for(program: Program) -> rules.Targets:
    """The program's own targets, else its alliance's defaults, else 95% / 97% / 3% / 30."""
    rows = {
        t.program_id: t
        for t in Targets.objects.filter(alliance_id=program.alliance_id).filter(
            program__isnull=True
        )
        | Targets.objects.filter(alliance_id=program.alliance_id, program=program)
    }
    return _as_rules(rows.get(program.pk) or rows.get(None))


def targets_by_program(alliance: Alliance, programs: list[Program]) -> dict[int, rules.Targets]:
    """Every program's targets in force (one query)."""
    rows = {t.program_id: t for t in Targets.objects.filter(alliance=alliance)}
    default = rows.get(None)
    return {p.pk: _as_rules(rows.get(p.pk) or default) for p in programs}


def cost_model_of(program: Program) -> CostModel | None:
    return CostModel.objects.filter(program=program).first()


def scenarios_of(program: Program) -> QuerySet[Scenario]:
    return Scenario.objects.filter(program=program).order_by("created_at", "pk")
