"""One Settings object, built from the environment (and ``.env`` via python-dotenv).

Each variable is read through its row in ``bot.settings_table.TABLE``. Every problem is
collected and reported at once, naming the variable and where to set it; tokens are
never part of a message.

Example::

    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-...", ...})
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.domain.crisis import CrisisRules
from bot.domain.office_hours import OfficeHours
from bot.domain.office_hours_parse import (
    OfficeHoursError,
    parse_closed_dates,
    parse_holiday_regions,
    parse_schedule,
    parse_timezone,
)
from bot.domain.report_schedule import ScheduleEntry
from bot.domain.routes import RouteChart
from bot.domain.sla import DEFAULT_LEVELS, NudgeLevel, SlaPolicy
from bot.domain.triage import TriageRules
from bot.settings_table import (
    CSAT_DEFAULT_TEXT,
    SLACK_DEFAULT_API_URL,
    TABLE,
    X_DEFAULT_API_URL,
    SettingProblem,
)


class SettingsError(Exception):
    """Raised with every problem found; ``problems`` lists one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str
    care_channel_id: str
    lead_ids: tuple[str, ...]
    x_bearer_token: str
    x_api_key: str
    x_api_secret: str
    x_access_token: str
    x_access_token_secret: str
    slack_app_token: str | None = None
    slack_signing_secret: str | None = None
    slack_api_url: str = SLACK_DEFAULT_API_URL
    port: int = 3000
    sla_minutes: int = 60
    x_api_url: str = X_DEFAULT_API_URL
    x_poll_seconds: int = 60
    database_url: str = "sqlite:///care.db"
    followup_sla_minutes: int = 60
    office_hours: OfficeHours = field(default_factory=OfficeHours)
    nudges: tuple[NudgeLevel, ...] = DEFAULT_LEVELS
    reopen_days: int = 7
    sticky_assign: bool = False
    sticky_days: int = 30
    x_dm_poll_seconds: int = 120
    signature_format: str = " ^{initials}"
    escalation_channels: tuple[tuple[str, str], ...] = ()
    triage_rules: TriageRules = field(default_factory=TriageRules)
    quiet_channel_id: str | None = None
    x_search_query: str | None = None
    x_search_poll_seconds: int = 300
    price_per_read: float = 0.005
    price_per_owned_read: float = 0.001
    monthly_read_cap: int = 0
    silence_alert_hours: float = 0
    crisis_rules: CrisisRules = field(default_factory=CrisisRules)
    instance_id: str = "care-desk"
    allow_external_users: bool = False
    secrets: tuple[str, ...] = field(default=(), repr=False)
    report_schedule: tuple[ScheduleEntry, ...] = ()
    report_channel_id: str | None = None
    replies_file: str | None = None
    faq_url: str | None = None
    phone_number: str | None = None
    routes: RouteChart = field(default_factory=RouteChart)
    csat: bool = False
    csat_text: str = CSAT_DEFAULT_TEXT

    @property
    def sla_policy(self) -> SlaPolicy:
        return SlaPolicy(hours=self.office_hours, first_minutes=self.sla_minutes,
                         followup_minutes=self.followup_sla_minutes, levels=self.nudges)

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    def __repr__(self) -> str:  # never show tokens
        return (f"Settings(channel={self.care_channel_id}, leads={len(self.lead_ids)}, "
                f"socket_mode={self.socket_mode}, database={_redact_url(self.database_url)})")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        problems: list[str] = []
        values: dict[str, object] = {}
        for setting in TABLE:
            raw = env.get(setting.name) or ""
            raw = raw.strip() if setting.strip else raw
            if not raw.strip():
                if setting.required_in(env):
                    problems.append(f"{setting.name} is not set: {setting.help}")
                raw = setting.default  # the table's default, read like a value
            if not raw:
                continue
            if setting.field is None:
                continue  # read by one of the groups below
            try:
                values[setting.field] = setting.parse(setting.name, raw)
            except SettingProblem as exc:
                problems.extend(exc.problems)
        for field_name, read in GROUPS.items():
            try:
                values[field_name] = read(env)
            except SettingProblem as exc:
                problems.extend(exc.problems)
        if problems:
            raise SettingsError(problems)
        values.setdefault("followup_sla_minutes", values.get("sla_minutes", 60))
        values.setdefault("instance_id", default_instance_id(
            database_url=str(values.get("database_url", "sqlite:///care.db")),
            port=str(values.get("port", 3000))))
        if "x_api_url" in values:
            values["x_api_url"] = str(values["x_api_url"]).rstrip("/")
        secrets = tuple(str(values[s.field]) for s in TABLE
                        if s.secret and s.field and values.get(s.field))
        return cls(**values, secrets=secrets)  # type: ignore[arg-type]


def _office_hours(env: Mapping[str, str]) -> OfficeHours:
    """Read CARE_OFFICE_HOURS, CARE_TIMEZONE, CARE_HOLIDAYS and CARE_CLOSED_DATES."""
    parts, problems = {}, []
    readers = {"week": (parse_schedule, "CARE_OFFICE_HOURS"),
               "tz": (parse_timezone, "CARE_TIMEZONE"),
               "holiday_regions": (parse_holiday_regions, "CARE_HOLIDAYS"),
               "closed_dates": (parse_closed_dates, "CARE_CLOSED_DATES")}
    for key, (read, name) in readers.items():
        try:
            value = read(text=env.get(name))
        except OfficeHoursError as exc:
            problems.append(str(exc))
            continue
        if value is not None:
            parts[key] = value
    if problems:
        raise SettingProblem(*problems)
    try:
        return OfficeHours(**parts)
    except (OfficeHoursError, ValueError) as exc:
        raise SettingProblem(str(exc)) from None


def triage_rules_from_env(env: Mapping[str, str]) -> TriageRules:
    """The triage rules from the CARE_* variables (the desk and ``app.py triage`` read the
    same ones); ValueError names a bad one."""
    return TriageRules.from_settings(
        urgent_keywords=env.get("CARE_URGENT_KEYWORDS"),
        spam_keywords=env.get("CARE_SPAM_KEYWORDS"),
        respond_kinds=env.get("CARE_RESPOND_KINDS"),
        high_reach_followers=env.get("CARE_HIGH_REACH_FOLLOWERS"),
        support_account=env.get("CARE_SUPPORT_ACCOUNT"))


def _triage_rules(env: Mapping[str, str]) -> TriageRules:
    try:
        return triage_rules_from_env(env)
    except ValueError as exc:
        raise SettingProblem(str(exc)) from None


def _crisis_rules(env: Mapping[str, str]) -> CrisisRules:
    try:
        return CrisisRules.from_settings(
            window_minutes=env.get("CARE_CRISIS_WINDOW_MINUTES"),
            min_posts=env.get("CARE_CRISIS_MIN_POSTS"),
            volume_factor=env.get("CARE_CRISIS_VOLUME_FACTOR"),
            negative_share=env.get("CARE_CRISIS_NEGATIVE_SHARE"),
            calm_minutes=env.get("CARE_CRISIS_CALM_MINUTES"),
            ignore_terms=env.get("CARE_CRISIS_IGNORE_TERMS"))
    except ValueError as exc:
        raise SettingProblem(f"CARE_CRISIS_*: {exc}") from None


# Settings fields built from several table rows (those rows have no field of their own).
GROUPS: dict[str, Callable[[Mapping[str, str]], object]] = {
    "office_hours": _office_hours, "triage_rules": _triage_rules,
    "crisis_rules": _crisis_rules}


def default_instance_id(*, database_url: str, port: str) -> str:
    """Stable across restarts on one host: the host name plus a digest of the working
    directory, the database and the port (two instances on one host differ in a port)."""
    digest = hashlib.sha256(f"{os.getcwd()}|{database_url}|{port}".encode()).hexdigest()[:8]
    return f"{socket.gethostname()[:40]}-{digest}"


def _redact_url(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
