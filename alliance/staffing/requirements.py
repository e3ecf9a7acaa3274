"""Which credentials each staff role needs, as data per state, and how one person measures up.

New Jersey (Manual of Requirements for Child Care Centers, N.J.A.C. 3A:52, and 3A:54 for
registered family child care homes), simplified to what a director tracks:

* every staff member: a Child Abuse Record Information check (CARI), a fingerprint criminal
  history check (CHRI), a TB test, a medical exam and the orientation training;
* directors, head teachers, group teachers and family child care providers: current CPR and
  First Aid (and at least one person with it in every classroom: see ``ROOM_RULES``);
* directors and head teachers: a CDA credential or an early childhood degree (any one).

Pure data and functions: no Django imports, so other states are added by adding a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

EXPIRING_WITHIN_DAYS = 60


@dataclass(frozen=True)
class Requirement:
    key: str  # stable name, e.g. "cpr"
    kinds: tuple[str, ...]  # any one valid credential of these kinds satisfies it


_BACKGROUND = (
    Requirement("cari", ("cari",)),
    Requirement("fingerprints", ("fingerprints",)),
    Requirement("tb_test", ("tb_test",)),
    Requirement("physical", ("physical",)),
    Requirement("orientation", ("orientation",)),
)
_CPR = Requirement("cpr_first_aid", ("cpr_first_aid",))
_QUALIFICATION = Requirement("qualification", ("cda", "degree_associate", "degree_bachelor"))

RULES: dict[str, dict[str, tuple[Requirement, ...]]] = {
    "NJ": {
        "*": _BACKGROUND,
        "director": (_CPR, _QUALIFICATION),
        "head_teacher": (_CPR, _QUALIFICATION),
        "group_teacher": (_CPR,),
        "provider": (_CPR,),
    }
}

# Per classroom: at least one person scheduled there holds a valid credential of these kinds.
ROOM_RULES: dict[str, tuple[Requirement, ...]] = {"NJ": (_CPR,)}


def requirements_for(state: str, role: str) -> tuple[Requirement, ...]:
    """Everything ``role`` needs in ``state``; no rules loaded → nothing required."""
    table = RULES.get(state.upper(), {})
    return table.get("*", ()) + table.get(role, ())


def room_requirements(state: str) -> tuple[Requirement, ...]:
    return ROOM_RULES.get(state.upper(), ())


OK = "ok"
EXPIRING = "expiring"
LAPSED = "lapsed"
MISSING = "missing"


@dataclass(frozen=True)
class Held:
    """The dates of one credential a person holds (plain values, so rules stay pure)."""

    kind: str
    issued_on: date
    expires_on: date | None


def _expiry_key(held: Held) -> date:
    return held.expires_on or date.max


def evaluate(
    requirement: Requirement, held: list[Held], today: date
) -> tuple[str, Held | None, int | None]:
    """(status, the credential that counts, days left) for one requirement.

    A credential issued in the future does not count yet. Lapsed means one was held and
    every one has expired; expiring means the best one lapses within 60 days.
    """
    matching = [h for h in held if h.kind in requirement.kinds and h.issued_on <= today]
    if not matching:
        return MISSING, None, None
    best = max(matching, key=_expiry_key)
    if best.expires_on is None:
        return OK, best, None
    days_left = (best.expires_on - today).days
    if days_left < 0:
        return LAPSED, best, days_left
    if best.expires_on <= today + timedelta(days=EXPIRING_WITHIN_DAYS):
        return EXPIRING, best, days_left
    return OK, best, days_left


def is_valid(held: list[Held], kinds: tuple[str, ...], today: date) -> bool:
    return any(
        h.kind in kinds and h.issued_on <= today and (h.expires_on is None or h.expires_on >= today)
        for h in held
    )
