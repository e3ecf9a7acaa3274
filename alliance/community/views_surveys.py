"""Hub pages for surveys: the list, the builder, distribution, results and exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.community import exports, results, services_questions
from alliance.community import services_surveys as services
from alliance.community.access import access_question, access_survey
from alliance.community.forms import (
    InviteForm,
    QuestionEditForm,
    QuestionForm,
    SectionForm,
    SurveyForm,
)
from alliance.community.models import Response, Survey
from alliance.core.forms import submit
from alliance.core.policy import Perm
from alliance.members.decorators import requires


def _invalid(request, template, context) -> HttpResponse:
    return render(request, template, context, status=422)


@requires(Perm.HUB_MANAGE)
def survey_list(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    alliance = request.alliance
    form = SurveyForm(request.POST or None)
    outcome = submit(
        request,
        form,
        lambda data: services.create_survey(alliance=alliance, acting_user=request.user, **data),
        success=_("Survey created. Add its questions."),
    )
    if outcome.ok:
        return redirect("community:hub_survey", alliance.slug, outcome.result.pk)
    surveys = list(Survey.objects.filter(alliance=alliance).order_by("-created_at")[:100])
    counts = dict(
        Response.objects.filter(survey__in=surveys, submitted_at__isnull=False)
        .values("survey_id")
        .annotate(n=Count("id"))
        .values_list("survey_id", "n")
    )
    for survey in surveys:
        survey.response_count = counts.get(survey.pk, 0)
    context = {"alliance": alliance, "surveys": surveys, "form": form}
    if request.method == "POST":
        return _invalid(request, "community/surveys/list.html", context)
    return render(request, "community/surveys/list.html", context)


@require_POST
@requires(Perm.HUB_MANAGE)
def survey_from_template(request: HttpRequest, alliance_slug: str) -> HttpResponse:
    survey = services.copy_interest_survey(alliance=request.alliance, acting_user=request.user)
    messages.success(request, _("The interest survey was copied as a draft."))
    return redirect("community:hub_survey", request.alliance.slug, survey.pk)


@requires(Perm.HUB_MANAGE)
def survey_builder(request: HttpRequest, alliance_slug: str, survey_id: int) -> HttpResponse:
    alliance = request.alliance
    survey = access_survey(alliance.pk, survey_id)
    form = SurveyForm(instance=survey)
    section_form = SectionForm(prefix="section")
    question_form = QuestionForm(prefix="question", survey=survey)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "settings":
                form = SurveyForm(request.POST, instance=access_survey(alliance.pk, survey.pk))
                if form.is_valid():
                    services.update_survey(
                        survey=survey, acting_user=request.user, **form.cleaned_data
                    )
                    messages.success(request, _("Survey saved."))
                    return redirect("community:hub_survey", alliance.slug, survey.pk)
            elif action == "section":
                section_form = SectionForm(request.POST, prefix="section")
                if section_form.is_valid():
                    services.add_section(
                        survey=survey, acting_user=request.user, **section_form.cleaned_data
                    )
                    messages.success(request, _("Section added."))
                    return redirect("community:hub_survey", alliance.slug, survey.pk)
            elif action == "question":
                question_form = QuestionForm(request.POST, prefix="question", survey=survey)
                if question_form.is_valid():
                    services.add_question(
                        survey=survey, acting_user=request.user, **question_form.service_kwargs()
                    )
                    messages.success(request, _("Question added."))
                    return redirect("community:hub_survey", alliance.slug, survey.pk)
        except ValidationError as exc:
            target = {"settings": form, "section": section_form}.get(action, question_form)
            target.add_service_errors(exc)
        status = 422
    sections = list(survey.sections.prefetch_related("questions__show_if"))
    context = {
        "alliance": alliance,
        "survey": survey,
        "form": form,
        "section_form": section_form,
        "question_form": question_form,
        "sections": sections,
        "invite_form": InviteForm(alliance=alliance),
        "recipients": survey.recipients.select_related("program").order_by("program__name"),
        "public_url": request.build_absolute_uri(f"/a/{alliance.slug}/surveys/{survey.token}/"),
    }
    return render(request, "community/surveys/builder.html", context, status=status)


@require_POST
@requires(Perm.HUB_MANAGE)
def question_delete(request, alliance_slug: str, survey_id: int, question_id: int):
    survey = access_survey(request.alliance.pk, survey_id)
    question = access_question(survey, question_id)
    try:
        services.delete_question(question=question, acting_user=request.user)
        messages.success(request, _("Question removed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("community:hub_survey", request.alliance.slug, survey.pk)


@requires(Perm.HUB_MANAGE)
def question_edit(request, alliance_slug: str, survey_id: int, question_id: int):
    """Edit a draft survey's question; 422 with the form's errors on bad input."""
    survey = access_survey(request.alliance.pk, survey_id)
    question = access_question(survey, question_id)
    if survey.status != "draft":
        messages.error(request, _("Questions can only be changed while the survey is a draft."))
        return redirect("community:hub_survey", request.alliance.slug, survey.pk)
    form = QuestionEditForm(request.POST or None, question=question)
    status = 200
    if request.method == "POST":
        if submit(
            request,
            form,
            lambda data: services_questions.update_question(
                question=question, acting_user=request.user, **form.service_kwargs()
            ),
            success=_("Question saved."),
        ).ok:
            return redirect("community:hub_survey", request.alliance.slug, survey.pk)
        status = 422
    context = {"alliance": request.alliance, "survey": survey, "question": question, "form": form}
    return render(request, "community/surveys/question_edit.html", context, status=status)


@require_POST
@requires(Perm.HUB_MANAGE)
def question_move(request, alliance_slug: str, survey_id: int, question_id: int):
    survey = access_survey(request.alliance.pk, survey_id)
    question = access_question(survey, question_id)
    try:
        services_questions.move_question(
            question=question, acting_user=request.user, direction=request.POST.get("direction", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("community:hub_survey", request.alliance.slug, survey.pk)


@require_POST
@requires(Perm.HUB_MANAGE)
def survey_status(request, alliance_slug: str, survey_id: int):
    survey = access_survey(request.alliance.pk, survey_id)
    try:
        services.set_status(
            survey=survey, acting_user=request.user, status=request.POST.get("status", "")
        )
        messages.success(request, _("Survey is now %(s)s.") % {"s": survey.get_status_display()})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("community:hub_survey", request.alliance.slug, survey.pk)


@require_POST
@requires(Perm.HUB_MANAGE)
def survey_invite(request, alliance_slug: str, survey_id: int):
    survey = access_survey(request.alliance.pk, survey_id)
    form = InviteForm(request.POST, alliance=request.alliance)
    if form.is_valid():
        try:
            n = services.invite_programs(
                survey=survey,
                acting_user=request.user,
                programs=list(form.cleaned_data["programs"]),
            )
            messages.success(request, _("%(n)s programs invited.") % {"n": n})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose at least one member program."))
    return redirect("community:hub_survey", request.alliance.slug, survey.pk)


@require_POST
@requires(Perm.HUB_MANAGE)
def survey_remind(request, alliance_slug: str, survey_id: int):
    survey = access_survey(request.alliance.pk, survey_id)
    try:
        n = services.send_reminders(survey=survey, acting_user=request.user)
        messages.success(request, _("Reminders sent to %(n)s programs.") % {"n": n})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("community:hub_survey", request.alliance.slug, survey.pk)


@requires(Perm.HUB_MANAGE)
def survey_results(request: HttpRequest, alliance_slug: str, survey_id: int) -> HttpResponse:
    survey = access_survey(request.alliance.pk, survey_id)
    total, per_question = results.survey_results(survey)
    crosstab = None
    choice_questions = [r.question for r in per_question if r.rows]
    wanted = request.GET.get("crosstab", "")
    by = "town" if request.GET.get("by") == "town" else "kind"
    if wanted.isdigit():
        question = next((q for q in choice_questions if q.pk == int(wanted)), None)
        if question is not None:
            crosstab = results.cross_tab(survey, question, by)
    return render(
        request,
        "community/surveys/results.html",
        {
            "alliance": request.alliance,
            "survey": survey,
            "total": total,
            "results": per_question,
            "choice_questions": choice_questions,
            "crosstab": crosstab,
            "by": by,
        },
    )


@requires(Perm.HUB_MANAGE)
def survey_text(request, alliance_slug: str, survey_id: int, question_id: int):
    survey = access_survey(request.alliance.pk, survey_id)
    question = access_question(survey, question_id)
    page = Paginator(results.free_text(question), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "community/surveys/text.html",
        {
            "alliance": request.alliance,
            "survey": survey,
            "question": question,
            "page_obj": page,
            "table": {"page": page},
        },
    )


@requires(Perm.HUB_MANAGE)
def survey_export(request, alliance_slug: str, survey_id: int, fmt: str):
    survey = access_survey(request.alliance.pk, survey_id)
    name = slugify(survey.title)[:50] or "survey"
    if fmt == "xlsx":
        response = HttpResponse(
            exports.as_xlsx(survey),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.as_csv(survey), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
