"""The member directory: public fields for everyone, members-only fields for members of
this alliance only; filters, htmx partials, sorting, paging, bounded queries."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from alliance.members.models import Membership, MembershipStatus, Program, ProgramKind
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

LIST = "/a/union-county/directory/"
ENTRY = "/a/union-county/directory/little-learners/"
SECRET = {
    "email": "director@little-learners.example.org",
    "address": "77 Hidden Lane",
    "license_number": "CC-SECRET-1",
    "tax_id": "12-3456789",
}


@pytest.fixture
def program1(world):
    with scopes_disabled():
        program = Program.objects.get(pk=world.program1.pk)
        for field, value in SECRET.items():
            setattr(program, field, value)
        program.licensed_capacity = 987
        program.staffed_capacity = 876
        program.description = "Play-based learning."
        program.save()
    return program


def members_only_shown(html: str) -> list[str]:
    shown = [value for value in SECRET.values() if value in html]
    # Capacity as a cell value (">987<"), so a random CSRF token cannot match.
    shown += [n for n in (">987<", ">876<") if n in html]
    return shown


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "other_hub"])
def test_non_members_never_see_members_only_fields(world, program1, persona):
    from tests.conftest import client_for

    client = client_for(world.personas()[persona])
    for url in (LIST, ENTRY, LIST + "?q=little", LIST + "?sort=-name"):
        response = client.get(url)
        assert response.status_code == 200
        assert members_only_shown(response.content.decode()) == [], (persona, url)
    assert b"Play-based learning." in client.get(ENTRY).content


@pytest.mark.parametrize("persona", ["family", "staff", "director2", "hub"])
def test_members_of_this_alliance_see_contact_and_capacity(world, program1, as_user, persona):
    html = as_user(world.personas()[persona]).get(ENTRY).content.decode()
    assert SECRET["email"] in html and SECRET["address"] in html
    assert SECRET["license_number"] in html and ">987<" in html
    assert SECRET["tax_id"] not in html  # never shown, not even to members


def test_the_list_only_carries_public_columns(world, program1, client):
    rows = client.get(LIST).context["table"].rows
    program = next(p for p in rows if p.slug == "little-learners")
    assert "email" in program.get_deferred_fields()
    assert "license_number" in program.get_deferred_fields()


def test_unlisted_and_former_members_are_hidden(world, client):
    with scopes_disabled():
        Program.objects.filter(pk=world.program2.pk).update(listed_in_directory=False)
        Membership.objects.filter(program=world.home).update(status=MembershipStatus.ENDED)
    names = [p.name for p in client.get(LIST).context["table"].rows]
    assert names == ["Little Learners"]
    assert client.get("/a/union-county/directory/sunshine/").status_code == 404
    assert client.get("/a/union-county/directory/garcia-fcc/").status_code == 404


def test_another_alliances_program_is_not_in_this_directory(world, client):
    assert b"Newark Kids" not in client.get(LIST).content
    assert client.get("/a/union-county/directory/newark-kids/").status_code == 404


def test_filters_by_town_type_search_and_ccap(world, client):
    with scopes_disabled():
        Program.objects.filter(pk=world.home.pk).update(accepts_ccap=True)

    def names(query: str) -> list[str]:
        return sorted(p.name for p in client.get(LIST + query).context["table"].rows)

    assert names("?town=Plainfield") == ["Sunshine"]
    assert names("?kind=family_home") == ["García Family Child Care"]
    assert names("?q=sun") == ["Sunshine"]
    assert names("?ccap=on") == ["García Family Child Care"]
    # A town that is not offered is ignored rather than an error.
    assert len(names("?town=Atlantis")) == 3


def test_htmx_gets_only_the_results_partial(world, client):
    full = client.get(LIST + "?q=sun")
    partial = client.get(LIST + "?q=sun", headers={"HX-Request": "true"})
    assert b"<html" in full.content and b'role="search"' in full.content
    assert b"<html" not in partial.content and b'role="search"' not in partial.content
    assert b"Sunshine" in partial.content and b"Little Learners" not in partial.content


def test_an_htmx_history_restore_gets_the_whole_page(world, client):
    response = client.get(
        LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert b"<html" in response.content


def test_an_empty_directory_says_so(world, client):
    with scopes_disabled():
        Program.objects.filter(alliance=world.alliance).update(listed_in_directory=False)
    response = client.get(LIST)
    assert response.status_code == 200
    assert b"No programs match" in response.content


def test_sorting_and_paging(world, client):
    with scopes_disabled():
        for i in range(30):
            ProgramFactory(alliance=world.alliance, name=f"Zeta {i:02d}", town="Rahway")
    table = client.get(LIST + "?sort=-name").context["table"]
    assert table.rows[0].name == "Zeta 29"
    assert client.get(LIST + "?sort=bogus").context["table"].sort == "name"
    last = client.get(LIST + "?page=999").context["table"]
    assert last.page.number == 2 and len(last.rows) == 8


def test_the_directory_takes_the_same_queries_for_5_or_40_programs(world, client, query_growth):
    def add(n, start):
        with scopes_disabled():
            for i in range(n):
                ProgramFactory(
                    alliance=world.alliance,
                    name=f"Bulk {start + i}",
                    kind=ProgramKind.CENTER,
                    town=f"Town {i % 7}",
                )

    add(2, 0)  # with the world's three: five programs
    query_growth(client, LIST, lambda: add(35, 2), max_queries=8)


def test_the_entry_takes_a_fixed_number_of_queries(world, as_user, django_assert_max_num_queries):
    client = as_user(world.family)
    client.get(ENTRY)
    with django_assert_max_num_queries(8):
        assert client.get(ENTRY).status_code == 200
