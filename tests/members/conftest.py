"""Helpers shared by the members tests: row counting, query counting, bulk data."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry


def rows(model) -> int:
    """Rows of a (possibly scoped) model, counted outside any scope."""
    with scopes_disabled():
        return model.objects.count()


def audit_actions(**filters) -> list[str]:
    with scopes_disabled():
        return list(AuditEntry.objects.filter(**filters).values_list("action", flat=True))


def queries_for(client, url: str) -> int:
    """How many SQL queries one GET of ``url`` takes (asserting it answers 200)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.fixture
def query_growth(django_assert_max_num_queries):
    """``query_growth(client, url, grow, max_queries)``: the page's query count with a few
    rows equals the count after ``grow()`` adds many more, and stays under ``max_queries``."""

    def check(client, url: str, grow: Callable[[], None], max_queries: int) -> None:
        client.get(url)  # warm caches that are per-process (content types, sessions)
        few = queries_for(client, url)
        grow()
        with django_assert_max_num_queries(max_queries):
            many = queries_for(client, url)
        assert many == few, f"{url}: {few} queries with few rows, {many} with many"

    return check


def application_data(**overrides) -> dict:
    """A valid public membership application as the form posts it."""
    data = {
        "program_name": "Bright Beginnings",
        "kind": "center",
        "contact_name": "Rosa Díaz",
        "email": "rosa@bright.example.org",
        "phone": "908-555-0100",
        "license_number": "CC-90001",
        "license_expires_on": "2030-06-30",
        "licensed_capacity": "48",
        "address": "12 Elm St",
        "town": "Linden",
        "zip_code": "07036",
        "ages_min_months": "6",
        "ages_max_months": "59",
        "languages": ["English", "Spanish"],
        "accepts_ccap": "on",
        "tier": "",
        "message": "",
        "confirm": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
