"""A line chart for trends (``alliance.core.charts`` has bars only): SVG, accessible (title,
description; pages show the same figures in a table), gaps where a value is unknown."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)
LINE = "#2b5c8a"
TARGET = "#a3323c"


def line_chart(
    points: Sequence[tuple[str, Decimal | None]],
    *,
    title: str,
    description: str = "",
    target: Decimal | None = None,
    unit: str = "%",
    width: int = 560,
    height: int = 200,
) -> SafeString:
    """Values over time; ``None`` values are gaps (unknown, never drawn as zero). The y axis
    runs from 0 to the largest of the values and the target."""
    left, right, top, bottom = 44, 12, 14, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [float(v) for _, v in points if v is not None]
    high = max([*known, float(target or 0), 1.0]) * 1.1
    uid = f"line-{next(_ids)}"
    labelled = f"{uid}-t" + (f" {uid}-d" if description else "")
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{labelled}">',
        f'<title id="{uid}-t">{escape(title)}</title>',
    ]
    if description:
        parts.append(f'<desc id="{uid}-d">{escape(description)}</desc>')
    step = plot_w / max(1, len(points) - 1)

    def xy(i: int, value: float) -> tuple[float, float]:
        return left + i * step, top + plot_h - value / high * plot_h

    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        'stroke="#767676" stroke-width="1"/>'
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" class="chart__label">0</text>'
        f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" class="chart__label">'
        f"{high:.0f}{escape(unit)}</text>"
    )
    if target is not None:
        _, ty = xy(0, float(target))
        parts.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" '
            f'stroke="{TARGET}" stroke-dasharray="6 4" stroke-width="1.5"/>'
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, (label, value) in enumerate(points):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        x, y = xy(i, float(value))
        segment.append(f"{x:.1f},{y:.1f}")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{LINE}">'
            f"<title>{escape(label)}: {escape(str(value))}{escape(unit)}</title></circle>"
        )
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            parts.append(
                f'<polyline points="{" ".join(seg)}" fill="none" stroke="{LINE}" stroke-width="2"/>'
            )
    every = max(1, len(points) // 6)
    for i, (label, _value) in enumerate(points):
        if (len(points) - 1 - i) % every == 0:  # counted from the latest, which is always shown
            x, _ = xy(i, 0)
            parts.append(
                f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" class="chart__label">'
                f"{escape(label)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped
