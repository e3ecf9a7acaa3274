"""POST /api/v1/auth/token: exchange email and password (and a code) for a bearer token."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from ninja import Field, Schema, Status

from alliance.accounts import services
from alliance.api.root import api
from alliance.api.types import ErrorOut, Message
from alliance.core.policy import RoleKind, role_kinds


class TokenIn(Schema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=4096)
    otp: str | None = Field(
        None, max_length=16, description="Current 6-digit code, for two-step accounts."
    )


class TokenOut(Schema):
    token: str


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
    if services.is_locked_out(email):
        return Status(429, {"message": _("Too many failed sign-ins; try again later.")})
    user = authenticate(request, email=email, password=payload.password)
    devices = []
    if user is not None:
        devices = list(devices_for_user(user, confirmed=True))
        # No code sent: refuse without trying one, so the device's throttle (which slows
        # down guessing after each wrong code) is not started by a client that forgot it.
        if devices and not (payload.otp and any(d.verify_token(payload.otp) for d in devices)):
            user = None
    services.record_login(
        email=email, ip=request.META.get("REMOTE_ADDR"), succeeded=user is not None
    )
    if user is None:
        return Status(401, {"message": _("Email, password or code not accepted.")})
    if not devices and settings.REQUIRE_2FA_FOR_HUB and RoleKind.HUB in role_kinds(user):
        # The website would send this person to set up two-step sign-in; so does the API.
        message = _("Turn on two-step sign-in on the website first; hub admins need it.")
        return Status(403, {"message": message})
    return Status(200, {"token": services.issue_api_token(user=user, name="api")})
