"""The audited way to reach one finance record: a scoped lookup that 404s alike for
"missing" and "not yours"."""

from __future__ import annotations

from alliance.core.access import first_or_404
from alliance.finance.models import Scenario
from alliance.members.models import Program


def access_scenario(program: Program, scenario_id: int) -> Scenario:
    return first_or_404(
        Scenario.objects.select_related("program__alliance").filter(program=program, pk=scenario_id)
    )
