"""Priority tiers of coordinated enrollment, as data (``data/enrollment_priority.json``):
child protective services, income, special needs, dual language, then date (time waiting,
which the matching engine scores itself). Pure: no Django."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

_FILE = Path(__file__).with_name("data") / "enrollment_priority.json"


@cache
def priority_tiers() -> tuple[tuple[str, int, str], ...]:
    """(key, points, English label) of each tier, highest first."""
    data = json.loads(_FILE.read_text())
    return tuple((t["key"], int(t["points"]), t["label"]) for t in data["tiers"])


def family_tiers(
    *,
    cps_referral: bool,
    ccap: str,
    special_needs: str,
    languages: Iterable[str],
) -> list[str]:
    """The tiers a family meets, from its application: a child protective services referral
    (set by the hub), income (CCAP voucher or applying), special needs (described), and a
    dual language learner (any home language other than English)."""
    met = {
        "cps": bool(cps_referral),
        "income": ccap in ("eligible", "applying"),
        "special_needs": bool((special_needs or "").strip()),
        "dual_language": any(lang and lang != "en" for lang in languages),
    }
    return [key for key, _points, _label in priority_tiers() if met.get(key)]


def priority_points(tiers: Iterable[str]) -> list[tuple[str, int]]:
    """(reason key, points) for each tier met, in tier order (``priority:<key>``)."""
    wanted = set(tiers)
    return [(f"priority:{key}", pts) for key, pts, _label in priority_tiers() if key in wanted]
