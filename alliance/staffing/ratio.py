"""The ratio engine's pure part: from the children and staff in each room, who is short.

Centers use the state's ratio table (:func:`alliance.rules.ratios.required_staff`: youngest
child sets the ratio of a mixed-age group). Resting ratios apply only while the room rests
*and* a staff member is in the room *and* the building has enough staff for awake ratios;
otherwise the awake ratio applies and the board says why. A room on a field trip needs at
least the state's field-trip minimum. A family child care home needs its provider whenever
children are in care and may not exceed the state's limits, counted with the provider's own
children (:func:`alliance.rules.capacity.check_home`).
No Django here: the board (``alliance.staffing.board``) feeds it rows it read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from alliance.rules.capacity import HomeCheck, family_home_limits
from alliance.rules.ratios import required_staff

UNDER = "under"
OK = "ok"
OVER = "over"
EMPTY = "empty"
FAMILY_HOME = "family_home"

# Which ratio a room's requirement was computed with.
AWAKE = "awake"
RESTING = "resting"
RESTING_AWAKE = "resting_awake"  # children rest, but the conditions for resting ratios fail
HOME = "home"
# Why resting ratios do not apply to a resting room.
NO_STAFF_IN_ROOM = "no_staff_in_room"
BUILDING_SHORT = "building_short"


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
    # Additions (kept last so positional callers still work):
    field_trip: str = ""  # destination while the room is away on a field trip
    ratio_basis: str = AWAKE  # AWAKE, RESTING, RESTING_AWAKE or HOME
    rest_denied: str = ""  # NO_STAFF_IN_ROOM or BUILDING_SHORT when RESTING_AWAKE
    home_breaches: tuple[str, ...] = ()

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
    field_trip: str = "",
    building_short: bool = False,
    home: HomeCheck | None = None,
) -> RoomStatus:
    """The status of one room from the ages of the children in it and the staff in it.

    ``resting``: the children are resting; resting ratios then apply only with a staff
    member in the room and without ``building_short`` (not enough staff in the building
    for awake ratios). ``field_trip`` (the destination) raises the requirement to the
    state's field-trip minimum. ``home``: a family home's check with the provider's own
    children; without it the home is checked on the children in this room alone.
    """
    children = len(ages_in_months)
    over_limit = False
    limit = None
    breaches: tuple[str, ...] = ()
    denied = ""
    if program_kind == FAMILY_HOME:
        basis = HOME
        required = 1 if children else 0
        if home is not None:
            limit = home.limits.max_in_care
            breaches = home.breaches
        else:
            limits = family_home_limits(state, on)
            if limits is not None:
                limit = limits.max_in_care
                breaches = ("over_in_care",) if children > limits.max_in_care else ()
        over_limit = bool(breaches) and children > 0
        if not over_limit:
            breaches = ()
    else:
        if field_trip:
            resting = False
        if resting and not staff:
            denied = NO_STAFF_IN_ROOM
        elif resting and building_short:
            denied = BUILDING_SHORT
        basis = AWAKE if not resting else (RESTING_AWAKE if denied else RESTING)
        required = required_staff(
            state, list(ages_in_months), basis == RESTING, on=on, field_trip=bool(field_trip)
        )
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
        field_trip=field_trip,
        ratio_basis=basis,
        rest_denied=denied,
        home_breaches=breaches,
    )


def resting_at(
    moment: time, toggles: list[tuple[time, bool]], window: tuple[time, time] | None
) -> bool:
    """Whether a room rests at ``moment``: the latest change at or before it decides — the
    director's switches of the day, or the program's rest window starting (rest) and ending
    (awake). A switch at the same minute as a window edge wins. Awake by default."""
    events: list[tuple[time, int, bool]] = [(at, 1, value) for at, value in toggles]
    if window is not None:
        events += [(window[0], 0, True), (window[1], 0, False)]
    past = [e for e in events if e[0] <= moment]
    return max(past)[2] if past else False
