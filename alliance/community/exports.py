"""Survey responses as CSV and XLSX: one row per submitted response, one column per
question. Two queries whatever the number of responses."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator

from django.utils.translation import gettext as _
from openpyxl import Workbook

from alliance.community.models import Answer, Question, Survey
from alliance.community.results import submitted


def rows(survey: Survey) -> Iterator[list[str]]:
    questions: list[Question] = list(survey.questions.select_related("section"))
    yield [
        _("Response"),
        _("Submitted"),
        _("Language"),
        _("Program"),
        _("Program type"),
        _("Town"),
        *[q.text for q in questions],
    ]
    values: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    labels = {q.pk: q for q in questions}
    for response_id, question_id, choice, number, text in (
        Answer.objects.filter(question__survey=survey, response__submitted_at__isnull=False)
        .values_list("response_id", "question_id", "choice", "number", "text")
        .order_by("pk")
    ):
        question = labels[question_id]
        if choice and question.kind != "rating":
            values[response_id][question_id].append(question.label_of(choice))
        elif number is not None:
            values[response_id][question_id].append(f"{number.normalize():f}")
        elif text:
            values[response_id][question_id].append(text)
    for response in submitted(survey).select_related("program").order_by("submitted_at", "pk"):
        answers = values.get(response.pk, {})
        yield [
            str(response.pk),
            response.submitted_at.isoformat(timespec="minutes"),
            response.language,
            response.program.name if response.program_id else "",
            response.program_kind,
            response.town,
            *["; ".join(answers.get(q.pk, [])) for q in questions],
        ]


def _safe(cell: str) -> str:
    """Neutralize spreadsheet formulas in respondents' text (CSV injection)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def as_csv(survey: Survey) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows(survey):
        writer.writerow([_safe(c) for c in row])
    return out.getvalue()


def as_xlsx(survey: Survey) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Responses"))
    for row in rows(survey):
        sheet.append([_safe(c) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
