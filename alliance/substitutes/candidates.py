"""Load what the ranking needs about every substitute of an alliance, for one request.

A fixed number of queries whatever the pool size (profiles with their record's counters,
their programs, windows, days off, credentials, blocks, recent work, shifts held), then
plain Python. The pool is alliance-wide
while a director works inside their program's scope, so these reads run with scopes
disabled and filter on the alliance explicitly.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta
from functools import lru_cache

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    Lookup,
    OuterRef,
    Q,
    QuerySet,
    TextField,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.staffing.models import Credential
from alliance.substitutes.models import (
    AssignmentStatus,
    Availability,
    AvailabilityException,
    ProfileStatus,
    ProgramBlock,
    SubstituteProfile,
    SubstituteRequest,
    Timesheet,
)
from alliance.substitutes.ranking import REQUIRED_CHECKS, Candidate, RequestFacts
from alliance.substitutes.ranking import wanted_qualifications as _wanted

_SQLITE_HOLDS = (
    'EXISTS (SELECT 1 FROM json_each("substitutes_substituteprofile"."qualifications") '
    "WHERE value = %s)"
)

# Up to this many profiles, related rows are read by a list of ids.
BY_ID_LIMIT = 2000


def facts_for(request: SubstituteRequest) -> RequestFacts:
    program = request.program
    classroom = request.classroom
    return RequestFacts(
        program_id=program.pk,
        town=program.town,
        languages=frozenset(program.languages or ()),
        days=tuple(request.days),
        start=request.start,
        end=request.end,
        requirements=frozenset(request.requirements or ()),
        wanted=_wanted(
            classroom.age_min_months if classroom else None,
            classroom.age_max_months if classroom else None,
        ),
        preferred_user_id=request.preferred_id,
    )


def load_candidates(
    *,
    alliance_id: int,
    request: SubstituteRequest,
    user_ids: list[int] | None = None,
    prefilter: bool = True,
) -> list[Candidate]:
    """Every substitute of the alliance (or just ``user_ids``) with the facts for ``request``.

    With ``prefilter`` the database first drops those who cannot be eligible anyway
    (inactive, or without a weekly window covering the shift on one of its weekdays); the
    ranking applies every rule again, so this only saves loading their facts."""
    days = sorted(set(request.days))
    first, last = days[0], days[-1]
    with scopes_disabled():
        profiles = SubstituteProfile.objects.filter(alliance_id=alliance_id)
        if user_ids is not None:
            profiles = profiles.filter(user_id__in=user_ids)
        if prefilter:
            profiles = _could_work(profiles, request)
        rows = list(
            profiles.order_by()
            .annotate(
                # As text: most substitutes share a few lists, each decoded once.
                quals_text=Cast("qualifications", TextField()),
                langs_text=Cast("languages", TextField()),
            )
            .values_list(
                "pk",
                "user_id",
                "user__full_name",
                "user__email",
                "user__is_active",
                "status",
                "home_town",
                "travel_miles",
                "quals_text",
                "langs_text",
                "shifts_taken",
                "no_shows",
                "late_cancels",
                "ratings_count",
                "ratings_stars",
            )
        )
        # Related rows are read for the loaded profiles by id; a very large pool (only
        # without the prefilter) is reached through a subquery instead of a huge id list.
        few = connection.vendor == "postgresql" or len(rows) <= BY_ID_LIMIT
        ids = [row[0] for row in rows] if few else profiles.values("pk")
        people = [row[1] for row in rows] if few else profiles.values("user_id")
        mine = _among("substituteprofile_id", ids)
        theirs = _among("profile_id", ids)
        preferred: dict[int, set[int]] = defaultdict(set)
        blocked: dict[int, set[int]] = defaultdict(set)
        through = SubstituteProfile.preferred_programs.through
        for pid, prog in through.objects.filter(mine).values_list(
            "substituteprofile_id", "program_id"
        ):
            preferred[pid].add(prog)
        through = SubstituteProfile.blocked_programs.through
        for pid, prog in through.objects.filter(mine).values_list(
            "substituteprofile_id", "program_id"
        ):
            blocked[pid].add(prog)
        windows: dict[int, dict[int, list]] = {}
        weekdays = sorted({day.weekday() for day in days})
        for pid, wd, s, e in Availability.objects.filter(theirs, weekday__in=weekdays).values_list(
            "profile_id", "weekday", "start", "end"
        ):
            windows.setdefault(pid, {}).setdefault(wd, []).append((s, e))
        days_off: dict[int, set[date]] = defaultdict(set)
        for pid, day in AvailabilityException.objects.filter(
            theirs, day__gte=first, day__lte=last
        ).values_list("profile_id", "day"):
            days_off[pid].add(day)
        if prefilter and len(days) <= 2:
            # The database already kept only those holding every check on the first and
            # the last day, which are all the days here.
            valid_all = dict.fromkeys((row[1] for row in rows), REQUIRED_CHECKS)
        else:
            valid_all = _valid_every_day(people, days)
        program_blocks = set(
            ProgramBlock.objects.filter(program_id=request.program_id).values_list(
                "substitute_id", flat=True
            )
        )
        recent = _recent_days(alliance_id, people)
        busy = _busy(alliance_id, request)
    out = []
    empty: frozenset = frozenset()
    no_windows: dict = {}
    blocked_here = frozenset((request.program_id,))
    for row in rows:
        pk, uid, full_name, email, user_active, status, town, miles, quals, langs = row[:10]
        total, no_shows, late, n, stars = row[10:]
        valid = valid_all.get(uid, ())
        missing = (
            () if valid is REQUIRED_CHECKS else tuple(k for k in REQUIRED_CHECKS if k not in valid)
        )
        theirs_blocked = blocked.get(pk)
        if uid in program_blocks:
            theirs_blocked = blocked_here.union(theirs_blocked or ())
        off = days_off.get(pk)
        on_shift = busy.get(uid)
        likes = preferred.get(pk)
        out.append(
            Candidate(
                user_id=uid,
                name=full_name or email,
                town=town,
                travel_miles=miles,
                qualifications=_json_set(quals),
                languages=_json_set(langs),
                active=status == ProfileStatus.ACTIVE and user_active,
                checks_ok=not missing,
                missing_checks=missing,
                windows=windows.get(pk, no_windows),
                days_off=frozenset(off) if off else empty,
                busy=frozenset(on_shift) if on_shift else empty,
                preferred_programs=frozenset(likes) if likes else empty,
                blocked_programs=frozenset(theirs_blocked) if theirs_blocked else empty,
                rating_avg=stars / n if n else None,
                ratings=n,
                assignments=total,
                no_shows=no_shows,
                late_cancels=late,
                recent_shifts=recent.get(uid, 0),
            )
        )
    return out


@lru_cache(maxsize=1024)
def _json_set(text: str | None) -> frozenset[str]:
    return frozenset(json.loads(text)) if text else frozenset()


class _AnyOf(Lookup):
    """``lhs = ANY(%s::bigint[])`` with the ids sent as one array literal (PostgreSQL)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*params, self.rhs]


def _among(field: str, values):
    """``field`` is one of ``values`` (a subquery or a list of ids). On PostgreSQL a list is
    sent as one array literal, written once in C (``str.join``), rather than thousands of
    placeholders or a parameter adapted id by id."""
    if isinstance(values, list) and connection.vendor == "postgresql":
        return _AnyOf(F(field), "{" + ",".join(map(str, values)) + "}")
    return Q(**{f"{field}__in": values})


def _valid_every_day(people, days: list[date]) -> dict[int, set[str]]:
    """For each person, the required checks valid on every one of ``days`` (one query).

    Every credential overlapping the request's span is read, so a check renewed in the
    middle of a multi-day request counts when the old and the new one cover all its days
    between them, and a gap of a single day makes it missing."""
    first, last = days[0], days[-1]
    rows = (
        Credential.objects.filter(
            _among("person_id", people), kind__in=REQUIRED_CHECKS, issued_on__lte=last
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=first))
        .values_list("person_id", "kind", "issued_on", "expires_on")
    )
    spans: dict[tuple[int, str], list[tuple[date, date | None]]] = defaultdict(list)
    for person_id, kind, issued, expires in rows:
        spans[person_id, kind].append((issued, expires))
    result: dict[int, set[str]] = defaultdict(set)
    for (person_id, kind), held in spans.items():
        if all(any(i <= d and (e is None or e >= d) for i, e in held) for d in days):
            result[person_id].add(kind)
    return result


def _could_work(profiles: QuerySet, request: SubstituteRequest) -> QuerySet:
    """The profiles that pass the cheap rules in the database: active, a weekly window
    covering the shift on each of its weekdays, each required check held on the first and
    the last day (every day is checked again in Python) and the required qualifications.

    Blocks and days off are left to the ranking (which applies every rule again, from the
    rows loaded for the profiles kept here): they drop few substitutes, and three more
    anti-joins cost the planner more than the rows they save."""
    days = sorted(set(request.days))
    profiles = profiles.filter(status=ProfileStatus.ACTIVE, user__is_active=True)
    for weekday in sorted({day.weekday() for day in days}):
        profiles = profiles.filter(
            Exists(
                Availability.objects.filter(
                    profile_id=OuterRef("pk"),
                    weekday=weekday,
                    start__lte=request.start,
                    end__gte=request.end,
                )
            )
        )
    for kind in REQUIRED_CHECKS:
        for day in {days[0], days[-1]}:
            profiles = profiles.filter(
                Exists(
                    Credential.objects.filter(
                        Q(expires_on__isnull=True) | Q(expires_on__gte=day),
                        person_id=OuterRef("user_id"),
                        kind=kind,
                        issued_on__lte=day,
                    )
                )
            )
    if request.requirements and connection.vendor == "postgresql":
        profiles = profiles.filter(qualifications__contains=list(request.requirements))
    elif request.requirements and connection.vendor == "sqlite":
        # Django has no JSON ``contains`` on SQLite; its JSON1 table function does it.
        for qualification in sorted(request.requirements):
            # A constant SQL text; the qualification is a bound parameter.
            held = RawSQL(_SQLITE_HOLDS, [qualification], output_field=BooleanField())  # noqa: S611
            profiles = profiles.filter(held)
    return profiles


def _recent_days(alliance_id: int, people) -> dict[int, int]:
    """user id → days worked (timesheets) in the last 30 days."""
    since = timezone.localdate() - timedelta(days=30)
    rows = (
        Timesheet.objects.filter(
            _among("assignment__substitute_id", people),
            program__alliance_id=alliance_id,
            work_date__gte=since,
        )
        .values("assignment__substitute_id")
        .annotate(n=Count("id"))
    )
    return {r["assignment__substitute_id"]: r["n"] for r in rows}


def _busy(alliance_id: int, request: SubstituteRequest) -> dict[int, set[date]]:
    """user id → days of this request on which they hold an overlapping confirmed shift."""
    wanted = set(request.days)
    rows = (
        SubstituteRequest.objects.filter(
            program__alliance_id=alliance_id,
            first_date__lte=max(wanted),
            last_date__gte=min(wanted),
            start__lt=request.end,
            end__gt=request.start,
            assignments__status=AssignmentStatus.CONFIRMED,
        )
        .exclude(pk=request.pk)
        .values_list("assignments__substitute_id", "dates")
    )
    busy: dict[int, set[date]] = defaultdict(set)
    for uid, dates in rows:
        for iso in dates:
            day = date.fromisoformat(iso)
            if day in wanted:
                busy[uid].add(day)
    return busy
