"""People, their roles, invitations, login attempts and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from alliance.core.policy import PROGRAM_ROLES, RoleKind


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("Email is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Español")


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with an email address; roles say what they may do where."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("back-office access"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.Model):
    """One role held by one person in one alliance (and, for program roles, one program)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(
        _("role"), max_length=20, choices=[(k.value, k.value) for k in RoleKind]
    )
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(
        "members.Program", null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(alliance="alliance", program="program")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "alliance", "program"], name="role_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "alliance"],
                condition=models.Q(program__isnull=True),
                name="role_unique_alliance_level",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=sorted(PROGRAM_ROLES), program__isnull=False)
                    | (~models.Q(kind__in=sorted(PROGRAM_ROLES)) & models.Q(program__isnull=True))
                ),
                name="role_program_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        where = self.program_id and f"program {self.program_id}" or f"alliance {self.alliance_id}"
        return f"{self.user_id} {self.kind} @ {where}"


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An emailed, single-use, expiring invitation to take a role."""

    email = models.EmailField(_("email"))
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    # The invitee's language: the email is written in it and the sign-up form starts with it.
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in RoleKind])
    alliance = models.ForeignKey("members.Alliance", on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(
        "members.Program", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(alliance="alliance", program="program")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation {self.email} as {self.kind}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class LoginAttempt(models.Model):
    """Failed and successful sign-ins, for lockout and for the security log."""

    email = models.CharField(max_length=254, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["email", "at"]), models.Index(fields=["ip", "at"])]

    def __str__(self) -> str:
        return f"{self.email} {'ok' if self.succeeded else 'failed'} {self.at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A bearer token for API clients. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"
