"""Survey results: counts, percentages, averages, cross-tabs and free text. Every figure is
a GROUP BY over answer rows, so the number of queries does not depend on the number of
responses."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Max, Min, QuerySet
from django.utils.translation import gettext as _

from alliance.community.models import (
    CHOICE_KINDS,
    TEXT_KINDS,
    Answer,
    Question,
    QuestionKind,
    Response,
    Survey,
)
from alliance.core.charts import Bar, bar_chart
from alliance.members.models import ProgramKind


@dataclass
class Row:
    value: str
    label: str
    count: int
    percent: Decimal


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    rows: list[Row] = field(default_factory=list)
    average: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    text_count: int = 0

    @property
    def chart(self):
        if not self.rows:
            return None
        return bar_chart(
            [
                Bar(label=r.label, value=r.count, display=f"{r.count} ({r.percent}%)")
                for r in self.rows
            ],
            title=self.question.text,
            description=_("%(n)s people answered.") % {"n": self.answered},
        )


def percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0")
    return (Decimal(part) * 100 / whole).quantize(Decimal("1"))


def submitted(survey: Survey) -> QuerySet[Response]:
    return Response.objects.filter(survey=survey, submitted_at__isnull=False)


def survey_results(survey: Survey) -> tuple[int, list[QuestionResult]]:
    """(number of submitted responses, one result per question). Four queries."""
    total = submitted(survey).count()
    questions = list(survey.questions.select_related("section"))
    answers = Answer.objects.filter(question__survey=survey, response__submitted_at__isnull=False)
    respondents = dict(
        answers.values("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("question_id", "n")
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for qid, choice, n in (
        answers.exclude(choice="")
        .values("question_id", "choice")
        .annotate(n=Count("id"))
        .values_list("question_id", "choice", "n")
    ):
        counts[qid][choice] = n
    numbers = {
        row["question_id"]: row
        for row in answers.filter(number__isnull=False)
        .values("question_id")
        .annotate(avg=Avg("number"), lo=Min("number"), hi=Max("number"))
    }
    results = []
    for question in questions:
        result = QuestionResult(question=question, answered=respondents.get(question.pk, 0))
        if question.kind in CHOICE_KINDS or question.kind == QuestionKind.RATING:
            for value, label in question.options("en"):
                n = counts[question.pk].get(value, 0)
                result.rows.append(Row(value, label, n, percent(n, result.answered)))
        if question.pk in numbers:
            stats = numbers[question.pk]
            result.average = Decimal(stats["avg"]).quantize(Decimal("0.1"))
            result.minimum, result.maximum = stats["lo"], stats["hi"]
        if question.kind in TEXT_KINDS:
            result.text_count = result.answered
        results.append(result)
    return total, results


@dataclass
class CrossTab:
    question: Question
    by: str
    columns: list[str]
    rows: list[tuple[str, list[int], int]]  # label, count per column, row total
    column_totals: list[int]


def cross_tab(survey: Survey, question: Question, by: str) -> CrossTab:
    """Counts of each option of ``question`` by the respondents' program type or town.
    Anonymous responses without a program fall in "Not known". One query."""
    column_field = "response__program_kind" if by == "kind" else "response__town"
    data: dict[tuple[str, str], int] = {}
    for choice, column, n in (
        Answer.objects.filter(question=question, response__submitted_at__isnull=False)
        .exclude(choice="")
        .values("choice", column_field)
        .annotate(n=Count("id"))
        .values_list("choice", column_field, "n")
    ):
        data[(choice, column or "")] = n
    keys = sorted({c for _choice, c in data})
    labels = dict(ProgramKind.choices) if by == "kind" else {}
    columns = [str(labels.get(k, k)) if k else _("Not known") for k in keys]
    rows = []
    for value, label in question.options("en"):
        counts = [data.get((value, k), 0) for k in keys]
        rows.append((label, counts, sum(counts)))
    totals = [sum(r[1][i] for r in rows) for i in range(len(keys))]
    return CrossTab(question=question, by=by, columns=columns, rows=rows, column_totals=totals)


def free_text(question: Question) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(question=question, response__submitted_at__isnull=False)
        .exclude(text="")
        .select_related("response")
        .order_by("-response__submitted_at", "pk")
    )
