"""Sign-in (with lockout and two-factor), invitations, profile and password."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.accounts import services
from alliance.accounts.forms import AcceptForm, LoginForm, OtpForm, ProfileForm

DEMO_LOGINS = [
    ("hub@example.org", "hub admin"),
    ("director1@example.org", "director, center"),
    ("director2@example.org", "director, another center"),
    ("provider1@example.org", "family child care home"),
    ("staff1@example.org", "teacher"),
    ("sub1@example.org", "substitute (sub1 … sub20)"),
    ("family1@example.org", "parent"),
    ("committee1@example.org", "Advisory Committee"),
]
DEMO_PASSWORD = "alliance-demo"


def _safe_next(request: HttpRequest) -> str | None:
    nxt = request.POST.get("next") or request.GET.get("next")
    if nxt and url_has_allowed_host_and_scheme(
        nxt, {request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return None


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        if services.is_locked_out(email):
            form.add_error(
                None,
                _("Too many failed sign-ins. Wait %(m)s minutes, or reset your password.")
                % {"m": settings.LOGIN_LOCKOUT_MINUTES},
            )
            status = 429
        else:
            user = authenticate(request, email=email, password=form.cleaned_data["password"])
            services.record_login(email=email, ip=_client_ip(request), succeeded=user is not None)
            if user is None:
                form.add_error(
                    None,
                    _("That email and password do not match. Check both, or reset your password."),
                )
                status = 401
            else:
                login(request, user)
                _activate_language(request, user.language)
                if any(True for _ in devices_for_user(user, confirmed=True)):
                    target = "accounts:otp_verify"
                    nxt = _safe_next(request)
                    response = redirect(target)
                    if nxt:
                        response["Location"] += f"?next={nxt}"
                    return response
                return redirect(_safe_next(request) or "core:home")
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": _safe_next(request) or "",
            "demo_logins": DEMO_LOGINS if settings.DEMO_MODE else None,
            "demo_password": DEMO_PASSWORD,
        },
        status=status,
    )


def _activate_language(request: HttpRequest, language: str) -> None:
    translation.activate(language)
    request.session["_language"] = language


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("accounts:login")


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.open_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    existing = not request.user.is_authenticated and _account_exists(invitation.email)
    form = AcceptForm(
        request.POST if request.method == "POST" else None,
        initial={"full_name": invitation.full_name, "language": "en"},
    )
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                services.accept_invitation(raw_token=token, user=request.user)
                user = request.user
            elif form.is_valid():
                user = services.accept_invitation(
                    raw_token=token,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password"],
                    language=form.cleaned_data["language"],
                )
                login(request, user, backend="alliance.accounts.backends.EmailBackend")
                _activate_language(request, user.language)
            else:
                user = None
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            if user is not None:
                messages.success(request, _("Welcome! Your role is ready."))
                return redirect("core:home")
    return render(
        request,
        "accounts/accept.html",
        {
            "invitation": invitation,
            "form": form,
            "existing": existing,
            "role": services.role_label(invitation.kind),
        },
        status=422 if form.errors else 200,
    )


def _account_exists(email: str) -> bool:
    from alliance.accounts.models import User

    return User.objects.filter(email=email).exists()


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        initial={"full_name": user.full_name, "phone": user.phone, "language": user.language},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            _activate_language(request, user.language)
            messages.success(request, _("Profile saved."))
            return redirect("accounts:profile")
    has_2fa = any(True for _ in devices_for_user(user, confirmed=True))
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "has_2fa": has_2fa},
        status=422 if form.errors else 200,
    )


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, _("Password changed."))
        return redirect("accounts:profile")
    return render(
        request, "accounts/password_change.html", {"form": form}, status=422 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: show the QR code of an unconfirmed device, confirm it with a
    first code. Confirming verifies this session."""
    import segno

    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = OtpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
            otp_login(request, device)
            messages.success(request, _("Two-step sign-in is on."))
            return redirect("accounts:profile")
        form.add_error(
            "code",
            _("That code did not match. Check the time on your phone and type the newest code."),
        )
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code"))
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": qr,
            "secret": _b32(device.bin_key),
            "required": request.GET.get("required") == "1",
        },
        status=422 if form.errors else 200,
    )


def _b32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    form = OtpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        for device in devices_for_user(request.user, confirmed=True):
            if device.verify_token(code):
                otp_login(request, device)
                return redirect(_safe_next(request) or "core:home")
        services.record_login(email=request.user.email, ip=_client_ip(request), succeeded=False)
        form.add_error("code", _("That code did not match. Type the newest code from your app."))
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "next": _safe_next(request) or ""},
        status=422 if form.errors else 200,
    )
