"""Challenge themes, focus groups and interviews with tagged quotes, and the Advisory
Committee (members, meetings, attendance, action items, suggestions)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.core.tenancy import AllianceScopedManager


class Theme(models.Model):
    """A challenge the alliance hears about. ``service_url`` names the URL (e.g.
    ``substitutes:hub_dashboard``) of the alliance service that answers it."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120, blank=True)
    service = models.CharField(_("alliance service"), max_length=120, blank=True)
    service_url = models.CharField(max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "code"], name="theme_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SessionKind(models.TextChoices):
    FOCUS_GROUP = "focus_group", _("Focus group")
    INTERVIEW = "interview", _("Interview")


class Session(models.Model):
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    kind = models.CharField(_("type"), max_length=12, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    facilitator = models.CharField(_("facilitator"), max_length=150)
    participants = models.TextField(
        _("participants"), blank=True, help_text=_("Who took part (roles, not names).")
    )
    participant_count = models.PositiveSmallIntegerField(_("number of participants"), default=1)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Quote(models.Model):
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(_("quote"))
    speaker = models.CharField(_("speaker"), max_length=120, blank=True)
    themes = models.ManyToManyField(Theme, related_name="quotes", verbose_name=_("themes"))

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Sector(models.TextChoices):
    BUSINESS = "business", _("Business")
    INDUSTRY = "industry", _("Industry")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    CHILD_CARE = "child_care", _("Child care provider")
    FAMILY = "family", _("Parent or family")
    GOVERNMENT = "government", _("Government")


class CommitteeMember(models.Model):
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    name = models.CharField(_("name"), max_length=150)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    organization = models.CharField(_("organization"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    attendees = models.ManyToManyField(
        CommitteeMember, blank=True, related_name="meetings", verbose_name=_("present")
    )

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionItem(models.Model):
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        CommitteeMember, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("owner")
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["status", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class SuggestionStatus(models.TextChoices):
    NEW = "new", _("New")
    CONSIDERING = "considering", _("Under consideration")
    ADOPTED = "adopted", _("Adopted")
    DECLINED = "declined", _("Declined")


class Suggestion(models.Model):
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    title = models.CharField(_("suggestion"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=SuggestionStatus.choices, default=SuggestionStatus.NEW
    )
    response = models.TextField(_("response"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
