"""Every change to people, roles, invitations and tokens. Keyword-only, atomic, audited."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
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
from alliance.core.tasks import send_email_task
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
    if kind == RoleKind.FAMILY:
        # The guardian's sign-in becomes the family record's account (Family.account),
        # which other modules use to show a family its own records.
        from alliance.families.services import link_account

        link_account(acting_user=acting_user, user=user, alliance=alliance)
    return role


@transaction.atomic
def revoke_role(*, acting_user: User, role: Role) -> None:
    """Take one role away from its holder; their other roles stay.

    Guarantees: nobody removes their own director role (a program must not lose its
    director by a slip of the mouse); the removal is audited in the same transaction.
    """
    if role.user_id == acting_user.pk and role.kind == RoleKind.DIRECTOR:
        raise ValidationError({"role": _("You cannot remove your own director role.")})
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
    role.user.__dict__.pop("_alliance_roles", None)


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
    language: str | None = None,
) -> tuple[Invitation, str]:
    """Create an invitation and email its single-use link. Returns (invitation, raw token).

    Guarantees: the raw token is never stored (only its hash); an earlier open invitation
    for the same person and role is revoked, so only the newest link works; the email is
    written in the invitee's language (``language``, else the language of their existing
    account, else the site default) and sent only once the transaction commits.
    """
    email = _clean_email(email)
    kind = RoleKind(kind)
    if (kind in PROGRAM_ROLES) != (program is not None):
        raise ValidationError({"kind": _("Choose a program for this role.")})
    if program is not None and program.alliance_id != alliance.pk:
        raise ValidationError({"program": _("The program is not a member of this alliance.")})
    existing = find_user(email)
    if existing is not None and _holds_role(existing, kind, alliance, program):
        raise ValidationError({"email": _("This person already has this role.")})
    if language not in dict(Language.choices):
        language = existing.language if existing else settings.LANGUAGE_CODE
    raw = new_secret()
    now = timezone.now()
    with scopes_disabled():
        replaced = Invitation.objects.filter(
            email=email,
            kind=kind,
            alliance=alliance,
            program=program,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            email=email,
            full_name=full_name.strip()[:150],
            language=language,
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
        data={"email": email, "kind": kind, "replaced": replaced},
    )
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:accept", args=[raw])
    transaction.on_commit(lambda: _send_invitation(invitation, link))
    return invitation, raw


def find_user(email: str) -> User | None:
    """The account for this email address, compared without regard to case."""
    return User.objects.filter(email__iexact=(email or "").strip()).order_by("pk").first()


def _holds_role(user: User, kind: str, alliance: Alliance, program: Program | None) -> bool:
    with scopes_disabled():
        return Role.objects.filter(
            user=user, kind=kind, alliance=alliance, program=program
        ).exists()


def _send_invitation(invitation: Invitation, link: str) -> None:
    with translation.override(invitation.language):
        where = invitation.program or invitation.alliance
        context = {
            "invitation": invitation,
            "link": link,
            "where": where,
            "role": role_label(invitation.kind),
            "days": settings.INVITATION_DAYS,
        }
        subject = _("You are invited to %(where)s on Alliance") % {"where": where}
        body = render_to_string("accounts/email/invitation.txt", context)
    # Already running on commit (see invite), so enqueue directly.
    send_email_task(invitation.email, subject, body)


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
    language: str = "",
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
        if find_user(invitation.email) is not None:
            raise ValidationError({"email": _("You already have an account. Sign in to accept.")})
        if not full_name.strip():
            raise ValidationError({"full_name": _("Enter your full name.")})
        if language not in dict(Language.choices):
            language = invitation.language
        candidate = User(
            email=invitation.email.lower(), full_name=full_name.strip()[:150], language=language
        )
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
    """Make a pending invitation's link stop working. Idempotent; used links stay used."""
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


def is_locked_out(email: str, ip: str | None = None) -> bool:
    """True when this email had too many failed sign-ins within the lockout window, or this
    address (``ip``) had too many, whatever the emails (``LOGIN_IP_FAILURE_LIMIT``)."""
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    if ip:
        from_ip = LoginAttempt.objects.filter(ip=ip, at__gte=since, succeeded=False)
        if from_ip.count() >= settings.LOGIN_IP_FAILURE_LIMIT:
            return True
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


def release_lockout(*, email: str, ip: str | None = None) -> None:
    """A password reset proves control of the mailbox: earlier failures stop counting.

    Recorded as a successful attempt, so the security log keeps every failure."""
    record_login(email=email, ip=ip, succeeded=True)


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


def api_tokens_of(user: User) -> list[ApiToken]:
    """The person's tokens still in force, newest first."""
    return list(
        ApiToken.objects.filter(
            user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).order_by("-created_at")
    )


@transaction.atomic
def revoke_api_token(*, user: User, token_id: int | None = None, raw: str | None = None) -> bool:
    """Revoke one of ``user``'s own tokens, named by id or by its secret; False when there is
    no such token in force (someone else's token counts as missing). A revoked token opens
    nothing from then on; the row stays, for the record."""
    tokens = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    if token_id is not None:
        tokens = tokens.filter(pk=token_id)
    elif raw is not None:
        tokens = tokens.filter(key_hash=hash_secret(raw))
    else:
        return False
    token = tokens.first()
    if token is None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    log.info("api token revoked", extra={"user_id": user.pk, "prefix": token.prefix})
    return True


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
