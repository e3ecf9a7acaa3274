"""The challenge board: each theme tallied across survey answers, focus groups and
interviews, ranked, linked to its evidence and to the alliance service that answers it."""

from __future__ import annotations

import importlib
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import NoReverseMatch, reverse

from alliance.community.models import Answer, Question, Quote, Session, Theme
from alliance.members.models import Alliance

log = logging.getLogger("alliance.community")


@dataclass
class ThemeTally:
    theme: Theme
    survey_mentions: int = 0
    quotes: int = 0
    sessions: int = 0
    service_link: str = ""
    figures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.survey_mentions + self.quotes


def service_link(theme: Theme, alliance: Alliance) -> str:
    """The URL of the service's hub page, or "" when that module is not installed yet."""
    if not theme.service_url:
        return ""
    try:
        return reverse(theme.service_url, kwargs={"alliance_slug": alliance.slug})
    except NoReverseMatch:
        return ""


def service_figures(theme: Theme, alliance: Alliance) -> list[tuple[str, str]]:
    """Live figures from the module behind the theme. A module may offer
    ``<app>.community.figures(alliance) -> list[(label, value)]``; modules that do not
    exist or offer nothing give no figures."""
    app = theme.service_url.split(":", 1)[0] if theme.service_url else ""
    if not app or app == "community":
        return []
    try:
        module = importlib.import_module(f"alliance.{app}.community")
    except ImportError:
        return []
    figures = getattr(module, "figures", None)
    if figures is None:
        return []
    try:
        return [(str(label), str(value)) for label, value in figures(alliance)]
    except Exception:  # noqa: BLE001 - another module's fault must not break the board
        log.exception("figures failed", extra={"app": app})
        return []


def challenge_board(alliance: Alliance, *, with_figures: bool = True) -> list[ThemeTally]:
    """Themes ranked by evidence (survey mentions plus quotes). Four queries plus any
    service figures."""
    themes = list(Theme.objects.filter(alliance=alliance))
    tallies = {t.code: ThemeTally(theme=t) for t in themes}
    by_id = {t.pk: tallies[t.code] for t in themes}
    # Survey mentions: submitted answers whose option carries a theme.
    theme_of: dict[tuple[int, str], str] = {}
    for qid, choices in Question.objects.filter(
        alliance=alliance, kind__in=["single", "multiple"]
    ).values_list("pk", "choices"):
        for c in choices or []:
            if c.get("theme") in tallies:
                theme_of[(qid, c["value"])] = c["theme"]
    if theme_of:
        mentioned: Counter[str] = Counter()
        for qid, choice, n in (
            Answer.objects.filter(
                question_id__in={q for q, _c in theme_of}, response__submitted_at__isnull=False
            )
            .values("question_id", "choice")
            .annotate(n=Count("id"))
            .values_list("question_id", "choice", "n")
        ):
            code = theme_of.get((qid, choice))
            if code:
                mentioned[code] += n
        for code, n in mentioned.items():
            tallies[code].survey_mentions = n
    for theme_id, quotes, sessions in (
        Quote.themes.through.objects.filter(theme__alliance=alliance)
        .values("theme_id")
        .annotate(q=Count("quote_id"), s=Count("quote__session_id", distinct=True))
        .values_list("theme_id", "q", "s")
    ):
        by_id[theme_id].quotes = quotes
        by_id[theme_id].sessions = sessions
    for tally in tallies.values():
        tally.service_link = service_link(tally.theme, alliance)
        if with_figures:
            tally.figures = service_figures(tally.theme, alliance)
    return sorted(tallies.values(), key=lambda t: (-t.total, t.theme.position, t.theme.name))


def theme_evidence(theme: Theme) -> list[Quote]:
    return list(
        Quote.objects.filter(themes=theme).select_related("session").order_by("-session__held_on")
    )


def session_count(alliance: Alliance) -> dict[str, int]:
    return dict(
        Session.objects.filter(alliance=alliance)
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
