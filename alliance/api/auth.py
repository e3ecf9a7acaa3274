"""POST /api/v1/auth/token: exchange email and password for a bearer token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from ninja import Schema

from alliance.accounts import services
from alliance.api.root import api


class TokenIn(Schema):
    email: str
    password: str
    otp: str | None = None


class TokenOut(Schema):
    token: str


class Message(Schema):
    message: str


@api.post(
    "/auth/token", auth=None, response={200: TokenOut, 401: Message, 429: Message}, tags=["auth"]
)
def create_token(request, payload: TokenIn):
    """Sign in and get a token (expires after API_TOKEN_DAYS). Accounts with two-step sign-in
    send the current 6-digit code as `otp`."""
    email = payload.email.strip().lower()
    if services.is_locked_out(email):
        return 429, {"message": "Too many failed sign-ins; try again later."}
    user = authenticate(request, email=email, password=payload.password)
    if user is not None:
        from django_otp import devices_for_user

        devices = list(devices_for_user(user, confirmed=True))
        if devices and not any(d.verify_token(payload.otp or "") for d in devices):
            user = None
    services.record_login(
        email=email, ip=request.META.get("REMOTE_ADDR"), succeeded=user is not None
    )
    if user is None:
        return 401, {"message": "Email, password or code not accepted."}
    return 200, {"token": services.issue_api_token(user=user, name="api")}
