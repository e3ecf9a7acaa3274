"""Every finance URL and API path, asked as every persona: the program's director and the
hub see a program's finances; its staff get 403; everyone else (director2 included) 404."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from alliance.finance import services
from tests.finance.conftest import MODEL
from tests.permissions import LOGIN, Case, check_matrix, everyone

pytestmark = pytest.mark.django_db

V1 = "/api/v1"

COVERED_API_PATHS = {
    "programs/<slug>/finance/iron-triangle",
    "programs/<slug>/finance/benchmarks",
    "programs/<slug>/finance/scenarios",
    "programs/<slug>/finance/scenarios/<scenario_id>",
    "alliances/<alliance>/finance/members",
}


@pytest.fixture
def scenario(world, model):
    with scopes_disabled():
        return services.save_scenario(
            acting_user=world.director1,
            program=world.program1,
            name="Raise 5%",
            wage_raise_percent=5,
        )


@pytest.fixture
def scenario2(world):
    with scopes_disabled():
        services.save_cost_model(acting_user=world.director2, program=world.program2, inputs=MODEL)
        return services.save_scenario(
            acting_user=world.director2, program=world.program2, name="Theirs", wage_raise_percent=3
        )


def test_program_pages_matrix(world, scenario, scenario2):
    p1 = "/p/little-learners/finance"
    view = everyone(404, anonymous=LOGIN, staff=403, director1=200, hub=200)
    bad = everyone(404, anonymous=LOGIN, staff=403, director1=422, hub=422)
    cases = [
        Case("GET", f"{p1}/", view),
        Case("GET", f"{p1}/benchmarks/", view),
        Case("GET", f"{p1}/targets/", view),
        Case(
            "POST",
            f"{p1}/targets/",
            bad,
            data={"enrollment": "150", "collection": "97", "bad_debt": "3", "dso": "30"},
        ),
        Case("GET", f"{p1}/model/", view),
        Case(
            "POST",
            f"{p1}/model/",
            bad,
            data={
                "rooms-TOTAL_FORMS": "1",
                "rooms-INITIAL_FORMS": "0",
                "rooms-0-name": "A",
                "rooms-0-age_group": "infant",
                "rooms-0-capacity": "0",
                "positions-TOTAL_FORMS": "0",
                "positions-INITIAL_FORMS": "0",
            },
        ),
        # No classroom with seats in program1's records beyond the model? It has one: 302.
        Case(
            "POST",
            f"{p1}/model/import/",
            everyone(404, anonymous=LOGIN, staff=403, director1=302, hub=302),
        ),
        Case("GET", f"{p1}/scenarios/", view),
        Case("POST", f"{p1}/scenarios/", bad, data={"name": ""}),
        # program2's scenario under program1's URL: missing, even for the hub.
        Case(
            "POST",
            f"{p1}/scenarios/{scenario2.pk}/delete/",
            everyone(404, anonymous=LOGIN, staff=403, director1=404, hub=404),
        ),
    ]
    check_matrix(cases, world.personas())


def test_scenario_delete_matrix(world, scenario):
    # Deleting works once; the matrix asks the deleting persona last.
    url = f"/p/little-learners/finance/scenarios/{scenario.pk}/delete/"
    expect = everyone(404, anonymous=LOGIN, staff=403, director1=302)
    expect.pop("hub")
    check_matrix([Case("POST", url, expect)], world.personas())


def test_hub_pages_matrix(world):
    hub = "/a/union-county/hub/finance"
    only_hub = everyone(403, anonymous=LOGIN, hub=200)
    cases = [
        Case("GET", f"{hub}/", only_hub),
        Case("GET", f"{hub}/targets/", only_hub),
        Case(
            "POST",
            f"{hub}/targets/",
            everyone(403, anonymous=LOGIN, hub=422),
            data={"enrollment": "0"},
        ),
        Case("GET", f"{hub}/value/", only_hub),
        Case("GET", f"{hub}/value.csv", only_hub),
        Case("GET", f"{hub}/value.pdf", only_hub),
        Case("GET", f"{hub}/value.xlsx", everyone(403, anonymous=LOGIN, hub=404)),
    ]
    check_matrix(cases, world.personas())


def test_api_matrix(world, scenario, scenario2):
    p1 = f"{V1}/programs/little-learners/finance"
    view = everyone(404, anonymous=401, staff=403, director1=200, hub=200)
    bad = everyone(404, anonymous=401, staff=403, director1=422, hub=422)
    cases = [
        Case("GET", f"{p1}/iron-triangle", view),
        Case("GET", f"{p1}/benchmarks", view),
        Case("GET", f"{p1}/scenarios", view),
        Case("POST", f"{p1}/scenarios", bad, data={"name": "", "wage_raise_percent": "5"}),
        Case("GET", f"{p1}/scenarios/{scenario.pk}", view),
        Case(
            "PUT",
            f"{p1}/scenarios/{scenario.pk}",
            bad,
            data={"name": "Raise 5%", "wage_raise_percent": "-90"},
        ),
        Case(
            "GET",
            f"{p1}/scenarios/{scenario2.pk}",
            everyone(404, anonymous=401, staff=403, director1=404, hub=404),
        ),
        Case(
            "DELETE",
            f"{p1}/scenarios/{scenario2.pk}",
            everyone(404, anonymous=401, staff=403, director1=404, hub=404),
        ),
        Case(
            "GET",
            f"{V1}/alliances/union-county/finance/members",
            everyone(403, anonymous=401, hub=200),
        ),
    ]
    check_matrix(cases, world.personas(), api=True)


def test_api_delete_scenario(world, scenario):
    expect = everyone(404, anonymous=401, staff=403, director1=204)
    expect.pop("hub")
    url = f"{V1}/programs/little-learners/finance/scenarios/{scenario.pk}"
    check_matrix([Case("DELETE", url, expect)], world.personas(), api=True)
