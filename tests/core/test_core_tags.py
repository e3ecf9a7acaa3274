"""Template helpers: query strings for sort/page links, and money."""

from __future__ import annotations

from decimal import Decimal

from django.template import Context, Template
from django.test import RequestFactory


def render(template: str, query: str, **context) -> str:
    request = RequestFactory().get("/x/" + query)
    source = "{% load core_tags %}" + template
    return Template(source).render(Context({"request": request, **context}))


def test_query_with_replaces_and_removes_keys():
    out = render("{% query_with sort='-name' page=None %}", "?sort=name&page=3&q=sun")
    assert out == "q=sun&amp;sort=-name"


def test_query_with_keeps_repeated_keys():
    out = render("{% query_with page=2 %}", "?town=Union&town=Linden")
    assert out == "page=2&amp;town=Union&amp;town=Linden"


def test_query_with_escapes_what_the_visitor_typed():
    out = render("{% query_with page=2 %}", '?q="><script>')
    assert "<script>" not in out


def test_money_filter():
    assert render("{{ fee|money }}", "", fee=Decimal("1234.5")) == "$1,234.50"
    assert render("{{ fee|money }}", "", fee=None) == ""
