"""One Settings object, built from the environment (and ``.env`` via python-dotenv).

Every problem is collected and reported at once, naming the variable and where to
set it; tokens are never part of a message.

Example::

    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-...", ...})
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
from collections.abc import Mapping
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
from bot.domain.sla import DEFAULT_LEVELS, NudgeLevel, SlaPolicy, parse_nudges
from bot.domain.triage import TriageRules

SLACK_DEFAULT_API_URL = "https://slack.com/api/"
X_DEFAULT_API_URL = "https://api.twitter.com"

_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")
_LEAD_ID = re.compile(r"^[UWS][A-Z0-9]{2,}$")


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

        def text(name: str, *, required: bool, hint: str, pattern: str | None = None) -> str:
            value = (env.get(name) or "").strip()
            if not value:
                if required:
                    problems.append(f"{name} is not set: {hint}")
                return ""
            if pattern and not re.match(pattern, value):
                problems.append(f"{name} does not look right: {hint}")
            return value

        def number(name: str, default: int, *, low: int, high: int) -> int:
            raw = (env.get(name) or "").strip()
            if not raw:
                return default
            try:
                value = int(raw)
            except ValueError:
                problems.append(f"{name} must be a whole number from {low} to {high}, "
                                f"got {raw[:40]!r}")
                return default
            if not low <= value <= high:
                problems.append(f"{name} must be from {low} to {high}, got {value}")
            return value

        bot_token = text("SLACK_BOT_TOKEN", required=True, pattern=r"^xoxb-",
                         hint="the Bot User OAuth Token (xoxb-...) from your Slack app's "
                              "OAuth & Permissions page")
        app_token = text("SLACK_APP_TOKEN", required=False, pattern=r"^xapp-",
                         hint="an app-level token (xapp-...) with connections:write, from "
                              "Basic Information > App-Level Tokens; set it for Socket Mode")
        signing = text("SLACK_SIGNING_SECRET", required=not app_token,
                       hint="the Signing Secret from Basic Information (needed in HTTP mode, "
                            "that is when SLACK_APP_TOKEN is not set)")
        channel = text("CARE_CHANNEL_ID", required=True, pattern=_CHANNEL_ID.pattern,
                       hint="the id of the care channel, e.g. C0123ABCD (channel details > "
                            "About, at the bottom)")
        leads_raw = (env.get("CARE_LEAD_IDS") or "").strip()
        leads = tuple(p.strip() for p in leads_raw.split(",") if p.strip())
        if not leads:
            problems.append("CARE_LEAD_IDS is not set: comma-separated Slack user ids of the "
                            "team leads (U...), or a user group id (S...)")
        for lead in leads:
            if not _LEAD_ID.match(lead):
                problems.append(f"CARE_LEAD_IDS: {lead[:40]!r} is not a Slack user id (U.../W...) "
                                "or user group id (S...)")
        hint_x = "from the X developer portal, Keys and tokens"
        bearer = text("X_BEARER_TOKEN", required=True, hint=f"the app's Bearer Token, {hint_x}")
        key = text("X_API_KEY", required=True, hint=f"the API Key (consumer key), {hint_x}")
        secret = text("X_API_SECRET", required=True, hint=f"the API Key Secret, {hint_x}")
        access = text("X_ACCESS_TOKEN", required=True,
                      hint=f"the brand account's Access Token (read and write), {hint_x}")
        access_secret = text("X_ACCESS_TOKEN_SECRET", required=True,
                             hint=f"the brand account's Access Token Secret, {hint_x}")
        slack_url = text("SLACK_API_URL", required=False, pattern=r"^https?://",
                         hint="a URL such as https://slack.com/api/") or SLACK_DEFAULT_API_URL
        if not slack_url.endswith("/"):
            slack_url += "/"
        x_url = text("X_API_URL", required=False, pattern=r"^https?://",
                     hint="a URL such as https://api.twitter.com") or X_DEFAULT_API_URL
        database_url = (env.get("DATABASE_URL") or "").strip() or "sqlite:///care.db"
        if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", database_url):
            problems.append("DATABASE_URL must start with sqlite:/// or postgresql+psycopg://")
        sla_minutes = number("CARE_SLA_MINUTES", 60, low=1, high=60 * 24 * 14)
        followup_minutes = number("CARE_FOLLOWUP_SLA_MINUTES", sla_minutes, low=1,
                                  high=60 * 24 * 14)
        office_hours = _office_hours(env, problems)
        try:
            nudges = parse_nudges(env.get("CARE_NUDGES"))
        except ValueError as exc:
            problems.append(str(exc))
            nudges = DEFAULT_LEVELS
        escalation = _escalation_channels(env.get("CARE_ESCALATION_CHANNELS"), problems)
        signature_format = env.get("CARE_SIGNATURE_FORMAT") or " ^{initials}"
        if "{initials}" not in signature_format or len(signature_format) > 20:
            problems.append('CARE_SIGNATURE_FORMAT must contain {initials} and be at most 20 '
                            'characters, e.g. " ^{initials}" or " -{initials}"')
        sticky_raw = (env.get("CARE_STICKY_ASSIGN") or "false").strip().lower()
        if sticky_raw not in ("true", "false", "1", "0", "yes", "no"):
            problems.append(f"CARE_STICKY_ASSIGN must be true or false, got {sticky_raw[:20]!r}")
        try:
            triage_rules = TriageRules.from_settings(
                urgent_keywords=env.get("CARE_URGENT_KEYWORDS"),
                spam_keywords=env.get("CARE_SPAM_KEYWORDS"),
                respond_kinds=env.get("CARE_RESPOND_KINDS"),
                high_reach_followers=env.get("CARE_HIGH_REACH_FOLLOWERS"))
        except ValueError as exc:
            problems.append(str(exc))
            triage_rules = TriageRules()
        quiet = text("CARE_QUIET_CHANNEL_ID", required=False, pattern=_CHANNEL_ID.pattern,
                     hint="the id of a channel for filtered posts, e.g. C0456EFGH")
        def decimal(name: str, default: float, *, high: float) -> float:
            raw = (env.get(name) or "").strip()
            if not raw:
                return default
            try:
                value = float(raw)
            except ValueError:
                value = -1.0
            if not 0 <= value <= high:
                problems.append(f"{name} must be a number from 0 to {high:g}, got {raw[:20]!r}")
                return default
            return value

        try:
            crisis_rules = CrisisRules.from_settings(
                window_minutes=env.get("CARE_CRISIS_WINDOW_MINUTES"),
                min_posts=env.get("CARE_CRISIS_MIN_POSTS"),
                volume_factor=env.get("CARE_CRISIS_VOLUME_FACTOR"),
                negative_share=env.get("CARE_CRISIS_NEGATIVE_SHARE"),
                calm_minutes=env.get("CARE_CRISIS_CALM_MINUTES"),
                ignore_terms=env.get("CARE_CRISIS_IGNORE_TERMS"))
        except ValueError as exc:
            problems.append(f"CARE_CRISIS_*: {exc}")
            crisis_rules = CrisisRules()
        search_query = (env.get("X_SEARCH_QUERY") or "").strip() or None
        if search_query and len(search_query) > 512:
            problems.append("X_SEARCH_QUERY is longer than the 512 characters X accepts")
        settings = cls(
            slack_bot_token=bot_token,
            slack_app_token=app_token or None,
            slack_signing_secret=signing or None,
            slack_api_url=slack_url,
            port=number("PORT", 3000, low=1, high=65535),
            care_channel_id=channel,
            lead_ids=leads,
            sla_minutes=sla_minutes,
            followup_sla_minutes=followup_minutes,
            office_hours=office_hours,
            nudges=nudges,
            reopen_days=number("CARE_REOPEN_DAYS", 7, low=0, high=365),
            sticky_assign=sticky_raw in ("true", "1", "yes"),
            sticky_days=number("CARE_STICKY_DAYS", 30, low=1, high=365),
            x_dm_poll_seconds=number("X_DM_POLL_SECONDS", 120, low=60, high=3600),
            signature_format=signature_format,
            escalation_channels=escalation,
            triage_rules=triage_rules,
            quiet_channel_id=quiet or None,
            x_search_query=search_query,
            x_search_poll_seconds=number("X_SEARCH_POLL_SECONDS", 300, low=60, high=86400),
            price_per_read=decimal("CARE_X_PRICE_PER_READ", 0.005, high=10),
            price_per_owned_read=decimal("CARE_X_PRICE_OWNED_READ", 0.001, high=10),
            monthly_read_cap=number("CARE_X_MONTHLY_READ_CAP", 0, low=0, high=10**9),
            silence_alert_hours=decimal("CARE_SILENCE_ALERT_HOURS", 0, high=24 * 30),
            crisis_rules=crisis_rules,
            x_bearer_token=bearer,
            x_api_key=key,
            x_api_secret=secret,
            x_access_token=access,
            x_access_token_secret=access_secret,
            x_api_url=x_url.rstrip("/"),
            x_poll_seconds=number("X_POLL_SECONDS", 60, low=5, high=3600),
            database_url=database_url,
            instance_id=(env.get("CARE_INSTANCE_ID") or "").strip() or default_instance_id(
                database_url=database_url, port=(env.get("PORT") or "3000").strip()),
            secrets=tuple(s for s in (bot_token, app_token, signing, bearer, key, secret,
                                      access, access_secret) if s),
        )
        if problems:
            raise SettingsError(problems)
        return settings


def _office_hours(env: Mapping[str, str], problems: list[str]) -> OfficeHours:
    """Read CARE_OFFICE_HOURS, CARE_TIMEZONE, CARE_HOLIDAYS and CARE_CLOSED_DATES."""
    parts = {}
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
    try:
        return OfficeHours(**parts)
    except (OfficeHoursError, ValueError) as exc:
        problems.append(str(exc))
        return OfficeHours()


def _escalation_channels(raw: str | None, problems: list[str]) -> tuple[tuple[str, str], ...]:
    """``legal=C123,comms=C456`` -> (("legal", "C123"), ("comms", "C456"))."""
    pairs = []
    for part in (p.strip() for p in (raw or "").split(",") if p.strip()):
        name, _, channel = part.partition("=")
        name, channel = name.strip(), channel.strip()
        if not name or not _CHANNEL_ID.match(channel) or len(name) > 30:
            problems.append(f"CARE_ESCALATION_CHANNELS: cannot read {part[:60]!r}. Expected "
                            "department=channel id pairs, e.g. legal=C0123ABCD,comms=C0456EFGH")
            continue
        pairs.append((name, channel))
    return tuple(pairs)


def default_instance_id(*, database_url: str, port: str) -> str:
    """Stable across restarts on one host: the host name plus a digest of the working
    directory, the database and the port (two instances on one host differ in a port)."""
    digest = hashlib.sha256(f"{os.getcwd()}|{database_url}|{port}".encode()).hexdigest()[:8]
    return f"{socket.gethostname()[:40]}-{digest}"


def _redact_url(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
