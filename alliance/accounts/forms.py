"""Forms for signing in, accepting an invitation, the profile and two-step sign-in."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from alliance.accounts.models import Language
from alliance.core.forms import ErrorMixin


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class AcceptForm(ErrorMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        max_length=4096,
        help_text=_("At least 10 characters; not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)


class ProfileForm(ErrorMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        required=False,
        help_text=_("For text messages, e.g. 908-555-0123."),
    )
    language = forms.ChoiceField(
        label=_("Language for pages, emails and texts"), choices=Language.choices
    )


class OtpForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        # Apps show the code as "123 456"; people type it either way.
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError(_("Type the 6 digits your app shows."))
        return code


class LocalizedPasswordResetForm(PasswordResetForm):
    """Writes the reset email in the account holder's language, not the requester's, and
    hands it to the task queue (retried if the mail server hiccups; the page does not wait).
    Nothing is written to the database for a reset, so it need not wait for a commit."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from alliance.core.tasks import send_email_task

        with translation.override(getattr(context.get("user"), "language", None)):
            subject = "".join(render_to_string(subject_template_name, context).splitlines())
            body = render_to_string(email_template_name, context)
        send_email_task(to_email, subject, body)
