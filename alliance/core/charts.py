"""Server-rendered SVG charts: accessible (title, description, a data table alternative)
and dependency-free."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)  # unique element ids per process; only uniqueness matters

VALUE_ROOM = 96  # px kept right of the longest bar for its value label
PALETTE = ("#1d6f42", "#2b5c8a", "#b35900", "#7a3e9d", "#8a6d00", "#a3323c")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float | Decimal
    display: str | None = None  # text shown at the bar's end (defaults to the value)


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str = "",
    width: int = 560,
    bar_height: int = 26,
    label_width: int = 170,
    unit: str = "",
) -> SafeString:
    """Horizontal bar chart. Values are scaled to the largest; zero, negative (drawn as no
    bar) and empty data are fine. Each chart gets its own ids, so a page may hold several."""
    gap = 10
    height = max(1, len(bars)) * (bar_height + gap) + gap
    values = [_finite(b.value) for b in bars]
    top = max([*values, 0.0]) or 1.0
    plot = width - label_width - VALUE_ROOM
    uid = f"chart-{next(_ids)}"
    labelled = f"{uid}-t" + (f" {uid}-d" if description else "")
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby="{labelled}">',
        f'<title id="{uid}-t">{escape(title)}</title>',
    ]
    if description:
        parts.append(f'<desc id="{uid}-d">{escape(description)}</desc>')
    for i, (bar, value) in enumerate(zip(bars, values, strict=True)):
        y = gap + i * (bar_height + gap)
        w = max(0.0, value / top * plot)
        shown = bar.display if bar.display is not None else f"{bar.value}{unit}"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.68:.1f}" text-anchor="end" '
            f'class="chart__label">{escape(bar.label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" rx="3" '
            f'fill="{PALETTE[i % len(PALETTE)]}">'
            f"<title>{escape(bar.label)}: {escape(shown)}</title></rect>"
            f'<text x="{label_width + w + 6:.1f}" y="{y + bar_height * 0.68:.1f}" '
            f'class="chart__value">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped


def _finite(value: int | float | Decimal) -> float:
    number = float(value)
    return number if math.isfinite(number) else 0.0
