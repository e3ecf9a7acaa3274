"""Surveys: a builder (sections and questions in English and Spanish), distribution,
responses that can be saved and resumed, and one answer row per chosen option."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.core.tenancy import AllianceScopedManager


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Distribution(models.TextChoices):
    LINK = "link", _("Anyone with the link")
    MEMBERS = "members", _("Chosen member programs")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RATING = "rating", _("Rating scale")
    NUMBER = "number", _("Number")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})


class Survey(models.Model):
    alliance = models.ForeignKey(
        "members.Alliance", on_delete=models.CASCADE, related_name="surveys"
    )
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    intro_es = models.TextField(_("introduction (Spanish)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    distribution = models.CharField(
        _("distribution"), max_length=10, choices=Distribution.choices, default=Distribution.LINK
    )
    anonymous = models.BooleanField(
        _("anonymous responses"),
        default=True,
        help_text=_("Unchecked: each response is attributed to the member program (one each)."),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def title_in(self, lang: str) -> str:
        return self.title_es if lang == "es" and self.title_es else self.title

    def intro_in(self, lang: str) -> str:
        return self.intro_es if lang == "es" and self.intro_es else self.intro


class Section(models.Model):
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("section title"), max_length=200)
    title_es = models.CharField(_("section title (Spanish)"), max_length=200, blank=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    def title_in(self, lang: str) -> str:
        return self.title_es if lang == "es" and self.title_es else self.title


class Question(models.Model):
    """``choices`` is a list of {"value", "en", "es", "theme"}; ``theme`` (a challenge theme
    code, optional) feeds the challenge board. A question with ``show_if`` is shown only
    when that earlier question's answer includes one of ``show_if_values``."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("type"), max_length=12, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    text_es = models.CharField(_("question (Spanish)"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(default=list, blank=True)
    scale_min = models.PositiveSmallIntegerField(default=1)
    scale_max = models.PositiveSmallIntegerField(default=5)
    show_if = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="dependents"
    )
    show_if_values = models.JSONField(default=list, blank=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["section__position", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    def text_in(self, lang: str) -> str:
        return self.text_es if lang == "es" and self.text_es else self.text

    def options(self, lang: str) -> list[tuple[str, str]]:
        if self.kind == QuestionKind.RATING:
            return [(str(n), str(n)) for n in range(self.scale_min, self.scale_max + 1)]
        return [
            (c["value"], (c.get("es") if lang == "es" and c.get("es") else c["en"]))
            for c in self.choices
        ]

    def label_of(self, value: str) -> str:
        for c in self.choices:
            if c["value"] == value:
                return c["en"]
        return value


class Recipient(models.Model):
    """A member program invited to a members-only survey."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="recipients")
    program = models.ForeignKey("members.Program", on_delete=models.CASCADE)
    invited_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)

    objects = AllianceScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "program"], name="survey_recipient_unique")
        ]

    def __str__(self) -> str:
        return f"Recipient {self.pk}"


class Response(models.Model):
    """One person's answers. ``program`` is set for attributed surveys (one per program);
    the program's type and town are copied for cross-tabs."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    program = models.ForeignKey("members.Program", null=True, blank=True, on_delete=models.SET_NULL)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    program_kind = models.CharField(max_length=20, blank=True)
    town = models.CharField(max_length=80, blank=True)
    language = models.CharField(max_length=5, default="en")
    resume_token = models.CharField(max_length=64, unique=True, default=new_token)
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "program"],
                condition=models.Q(program__isnull=False),
                name="survey_one_response_per_program",
            )
        ]
        indexes = [models.Index(fields=["survey", "submitted_at"])]

    def __str__(self) -> str:
        return f"Response {self.pk}"


class Answer(models.Model):
    """One chosen option (``choice``), or a number, or a text. A multiple-choice answer is
    one row per option, so results are GROUP BY queries whatever the number of responses."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.CharField(max_length=80, blank=True)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)

    objects = AllianceScopedManager()

    class Meta:
        indexes = [models.Index(fields=["question", "choice"])]

    def __str__(self) -> str:
        return f"Answer {self.pk}"
