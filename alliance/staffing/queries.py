"""Reads for staffing: credentials (shared with the substitute pool), staff records,
compliance and retention figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from alliance.members.models import Program
from alliance.staffing.models import Credential, ScheduleBlock, StaffMember
from alliance.staffing.requirements import (
    EXPIRING,
    LAPSED,
    MISSING,
    OK,
    Held,
    Requirement,
    evaluate,
    is_valid,
    requirements_for,
    room_requirements,
)


def valid_credential_kinds(person_ids: Iterable[int], on: date) -> dict[int, set[str]]:
    """For each person, the kinds of credential valid on ``on`` (one query)."""
    ids = list(person_ids)
    result: dict[int, set[str]] = {pid: set() for pid in ids}
    rows = (
        Credential.objects.filter(person_id__in=ids, issued_on__lte=on)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
        .values_list("person_id", "kind")
    )
    for person_id, kind in rows:
        result[person_id].add(kind)
    return result


# --- staff records --------------------------------------------------------------------------


def staff_of(program: Program, *, current: bool = True) -> QuerySet[StaffMember]:
    """The program's staff: current ones, or (``current=False``) those who left."""
    rows = StaffMember.objects.filter(program=program).select_related("user")
    if current:
        return rows.filter(separated_on__isnull=True)
    return rows.filter(separated_on__isnull=False).order_by("-separated_on", "pk")


def credentials_by_staff(staff: list[StaffMember]) -> dict[int, list[Credential]]:
    """Each staff member's credentials (through their account or their record), one query."""
    by_user = {s.user_id: s.pk for s in staff if s.user_id}
    result: dict[int, list[Credential]] = {s.pk: [] for s in staff}
    if not staff:
        return result
    rows = Credential.objects.filter(
        Q(person_id__in=list(by_user)) | Q(staff_id__in=[s.pk for s in staff])
    ).order_by("kind", "-issued_on")
    for credential in rows:
        owner = by_user.get(credential.person_id) if credential.person_id else credential.staff_id
        if owner in result:
            result[owner].append(credential)
    return result


def held_of(credentials: list[Credential]) -> list[Held]:
    return [Held(c.kind, c.issued_on, c.expires_on) for c in credentials]


REQUIREMENT_LABELS = {
    "cari": _("Child abuse record check (CARI)"),
    "fingerprints": _("Fingerprints (CHRI)"),
    "tb_test": _("TB test"),
    "physical": _("Medical exam"),
    "orientation": _("Orientation training"),
    "cpr_first_aid": _("CPR and First Aid"),
    "qualification": _("CDA or early childhood degree"),
}


@dataclass(frozen=True)
class Finding:
    requirement: Requirement
    status: str
    credential: Held | None
    days_left: int | None

    @property
    def label(self) -> str:
        return str(REQUIREMENT_LABELS.get(self.requirement.key, self.requirement.key))


@dataclass
class StaffCompliance:
    staff: StaffMember
    findings: list[Finding]

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if f.status != OK]

    def count(self, status: str) -> int:
        return sum(1 for f in self.findings if f.status == status)


def compliance_of(
    staff: StaffMember, credentials: list[Credential], state: str, today: date
) -> StaffCompliance:
    held = held_of(credentials)
    findings = []
    for requirement in requirements_for(state, staff.role):
        status, best, days_left = evaluate(requirement, held, today)
        findings.append(Finding(requirement, status, best, days_left))
    return StaffCompliance(staff, findings)


@dataclass
class ProgramCompliance:
    rows: list[StaffCompliance]
    rooms_without: list[tuple[str, str]]  # (classroom name, requirement key)

    def total(self, status: str) -> int:
        return sum(row.count(status) for row in self.rows)

    @property
    def total_missing(self) -> int:
        return self.total(MISSING)

    @property
    def total_lapsed(self) -> int:
        return self.total(LAPSED)

    @property
    def total_expiring(self) -> int:
        return self.total(EXPIRING)


def program_compliance(program: Program, today: date) -> ProgramCompliance:
    """Every current staff member against the state's rules, and rooms where nobody
    scheduled holds a credential every room needs (CPR/First Aid in NJ). Four queries."""
    staff = list(staff_of(program))
    creds = credentials_by_staff(staff)
    state = program.alliance.state
    rows = [compliance_of(s, creds[s.pk], state, today) for s in staff]
    rooms_without: list[tuple[str, str]] = []
    rules = room_requirements(state)
    if rules:
        scheduled: dict[int, set[int]] = defaultdict(set)
        names: dict[int, str] = {}
        for block in ScheduleBlock.objects.filter(
            program=program, staff__separated_on__isnull=True, classroom__is_active=True
        ).select_related("classroom"):
            scheduled[block.classroom_id].add(block.staff_id)
            names[block.classroom_id] = block.classroom.name
        for room_id, staff_ids in scheduled.items():
            for rule in rules:
                if not any(
                    is_valid(held_of(creds.get(s, [])), rule.kinds, today) for s in staff_ids
                ):
                    rooms_without.append((names[room_id], rule.key))
        rooms_without.sort()
    return ProgramCompliance(rows, rooms_without)


# --- retention ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Retention:
    headcount: int  # current staff today
    separations: int  # left within the period
    turnover_pct: Decimal | None  # separations / average headcount, in %
    average_tenure_years: Decimal | None  # current staff


def retention_figures(
    rows: list[tuple[date, date | None]], today: date, days: int = 365
) -> Retention:
    """Turnover over the ``days`` before ``today`` and tenure of current staff, from
    (hire date, separation date) pairs. Average headcount = (start + end) / 2."""
    start = today - timedelta(days=days)

    def employed(on: date) -> int:
        return sum(1 for hired, left in rows if hired <= on and (left is None or left >= on))

    current = [
        (hired, left) for hired, left in rows if hired <= today and (left is None or left >= today)
    ]
    separations = sum(1 for _h, left in rows if left is not None and start < left <= today)
    average = Decimal(employed(start) + employed(today)) / 2
    turnover = (
        (Decimal(separations) * 100 / average).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if average
        else None
    )
    tenure = (
        (
            Decimal(sum((today - hired).days for hired, _l in current))
            / len(current)
            / Decimal("365.25")
        ).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if current
        else None
    )
    return Retention(len(current), separations, turnover, tenure)


def program_retention(program: Program, today: date) -> Retention:
    rows = list(
        StaffMember.objects.filter(program=program).values_list("hire_date", "separated_on")
    )
    return retention_figures(rows, today)


def alliance_retention(
    alliance_id: int, today: date
) -> tuple[Retention, list[tuple[str, Retention]]]:
    """The alliance's figures and each member program's (one query). Call in alliance scope."""
    per_program: dict[str, list[tuple[date, date | None]]] = defaultdict(list)
    everyone: list[tuple[date, date | None]] = []
    for name, hired, left in StaffMember.objects.filter(
        program__alliance_id=alliance_id
    ).values_list("program__name", "hire_date", "separated_on"):
        per_program[name].append((hired, left))
        everyone.append((hired, left))
    programs = [
        (name, retention_figures(rows, today)) for name, rows in sorted(per_program.items())
    ]
    return retention_figures(everyone, today), programs


def own_record(program: Program, user) -> StaffMember | None:
    """The signed-in person's current record here: by account, else (not linked yet) by
    the email the director entered."""
    current = StaffMember.objects.filter(program=program, separated_on__isnull=True)
    mine = current.filter(user=user).first()
    if mine is None and user.email:
        mine = current.filter(user__isnull=True, email__iexact=user.email).first()
    return mine
