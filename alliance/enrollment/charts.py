"""The enrollment numbers as SVG bar charts (alliance.core.charts): enrollment rate trend,
vacancies and the waiting list by age group, and the 6-month openings forecast. Each chart
sits next to a table with the same figures (the accessible alternative)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from alliance.core.charts import Bar, bar_chart
from alliance.enrollment.models import Enrollment, EnrollmentStatus
from alliance.enrollment.stats import AGE_GROUPS, Rate
from alliance.members.models import Classroom, Program

TREND_MONTHS = 6


def trend_dates(today: date, months: int = TREND_MONTHS) -> list[date]:
    """The 1st of each of the last ``months`` months, then today."""
    out = []
    year, month = today.year, today.month
    for _step in range(months):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append(date(year, month, 1))
    return [*reversed(out), today]


def rate_trend(programs: list[Program], today: date) -> list[tuple[date, Rate]]:
    """Enrollment against today's staffed capacity on each trend date (two queries; the
    staffed capacity of past months is not kept, so today's is the yardstick)."""
    dates = trend_dates(today)
    staffed = sum(
        Classroom.objects.filter(program__in=programs, is_active=True).values_list(
            "staffed_capacity", flat=True
        )
    )
    rows = list(
        Enrollment.objects.filter(program__in=programs, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=dates[0]))
        .exclude(status=EnrollmentStatus.WITHDRAWN, end_date__isnull=True)
        .values_list("start_date", "end_date")
    )
    out = []
    for on in dates:
        n = sum(1 for start, end in rows if start <= on and (end is None or end >= on))
        out.append((on, Rate(n, staffed)))
    return out


def _month(on: date, today: date) -> str:
    return _("Today") if on == today else formats.date_format(on, "M Y")


def trend_chart(trend: list[tuple[date, Rate]], today: date) -> SafeString:
    return bar_chart(
        [
            Bar(
                _month(on, today),
                rate.percent or 0,
                display=f"{rate.percent}%" if rate.percent is not None else "—",
            )
            for on, rate in trend
        ],
        title=_("Enrollment rate against staffed capacity, last six months"),
        description=_(
            "Children enrolled on the 1st of each month divided by today's staffed places."
        ),
    )


def vacancies_chart(vacancies: list[tuple[str, str, int]], labels: dict[str, str]) -> SafeString:
    totals = {key: 0 for key, *_rest in AGE_GROUPS}
    for group, _town, n in vacancies:
        totals[group] += n
    return bar_chart(
        [Bar(labels[k], n) for k, n in totals.items()],
        title=_("Open seats today by age group"),
    )


def waitlist_chart(by_age: dict[str, int], labels: dict[str, str]) -> SafeString:
    return bar_chart(
        [Bar(labels[k], n) for k, n in by_age.items()],
        title=_("Children waiting by age group"),
    )


def forecast_chart(dates: list[date], forecast: dict[str, list[int]], today: date) -> SafeString:
    totals = [sum(series[i] for series in forecast.values()) for i in range(len(dates))]
    return bar_chart(
        [
            Bar(_("Today") if i == 0 else formats.date_format(on, "M j"), n)
            for i, (on, n) in enumerate(zip(dates, totals, strict=True))
        ],
        title=_("Open staffed seats over the next six months"),
        description=_("Free seats that stay free, counting children who age out or leave."),
    )


def numbers_charts(
    figures: dict, by_age: dict[str, int], labels: dict[str, str], trend, today: date
) -> dict[str, SafeString]:
    return {
        "trend": trend_chart(trend, today),
        "vacancies": vacancies_chart(figures["vacancies"], labels),
        "waitlist": waitlist_chart(by_age, labels),
        "forecast": forecast_chart(figures["dates"], figures["forecast"], today),
    }
