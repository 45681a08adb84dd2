"""A small bar chart of posts per month, drawn as inline SVG at build time."""

from __future__ import annotations

import calendar
from collections import Counter

from markupsafe import Markup, escape

MAX_MONTHS = 60  # the chart shows at most the last five years
BAR, GAP, HEIGHT = 8, 2, 40


def month_name(year: int, month: int) -> str:
    return f"{calendar.month_name[month]} {year}"


def monthly_chart(months: Counter, name: str) -> Markup:
    """A figure: an SVG with one bar per month from the first to the latest month
    with posts, its text alternative naming the period, the total and the peak."""
    first, last = min(months), max(months)
    span = [(y, m) for y in range(first[0], last[0] + 1) for m in range(1, 13)]
    span = [ym for ym in span if first <= ym <= last][-MAX_MONTHS:]
    peak = max(span, key=lambda ym: (months[ym], ym))
    period = f"{month_name(*span[0])} to {month_name(*span[-1])}"
    label = (
        f"Reports about {name} per month, {period}: {sum(months[ym] for ym in span)} in all,"
        f" most in {month_name(*peak)} ({months[peak]})."
    )
    width = len(span) * (BAR + GAP)
    bars = []
    for i, ym in enumerate(span):
        height = round(HEIGHT * months[ym] / months[peak], 2)
        bars.append(
            f'<rect x="{i * (BAR + GAP)}" y="{HEIGHT - height}" width="{BAR}" height="{height}">'
            f"<title>{month_name(*ym)}: {months[ym]}</title></rect>"
        )
    return Markup(
        f'<figure class="coverage"><svg class="chart" viewBox="0 -1 {width} {HEIGHT + 2}" '
        f'preserveAspectRatio="none" style="max-width:{len(span) * 2}rem" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
        f'<line x1="0" y1="{HEIGHT + 0.5}" x2="{width}" y2="{HEIGHT + 0.5}"/>{"".join(bars)}</svg>'
        f'<figcaption aria-hidden="true">Reports per month, {period}</figcaption></figure>'
    )
