"""The form-view helper: validate, call the service, map its errors, flash, report the outcome."""

from __future__ import annotations

from django import forms
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from alliance.core.forms import ErrorMixin, Outcome, submit, submit_flashing


class NameForm(ErrorMixin, forms.Form):
    name = forms.CharField(max_length=20)
    note = forms.CharField(required=False)


def _request():
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)
    return request


def _flashed(request) -> list[tuple[int, str]]:
    return [(m.level, str(m)) for m in get_messages(request)]


def _raise(exc):
    def action(data):
        raise exc

    return action


def test_valid_form_calls_the_action_with_cleaned_data_and_returns_its_result():
    request = _request()
    seen = []

    def action(data):
        seen.append(data)
        return f"made {data['name']}"

    outcome = submit(request, NameForm({"name": "  Ana "}), action)

    assert outcome == Outcome(ok=True, result="made Ana")
    assert seen == [{"name": "Ana", "note": ""}]
    assert _flashed(request) == []


def test_invalid_form_does_not_call_the_action():
    request = _request()
    calls = []
    form = NameForm({"name": ""})

    outcome = submit(request, form, calls.append, success="Saved.")

    assert outcome.ok is False
    assert calls == []
    assert "name" in form.errors
    assert _flashed(request) == []


def test_unbound_form_is_not_ok_and_shows_no_errors():
    request = _request()
    calls = []
    form = NameForm()

    outcome = submit(request, form, calls.append, success="Saved.")

    assert outcome == Outcome(ok=False)
    assert calls == []
    assert form.errors == {}
    assert _flashed(request) == []


def test_service_error_on_a_known_field_lands_on_that_field():
    request = _request()
    form = NameForm({"name": "Ana"})

    outcome = submit(request, form, _raise(ValidationError({"name": "Taken."})), success="Saved.")

    assert outcome == Outcome(ok=False)
    assert form.errors == {"name": ["Taken."]}
    assert _flashed(request) == []


def test_service_error_on_an_unknown_field_becomes_a_non_field_error():
    form = NameForm({"name": "Ana"})

    submit(_request(), form, _raise(ValidationError({"budget": "Over the limit."})))

    assert form.non_field_errors() == ["Over the limit."]
    assert "budget" not in form.errors


def test_service_error_without_a_field_becomes_a_non_field_error():
    form = NameForm({"name": "Ana"})

    outcome = submit(_request(), form, _raise(ValidationError(["Closed.", "Try later."])))

    assert outcome.ok is False
    assert form.non_field_errors() == ["Closed.", "Try later."]


def test_fixed_success_message_is_flashed():
    request = _request()

    submit(request, NameForm({"name": "Ana"}), lambda data: 1, success="Saved.")

    assert _flashed(request) == [(constants.SUCCESS, "Saved.")]


def test_callable_success_message_is_built_from_the_result():
    request = _request()

    outcome = submit(
        request,
        NameForm({"name": "Ana"}),
        lambda data: {"id": 7, "name": data["name"]},
        success=lambda made: f"{made['name']} is number {made['id']}.",
    )

    assert outcome.result == {"id": 7, "name": "Ana"}
    assert _flashed(request) == [(constants.SUCCESS, "Ana is number 7.")]


def test_service_returning_none_counts_as_success():
    request = _request()

    outcome = submit(request, NameForm({"name": "Ana"}), lambda data: None, success="Done.")

    assert outcome.ok is True
    assert outcome.result is None
    assert _flashed(request) == [(constants.SUCCESS, "Done.")]


def test_helper_works_on_a_form_without_the_mixin():
    class PlainForm(forms.Form):
        name = forms.CharField()

    form = PlainForm({"name": "Ana"})

    submit(_request(), form, _raise(ValidationError({"name": "Taken."})))

    assert form.errors == {"name": ["Taken."]}


def test_flashing_variant_reports_an_invalid_form_as_one_error_message():
    request = _request()
    calls = []

    outcome = submit_flashing(
        request, NameForm({"name": ""}), calls.append, success="Done.", invalid="Give a name."
    )

    assert outcome.ok is False
    assert calls == []
    assert _flashed(request) == [(constants.ERROR, "Give a name.")]


def test_flashing_variant_without_invalid_text_flashes_each_form_error():
    request = _request()

    outcome = submit_flashing(
        request, NameForm({"name": "x" * 21, "note": ""}), lambda data: None, success="Done."
    )

    assert outcome.ok is False
    assert _flashed(request) == [
        (constants.ERROR, "Ensure this value has at most 20 characters (it has 21).")
    ]


def test_flashing_variant_reports_each_service_message():
    request = _request()

    outcome = submit_flashing(
        request,
        NameForm({"name": "Ana"}),
        _raise(ValidationError({"amount": "Too much.", "name": "Taken."})),
        success="Done.",
        invalid="Give a name.",
    )

    assert outcome.ok is False
    assert sorted(_flashed(request)) == [
        (constants.ERROR, "Taken."),
        (constants.ERROR, "Too much."),
    ]


def test_flashing_variant_flashes_success_and_returns_none_result_as_ok():
    request = _request()

    outcome = submit_flashing(
        request,
        NameForm({"name": "Ana"}),
        lambda data: None,
        success=lambda result: "Done.",
        invalid="Give a name.",
    )

    assert outcome == Outcome(ok=True, result=None)
    assert _flashed(request) == [(constants.SUCCESS, "Done.")]
