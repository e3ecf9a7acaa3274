"""The ratio engine's pure part: from the children and staff in each room, who is short.

Centers use the state's ratio table (:func:`alliance.rules.ratios.required_staff`: youngest
child sets the ratio of a mixed-age group; resting ratios only while children rest). A family
child care home needs its provider whenever children are in care and may not exceed the
state's limit of children in care (:func:`alliance.rules.capacity.family_home_limits`).
No Django here: the board (``alliance.staffing.board``) feeds it rows it read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from alliance.rules.capacity import family_home_limits
from alliance.rules.ratios import required_staff

UNDER = "under"
OK = "ok"
OVER = "over"
EMPTY = "empty"
FAMILY_HOME = "family_home"


def age_in_months(birth_date: date, on: date) -> int:
    """Whole months of age on ``on`` (a child born on the 31st turns a month older on the
    last day of a shorter month). A birth date in the future counts as 0."""
    months = (on.year - birth_date.year) * 12 + (on.month - birth_date.month)
    if on.day < birth_date.day:
        months -= 1
    return max(months, 0)


@dataclass(frozen=True)
class RoomStatus:
    classroom_id: int
    name: str
    children: int
    youngest_months: int | None
    required: int
    present: int
    staff: tuple[str, ...] = field(default=())
    resting: bool = False
    over_home_limit: bool = False  # family home: more children than its license allows
    home_limit: int | None = None

    @property
    def shortfall(self) -> int:
        return max(self.required - self.present, 0)

    @property
    def status(self) -> str:
        if self.children == 0 and self.present == 0:
            return EMPTY
        if self.present < self.required or self.over_home_limit:
            return UNDER
        if self.present > self.required:
            return OVER
        return OK


def room_status(
    *,
    state: str,
    program_kind: str,
    classroom_id: int,
    name: str,
    ages_in_months: list[int],
    staff: list[str],
    resting: bool = False,
    on: date | None = None,
) -> RoomStatus:
    """The status of one room from the ages of the children in it and the staff in it."""
    children = len(ages_in_months)
    over_limit = False
    limit = None
    if program_kind == FAMILY_HOME:
        limits = family_home_limits(state)
        required = 1 if children else 0
        if limits is not None:
            limit = limits.max_in_care
            over_limit = children > limits.max_in_care
    else:
        required = required_staff(state, list(ages_in_months), resting, on=on)
    return RoomStatus(
        classroom_id=classroom_id,
        name=name,
        children=children,
        youngest_months=min(ages_in_months) if ages_in_months else None,
        required=required,
        present=len(staff),
        staff=tuple(sorted(staff)),
        resting=resting,
        over_home_limit=over_limit,
        home_limit=limit,
    )
