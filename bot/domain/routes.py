"""The triage chart: routes that send cases to team channels, tried in order.

A route names a Slack channel, its leads and agents, what it takes (keywords, kinds,
languages, a priority) and its own response target and office hours. The first route
that matches a post takes its case; a post no route matches stays in the care channel.

Example::

    >>> chart = parse_routes("routes:\\n  - name: bags\\n    channel: C0BAGS\\n"
    ...                      "    match: {keywords: [bag, luggage]}\\n", source="r.yml")
    >>> chart.select(text="Where is my bag?", kind="question", priority="normal",
    ...              language="en").name
    'bags'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from bot.domain.model import Draft
from bot.domain.office_hours import FULL_WEEK, OfficeHours
from bot.domain.office_hours_parse import (
    OfficeHoursError,
    WeekSchedule,
    parse_schedule,
    parse_timezone,
)
from bot.domain.sla import SlaPolicy
from bot.domain.triage import Kind, Priority
from bot.domain.triage_language import normalise_lang
from bot.domain.yaml_file import (
    FileProblem,
    YamlFileError,
    compose_yaml,
    mapping_values,
    node_line,
    read_yaml_text,
    scalar_value,
)

ROUTE_KEYS = ("name", "channel", "leads", "agents", "match", "sla_minutes", "office_hours",
              "timezone")
MATCH_KEYS = ("keywords", "kinds", "languages", "priority")
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
MEMBER_ID = re.compile(r"^[UWS][A-Z0-9]{2,}$")  # a user or a user group
ROUTE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
MAX_FILE_BYTES = 1_000_000
MAX_SLA_MINUTES = 60 * 24 * 14


@dataclass(frozen=True)
class RouteMatch:
    """What a route takes; an empty part takes anything."""

    keywords: tuple[str, ...] = ()
    kinds: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    priority: str | None = None

    def takes(self, *, text: str, kind: str | None, priority: str | None,
              language: str) -> bool:
        if self.kinds and kind not in self.kinds:
            return False
        if self.priority and priority != self.priority:
            return False
        if self.languages and language not in self.languages:
            return False
        return not self.keywords or _has_keyword(text, self.keywords)

    @property
    def takes_everything(self) -> bool:
        return not (self.keywords or self.kinds or self.languages or self.priority)

    def describe(self) -> str:
        """"keywords bag, luggage; kinds complaint; languages es; priority high" or "all"."""
        parts = []
        if self.keywords:
            parts.append("keywords " + ", ".join(self.keywords))
        if self.kinds:
            parts.append("kinds " + ", ".join(sorted(self.kinds)))
        if self.languages:
            parts.append("languages " + ", ".join(sorted(self.languages)))
        if self.priority:
            parts.append(f"priority {self.priority}")
        return "; ".join(parts) or "everything"


@dataclass(frozen=True)
class Route:
    name: str
    channel: str
    leads: tuple[str, ...] = ()
    agents: tuple[str, ...] = ()
    match: RouteMatch = field(default_factory=RouteMatch)
    sla_minutes: int | None = None
    week: WeekSchedule | None = None
    tz: ZoneInfo | None = None
    office_hours_text: str | None = None

    def hours(self, base: OfficeHours) -> OfficeHours:
        """The desk's hours with this route's schedule and time zone where it sets them."""
        if self.week is None and self.tz is None:
            return base
        return replace(base, week=self.week or base.week, tz=self.tz or base.tz)

    def policy(self, base: SlaPolicy) -> SlaPolicy:
        """The desk's response policy under this route's target and hours."""
        minutes = self.sla_minutes
        return replace(base, hours=self.hours(base.hours),
                       first_minutes=minutes or base.first_minutes,
                       followup_minutes=minutes or base.followup_minutes)


@dataclass(frozen=True)
class RouteChart:
    routes: tuple[Route, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.routes)

    def select(self, *, text: str, kind: str | None, priority: str | None,
               language: str) -> Route | None:
        """The first route that takes the post; None: the care channel."""
        return next((r for r in self.routes if r.match.takes(
            text=text, kind=kind, priority=priority, language=language)), None)

    def named(self, name: str | None) -> Route | None:
        return next((r for r in self.routes if r.name == name), None) if name else None

    def of_channel(self, channel: str | None) -> Route | None:
        return next((r for r in self.routes if r.channel == channel), None)

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.channel for r in self.routes))


@dataclass(frozen=True)
class CaseStory:
    """What a case carries to its new route's thread: its drafts in order and the thread
    notes the desk posted (already mrkdwn), in order; the post is the case's own."""

    drafts: tuple[Draft, ...] = ()
    notes: tuple[str, ...] = ()


def post_language(*, x_lang: str | None, guessed: str | None) -> str:
    """The language a route matches on: X's code when it knows, else the triage's guess
    (None meaning English), ``und`` when X said it could not tell and nothing was guessed."""
    known = normalise_lang(x_lang)
    if known:
        return known
    if guessed:
        return guessed
    return "und" if x_lang and x_lang.strip().lower() == "und" else "en"


def _has_keyword(text: str, keywords: tuple[str, ...]) -> bool:
    low = text.casefold()
    return any(re.search(rf"(?<!\w){re.escape(k.casefold())}(?!\w)", low) for k in keywords)


# -- the file -----------------------------------------------------------------------------

class RoutesFileError(YamlFileError):
    """The chart cannot be used; ``problems`` name each line and reason."""


def load_routes(path: str | Path) -> RouteChart:
    """Read and parse the chart at ``path``; raises RoutesFileError."""
    text = read_yaml_text(path, max_bytes=MAX_FILE_BYTES, error=RoutesFileError)
    return parse_routes(text, source=str(path))


def parse_routes(text: str, *, source: str) -> RouteChart:
    """The chart in ``text``; raises RoutesFileError naming ``source``, the line and the
    reason of every problem found."""
    root = compose_yaml(text, source=source, error=RoutesFileError)
    if root is None:
        return RouteChart()
    problems: list[FileProblem] = []
    top = _mapping(root, ("routes",), "the file", problems)
    items = top.get("routes")
    if items is None:
        if not problems:
            problems.append(FileProblem(node_line(root), "missing routes: a list of routes"))
        raise RoutesFileError(source, problems)
    if not isinstance(items, yaml.SequenceNode):
        raise RoutesFileError(source, [*problems, FileProblem(
            node_line(items), "routes must be a list (each route starting with '- ')")])
    routes: list[Route] = []
    first_line_of: dict[str, int] = {}
    for item in items.value:
        route = _route(item, problems)
        if route is None:
            continue
        if route.name in first_line_of:
            first = first_line_of[route.name]
            problems.append(FileProblem(node_line(item), f"route {route.name!r} is named twice "
                                                     f"(first on line {first})"))
            continue
        first_line_of[route.name] = node_line(item)
        routes.append(route)
    if problems:
        raise RoutesFileError(source, problems)
    return RouteChart(routes=tuple(routes))


def _route(node: yaml.Node, problems: list[FileProblem]) -> Route | None:
    before = len(problems)
    values = _mapping(node, ROUTE_KEYS, "a route", problems)
    if not isinstance(node, yaml.MappingNode):
        return None
    for required in ("name", "channel"):
        if required not in values:
            problems.append(FileProblem(node_line(node), f"missing {required}"))
    name = _scalar(values.get("name"), "name", problems)
    if name is not None and not ROUTE_NAME.match(name.strip()):
        problems.append(FileProblem(node_line(values["name"]),
                                    f"name {name[:40]!r} must be 1 to 40 "
                                    "lowercase letters, digits, - or _"))
    channel = _scalar(values.get("channel"), "channel", problems)
    if channel is not None and not CHANNEL_ID.match(channel.strip()):
        problems.append(FileProblem(node_line(values["channel"]),
                                    f"channel {channel[:40]!r} is not "
                                    "a Slack channel id (C... or G...)"))
    leads = _ids(values.get("leads"), "leads", MEMBER_ID, problems)
    agents = _ids(values.get("agents"), "agents", MEMBER_ID, problems)
    match = _match(values.get("match"), problems)
    minutes = _minutes(values.get("sla_minutes"), problems)
    week, hours_text = _schedule(values.get("office_hours"), problems)
    tz = _timezone(values.get("timezone"), problems)
    if len(problems) > before:
        return None
    return Route(name=name.strip(), channel=channel.strip(), leads=leads, agents=agents,
                 match=match, sla_minutes=minutes, week=week, tz=tz,
                 office_hours_text=hours_text)


def _match(node: yaml.Node | None, problems: list[FileProblem]) -> RouteMatch:
    if node is None:
        return RouteMatch()
    values = _mapping(node, MATCH_KEYS, "match", problems)
    keywords = _words(values.get("keywords"), "keywords", problems)
    kinds = _words(values.get("kinds"), "kinds", problems)
    for kind in kinds:
        if kind.lower() not in {k.value for k in Kind}:
            problems.append(FileProblem(node_line(values["kinds"]), f"unknown kind {kind[:20]!r}; "
                                        f"the kinds are {', '.join(k.value for k in Kind)}"))
    languages = _words(values.get("languages"), "languages", problems)
    for language in languages:
        if not LANGUAGE.match(language.lower()):
            problems.append(FileProblem(node_line(values["languages"]), f"language "
                                        f"{language[:20]!r} is not a code such as en, es, und"))
    priority = _scalar(values.get("priority"), "priority", problems)
    if priority is not None and priority.strip().lower() not in {p.value for p in Priority}:
        problems.append(FileProblem(node_line(values["priority"]), f"priority {priority[:20]!r} "
                                    f"must be one of {', '.join(p.value for p in Priority)}"))
        priority = None
    return RouteMatch(keywords=keywords, kinds=frozenset(k.lower() for k in kinds),
                      languages=frozenset(x.lower() for x in languages),
                      priority=priority.strip().lower() if priority else None)


def _mapping(node: yaml.Node, keys: tuple[str, ...], what: str,
             problems: list[FileProblem]) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        problems.append(FileProblem(node_line(node), f"{what} must be a mapping of "
                                                 f"{', '.join(keys)}"))
        return {}
    return mapping_values(node, keys, problems, what=what)


def _scalar(node: yaml.Node | None, key: str, problems: list[FileProblem]) -> str | None:
    return scalar_value(node, key, problems, expected="a single value")


def _words(node: yaml.Node | None, key: str, problems: list[FileProblem]) -> tuple[str, ...]:
    if node is None:
        return ()
    items = [node] if isinstance(node, yaml.ScalarNode) else \
        node.value if isinstance(node, yaml.SequenceNode) else None
    if items is None:
        problems.append(FileProblem(node_line(node), f"{key} must be a list such as [a, b]"))
        return ()
    words = [w.strip() for w in (_scalar(i, f"each of {key}", problems) for i in items)
             if w is not None and w.strip()]
    return tuple(dict.fromkeys(words))


def _ids(node: yaml.Node | None, key: str, pattern: re.Pattern[str],
         problems: list[FileProblem]) -> tuple[str, ...]:
    ids = _words(node, key, problems)
    for bad in (i for i in ids if not pattern.match(i)):
        problems.append(FileProblem(node_line(node), f"{key}: {bad[:40]!r} is not a Slack user id "
                                                 "(U... or W...) or user group id (S...)"))
    return ids


def _minutes(node: yaml.Node | None, problems: list[FileProblem]) -> int | None:
    value = _scalar(node, "sla_minutes", problems)
    if value is None:
        return None
    if not value.strip().isdigit() or not 1 <= int(value) <= MAX_SLA_MINUTES:
        problems.append(FileProblem(node_line(node), f"sla_minutes {value[:20]!r} must be a whole "
                                                 f"number from 1 to {MAX_SLA_MINUTES}"))
        return None
    return int(value)


def _schedule(node: yaml.Node | None,
              problems: list[FileProblem]) -> tuple[WeekSchedule | None, str | None]:
    value = _scalar(node, "office_hours", problems)
    if value is None:
        return None, None
    try:
        return parse_schedule(text=value, setting="office_hours") or FULL_WEEK, value.strip()
    except OfficeHoursError as exc:
        problems.append(FileProblem(node_line(node), str(exc)))
        return None, None


def _timezone(node: yaml.Node | None, problems: list[FileProblem]) -> ZoneInfo | None:
    value = _scalar(node, "timezone", problems)
    if value is None:
        return None
    try:
        return parse_timezone(text=value, setting="timezone")
    except OfficeHoursError as exc:
        problems.append(FileProblem(node_line(node), str(exc)))
        return None

