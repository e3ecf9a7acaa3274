"""Pure enrollment rules: ages, days, kindergarten departures."""

from __future__ import annotations

from datetime import date

from alliance.enrollment.models import WEEKDAYS

# New Jersey: a child who is five by October 1 starts kindergarten in September.
KINDERGARTEN_CUTOFF = (10, 1)
KINDERGARTEN_AGE = 5


def months_between(born: date, on: date) -> int:
    months = (on.year - born.year) * 12 + on.month - born.month
    if on.day < born.day:
        months -= 1
    return months


def age_fits(born: date, classroom, on: date) -> bool:
    """Whether a child born on ``born`` is within the classroom's age range on ``on``."""
    months = months_between(born, on)
    return classroom.age_min_months <= months <= classroom.age_max_months


def clean_days(days: str | list) -> str:
    """Normalize weekday digits (Mon=0 … Fri=4) to a sorted string; ValueError if none."""
    digits = sorted({str(d) for d in days if str(d) in WEEKDAYS})
    if not digits:
        raise ValueError("no days")
    return "".join(digits)


def kindergarten_year(born: date) -> int:
    """The September (year) this child leaves for kindergarten."""
    year = born.year + KINDERGARTEN_AGE
    if (born.month, born.day) > KINDERGARTEN_CUTOFF:
        year += 1
    return year


def leaves_room_on(born: date, classroom) -> date:
    """The first day the child is too old for the room (turning max+1 months), or the
    September they start kindergarten if that comes first and the room is preschool."""
    total = born.year * 12 + born.month - 1 + classroom.age_max_months + 1
    year, month = divmod(total, 12)
    day = min(born.day, 28)
    aged_out = date(year, month + 1, day)
    if classroom.age_max_months < 72:
        kg = date(kindergarten_year(born), 9, 1)
        return min(kg, aged_out)
    return aged_out
