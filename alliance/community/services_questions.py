"""Changing a draft survey's questions: validation shared with ``add_question``, editing
an existing question and moving it within its section. Every write is audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alliance.community.models import Question, QuestionKind, Section, Survey, SurveyStatus
from alliance.community.survey_logic import CHOICE_KINDS
from alliance.core.audit import log_action

if TYPE_CHECKING:
    from alliance.accounts.models import User


def ensure_draft(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(
            {"survey": _("Questions can only be changed while the survey is a draft.")}
        )


def question_errors(
    *,
    survey: Survey,
    section: Section,
    kind: str,
    text: str,
    choices: list[dict[str, str]],
    scale_min: int,
    scale_max: int,
    show_if: Question | None,
    values: list[str],
) -> dict[str, str]:
    """The rules every question keeps: text, a known type, a section of this survey, two or
    more options for choice questions, an upward 0–10 scale, and a condition on a choice or
    rating question of this survey naming some of its options."""
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("This field is required.")
    if kind not in QuestionKind.values:
        errors["kind"] = _("Choose a question type.")
    if section.survey_id != survey.pk:
        errors["section"] = _("Choose a section of this survey.")
    if kind in CHOICE_KINDS and len(choices) < 2:
        errors["choices"] = _("Give at least two options, one per line.")
    if kind == QuestionKind.RATING and not (0 <= scale_min < scale_max <= 10):
        errors["scale_max"] = _("The scale must run upwards, between 0 and 10.")
    if show_if is not None:
        allowed = {v for v, _label in show_if.options("en")}
        if show_if.survey_id != survey.pk or show_if.kind not in {*CHOICE_KINDS, "rating"}:
            errors["show_if"] = _("Choose an earlier choice question of this survey.")
        elif not values or not set(values) <= allowed:
            errors["show_if_values"] = _("Name one or more options of that question: %(o)s") % {
                "o": ", ".join(sorted(allowed))
            }
    return errors


def keep_values(old: list[dict[str, str]], new: list[dict[str, str]]) -> list[dict[str, str]]:
    """Options whose English label is unchanged keep their stored value, so conditions,
    themes and answers that name it still match; other options keep their new value
    (made unique)."""
    by_label = {c["en"]: c["value"] for c in old}
    kept = [{**c, "value": by_label.get(c["en"], c["value"])} for c in new]
    seen: set[str] = set()
    for i, c in enumerate(kept, start=1):
        while c["value"] in seen:
            c["value"] = f"{c['value']}-{i}"
        seen.add(c["value"])
    return kept


def _order(question: Question) -> tuple[int, int]:
    return (question.section.position, question.position)


@transaction.atomic
def update_question(
    *,
    question: Question,
    acting_user: User,
    text: str,
    text_es: str = "",
    required: bool = False,
    choices: list[dict[str, str]] | None = None,
    scale_min: int = 1,
    scale_max: int = 5,
    show_if: Question | None = None,
    show_if_values: list[str] | None = None,
) -> Question:
    """Change a draft question's wording, options, required flag and condition (its type and
    section stay). The condition must point at an earlier question, and questions shown on
    this one's options must still find those options."""
    question = (
        Question.objects.select_for_update().select_related("survey", "section").get(pk=question.pk)
    )
    survey = question.survey
    ensure_draft(survey)
    choices = keep_values(question.choices or [], choices or [])
    values = [str(v) for v in (show_if_values or [])]
    errors = question_errors(
        survey=survey,
        section=question.section,
        kind=question.kind,
        text=text,
        choices=choices,
        scale_min=scale_min,
        scale_max=scale_max,
        show_if=show_if,
        values=values,
    )
    if (
        show_if is not None
        and "show_if" not in errors
        and (show_if.pk == question.pk or _order(show_if) >= _order(question))
    ):
        errors["show_if"] = _("Choose an earlier choice question of this survey.")
    if "choices" not in errors and question.kind in CHOICE_KINDS:
        kept = {c["value"] for c in choices}
        for dependent in question.dependents.all():
            missing = set(dependent.show_if_values) - kept
            if missing:
                errors["choices"] = _(
                    "“%(q)s” is shown on option(s) %(o)s; keep them or change that question first."
                ) % {"q": dependent.text, "o": ", ".join(sorted(missing))}
                break
    if errors:
        raise ValidationError(errors)
    question.text = text.strip()
    question.text_es = text_es.strip()
    question.required = required
    question.choices = choices if question.kind in CHOICE_KINDS else []
    question.scale_min, question.scale_max = scale_min, scale_max
    question.show_if = show_if
    question.show_if_values = values if show_if is not None else []
    question.save(
        update_fields=[
            "text",
            "text_es",
            "required",
            "choices",
            "scale_min",
            "scale_max",
            "show_if",
            "show_if_values",
        ]
    )
    log_action(
        actor=acting_user,
        action="survey.question_changed",
        target=survey,
        alliance=survey.alliance,
        summary=question.text,
    )
    return question


@transaction.atomic
def move_question(*, question: Question, acting_user: User, direction: str) -> Question:
    """Swap a draft question with its neighbour above ("up") or below ("down") in its
    section. A question never moves above the question its condition depends on, nor
    below a question that depends on it."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move a question up or down.")})
    ensure_draft(question.survey)
    siblings = list(
        Question.objects.select_for_update()
        .filter(section_id=question.section_id)
        .order_by("position", "pk")
    )
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return siblings[index]
    first, second = sorted([siblings[index], siblings[other]], key=siblings.index)
    if second.show_if_id == first.pk:
        raise ValidationError(
            {"direction": _("A question cannot move above the question it depends on.")}
        )
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, q in enumerate(siblings, start=1):
        if q.position != position:
            q.position = position
            q.save(update_fields=["position"])
    moved = siblings[other]
    log_action(
        actor=acting_user,
        action="survey.question_moved",
        target=question.survey,
        alliance=question.survey.alliance,
        summary=moved.text,
        data={"direction": direction},
    )
    return moved
