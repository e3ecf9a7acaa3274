"""Answering a survey: by its link (anonymous) or as a member program (attributed), in
English or Spanish, with save-and-resume through a cookie or a resume link."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from alliance.community.access import access_survey_by_token
from alliance.community.models import Question, QuestionKind, Response, Survey
from alliance.community.services_surveys import is_accepting, save_response
from alliance.community.survey_logic import field_name
from alliance.core import policy
from alliance.core.policy import RoleKind
from alliance.members.models import Program

RESUME_COOKIE = "survey_resume_{}"
RESUME_MAX_AGE = 60 * 60 * 24 * 60


def _language(request: HttpRequest) -> str:
    wanted = request.POST.get("lang") or request.GET.get("lang") or request.LANGUAGE_CODE
    return "es" if str(wanted).startswith("es") else "en"


def build_form(questions: list[Question], lang: str, data=None, initial=None) -> forms.Form:
    """Fields for rendering only; the survey rules (survey_logic) do the checking."""
    form = forms.Form(data=data, initial=initial)
    for q in questions:
        options = q.options(lang)
        label = q.text_in(lang)
        if q.kind in (QuestionKind.SINGLE, QuestionKind.RATING):
            field = forms.ChoiceField(choices=options, widget=forms.RadioSelect)
        elif q.kind == QuestionKind.MULTIPLE:
            field = forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple)
        elif q.kind == QuestionKind.NUMBER:
            field = forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}))
        elif q.kind == QuestionKind.LONG_TEXT:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
        else:
            field = forms.CharField(max_length=300)
        field.label = label
        field.required = q.required
        form.fields[field_name(q)] = field
    form._errors = ErrorDict()  # never "cleaned": errors come from the survey rules
    return form


def _member_program(request: HttpRequest, survey: Survey) -> Program | None:
    """The signed-in person's program in this alliance (the invited one for members-only
    surveys)."""
    programs = [
        r.program
        for r in policy.roles_of(request.user)
        if r.program_id
        and r.program.alliance_id == survey.alliance_id
        and r.kind in (RoleKind.DIRECTOR, RoleKind.STAFF)
    ]
    if survey.distribution == "members" and programs:
        invited = set(survey.recipients.values_list("program_id", flat=True))
        programs = [p for p in programs if p.pk in invited] or programs
    return programs[0] if programs else None


def _existing(request: HttpRequest, survey: Survey, program: Program | None) -> Response | None:
    if not survey.anonymous and program is not None:
        return Response.objects.filter(survey=survey, program=program).first()
    token = request.GET.get("resume") or request.COOKIES.get(RESUME_COOKIE.format(survey.pk))
    if not token:
        return None
    return Response.objects.filter(
        survey=survey, resume_token=token, submitted_at__isnull=True
    ).first()


def respond(request: HttpRequest, alliance_slug: str, token: str) -> HttpResponse:
    survey = access_survey_by_token(request.alliance.pk, token)
    lang = _language(request)
    program = _member_program(request, survey) if request.user.is_authenticated else None
    if not survey.anonymous:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if program is None:
            return render(
                request,
                "community/respond/not_member.html",
                {"survey": survey, "lang": lang},
                status=403,
            )
    response = _existing(request, survey, program)
    context = {"survey": survey, "lang": lang, "alliance": request.alliance}
    if response is not None and response.submitted_at is not None:
        return render(request, "community/respond/done.html", context)
    if not is_accepting(survey):
        return render(
            request,
            "community/respond/closed.html",
            context,
            status=422 if request.method == "POST" else 200,
        )
    questions = list(survey.questions.select_related("section", "show_if"))
    status = 200
    if request.method == "POST":
        raw = {q.pk: request.POST.getlist(field_name(q)) for q in questions}
        submit = request.POST.get("action") != "save"
        try:
            response = save_response(
                survey=survey,
                raw=raw,
                submit=submit,
                response=response,
                acting_user=request.user,
                program=program,
                language=lang,
            )
        except ValidationError as exc:
            form = build_form(questions, lang, data=request.POST)
            for name, errors in exc.message_dict.items():
                if name in form.fields:
                    form._errors[name] = form.error_class(errors)
                else:
                    form._errors.setdefault("__all__", form.error_class()).extend(errors)
            status = 422
        else:
            cookie = RESUME_COOKIE.format(survey.pk)
            if submit:
                done = redirect("community:respond_thanks", request.alliance.slug, survey.token)
                done["Location"] += f"?lang={lang}"
                done.delete_cookie(cookie)
                return done
            resume_url = request.build_absolute_uri(
                reverse("community:respond", args=[request.alliance.slug, survey.token])
                + f"?resume={response.resume_token}&lang={lang}"
            )
            with translation.override(lang):
                messages.success(
                    request,
                    _(
                        "Your answers are saved. To finish later, come "
                        "back on this device or use this link: %(url)s"
                    )
                    % {"url": resume_url},
                )
            back = redirect(resume_url)
            back.set_cookie(
                cookie,
                response.resume_token,
                max_age=RESUME_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return back
    else:
        form = build_form(questions, lang, initial=_initial(response, questions))
    sections = []
    for q in questions:
        if not sections or sections[-1][0].pk != q.section_id:
            sections.append((q.section, []))
        sections[-1][1].append((q, form[field_name(q)]))
    context.update({"form": form, "sections": sections, "response": response})
    with translation.override(lang):
        return render(request, "community/respond/form.html", context, status=status)


def _initial(response: Response | None, questions: list[Question]) -> dict:
    if response is None:
        return {}
    kinds = {q.pk: q.kind for q in questions}
    initial: dict[str, object] = {}
    for answer in response.answers.all():
        name = f"q{answer.question_id}"
        kind = kinds.get(answer.question_id)
        if kind == QuestionKind.MULTIPLE:
            initial.setdefault(name, []).append(answer.choice)
        elif answer.choice:
            initial[name] = answer.choice
        elif answer.number is not None:
            initial[name] = f"{answer.number.normalize():f}"
        else:
            initial[name] = answer.text
    return initial


def respond_thanks(request: HttpRequest, alliance_slug: str, token: str) -> HttpResponse:
    survey = access_survey_by_token(request.alliance.pk, token)
    lang = _language(request)
    with translation.override(lang):
        return render(
            request,
            "community/respond/thanks.html",
            {"survey": survey, "lang": lang, "alliance": request.alliance},
        )
