"""The family's side: the public application form, and the family's own application page
(reached with the link we email, no sign-in needed, or from "My applications")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.core.forms import submit
from alliance.core.tenancy import scopes_disabled
from alliance.enrollment import services_applications, services_offers
from alliance.enrollment.access import access_family_application, family_offer
from alliance.enrollment.forms import ApplyForm, ReasonForm, UpdateApplicationForm, initial_from
from alliance.enrollment.models import (
    Application,
    ApplicationStatus,
    Enrollment,
    EnrollmentStatus,
    Offer,
    OfferStatus,
)
from alliance.families.queries import children_of, families_of
from alliance.members.models import Program


def _choices(alliance):
    programs = list(
        Program.objects.filter(alliance=alliance, listed_in_directory=True).order_by("name")
    )
    towns = sorted({p.town for p in programs if p.town})
    return programs, towns


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    programs, towns = _choices(alliance)
    form = ApplyForm(request.POST or None, programs=programs, towns=towns)
    submitted = submit(
        request,
        form,
        lambda cleaned: services_applications.submit_application(
            acting_user=request.user if request.user.is_authenticated else None,
            alliance=alliance,
            data=form.to_input(),
        ),
    )
    if submitted.ok:
        request.session["enrollment_application"] = submitted.result.token
        return redirect("enrollment:apply_thanks", alliance.slug)
    return render(
        request,
        "enrollment/family/apply.html",
        {"alliance": alliance, "form": form},
        status=422 if form.errors else 200,
    )


def apply_thanks(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    token = request.session.get("enrollment_application", "")
    application = Application.objects.filter(alliance=request.alliance, token=token).first()
    return render(
        request,
        "enrollment/family/thanks.html",
        {"alliance": request.alliance, "application": application},
    )


@require_http_methods(["GET", "POST"])
def family_application(request: HttpRequest, alliance_slug: str, token: str) -> HttpResponse:
    alliance = request.alliance
    application = access_family_application(alliance, token)
    programs, towns = _choices(alliance)
    waiting = application.status == ApplicationStatus.WAITING
    form = UpdateApplicationForm(
        request.POST or None,
        programs=programs,
        towns=towns,
        initial=initial_from(application),
    )
    if request.method == "POST":
        if not waiting:
            messages.error(request, _("Only a waiting application can be changed."))
            return redirect("enrollment:family_application", alliance.slug, token)
        if submit(
            request,
            form,
            lambda cleaned: services_applications.update_application(
                acting_user=request.user if request.user.is_authenticated else None,
                application=application,
                data=form.to_input(application),
            ),
            success=_("Your application is updated."),
        ).ok:
            return redirect("enrollment:family_application", alliance.slug, token)
    offers = Offer.objects.filter(applicant__application=application).select_related(
        "program", "classroom", "applicant__child"
    )
    return render(
        request,
        "enrollment/family/application.html",
        {
            "alliance": alliance,
            "application": application,
            "applicants": application.applicants.select_related("child"),
            "offers": offers,
            "now": timezone.now(),
            "form": form,
            "waiting": waiting,
            "token": token,
        },
        status=422 if form.errors else 200,
    )


@require_POST
def family_withdraw(request: HttpRequest, alliance_slug: str, token: str) -> HttpResponse:
    application = access_family_application(request.alliance, token)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services_applications.withdraw_application(
            acting_user=request.user if request.user.is_authenticated else None,
            application=application,
            reason=reason,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("enrollment:family_application", request.alliance.slug, token)


@require_POST
def family_confirm(request: HttpRequest, alliance_slug: str, token: str) -> HttpResponse:
    """The family answers the "still interested?" check-in."""
    application = access_family_application(request.alliance, token)
    try:
        services_applications.confirm_interest(
            acting_user=request.user if request.user.is_authenticated else None,
            application=application,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you: you stay on the waiting list."))
    return redirect("enrollment:family_application", request.alliance.slug, token)


@require_POST
def family_offer_answer(
    request: HttpRequest, alliance_slug: str, token: str, offer_id: int
) -> HttpResponse:
    application = access_family_application(request.alliance, token)
    offer = family_offer(application, offer_id)
    actor = request.user if request.user.is_authenticated else None
    try:
        if request.POST.get("answer") == "accept":
            services_offers.accept_offer(acting_user=actor, offer=offer)
            messages.success(
                request,
                _("Welcome! %(child)s is enrolled at %(program)s. The program will contact you.")
                % {"child": offer.applicant.child.first_name, "program": offer.program.name},
            )
        elif request.POST.get("answer") == "decline":
            services_offers.decline_offer(
                acting_user=actor, offer=offer, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("You declined the offer. You stay on the waiting list."))
        else:
            messages.error(request, _("Choose accept or decline."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("enrollment:family_application", request.alliance.slug, token)


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    """The signed-in family's dashboard: its children with their current enrollments and
    every application, all through ``Family.account`` (never by email)."""
    user = request.user
    with scopes_disabled():
        applications = list(
            Application.objects.filter(family__in=families_of(user))
            .select_related("alliance", "family")
            .prefetch_related("applicants__child")
            .order_by("-submitted_at")[:50]
        )
        pending = set(
            Offer.objects.filter(
                applicant__application__in=applications, status=OfferStatus.PENDING
            ).values_list("applicant__application_id", flat=True)
        )
        today = timezone.localdate()
        children = list(children_of(user).select_related("family__alliance"))
        enrolled: dict[int, list] = {}
        for e in (
            Enrollment.objects.filter(child__in=children, status=EnrollmentStatus.ACTIVE)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .select_related("program", "classroom")
            .order_by("start_date")
        ):
            enrolled.setdefault(e.child_id, []).append(e)
    return render(
        request,
        "enrollment/family/mine.html",
        {
            "applications": applications,
            "pending": pending,
            "children": [{"child": c, "enrollments": enrolled.get(c.pk, [])} for c in children],
        },
    )
