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

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

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


def _figure(nrows: int = 1, ncols: int = 1, **kwargs) -> tuple[Figure, object]:
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    axes = figure.subplots(nrows, ncols, **kwargs)
    return figure, axes


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    FigureCanvasAgg(figure).print_png(out)
    return out.getvalue()


def _style(ax, *, title: str, xlabel: str = "", ylabel: str = "") -> None:
    ax.set_title(title, fontsize=FONT_SIZE + 1, loc="left")
    ax.set_xlabel(xlabel, fontsize=FONT_SIZE)
    ax.set_ylabel(ylabel, fontsize=FONT_SIZE)
    ax.tick_params(labelsize=FONT_SIZE - 2)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _day_labels(days: list[date]) -> list[str]:
    if len(days) <= 7:
        return [d.strftime("%a %d") for d in days]
    return [d.strftime("%d") if i % 2 == 0 else "" for i, d in enumerate(days)]


def volume_chart(figures: ReportFigures) -> Chart:
    figure, ax = _figure()
    days = figures.days
    xs = list(range(len(days)))
    bottom = [0] * len(days)
    for lane in LANES:
        counts = figures.volume[lane]
        ax.bar(xs, counts, bottom=bottom, color=LANE_COLOURS[lane], label=lane, width=0.8)
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    tz = figures.period.start.tzinfo
    shaded = False
    for start, end in figures.crisis_spans:
        first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
        hit = [i for i, d in enumerate(days) if first <= d <= last]
        if hit:
            ax.axvspan(hit[0] - 0.5, hit[-1] + 0.5, color=CRISIS_SHADE, alpha=0.15,
                       label=None if shaded else "crisis", hatch="//", linewidth=0)
            shaded = True
    ax.set_xticks(xs, _day_labels(days))
    _style(ax, title=f"Posts per day by lane, {figures.period.label}", ylabel="posts")
    ax.legend(fontsize=FONT_SIZE - 2, frameon=False, ncols=4, loc="upper left")
    ax.set_ylim(0, max(bottom + [1]) * 1.25)
    return Chart("volume", "Posts per day by lane", _png(figure))


def first_response_chart(figures: ReportFigures) -> Chart:
    figure, (left, right) = _figure(1, 2, width_ratios=(1.1, 1))
    minutes = figures.first_responses
    target = figures.target_minutes
    if minutes:
        top = max(max(minutes), target) * 1.05
        bins = [top * i / 20 for i in range(21)]
        left.hist(minutes, bins=bins, color=PALETTE[0], edgecolor="white")
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
    right.set_xticks(xs, _day_labels(figures.days))
    _style(right, title="Within target per day", ylabel="% of first responses")
    return Chart("first_response", "First response against the target", _png(figure))


def arrivals_heatmap(figures: ReportFigures) -> Chart:
    figure, ax = _figure()
    grid = [figures.hour_of_week[day * 24:(day + 1) * 24] for day in range(7)]
    image = ax.imshow(grid, aspect="auto", cmap="cividis", interpolation="nearest")
    colourbar = figure.colorbar(image, ax=ax, shrink=0.9)
    colourbar.set_label("posts", fontsize=FONT_SIZE - 1)
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
    return Chart("arrivals", "Arrivals by hour of the week", _png(figure))


def agents_chart(figures: ReportFigures, names: dict[str, str] | None = None) -> Chart:
    names = names or {}
    agents = figures.agents[:12]
    figure, (left, middle, right) = _figure(1, 3, sharey=True)
    labels = [names.get(a.agent, a.agent)[:16] for a in agents]
    ys = list(range(len(agents)))
    left.barh(ys, [a.cases for a in agents], color=PALETTE[0])
    middle.barh(ys, [a.median_first_response or 0 for a in agents], color=PALETTE[1])
    middle.axvline(figures.target_minutes, color=PALETTE[3], linestyle="--", linewidth=1.5)
    right.barh(ys, [a.csat or 0 for a in agents], color=PALETTE[2])
    right.set_xlim(0, 5)
    left.set_yticks(ys, labels)
    left.invert_yaxis()
    _style(left, title="Cases", xlabel="handled")
    _style(middle, title="Median 1st resp.", xlabel="office-hour min")
    _style(right, title="CSAT", xlabel="mean of 1-5")
    for y, agent in enumerate(agents):
        if agent.csat is None:
            right.text(0.1, y, "n/a", va="center", fontsize=FONT_SIZE - 2, color="#555555")
    return Chart("agents", "Per agent", _png(figure))


def mix_chart(figures: ReportFigures) -> Chart:
    figure, (kinds_ax, mood_ax, topics_ax) = _figure(1, 3)
    for ax, counts, colour, title in (
            (kinds_ax, list(figures.kinds.items())[:8], PALETTE[0], "Kinds"),
            (mood_ax, list(figures.sentiment.items()), PALETTE[5], "Sentiment"),
            (topics_ax, figures.topics, PALETTE[4], "Top topics")):
        ys = list(range(len(counts)))
        ax.barh(ys, [n for _, n in counts], color=colour)
        ax.set_yticks(ys, [str(label)[:18] for label, _ in counts])
        ax.invert_yaxis()
        _style(ax, title=title, xlabel="cases")
    return Chart("mix", "Kinds, sentiment and topics", _png(figure))


def report_charts(figures: ReportFigures, names: dict[str, str] | None = None) -> list[Chart]:
    return [volume_chart(figures), first_response_chart(figures), arrivals_heatmap(figures),
            agents_chart(figures, names), mix_chart(figures)]
