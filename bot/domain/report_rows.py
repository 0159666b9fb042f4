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
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

CSV_HEADER = ("id", "opened", "route", "kind", "priority", "customer", "first_response_minutes",
              "within_target", "agent", "state", "close_reason", "csat")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CELL_LIMIT = 200
# Seven or more digits, optionally grouped by spaces, dots, dashes or brackets.
PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d\s().-]{5,}\d(?![\w])")


class CaseFacts(NamedTuple):
    """What a report knows about one case in its period (a named tuple: a report makes a
    hundred thousand of them)."""

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


def csv_row(facts: CaseFacts, tz: ZoneInfo, *,
            cell: Callable[[str | None], str] = safe_cell) -> tuple[str, ...]:
    """One case's CSV row; ``cell`` escapes the few-valued text columns (route, kind,
    priority, agent, state, close reason), the customer handle always goes through
    :func:`safe_cell`."""
    minutes, within = facts.first_response_minutes, facts.within_target
    return (str(facts.id), facts.opened_at.astimezone(tz).isoformat(" ", "minutes")[:16],
            cell(facts.route), cell(facts.kind), cell(facts.priority),
            safe_cell(facts.customer_handle),
            "" if minutes is None else f"{minutes:.0f}",
            "" if within is None else ("yes" if within else "no"),
            cell(facts.agent), cell(facts.state), cell(facts.close_reason),
            "" if facts.csat is None else str(facts.csat))


class _EscapedCells(dict):
    """Cell text by value, escaped by :func:`safe_cell` the first time a value is asked
    (for columns of few values: states, kinds, priorities, routes, the team's agents)."""

    def __missing__(self, value: str | None) -> str:
        cell = self[value] = safe_cell(value)
        return cell


class CsvTable:
    """The CSV written while the rows pass by (one pass, no list of every case kept).

    The same rows as :func:`csv_row`; the cells of the few-valued columns (route, kind,
    priority, agent, state, close reason) are escaped once per value, not once per case.
    """

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._out = io.StringIO()
        self._writer = csv.writer(self._out, lineterminator="\n")
        self._writer.writerow(CSV_HEADER)
        self._cells = _EscapedCells()

    def passing(self, rows: Iterable[CaseFacts]) -> Iterator[CaseFacts]:
        tz, write = self.tz, self._writer.writerow
        cell = self._cells.__getitem__  # a dict look-up once a value was seen
        for facts in rows:
            write(csv_row(facts, tz, cell=cell))
            yield facts

    def text(self) -> str:
        return self._out.getvalue()


def csv_text(rows: Iterable[CaseFacts], tz: ZoneInfo) -> str:
    table = CsvTable(tz)
    for _ in table.passing(rows):
        pass
    return table.text()
