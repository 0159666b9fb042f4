"""The triage chart: parsing with lines and reasons, first-match selection, per-route policy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.config import Settings, SettingsError
from bot.domain.case import CaseState
from bot.domain.model import Author, Case, Draft, DraftStatus
from bot.domain.office_hours import OfficeHours
from bot.domain.routes import CaseStory, RoutesFileError, parse_routes, post_language
from bot.domain.sla import SlaPolicy
from bot.render.route_story import story_messages
from bot.services.leads import LeadDirectory
from bot.services.routing import Roster, RouteDesk

CHART = """\
routes:
  - name: baggage
    channel: C0BAGS
    leads: [U0BAGLEAD]
    agents: [U0BAG1, S0BAGTEAM]
    match:
      keywords: [bag, baggage, luggage, "lost and found"]
      kinds: [question, complaint]
    sla_minutes: 30
    office_hours: "mon-fri 09:00-17:00"
    timezone: Europe/Madrid
  - name: spanish
    channel: C0ES
    match: {languages: [es]}
  - name: urgent
    channel: C0URGENT
    match: {priority: high}
"""


def chart():
    return parse_routes(CHART, source="routes.yml")


def pick(text, *, kind="question", priority="normal", language="en"):
    route = chart().select(text=text, kind=kind, priority=priority, language=language)
    return route.name if route else None


def test_first_matching_route_takes_the_post():
    assert pick("Where is my BAG?") == "baggage"
    assert pick("the lost and found desk never answers") == "baggage"
    assert pick("my bag!", kind="praise") is None  # keyword but not a kind it takes
    assert pick("handbags are nice") is None  # whole words only
    assert pick("¿dónde está mi maleta?", language="es") == "spanish"
    assert pick("mi bag", language="es") == "baggage"  # earlier routes win
    assert pick("flight cancelled", priority="high") == "urgent"
    assert pick("flight cancelled") is None


def test_route_fields_are_read():
    bags = chart().named("baggage")
    assert bags.channel == "C0BAGS" and bags.leads == ("U0BAGLEAD",)
    assert bags.agents == ("U0BAG1", "S0BAGTEAM") and bags.sla_minutes == 30
    assert bags.match.describe() == ("keywords bag, baggage, luggage, lost and found; "
                                     "kinds complaint, question")
    assert chart().of_channel("C0ES").name == "spanish"
    assert chart().channels == ("C0BAGS", "C0ES", "C0URGENT")



class Groups:
    """``usergroups.users.list`` as a function; counts the reads."""

    def __init__(self, members: dict[str, list[str]]) -> None:
        self.members, self.reads = members, 0

    def __call__(self, group: str) -> list[str]:
        self.reads += 1
        if group not in self.members:
            raise LookupError(group)
        return list(self.members[group])


def route_desk(groups: Groups) -> RouteDesk:
    return RouteDesk(chart=chart(), policy=SlaPolicy(hours=OfficeHours()), care_channel="C0CARE",
                     leads=LeadDirectory(lead_ids=("U0LEAD",), members_of=groups),
                     members_of=groups)


def test_a_routes_agents_are_its_ids_and_the_members_of_its_user_groups():
    groups = Groups({"S0BAGTEAM": ["U0INTEAM"]})
    routes = route_desk(groups)
    assert routes.takes_agent("baggage", "U0BAG1") and routes.takes_agent("baggage", "U0INTEAM")
    assert not routes.takes_agent("baggage", "U0OTHER")
    assert not routes.takes_agent("baggage", None)
    assert routes.takes_agent("spanish", "U0ANYONE") and routes.takes_agent(None, "U0ANYONE")


def test_user_group_members_are_read_again_now_and_then_and_kept_when_slack_fails():
    groups = Groups({"S0TEAM": ["U1"]})
    now = [0.0]
    roster = Roster(ids=("U0", "S0TEAM"), members_of=groups, ttl_seconds=60,
                    monotonic=lambda: now[0])
    assert roster.includes("U1") and not roster.includes("U2")
    groups.members["S0TEAM"] = ["U2"]
    now[0] = 59.0
    assert roster.includes("U1") and groups.reads == 1  # still trusted
    now[0] = 61.0
    assert roster.includes("U2") and not roster.includes("U1") and groups.reads == 2
    del groups.members["S0TEAM"]  # Slack cannot say now: the members stay as they were
    now[0] = 200.0
    assert roster.includes("U2") and roster.includes("U0")


def test_route_policy_uses_its_target_and_hours():
    base = SlaPolicy(hours=OfficeHours(), first_minutes=60, followup_minutes=90)
    policy = chart().named("baggage").policy(base)
    assert policy.first_minutes == 30 and policy.followup_minutes == 30
    saturday = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    assert not policy.hours.is_open(saturday) and base.hours.is_open(saturday)
    # Monday 09:00 in Madrid is 08:00 UTC: 30 minutes later
    assert policy.deadline(saturday, 30) == datetime(2026, 12, 7, 8, 30, tzinfo=UTC)
    assert chart().named("spanish").policy(base) == base


@pytest.mark.parametrize("text, line, reason", [
    ("routes:\n  - name: a\n    channel: C0A\n    colour: red\n", 4, "unknown key 'colour'"),
    ("routes:\n  - name: a\n    channel: c0a\n", 3, "not a Slack channel id"),
    ("routes:\n  - name: a\n    channel: C0A\n    leads: [bob]\n", 4, "'bob' is not a Slack"),
    ("routes:\n  - name: a\n    channel: C0A\n    office_hours: mon-fry 9-17\n", 4,
     'unknown day "fry"'),
    ("routes:\n  - name: a\n    channel: C0A\n    timezone: Mars/Base\n", 4, "Mars/Base"),
    ("routes:\n  - name: a\n    channel: C0A\n    match: {kinds: [moan]}\n", 4,
     "unknown kind 'moan'"),
    ("routes:\n  - name: a\n    channel: C0A\n    match: {priority: huge}\n", 4, "priority"),
    ("routes:\n  - name: a\n    channel: C0A\n    sla_minutes: soon\n", 4, "sla_minutes"),
    ("routes:\n  - name: a\n", 2, "missing channel"),
    ("routes:\n  - name: a\n    channel: C0A\n  - name: a\n    channel: C0B\n", 4,
     "named twice"),
    ("routes:\n  - name: a\n   channel: C0A\n", 3, "not valid YAML"),
    ("rooutes: []\n", 1, "unknown key 'rooutes'"),
])
def test_a_bad_chart_names_the_line_and_the_reason(text, line, reason):
    with pytest.raises(RoutesFileError) as caught:
        parse_routes(text, source="routes.yml")
    assert any(p.line == line and reason in p.reason for p in caught.value.problems), \
        caught.value.problems
    assert str(caught.value).startswith("routes.yml, line ")


def test_empty_file_is_no_chart():
    assert not parse_routes("", source="r.yml")


def test_languages_follow_x_then_the_guess():
    assert post_language(x_lang="es", guessed=None) == "es"
    assert post_language(x_lang="und", guessed="fr") == "fr"
    assert post_language(x_lang="und", guessed=None) == "und"
    assert post_language(x_lang=None, guessed=None) == "en"


def _env(**extra):
    return {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "CARE_CHANNEL_ID": "C0CARE",
            "CARE_LEAD_IDS": "U0LEAD", "X_BEARER_TOKEN": "b", "X_API_KEY": "k",
            "X_API_SECRET": "s", "X_ACCESS_TOKEN": "t", "X_ACCESS_TOKEN_SECRET": "ts", **extra}


def test_setting_reads_the_chart(tmp_path):
    path = tmp_path / "routes.yml"
    path.write_text(CHART)
    settings = Settings.from_env(_env(CARE_ROUTES_FILE=str(path)))
    assert [r.name for r in settings.routes.routes] == ["baggage", "spanish", "urgent"]
    assert not Settings.from_env(_env()).routes


def test_a_bad_chart_refuses_the_settings(tmp_path):
    path = tmp_path / "routes.yml"
    path.write_text("routes:\n  - name: a\n    channel: nope\n")
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(_env(CARE_ROUTES_FILE=str(path)))
    assert caught.value.problems == [
        f"CARE_ROUTES_FILE: {path}, line 3: channel 'nope' is not a Slack channel id "
        "(C... or G...)"]
    with pytest.raises(SettingsError, match="cannot be read"):
        Settings.from_env(_env(CARE_ROUTES_FILE=str(tmp_path / "missing.yml")))


def test_start_up_refuses_a_bad_chart_with_exit_2(tmp_path, monkeypatch, capsys):
    from app import main

    path = tmp_path / "routes.yml"
    path.write_text("routes:\n  - name: bags\n    channel: C0BAGS\n    leeds: [U0A]\n")
    env_file = tmp_path / "care.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in _env(
        CARE_ROUTES_FILE=str(path)).items()))
    for name in (*_env(), "CARE_ROUTES_FILE"):
        monkeypatch.delenv(name, raising=False)
    assert main(["--env-file", str(env_file)]) == 2
    err = capsys.readouterr().err
    assert f"CARE_ROUTES_FILE: {path}, line 4: unknown key 'leeds' in a route" in err


def test_a_long_story_is_carried_whole_in_messages_within_slacks_limits():
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    long_post = "@acme " + " ".join(f"word{i} <!here>" for i in range(2500))  # ~30,000 chars
    case = Case(id=3, state=CaseState.CLAIMED, source_post_id="186", text=long_post,
                customer=Author(id="7", username="jane", name="Jane"), post_created_at=now,
                assignee_id="U1", close_reason=None, slack_channel="C0BAGS", slack_ts="1.2",
                version=4, created_at=now)
    drafts = tuple(Draft(id=i, case_id=3, author_id="U1", text=f"draft {i}",
                         status=DraftStatus.SUPERSEDED) for i in range(1, 40))
    notes = tuple(f"note {i}" for i in range(1, 41))
    messages = story_messages(case=case, story=CaseStory(drafts=drafts, notes=notes))
    sections = [b["text"]["text"] for blocks, _ in messages for b in blocks]
    assert len(messages) >= 2 and all(len(blocks) <= 50 for blocks, _ in messages)
    assert all(len(text) <= 3000 for text in sections)
    carried = "".join(sections)
    assert "<!here>" not in carried and carried.count("&lt;!here&gt;") == 2500
    assert "word2499" in carried and "full text in thread" not in carried
    assert [s for s in sections if s.startswith("note ")] == list(notes)
    drafts_shown = [s.split("\n")[0] for s in sections if "· superseded" in s]
    assert len(drafts_shown) == 39 and drafts_shown[0].startswith("1. by <@U1>")
