"""The OpenAPI schema and the Swagger page, served without any CDN."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_openapi_schema_lists_every_endpoint():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Alliance API"
    assert {
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/programs",
        "/api/v1/programs/{slug}",
        "/api/v1/programs/{slug}/classrooms",
        "/api/v1/programs/{slug}/classrooms/{classroom_id}",
        "/api/v1/programs/{slug}/membership",
        "/api/v1/alliances/{alliance}/memberships",
        "/api/v1/alliances/{alliance}/memberships/{slug}",
    } <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/programs/{slug}"]) == {"get", "patch"}
    # Money is documented as a string, not a number.
    fee = schema["components"]["schemas"]["TierOut"]["properties"]["annual_fee"]
    assert fee["type"] == "string"
    # Bearer auth is declared; the token endpoint needs none.
    assert "BearerToken" in schema["components"]["securitySchemes"]
    assert "security" not in schema["paths"]["/api/v1/auth/token"]["post"]


def test_docs_page_uses_only_local_static_files():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls)
    assert any(u.endswith("swagger-ui.css") for u in urls)
    for url in urls:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a shipped static file"
    assert "cdn" not in html.lower()
    # Swagger UI would fetch a validator badge from validator.swagger.io unless told not to.
    assert '"validatorUrl": null' in html
    assert not re.search(r"https?://", html), "the docs page must not load anything remote"
