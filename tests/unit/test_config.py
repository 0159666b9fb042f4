import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings, SettingsError

GOOD = {
    "SLACK_BOT_TOKEN": "xoxb-1-2-3", "SLACK_SIGNING_SECRET": "abc123secret",
    "CARE_CHANNEL_ID": "C0123ABCD", "CARE_LEAD_IDS": "U01LEAD, S0GROUP",
    "X_BEARER_TOKEN": "bearer-1", "X_API_KEY": "key-1", "X_API_SECRET": "secret-1",
    "X_ACCESS_TOKEN": "access-1", "X_ACCESS_TOKEN_SECRET": "access-secret-1",
}


def test_defaults_and_parsing():
    settings = Settings.from_env(GOOD)
    assert settings.lead_ids == ("U01LEAD", "S0GROUP")
    assert settings.sla_minutes == 60 and settings.x_poll_seconds == 60 and settings.port == 3000
    assert settings.database_url == "sqlite:///care.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.x_api_url == "https://api.twitter.com"
    assert not settings.socket_mode
    assert Settings.from_env({**GOOD, "SLACK_API_URL": "http://127.0.0.1:9/api"}).slack_api_url \
        == "http://127.0.0.1:9/api/"


def test_every_problem_is_reported_at_once_without_tokens():
    env = {**GOOD, "SLACK_BOT_TOKEN": "xapp-wrong-kind", "CARE_LEAD_IDS": "bob",
           "CARE_SLA_MINUTES": "soon", "X_POLL_SECONDS": "1", "DATABASE_URL": "mysql://x"}
    del env["X_API_KEY"]
    with pytest.raises(SettingsError) as err:
        Settings.from_env(env)
    problems = "\n".join(err.value.problems)
    for name in ("SLACK_BOT_TOKEN", "CARE_LEAD_IDS", "CARE_SLA_MINUTES", "X_POLL_SECONDS",
                 "DATABASE_URL", "X_API_KEY"):
        assert name in problems
    assert "xapp-wrong-kind" not in problems
    assert len(err.value.problems) == 6


def test_socket_mode_needs_no_signing_secret_and_repr_hides_tokens():
    env = {**GOOD, "SLACK_APP_TOKEN": "xapp-1-A1-2-abc"}
    del env["SLACK_SIGNING_SECRET"]
    settings = Settings.from_env(env)
    assert settings.socket_mode
    assert "xoxb" not in repr(settings) and "bearer-1" not in repr(settings)
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET"):
        Settings.from_env({k: v for k, v in GOOD.items() if k != "SLACK_SIGNING_SECRET"})


def test_app_exits_2_with_a_clear_message_and_no_traceback(tmp_path):
    root = Path(__file__).resolve().parents[2]
    empty_env = tmp_path / "empty.env"
    empty_env.write_text("")
    result = subprocess.run([sys.executable, str(root / "app.py"), "--env-file", str(empty_env)],
                            capture_output=True, text=True, cwd=tmp_path, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)})
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in result.stderr
    assert "CARE_CHANNEL_ID is not set" in result.stderr
    assert "--sandbox" in result.stderr
    assert "Traceback" not in result.stderr


def _run_app(root: Path, cwd: Path, env_file: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(root / "app.py"), "--env-file", str(env_file)],
                          capture_output=True, text=True, cwd=cwd, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)})


def test_the_settings_message_names_the_env_file_actually_read(tmp_path):
    root = Path(__file__).resolve().parents[2]
    env_file = tmp_path / "staging.env"
    env_file.write_text("CARE_SLA_MINUTES=soon\n")
    result = _run_app(root, tmp_path, env_file)
    assert result.returncode == 2
    assert f"Fix these settings in {env_file}" in result.stderr
    assert "in .env " not in result.stderr


def test_an_unreachable_x_is_not_called_a_credential_problem(tmp_path):
    root = Path(__file__).resolve().parents[2]
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env_file = tmp_path / "site.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in GOOD.items())
                        + f"X_API_URL=http://127.0.0.1:{port}\n"
                        + f"DATABASE_URL=sqlite:///{tmp_path / 'care.db'}\n")
    result = _run_app(root, tmp_path, env_file)
    assert result.returncode == 2
    assert "did not accept" not in result.stderr
    assert f"could not reach X at http://127.0.0.1:{port}" in result.stderr
    assert "X_API_URL" in result.stderr and "Traceback" not in result.stderr


def test_a_refused_credential_is_named_as_one():
    from app import _x_start_failure
    from bot.x.client import XAmbiguous, XRejected

    refused = _x_start_failure(XRejected("X answered 401: Unauthorized", 401), "https://x.test")
    assert "did not accept the brand's credentials" in refused and "X_API_KEY" in refused
    silent = _x_start_failure(XAmbiguous("no answer from X (Timeout)"), "https://x.test")
    assert "could not reach X at https://x.test" in silent and "did not accept" not in silent


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("ON", True), ("yes", True),
                                               ("1", True), ("false", False), ("off", False),
                                               ("No", False), ("0", False)])
def test_one_spelling_of_booleans_everywhere(raw, expected):
    settings = Settings.from_env({**GOOD, "CARE_STICKY_ASSIGN": raw,
                                  "CARE_ALLOW_EXTERNAL_USERS": raw})
    assert settings.sticky_assign is expected and settings.allow_external_users is expected


def test_a_bad_boolean_names_the_setting_and_the_accepted_words():
    with pytest.raises(SettingsError) as err:
        Settings.from_env({**GOOD, "CARE_ALLOW_EXTERNAL_USERS": "maybe",
                           "CARE_STICKY_ASSIGN": "sure"})
    assert err.value.problems == [
        "CARE_STICKY_ASSIGN must be true or false (or on/off, yes/no, 1/0), got 'sure'",
        "CARE_ALLOW_EXTERNAL_USERS must be true or false (or on/off, yes/no, 1/0), got 'maybe'"]


def test_new_settings_have_safe_defaults_and_an_instance_id_stable_for_one_place():
    settings = Settings.from_env(GOOD)
    assert settings.allow_external_users is False
    assert settings.instance_id == Settings.from_env(GOOD).instance_id
    other_port = Settings.from_env({**GOOD, "PORT": "3001"}).instance_id
    assert other_port != settings.instance_id and len(other_port) <= 64
    named = Settings.from_env({**GOOD, "CARE_INSTANCE_ID": "care-eu-1"})
    assert named.instance_id == "care-eu-1"
    with pytest.raises(SettingsError, match="CARE_INSTANCE_ID must be 1 to 64"):
        Settings.from_env({**GOOD, "CARE_INSTANCE_ID": "two words"})


def test_every_settings_field_is_read_by_the_table():
    from dataclasses import fields

    from bot.config import GROUPS
    from bot.settings_table import TABLE

    read = {s.field for s in TABLE if s.field} | set(GROUPS)
    assert read == {f.name for f in fields(Settings)} - {"secrets"}
    assert len({s.name for s in TABLE}) == len(TABLE)
    grouped = [s.name for s in TABLE if s.field is None]
    assert grouped and all(s.startswith("CARE_") for s in grouped)


def test_readme_and_env_example_are_written_from_the_table():
    from bot.settings_table import TABLE, env_example, readme_table

    root = Path(__file__).resolve().parents[2]
    assert (root / ".env.example").read_text() == env_example(), \
        "regenerate: python -m bot.settings_table --env-example > .env.example"
    readme = (root / "README.md").read_text()
    assert readme_table() in readme, "paste python -m bot.settings_table --readme-table"
    for setting in TABLE:
        assert f"{setting.name}=" in env_example()
        assert readme.count(f"| `{setting.name}` |") == 1


def test_env_example_reads_back_as_the_defaults(tmp_path):
    from dotenv import dotenv_values

    from bot.settings_table import TABLE

    root = Path(__file__).resolve().parents[2]
    commented = [line.removeprefix("# ") for line in
                 (root / ".env.example").read_text().splitlines()
                 if re.match(r"^# [A-Z_]+=", line)]
    example = tmp_path / "example.env"
    example.write_text("\n".join(commented) + "\n")
    values = {k: v for k, v in dotenv_values(example).items() if v}
    assert values["CARE_SIGNATURE_FORMAT"] == " ^{initials}"
    assert set(values) == {s.name for s in TABLE if s.default}
    assert Settings.from_env({**values, **GOOD}) == Settings.from_env(GOOD)


def test_the_tables_defaults_are_the_settings_defaults():
    from dataclasses import MISSING, fields

    from bot.settings_table import TABLE

    read = Settings.from_env(GOOD)
    declared = {f.name: f.default if f.default is not MISSING else f.default_factory()
                for f in fields(Settings) if f.default is not MISSING
                or f.default_factory is not MISSING}
    with_default = [s.field for s in TABLE if s.field and s.default]
    assert len(with_default) >= 15
    for name in with_default:
        assert getattr(read, name) == declared[name], name
