"""Reads of the pool for pages, the API and the dashboards (bounded query counts)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.accounts.models import User
from alliance.members.models import Program
from alliance.substitutes.models import (
    Assignment,
    AssignmentStatus,
    Backup,
    Favourite,
    Offer,
    OfferStatus,
    ProfileStatus,
    Rating,
    RequestStatus,
    SubsidyBudget,
    SubstituteInvoice,
    SubstituteProfile,
    SubstituteRequest,
    Timesheet,
    TimesheetStatus,
)


def requests_of(program: Program, *, past: bool = False) -> QuerySet[SubstituteRequest]:
    today = timezone.localdate()
    qs = SubstituteRequest.objects.filter(program=program).select_related(
        "classroom", "assigned_to"
    )
    if past:
        return qs.filter(last_date__lt=today).order_by("-first_date", "-start")
    return qs.filter(last_date__gte=today).order_by("first_date", "start")


def offers_of(request: SubstituteRequest) -> list[Offer]:
    return list(
        Offer.objects.filter(request=request)
        .select_related("substitute")
        .order_by("wave", "-score", "pk")
    )


def assignment_of(request: SubstituteRequest) -> Assignment | None:
    return (
        Assignment.objects.filter(request=request)
        .exclude(status=AssignmentStatus.CANCELLED)
        .select_related("substitute", "rating")
        .prefetch_related(Prefetch("timesheets", queryset=Timesheet.objects.order_by("work_date")))
        .first()
    )


def open_offers_for(user: User) -> list[Offer]:
    """The substitute's offers they can still answer, soonest shift first (all alliances)."""
    with scopes_disabled():
        return list(
            Offer.objects.filter(
                substitute=user,
                status=OfferStatus.PENDING,
                expires_at__gt=timezone.now(),
                request__status=RequestStatus.OPEN,
            )
            .select_related("request__program", "request__classroom")
            .order_by("request__first_date", "request__start")[:100]
        )


def shifts_for(user: User, *, past: bool = False) -> list[Assignment]:
    today = timezone.localdate()
    with scopes_disabled():
        qs = Assignment.objects.filter(substitute=user).select_related(
            "request__program", "request__classroom"
        )
        if past:
            qs = qs.filter(request__last_date__lt=today).order_by("-request__first_date")
        else:
            qs = qs.filter(
                request__last_date__gte=today, status=AssignmentStatus.CONFIRMED
            ).order_by("request__first_date")
        return list(qs.prefetch_related("timesheets")[:50])


def pool_of(alliance_id: int) -> QuerySet[SubstituteProfile]:
    return (
        SubstituteProfile.objects.filter(alliance_id=alliance_id)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def pending_timesheets(program: Program) -> list[Timesheet]:
    return list(
        Timesheet.objects.filter(program=program, status=TimesheetStatus.SUBMITTED)
        .select_related("assignment__substitute", "assignment__request")
        .order_by("work_date")[:100]
    )


# --- numbers -------------------------------------------------------------------------------


@dataclass
class Numbers:
    requests: int
    filled: int
    unfilled: int
    cancelled: int
    fill_rate: float | None  # filled / (filled + unfilled)
    median_minutes_to_fill: float | None
    unfilled_by_reason: dict[str, int]
    hours_by_member: list[tuple[str, Decimal]]
    top_substitutes: list[tuple[str, int]]
    by_month: list[tuple[date, int, int]]  # month, filled, unfilled


def numbers(*, alliance_id: int, program: Program | None = None, months: int = 6) -> Numbers:
    """Fill rate, time to fill, unfilled reasons, hours, top substitutes and a monthly trend
    over the last ``months`` months, for one program or the whole alliance (a fixed number
    of queries)."""
    since = (timezone.localdate().replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    reqs = SubstituteRequest.objects.filter(program__alliance_id=alliance_id, first_date__gte=since)
    sheets = Timesheet.objects.filter(
        program__alliance_id=alliance_id, status=TimesheetStatus.APPROVED, work_date__gte=since
    )
    if program is not None:
        reqs = reqs.filter(program=program)
        sheets = sheets.filter(program=program)
    counts = reqs.aggregate(
        total=Count("id"),
        filled=Count("id", filter=Q(status=RequestStatus.FILLED)),
        unfilled=Count("id", filter=Q(status=RequestStatus.UNFILLED)),
        cancelled=Count("id", filter=Q(status=RequestStatus.CANCELLED)),
    )
    durations = [
        (filled - created).total_seconds() / 60
        for created, filled in reqs.filter(filled_at__isnull=False).values_list(
            "created_at", "filled_at"
        )
    ]
    reasons = dict(
        reqs.filter(status=RequestStatus.UNFILLED)
        .values_list("unfilled_reason")
        .annotate(n=Count("id"))
        .values_list("unfilled_reason", "n")
    )
    hours = list(
        sheets.values_list("program__name")
        .annotate(h=Sum("hours"))
        .order_by("-h")
        .values_list("program__name", "h")[:10]
    )
    top = list(
        reqs.filter(status=RequestStatus.FILLED)
        .values("assigned_to__full_name", "assigned_to__email")
        .annotate(n=Count("id"))
        .order_by("-n")[:5]
    )
    trend = {
        row["m"]: (row["filled"], row["unfilled"])
        for row in reqs.annotate(m=TruncMonth("first_date"))
        .values("m")
        .annotate(
            filled=Count("id", filter=Q(status=RequestStatus.FILLED)),
            unfilled=Count("id", filter=Q(status=RequestStatus.UNFILLED)),
        )
    }
    decided = counts["filled"] + counts["unfilled"]
    return Numbers(
        requests=counts["total"],
        filled=counts["filled"],
        unfilled=counts["unfilled"],
        cancelled=counts["cancelled"],
        fill_rate=counts["filled"] / decided if decided else None,
        median_minutes_to_fill=statistics.median(durations) if durations else None,
        unfilled_by_reason=reasons,
        hours_by_member=hours,
        top_substitutes=[
            (row["assigned_to__full_name"] or row["assigned_to__email"], row["n"]) for row in top
        ],
        by_month=[
            (m if isinstance(m, date) else m.date(), f, u) for m, (f, u) in sorted(trend.items())
        ],
    )


@dataclass
class BudgetStatus:
    hours: Decimal
    used: Decimal
    left: Decimal
    warn: bool


def budget_status(program: Program, year: int) -> BudgetStatus | None:
    """The member's subsidized hours this year: used counts invoiced subsidized hours and
    approved hours not invoiced yet (they will draw on the budget)."""
    return budget_statuses([program.pk], year).get(program.pk)


def budget_statuses(program_ids: list[int], year: int) -> dict[int, BudgetStatus]:
    """:func:`budget_status` for many members at once (three queries whatever their number);
    members without a budget for the year are left out."""
    budgets = {
        b.program_id: b for b in SubsidyBudget.objects.filter(program_id__in=program_ids, year=year)
    }
    if not budgets:
        return {}
    invoiced = dict(
        SubstituteInvoice.objects.filter(program_id__in=list(budgets), month__year=year)
        .values("program_id")
        .annotate(h=Sum("subsidized_hours"))
        .values_list("program_id", "h")
    )
    pending = dict(
        Timesheet.objects.filter(
            program_id__in=list(budgets),
            status=TimesheetStatus.APPROVED,
            invoice__isnull=True,
            work_date__year=year,
        )
        .values("program_id")
        .annotate(h=Sum("hours"))
        .values_list("program_id", "h")
    )
    out = {}
    for pid, budget in budgets.items():
        used = (invoiced.get(pid) or Decimal("0")) + (pending.get(pid) or Decimal("0"))
        left = max(Decimal("0"), budget.hours - used)
        warn = budget.hours > 0 and used * 100 >= budget.hours * budget.warn_at_percent
        out[pid] = BudgetStatus(hours=budget.hours, used=used, left=left, warn=warn)
    return out


def pay_summary(alliance_id: int, month: date) -> list[dict]:
    """Approved hours and pay per substitute for one month (what the hub pays out)."""
    end = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    rows = (
        Timesheet.objects.filter(
            program__alliance_id=alliance_id,
            status=TimesheetStatus.APPROVED,
            work_date__gte=month,
            work_date__lt=end,
        )
        .values("assignment__substitute_id", "assignment__substitute__full_name")
        .annotate(h=Sum("hours"))
        .order_by("assignment__substitute__full_name")
    )
    rates = dict(
        SubstituteProfile.objects.filter(alliance_id=alliance_id).values_list("user_id", "pay_rate")
    )
    out = []
    for row in rows:
        rate = rates.get(row["assignment__substitute_id"], Decimal("0"))
        out.append(
            {
                "name": row["assignment__substitute__full_name"],
                "hours": row["h"],
                "rate": rate,
                "pay": (row["h"] * rate).quantize(Decimal("0.01")),
            }
        )
    return out


def uninvoiced_hours(alliance_id: int, month: date) -> list[tuple[Program, Decimal]]:
    end = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    rows = (
        Timesheet.objects.filter(
            program__alliance_id=alliance_id,
            status=TimesheetStatus.APPROVED,
            invoice__isnull=True,
            work_date__gte=month,
            work_date__lt=end,
        )
        .values("program_id")
        .annotate(h=Sum("hours"))
    )
    hours = {r["program_id"]: r["h"] for r in rows}
    programs = Program.objects.filter(pk__in=hours).order_by("name")
    return [(p, hours[p.pk]) for p in programs]


# --- tiers, volunteers, backups -------------------------------------------------------------


def favourite_ids(program: Program) -> set[int]:
    return set(Favourite.objects.filter(program=program).values_list("substitute_id", flat=True))


def volunteers_of(request: SubstituteRequest) -> list[Offer]:
    """Director-picks mode: who volunteered, best score first (with their reasons)."""
    return list(
        Offer.objects.filter(request=request, status=OfferStatus.VOLUNTEERED)
        .select_related("substitute")
        .order_by("-score", "volunteered_at", "pk")
    )


def backups_of(request: SubstituteRequest) -> list[Backup]:
    return list(
        Backup.objects.filter(request=request).select_related("substitute").order_by("position")
    )


def program_substitutes(program: Program) -> list[dict]:
    """The program's favourites and everyone who worked here: shifts, last shift, average
    rating given by this program (four queries whatever their number)."""
    worked = {
        row["substitute_id"]: row
        for row in Assignment.objects.filter(request__program=program)
        .exclude(status=AssignmentStatus.CANCELLED)
        .values("substitute_id")
        .annotate(
            shifts=Count("id"),
            no_shows=Count("id", filter=Q(status=AssignmentStatus.NO_SHOW)),
            last=Max("request__first_date"),
        )
    }
    ratings = dict(
        Rating.objects.filter(program=program)
        .values("substitute_id")
        .annotate(avg=Avg("stars"))
        .values_list("substitute_id", "avg")
    )
    favourites = favourite_ids(program)
    people = User.objects.filter(pk__in=set(worked) | favourites).order_by("full_name", "email")
    out = []
    for user in people[:300]:
        row = worked.get(user.pk, {})
        out.append(
            {
                "user": user,
                "favourite": user.pk in favourites,
                "shifts": row.get("shifts", 0),
                "no_shows": row.get("no_shows", 0),
                "last": row.get("last"),
                "rating": ratings.get(user.pk),
            }
        )
    out.sort(key=lambda r: (not r["favourite"], -r["shifts"], str(r["user"])))
    return out


# --- reports for the hub -------------------------------------------------------------------


def fill_report(alliance_id: int, since: date, until: date) -> QuerySet[SubstituteRequest]:
    """Every request with a first day in [since, until]: its mode, and for a filled one
    the tier and wave of the winning offer (one query; minutes to fill from the row)."""
    live = Assignment.objects.filter(request=OuterRef("pk")).exclude(
        status=AssignmentStatus.CANCELLED
    )
    return (
        SubstituteRequest.objects.filter(
            program__alliance_id=alliance_id, first_date__gte=since, first_date__lte=until
        )
        .select_related("program", "assigned_to")
        .annotate(
            fill_tier=Subquery(live.values("offer__tier")[:1]),
            fill_wave=Subquery(live.values("offer__wave")[:1]),
        )
    )


def minutes_to_fill(request: SubstituteRequest) -> int | None:
    if request.filled_at is None:
        return None
    return max(0, round((request.filled_at - request.created_at).total_seconds() / 60))


@dataclass
class NeverWorks:
    user_id: int
    name: str
    email: str
    offers: int
    declined: int
    ignored: int


def never_work(alliance_id: int, *, min_offers: int, days: int = 90) -> list[NeverWorks]:
    """Active substitutes offered at least ``min_offers`` requests in the last ``days`` days
    (an offer goes only to an eligible substitute) who never accepted nor volunteered, with
    how many they declined and how many they let expire unanswered (two queries)."""
    since = timezone.now() - timedelta(days=days)
    active = SubstituteProfile.objects.filter(
        alliance_id=alliance_id, status=ProfileStatus.ACTIVE
    ).values("user_id")
    rows = (
        Offer.objects.filter(
            request__program__alliance_id=alliance_id,
            created_at__gte=since,
            substitute_id__in=active,
        )
        .values("substitute_id")
        .annotate(
            offers=Count("request_id", distinct=True),
            taken=Count(
                "id",
                filter=Q(status=OfferStatus.ACCEPTED) | Q(volunteered_at__isnull=False),
            ),
            declined=Count("id", filter=Q(status=OfferStatus.DECLINED)),
            ignored=Count("id", filter=Q(status=OfferStatus.EXPIRED)),
        )
        .filter(offers__gte=min_offers, taken=0)
        .order_by("-offers", "substitute_id")
    )
    rows = list(rows[:500])
    users = User.objects.in_bulk([r["substitute_id"] for r in rows])
    return [
        NeverWorks(
            user_id=r["substitute_id"],
            name=str(users[r["substitute_id"]]),
            email=users[r["substitute_id"]].email,
            offers=r["offers"],
            declined=r["declined"],
            ignored=r["ignored"],
        )
        for r in rows
    ]
