"""Who may be offered a request (eligibility) and in which order (the score).

Pure functions over plain data: :mod:`alliance.substitutes.candidates` loads the facts
about every substitute in a handful of queries, and this module decides. That keeps the
rules testable without a database and ranking 5,000 substitutes fast.

Eligibility is a gate (never offered if any rule fails); the score orders the eligible.
Each factor gives a value between 0 and 1, multiplied by its weight from ``WEIGHTS``; the
reasons shown to the director list each factor's points and why.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date, time
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

# Checks a substitute must hold, valid on every day of the shift.
REQUIRED_CHECKS = ("cpr_first_aid", "cari", "fingerprints")

# Weights of the score (points for a perfect value of each factor). Data, not code: the
# hub's documentation (docs/substitutes.md) explains each one.
WEIGHTS: dict[str, float] = {
    "requested": 40.0,  # the director asked for this person
    "qualifications": 25.0,  # fit for the classroom's ages and role
    "distance": 20.0,  # closer to the program
    "rating": 15.0,  # directors' past ratings
    "reliability": 20.0,  # no no-shows or late cancellations
    "preference": 10.0,  # the substitute likes working at this program
    "fairness": 10.0,  # spread the work: fewer recent shifts rank higher
    "language": 10.0,  # speaks a language of the program
}

NEUTRAL_RATING = 0.6  # a newcomer without ratings counts like a 3.4-star average


@dataclass(frozen=True)
class RequestFacts:
    """What the ranking needs to know about one request."""

    program_id: int
    town: str
    languages: frozenset[str]
    days: tuple[date, ...]
    start: time
    end: time
    requirements: frozenset[str]
    wanted: frozenset[str]  # qualifications that help for this classroom (not required)
    preferred_user_id: int | None = None


@dataclass(slots=True)
class Candidate:
    """Facts about one substitute, loaded for one request."""

    user_id: int
    name: str
    town: str
    travel_miles: int
    qualifications: frozenset[str]
    languages: frozenset[str]
    active: bool = True
    checks_ok: bool = True  # every required check valid on every day
    missing_checks: tuple[str, ...] = ()
    windows: dict[int, list[tuple[time, time]]] = field(default_factory=dict)  # weekday →
    days_off: frozenset[date] = frozenset()
    busy: frozenset[date] = frozenset()  # days with an overlapping confirmed shift
    preferred_programs: frozenset[int] = frozenset()
    blocked_programs: frozenset[int] = frozenset()  # either side blocked
    rating_avg: float | None = None
    ratings: int = 0
    assignments: int = 0
    no_shows: int = 0
    late_cancels: int = 0
    recent_shifts: int = 0  # days worked in the last 30 days


@dataclass(slots=True)
class Ranked:
    candidate: Candidate
    score: float
    reasons: list[dict]


@cache
def town_centroids() -> dict[str, tuple[float, float]]:
    data = json.loads((Path(__file__).parent / "data" / "towns.json").read_text())
    return {name.lower(): tuple(v) for name, v in data.items() if not name.startswith("_")}


@cache
def miles_between(town_a: str, town_b: str) -> float | None:
    """Great-circle miles between two town centroids; None if either town is unknown."""
    towns = town_centroids()
    a, b = towns.get(town_a.strip().lower()), towns.get(town_b.strip().lower())
    if a is None or b is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 3958.8 * 2 * math.asin(math.sqrt(h))


INELIGIBLE = {
    "inactive": _lazy("not active in the pool"),
    "checks": _lazy("a background check or CPR/First Aid is missing or expired"),
    "blocked": _lazy("blocked (by the program or the substitute)"),
    "qualification": _lazy("missing a required qualification"),
    "unavailable": _lazy("not available on one of the days"),
    "busy": _lazy("already working then"),
    "distance": _lazy("outside their travel radius"),
}


def ineligibility(candidate: Candidate, request: RequestFacts) -> str | None:
    """Why ``candidate`` may not be offered ``request`` (a key of ``INELIGIBLE``), or None."""
    if not candidate.active:
        return "inactive"
    if not candidate.checks_ok:
        return "checks"
    if request.program_id in candidate.blocked_programs:
        return "blocked"
    if not request.requirements <= candidate.qualifications:
        return "qualification"
    for day in request.days:
        if day in candidate.days_off:
            return "unavailable"
        if day in candidate.busy:
            return "busy"
        windows = candidate.windows.get(day.weekday(), ())
        if not any(s <= request.start and e >= request.end for s, e in windows):
            return "unavailable"
    miles = miles_between(candidate.town, request.town)
    if miles is not None and miles > candidate.travel_miles:
        return "distance"
    return None


def _factors(candidate: Candidate, request: RequestFacts) -> list[tuple[str, float, tuple]]:
    """(factor, value 0–1, facts for the explanation) for each factor of the score."""
    out: list[tuple[str, float, tuple]] = []
    if request.preferred_user_id == candidate.user_id:
        out.append(("requested", 1.0, ()))
    wanted = request.wanted
    if wanted:
        matched = len(wanted & candidate.qualifications)
        out.append(("qualifications", matched / len(wanted), (matched, len(wanted))))
    miles = miles_between(candidate.town, request.town)
    if miles is None:
        out.append(("distance", 0.5, (None,)))
    else:
        out.append(("distance", max(0.0, 1 - miles / 25), (miles,)))
    if candidate.rating_avg is None:
        out.append(("rating", NEUTRAL_RATING, (None, 0)))
    else:
        value = (candidate.rating_avg - 1) / 4
        out.append(("rating", value, (candidate.rating_avg, candidate.ratings)))
    misses = candidate.no_shows * 2 + candidate.late_cancels
    reliability = 1.0 if not candidate.assignments else max(0.0, 1 - misses / candidate.assignments)
    facts = (candidate.no_shows, candidate.late_cancels, candidate.assignments)
    out.append(("reliability", reliability, facts))
    if request.program_id in candidate.preferred_programs:
        out.append(("preference", 1.0, ()))
    fairness = max(0.0, 1 - candidate.recent_shifts / 10)
    out.append(("fairness", fairness, (candidate.recent_shifts,)))
    if request.languages:
        shared = request.languages & candidate.languages
        out.append(("language", 1.0 if shared else 0.0, (sorted(shared),)))
    return out


def _why(factor: str, facts: tuple) -> str:
    if factor == "requested":
        return _("requested by the director")
    if factor == "qualifications":
        return _("%(n)d of %(total)d helpful qualifications") % {"n": facts[0], "total": facts[1]}
    if factor == "distance":
        if facts[0] is None:
            return _("distance unknown")
        return _("%(miles).1f miles away") % {"miles": facts[0]}
    if factor == "rating":
        if facts[0] is None:
            return _("no ratings yet")
        return _("rated %(avg).1f/5 in %(n)d ratings") % {"avg": facts[0], "n": facts[1]}
    if factor == "reliability":
        return _("%(ns)d no-shows, %(lc)d late cancellations in %(n)d shifts") % {
            "ns": facts[0],
            "lc": facts[1],
            "n": facts[2],
        }
    if factor == "preference":
        return _("likes working here")
    if factor == "fairness":
        return _("%(n)d days worked in the last 30 days") % {"n": facts[0]}
    if factor == "language":
        if facts[0]:
            return _("speaks %(langs)s") % {"langs": ", ".join(facts[0])}
        return _("no shared language with the program")
    return factor


def score(candidate: Candidate, request: RequestFacts) -> float:
    """The candidate's points: the sum of each factor's value times its weight."""
    return round(sum(WEIGHTS[f] * v for f, v, _facts in _factors(candidate, request)), 2)


def explain(candidate: Candidate, request: RequestFacts) -> list[dict]:
    """Each factor's points and why, best first (shown to the director)."""
    reasons = [
        {"factor": f, "points": round(WEIGHTS[f] * v, 1), "why": _why(f, facts)}
        for f, v, facts in _factors(candidate, request)
    ]
    reasons.sort(key=lambda r: -r["points"])
    return reasons


def rank(candidates: list[Candidate], request: RequestFacts) -> list[Ranked]:
    """Eligible candidates, best first (ties: fewer recent shifts, then user id).

    The same rules as :func:`ineligibility` and the same points as :func:`score`, written
    as one loop with the request's facts hoisted, because it runs over the whole pool on
    every dispatch (5,000 substitutes in a few milliseconds). Reasons are not written here;
    call :func:`explain` for the few that are shown or offered."""
    days = [(day, day.weekday()) for day in request.days]
    start, end, pid = request.start, request.end, request.program_id
    required, wanted, langs = request.requirements, request.wanted, request.languages
    n_wanted = len(wanted)
    w = WEIGHTS
    w_req, w_qual, w_dist, w_rate = w["requested"], w["qualifications"], w["distance"], w["rating"]
    w_rel, w_pref, w_fair, w_lang = w["reliability"], w["preference"], w["fairness"], w["language"]
    miles_to: dict[str, float | None] = {}
    ranked = []
    for c in candidates:
        if not c.active or not c.checks_ok or pid in c.blocked_programs:
            continue
        if required and not required <= c.qualifications:
            continue
        free = True
        for day, weekday in days:
            if day in c.days_off or day in c.busy:
                free = False
                break
            for s, e in c.windows.get(weekday, ()):
                if s <= start and e >= end:
                    break
            else:
                free = False
                break
        if not free:
            continue
        town = c.town
        if town in miles_to:
            miles = miles_to[town]
        else:
            miles = miles_to[town] = miles_between(town, request.town)
        if miles is not None and miles > c.travel_miles:
            continue
        total = w_req if request.preferred_user_id == c.user_id else 0.0
        if n_wanted:
            total += w_qual * len(wanted & c.qualifications) / n_wanted
        total += w_dist * (0.5 if miles is None else max(0.0, 1 - miles / 25))
        rating = NEUTRAL_RATING if c.rating_avg is None else (c.rating_avg - 1) / 4
        total += w_rate * rating
        if c.assignments:
            misses = c.no_shows * 2 + c.late_cancels
            total += w_rel * max(0.0, 1 - misses / c.assignments)
        else:
            total += w_rel
        if pid in c.preferred_programs:
            total += w_pref
        total += w_fair * max(0.0, 1 - c.recent_shifts / 10)
        if langs and langs & c.languages:
            total += w_lang
        ranked.append(Ranked(c, round(total, 2), []))
    ranked.sort(key=lambda r: (-r.score, r.candidate.recent_shifts, r.candidate.user_id))
    return ranked


def wanted_qualifications(age_min_months: int | None, age_max_months: int | None) -> frozenset[str]:
    """Qualifications that help in a classroom of these ages (besides lead/degree/CDA)."""
    wanted = {"lead_teacher", "cda", "degree"}
    if age_min_months is None or age_max_months is None:
        return frozenset(wanted)
    if age_min_months < 30:
        wanted.add("infant_toddler")
    if age_max_months > 30 and age_min_months < 72:
        wanted.add("preschool")
    if age_max_months >= 72:
        wanted.add("school_age")
    return frozenset(wanted)
