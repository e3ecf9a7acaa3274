"""API tokens: POST /api/v1/auth/token exchanges email and password (and a code) for a bearer
token; DELETE revokes the token in use (sign out); /auth/tokens lists and revokes one's own."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from ninja import Field, Schema, Status

from alliance.accounts import services
from alliance.accounts.models import hash_secret
from alliance.api.root import api
from alliance.api.types import ErrorOut, Message
from alliance.core.net import client_ip
from alliance.core.policy import RoleKind, role_kinds


class TokenIn(Schema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=4096)
    otp: str | None = Field(
        None, max_length=16, description="Current 6-digit code, for two-step accounts."
    )


class TokenOut(Schema):
    token: str


class TokenInfo(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters after `alt_`, to recognise it.")
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    current: bool = Field(description="The token this request was made with.")


@api.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: Message, 403: Message, 422: ErrorOut, 429: Message},
    tags=["auth"],
)
def create_token(request: HttpRequest, payload: TokenIn):
    """Sign in and get a token (expires after API_TOKEN_DAYS days). Accounts with two-step
    sign-in send the current 6-digit code as `otp`. Too many failures lock the email out
    for a while (429). Where the deployment requires two-step sign-in of hub admins, a hub
    admin who has not turned it on gets no token (403)."""
    email = payload.email.strip().lower()
    ip = client_ip(request)
    if services.is_locked_out(email, ip):
        return Status(429, {"message": _("Too many failed sign-ins; try again later.")})
    user = authenticate(request, email=email, password=payload.password)
    devices = []
    if user is not None:
        devices = list(devices_for_user(user, confirmed=True))
        # No code sent: refuse without trying one, so the device's throttle (which slows
        # down guessing after each wrong code) is not started by a client that forgot it.
        if devices and not (payload.otp and any(d.verify_token(payload.otp) for d in devices)):
            user = None
    services.record_login(email=email, ip=ip, succeeded=user is not None)
    if user is None:
        return Status(401, {"message": _("Email, password or code not accepted.")})
    if not devices and settings.REQUIRE_2FA_FOR_HUB and RoleKind.HUB in role_kinds(user):
        # The website would send this person to set up two-step sign-in; so does the API.
        message = _("Turn on two-step sign-in on the website first; hub admins need it.")
        return Status(403, {"message": message})
    return Status(200, {"token": services.issue_api_token(user=user, name="api")})


@api.delete("/auth/token", response={204: None, 401: Message}, tags=["auth"])
def revoke_current_token(request: HttpRequest):
    """Sign out: revoke the token this request is made with."""
    services.revoke_api_token(user=request.user, raw=request.api_token)
    return Status(204, None)


@api.get("/auth/tokens", response={200: list[TokenInfo], 401: Message}, tags=["auth"])
def list_tokens(request: HttpRequest):
    """Your tokens still in force (never their secrets), newest first."""
    current = hash_secret(request.api_token)
    return [
        {
            "id": t.pk,
            "name": t.name,
            "prefix": t.prefix,
            "created_at": t.created_at,
            "last_used_at": t.last_used_at,
            "expires_at": t.expires_at,
            "current": t.key_hash == current,
        }
        for t in services.api_tokens_of(request.user)
    ]


@api.delete(
    "/auth/tokens/{token_id}", response={204: None, 401: Message, 404: Message}, tags=["auth"]
)
def revoke_token(request: HttpRequest, token_id: int):
    """Revoke one of your tokens (for example one left on a lost tablet). Someone else's
    token, or one already revoked, is 404."""
    if not services.revoke_api_token(user=request.user, token_id=token_id):
        return Status(404, {"message": _("No such token.")})
    return Status(204, None)
