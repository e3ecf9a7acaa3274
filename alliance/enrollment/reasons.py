"""Readable labels for the matching engine's reason keys (see matching.score)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def label(key: str) -> str:
    kind, _sep, rank = key.partition(":")
    if kind == "together":
        return _("With sibling %(name)s") % {"name": rank}
    if kind == "priority":
        tiers = {
            "cps": _("Priority: referred by child protective services"),
            "income": _("Priority: low income (CCAP)"),
            "special_needs": _("Priority: special needs"),
            "dual_language": _("Priority: dual language learner"),
        }
        return tiers.get(rank, _("Priority: %(tier)s") % {"tier": rank})
    labels = {
        "base": _("Placed (base points)"),
        "preference": _("Family's choice no. %(rank)s"),
        "home_town": _("In the family's town"),
        "town": _("Family's preferred town no. %(rank)s"),
        "same_zip": _("Same ZIP code"),
        "schedule": _("Start date fits"),
        "waiting": _("Time waiting (months)"),
        "sibling": _("Sibling at this program"),
        "language": _("Speaks the family's language"),
        "ccap": _("Accepts CCAP"),
    }
    text = labels.get(kind, kind)
    return text % {"rank": rank} if "%(rank)s" in text else text


def explain(reasons: list) -> list[tuple[str, float]]:
    return [(label(str(key)), points) for key, points in reasons]
