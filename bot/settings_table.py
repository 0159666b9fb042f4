"""Every setting in one table: name, default, parser, bounds and help.

``bot.config.Settings.from_env`` reads the environment through this table, and the same
table writes the settings part of ``.env.example`` and README's settings table::

    python -m bot.settings_table --env-example > .env.example
    python -m bot.settings_table --readme-table
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.domain.report_schedule import ReportScheduleError, parse_report_schedule
from bot.domain.sla import parse_nudges

SLACK_DEFAULT_API_URL = "https://slack.com/api/"
X_DEFAULT_API_URL = "https://api.twitter.com"
TRUE_WORDS = ("true", "on", "yes", "1")
FALSE_WORDS = ("false", "off", "no", "0")

CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")
LEAD_ID = re.compile(r"^[UWS][A-Z0-9]{2,}$")
INSTANCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
_X_KEYS = "from the X developer portal, Keys and tokens"
CSAT_DEFAULT_TEXT = ("Thanks for talking with us! How would you rate our help, from 1 (poor) "
                     "to 5 (great)? Just reply with a number.")


class SettingProblem(Exception):
    """One or more problems with one setting's value; each line names the setting."""

    def __init__(self, *problems: str) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Parser:
    """Turns a non-empty raw value into the setting's value; ``bounds`` is shown in help."""

    read: Callable[[str, str], object]
    bounds: str = ""

    def __call__(self, name: str, raw: str) -> object:
        return self.read(name, raw)


def text(pattern: re.Pattern[str] | str | None = None, *, max_length: int = 0,
         bounds: str = "") -> Parser:
    def read(name: str, raw: str) -> str:
        if pattern is not None and not re.match(pattern, raw):
            raise SettingProblem(f"{name} does not look right: {_HELP[name]}")
        if max_length and len(raw) > max_length:
            raise SettingProblem(f"{name} is longer than the {max_length} characters allowed")
        return raw
    return Parser(read, bounds)


def whole(low: int, high: int) -> Parser:
    def read(name: str, raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise SettingProblem(f"{name} must be a whole number from {low} to {high}, "
                                 f"got {raw[:40]!r}") from None
        if not low <= value <= high:
            raise SettingProblem(f"{name} must be from {low} to {high}, got {value}")
        return value
    return Parser(read, f"{low} to {high}")


def decimal(high: float) -> Parser:
    def read(name: str, raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not 0 <= value <= high:
            raise SettingProblem(f"{name} must be a number from 0 to {high:g}, got {raw[:20]!r}")
        return value
    return Parser(read, f"0 to {high:g}")


def _boolean(name: str, raw: str) -> bool:
    word = raw.strip().lower()
    if word not in TRUE_WORDS + FALSE_WORDS:
        raise SettingProblem(f"{name} must be true or false (or on/off, yes/no, 1/0), "
                             f"got {raw[:20]!r}")
    return word in TRUE_WORDS


def _url(*, trailing_slash: bool) -> Parser:
    def read(name: str, raw: str) -> str:
        if not re.match(r"^https?://", raw):
            raise SettingProblem(f"{name} does not look right: {_HELP[name]}")
        return raw if not trailing_slash or raw.endswith("/") else raw + "/"
    return Parser(read)


def _lead_ids(name: str, raw: str) -> tuple[str, ...]:
    leads = tuple(p.strip() for p in raw.split(",") if p.strip())
    bad = [f"{name}: {lead[:40]!r} is not a Slack user id (U.../W...) or user group id (S...)"
           for lead in leads if not LEAD_ID.match(lead)]
    if not leads:
        bad.append(f"{name} is not set: {_HELP[name]}")
    if bad:
        raise SettingProblem(*bad)
    return leads


def _escalation_channels(name: str, raw: str) -> tuple[tuple[str, str], ...]:
    """``legal=C123,comms=C456`` -> (("legal", "C123"), ("comms", "C456"))."""
    pairs, bad = [], []
    for part in (p.strip() for p in raw.split(",") if p.strip()):
        department, _, channel = (s.strip() for s in part.partition("="))
        if not department or not CHANNEL_ID.match(channel) or len(department) > 30:
            bad.append(f"{name}: cannot read {part[:60]!r}. Expected department=channel id "
                       "pairs, e.g. legal=C0123ABCD,comms=C0456EFGH")
            continue
        pairs.append((department, channel))
    if bad:
        raise SettingProblem(*bad)
    return tuple(pairs)


def _database_url(name: str, raw: str) -> str:
    if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", raw):
        raise SettingProblem(f"{name} must start with sqlite:/// or postgresql+psycopg://")
    return raw


def _signature_format(name: str, raw: str) -> str:
    if "{initials}" not in raw or len(raw) > 20:
        raise SettingProblem(f'{name} must contain {{initials}} and be at most 20 characters, '
                             'e.g. " ^{initials}" or " -{initials}"')
    return raw


def _nudges(name: str, raw: str) -> object:
    try:
        return parse_nudges(raw)
    except ValueError as exc:
        raise SettingProblem(str(exc)) from None


def _yaml_file(name: str, raw: str, load: Callable[[str], object]) -> object:
    """What ``load`` reads from the file at ``raw``; each problem with its file and line."""
    from bot.domain.yaml_file import YamlFileError

    try:
        return load(raw)
    except YamlFileError as exc:
        raise SettingProblem(*(f"{name}: {exc.source}, line {p.line}: {p.reason}"
                               for p in exc.problems)) from None


def _replies_file(name: str, raw: str) -> str:
    """The path, once the file reads as saved replies (each problem with its line)."""
    from bot.domain.saved_replies_file import load_saved_replies

    _yaml_file(name, raw, load_saved_replies)
    return raw


def _routes_file(name: str, raw: str) -> object:
    """The triage chart read from the file (each problem with its line)."""
    from bot.domain.routes import load_routes

    return _yaml_file(name, raw, load_routes)


def _instance_id(name: str, raw: str) -> str:
    if not INSTANCE_ID.match(raw):
        raise SettingProblem(f"{name} must be 1 to 64 letters, digits, '.', '_', ':' or '-', "
                             f"got {raw[:70]!r}")
    return raw


def _report_schedule(name: str, raw: str) -> object:
    try:
        return parse_report_schedule(raw)
    except ReportScheduleError as exc:
        raise SettingProblem(f"{name}: {exc}") from None


BOOLEAN = Parser(_boolean, "true or false")
VERBATIM = Parser(lambda _name, raw: raw)


@dataclass(frozen=True)
class Setting:
    """One environment variable. ``field`` is the Settings field it fills (None when a
    group reads it, see bot.config). ``default`` is as documented; an empty value keeps
    the field's own default. ``required`` is True, or a sentence saying when."""

    name: str
    section: str
    help: str
    parse: Parser = VERBATIM
    default: str = ""
    default_text: str = ""  # a default that is not one value, e.g. "always open"
    field: str | None = None
    required: bool | str = False
    secret: bool = False
    strip: bool = True

    def required_in(self, env: Mapping[str, str]) -> bool:
        if self.required is True:
            return True
        if self.name == "SLACK_SIGNING_SECRET":
            return not (env.get("SLACK_APP_TOKEN") or "").strip()
        return False


def _s(name: str, section: str, help: str, parse: Parser = VERBATIM, default: str = "", *,
       field: str | None = "", **kw) -> Setting:
    return Setting(name=name, section=section, help=help, parse=parse, default=default,
                   field=name.lower() if field == "" else field, **kw)


SLACK, TEAM, HOURS, TRIAGE, XS, STORE = (
    "Slack (api.slack.com/apps -> your app)", "The care team", "Office hours and response times",
    "Triage and crisis", "X (developer.x.com -> your app -> Keys and tokens)",
    "Storage and instances")

TABLE: tuple[Setting, ...] = (
    _s("SLACK_BOT_TOKEN", SLACK, "the Bot User OAuth Token (xoxb-...) from your Slack app's "
       "OAuth & Permissions page", text(r"^xoxb-"), required=True, secret=True),
    _s("SLACK_APP_TOKEN", SLACK, "an app-level token (xapp-...) with connections:write, from "
       "Basic Information > App-Level Tokens; set it for Socket Mode (one instance, no public "
       "URL)", text(r"^xapp-"), secret=True),
    _s("SLACK_SIGNING_SECRET", SLACK, "the Signing Secret from Basic Information (needed in "
       "HTTP mode, that is when SLACK_APP_TOKEN is not set)", required="in HTTP mode",
       secret=True),
    _s("SLACK_API_URL", SLACK, "Slack Web API base URL, such as https://slack.com/api/ (only "
       "change it for a local stand-in)", _url(trailing_slash=True), SLACK_DEFAULT_API_URL),
    _s("PORT", SLACK, "HTTP mode: the port that serves POST /slack/events and GET /healthz",
       whole(1, 65535), "3000"),
    _s("CARE_CHANNEL_ID", TEAM, "the id of the care channel, e.g. C0123ABCD (channel details > "
       "About, at the bottom)", text(CHANNEL_ID), required=True),
    _s("CARE_LEAD_IDS", TEAM, "comma-separated Slack user ids of the team leads (U...), or a "
       "user group id (S...); nobody approves their own draft", Parser(_lead_ids),
       field="lead_ids", required=True),
    _s("CARE_ESCALATION_CHANNELS", TEAM, "department=channel id pairs for escalations, e.g. "
       "legal=C0123ABCD,comms=C0456EFGH", Parser(_escalation_channels),
       field="escalation_channels"),
    _s("CARE_QUIET_CHANNEL_ID", TEAM, "the id of a channel for filtered posts in compact form, "
       "e.g. C0456EFGH", text(CHANNEL_ID), field="quiet_channel_id"),
    _s("CARE_SIGNATURE_FORMAT", TEAM, "how public replies are signed; must contain {initials}",
       Parser(_signature_format, "at most 20 characters"), " ^{initials}",
       field="signature_format", strip=False),
    _s("CARE_STICKY_ASSIGN", TEAM, "give a returning customer's case to the agent who helped "
       "them last", BOOLEAN, "false", field="sticky_assign"),
    _s("CARE_STICKY_DAYS", TEAM, "how recently that agent must have helped", whole(1, 365),
       "30", field="sticky_days"),
    _s("CARE_ALLOW_EXTERNAL_USERS", TEAM, "users from other organisations in a Slack Connect "
       "channel may claim, approve and close", BOOLEAN, "false", field="allow_external_users"),
    _s("CARE_SLA_MINUTES", HOURS, "first-response target, in office-hour minutes",
       whole(1, 60 * 24 * 14), "60", field="sla_minutes"),
    _s("CARE_FOLLOWUP_SLA_MINUTES", HOURS, "target after a customer's follow-up or a reopen",
       whole(1, 60 * 24 * 14), default_text="= CARE_SLA_MINUTES",
       field="followup_sla_minutes"),
    _s("CARE_TIMEZONE", HOURS, "IANA time zone name, e.g. Europe/Berlin", default="UTC",
       field=None),
    _s("CARE_OFFICE_HOURS", HOURS, "e.g. mon-fri 09:00-12:30,13:30-18:00; sat 10:00-14:00 "
       "(split shifts, overnight 22:00-06:00)", default_text="always open", field=None),
    _s("CARE_HOLIDAYS", HOURS, "public holidays of a country and region, e.g. US-NY, DE-BE, "
       "GB-SCT", field=None),
    _s("CARE_CLOSED_DATES", HOURS, "extra closures, e.g. 2026-12-24..2026-12-26, 2026-12-31",
       field=None),
    _s("CARE_NUDGES", HOURS, "nudge levels (share of the target) and whom they mention",
       Parser(_nudges), "warning@75:assignee; breach@100:assignee,leads; escalation@200:leads",
       field="nudges"),
    _s("CARE_REOPEN_DAYS", HOURS, "a follow-up reopens a case closed this recently",
       whole(0, 365), "7", field="reopen_days"),
    _s("CARE_SILENCE_ALERT_HOURS", HOURS, "tell the channel when no mention came for this many "
       "office hours (0: off)", decimal(24 * 30), "0", field="silence_alert_hours"),
    _s("CARE_URGENT_KEYWORDS", TRIAGE, "comma-separated words that make a post urgent; "
       "replace the built-in list", default_text="built in", field=None),
    _s("CARE_SPAM_KEYWORDS", TRIAGE, "comma-separated spam markers; replace the built-in list",
       default_text="built in", field=None),
    _s("CARE_RESPOND_KINDS", TRIAGE, "kinds that become cases (high priority always does)",
       default="question,complaint", field=None),
    _s("CARE_HIGH_REACH_FOLLOWERS", TRIAGE, "a complaint from this many followers is high "
       "priority", default="10000", field=None),
    _s("CARE_SUPPORT_ACCOUNT", TRIAGE, "the handle is a support account: a post to it that no "
       "rule explains is a case. auto (its name says help, support, care or service), true, false",
       default="auto", field=None),
    _s("CARE_CRISIS_MIN_POSTS", TRIAGE, "crisis: at least this many posts in the window",
       default="20", field=None),
    _s("CARE_CRISIS_WINDOW_MINUTES", TRIAGE, "crisis: the window compared with the usual "
       "level for that hour of the week", default="15", field=None),
    _s("CARE_CRISIS_VOLUME_FACTOR", TRIAGE, "crisis: volume over the usual level, e.g. 3 or 3x",
       default="3", field=None),
    _s("CARE_CRISIS_NEGATIVE_SHARE", TRIAGE, "crisis: share of negative posts, e.g. 0.5 or 50%",
       default="0.5", field=None),
    _s("CARE_CRISIS_CALM_MINUTES", TRIAGE, "crisis mode ends after this many calm minutes",
       default="30", field=None),
    _s("CARE_CRISIS_IGNORE_TERMS", TRIAGE, "comma-separated terms left out of crisis topics",
       field=None),
    _s("X_BEARER_TOKEN", XS, f"the app's Bearer Token, {_X_KEYS}", required=True, secret=True),
    _s("X_API_KEY", XS, f"the API Key (consumer key), {_X_KEYS}", required=True, secret=True),
    _s("X_API_SECRET", XS, f"the API Key Secret, {_X_KEYS}", required=True, secret=True),
    _s("X_ACCESS_TOKEN", XS, f"the brand account's Access Token (read and write, DMs), "
       f"{_X_KEYS}", required=True, secret=True),
    _s("X_ACCESS_TOKEN_SECRET", XS, f"the brand account's Access Token Secret, {_X_KEYS}",
       required=True, secret=True),
    _s("X_API_URL", XS, "a URL such as https://api.twitter.com, standing in for X's host "
       "(tests, sandbox)", _url(trailing_slash=False), X_DEFAULT_API_URL),
    _s("X_POLL_SECONDS", XS, "seconds between polls for new mentions", whole(5, 3600), "60"),
    _s("X_DM_POLL_SECONDS", XS, "seconds between DM polls (X allows 15 DM reads per 15 min)",
       whole(60, 3600), "120"),
    _s("X_SEARCH_QUERY", XS, "listen beyond @mentions, e.g. \"Acme Air\" OR acmeair "
       "-is:retweet; hits without a mention can only be answered by DM",
       text(max_length=512, bounds="at most 512 characters")),
    _s("X_SEARCH_POLL_SECONDS", XS, "seconds between searches", whole(60, 86400), "300"),
    _s("CARE_X_PRICE_PER_READ", XS, "your plan's price per post read (the spend estimate in "
       "/care status)", decimal(10), "0.005", field="price_per_read"),
    _s("CARE_X_PRICE_OWNED_READ", XS, "your plan's price per read of the brand's own posts",
       decimal(10), "0.001", field="price_per_owned_read"),
    _s("CARE_X_MONTHLY_READ_CAP", XS, "warn in /care status as reads near this monthly cap "
       "(0: off)", whole(0, 10**9), "0", field="monthly_read_cap"),
    _s("DATABASE_URL", STORE, "SQLite, or postgresql+psycopg://user:password@host/db for "
       "several instances", Parser(_database_url), "sqlite:///care.db"),
    _s("CARE_INSTANCE_ID", STORE, "this instance's stable name: a restarted process takes its "
       "polling leases back at once; two live processes never share one",
       Parser(_instance_id, "1 to 64 letters, digits, . _ : -"),
       default_text="host name + digest of folder, database and port", field="instance_id"),
    _s("CARE_REPORT_SCHEDULE", TEAM, "post reports by themselves, in CARE_TIMEZONE: daily HH:MM "
       "(yesterday), mon HH:MM (any weekday: the last week), monthly D HH:MM (the last month), "
       "separated by ;", Parser(_report_schedule, "e.g. daily 07:00; mon 08:00"),
       field="report_schedule"),
    _s("CARE_REPORT_CHANNEL_ID", TEAM, "the channel scheduled reports go to",
       text(CHANNEL_ID), default_text="the care channel", field="report_channel_id"),
    _s("CARE_REPLIES_FILE", TEAM, "a YAML file of saved replies, imported at start-up and on "
       "/care replies reload (the file wins for the titles it holds)", Parser(_replies_file),
       field="replies_file"),
    _s("CARE_FAQ_URL", TEAM, "the team's FAQ page: the {faq_url} of saved replies, shown by "
       "/care hours", _url(trailing_slash=False), field="faq_url"),
    _s("CARE_PHONE_NUMBER", TEAM, "the support line given to a customer moved to the phone, "
       "e.g. +1 800 555 0100", text(r"^\+?[0-9][0-9 ().-]{5,30}$"), field="phone_number"),
    _s("CARE_ROUTES_FILE", TEAM, "the triage chart: a YAML file of routes that send cases to "
       "team channels, each with its leads, target and hours (see README, Routes)",
       Parser(_routes_file), default_text="every case in CARE_CHANNEL_ID", field="routes"),
    _s("CARE_CSAT", TEAM, "ask the customer of a case handled by DM for a rating from 1 to 5 "
       "once it is closed as resolved (a reply of 1-5 within 3 days is recorded on the case)",
       BOOLEAN, "false", field="csat"),
    _s("CARE_CSAT_TEXT", TEAM, "the DM that asks for the rating",
       text(max_length=500, bounds="at most 500 characters"), CSAT_DEFAULT_TEXT,
       field="csat_text"),
)
_HELP = {s.name: s.help for s in TABLE}
BY_NAME = {s.name: s for s in TABLE}


def _literal(value: str) -> str:
    return f'"{value}"' if value != value.strip() or re.search(r"[\s;#]", value) else value


def env_example() -> str:
    """The whole ``.env.example``: each setting with its help, bounds and default."""
    out = ["# Care desk settings. Copy to .env and fill in. `python app.py --sandbox` needs none",
           "# of them. Written from bot/settings_table.py by",
           "# `python -m bot.settings_table --env-example > .env.example`."]
    section = None
    for s in TABLE:
        if s.section != section:
            section = s.section
            out += ["", f"# --- {section} " + "-" * max(3, 86 - len(section))]
        notes = [n for n in (s.parse.bounds, _default_note(s)) if n]
        line = s.help[0].upper() + s.help[1:] + (f" ({'; '.join(notes)})" if notes else "") + "."
        if s.required:
            line += " Required" + ("" if s.required is True else f" {s.required}") + "."
        out += [f"# {part}" for part in _wrap(line)]
        shown = s.required or s.secret
        out.append(f"{s.name}=" if shown else f"# {s.name}={_literal(s.default)}")
    return "\n".join(out) + "\n"


def readme_table() -> str:
    """README's settings table, one row per setting."""
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    for s in TABLE:
        if s.required:
            default = "required" + ("" if s.required is True else f" {s.required}")
        elif s.default:
            default = f"`{s.default}`"
        else:
            default = s.default_text or "–"
        meaning = s.help + (f" ({s.parse.bounds})" if s.parse.bounds else "")
        rows.append(f"| `{s.name}` | {default} | {meaning} |")
    return "\n".join(rows) + "\n"


def _default_note(s: Setting) -> str:
    if s.default:
        return f"default {_literal(s.default)}"
    return f"default {s.default_text}" if s.default_text else ""


def _wrap(line: str, width: int = 92) -> list[str]:
    lines, current = [], ""
    for word in re.findall(r'\S*"[^"]*"\S*|\S+', line):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return lines + [current]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--env-example", action="store_true", help="print .env.example")
    which.add_argument("--readme-table", action="store_true", help="print README's table")
    args = parser.parse_args(argv)
    sys.stdout.write(env_example() if args.env_example else readme_table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
