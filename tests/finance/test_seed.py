"""The demo data: Little Learners has a cost-of-care model, two scenarios and targets, and
director1 opens the dashboard on a red or amber enrollment figure."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from alliance.finance.models import CostModel, Scenario, Targets
from alliance.seed.generate import seed
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_demo_finance(django_user_model):
    seed("small", log=lambda message: None)
    with scopes_disabled():
        model = CostModel.objects.select_related("program").get()
        assert model.program.slug == "little-learners"
        assert len(model.inputs["rooms"]) >= 1
        assert Scenario.objects.filter(program=model.program).count() == 2
        assert Targets.objects.filter(program__isnull=True).exists()
        director = django_user_model.objects.get(email="director1@example.org")
    html = client_for(director).get("/p/little-learners/finance/").content.decode()
    status = html.split('data-figure="enrollment" data-status="', 1)[1].split('"', 1)[0]
    assert status in ("red", "amber")
    scenarios = client_for(director).get("/p/little-learners/finance/scenarios/")
    assert scenarios.status_code == 200
    assert "Raise wages 8%" in scenarios.content.decode()
