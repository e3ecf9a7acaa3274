"""Every change to surveys: building, opening and closing, distribution and reminders, and
responses (saved drafts and submissions). Keyword-only, atomic, audited; bad input raises
``ValidationError`` naming the field before anything is saved."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import Role, User
from alliance.community import defaults
from alliance.community.models import (
    CHOICE_KINDS,
    Answer,
    Distribution,
    Question,
    Recipient,
    Response,
    Section,
    Survey,
    SurveyStatus,
)
from alliance.community.notify import send_notice
from alliance.community.services_questions import question_errors
from alliance.community.survey_logic import clean_answers
from alliance.core.audit import changes, log_action
from alliance.core.policy import RoleKind
from alliance.members.models import Alliance, Program

SURVEY_FIELDS = (
    "title",
    "title_es",
    "intro",
    "intro_es",
    "distribution",
    "anonymous",
    "closes_on",
)


def _require(values: dict[str, Any], *names: str) -> None:
    errors = {n: _("This field is required.") for n in names if not str(values.get(n) or "")}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_survey(*, alliance: Alliance, acting_user: User, **fields: Any) -> Survey:
    """A new draft survey with one empty section."""
    _require(fields, "title")
    survey = Survey(alliance=alliance, created_by=acting_user)
    for name in SURVEY_FIELDS:
        if name in fields:
            setattr(survey, name, fields[name])
    survey.save()
    Section.objects.create(
        alliance=alliance, survey=survey, position=1, title=_("Questions"), title_es="Preguntas"
    )
    log_action(
        actor=acting_user,
        action="survey.created",
        target=survey,
        alliance=alliance,
        summary=survey.title,
    )
    return survey


@transaction.atomic
def update_survey(*, survey: Survey, acting_user: User, **fields: Any) -> Survey:
    _require(fields, "title")
    diff = changes(survey, {k: v for k, v in fields.items() if k in SURVEY_FIELDS})
    if diff:
        survey.save(update_fields=list(diff))
        log_action(
            actor=acting_user,
            action="survey.updated",
            target=survey,
            alliance=survey.alliance,
            data=diff,
        )
    return survey


@transaction.atomic
def add_section(*, survey: Survey, acting_user: User, title: str, title_es: str = "") -> Section:
    _require({"title": title}, "title")
    _editable(survey)
    position = survey.sections.count() + 1
    section = Section.objects.create(
        alliance_id=survey.alliance_id,
        survey=survey,
        position=position,
        title=title,
        title_es=title_es,
    )
    log_action(
        actor=acting_user,
        action="survey.section_added",
        target=survey,
        alliance=survey.alliance,
        summary=title,
    )
    return section


def _editable(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(
            {"survey": _("Questions can only be changed while the survey is a draft.")}
        )


@transaction.atomic
def add_question(
    *,
    survey: Survey,
    acting_user: User,
    section: Section,
    kind: str,
    text: str,
    text_es: str = "",
    required: bool = False,
    choices: list[dict[str, str]] | None = None,
    scale_min: int = 1,
    scale_max: int = 5,
    show_if: Question | None = None,
    show_if_values: list[str] | None = None,
) -> Question:
    """Add a question at the end of its section. Guarantees: choice questions have at least
    two options; a rating scale runs upwards within 0–10; a condition refers to an earlier
    choice question of the same survey and names some of its options."""
    _editable(survey)
    choices = choices or []
    values = [str(v) for v in (show_if_values or [])]
    errors = question_errors(
        survey=survey,
        section=section,
        kind=kind,
        text=text,
        choices=choices,
        scale_min=scale_min,
        scale_max=scale_max,
        show_if=show_if,
        values=values,
    )
    if errors:
        raise ValidationError(errors)
    question = Question.objects.create(
        alliance_id=survey.alliance_id,
        survey=survey,
        section=section,
        position=section.questions.count() + 1,
        kind=kind,
        text=text.strip(),
        text_es=text_es.strip(),
        required=required,
        choices=choices if kind in CHOICE_KINDS else [],
        scale_min=scale_min,
        scale_max=scale_max,
        show_if=show_if,
        show_if_values=values if show_if is not None else [],
    )
    log_action(
        actor=acting_user,
        action="survey.question_added",
        target=survey,
        alliance=survey.alliance,
        summary=question.text,
    )
    return question


@transaction.atomic
def delete_question(*, question: Question, acting_user: User) -> None:
    survey = question.survey
    _editable(survey)
    text = question.text
    question.delete()
    log_action(
        actor=acting_user,
        action="survey.question_deleted",
        target=survey,
        alliance=survey.alliance,
        summary=text,
    )


@transaction.atomic
def set_status(*, survey: Survey, acting_user: User, status: str) -> Survey:
    """Open (needs at least one question) or close a survey."""
    if status not in SurveyStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == SurveyStatus.OPEN and not survey.questions.exists():
        raise ValidationError({"status": _("Add at least one question before opening.")})
    old = survey.status
    survey.status = status
    survey.save(update_fields=["status"])
    log_action(
        actor=acting_user,
        action=f"survey.{status}",
        target=survey,
        alliance=survey.alliance,
        data={"status": [old, status]},
    )
    return survey


def _directors(program_ids: list[int]) -> list[Role]:
    return list(
        Role.objects.filter(program_id__in=program_ids, kind=RoleKind.DIRECTOR).select_related(
            "user", "program"
        )
    )


def _survey_link(survey: Survey) -> str:
    return reverse("community:respond", args=[survey.alliance.slug, survey.token])


@transaction.atomic
def invite_programs(*, survey: Survey, acting_user: User, programs: list[Program]) -> int:
    """Invite member programs (their directors are notified). Already invited programs are
    skipped. Returns how many were newly invited."""
    if not programs:
        raise ValidationError({"programs": _("Choose at least one member program.")})
    if any(p.alliance_id != survey.alliance_id for p in programs):
        raise ValidationError({"programs": _("Choose programs of this alliance.")})
    known = set(survey.recipients.values_list("program_id", flat=True))
    new = [p for p in programs if p.pk not in known]
    Recipient.objects.bulk_create(
        [Recipient(alliance_id=survey.alliance_id, survey=survey, program=p) for p in new]
    )
    for role in _directors([p.pk for p in new]):
        send_notice(
            recipient=role.user,
            kind="community_survey_invitation",
            context={"survey_title": survey.title, "program_name": role.program.name},
            alliance=survey.alliance,
            program=role.program,
            link=_survey_link(survey),
        )
    log_action(
        actor=acting_user,
        action="survey.invited",
        target=survey,
        alliance=survey.alliance,
        data={"programs": [p.pk for p in new]},
    )
    return len(new)


@transaction.atomic
def send_reminders(*, survey: Survey, acting_user: User | None) -> int:
    """Remind invited programs that have not submitted. Returns how many were reminded."""
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError({"survey": _("Only an open survey can send reminders.")})
    answered = Response.objects.filter(survey=survey, submitted_at__isnull=False).values(
        "program_id"
    )
    waiting = list(survey.recipients.exclude(program_id__in=answered))
    now = timezone.now()
    for role in _directors([r.program_id for r in waiting]):
        send_notice(
            recipient=role.user,
            kind="community_survey_reminder",
            context={"survey_title": survey.title, "program_name": role.program.name},
            alliance=survey.alliance,
            program=role.program,
            link=_survey_link(survey),
        )
    for recipient in waiting:
        recipient.reminded_at = now
        recipient.reminders_sent += 1
        recipient.save(update_fields=["reminded_at", "reminders_sent"])
    log_action(
        actor=acting_user,
        action="survey.reminded",
        target=survey,
        alliance=survey.alliance,
        data={"programs": len(waiting)},
    )
    return len(waiting)


def is_accepting(survey: Survey) -> bool:
    """Open, and not past its closing date."""
    past = survey.closes_on is not None and survey.closes_on < timezone.localdate()
    return survey.status == SurveyStatus.OPEN and not past


@transaction.atomic
def save_response(
    *,
    survey: Survey,
    raw: dict[int, list[str]],
    submit: bool,
    response: Response | None = None,
    acting_user: User | None = None,
    program: Program | None = None,
    language: str = "en",
) -> Response:
    """Save answers (a draft) or submit them. Guarantees: the survey is open; an attributed
    survey has one response per member program; a submitted response is final; on
    submission every shown required question is answered; answers to hidden questions are
    dropped. Nothing is saved when any check fails."""
    if not is_accepting(survey):
        raise ValidationError({"survey": _("This survey is closed. Thank you for your interest.")})
    if response is not None and response.submitted_at is not None:
        raise ValidationError({"survey": _("This response was already submitted.")})
    if not survey.anonymous and program is None:
        raise ValidationError({"survey": _("Sign in as a member program to answer this survey.")})
    questions = list(survey.questions.select_related("section"))
    cleaned, errors = clean_answers(questions, raw, final=submit)
    if errors:
        raise ValidationError(errors)
    if response is None:
        response = _new_response(survey, acting_user, program, language)
    else:
        response.answers.all().delete()
    Answer.objects.bulk_create(
        [
            Answer(
                alliance_id=survey.alliance_id,
                response=response,
                question_id=qid,
                choice=choice,
                number=answer.number,
                text=answer.text,
            )
            for qid, answer in cleaned.items()
            for choice in (answer.choices or [""])
        ]
    )
    response.language = language
    fields = ["language"]
    if submit:
        response.submitted_at = timezone.now()
        fields.append("submitted_at")
    response.save(update_fields=fields)
    log_action(
        actor=acting_user,
        action="survey.response_submitted" if submit else "survey.response_saved",
        target=response,
        alliance=survey.alliance,
        program=program,
        summary=survey.title,
    )
    return response


def _new_response(
    survey: Survey, user: User | None, program: Program | None, language: str
) -> Response:
    attributed = not survey.anonymous
    invited_only = survey.distribution == Distribution.MEMBERS and attributed
    if invited_only and not survey.recipients.filter(program=program).exists():
        raise ValidationError({"survey": _("This survey was sent to other member programs.")})
    response = Response(
        alliance_id=survey.alliance_id,
        survey=survey,
        program=program if attributed else None,
        respondent=user if attributed and user is not None and user.is_authenticated else None,
        program_kind=program.kind if program else "",
        town=program.town if program else "",
        language=language,
    )
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        raise ValidationError(
            {"survey": _("%(p)s has already answered this survey.") % {"p": program.name}}
        ) from None
    return response


@transaction.atomic
def copy_interest_survey(*, alliance: Alliance, acting_user: User | None) -> Survey:
    """A draft copy of the alliance's original interest survey (English and Spanish)."""
    from alliance.community.services_evidence import ensure_themes

    ensure_themes(alliance=alliance)
    data = defaults.INTEREST_SURVEY
    survey = Survey.objects.create(
        alliance=alliance,
        created_by=acting_user,
        title=data["title"],
        title_es=data["title_es"],
        intro=data["intro"],
        intro_es=data["intro_es"],
    )
    by_key: dict[str, Question] = {}
    for s_pos, sec in enumerate(data["sections"], start=1):
        section = Section.objects.create(
            alliance=alliance,
            survey=survey,
            position=s_pos,
            title=sec["title"],
            title_es=sec["title_es"],
        )
        for q_pos, q in enumerate(sec["questions"], start=1):
            by_key[q["key"]] = Question.objects.create(
                alliance=alliance,
                survey=survey,
                section=section,
                position=q_pos,
                kind=q["kind"],
                text=q["text"],
                text_es=q["text_es"],
                required=q.get("required", False),
                choices=q.get("choices", []),
                show_if=by_key.get(q.get("show_if", "")),
                show_if_values=q.get("show_if_values", []),
            )
    log_action(
        actor=acting_user,
        action="survey.created",
        target=survey,
        alliance=alliance,
        summary=_("From the interest survey template"),
    )
    return survey
