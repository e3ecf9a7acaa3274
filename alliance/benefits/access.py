"""Scoped lookups of benefits records that 404 alike for "missing" and "not yours"."""

from __future__ import annotations

from alliance.benefits.models import Dependent, LifeEvent, Plan
from alliance.core.access import first_or_404
from alliance.members.models import Program
from alliance.staffing.models import StaffMember


def access_plan(alliance_id: int, plan_id: int) -> Plan:
    return first_or_404(Plan.objects.filter(alliance_id=alliance_id, pk=plan_id))


def access_offered_plan(program: Program, plan_id: int) -> Plan:
    """A plan of the program's alliance (directors set policies on any of them)."""
    return first_or_404(
        Plan.objects.filter(alliance_id=program.alliance_id, pk=plan_id, is_active=True)
    )


def access_staff(program: Program, staff_id: int) -> StaffMember:
    return first_or_404(
        StaffMember.objects.select_related("program__alliance", "user").filter(
            program=program, pk=staff_id
        )
    )


def access_life_event(staff: StaffMember, event_id: int) -> LifeEvent:
    return first_or_404(LifeEvent.objects.filter(staff=staff, pk=event_id))


def program_dependents(program: Program, ids: list[int]) -> list[Dependent]:
    """The named dependents of this program (the election service checks whose they are)."""
    return list(Dependent.objects.filter(program=program, pk__in=ids))
