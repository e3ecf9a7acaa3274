"""build_table: whitelisted sorting, safe fallbacks, clamped pages, column state."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django_scopes import scopes_disabled

from alliance.core.tables import build_table
from alliance.members.models import Program
from tests.factories import AllianceFactory, ProgramFactory

pytestmark = pytest.mark.django_db

COLUMNS = [("Name", "name"), ("Town", "town"), ("Notes", None)]
ORDERINGS = {"name": ("name",), "town": ("town", "name")}


@pytest.fixture
def programs():
    with scopes_disabled():
        alliance = AllianceFactory()
        for i, town in enumerate(["Union", "Elizabeth", "Linden", "Union", "Rahway"]):
            ProgramFactory(alliance=alliance, name=f"P{i}", town=town)
        yield Program.objects.filter(alliance=alliance)


def table_for(query: str, programs, **kwargs):
    request = RequestFactory().get("/x/" + query)
    options = {"columns": COLUMNS, "orderings": ORDERINGS, "default_sort": "name", "per_page": 2}
    options.update(kwargs)
    with scopes_disabled():
        table = build_table(request, programs, **options)
        return table, [p.name for p in table.rows]


def test_it_sorts_by_the_default(programs):
    table, names = table_for("", programs)
    assert names == ["P0", "P1"]
    assert table.sort == "name"


def test_it_sorts_descending_and_marks_the_column(programs):
    table, names = table_for("?sort=-name", programs)
    assert names == ["P4", "P3"]
    name_col, town_col, notes_col = table.columns
    assert (name_col.sorted, name_col.next) == ("descending", "name")
    assert (town_col.sorted, town_col.next) == ("", "town")
    assert (notes_col.key, notes_col.next) == (None, "")


def test_ascending_column_offers_descending_next(programs):
    table, _ = table_for("?sort=town", programs)
    assert (table.columns[1].sorted, table.columns[1].next) == ("ascending", "-town")


def test_a_multi_field_ordering_breaks_ties(programs):
    _, names = table_for("?sort=town", programs, per_page=10)
    assert names == ["P1", "P2", "P4", "P0", "P3"]


def test_descending_ties_are_broken_newest_first(programs):
    _, names = table_for("?sort=-town", programs, per_page=10)
    assert names == ["P3", "P0", "P4", "P2", "P1"]


@pytest.mark.parametrize("sort", ["password", "-password", "--name", "", "-", "name;drop"])
def test_unknown_sort_keys_fall_back_to_the_default(programs, sort):
    table, names = table_for(f"?sort={sort}", programs)
    assert table.sort == "name"
    assert names == ["P0", "P1"]


@pytest.mark.parametrize(("page", "number"), [("1", 1), ("3", 3), ("99", 3), ("x", 1), ("-1", 3)])
def test_pages_out_of_range_show_the_last_page(programs, page, number):
    table, _ = table_for(f"?page={page}", programs)
    assert table.page.number == number


def test_a_default_outside_the_orderings_is_a_programming_error(programs):
    with pytest.raises(ValueError):
        table_for("", programs, default_sort="age")


def test_an_empty_queryset_gives_an_empty_first_page(programs):
    table, names = table_for("?page=4", programs.none())
    assert names == [] and table.page.number == 1
