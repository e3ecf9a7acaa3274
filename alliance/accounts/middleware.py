"""Two-step sign-in: finished by everyone who turned it on; required of hub admins where
the deployment says so (production by default)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from alliance.accounts.nexturl import with_next
from alliance.core.policy import RoleKind, role_kinds

# Reachable before the second step: assets, health, language switch, the bearer-token API
# (it checks codes itself) and the emailed password-reset links (they prove the mailbox).
_OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/", "/api/", "/accounts/password-reset/")


def has_confirmed_device(user) -> bool:
    from django_otp import devices_for_user

    return any(True for _ in devices_for_user(user, confirmed=True))


class RequireTwoFactorMiddleware:
    """Until the session is verified, a signed-in person with an authenticator reaches only
    the code page (and sign-out); a hub admin without one, where it is required, reaches
    only the setup page. Everything else, including the profile, redirects there."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or user.is_verified()
            or request.path.startswith(_OPEN_PREFIXES)
        ):
            return self.get_response(request)
        if has_confirmed_device(user):
            step, extra = "accounts:otp_verify", {}
        elif settings.REQUIRE_2FA_FOR_HUB and RoleKind.HUB in role_kinds(user):
            step, extra = "accounts:otp_setup", {"required": "1"}
        else:
            return self.get_response(request)
        if request.path in _paths(step, "accounts:login"):
            return self.get_response(request)
        return redirect(with_next(reverse(step), _back_to(request), **extra))


def _paths(*names: str) -> set[str]:
    # Sign-out is always allowed: a person must be able to leave half-way.
    return {reverse(name) for name in (*names, "accounts:logout")}


def _back_to(request: HttpRequest) -> str | None:
    # Only pages are worth returning to; a POST's target would answer 405 to a GET.
    return request.get_full_path() if request.method == "GET" else None
