"""Every API path, asked as every persona with a token: 401 without one, 404 for programs
that are not the caller's (same as missing), 403 for a missing role."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver

from alliance.api.root import api
from tests.permissions import Case, check_matrix, everyone

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


def test_api_matrix(world):
    p1 = f"{V1}/programs/little-learners"
    room = f"{p1}/classrooms/{world.classroom1.pk}"
    hub = f"{V1}/alliances/union-county/memberships"
    signed_in = everyone(200, anonymous=401)
    view = everyone(404, anonymous=401, staff=200, director1=200, hub=200)
    manage = everyone(404, anonymous=401, staff=403, director1=200, hub=200)
    only_hub = everyone(403, anonymous=401, hub=200)
    taken_name = {
        "name": "Toddlers",
        "age_min_months": 24,
        "age_max_months": 35,
        "licensed_capacity": 10,
    }
    cases = [
        Case("GET", f"{V1}/me", signed_in),
        Case("GET", f"{V1}/auth/tokens", signed_in),
        # Nobody can revoke a token that is not theirs (this one is the hub's own, unknown id
        # to the others); revoking one's own is in tests/api/test_auth_token.py.
        Case("DELETE", f"{V1}/auth/tokens/999999", everyone(404, anonymous=401)),
        Case("GET", f"{V1}/programs", signed_in),
        Case("GET", p1, view),
        Case("PATCH", p1, manage, data={}),
        Case("GET", f"{p1}/classrooms", view),
        # Permission is decided before the input is checked: 403/404 before 422.
        Case(
            "POST",
            f"{p1}/classrooms",
            everyone(404, anonymous=401, staff=403, director1=422, hub=422),
            data=taken_name,
        ),
        Case("GET", room, view),
        Case("PATCH", room, manage, data={}),
        Case("GET", f"{p1}/membership", view),
        Case("GET", hub, only_hub),
        Case("PATCH", f"{hub}/little-learners", only_hub, data={}),
        # Another alliance's program through this alliance: missing, even for this hub.
        Case("PATCH", f"{hub}/newark-kids", everyone(403, anonymous=401, hub=404), data={}),
        # The other alliance's hub sees its own programs and memberships, not ours.
        Case("GET", f"{V1}/programs/newark-kids", everyone(404, anonymous=401, other_hub=200)),
        Case(
            "GET",
            f"{V1}/alliances/essex-county/memberships",
            everyone(403, anonymous=401, other_hub=200),
        ),
        Case("GET", f"{V1}/alliances/no-such/memberships", everyone(404, anonymous=401)),
        Case("GET", f"{V1}/programs/no-such", everyone(404, anonymous=401)),
        Case("GET", f"{V1}/openapi.json", everyone(200)),
        Case("GET", f"{V1}/docs", everyone(200)),
        Case("GET", f"{V1}/", everyone(404)),
    ]
    check_matrix(cases, world.personas(), api=True)


# The paths this file's matrix covers. Each module's API matrix test (any test module under
# tests/ that defines COVERED_API_PATHS) declares its own; together they must cover every route.
COVERED_API_PATHS = {
    "",  # ninja's root: 404, it only tells ninja where the API is mounted
    "openapi.json",
    "docs",
    "auth/token",  # POST anonymous by design, DELETE signs out; tests/api/test_auth_token.py
    "auth/tokens",
    "auth/tokens/<token_id>",
    "me",
    "programs",
    "programs/<slug>",
    "programs/<slug>/classrooms",
    "programs/<slug>/classrooms/<classroom_id>",
    "programs/<slug>/membership",
    "alliances/<alliance>/memberships",
    "alliances/<alliance>/memberships/<slug>",
}


def _all_covered_paths() -> set[str]:
    import importlib
    import pkgutil

    import tests

    covered: set[str] = set()
    for info in pkgutil.walk_packages(tests.__path__, "tests."):
        if info.name.rsplit(".", 1)[-1].startswith("test_") and "permission" in info.name:
            module = importlib.import_module(info.name)
            covered |= set(getattr(module, "COVERED_API_PATHS", ()))
    return covered


def test_the_matrix_covers_every_api_path():
    # A new endpoint must be added to a permission matrix: compare against the API's routes.
    routes = {str(p.pattern) for p in api.urls[0]}
    assert routes - _all_covered_paths() == set(), "API paths without a permission matrix"


def test_no_api_path_looks_like_a_tenant_page():
    # TenantMiddleware opens a session-authenticated tenant for any URL with these kwargs;
    # API paths must not carry them, or tokens would be bypassed by a sign-in redirect.
    def kwargs_of(patterns) -> set[str]:
        names: set[str] = set()
        for p in patterns:
            if isinstance(p, URLResolver):
                names |= kwargs_of(p.url_patterns)
            elif isinstance(p, URLPattern):
                names |= set(p.pattern.converters)
        return names

    names = kwargs_of(api.urls[0])
    assert not names & {"program_slug", "alliance_slug"}
    assert {"slug", "classroom_id", "alliance"} <= names
    assert not names & {"program_slug", "alliance_slug"}
