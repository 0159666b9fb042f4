"""The report's charts as PNG bytes, drawn with matplotlib's non-GUI Agg canvas.

Each chart is one :class:`~matplotlib.figure.Figure` (no pyplot state, safe in threads),
800x450 px with large type so it stays readable in Slack's preview, labelled, in the
Okabe-Ito palette (distinguishable with the common colour-vision deficiencies) and the
``cividis`` colour map for the heatmap.

Example::

    charts = report_charts(figures)   # [Chart(name="volume", title=..., png=b"\\x89PNG...")]
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from datetime import date

import matplotlib
import numpy as np

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.image import imsave  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from bot.domain.report_figures import LANES, ReportFigures  # noqa: E402
from bot.domain.report_hours import DAY_NAMES  # noqa: E402

# Okabe-Ito: blue, orange, bluish green, vermillion, sky blue, reddish purple, yellow, grey.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442",
           "#999999")
LANE_COLOURS = {"cases": PALETTE[0], "praise": PALETTE[2], "filtered": PALETTE[7]}
CRISIS_SHADE = "#D55E00"
SIZE_INCHES = (8.0, 4.5)
DPI = 100
FONT_SIZE = 12


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    png: bytes


# Each chart's axes sit at fixed places (figure fractions: left, bottom, width, height),
# chosen so the longest labels fit at this size: a layout engine measuring every label
# on every report took a third of the drawing time.
ONE_PANEL = (0.10, 0.10, 0.87, 0.80)
TWO_PANELS = ((0.10, 0.17, 0.37, 0.73), (0.62, 0.17, 0.36, 0.73))
THREE_PANELS_SHARED = ((0.17, 0.13, 0.24, 0.78), (0.45, 0.13, 0.24, 0.78),
                       (0.73, 0.13, 0.24, 0.78))
THREE_PANELS = ((0.16, 0.13, 0.16, 0.78), (0.48, 0.13, 0.16, 0.78), (0.81, 0.13, 0.16, 0.78))
HEATMAP = (0.08, 0.12, 0.80, 0.68)
COLOUR_BAR = (0.90, 0.12, 0.025, 0.68)


def _figure() -> Figure:
    return Figure(figsize=SIZE_INCHES, dpi=DPI)


def rendered(figure: Figure) -> FigureCanvasAgg:
    """The figure drawn into Agg's pixel buffer."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return canvas


def png_bytes(canvas: FigureCanvasAgg) -> bytes:
    """A drawn figure's pixels as PNG."""
    out = io.BytesIO()
    imsave(out, np.asarray(canvas.buffer_rgba()), format="png")
    return out.getvalue()


def _style(ax, *, title: str, xlabel: str = "", ylabel: str = "") -> None:
    ax.set_title(title, fontsize=FONT_SIZE + 1, loc="left")
    ax.set_xlabel(xlabel, fontsize=FONT_SIZE)
    ax.set_ylabel(ylabel, fontsize=FONT_SIZE)
    ax.tick_params(labelsize=FONT_SIZE - 2)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _day_labels(days: list[date], *, narrow: bool = False) -> list[str]:
    if len(days) <= 7:
        return [d.strftime("%a\n%d" if narrow else "%a %d") for d in days]
    return [d.strftime("%d") if i % 2 == 0 else "" for i, d in enumerate(days)]


def crisis_day_ranges(figures: ReportFigures) -> list[tuple[int, int]]:
    """The (first, last) day indexes of the period that each crisis span touches, in the
    desk's time zone; spans outside the period are left out."""
    tz = figures.period.start.tzinfo
    ranges = []
    for start, end in figures.crisis_spans:
        first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
        hit = [i for i, d in enumerate(figures.days) if first <= d <= last]
        if hit:
            ranges.append((hit[0], hit[-1]))
    return ranges


def volume_figure(figures: ReportFigures) -> Figure:
    figure = _figure()
    ax = figure.add_axes(ONE_PANEL)
    days = figures.days
    xs = list(range(len(days)))
    bottom = [0] * len(days)
    for lane in LANES:
        counts = figures.volume[lane]
        ax.bar(xs, counts, bottom=bottom, color=LANE_COLOURS[lane], label=lane, width=0.8)
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    for n, (first, last) in enumerate(crisis_day_ranges(figures)):
        ax.axvspan(first - 0.5, last + 0.5, color=CRISIS_SHADE, alpha=0.15,
                   label=None if n else "crisis", hatch="//", linewidth=0)
    ax.set_xticks(xs, _day_labels(days))
    ax.set_xlim(-0.6, len(days) - 0.4)
    _style(ax, title=f"Posts per day by lane, {figures.period.label}", ylabel="posts")
    ax.legend(fontsize=FONT_SIZE - 2, frameon=False, ncols=4, loc="upper left")
    ax.set_ylim(0, max(bottom + [1]) * 1.25)
    return figure


def first_response_figure(figures: ReportFigures) -> Figure:
    figure = _figure()
    left, right = (figure.add_axes(place) for place in TWO_PANELS)
    minutes = figures.first_responses
    target = figures.target_minutes
    if minutes:
        # Counted by numpy once; 20 bars drawn (hist would re-read every value).
        values = np.asarray(minutes, dtype=float)
        counts, edges = np.histogram(values, bins=20, range=(0, max(values.max(), target) * 1.05))
        left.bar(edges[:-1], counts, width=np.diff(edges), align="edge", color=PALETTE[0],
                 edgecolor="white")
    left.axvline(target, color=PALETTE[3], linestyle="--", linewidth=2,
                 label=f"target {target:.0f} min")
    left.legend(fontsize=FONT_SIZE - 2, frameon=False)
    _style(left, title="First response", xlabel="office-hour minutes", ylabel="cases")
    xs = list(range(len(figures.days)))
    shares = [s if s is not None else 0.0 for s in figures.within_per_day]
    colours = [PALETTE[2] if s is not None and s >= 80 else PALETTE[1]
               for s in figures.within_per_day]
    right.bar(xs, shares, color=colours, width=0.8)
    right.set_ylim(0, 105)
    right.set_xticks(xs, _day_labels(figures.days, narrow=True))
    _style(right, title="Within target per day", ylabel="% of first responses")
    return figure


def arrivals_figure(figures: ReportFigures) -> Figure:
    figure = _figure()
    ax = figure.add_axes(HEATMAP)
    grid = [figures.hour_of_week[day * 24:(day + 1) * 24] for day in range(7)]
    image = ax.imshow(grid, aspect="auto", cmap="cividis", interpolation="nearest")
    colourbar = figure.colorbar(image, cax=figure.add_axes(COLOUR_BAR))
    colourbar.set_label("posts", fontsize=FONT_SIZE - 1)
    colourbar.ax.tick_params(labelsize=FONT_SIZE - 2)
    for day, window in enumerate(figures.covering.windows):
        if window is not None:
            ax.add_patch(Rectangle((window[0] - 0.5, day - 0.5), window[1] - window[0], 1,
                                   fill=False, edgecolor=PALETTE[6], linewidth=2.5))
    ax.set_yticks(range(7), [name.title() for name in DAY_NAMES])
    ax.set_xticks(range(0, 24, 3), [f"{h:02d}" for h in range(0, 24, 3)])
    share = round(figures.covering.share * 100)
    needs = textwrap.fill(f"covering {share}% of posts needs {figures.covering.describe()}",
                          width=72)
    _style(ax, title=f"Arrivals by hour of the week\n{needs}", xlabel="hour (desk time)")
    return figure


def agents_figure(figures: ReportFigures, names: dict[str, str] | None = None) -> Figure:
    names = names or {}
    agents = figures.agents[:12]
    figure = _figure()
    left = figure.add_axes(THREE_PANELS_SHARED[0])
    middle, right = (figure.add_axes(place, sharey=left) for place in THREE_PANELS_SHARED[1:])
    labels = [names.get(a.agent, a.agent)[:16] for a in agents]
    ys = list(range(len(agents)))
    left.barh(ys, [a.cases for a in agents], color=PALETTE[0])
    middle.barh(ys, [a.median_first_response or 0 for a in agents], color=PALETTE[1])
    middle.axvline(figures.target_minutes, color=PALETTE[3], linestyle="--", linewidth=1.5)
    right.barh(ys, [a.csat or 0 for a in agents], color=PALETTE[2])
    right.set_xlim(0, 5)
    left.set_yticks(ys, labels)
    for ax in (middle, right):
        ax.tick_params(labelleft=False)
    left.invert_yaxis()
    _style(left, title="Cases", xlabel="handled")
    _style(middle, title="Median 1st resp.", xlabel="office-hour min")
    _style(right, title="CSAT", xlabel="mean of 1-5")
    for y, agent in enumerate(agents):
        if agent.csat is None:
            right.text(0.1, y, "n/a", va="center", fontsize=FONT_SIZE - 2, color="#555555")
    return figure


def mix_figure(figures: ReportFigures) -> Figure:
    figure = _figure()
    kinds_ax, mood_ax, topics_ax = (figure.add_axes(place) for place in THREE_PANELS)
    for ax, counts, colour, title in (
            (kinds_ax, list(figures.kinds.items())[:8], PALETTE[0], "Kinds"),
            (mood_ax, list(figures.sentiment.items()), PALETTE[5], "Sentiment"),
            (topics_ax, figures.topics, PALETTE[4], "Top topics")):
        ys = list(range(len(counts)))
        ax.barh(ys, [n for _, n in counts], color=colour)
        ax.set_yticks(ys, [str(label)[:18] for label, _ in counts])
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MaxNLocator(3))
        _style(ax, title=title, xlabel="cases")
    return figure


CHART_TITLES = {"volume": "Posts per day by lane",
                "first_response": "First response against the target",
                "arrivals": "Arrivals by hour of the week", "agents": "Per agent",
                "mix": "Kinds, sentiment and topics"}


def chart_figures(figures: ReportFigures,
                  names: dict[str, str] | None = None) -> dict[str, Figure]:
    """Each chart's figure, by chart name, not yet drawn."""
    return {"volume": volume_figure(figures), "first_response": first_response_figure(figures),
            "arrivals": arrivals_figure(figures), "agents": agents_figure(figures, names),
            "mix": mix_figure(figures)}


def report_charts(figures: ReportFigures, names: dict[str, str] | None = None) -> list[Chart]:
    return [Chart(name, CHART_TITLES[name], png_bytes(rendered(figure)))
            for name, figure in chart_figures(figures, names).items()]
