"""The one shape every form view shares: bind → validate → call the service → put the service's
errors on the form → flash → let the view redirect or re-render.

Views stay plain functions; they write the service call as a callable and decide themselves what
to render or where to redirect, from the `Outcome`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

T = TypeVar("T")

#: A flash message: a fixed string, or one built from what the service returned.
Success = str | Callable[[Any], str] | None


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError onto the form's fields; a field the form does not have
    (or an error without a field) becomes a non-field error."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ErrorMixin:
    """Lets a form take a service's ValidationError: `form.add_service_errors(exc)`."""

    def add_service_errors(self, exc: ValidationError) -> None:
        add_service_errors(self, exc)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """What `submit` did. `ok` says the form was valid and the service raised no
    ValidationError; `result` is what the service returned. A service may return None,
    so test `ok`, never `result`."""

    ok: bool
    result: T | None = None


def _flash_success(request: HttpRequest, success: Success, result: Any) -> None:
    if success is None:
        return
    messages.success(request, success(result) if callable(success) else success)


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], T],
    *,
    success: Success = None,
) -> Outcome[T]:
    """Validate `form`, call `action(form.cleaned_data)` and flash `success` when it went through.

    An unbound form (the page's GET) is never valid: nothing is called and the outcome is not
    ok, so a view need not test the method first.

    A ValidationError from the action lands on the form (see `add_service_errors`) and the
    outcome is not ok: the view re-renders the bound form, usually with status 422."""
    if not form.is_valid():
        return Outcome(ok=False)
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return Outcome(ok=False)
    _flash_success(request, success, result)
    return Outcome(ok=True, result=result)


def submit_flashing(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], T],
    *,
    success: Success = None,
    invalid: str | None = None,
) -> Outcome[T]:
    """Like `submit`, for forms posted from a page the view redirects back to whatever happens:
    an invalid form flashes `invalid` (or, without it, each of the form's error messages), a
    service's ValidationError flashes each of its messages."""
    if not form.is_valid():
        if invalid is not None:
            messages.error(request, invalid)
        else:
            for errors in form.errors.values():
                for text in errors:
                    messages.error(request, text)
        return Outcome(ok=False)
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return Outcome(ok=False)
    _flash_success(request, success, result)
    return Outcome(ok=True, result=result)
