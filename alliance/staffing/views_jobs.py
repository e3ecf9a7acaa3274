"""A program's hiring pages: its postings, each posting's pipeline, hiring, the talent pool."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliance.core.forms import submit
from alliance.core.policy import Perm
from alliance.members.decorators import requires
from alliance.staffing import queries_jobs, services_jobs
from alliance.staffing.access import access_application, access_candidate, access_posting
from alliance.staffing.forms import HireForm, PoolSearchForm, PostingForm, StageForm
from alliance.staffing.models import PostingStatus
from alliance.staffing.models_jobs import PIPELINE

MANAGE = Perm.PROGRAM_MANAGE


@requires(MANAGE)
def postings(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    return render(
        request,
        "staffing/postings.html",
        {"program": program, "postings": list(queries_jobs.postings_of(program)[:200])},
    )


@requires(MANAGE)
@require_http_methods(["GET", "POST"])
def posting_new(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    form = PostingForm(request.POST if request.method == "POST" else None)
    outcome = submit(
        request,
        form,
        lambda data: services_jobs.create_posting(
            acting_user=request.user, program=program, **data
        ),
        success=_("The job is posted on the alliance's job board."),
    )
    if outcome.ok:
        return redirect("staffing:posting", program.slug, outcome.result.pk)
    return render(
        request,
        "staffing/posting_form.html",
        {"program": program, "form": form},
        status=422 if form.errors else 200,
    )


@requires(MANAGE)
@require_http_methods(["GET", "POST"])
def posting(request: HttpRequest, program_slug: str, posting_id: int) -> HttpResponse:
    """The posting's pipeline; POST opens or closes it."""
    program = request.program
    job = access_posting(program, posting_id)
    if request.method == "POST":
        status = PostingStatus.CLOSED if request.POST.get("close") else PostingStatus.OPEN
        services_jobs.update_posting(acting_user=request.user, posting=job, status=status)
        messages.success(request, _("Posting updated."))
        return redirect("staffing:posting", program.slug, job.pk)
    applications = list(queries_jobs.applications_of(job)[:500])
    columns = [(stage, [a for a in applications if a.stage == stage]) for stage in PIPELINE]
    declined = [a for a in applications if a.stage not in PIPELINE]
    return render(
        request,
        "staffing/posting.html",
        {"program": program, "job": job, "columns": columns, "declined": declined},
    )


@requires(MANAGE)
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, program_slug: str, application_id: int) -> HttpResponse:
    program = request.program
    app = access_application(program, application_id)
    stage_form = StageForm(initial={"stage": app.stage, "note": app.note})
    hire_form = HireForm(
        initial={
            "hire_date": timezone.localdate(),
            "wage": app.posting.wage_min,
            "hours_per_week": app.posting.hours_per_week,
        }
    )
    if request.method == "POST":
        if request.POST.get("hire"):
            hire_form = HireForm(request.POST)
            outcome = submit(
                request,
                hire_form,
                lambda data: services_jobs.hire(acting_user=request.user, application=app, **data),
                success=lambda staff: (
                    _("%(name)s is hired; their staff record is ready.") % {"name": staff.full_name}
                ),
            )
            if outcome.ok:
                return redirect("staffing:staff_detail", program.slug, outcome.result.pk)
        else:
            stage_form = StageForm(request.POST)
            if submit(
                request,
                stage_form,
                lambda data: services_jobs.move_application(
                    acting_user=request.user, application=app, **data
                ),
                success=_("Application moved."),
            ).ok:
                return redirect("staffing:posting", program.slug, app.posting_id)
    errors = stage_form.errors or hire_form.errors
    return render(
        request,
        "staffing/application.html",
        {
            "program": program,
            "app": app,
            "candidate": app.candidate,
            "stage_form": stage_form,
            "hire_form": hire_form,
        },
        status=422 if errors else 200,
    )


def pool_context(request: HttpRequest, program) -> dict:
    form = PoolSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    candidates = queries_jobs.talent_pool(
        request.alliance.pk, program=program, **{k: v for k, v in filters.items() if v}
    )
    return {"form": form, "candidates": list(candidates[:100]), "count": candidates.count()}


@requires(MANAGE)
def talent_pool(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    return render(
        request, "staffing/pool.html", {"program": program, **pool_context(request, program)}
    )


@requires(MANAGE)
def candidate(request: HttpRequest, program_slug: str, candidate_id: int) -> HttpResponse:
    program = request.program
    person = access_candidate(program.alliance_id, candidate_id, program)
    return render(request, "staffing/candidate.html", {"program": program, "candidate": person})
