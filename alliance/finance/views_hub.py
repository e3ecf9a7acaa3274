"""The hub's finance pages: every member side by side sorted by risk (drill into a member's
dashboard), the alliance's default targets and the value report (page, CSV, PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliance.core.forms import add_service_errors
from alliance.core.policy import Perm
from alliance.finance import figures, queries, services
from alliance.finance import value as value_report
from alliance.finance.forms import TargetsForm
from alliance.finance.views_program import _status_labels
from alliance.members.decorators import requires
from alliance.rules import finance as rules

PER_PAGE = 50


@requires(Perm.HUB_MANAGE)
def members(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    rows, as_of = figures.members_by_risk(alliance, timezone.localdate())
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/hub/members.html",
        {
            "alliance": alliance,
            "page": page,
            "pager": {"page": page},
            "groups": figures.group_quartiles(rows),
            "labels": figures.labels(),
            "status_labels": _status_labels(),
            "keys": figures.FIGURES,
            "count": len(rows),
            "as_of": as_of,
        },
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    row = queries.alliance_default(alliance)
    current = rules.Targets() if row is None else row
    initial = {k: getattr(current, k) for k in ("enrollment", "collection", "bad_debt", "dso")}
    form = TargetsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_targets(
                    acting_user=request.user,
                    alliance=alliance,
                    program=None,
                    values=form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Alliance default targets saved."))
                return redirect("finance:hub_members", alliance.slug)
        status = 422
    return render(
        request, "finance/hub/targets.html", {"alliance": alliance, "form": form}, status=status
    )


@requires(Perm.HUB_MANAGE)
def value(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    rows = value_report.value_report(alliance, timezone.localdate())
    return render(request, "finance/hub/value.html", {"alliance": alliance, "rows": rows})


@requires(Perm.HUB_MANAGE)
def value_export(request: HttpRequest, alliance_slug: str, fmt: str) -> HttpResponse:
    alliance = request.alliance
    today = timezone.localdate()
    if fmt not in ("csv", "pdf"):
        raise Http404
    rows = value_report.value_report(alliance, today)
    name = f"value-report-{alliance.slug}-{today.isoformat()}"
    if fmt == "csv":
        response = HttpResponse(value_report.as_csv(rows), content_type="text/csv")
    else:
        response = HttpResponse(
            value_report.as_pdf(alliance, rows, today), content_type="application/pdf"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
