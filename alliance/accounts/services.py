"""Every change to people, roles, invitations and tokens. Keyword-only, atomic, audited."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from alliance.accounts.models import (
    ApiToken,
    Invitation,
    Language,
    LoginAttempt,
    Role,
    User,
    hash_secret,
    new_secret,
)
from alliance.core.audit import log_action
from alliance.core.policy import PROGRAM_ROLES, RoleKind
from alliance.members.models import Alliance, Program

log = logging.getLogger("alliance.accounts")


@transaction.atomic
def grant_role(
    *,
    acting_user: User | None,
    user: User,
    kind: str,
    alliance: Alliance,
    program: Program | None = None,
) -> Role:
    """Give ``user`` the role; idempotent (granting a held role returns the existing row)."""
    kind = RoleKind(kind)
    if (kind in PROGRAM_ROLES) != (program is not None):
        raise ValidationError(
            {
                "kind": _("This role needs a program.")
                if program is None
                else _("This role belongs to the alliance, not to a program.")
            }
        )
    if program is not None and program.alliance_id != alliance.pk:
        raise ValidationError({"program": _("The program is not a member of this alliance.")})
    with scopes_disabled():
        role, created = Role.objects.get_or_create(
            user=user, kind=kind, alliance=alliance, program=program
        )
    if created:
        log_action(
            actor=acting_user,
            action="role.granted",
            target=role,
            alliance=alliance,
            program=program,
            summary=f"{user.email} is now {kind}",
            data={"user": user.email, "kind": kind},
        )
        user.__dict__.pop("_alliance_roles", None)
    return role


@transaction.atomic
def revoke_role(*, acting_user: User, role: Role) -> None:
    log_action(
        actor=acting_user,
        action="role.revoked",
        target=role,
        alliance=role.alliance,
        program=role.program,
        summary=f"{role.user.email} is no longer {role.kind}",
        data={"user": role.user.email, "kind": role.kind},
    )
    with scopes_disabled():
        Role.objects.filter(pk=role.pk).delete()


def _clean_email(email: str, field: str = "email") -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({field: _("Enter a valid email address, like name@example.org.")})
    return email


@transaction.atomic
def invite(
    *,
    acting_user: User | None,
    email: str,
    kind: str,
    alliance: Alliance,
    program: Program | None = None,
    full_name: str = "",
) -> tuple[Invitation, str]:
    """Create an invitation and email its single-use link. Returns (invitation, raw token).

    Guarantees: the raw token is never stored (only its hash); an earlier open invitation
    for the same person and role is revoked, so only the newest link works.
    """
    email = _clean_email(email)
    kind = RoleKind(kind)
    if (kind in PROGRAM_ROLES) != (program is not None):
        raise ValidationError({"kind": _("Choose a program for this role.")})
    raw = new_secret()
    now = timezone.now()
    with scopes_disabled():
        Invitation.objects.filter(
            email=email,
            kind=kind,
            alliance=alliance,
            program=program,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            email=email,
            full_name=full_name.strip(),
            kind=kind,
            alliance=alliance,
            program=program,
            invited_by=acting_user if acting_user and acting_user.pk else None,
            token_hash=hash_secret(raw),
            expires_at=now + timedelta(days=settings.INVITATION_DAYS),
        )
    log_action(
        actor=acting_user,
        action="invitation.sent",
        target=invitation,
        alliance=alliance,
        program=program,
        summary=f"Invited {email} as {kind}",
        data={"email": email, "kind": kind},
    )
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:accept", args=[raw])
    transaction.on_commit(lambda: _send_invitation(invitation, link))
    return invitation, raw


def _send_invitation(invitation: Invitation, link: str) -> None:
    existing = User.objects.filter(email=invitation.email).first()
    language = existing.language if existing else "en"
    with translation.override(language):
        context = {
            "invitation": invitation,
            "link": link,
            "where": invitation.program or invitation.alliance,
            "role": role_label(invitation.kind),
        }
        subject = _("You are invited to %(where)s on Alliance") % {"where": context["where"]}
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


def role_label(kind: str) -> str:
    labels = {
        RoleKind.HUB: _("hub admin"),
        RoleKind.DIRECTOR: _("director"),
        RoleKind.STAFF: _("staff"),
        RoleKind.SUBSTITUTE: _("substitute"),
        RoleKind.FAMILY: _("family"),
        RoleKind.COMMITTEE: _("Advisory Committee member"),
    }
    return labels.get(kind, kind)


def open_invitation(raw_token: str) -> Invitation | None:
    """The open invitation for this link, or None (unknown, used, revoked or expired)."""
    with scopes_disabled():
        invitation = (
            Invitation.objects.select_related("alliance", "program")
            .filter(token_hash=hash_secret(raw_token))
            .first()
        )
    if invitation is None or not invitation.is_open:
        return None
    return invitation


@transaction.atomic
def accept_invitation(
    *,
    raw_token: str,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
    language: str = "en",
) -> User:
    """Take the invited role. A new person sets a name and password; a signed-in person
    whose email matches just gains the role. The link works once."""
    with scopes_disabled():
        invitation = (
            Invitation.objects.select_for_update().filter(token_hash=hash_secret(raw_token)).first()
        )
    if invitation is None or not invitation.is_open:
        raise ValidationError(
            {"token": _("This invitation link is no longer valid. Ask for a new one.")}
        )
    if user is None:
        if User.objects.filter(email=invitation.email).exists():
            raise ValidationError({"email": _("You already have an account. Sign in to accept.")})
        if not full_name.strip():
            raise ValidationError({"full_name": _("Enter your full name.")})
        candidate = User(email=invitation.email, full_name=full_name.strip(), language=language)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages})
        candidate.set_password(password)
        try:
            with transaction.atomic():
                candidate.save()
        except IntegrityError:
            raise ValidationError({"email": _("You already have an account. Sign in to accept.")})
        user = candidate
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError({"email": _("This invitation was sent to another email address.")})
    grant_role(
        acting_user=user,
        user=user,
        kind=invitation.kind,
        alliance=invitation.alliance,
        program=invitation.program,
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    log_action(
        actor=user,
        action="invitation.accepted",
        target=invitation,
        alliance=invitation.alliance,
        program=invitation.program,
        summary=f"{user.email} accepted",
    )
    return user


@transaction.atomic
def revoke_invitation(*, acting_user: User, invitation: Invitation) -> None:
    if invitation.accepted_at or invitation.revoked_at:
        return
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    log_action(
        actor=acting_user,
        action="invitation.revoked",
        target=invitation,
        alliance=invitation.alliance,
        program=invitation.program,
        summary=f"Revoked invitation for {invitation.email}",
    )


# --- sign-in lockout -------------------------------------------------------------------


def is_locked_out(email: str) -> bool:
    """True when this email had too many failed sign-ins within the lockout window."""
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    email = (email or "").strip().lower()
    failures = LoginAttempt.objects.filter(email=email, at__gte=since, succeeded=False)
    last_success = (
        LoginAttempt.objects.filter(email=email, at__gte=since, succeeded=True)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if last_success is not None:
        failures = failures.filter(at__gt=last_success)
    return failures.count() >= settings.LOGIN_FAILURE_LIMIT


def record_login(*, email: str, ip: str | None, succeeded: bool) -> None:
    LoginAttempt.objects.create(
        email=(email or "").strip().lower()[:254], ip=ip, succeeded=succeeded
    )
    if not succeeded:
        log.warning("login failed", extra={"email": email, "ip": ip or ""})


# --- API tokens -------------------------------------------------------------------------


@transaction.atomic
def issue_api_token(*, user: User, name: str = "") -> str:
    """Create a bearer token and return it; only its hash is kept."""
    raw = "alt_" + new_secret()
    ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=raw[4:12],
        key_hash=hash_secret(raw),
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
    )
    return raw


def user_for_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_secret(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- profile ----------------------------------------------------------------------------


@transaction.atomic
def update_profile(*, user: User, full_name: str, phone: str, language: str) -> User:
    """Change one's own name, phone and language (used for pages, emails and texts)."""
    errors: dict[str, str] = {}
    if not full_name.strip():
        errors["full_name"] = _("Enter your full name.")
    digits = "".join(ch for ch in phone if ch.isdigit())
    if phone.strip() and not 10 <= len(digits) <= 15:
        errors["phone"] = _("Enter a phone number with area code, e.g. 908-555-0123.")
    if language not in dict(Language.choices):
        errors["language"] = _("Choose English or Spanish.")
    if errors:
        raise ValidationError(errors)
    user.full_name, user.phone, user.language = full_name.strip(), phone.strip(), language
    user.save(update_fields=["full_name", "phone", "language"])
    return user
