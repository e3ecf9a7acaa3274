"""Two-step sign-in with an authenticator app (TOTP, django-otp): set up and verify."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.accounts import services
from alliance.accounts.forms import OtpForm
from alliance.accounts.middleware import has_confirmed_device
from alliance.accounts.nexturl import safe_next, with_next
from alliance.accounts.views import client_ip, lockout_message


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: show the QR code of an unconfirmed device, confirm it with a
    first code. Confirming verifies this session and replaces any older device."""
    user = request.user
    if has_confirmed_device(user) and not user.is_verified():
        # Replacing the device needs the current one first, or a password alone would do.
        return redirect(with_next(reverse("accounts:otp_verify"), request.get_full_path()))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = OtpForm(request.POST if request.method == "POST" else None)
    required = request.GET.get("required") == "1"
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
            otp_login(request, device)
            messages.success(request, _("Two-step sign-in is on."))
            return redirect(safe_next(request) or ("core:home" if required else "accounts:profile"))
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
            "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
            "required": required,
        },
        status=422 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step after the password. Wrong codes count as failed sign-ins: enough of
    them sign the person out and lock the email like wrong passwords do."""
    user = request.user
    nxt = safe_next(request)
    if user.is_verified() or not has_confirmed_device(user):
        return redirect(nxt or "core:home")
    form = OtpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        for device in devices_for_user(user, confirmed=True):
            if device.verify_token(code):
                otp_login(request, device)
                return redirect(nxt or "core:home")
        services.record_login(email=user.email, ip=client_ip(request), succeeded=False)
        if services.is_locked_out(user.email, client_ip(request)):
            logout(request)
            messages.error(request, lockout_message())
            return redirect("accounts:login")
        form.add_error("code", _("That code did not match. Type the newest code from your app."))
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "next": nxt or ""},
        status=422 if form.errors else 200,
    )
