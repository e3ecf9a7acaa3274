"""The Iron Triangle dashboard and its API: figures from the records, unknown never zero."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django_scopes import scopes_disabled

from alliance.finance import services
from tests.factories import ClassroomFactory
from tests.finance.conftest import account, enroll, invoice, payment, staff, write_off

pytestmark = pytest.mark.django_db

API = "/api/v1/programs/little-learners/finance"


def _api(as_user, user, path: str):
    from django.test import Client

    from alliance.accounts.services import issue_api_token

    token = issue_api_token(user=user, name="t")
    return Client().get(f"{API}/{path}", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_no_data_is_unknown_not_zero(world, as_user):
    # program1 has a classroom but no enrollment, no billing, no staff, no model
    with scopes_disabled():
        world.classroom1.delete()
    body = _api(as_user, world.director1, "iron-triangle").json()
    by_key = {f["key"]: f for f in body["figures"]}
    for key in ("enrollment", "collection", "bad_debt", "dso"):
        assert by_key[key]["value"] is None
        assert by_key[key]["status"] == "unknown"
    assert body["cost"]["rows"] == []
    assert all(m["billed"] is None and m["rate"] is None for m in body["collection_months"])
    page = as_user(world.director1).get("/p/little-learners/finance/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "no data yet" in html
    assert "0.0%" not in html


def test_enrollment_counts_part_time_as_half_and_is_red_below_85(world, as_user):
    # 12 staffed seats: 8 full + 4 part = 10 FTE = 83.3% → red against 95%
    enroll(world.program1, world.classroom1, 8)
    enroll(world.program1, world.classroom1, 4, schedule="part")
    body = _api(as_user, world.director1, "iron-triangle").json()
    enrollment = next(f for f in body["figures"] if f["key"] == "enrollment")
    assert D(enrollment["value"]) == D("83.3")
    assert enrollment["status"] == "red"
    assert "83.3%" in enrollment["explanation"]
    room = body["classrooms"][0]
    assert (D(room["fte"]), room["capacity"], room["status"]) == (D(10), 12, "red")
    assert body["age_groups"][0]["age_group"] == "toddler"  # classroom takes 24-35 months
    assert len(body["weekly"]) == 12 and len(body["monthly"]) == 12
    assert D(body["weekly"][-1]["value"]) == D("83.3")


def test_amber_with_own_target(world, as_user):
    enroll(world.program1, world.classroom1, 11)  # 91.7%
    with scopes_disabled():
        services.save_targets(
            acting_user=world.director1,
            alliance=world.alliance,
            program=world.program1,
            values={"enrollment": "90", "collection": "97", "bad_debt": "3", "dso": "30"},
        )
    body = _api(as_user, world.director1, "iron-triangle").json()
    enrollment = next(f for f in body["figures"] if f["key"] == "enrollment")
    assert enrollment["status"] == "green"
    assert D(body["targets"]["enrollment"]) == D(90)


def test_collection_bad_debt_and_dso_from_the_ledger(world, as_user):
    acct = account(world.program1)
    invoice(world.program1, acct, "2000.00")
    invoice(world.program1, acct, "1000.00")
    payment(world.program1, acct, "2700.00")
    write_off(world.program1, acct, "150.00")
    body = _api(as_user, world.director1, "iron-triangle").json()
    by_key = {f["key"]: f for f in body["figures"]}
    assert D(by_key["collection"]["value"]) == D("90.0")  # 2,700 / 3,000
    assert by_key["collection"]["status"] == "amber"  # within 7 points of 97
    assert D(by_key["bad_debt"]["value"]) == D("5.0")  # 150 / 3,000
    assert by_key["bad_debt"]["status"] == "amber"  # over 3, under 6
    # open: 3,000 − 2,700 − 150 = 150; 150 / 3,000 × 90 days = 4.5
    assert D(by_key["dso"]["value"]) == D("4.5")
    assert by_key["dso"]["status"] == "green"


def test_cost_side_from_records_without_a_model(world, as_user):
    enroll(world.program1, world.classroom1, 10)
    staff(world.program1, wage="20.00", hours="40")
    body = _api(as_user, world.director1, "iron-triangle").json()
    assert body["cost"]["source"] == "records"
    row = body["cost"]["rows"][0]
    # 20 × 40 × 52 / 12 = 3,466.67 a month for 10 FTE
    assert row["cost_per_child"] == "346.67"
    assert row["revenue_per_child"] is None  # not billed yet: unknown, not 0
    assert row["status"] == "unknown"


def test_cost_side_from_the_model(world, as_user, model):
    body = _api(as_user, world.director1, "iron-triangle").json()
    assert body["cost"]["source"] == "model"
    groups = [r["age_group"] for r in body["cost"]["rows"]]
    assert groups == ["infant", "preschool"]


def test_dashboard_page_shows_red_and_the_way_out(world, as_user):
    enroll(world.program1, world.classroom1, 6)
    html = as_user(world.director1).get("/p/little-learners/finance/").content.decode()
    assert 'data-figure="enrollment" data-status="red"' in html
    assert "Off target" in html
    assert "What to do:" in html


def test_dashboard_queries_are_bounded(world, as_user, django_assert_max_num_queries):
    enroll(world.program1, world.classroom1, 6)
    acct = account(world.program1)
    invoice(world.program1, acct, "100.00")
    client = as_user(world.director1)
    with django_assert_max_num_queries(45):
        assert client.get("/p/little-learners/finance/").status_code == 200
    for i in range(5):
        ClassroomFactory(program=world.program1, name=f"Extra {i}")
        enroll(world.program1, world.classroom1, 1)
    with django_assert_max_num_queries(45):
        assert client.get("/p/little-learners/finance/").status_code == 200
