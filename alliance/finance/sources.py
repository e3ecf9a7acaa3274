"""Where the finance figures come from: bulk reads of the other modules' records.

Every function takes a list of programs and answers per program id in a fixed, small number
of queries (so the hub's page over thousands of members stays bounded). A program absent
from an answer has **no data yet**: callers show it as unknown, never as zero.

Billing figures (collection rate, bad debt %, DSO) are billing's own: collection and bad
debt come from ``alliance.billing.reports``; DSO for many programs at once is
:func:`dso_by_program`, billing's formula over grouped queries (billing's function takes one
set of programs and answers one figure for all of them together).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, DecimalField, F, Q, Sum
from django.db.models.functions import Coalesce
from django_scopes import scopes_disabled

from alliance.enrollment.models import Enrollment, EnrollmentStatus
from alliance.members.models import Classroom, Program
from alliance.rules import ccap
from alliance.rules import finance as rules

if TYPE_CHECKING:
    from alliance.billing.reports import CollectionFigures

ZERO = Decimal("0.00")
MONEY_OUT = DecimalField(max_digits=14, decimal_places=2)


MANY = 100
DSO_DAYS = 90  # collection, bad debt and DSO look back this far


def _ids(programs: list[Program]) -> list[int]:
    return [p.pk for p in programs]


def _among(programs: list[Program], path: str = "program") -> Q:
    """Rows of these programs. Past ``MANY`` programs of one alliance (the hub's pages) the
    filter is the alliance itself: PostgreSQL plans a 5,000-id ``IN`` joined to the scope's
    alliance filter very badly (minutes), and callers ignore rows of programs they did not
    ask for anyway."""
    alliances = {p.alliance_id for p in programs}
    if len(programs) > MANY and len(alliances) == 1:
        return Q(**{f"{path}__alliance_id": alliances.pop()})
    return Q(**{f"{path}_id__in": _ids(programs)})


def age_group_of(classroom_age_min_months: int) -> str:
    """A classroom's age group (CCAP's groups) from the youngest age it takes."""
    return ccap.age_group(int(classroom_age_min_months))


# --- enrollment ---------------------------------------------------------------------------


def classrooms_of(programs: list[Program]) -> list[Classroom]:
    return list(
        Classroom.objects.filter(_among(programs), is_active=True).order_by(
            "program_id", "age_min_months", "name"
        )
    )


def capacity_by_program(programs: list[Program]) -> dict[int, int]:
    """Staffed seats of the programs' classrooms in use (one query)."""
    rows = (
        Classroom.objects.filter(_among(programs), is_active=True)
        .values("program_id")
        .annotate(seats=Sum("staffed_capacity"))
    )
    return {r["program_id"]: r["seats"] or 0 for r in rows}


def _enrolled_filter(on: date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def fte_by_classroom(programs: list[Program], on: date) -> dict[int, Decimal]:
    """Classroom id → enrolled FTE on ``on`` (full time 1.0, part time 0.5); one query."""
    rows = (
        Enrollment.objects.filter(_among(programs))
        .filter(_enrolled_filter(on))
        .exclude(status=EnrollmentStatus.WITHDRAWN, end_date__isnull=True)
        .values("classroom_id", "schedule")
        .annotate(n=Count("id"))
    )
    out: dict[int, Decimal] = defaultdict(Decimal)
    for r in rows:
        out[r["classroom_id"]] += rules.fte([r["schedule"]]) * r["n"]
    return dict(out)


def fte_by_program(programs: list[Program], on: date) -> dict[int, Decimal]:
    rows = (
        Enrollment.objects.filter(_among(programs))
        .filter(_enrolled_filter(on))
        .exclude(status=EnrollmentStatus.WITHDRAWN, end_date__isnull=True)
        .values("program_id", "schedule")
        .annotate(n=Count("id"))
    )
    out: dict[int, Decimal] = defaultdict(Decimal)
    for r in rows:
        out[r["program_id"]] += rules.fte([r["schedule"]]) * r["n"]
    return dict(out)


def fte_series(program: Program, days: list[date]) -> dict[date, dict[int, Decimal]]:
    """Per day: classroom id → enrolled FTE, from one query over the whole window."""
    if not days:
        return {}
    first, last = min(days), max(days)
    rows = list(
        Enrollment.objects.filter(program=program, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .exclude(status=EnrollmentStatus.WITHDRAWN, end_date__isnull=True)
        .values("classroom_id", "schedule", "start_date", "end_date")
    )
    out: dict[date, dict[int, Decimal]] = {}
    for day in days:
        per: dict[int, Decimal] = defaultdict(Decimal)
        for r in rows:
            if r["start_date"] <= day and (r["end_date"] is None or day <= r["end_date"]):
                per[r["classroom_id"]] += rules.fte([r["schedule"]])
        out[day] = dict(per)
    return out


# --- billing ------------------------------------------------------------------------------


def collections_by_program(
    programs: list[Program], start: date, end: date
) -> dict[int, CollectionFigures]:
    """Per program: billed, collected and written off in the window, from billing's own
    report (:func:`alliance.billing.reports.collections_by_program`), so the collection rate
    and bad debt % here are billing's. Rates are None (unknown) when nothing was billed."""
    from alliance.billing import reports

    # The ids come from the caller's scoped read (the hub's members, the program's peers);
    # under the alliance's scope every query would also join the program table, and
    # PostgreSQL plans a 5,000-id ``IN`` plus that join very badly (seconds per query).
    with scopes_disabled():
        report = reports.collections_by_program(
            programs=[(p.pk, "") for p in programs], start=start, end=end, dso_days=DSO_DAYS
        )
    return {row.key: row for row in report.rows}


def collections_by_month(program: Program, start: date, end: date):
    """One program's billing per calendar month (billing's report, DSO on ``end``)."""
    from alliance.billing import reports

    return reports.collections_by_month(
        program_ids=[program.pk], start=start, end=end, dso_days=DSO_DAYS
    )


def dso_by_program(
    programs: list[Program], as_of: date, days: int = DSO_DAYS
) -> dict[int, Decimal]:
    """Days sales outstanding of each program on ``as_of``, as billing defines it
    (:func:`alliance.billing.reports.days_sales_outstanding`: the ledger balance on
    ``as_of``, a credit balance counting as 0, ÷ invoices of the last ``days`` days ×
    ``days``). Billing's function answers for one set of programs at a time; this answers
    for many in three grouped queries. Programs with nothing billed in the window are
    absent (unknown). A test checks it equals billing's figure program by program."""
    from alliance.billing.models import CreditNote, Invoice, Payment

    start = as_of - timedelta(days=days - 1)
    window = Q(issued_on__gte=start)
    balance: dict[int, Decimal] = {}
    billed: dict[int, Decimal] = {}
    for r in (
        Invoice.objects.filter(_among(programs), issued_on__lte=as_of)
        .values("program_id")
        .annotate(
            window=Coalesce(Sum("total", filter=window), ZERO, output_field=MONEY_OUT),
            to_date=Coalesce(Sum("total"), ZERO, output_field=MONEY_OUT),
        )
    ):
        if r["window"]:
            billed[r["program_id"]] = r["window"]
            balance[r["program_id"]] = r["to_date"]
    if not billed:
        return {}
    for model, on in ((Payment, "received_on"), (CreditNote, "issued_on")):
        for r in (
            model.objects.filter(_among(programs), **{f"{on}__lte": as_of})
            .values("program_id")
            .annotate(s=Sum("amount"))
        ):
            if r["program_id"] in balance:
                balance[r["program_id"]] -= r["s"] or ZERO
    return {pk: rules.dso(balance[pk], amount, days) for pk, amount in billed.items()}


def revenue_by_classroom(program: Program, start: date, end: date) -> dict[int, Decimal]:
    """Classroom id → invoice lines billed for its enrollments in the window (one query)."""
    from alliance.billing.models import InvoiceLine

    rows = (
        InvoiceLine.objects.filter(
            program=program,
            enrollment__isnull=False,
            invoice__issued_on__gte=start,
            invoice__issued_on__lte=end,
        )
        .values("enrollment__classroom_id")
        .annotate(total=Sum("amount"))
    )
    return {r["enrollment__classroom_id"]: r["total"] or ZERO for r in rows}


def tuition_by_age_group(program: Program, on: date) -> dict[str, Decimal]:
    """The program's full-time weekly tuition per age group in force on ``on`` (age-group
    rates; a monthly rate is converted × 12 ÷ 52, as billing does)."""
    from alliance.billing.models import TuitionRate

    out: dict[str, Decimal] = {}
    rates = TuitionRate.objects.filter(
        program=program, schedule="full", effective_from__lte=on, classroom__isnull=True
    ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
    for r in rates.order_by("effective_from"):
        weekly = r.amount if r.period == "weekly" else r.amount * 12 / 52
        out[r.age_group] = rules.money(weekly)
    return out


# --- staffing and benefits ---------------------------------------------------------------


def payroll_by_program(programs: list[Program], on: date) -> dict[int, Decimal]:
    """Monthly gross wages of current staff (wage × hours × 52 ÷ 12); one query."""
    from alliance.staffing.models import StaffMember

    rows = (
        StaffMember.objects.filter(_among(programs), hire_date__lte=on)
        .filter(Q(separated_on__isnull=True) | Q(separated_on__gte=on))
        .values("program_id")
        .annotate(weekly=Sum(F("wage") * F("hours_per_week"), output_field=MONEY_OUT))
    )
    return {r["program_id"]: rules.money(r["weekly"] * 52 / 12) for r in rows if r["weekly"]}


def staff_of(program: Program, on: date) -> list:
    from alliance.staffing.models import StaffMember

    return list(
        StaffMember.objects.filter(program=program, hire_date__lte=on)
        .filter(Q(separated_on__isnull=True) | Q(separated_on__gte=on))
        .order_by("role", "full_name")
    )


def benefits_by_program(programs: list[Program], on: date) -> dict[int, Decimal]:
    """Employer's monthly premium share per program with enrolled staff."""
    try:
        from alliance.benefits.figures import participation
    except ImportError:  # the benefits module is not there yet
        return {}
    return {
        p.program_id: p.employer_monthly for p in participation(programs, on) if p.employer_monthly
    }


def benefits_saved(programs: list[Program], on: date) -> dict[int, Decimal]:
    """Monthly premiums saved by pooling against the member's own stand-alone quotes, for
    members that entered quotes (one query to find them, then a few per such member)."""
    try:
        from alliance.benefits.figures import pooled_vs_standalone
        from alliance.benefits.models import StandaloneQuote
    except ImportError:
        return {}
    quoted = set(
        StandaloneQuote.objects.filter(_among(programs)).values_list("program_id", flat=True)
    )
    out = {}
    for program in programs:
        if program.pk in quoted:
            rows = pooled_vs_standalone(program, on)
            if rows:
                out[program.pk] = sum((r.saved for r in rows), ZERO)
    return out


# --- shared services ------------------------------------------------------------------------


def purchasing_savings(programs: list[Program], since: date) -> dict[int, Decimal]:
    """Measured savings (retail baseline − allocated price) of closed cycles delivered since
    ``since``, per program; one query."""
    from alliance.purchasing.models import CycleStatus, OrderLine

    rows = (
        OrderLine.objects.filter(
            _among(programs),
            order__cycle__status=CycleStatus.CLOSED,
            order__cycle__delivery_on__gte=since,
        )
        .values("program_id")
        .annotate(spend=Sum("amount"), baseline=Sum("baseline_amount"))
    )
    return {r["program_id"]: (r["baseline"] or ZERO) - (r["spend"] or ZERO) for r in rows}


def purchasing_savings_percent(alliance_id: int) -> Decimal | None:
    """The alliance's measured group-purchasing savings, % of the retail baseline."""
    from alliance.purchasing.models import CycleStatus, OrderLine

    total = OrderLine.objects.filter(
        order__cycle__alliance_id=alliance_id, order__cycle__status=CycleStatus.CLOSED
    ).aggregate(spend=Sum("amount"), baseline=Sum("baseline_amount"))
    if not total["baseline"]:
        return None
    return rules.pct(total["baseline"] - (total["spend"] or ZERO), total["baseline"])


def substitute_hours(programs: list[Program], since: date) -> dict[int, Decimal]:
    """Approved substitute hours worked at each program since ``since``; one query."""
    from alliance.substitutes.models import Timesheet, TimesheetStatus

    rows = (
        Timesheet.objects.filter(
            _among(programs),
            status=TimesheetStatus.APPROVED,
            work_date__gte=since,
        )
        .values("program_id")
        .annotate(hours=Sum("hours"))
    )
    return {r["program_id"]: r["hours"] or ZERO for r in rows}


def matches_accepted(programs: list[Program], since: date) -> dict[int, int]:
    """Places filled through the alliance's matching (offers accepted) since ``since``."""
    from alliance.enrollment.models import Offer, OfferStatus

    rows = (
        Offer.objects.filter(
            _among(programs),
            status=OfferStatus.ACCEPTED,
            sent_at__date__gte=since,
        )
        .values("program_id")
        .annotate(n=Count("id"))
    )
    return {r["program_id"]: r["n"] for r in rows}


def membership_fees(programs: list[Program]) -> dict[int, Decimal]:
    """Annual membership fee of each member with a membership record; one query."""
    from alliance.members.models import Membership

    rows = Membership.objects.filter(_among(programs)).values("program_id", "annual_fee")
    return {r["program_id"]: r["annual_fee"] for r in rows}


def year_ago(today: date) -> date:
    return today - timedelta(days=365)
