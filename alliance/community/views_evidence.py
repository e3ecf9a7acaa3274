"""Hub pages for the needs-assessment evidence: the challenge board, themes, focus groups
and interviews with their tagged quotes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.community import board
from alliance.community import services_evidence as services
from alliance.community.access import access_session, access_theme
from alliance.community.forms import QuoteForm, SessionForm, ThemeForm
from alliance.community.models import Session
from alliance.core.forms import submit
from alliance.core.policy import Perm
from alliance.members.decorators import requires


@requires(Perm.HUB_MANAGE)
def challenge_board(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    form = ThemeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if submit(
            request,
            form,
            lambda data: services.add_theme(alliance=alliance, acting_user=request.user, **data),
            success=_("Theme added."),
        ).ok:
            return redirect("community:hub_board", alliance.slug)
        status = 422
    tallies = board.challenge_board(alliance)
    top = max([t.total for t in tallies] or [0]) or 1
    for t in tallies:
        t.width = round(t.total * 100 / top)
    return render(
        request,
        "community/evidence/board.html",
        {
            "alliance": alliance,
            "tallies": tallies,
            "form": form,
            "sessions": board.session_count(alliance),
        },
        status=status,
    )


@require_POST
@requires(Perm.HUB_MANAGE)
def standard_themes(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    services.ensure_themes(alliance=request.alliance)
    messages.success(request, _("The standard challenge themes are on the board."))
    return redirect("community:hub_board", request.alliance.slug)


@requires(Perm.HUB_MANAGE)
def theme_detail(request: HttpRequest, alliance_slug: str, theme_id: int) -> HttpResponse:
    theme = access_theme(request.alliance.pk, theme_id)
    return render(
        request,
        "community/evidence/theme.html",
        {
            "alliance": request.alliance,
            "theme": theme,
            "quotes": board.theme_evidence(theme),
            "service_link": board.service_link(theme, request.alliance),
        },
    )


@requires(Perm.HUB_MANAGE)
def sessions(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    form = SessionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        created = submit(
            request,
            form,
            lambda data: services.create_session(
                alliance=alliance, acting_user=request.user, **data
            ),
        )
        if created.ok:
            services.ensure_themes(alliance=alliance)
            messages.success(request, _("Session recorded. Add its quotes."))
            return redirect("community:hub_session", alliance.slug, created.result.pk)
        status = 422
    rows = list(Session.objects.filter(alliance=alliance).order_by("-held_on")[:200])
    return render(
        request,
        "community/evidence/sessions.html",
        {"alliance": alliance, "sessions": rows, "form": form},
        status=status,
    )


@requires(Perm.HUB_MANAGE)
def session_detail(request: HttpRequest, alliance_slug: str, session_id: int) -> HttpResponse:
    alliance = request.alliance
    session = access_session(alliance.pk, session_id)
    form = QuoteForm(request.POST or None, alliance=alliance)
    status = 200
    if request.method == "POST":
        if submit(
            request,
            form,
            lambda data: services.add_quote(
                session=session,
                acting_user=request.user,
                text=data["text"],
                speaker=data["speaker"],
                themes=list(data["themes"]),
            ),
            success=_("Quote added."),
        ).ok:
            return redirect("community:hub_session", alliance.slug, session.pk)
        status = 422
    quotes = session.quotes.prefetch_related("themes")
    return render(
        request,
        "community/evidence/session.html",
        {"alliance": alliance, "session": session, "quotes": quotes, "form": form},
        status=status,
    )
