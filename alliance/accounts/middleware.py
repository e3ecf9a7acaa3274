"""Two-step sign-in: finished by everyone who turned it on; required of hub admins where
the deployment says so (production by default)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from alliance.core.policy import RoleKind, role_kinds

_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/", "/api/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not user.is_verified()
        ):
            from django_otp import devices_for_user

            # Anyone who turned two-step sign-in on must finish it before going anywhere.
            if any(True for _ in devices_for_user(user, confirmed=True)):
                return redirect(reverse("accounts:otp_verify") + f"?next={request.path}")
            if settings.REQUIRE_2FA_FOR_HUB and RoleKind.HUB in role_kinds(user):
                return redirect(reverse("accounts:otp_setup") + "?required=1")
        return self.get_response(request)
