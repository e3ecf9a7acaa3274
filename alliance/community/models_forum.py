"""Forum, announcements, the shared document library and the events calendar."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.core.tenancy import AllianceScopedManager


class Category(models.Model):
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_post_at = models.DateTimeField(auto_now_add=True)
    post_count = models.PositiveIntegerField(default=0)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["-last_post_at"]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """``body`` is the author's plain text; it is rendered by ``community.markup`` (which
    escapes everything) and never stored as HTML."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)
    is_hidden = models.BooleanField(_("hidden"), default=False)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Post {self.pk}"


class Report(models.Model):
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Report {self.pk}"


class DigestSubscription(models.Model):
    """Who gets the daily forum digest, and up to when it was sent."""

    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    objects = AllianceScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alliance", "user"], name="digest_unique")]

    def __str__(self) -> str:
        return f"DigestSubscription {self.pk}"


class Announcement(models.Model):
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    to_all = models.BooleanField(_("send to every member program"), default=True)
    programs = models.ManyToManyField(
        "members.Program", blank=True, verbose_name=_("member programs")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    recipient_count = models.PositiveIntegerField(default=0)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"Announcement {self.pk}"


class DocumentAccess(models.TextChoices):
    MEMBERS = "members", _("Members only")
    PUBLIC = "public", _("Public")


class DocumentCategory(models.TextChoices):
    POLICY = "policy", _("Policy")
    TEMPLATE = "template", _("Template")
    FORM = "form", _("Form")
    GUIDE = "guide", _("Guide")
    OTHER = "other", _("Other")


class Document(models.Model):
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=12, choices=DocumentCategory.choices)
    access = models.CharField(
        _("who may see it"),
        max_length=10,
        choices=DocumentAccess.choices,
        default=DocumentAccess.MEMBERS,
    )
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["category", "title"]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to="community/documents/%Y/")
    filename = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="docversion_unique")
        ]

    def __str__(self) -> str:
        return f"DocumentVersion {self.pk}"


class EventKind(models.TextChoices):
    NETWORKING = "networking", _("Networking meeting")
    TRAINING = "training", _("Training")
    COMMITTEE = "committee", _("Advisory Committee")
    OTHER = "other", _("Other")


class Event(models.Model):
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=EventKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    is_public = models.BooleanField(_("listed publicly"), default=True)

    objects = AllianceScopedManager()

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title


class Rsvp(models.Model):
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AllianceScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="rsvp_unique")]

    def __str__(self) -> str:
        return f"Rsvp {self.pk}"
