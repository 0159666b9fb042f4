"""``/care report [day|week|month] [this] [me]``: ack at once, then build and post.

Bolt answers Slack as soon as ``ack`` is called; the listener then goes on building the
charts in its own worker thread, so the command never runs into Slack's 3-second limit.
"""

from __future__ import annotations

import logging

from bot.render import report_text
from bot.render.mrkdwn import escape
from bot.services.period_report import PeriodReports, ReportArgsError, parse_report_args
from bot.slack_out import SlackOut

log = logging.getLogger(__name__)


def run_report_command(ack, *, reports: PeriodReports, slack: SlackOut, user_id: str,
                       channel_id: str, rest: str) -> None:
    try:
        request = parse_report_args(rest)
    except ReportArgsError as exc:
        ack(text=report_text.unknown_period(escape(str(exc))), response_type="ephemeral")
        return
    ack(text=report_text.building(kind=request.kind, current=request.current,
                                  direct=request.to_me), response_type="ephemeral")
    try:
        target = reports.destination(request=request, user_id=user_id, channel_id=channel_id)
        reports.deliver(request=request, channel=target)
    except Exception:
        log.exception("/care report failed")
        slack.ephemeral(channel=channel_id, user=user_id, text=report_text.failed())
