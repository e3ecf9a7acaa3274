"""The trend line chart: accessible, unknown values are gaps (never drawn as zero)."""

from __future__ import annotations

from decimal import Decimal as D

from alliance.finance.charts import line_chart


def test_unknown_points_are_gaps_not_zero():
    svg = line_chart(
        [("Jan", D(80)), ("Feb", None), ("Mar", D(90)), ("Apr", D(95))],
        title="Enrollment <by month>",
        description="Dashed: target",
        target=D(95),
    )
    assert 'role="img"' in svg and "aria-labelledby" in svg
    assert "Enrollment &lt;by month&gt;" in svg  # escaped
    assert svg.count("<circle") == 3  # February is unknown: no point
    assert svg.count("<polyline") == 1  # Jan stands alone; Mar–Apr is one segment
    assert "stroke-dasharray" in svg  # the target line
    assert "Feb: " not in svg


def test_every_label_fits_and_the_latest_is_shown():
    points = [(f"W{i}", D(i)) for i in range(12)]
    svg = line_chart(points, title="t")
    assert ">W11</text>" in svg and ">W10</text>" not in svg
