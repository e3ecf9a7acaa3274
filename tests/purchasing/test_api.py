"""The purchasing API: placing an order, its errors, reading it back, savings."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from alliance.accounts.services import issue_api_token
from alliance.purchasing.models import OrderLine
from alliance.purchasing.services_close import close_cycle

pytestmark = pytest.mark.django_db
URL = "/api/v1/programs/little-learners/orders"


def call(client, user, method, url, data=None):
    token = issue_api_token(user=user, name="t")
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if data is not None:
        return getattr(client, method)(url, data, content_type="application/json", **kwargs)
    return getattr(client, method)(url, **kwargs)


def test_order_through_the_api_then_read_price_and_savings(world, shop, client):
    gloves = shop.ci(shop.gloves).pk
    body = {"cycle_id": shop.cycle.pk, "lines": [{"cycle_item_id": gloves, "quantity": "10"}]}
    response = call(client, world.director1, "post", URL, body)
    assert response.status_code == 201, response.content
    order_id = response.json()["id"]
    assert response.json()["lines"][0]["quantity"] == "10.00"
    with scopes_disabled():
        close_cycle(acting_user=world.hub, cycle=shop.cycle)
    detail = call(client, world.director1, "get", f"{URL}/{order_id}").json()
    assert detail["subtotal"] == "90.00" and detail["savings"] == "30.00"
    assert detail["lines"][0]["unit_price"] == "9.0000"
    savings = call(client, world.director1, "get", "/api/v1/programs/little-learners/savings")
    assert savings.json()["total"]["saved"] == "30.00"
    listing = call(client, world.director1, "get", URL).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == order_id
    pos = call(client, world.hub, "get", "/api/v1/alliances/union-county/purchase-orders").json()
    assert pos["items"][0]["total"] == "120.00"  # 90 + 30 delivery


@pytest.mark.parametrize(
    ("line", "field"),
    [({"quantity": "1.5"}, "qty_"), ({"quantity": "-2"}, "lines"), ({"cycle_item_id": 0}, "items")],
)
def test_bad_order_lines_are_422_naming_the_field(world, shop, client, line, field):
    body = {
        "cycle_id": shop.cycle.pk,
        "lines": [{"cycle_item_id": shop.ci(shop.gloves).pk, "quantity": "1", **line}],
    }
    response = call(client, world.director1, "post", URL, body)
    assert response.status_code == 422
    assert any(field in key for key in response.json()["fields"]), response.json()
    with scopes_disabled():
        assert not OrderLine.objects.exists()


def test_catalog_lists_tiers(world, shop, client):
    data = call(client, world.provider, "get", "/api/v1/alliances/union-county/catalog").json()
    gloves = next(i for i in data["items"] if i["sku"] == "G1")
    assert gloves["tiers"][1] == {"min_quantity": 10, "unit_price": "9.00"}


def test_order_list_queries_do_not_grow(world, shop, client, django_assert_max_num_queries):
    from tests.purchasing.conftest import order

    order(world.director1, world.program1, shop, gloves=1)
    call(client, world.director1, "get", URL)
    with django_assert_max_num_queries(12):
        assert call(client, world.director1, "get", URL).status_code == 200
