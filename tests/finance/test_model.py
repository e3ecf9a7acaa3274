"""The cost-of-care model and its what-if scenarios: saved only when every input is
possible, imported from the program's records, compared side by side."""

from __future__ import annotations

import copy
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.finance import services
from alliance.finance.models import CostModel, Scenario
from tests.finance.conftest import MODEL, enroll, staff

pytestmark = pytest.mark.django_db


def _save(world, inputs):
    with scopes_disabled():
        return services.save_cost_model(
            acting_user=world.director1, program=world.program1, inputs=inputs
        )


def test_impossible_inputs_name_their_field_and_save_nothing(world):
    bad = copy.deepcopy(MODEL)
    bad["positions"][0]["hourly_wage"] = "-5"
    bad["rooms"][1]["capacity"] = "0"
    bad["costs"]["rent"] = "-1"
    with pytest.raises(ValidationError) as exc:
        _save(world, bad)
    errors = exc.value.message_dict
    assert "negative" in errors["positions-0-hourly_wage"][0]
    assert "at least 1" in errors["rooms-1-capacity"][0]
    assert "cost_rent" in errors
    with scopes_disabled():
        assert not CostModel.objects.exists()
        assert not AuditEntry.objects.filter(action="finance.cost_model_saved").exists()


def test_the_page_shows_field_errors_with_422(world, as_user):
    data = {
        "rooms-TOTAL_FORMS": "1",
        "rooms-INITIAL_FORMS": "0",
        "rooms-0-name": "Infants",
        "rooms-0-age_group": "infant",
        "rooms-0-capacity": "8",
        "rooms-0-enrolled_fte": "8",
        "positions-TOTAL_FORMS": "1",
        "positions-INITIAL_FORMS": "0",
        "positions-0-title": "Teacher",
        "positions-0-count": "2",
        "positions-0-hourly_wage": "-18",
        "positions-0-hours_per_week": "40",
    }
    response = as_user(world.director1).post("/p/little-learners/finance/model/", data)
    assert response.status_code == 422
    assert "The hourly wage cannot be negative" in response.content.decode()
    with scopes_disabled():
        assert not CostModel.objects.exists()


def test_the_page_saves_and_shows_results(world, as_user):
    data = {
        "rooms-TOTAL_FORMS": "2",
        "rooms-INITIAL_FORMS": "0",
        "rooms-0-name": "Infants",
        "rooms-0-age_group": "infant",
        "rooms-0-capacity": "8",
        "rooms-0-enrolled_fte": "8",
        "positions-TOTAL_FORMS": "2",
        "positions-INITIAL_FORMS": "0",
        "positions-0-title": "Teacher",
        "positions-0-room": "Infants",
        "positions-0-count": "2",
        "positions-0-hourly_wage": "18",
        "positions-0-hours_per_week": "40",
        "tuition_infant": "400",
        "cost_rent": "20000",
        "payroll_tax_percent": "10",
    }
    client = as_user(world.director1)
    response = client.post("/p/little-learners/finance/model/", data)
    assert response.status_code == 302
    html = client.get("/p/little-learners/finance/model/").content.decode()
    # cost: 2 × 18 × 40 × 52 × 1.1 = 82,368 + rent 20,000 = 102,368; revenue 8 × 400 × 52
    assert "$102,368.00" in html
    assert "$166,400.00" in html


def test_import_from_records(world, as_user):
    enroll(world.program1, world.classroom1, 10)
    staff(world.program1, wage="19.50", hours="40")
    response = as_user(world.director1).post("/p/little-learners/finance/model/import/")
    assert response.status_code == 302
    with scopes_disabled():
        inputs = CostModel.objects.get(program=world.program1).inputs
    assert inputs["rooms"] == [
        {
            "name": "Toddlers",
            "age_group": "toddler",
            "capacity": 12,
            "enrolled_fte": "10.0",
            "ccap_percent": "0",
        }
    ]
    assert inputs["positions"][0]["hourly_wage"] == "19.50"


def test_scenarios_side_by_side(world, as_user, model):
    client = as_user(world.director1)
    response = client.post(
        "/p/little-learners/finance/scenarios/",
        {"name": "Raise wages 10%", "wage_raise_percent": "10"},
    )
    assert response.status_code == 302
    response = client.post(
        "/p/little-learners/finance/scenarios/", {"name": "Infants", "room_1": "infant"}
    )
    assert response.status_code == 302
    html = client.get("/p/little-learners/finance/scenarios/").content.decode()
    assert "Raise wages 10%" in html and "Current model" in html
    with scopes_disabled():
        assert Scenario.objects.get(name="Infants").age_group_changes == {"Preschool": "infant"}
        assert AuditEntry.objects.filter(action="finance.scenario_saved").count() == 2


def test_scenario_errors(world, model):
    with scopes_disabled():
        services.save_scenario(acting_user=world.director1, program=world.program1, name="A")
        with pytest.raises(ValidationError) as exc:
            services.save_scenario(
                acting_user=world.director1,
                program=world.program1,
                name="A",
                wage_raise_percent="500",
                age_group_changes={"Nowhere": "infant"},
            )
    errors = exc.value.message_dict
    assert set(errors) == {"name", "wage_raise_percent", "age_group_changes"}


def test_join_purchasing_needs_measured_savings(world, model):
    with scopes_disabled(), pytest.raises(ValidationError) as exc:
        services.save_scenario(
            acting_user=world.director1, program=world.program1, name="Shop", join_purchasing=True
        )
    assert "join_purchasing" in exc.value.message_dict


def test_scenario_api_crud(world, model):
    from django.test import Client

    from alliance.accounts.services import issue_api_token

    client = Client(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user=world.director1, name='t')}")
    url = "/api/v1/programs/little-learners/finance/scenarios"
    created = client.post(
        url, {"name": "Raise 5", "wage_raise_percent": "5"}, content_type="application/json"
    )
    assert created.status_code == 201
    body = created.json()
    assert D(body["result"]["cost"]) > D("309528.00")
    bad = client.post(url, {"name": "Raise 5"}, content_type="application/json")
    assert bad.status_code == 422 and "name" in bad.json()["fields"]
    listed = client.get(url).json()
    assert listed["model"]["cost"] == "309528.00"
    assert [s["name"] for s in listed["items"]] == ["Raise 5"]
    changed = client.put(
        f"{url}/{body['id']}",
        {"name": "Raise 5", "wage_raise_percent": "6"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and D(changed.json()["wage_raise_percent"]) == D(6)
    assert client.delete(f"{url}/{body['id']}").status_code == 204
    assert client.get(f"{url}/{body['id']}").status_code == 404
