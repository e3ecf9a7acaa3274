"""The hub's value report and default targets."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from alliance.finance import queries

pytestmark = pytest.mark.django_db


def test_value_report_page_csv_and_pdf(world, as_user):
    client = as_user(world.hub)
    html = client.get("/a/union-county/hub/finance/value/").content.decode()
    assert "Little Learners" in html and "no data yet" in html
    response = client.get("/a/union-county/hub/finance/value.csv")
    assert response["Content-Type"] == "text/csv"
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Member,Membership fee")
    row = next(line for line in lines if line.startswith("Little Learners"))
    cells = row.split(",")
    assert cells[1] != ""  # the factory gives every member a membership fee
    assert cells[2] == "" and cells[6] == ""  # no purchasing, no substitute hours: unknown
    assert world.other_program.name not in response.content.decode()
    pdf = client.get("/a/union-county/hub/finance/value.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_value_report_queries_are_bounded(world, as_user, django_assert_max_num_queries):
    client = as_user(world.hub)
    with django_assert_max_num_queries(20):
        assert client.get("/a/union-county/hub/finance/value/").status_code == 200


def test_hub_sets_alliance_defaults_and_programs_follow(world, as_user):
    response = as_user(world.hub).post(
        "/a/union-county/hub/finance/targets/",
        {"enrollment": "90", "collection": "95", "bad_debt": "2", "dso": "25"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert queries.targets_for(world.program1).enrollment == 90
        assert queries.targets_for(world.other_program).enrollment == 95  # another county


def test_bad_target_is_refused(world, as_user):
    response = as_user(world.director1).post(
        "/p/little-learners/finance/targets/",
        {"enrollment": "0", "collection": "97", "bad_debt": "3", "dso": "30"},
    )
    assert response.status_code == 422
    assert "Enter a value from 1 to 100" in response.content.decode()
