"""Live figures for the community challenge board: the share of member programs' directors
and staff who have met their yearly training hours."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import Role
from alliance.core.policy import RoleKind
from alliance.members.models import Alliance, ProgramKind
from alliance.rules import training as rules
from alliance.training.queries import attended


def _job_roles(alliance: Alliance) -> dict[tuple[int, int], str]:
    """(program id, person id) → job role from current staff records (one query)."""
    try:
        model = apps.get_model("staffing", "StaffMember")
    except LookupError:
        return {}
    rows = model.objects.filter(
        program__alliance=alliance, user__isnull=False, separated_on__isnull=True
    ).values_list("program_id", "user_id", "role")
    return {(program_id, user_id): role for program_id, user_id, role in rows if role}


def figures(alliance: Alliance) -> list[tuple[str, str]]:
    """Directors and staff meeting this year's required hours (three queries); nothing
    when the alliance has no directors or staff."""
    state = alliance.state if alliance.state in rules.states() else "NJ"
    people: dict[int, tuple[bool, str]] = {}
    job_roles = _job_roles(alliance)
    for user_id, kind, program_id, program_kind in Role.objects.filter(
        program__alliance=alliance, kind__in=[RoleKind.DIRECTOR, RoleKind.STAFF]
    ).values_list("user_id", "kind", "program_id", "program__kind"):
        if user_id in people and kind != RoleKind.DIRECTOR:
            continue
        role = job_roles.get((program_id, user_id), str(kind))
        people[user_id] = (program_kind == ProgramKind.FAMILY_HOME, role)
    if not people:
        return []
    year = timezone.localdate().year
    sessions: dict[int, list[tuple[Decimal, bool]]] = defaultdict(list)
    for person_id, hours, orientation in attended(alliance, list(people), year).values_list(
        "person_id", "session__hours", "session__course__is_orientation"
    ):
        sessions[person_id].append((hours, orientation))
    met = sum(
        1
        for pid, (family_home, role) in people.items()
        if rules.progress(
            rules.requirement_for(state, family_home=family_home, role=role), sessions[pid]
        ).met
    )
    return [
        (
            _("Staff meeting yearly training hours"),
            f"{round(100 * met / len(people))}% ({met}/{len(people)})",
        )
    ]
