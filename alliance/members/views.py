"""Public pages of an alliance: home, member directory, membership application."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliance.core import policy
from alliance.core.forms import submit
from alliance.core.policy import Perm
from alliance.core.tables import build_table
from alliance.members import queries, services
from alliance.members.access import access_directory_entry
from alliance.members.forms import ApplicationForm, DirectoryFilterForm


def alliance_home(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    summary = queries.hub_summary(alliance, today=timezone.localdate())
    tiers = queries.tiers_of(alliance, offered_only=True)
    return render(
        request,
        "members/alliance_home.html",
        {"alliance": alliance, "summary": summary, "tiers": tiers},
    )


def directory(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    form = DirectoryFilterForm(request.GET or None, towns=queries.directory_towns(alliance))
    filters = form.cleaned_data if form.is_valid() else {}
    table = build_table(
        request,
        queries.directory_programs(
            alliance,
            town=filters.get("town", ""),
            kind=filters.get("kind", ""),
            q=filters.get("q", ""),
            ccap=filters.get("ccap", False),
        ),
        columns=[
            (_("Program"), "name"),
            (_("Town"), "town"),
            (_("Type"), "kind"),
            (_("Ages"), None),
            (_("CCAP"), None),
        ],
        orderings={"name": ("name",), "town": ("town", "name"), "kind": ("kind", "name")},
        default_sort="name",
        per_page=25,
    )
    template = (
        "members/_directory_results.html" if is_partial(request) else "members/directory.html"
    )
    return render(
        request,
        template,
        {"alliance": alliance, "form": form, "table": table, "members_view": _is_member(request)},
    )


def directory_entry(request: HttpRequest, alliance_slug: str, entry_slug: str) -> HttpResponse:
    program = access_directory_entry(request.alliance.pk, entry_slug)
    return render(
        request,
        "members/directory_entry.html",
        {"alliance": request.alliance, "program": program, "members_view": _is_member(request)},
    )


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    form = ApplicationForm(request.POST if request.method == "POST" else None, alliance=alliance)
    if submit(
        request,
        form,
        lambda data: services.submit_application(
            alliance=alliance, data={k: v for k, v in data.items() if k != "confirm"}
        ),
    ).ok:
        return redirect("members:apply_thanks", alliance_slug=alliance.slug)
    return render(
        request,
        "members/apply.html",
        {"alliance": alliance, "form": form},
        status=422 if form.errors else 200,
    )


def apply_thanks(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    return render(request, "members/apply_thanks.html", {"alliance": request.alliance})


def _is_member(request: HttpRequest) -> bool:
    """Signed in with a role in *this* alliance: may see members-only directory fields."""
    return policy.has_perm(request.user, Perm.ALLIANCE_MEMBER, alliance=request.alliance)


def is_partial(request: HttpRequest) -> bool:
    """An htmx swap asks for the partial; a history restore needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request
