"""The audit trail: who changed what on programs, memberships and roles, and who sees it."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from alliance.accounts.services import grant_role
from alliance.core.audit import changes, log_action
from alliance.core.models import AuditEntry
from alliance.core.policy import RoleKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HUB_AUDIT = "/a/union-county/hub/activity/"
PROGRAM_AUDIT = "/p/little-learners/activity/"


def entry(world, *, program=None, alliance=None, summary="", actor=None) -> AuditEntry:
    with scopes_disabled():
        return log_action(
            actor=actor,
            action="test.thing",
            target=program or world.program1,
            alliance=alliance or world.alliance,
            program=program,
            summary=summary,
        )


def summaries(response) -> list[str]:
    return [e.summary for e in response.context["table"].rows]


def test_the_hub_sees_its_alliances_entries_only(world, as_user):
    entry(world, program=world.program1, summary="p1 change")
    entry(world, summary="alliance change")
    entry(world, program=world.other_program, alliance=world.other_alliance, summary="essex")
    shown = summaries(as_user(world.hub).get(HUB_AUDIT))
    assert "p1 change" in shown and "alliance change" in shown
    assert "essex" not in shown


def test_a_director_sees_only_their_programs_entries(world, as_user):
    entry(world, program=world.program1, summary="p1 change")
    entry(world, program=world.program2, summary="p2 change")
    entry(world, summary="alliance change")
    assert summaries(as_user(world.director1).get(PROGRAM_AUDIT)) == ["p1 change"]


def test_the_audit_pages_have_an_empty_state(world, as_user):
    response = as_user(world.director1).get(PROGRAM_AUDIT)
    assert b"Nothing recorded yet" in response.content


def test_the_audit_is_newest_first_and_pages(world, as_user):
    for i in range(55):
        entry(world, program=world.program1, summary=f"change {i:02d}")
    client = as_user(world.director1)
    first = client.get(PROGRAM_AUDIT)
    assert summaries(first)[0] == "change 54"
    assert summaries(client.get(PROGRAM_AUDIT + "?sort=at"))[0] == "change 00"
    assert client.get(PROGRAM_AUDIT + "?page=9").context["table"].page.number == 2


def test_the_pages_show_who_did_it(world, as_user):
    entry(world, program=world.program1, summary="by the hub", actor=world.hub)
    entry(world, program=world.program1, summary="by the public form")
    html = as_user(world.director1).get(PROGRAM_AUDIT).content.decode()
    assert "Hub" in html and "system or public form" in html


@pytest.mark.parametrize("url", [HUB_AUDIT, PROGRAM_AUDIT])
def test_the_audit_takes_the_same_queries_for_5_or_40_entries(world, as_user, query_growth, url):
    def add(n):
        for i in range(n):
            entry(world, program=world.program1, summary=f"e{i}", actor=world.hub)

    add(5)
    query_growth(as_user(world.hub), url, lambda: add(35), max_queries=12)


def test_entries_are_append_only(world):
    row = entry(world, program=world.program1)
    row.summary = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        row.save()


def test_an_anonymous_actor_is_recorded_as_nobody(world):
    from django.contrib.auth.models import AnonymousUser

    row = entry(world, actor=AnonymousUser())
    assert row.actor is None


def test_data_is_stored_as_json_and_summaries_are_cut(world):
    from datetime import date
    from decimal import Decimal

    with scopes_disabled():
        row = log_action(
            actor=world.hub,
            action="test.json",
            target=world.program1,
            alliance=world.alliance,
            summary="x" * 500,
            data={"fee": [Decimal("1.50"), Decimal("2.00")], "on": date(2030, 1, 2), 3: None},
        )
        row.refresh_from_db()
    assert row.data == {"fee": ["1.50", "2.00"], "on": "2030-01-02", "3": None}
    assert len(row.summary) == 300


def test_changes_reports_and_applies_only_what_differs(world):
    program = world.program1
    diff = changes(program, {"name": "Little Learners", "town": "Roselle"})
    assert diff == {"town": ["Elizabeth", "Roselle"]}
    assert program.town == "Roselle"


def test_granting_a_role_is_audited_with_the_actor(world):
    newcomer = UserFactory(email="new@example.org")
    with scopes_disabled():
        grant_role(
            acting_user=world.director1,
            user=newcomer,
            kind=RoleKind.STAFF,
            alliance=world.alliance,
            program=world.program1,
        )
        row = AuditEntry.objects.get(action="role.granted")
    assert row.actor == world.director1
    assert row.program == world.program1
    assert row.data["user"] == "new@example.org"
