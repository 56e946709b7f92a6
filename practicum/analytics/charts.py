"""Charts as SVG files drawn on the server with pygal: readable without JavaScript, shown with
<img> (so the page's Content-Security-Policy needs no inline style or script), each beside a
table with the same figures for screen readers and for copying."""

from dataclasses import dataclass

import pygal
from pygal.style import Style

# The design system's palette (practicum.css): primary, then the state colours.
_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2937",
    foreground_strong="#111827",
    foreground_subtle="#6b7280",
    colors=("#1d4ed8", "#047857", "#b45309", "#7c3aed", "#be123c"),
    font_family="Inter, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    title_font_size=16,
    label_font_size=12,
    major_label_font_size=12,
    value_font_size=12,
)
_COMMON = {
    "style": _STYLE,
    "js": [],  # no script from a CDN; the chart is a picture
    "width": 720,
    "height": 320,
    "show_legend": False,
    "print_values": True,
    "margin": 16,
    "no_data_text": "Nothing to show yet",
}


@dataclass(frozen=True)
class Series:
    """A chart's figures: a label and a value (None: nothing to measure) per point."""

    title: str
    labels: list[str]
    values: list[float | None]
    unit: str = ""

    @property
    def rows(self) -> list[tuple[str, float | None]]:
        return list(zip(self.labels, self.values, strict=True))


def bar(series: Series) -> bytes:
    chart = pygal.Bar(title=series.title, **_COMMON)
    chart.x_labels = series.labels
    chart.add(series.title, series.values)
    return chart.render()


def line(series: Series) -> bytes:
    chart = pygal.Line(title=series.title, show_dots=True, dots_size=4, **_COMMON)
    chart.x_labels = series.labels
    chart.add(series.title, series.values)
    return chart.render()


def funnel(series: Series) -> bytes:
    chart = pygal.HorizontalBar(title=series.title, **_COMMON)
    # HorizontalBar draws the first label at the bottom: reversed, the funnel reads downwards.
    chart.x_labels = list(reversed(series.labels))
    chart.add(series.title, list(reversed(series.values)))
    return chart.render()
