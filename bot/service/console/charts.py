"""Server-side SVG charts for the printable pages (no script, no CDN): grouped horizontal bars
(this period against the last, per category or town) and a two-line daily trend.

The two series differ by more than hue (solid against hatched bars, a solid against a dashed line)
and every bar carries its number, so the charts print in black and white and read without colour vision.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

_DEFS = (
    '<defs><pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#555" stroke-width="2"/></pattern></defs>'
)


def _legend(chart_id: str, names: Sequence[str], x: float, y: float, line: bool = False) -> str:
    parts = []
    for i, name in enumerate(names):
        lx = x + i * 150
        if line:
            dash = ' stroke-dasharray="6 4"' if i else ""
            parts.append(
                f'<line x1="{lx}" y1="{y - 4}" x2="{lx + 24}" y2="{y - 4}" stroke="{"#1f4e79" if not i else "#777"}" '
                f'stroke-width="2.5"{dash}/>'
            )
        else:
            fill = "#1f4e79" if not i else f"url(#{chart_id}-hatch)"
            parts.append(f'<rect x="{lx}" y="{y - 11}" width="14" height="12" fill="{fill}" stroke="#333"/>')
        parts.append(f'<text x="{lx + 30}" y="{y}" font-size="12">{escape(name)}</text>')
    return "".join(parts)


def grouped_bars(
    chart_id: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], width: int = 860
) -> Markup:
    """One row per label with a bar per series (the first solid, the second hatched), numbers at the ends."""
    label_w, row_h, bar_h, top = 130, 12 + 14 * len(series), 12, 28
    height = top + row_h * max(len(labels), 1) + 8
    biggest = max((v for _, values in series for v in values), default=0) or 1
    scale = (width - label_w - 50) / biggest
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif">',
        _DEFS.format(id=chart_id),
        _legend(chart_id, [name for name, _ in series], label_w, 16),
    ]
    for row, label in enumerate(labels):
        y = top + row * row_h
        out.append(
            f'<text x="{label_w - 8}" y="{y + 14}" font-size="12" text-anchor="end">{escape(label)}</text>'
        )
        for i, (_name, values) in enumerate(series):
            value = values[row] if row < len(values) else 0
            by = y + 4 + i * 14
            fill = "#1f4e79" if not i else f"url(#{chart_id}-hatch)"
            w = max(value * scale, 1 if value else 0)
            out.append(
                f'<rect x="{label_w}" y="{by}" width="{w:.1f}" height="{bar_h}" fill="{fill}" stroke="#333" stroke-width="0.5"/>'
            )
            out.append(f'<text x="{label_w + w + 4:.1f}" y="{by + 10}" font-size="11">{value}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def trend_lines(
    chart_id: str, series: Sequence[tuple[str, Sequence[int]]], width: int = 860, height: int = 220
) -> Markup:
    """Daily counts of each series as a line (the first solid, the second dashed) over day 1…n."""
    left, right, top, bottom = 36, 30, 28, 26
    days = max((len(values) for _, values in series), default=1)
    biggest = max((v for _, values in series for v in values), default=0) or 1
    x_step = (width - left - right) / max(days - 1, 1)
    y_scale = (height - top - bottom) / biggest
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif">',
        _legend(chart_id, [name for name, _ in series], left, 16, line=True),
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#333"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="11" text-anchor="end">{biggest}</text>',
        f'<text x="{left - 6}" y="{height - bottom}" font-size="11" text-anchor="end">0</text>',
    ]
    for day in range(0, days, max(days // 10, 1)):
        x = left + day * x_step
        out.append(
            f'<text x="{x:.1f}" y="{height - 8}" font-size="11" text-anchor="middle">第{day + 1}天</text>'
        )
    for i, (_name, values) in enumerate(series):
        points = " ".join(
            f"{left + d * x_step:.1f},{height - bottom - v * y_scale:.1f}" for d, v in enumerate(values)
        )
        dash = ' stroke-dasharray="6 4"' if i else ""
        colour = "#1f4e79" if not i else "#777"
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>')
    out.append("</svg>")
    return Markup("".join(out))
