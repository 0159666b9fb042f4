"""One report row per case and the period's cases as CSV.

Pure. Customer text is untrusted: a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a
tab / carriage return) is prefixed with ``'`` so spreadsheets show it instead of running it,
phone numbers are masked, and every cell is bounded.

Example::

    >>> safe_cell("=HYPERLINK(1)")
    "'=HYPERLINK(1)"
    >>> mask_phones("call +1 415 555 0100 now")
    'call +1 *** *** **00 now'
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

CSV_HEADER = ("id", "opened", "route", "kind", "priority", "customer", "first_response_minutes",
              "within_target", "agent", "state", "close_reason", "csat")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CELL_LIMIT = 200
# Seven or more digits, optionally grouped by spaces, dots, dashes or brackets.
PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d\s().-]{5,}\d(?![\w])")


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What a report knows about one case in its period."""

    id: int
    opened_at: datetime
    customer_handle: str
    state: str
    kind: str | None = None
    priority: str = "normal"
    route: str | None = None  # the case's route, where the desk routes cases
    lane: str = "cases"       # cases | praise | filtered
    first_response_minutes: float | None = None  # office-hour minutes
    within_target: bool | None = None
    agent: str | None = None
    close_reason: str | None = None
    csat: int | None = None
    sentiment: float | None = None
    topic: str | None = None
    origin: str = "mention"


def mask_phones(text: str) -> str:
    """Keep a number's shape and last two digits, hide the rest."""

    def hide(match: re.Match) -> str:
        found = match.group(0)
        if sum(c.isdigit() for c in found) < 7:
            return found
        digits_left = sum(c.isdigit() for c in found)
        out = []
        seen = 0
        keep_first = found.startswith("+")
        for c in found:
            if c.isdigit():
                seen += 1
                first_group = keep_first and seen <= _country_digits(found)
                out.append(c if first_group or seen > digits_left - 2 else "*")
            else:
                out.append(c)
        return "".join(out)

    return PHONE.sub(hide, text)


def _country_digits(number: str) -> int:
    match = re.match(r"\+(\d{1,3})[\s.-]", number)
    return len(match.group(1)) if match else 0


def safe_cell(value: object, *, mask: bool = True) -> str:
    """A CSV cell: bounded, phone numbers masked (text cells), formula starts escaped."""
    text = "" if value is None else str(value)[:CELL_LIMIT]
    if mask:
        text = mask_phones(text)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return text


def csv_row(facts: CaseFacts, tz: ZoneInfo) -> list[str]:
    minutes = facts.first_response_minutes
    within = "" if facts.within_target is None else ("yes" if facts.within_target else "no")
    opened = facts.opened_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    texts = (facts.route, facts.kind, facts.priority, facts.customer_handle)
    return [str(facts.id), opened, *(safe_cell(v) for v in texts),
            "" if minutes is None else f"{minutes:.0f}", within,
            *(safe_cell(v) for v in (facts.agent, facts.state, facts.close_reason)),
            "" if facts.csat is None else str(facts.csat)]


class CsvTable:
    """The CSV written while the rows pass by (one pass, no list of every case kept)."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._out = io.StringIO()
        self._writer = csv.writer(self._out, lineterminator="\n")
        self._writer.writerow(CSV_HEADER)

    def passing(self, rows: Iterable[CaseFacts]) -> Iterator[CaseFacts]:
        for facts in rows:
            self._writer.writerow(csv_row(facts, self.tz))
            yield facts

    def text(self) -> str:
        return self._out.getvalue()


def csv_text(rows: Iterable[CaseFacts], tz: ZoneInfo) -> str:
    table = CsvTable(tz)
    for _ in table.passing(rows):
        pass
    return table.text()
