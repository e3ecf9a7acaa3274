"""Hub pages: the alliance's own administration. Every view requires HUB_MANAGE."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliance.accounts.services import invite
from alliance.core.charts import Bar, bar_chart
from alliance.core.forms import submit
from alliance.core.policy import Perm, RoleKind
from alliance.core.tables import build_table
from alliance.members import queries, services
from alliance.members.access import (
    access_application,
    access_member,
    access_membership,
    access_tier,
)
from alliance.members.csv_export import member_rows_csv
from alliance.members.decorators import requires
from alliance.members.forms import (
    ApproveForm,
    DeclineForm,
    InviteDirectorForm,
    MembershipForm,
    TierEditForm,
    TierForm,
)
from alliance.members.models import ApplicationStatus
from alliance.members.views import is_partial


@requires(Perm.HUB_MANAGE)
def dashboard(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    today = timezone.localdate()
    summary = queries.hub_summary(alliance, today=today)
    expiring = queries.expiring_licenses(alliance, today=today)
    chart = (
        bar_chart(
            [Bar(label=town, value=n) for town, n in summary.by_town],
            title=_("Member programs by town"),
        )
        if summary.by_town
        else None
    )
    return render(
        request,
        "members/hub/dashboard.html",
        {
            "alliance": alliance,
            "summary": summary,
            "expiring": expiring,
            "chart": chart,
            "activity": queries.recent_activity(limit=8),
        },
    )


def _member_columns() -> list[tuple[str, str | None]]:
    return [
        (_("Program"), "name"),
        (_("Type"), "kind"),
        (_("Town"), "town"),
        (_("Staffed / licensed"), "capacity"),
        (_("License expires"), "license"),
        (_("Tier"), "tier"),
        (_("Status"), "status"),
    ]


MEMBER_ORDERINGS = {
    "name": ("name",),
    "kind": ("kind", "name"),
    "town": ("town", "name"),
    "capacity": ("licensed_capacity",),
    "license": ("license_expires_on",),
    "tier": ("membership__tier__annual_fee",),
    "status": ("membership__status",),
}


@requires(Perm.HUB_MANAGE)
def members(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    q = request.GET.get("q", "").strip()[:100]
    table = build_table(
        request,
        queries.member_programs(alliance, q=q),
        columns=_member_columns(),
        orderings=MEMBER_ORDERINGS,
        default_sort="name",
    )
    today = timezone.localdate()
    for program in table.rows:
        program.days_left = program.license_days_left(today)
    template = (
        "members/hub/_members_table.html" if is_partial(request) else "members/hub/members.html"
    )
    return render(request, template, {"alliance": alliance, "table": table, "q": q})


@requires(Perm.HUB_MANAGE)
def members_csv(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    """Every member (or those matching ?q=) as CSV, for mail merges and the county report.
    One query however many members; built inside the request's tenant scope."""
    alliance = request.alliance
    q = request.GET.get("q", "").strip()[:100]
    programs = queries.member_programs(alliance, q=q).order_by("name", "pk")
    response = HttpResponse(
        "".join(member_rows_csv(programs, today=timezone.localdate())),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"{alliance.slug}-members-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@requires(Perm.HUB_MANAGE)
def applications(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    status = request.GET.get("status", ApplicationStatus.SUBMITTED)
    if status not in ApplicationStatus.values:
        status = ApplicationStatus.SUBMITTED
    table = build_table(
        request,
        queries.applications(request.alliance, status=status),
        columns=[
            (_("Program"), "name"),
            (_("Type"), None),
            (_("Town"), "town"),
            (_("Submitted"), "submitted"),
        ],
        orderings={"name": ("program_name",), "town": ("town",), "submitted": ("submitted_at",)},
        default_sort="-submitted",
    )
    return render(
        request,
        "members/hub/applications.html",
        {
            "alliance": request.alliance,
            "table": table,
            "status": status,
            "statuses": ApplicationStatus.choices,
        },
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def application_detail(
    request: HttpRequest, alliance_slug: str, application_id: int
) -> HttpResponse:
    alliance = request.alliance
    application = access_application(alliance.pk, application_id)
    approve_form = ApproveForm(alliance=alliance, initial={"tier": application.tier_id})
    decline_form = DeclineForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "approve":
            approve_form = ApproveForm(request.POST, alliance=alliance)
            if submit(
                request,
                approve_form,
                lambda data: services.approve_application(
                    acting_user=request.user, application=application, tier=data["tier"]
                ),
                success=lambda program: (
                    _(
                        "%(name)s is now a member. We emailed %(email)s "
                        "an invitation to sign in as director."
                    )
                    % {"name": program.name, "email": application.email}
                ),
            ).ok:
                return redirect("members:hub_application", alliance.slug, application.pk)
        elif action == "decline":
            decline_form = DeclineForm(request.POST)
            if submit(
                request,
                decline_form,
                lambda data: services.decline_application(
                    acting_user=request.user, application=application, note=data["decision_note"]
                ),
            ).ok:
                messages.info(request, _("The application was declined."))
                return redirect("members:hub_application", alliance.slug, application.pk)
    has_errors = approve_form.errors or decline_form.errors
    return render(
        request,
        "members/hub/application_detail.html",
        {
            "alliance": alliance,
            "application": application,
            "approve_form": approve_form,
            "decline_form": decline_form,
        },
        status=422 if has_errors else 200,
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def membership_edit(request: HttpRequest, alliance_slug: str, member_id: int) -> HttpResponse:
    alliance = request.alliance
    program = access_member(alliance.pk, member_id)
    membership = access_membership(program)
    form = MembershipForm(
        request.POST if request.method == "POST" else None,
        alliance=alliance,
        initial={
            "status": membership.status,
            "tier": membership.tier_id,
            "fee_paid_through": membership.fee_paid_through,
        },
    )
    if submit(
        request,
        form,
        lambda data: services.change_membership(
            acting_user=request.user, membership=membership, **data
        ),
        success=_("Membership of %(name)s saved.") % {"name": program.name},
    ).ok:
        return redirect("members:hub_members", alliance.slug)
    return render(
        request,
        "members/hub/membership_form.html",
        {
            "alliance": alliance,
            "program": program,
            "membership": membership,
            "form": form,
            "detail": queries.member_detail(program),
            "days_left": program.license_days_left(timezone.localdate()),
        },
        status=422 if form.errors else 200,
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def tiers(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    form = TierForm(request.POST if request.method == "POST" else None)
    if submit(
        request,
        form,
        lambda data: services.create_tier(acting_user=request.user, alliance=alliance, **data),
        success=_("Tier added."),
    ).ok:
        return redirect("members:hub_tiers", alliance.slug)
    return render(
        request,
        "members/hub/tiers.html",
        {
            "alliance": alliance,
            "form": form,
            "tiers": queries.tiers_of(alliance),
        },
        status=422 if form.errors else 200,
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def tier_edit(request: HttpRequest, alliance_slug: str, tier_id: int) -> HttpResponse:
    alliance = request.alliance
    tier = access_tier(alliance.pk, tier_id)
    form = TierEditForm(
        request.POST if request.method == "POST" else None,
        initial={
            "name": tier.name,
            "annual_fee": tier.annual_fee,
            "description": tier.description,
            "is_active": tier.is_active,
        },
    )
    if submit(
        request,
        form,
        lambda data: services.update_tier(acting_user=request.user, tier=tier, **data),
        success=lambda _result: _("Tier “%(name)s” saved.") % {"name": tier.name},
    ).ok:
        return redirect("members:hub_tiers", alliance.slug)
    return render(
        request,
        "members/hub/tier_form.html",
        {"alliance": alliance, "tier": tier, "form": form},
        status=422 if form.errors else 200,
    )


@requires(Perm.HUB_MANAGE)
@require_http_methods(["GET", "POST"])
def invite_director(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    form = InviteDirectorForm(request.POST if request.method == "POST" else None, alliance=alliance)
    if submit(
        request,
        form,
        lambda data: invite(
            acting_user=request.user,
            email=data["email"],
            kind=RoleKind.DIRECTOR,
            alliance=alliance,
            program=data["program"],
            full_name=data["full_name"],
            language=data["language"] or None,
        ),
        success=lambda _result: (
            _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
        ),
    ).ok:
        return redirect("members:hub_dashboard", alliance.slug)
    return render(
        request,
        "members/hub/invite.html",
        {"alliance": alliance, "form": form},
        status=422 if form.errors else 200,
    )


@requires(Perm.HUB_MANAGE)
def audit(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    table = build_table(
        request,
        queries.audit_entries(),
        columns=[(_("When"), "at"), (_("Who"), None), (_("Program"), None), (_("What"), None)],
        orderings={"at": ("at",)},
        default_sort="-at",
        per_page=50,
    )
    return render(request, "members/audit.html", {"alliance": request.alliance, "table": table})
