"""Sign-in (with lockout), sign-out, invitations, profile and password."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from alliance.accounts import services
from alliance.accounts.forms import AcceptForm, LoginForm, ProfileForm
from alliance.accounts.middleware import has_confirmed_device
from alliance.accounts.models import Invitation
from alliance.accounts.nexturl import safe_next, with_next
from alliance.core.forms import submit
from alliance.core.policy import RoleKind

DEMO_LOGINS = [
    ("hub@example.org", _l("hub admin")),
    ("director1@example.org", _l("director of a center")),
    ("director2@example.org", _l("director of another center")),
    ("provider1@example.org", _l("family child care home owner")),
    ("staff1@example.org", _l("teacher, also a substitute")),
    ("sub1@example.org", _l("substitute (sub1 … sub20)")),
    ("family1@example.org", _l("parent")),
    ("committee1@example.org", _l("Advisory Committee member")),
]
DEMO_PASSWORD = "alliance-demo"


def client_ip(request: HttpRequest) -> str | None:
    from alliance.core.net import client_ip as _client_ip

    return _client_ip(request)


def lockout_message() -> str:
    # Shown for every locked email, with or without an account: it reveals nothing.
    return _("Too many failed sign-ins. Wait %(m)s minutes, or reset your password.") % {
        "m": settings.LOGIN_LOCKOUT_MINUTES
    }


def remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """Use the person's language from now on (LocaleMiddleware reads this cookie)."""
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if services.is_locked_out(email, client_ip(request)):
            form.add_error(None, lockout_message())
            status = 429
        else:
            user = authenticate(request, email=email, password=form.cleaned_data["password"])
            services.record_login(email=email, ip=client_ip(request), succeeded=user is not None)
            if user is None:
                form.add_error(
                    None,
                    _("That email and password do not match. Check both, or reset your password."),
                )
                status = 401
            else:
                login(request, user)  # a new session key: no session fixation
                nxt = safe_next(request)
                if has_confirmed_device(user):
                    response = redirect(with_next(reverse("accounts:otp_verify"), nxt))
                else:
                    response = redirect(nxt or "core:home")
                return remember_language(response, user.language)
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": safe_next(request) or "",
            "demo_logins": DEMO_LOGINS if settings.DEMO_MODE else None,
            "demo_password": DEMO_PASSWORD,
        },
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    nxt = safe_next(request)
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect(with_next(reverse("accounts:login"), nxt))


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """Take an invited role. A signed-in person must be the invitee; someone with an account
    signs in first; a new person chooses a name and password here."""
    invitation = services.open_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    signed_in = request.user.is_authenticated
    wrong_account = signed_in and request.user.email.lower() != invitation.email.lower()
    existing = not signed_in and services.find_user(invitation.email) is not None
    new_person = not signed_in and not existing
    form = AcceptForm(
        request.POST if request.method == "POST" and new_person else None,
        initial={"full_name": invitation.full_name, "language": invitation.language},
    )
    status = 403 if wrong_account else 200
    problems: list[str] = []
    if request.method == "POST" and existing:
        status = 409  # the page says: sign in first
    elif request.method == "POST" and not wrong_account:
        try:
            if signed_in:
                user = services.accept_invitation(raw_token=token, user=request.user)
            elif form.is_valid():
                user = services.accept_invitation(raw_token=token, **form.cleaned_data)
                login(request, user, backend="alliance.accounts.backends.EmailBackend")
            else:
                user = None
        except ValidationError as exc:
            if "token" in getattr(exc, "error_dict", {}):
                return render(request, "accounts/invitation_invalid.html", status=410)
            if form.is_bound:
                form.add_service_errors(exc)
            else:
                problems, status = exc.messages, 422
        else:
            if user is not None:
                messages.success(request, _("Welcome! Your role is ready."))
                return remember_language(redirect(_landing(invitation)), user.language)
    return render(
        request,
        "accounts/accept.html",
        {
            "invitation": invitation,
            "form": form,
            "existing": existing,
            "wrong_account": wrong_account,
            "problems": problems,
            "role": services.role_label(invitation.kind),
        },
        status=422 if form.errors else status,
    )


def _landing(invitation: Invitation) -> str:
    """Where the new role is used: its program's dashboard, the hub, or the home page."""
    if invitation.program is not None:
        return reverse("members:program_dashboard", args=[invitation.program.slug])
    if invitation.kind == RoleKind.HUB:
        return reverse("members:hub_dashboard", args=[invitation.alliance.slug])
    return reverse("core:home")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        initial={"full_name": user.full_name, "phone": user.phone, "language": user.language},
    )
    if submit(request, form, lambda data: services.update_profile(user=user, **data)).ok:
        response = remember_language(redirect("accounts:profile"), user.language)
        messages.success(request, _("Profile saved."))  # in the language just chosen
        return response
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "has_2fa": has_confirmed_device(user)},
        status=422 if form.errors else 200,
    )


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)  # stay signed in here, nowhere else
        messages.success(request, _("Password changed."))
        return redirect("accounts:profile")
    return render(
        request, "accounts/password_change.html", {"form": form}, status=422 if form.errors else 200
    )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view, plus: a reset through the emailed link lifts a sign-in lockout (the
    lockout message promises it), and bad input answers 422."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.release_lockout(email=form.user.email, ip=client_ip(self.request))
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 422
        return response


class PasswordResetView(auth_views.PasswordResetView):
    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 422
        return response
