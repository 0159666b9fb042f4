"""The response-time target (SLA) of a case and the nudge levels along it.

Pure. A case's clock starts when the customer's post arrives (or their follow-up,
or a reopen) and runs only in office hours; each nudge level falls at a share of
the target measured in business minutes, so no level ever falls outside office hours.

Example::

    >>> from datetime import UTC, datetime
    >>> from bot.domain.office_hours import OfficeHours
    >>> policy = SlaPolicy(hours=OfficeHours(), first_minutes=60, followup_minutes=30)
    >>> start = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    >>> [(n.level.value, at.strftime("%H:%M")) for n, at in policy.level_times(start, 60)]
    [('warning', '09:45'), ('breach', '10:00'), ('escalation', '11:00')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.domain.office_hours import OfficeHours


class Level(StrEnum):
    WARNING = "warning"
    BREACH = "breach"
    ESCALATION = "escalation"


class Audience(StrEnum):
    ASSIGNEE = "assignee"
    LEADS = "leads"


@dataclass(frozen=True)
class NudgeLevel:
    level: Level
    percent: int
    audience: frozenset[Audience]


DEFAULT_LEVELS = (
    NudgeLevel(Level.WARNING, 75, frozenset({Audience.ASSIGNEE})),
    NudgeLevel(Level.BREACH, 100, frozenset({Audience.ASSIGNEE, Audience.LEADS})),
    NudgeLevel(Level.ESCALATION, 200, frozenset({Audience.LEADS})),
)
NUDGES_FORM = "warning@75:assignee; breach@100:assignee,leads; escalation@200:leads"
_CLAUSE = re.compile(r"^(?P<level>[a-z]+)\s*@\s*(?P<percent>\d{1,4})\s*(?::\s*(?P<who>[a-z ,]*))?$")


def parse_nudges(text: str | None, *, setting: str = "CARE_NUDGES") -> tuple[NudgeLevel, ...]:
    """Read ``warning@75:assignee; breach@100:assignee,leads; escalation@200:leads``.

    Levels may be left out (that level is then never posted); percents must rise.
    """
    if not (text or "").strip():
        return DEFAULT_LEVELS
    levels: list[NudgeLevel] = []
    for clause in (c.strip().lower() for c in text.split(";") if c.strip()):
        match = _CLAUSE.match(clause)
        if not match:
            raise ValueError(f'{setting}: cannot read "{clause[:60]}". '
                             f'Expected e.g. "{NUDGES_FORM}"')
        try:
            level = Level(match["level"])
        except ValueError:
            raise ValueError(f'{setting}: unknown level "{match["level"]}"; the levels are '
                             f'warning, breach, escalation. Expected e.g. "{NUDGES_FORM}"'
                             ) from None
        who = {w.strip() for w in (match["who"] or "").split(",") if w.strip()}
        unknown = who - {a.value for a in Audience}
        if unknown:
            raise ValueError(f'{setting}: unknown audience "{sorted(unknown)[0]}" for {level}; '
                             f'use assignee and/or leads. Expected e.g. "{NUDGES_FORM}"')
        levels.append(NudgeLevel(level, int(match["percent"]),
                                 frozenset(Audience(w) for w in who)))
    percents = [n.percent for n in levels]
    if percents != sorted(set(percents)) or len({n.level for n in levels}) != len(levels):
        raise ValueError(f"{setting}: each level once, with rising percents. "
                         f'Expected e.g. "{NUDGES_FORM}"')
    if any(p == 0 for p in percents):
        raise ValueError(f"{setting}: a percent must be above 0")
    return tuple(levels)


@dataclass(frozen=True)
class SlaPolicy:
    hours: OfficeHours
    first_minutes: int = 60
    followup_minutes: int = 60
    levels: tuple[NudgeLevel, ...] = field(default=DEFAULT_LEVELS)

    def deadline(self, start: datetime, minutes: int) -> datetime:
        return self.hours.add_business_minutes(start, minutes)

    def level_times(self, start: datetime, minutes: int) -> list[tuple[NudgeLevel, datetime]]:
        return [(n, self.hours.add_business_minutes(start, minutes * n.percent / 100))
                for n in self.levels]

    def next_level(self, start: datetime, minutes: int, *,
                   after: Level | None) -> tuple[NudgeLevel, datetime] | None:
        """The first level after ``after`` (None: the first level) and when it falls."""
        times = self.level_times(start, minutes)
        names = [n.level for n, _ in times]
        index = 0 if after is None else names.index(after) + 1 if after in names else len(names)
        return times[index] if index < len(times) else None

    def level(self, name: Level) -> NudgeLevel | None:
        return next((n for n in self.levels if n.level is name), None)
