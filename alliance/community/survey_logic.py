"""Survey rules without the database: which questions are shown, and whether answers are
complete and well formed. Used by the response service and tested directly."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from alliance.community.models_surveys import CHOICE_KINDS, TEXT_KINDS, Question, QuestionKind

MAX_TEXT = 5000
MAX_NUMBER = Decimal("9999999999")


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def visible_questions(
    questions: Iterable[Question], raw: Mapping[int, list[str]]
) -> list[Question]:
    """Questions shown for these answers. A question with a condition is shown when the
    question it depends on is shown and its answer includes one of the listed values.
    Conditions only look backwards (the builder allows earlier questions only)."""
    shown: list[Question] = []
    shown_ids: set[int] = set()
    for question in questions:
        if question.show_if_id is not None:
            if question.show_if_id not in shown_ids:
                continue
            given = {v for v in raw.get(question.show_if_id, []) if v}
            if not given & {str(v) for v in question.show_if_values}:
                continue
        shown.append(question)
        shown_ids.add(question.pk)
    return shown


@dataclass
class Cleaned:
    choices: list[str] = field(default_factory=list)
    number: Decimal | None = None
    text: str = ""

    @property
    def empty(self) -> bool:
        return not self.choices and self.number is None and not self.text


def clean_answers(
    questions: Iterable[Question], raw: Mapping[int, list[str]], *, final: bool
) -> tuple[dict[int, Cleaned], dict[str, str]]:
    """Validate the answers to the shown questions. Answers to hidden questions are dropped.
    With ``final`` (submitting), required shown questions must be answered; a saved draft
    may leave them empty. Returns (answers by question id, errors by field name)."""
    questions = list(questions)
    cleaned: dict[int, Cleaned] = {}
    errors: dict[str, str] = {}
    for question in visible_questions(questions, raw):
        values = [v.strip() for v in raw.get(question.pk, []) if v and v.strip()]
        answer, error = _clean_one(question, values)
        if error:
            errors[field_name(question)] = error
            continue
        if answer.empty:
            if final and question.required:
                errors[field_name(question)] = _("Please answer this question.")
            continue
        cleaned[question.pk] = answer
    return cleaned, errors


def _clean_one(question: Question, values: list[str]) -> tuple[Cleaned, str]:
    if not values:
        return Cleaned(), ""
    if question.kind in CHOICE_KINDS or question.kind == QuestionKind.RATING:
        allowed = {value for value, _label in question.options("en")}
        if any(v not in allowed for v in values):
            return Cleaned(), _("Choose one of the options shown.")
        if question.kind != QuestionKind.MULTIPLE and len(values) > 1:
            return Cleaned(), _("Choose only one option.")
        unique = list(dict.fromkeys(values))
        if question.kind == QuestionKind.RATING:
            return Cleaned(choices=unique, number=Decimal(unique[0])), ""
        return Cleaned(choices=unique), ""
    if question.kind == QuestionKind.NUMBER:
        try:
            number = Decimal(values[0].replace(",", ""))
        except InvalidOperation:
            return Cleaned(), _("Enter a number, e.g. 12.")
        if not number.is_finite() or abs(number) > MAX_NUMBER:
            return Cleaned(), _("Enter a number, e.g. 12.")
        return Cleaned(number=number.quantize(Decimal("0.01"))), ""
    if question.kind in TEXT_KINDS:
        text = values[0]
        limit = 300 if question.kind == QuestionKind.SHORT_TEXT else MAX_TEXT
        if len(text) > limit:
            return Cleaned(), _("Keep the answer under %(n)s characters.") % {"n": limit}
        return Cleaned(text=text), ""
    return Cleaned(), _("Unknown question type.")


def parse_choices(text: str) -> list[dict[str, str]]:
    """Builder input, one option per line: ``English | Español | theme-code`` (the Spanish
    and the theme are optional). Values are stable slugs of the English label."""
    from django.utils.text import slugify

    choices: list[dict[str, str]] = []
    seen: set[str] = set()
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not parts[0]:
            continue
        value = slugify(parts[0])[:60] or f"option-{len(choices) + 1}"
        while value in seen:
            value = f"{value}-{len(choices) + 1}"
        seen.add(value)
        choice = {"value": value, "en": parts[0][:150], "es": (parts[1] if len(parts) > 1 else "")}
        if len(parts) > 2 and parts[2]:
            choice["theme"] = slugify(parts[2])[:40]
        choices.append(choice)
    return choices


def choices_text(choices: list[dict[str, str]]) -> str:
    lines = []
    for c in choices:
        parts = [c["en"], c.get("es", "")]
        if c.get("theme"):
            parts.append(c["theme"])
        lines.append(" | ".join(parts).rstrip(" |"))
    return "\n".join(lines)
