"""The report's charts are real PNGs of the size Slack previews well, one per subject."""

from __future__ import annotations

import struct
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.report_figures import report_figures
from bot.domain.report_period import report_period
from bot.domain.report_rows import CaseFacts
from bot.render.report_charts import DPI, SIZE_INCHES, report_charts

TZ = ZoneInfo("Europe/Berlin")


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def figures(cases: list[CaseFacts]):
    period = report_period(kind="week", current=False, now=datetime(2026, 12, 1, tzinfo=TZ),
                           tz=TZ)
    return report_figures(period=period, cases=cases, screened=[], tz=TZ, target_minutes=60,
                          crisis_spans=[(period.start, period.start + timedelta(hours=5))])


def test_every_chart_is_a_png_at_preview_size() -> None:
    start = datetime(2026, 11, 23, 9, tzinfo=TZ)
    cases = [CaseFacts(id=i, opened_at=start + timedelta(hours=5 * i), customer_handle="c",
                       state="closed", kind="question", first_response_minutes=float(i),
                       agent=f"U{i % 3}", csat=(i % 5) + 1, sentiment=0.3, topic="refund")
             for i in range(30)]
    charts = report_charts(figures(cases), names={"U1": "Ann"})
    assert [c.name for c in charts] == ["volume", "first_response", "arrivals", "agents", "mix"]
    for chart in charts:
        assert png_size(chart.png) == (SIZE_INCHES[0] * DPI, SIZE_INCHES[1] * DPI)
        assert chart.title


def test_an_empty_period_still_draws_every_chart() -> None:
    charts = report_charts(figures([]))
    assert len(charts) == 5
    assert all(png_size(c.png)[0] == SIZE_INCHES[0] * DPI for c in charts)
