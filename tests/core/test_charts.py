"""bar_chart: accessible, escaped, scaled, and safe with odd data."""

from __future__ import annotations

import re
from decimal import Decimal

from alliance.core import charts
from alliance.core.charts import Bar, bar_chart


def widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]


def test_it_is_an_image_with_a_title():
    svg = bar_chart([Bar("Union", 3)], title="Members by town")
    assert svg.startswith('<svg class="chart" role="img"')
    match = re.search(r'aria-labelledby="([^"]+)"', svg)
    assert match is not None
    assert f'<title id="{match.group(1)}">Members by town</title>' in svg


def test_a_description_is_linked_too():
    svg = bar_chart([Bar("A", 1)], title="T", description="More words")
    ids = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    assert len(ids) == 2
    assert f'<desc id="{ids[1]}">More words</desc>' in svg


def test_two_charts_on_a_page_have_different_ids():
    first = bar_chart([Bar("A", 1)], title="One")
    second = bar_chart([Bar("A", 1)], title="Two")
    id_of = lambda svg: re.search(r'<title id="([^"]+)"', svg).group(1)  # noqa: E731
    assert id_of(first) != id_of(second)


def test_bars_are_scaled_to_the_largest():
    svg = bar_chart([Bar("A", 10), Bar("B", 5), Bar("C", 0)], title="T", width=560)
    plot = 560 - 170 - charts.VALUE_ROOM
    assert widths(svg) == [plot, plot / 2, 0.0]


def test_negative_and_non_finite_values_draw_no_bar():
    svg = bar_chart(
        [Bar("A", -5), Bar("B", float("nan")), Bar("C", float("inf")), Bar("D", 2)], title="T"
    )
    assert widths(svg)[:3] == [0.0, 0.0, 0.0]
    assert widths(svg)[3] > 0


def test_all_negative_values_do_not_draw_full_bars():
    assert widths(bar_chart([Bar("A", -5), Bar("B", -1)], title="T")) == [0.0, 0.0]


def test_decimal_values_and_display_text():
    svg = bar_chart([Bar("Fees", Decimal("12.50"), display="$12.50")], title="T")
    assert "$12.50" in svg


def test_labels_and_titles_are_escaped():
    svg = bar_chart([Bar("<script>alert(1)</script>", 1)], title='"><b>')
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg


def test_no_bars_is_still_a_valid_chart():
    svg = bar_chart([], title="Nothing")
    assert svg.endswith("</svg>") and "<rect" not in svg


def test_the_unit_follows_the_value():
    assert "75%" in bar_chart([Bar("Rate", 75)], title="T", unit="%")
