"""Load what the ranking needs about every substitute of an alliance, for one request.

A fixed number of queries whatever the pool size (profiles, their programs, windows, days
off, credentials, blocks, ratings, history), then plain Python. The pool is alliance-wide
while a director works inside their program's scope, so these reads run with scopes
disabled and filter on the alliance explicitly.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.staffing.models import Credential
from alliance.staffing.queries import valid_credential_kinds
from alliance.substitutes.models import (
    AssignmentStatus,
    Availability,
    AvailabilityException,
    ProfileStatus,
    ProgramBlock,
    Rating,
    SubstituteProfile,
    SubstituteRequest,
    Timesheet,
)
from alliance.substitutes.ranking import REQUIRED_CHECKS, Candidate, RequestFacts
from alliance.substitutes.ranking import wanted_qualifications as _wanted


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
    days = request.days
    first, last = min(days), max(days)
    with scopes_disabled():
        profiles = SubstituteProfile.objects.filter(alliance_id=alliance_id)
        if user_ids is not None:
            profiles = profiles.filter(user_id__in=user_ids)
        if prefilter:
            profiles = _could_work(profiles, request)
        rows = list(
            profiles.values_list(
                "pk",
                "user_id",
                "user__full_name",
                "user__email",
                "user__is_active",
                "status",
                "home_town",
                "travel_miles",
                "qualifications",
                "languages",
            )
        )
        user_ids = [row[1] for row in rows]
        # Related rows are reached through the alliance (a join), not a list of thousands
        # of ids; narrowed to the few profiles asked for when there are few.
        ids = [row[0] for row in rows] if len(rows) < 200 else profiles.values("pk")
        mine = {"substituteprofile_id__in": ids}
        theirs = {k.replace("substituteprofile", "profile"): v for k, v in mine.items()}
        preferred: dict[int, set[int]] = defaultdict(set)
        blocked: dict[int, set[int]] = defaultdict(set)
        through = SubstituteProfile.preferred_programs.through
        for pid, prog in through.objects.filter(**mine).values_list(
            "substituteprofile_id", "program_id"
        ):
            preferred[pid].add(prog)
        through = SubstituteProfile.blocked_programs.through
        for pid, prog in through.objects.filter(**mine).values_list(
            "substituteprofile_id", "program_id"
        ):
            blocked[pid].add(prog)
        windows: dict[int, dict[int, list]] = {}
        for pid, wd, s, e in Availability.objects.filter(**theirs).values_list(
            "profile_id", "weekday", "start", "end"
        ):
            windows.setdefault(pid, {}).setdefault(wd, []).append((s, e))
        days_off: dict[int, set[date]] = defaultdict(set)
        for pid, day in AvailabilityException.objects.filter(
            day__gte=first, day__lte=last, **theirs
        ).values_list("profile_id", "day"):
            days_off[pid].add(day)
        people = user_ids if len(rows) < 200 else profiles.values("user_id")
        # A credential valid on the first and the last day is valid on every day between.
        if len(rows) < 200:
            at_first = valid_credential_kinds(user_ids, first)
            at_last = valid_credential_kinds(user_ids, last) if last != first else at_first
        else:
            at_first = _pool_credential_kinds(people, first)
            at_last = _pool_credential_kinds(people, last) if last != first else at_first
        program_blocks = set(
            ProgramBlock.objects.filter(program_id=request.program_id).values_list(
                "substitute_id", flat=True
            )
        )
        ratings = {
            row["substitute_id"]: (row["avg"], row["n"])
            for row in Rating.objects.filter(
                program__alliance_id=alliance_id, substitute_id__in=people
            )
            .values("substitute_id")
            .annotate(avg=Avg("stars"), n=Count("id"))
        }
        history = _history(alliance_id, people)
        recent = _recent_days(alliance_id, people)
        busy = _busy(alliance_id, request)
    out = []
    for pk, uid, full_name, email, user_active, status, town, miles, quals, langs in rows:
        valid = at_first.get(uid, set()) & at_last.get(uid, set())
        missing = tuple(k for k in REQUIRED_CHECKS if k not in valid)
        avg, n = ratings.get(uid, (None, 0))
        total, no_shows, late = history.get(uid, (0, 0, 0))
        out.append(
            Candidate(
                user_id=uid,
                name=full_name or email,
                town=town,
                travel_miles=miles,
                qualifications=frozenset(quals or ()),
                languages=frozenset(langs or ()),
                active=status == ProfileStatus.ACTIVE and user_active,
                checks_ok=not missing,
                missing_checks=missing,
                windows=windows.get(pk, {}),
                days_off=frozenset(days_off.get(pk, ())),
                busy=frozenset(busy.get(uid, ())),
                preferred_programs=frozenset(preferred.get(pk, ())),
                blocked_programs=frozenset(blocked.get(pk, ()))
                | ({request.program_id} if uid in program_blocks else frozenset()),
                rating_avg=float(avg) if avg is not None else None,
                ratings=n,
                assignments=total,
                no_shows=no_shows,
                late_cancels=late,
                recent_shifts=recent.get(uid, 0),
            )
        )
    return out


def _pool_credential_kinds(pool: QuerySet, on: date) -> dict[int, set[str]]:
    """``valid_credential_kinds`` for the people of ``pool`` (a ``user_id`` subquery): the
    same rule, with the people selected in the database instead of a list of ids."""
    rows = (
        Credential.objects.filter(person_id__in=pool, kind__in=REQUIRED_CHECKS, issued_on__lte=on)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
        .values_list("person_id", "kind")
    )
    result: dict[int, set[str]] = defaultdict(set)
    for person_id, kind in rows:
        result[person_id].add(kind)
    return result


def _could_work(profiles: QuerySet, request: SubstituteRequest) -> QuerySet:
    """Active profiles with a weekly window covering the shift on each of its weekdays."""
    profiles = profiles.filter(status=ProfileStatus.ACTIVE, user__is_active=True)
    for weekday in sorted({day.weekday() for day in request.days}):
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
    return profiles


def _history(alliance_id: int, people) -> dict[int, tuple[int, int, int]]:
    """user id → (assignments, no-shows, late cancellations) across the alliance."""
    from alliance.substitutes.models import Assignment

    rows = (
        Assignment.objects.filter(
            request__program__alliance_id=alliance_id, substitute_id__in=people
        )
        .values("substitute_id")
        .annotate(
            total=Count("id"),
            no_shows=Count("id", filter=Q(status=AssignmentStatus.NO_SHOW)),
            late=Count("id", filter=Q(late_cancel=True, cancelled_by_sub=True)),
        )
    )
    return {r["substitute_id"]: (r["total"], r["no_shows"], r["late"]) for r in rows}


def _recent_days(alliance_id: int, people) -> dict[int, int]:
    """user id → days worked (timesheets) in the last 30 days."""
    since = timezone.localdate() - timedelta(days=30)
    rows = (
        Timesheet.objects.filter(
            program__alliance_id=alliance_id,
            work_date__gte=since,
            assignment__substitute_id__in=people,
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
