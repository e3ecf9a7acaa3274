"""The hub dashboard (figures, licenses lapsing soon), the member list and its CSV export,
and the program dashboard."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.members.models import Membership, MembershipStatus, Program
from tests.factories import ApplicationFactory, ClassroomFactory, ProgramFactory

pytestmark = pytest.mark.django_db

HUB = "/a/union-county/hub/"
MEMBERS = "/a/union-county/hub/members/"
CSV = "/a/union-county/hub/members.csv"


def set_license(program: Program, days: int | None) -> None:
    expires = None if days is None else timezone.localdate() + timedelta(days=days)
    with scopes_disabled():
        Program.objects.filter(pk=program.pk).update(license_expires_on=expires)


def bulk_members(world, n: int, start: int = 0) -> None:
    with scopes_disabled():
        for i in range(n):
            ProgramFactory(
                alliance=world.alliance,
                name=f"Member {start + i:03d}",
                town=f"Town {i % 4}",
                license_expires_on=timezone.localdate() + timedelta(days=10 + i),
            )


# --- dashboard --------------------------------------------------------------------------


def test_the_dashboard_lists_licenses_lapsing_within_90_days(world, as_user):
    set_license(world.program1, 20)
    set_license(world.program2, -3)
    set_license(world.home, 120)
    response = as_user(world.hub).get(HUB)
    assert response.status_code == 200
    expiring = response.context["expiring"]
    assert [(p.name, p.days_left) for p in expiring] == [("Sunshine", -3), ("Little Learners", 20)]
    html = response.content.decode()
    assert "lapsed" in html
    assert f"/a/union-county/hub/members/{world.program1.pk}/membership/" in html


def test_suspended_members_and_other_alliances_are_not_listed(world, as_user):
    set_license(world.program1, 5)
    set_license(world.other_program, 5)
    with scopes_disabled():
        Membership.objects.filter(program=world.program1).update(status=MembershipStatus.SUSPENDED)
    assert as_user(world.hub).get(HUB).context["expiring"] == []


def test_the_dashboard_has_an_empty_state_for_licenses(world, as_user):
    response = as_user(world.hub).get(HUB)
    assert response.context["expiring"] == []
    assert b"No license lapses in the next 90 days" in response.content


def test_the_dashboard_counts_members_and_pending_applications(world, as_user):
    with scopes_disabled():
        ApplicationFactory.create_batch(2, alliance=world.alliance)
        ApplicationFactory(alliance=world.other_alliance)
    summary = as_user(world.hub).get(HUB).context["summary"]
    assert summary.members == 3
    assert (summary.centers, summary.family_homes) == (2, 1)
    assert summary.pending_applications == 2
    assert summary.licensed_capacity == 60 + 60 + 5


def test_the_dashboard_draws_an_accessible_chart(world, as_user):
    html = as_user(world.hub).get(HUB).content.decode()
    assert '<svg class="chart" role="img"' in html
    assert "Show as a table" in html


def test_the_dashboard_takes_the_same_queries_for_5_or_40_members(world, as_user, query_growth):
    bulk_members(world, 2)
    query_growth(as_user(world.hub), HUB, lambda: bulk_members(world, 35, 2), max_queries=14)


def test_the_program_dashboard_takes_the_same_queries_for_5_or_40_rooms(
    world, as_user, query_growth
):
    with scopes_disabled():
        ClassroomFactory.create_batch(4, program=world.program1)

    def grow():
        with scopes_disabled():
            ClassroomFactory.create_batch(35, program=world.program1)

    query_growth(as_user(world.director1), "/p/little-learners/", grow, max_queries=14)


def test_the_program_dashboard_warns_of_a_lapsing_license(world, as_user):
    set_license(world.program1, 10)
    html = as_user(world.director1).get("/p/little-learners/").content.decode()
    assert "in 10 days" in html


# --- member list ------------------------------------------------------------------------


def test_the_member_list_shows_this_alliances_members(world, as_user):
    response = as_user(world.hub).get(MEMBERS)
    names = [p.name for p in response.context["table"].rows]
    assert names == ["García Family Child Care", "Little Learners", "Sunshine"]


def test_the_member_search_matches_name_town_or_license(world, as_user):
    hub = as_user(world.hub)
    with scopes_disabled():
        license_number = Program.objects.get(pk=world.program2.pk).license_number

    def names(q: str) -> list[str]:
        return [p.name for p in hub.get(MEMBERS, {"q": q}).context["table"].rows]

    assert names("little") == ["Little Learners"]
    assert names("plainfield") == ["Sunshine"]
    assert names(license_number) == ["Sunshine"]


def test_the_member_search_answers_htmx_with_the_table_only(world, as_user):
    response = as_user(world.hub).get(MEMBERS, {"q": "sun"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'role="search"' not in html
    assert "Sunshine" in html and "Little Learners" not in html


def test_an_empty_search_and_an_empty_alliance_say_different_things(world, as_user):
    hub = as_user(world.hub)
    assert b"No members match" in hub.get(MEMBERS, {"q": "zzz"}).content
    with scopes_disabled():
        Membership.objects.filter(program__alliance=world.alliance).delete()
        Program.objects.filter(alliance=world.alliance).update(alliance=world.other_alliance)
    assert b"No member programs yet" in hub.get(MEMBERS).content


def test_the_member_list_sorts_pages_and_falls_back(world, as_user):
    bulk_members(world, 30)
    hub = as_user(world.hub)
    by_license = hub.get(MEMBERS + "?sort=license").context["table"]
    assert by_license.rows[0].name == "Member 000"
    assert hub.get(MEMBERS + "?sort=password").context["table"].sort == "name"
    last = hub.get(MEMBERS + "?page=77").context["table"]
    assert last.page.number == 2 and len(last.rows) == 8


def test_the_member_list_takes_the_same_queries_for_5_or_40(world, as_user, query_growth):
    bulk_members(world, 2)
    query_growth(as_user(world.hub), MEMBERS, lambda: bulk_members(world, 35, 2), max_queries=10)


# --- CSV export -------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    text = response.content.decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_lists_every_member_with_license_and_fee(world, as_user):
    response = as_user(world.hub).get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = read_csv(response)
    assert [r["Program"] for r in rows] == [
        "García Family Child Care",
        "Little Learners",
        "Sunshine",
    ]
    sunshine = rows[2]
    assert sunshine["Town"] == "Plainfield"
    assert sunshine["Annual fee"] == "450.00"
    assert sunshine["Membership status"] == "Active"
    assert int(sunshine["Days left"]) > 300


def test_the_csv_follows_the_search(world, as_user):
    rows = read_csv(as_user(world.hub).get(CSV, {"q": "sun"}))
    assert [r["Program"] for r in rows] == ["Sunshine"]


def test_the_csv_cannot_smuggle_a_spreadsheet_formula(world, as_user):
    with scopes_disabled():
        Program.objects.filter(pk=world.program2.pk).update(name='=HYPERLINK("http://x")')
    rows = read_csv(as_user(world.hub).get(CSV))
    assert '\'=HYPERLINK("http://x")' in [r["Program"] for r in rows]


def test_the_csv_is_for_the_hub_only(world, as_user, client):
    assert as_user(world.director1).get(CSV).status_code == 403
    assert as_user(world.other_hub).get(CSV).status_code == 403
    assert client.get(CSV).status_code == 302


def test_the_csv_takes_the_same_queries_for_5_or_40_members(world, as_user, query_growth):
    bulk_members(world, 2)
    query_growth(as_user(world.hub), CSV, lambda: bulk_members(world, 35, 2), max_queries=8)
