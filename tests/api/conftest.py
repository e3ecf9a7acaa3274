"""API test helpers: a client that sends a bearer token for a persona."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from alliance.accounts.models import User
from alliance.accounts.services import issue_api_token

API = "/api/v1"


class ApiClient:
    """Calls /api/v1 paths as one user (anonymous for None), JSON in and out."""

    def __init__(self, user: User | None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {issue_api_token(user=user)}"

    def get(self, path: str, params: dict[str, Any] | None = None):
        return self.client.get(API + path, params or {}, **self.headers)

    def post(self, path: str, data: Any):
        return self.client.post(API + path, data, content_type="application/json", **self.headers)

    def patch(self, path: str, data: Any):
        return self.client.patch(API + path, data, content_type="application/json", **self.headers)


@pytest.fixture
def api_as():
    return ApiClient
