"""The sandbox's seeded history makes a real first report, and its page shows the charts."""

from __future__ import annotations

import requests

from sandbox.run import Sandbox
from tests.scenario.harness import wait_until


def test_report_week_in_the_sandbox_shows_charts_on_the_page() -> None:
    sandbox = Sandbox(port=0).start()
    try:
        answer = sandbox.command(user_id="ULEAD1", text="report week")
        assert "Building the report for last week" in answer["text"]

        def report():
            state = requests.get(f"{sandbox.url}api/state", params={"user": "ULEAD1"},
                                 timeout=10).json()
            return [m for m in state["slack"]["channels"][0]["messages"] if m.get("files")]

        [message] = wait_until(report, timeout=60, message="the report in the care channel")
        assert "Care report: week of" in message["text"]
        assert " 0 cases" not in message["text"]
        images = [f for f in message["files"] if f["image"]]
        assert len(images) == 5
        chart = requests.get(sandbox.url.rstrip("/") + images[0]["url"], timeout=10)
        assert chart.status_code == 200 and chart.headers["Content-Type"] == "image/png"
        assert chart.content.startswith(b"\x89PNG")
    finally:
        sandbox.stop()
