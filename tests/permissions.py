"""The permission-matrix helper every module reuses.

A matrix is a list of (method, url, {persona: expected status}). ``check_matrix`` asks each
URL as each persona and reports every mismatch at once, so one run shows the whole table.
Expected statuses: 200 (or 302 for a form's success), 302 to sign-in for anonymous on
private pages (write it as "login"), 403 for a known user without the role, 404 for another
program's (or alliance's) users — the answer for "not yours" equals "missing".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tests.conftest import client_for

LOGIN = "login"


@dataclass(frozen=True)
class Case:
    method: str
    url: str
    expect: dict[str, int | str]
    data: dict | None = None


def status_of(response) -> int | str:
    if response.status_code == 302 and "/accounts/login/" in response.get("Location", ""):
        return LOGIN
    return response.status_code


def check_matrix(cases: Iterable[Case], personas: dict, *, api: bool = False) -> None:
    failures = []
    tokens: dict[str, str] = {}
    for case in cases:
        for persona, expected in case.expect.items():
            user = personas[persona]
            if api:
                from django.test import Client

                from alliance.accounts.services import issue_api_token

                client = Client()
                headers = {}
                if user is not None:
                    if persona not in tokens:
                        tokens[persona] = issue_api_token(user=user, name="test")
                    headers["HTTP_AUTHORIZATION"] = f"Bearer {tokens[persona]}"
                call = getattr(client, case.method.lower())
                kwargs = {"content_type": "application/json"} if case.data is not None else {}
                response = (
                    call(case.url, case.data, **kwargs, **headers)
                    if case.data is not None
                    else call(case.url, **headers)
                )
            else:
                client = client_for(user)
                call = getattr(client, case.method.lower())
                response = call(case.url, case.data or {})
            got = status_of(response)
            if got != expected:
                failures.append(
                    f"{case.method} {case.url} as {persona}: expected {expected}, got {got}"
                )
    assert not failures, "Permission matrix mismatches:\n" + "\n".join(failures)


def everyone(default: int | str, **overrides: int | str) -> dict[str, int | str]:
    """Every persona expecting ``default`` except the overrides."""
    names = [
        "anonymous",
        "outsider",
        "family",
        "sub",
        "committee",
        "staff",
        "director1",
        "director2",
        "hub",
        "other_hub",
    ]
    return {name: overrides.get(name, default) for name in names}
