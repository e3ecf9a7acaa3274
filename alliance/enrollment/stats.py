"""Enrollment numbers for programs and the hub: the Iron Triangle's first side (enrollment
against staffed capacity), vacancies, the 6-month forecast, the waitlist and time to fill."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from statistics import median

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from alliance.enrollment.models import (
    Applicant,
    ApplicantStatus,
    ApplicationStatus,
    Enrollment,
    EnrollmentStatus,
    Offer,
    OfferStatus,
)
from alliance.enrollment.openings import openings_by_date
from alliance.enrollment.rules import months_between
from alliance.members.models import Program

AGE_GROUPS = [
    ("infant", _("Infants (0–17 months)"), 0, 17),
    ("toddler", _("Toddlers (18–35 months)"), 18, 35),
    ("preschool", _("Preschool (3–4 years)"), 36, 59),
    ("school", _("School age (5+)"), 60, 10_000),
]


def age_group(months: int) -> str:
    for key, _label, lo, hi in AGE_GROUPS:
        if lo <= months <= hi:
            return key
    return "school"


def group_labels() -> dict[str, str]:
    return {key: str(label) for key, label, _lo, _hi in AGE_GROUPS}


@dataclass
class Rate:
    enrolled: int
    staffed: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.enrolled / self.staffed) if self.staffed else None


def enrolled_counts(programs: list[Program], on: date) -> dict[int, int]:
    """Classroom id → children enrolled on ``on`` (one query)."""
    rows = (
        Enrollment.objects.filter(program__in=programs, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .exclude(status=EnrollmentStatus.WITHDRAWN, end_date__isnull=True)
        .values("classroom_id")
        .annotate(n=Count("id"))
    )
    return {r["classroom_id"]: r["n"] for r in rows}


def numbers(programs: list[Program], today: date) -> dict:
    """Every figure of the numbers pages for ``programs`` (a handful of queries)."""
    dates, free, rooms = openings_by_date(programs, today)
    counts = enrolled_counts(programs, today)
    by_program: dict[int, Rate] = defaultdict(lambda: Rate(0, 0))
    classroom_rows = []
    vacancies: dict[tuple[str, str], int] = defaultdict(int)
    forecast: dict[str, list[int]] = {key: [0] * len(dates) for key, *_ in AGE_GROUPS}
    for pk, room in rooms.items():
        n = counts.get(pk, 0)
        rate = Rate(n, room.staffed_capacity)
        classroom_rows.append({"classroom": room, "rate": rate, "free": free[pk]})
        total = by_program[room.program_id]
        total.enrolled += n
        total.staffed += room.staffed_capacity
        group = age_group((room.age_min_months + room.age_max_months) // 2)
        vacancies[(group, room.program.town)] += free[pk][0]
        for i, seats in enumerate(free[pk]):
            forecast[group][i] += seats
    alliance_rate = Rate(
        sum(r.enrolled for r in by_program.values()), sum(r.staffed for r in by_program.values())
    )
    return {
        "dates": dates,
        "classrooms": sorted(
            classroom_rows, key=lambda r: (r["classroom"].program.name, r["classroom"].name)
        ),
        "programs": [(p, by_program[p.pk]) for p in programs],
        "rate": alliance_rate,
        "vacancies": sorted(
            ((g, t, n) for (g, t), n in vacancies.items() if n), key=lambda x: (x[0], x[1])
        ),
        "forecast": forecast,
    }


def waitlist_by_age(alliance, today: date) -> dict[str, int]:
    out = {key: 0 for key, *_ in AGE_GROUPS}
    births = Applicant.objects.filter(
        application__alliance=alliance,
        application__status=ApplicationStatus.WAITING,
        status__in=[ApplicantStatus.WAITING, ApplicantStatus.OFFERED],
    ).values_list("child__birth_date", flat=True)
    for born in births:
        out[age_group(max(0, months_between(born, today)))] += 1
    return out


def time_to_offer_and_fill(alliance, programs: list[Program] | None = None) -> dict:
    """Median days from application to first offer, and from a seat opening to the
    accepted offer that filled it (over the last year of offers)."""
    offers = Offer.objects.filter(alliance=alliance).select_related(
        "applicant__application", "proposal"
    )
    if programs is not None:
        offers = offers.filter(program__in=programs)
    to_offer: dict[int, int] = {}
    to_fill = []
    for offer in offers.order_by("sent_at")[:5000]:
        submitted = offer.applicant.application.submitted_at
        to_offer.setdefault(offer.applicant_id, max(0, (offer.sent_at - submitted).days))
        if offer.status == OfferStatus.ACCEPTED and offer.responded_at:
            opened = offer.proposal.seat_opened_on if offer.proposal else None
            if opened:
                to_fill.append(max(0, (offer.responded_at.date() - opened).days))
    return {
        "application_to_offer": median(to_offer.values()) if to_offer else None,
        "opening_to_fill": median(to_fill) if to_fill else None,
    }
