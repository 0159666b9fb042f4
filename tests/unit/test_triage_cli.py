"""``python app.py triage``: the JSON lines contract, bad lines, settings and --evaluate.

Runs app.py as a subprocess with no Slack or X settings in its environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_STRIPPED = ("SLACK_", "X_", "CARE_", "DATABASE_URL")


def run(args: list[str], *, stdin: str = "", env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(_STRIPPED)}
    return subprocess.run(
        [sys.executable, str(ROOT / "app.py"), "triage", *args], input=stdin, text=True,
        capture_output=True, env={**base, **(env or {})}, cwd=cwd or ROOT, timeout=120,
    )


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def jsonl(*rows: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows)


def test_one_verdict_line_per_post_from_stdin(tmp_path: Path) -> None:
    posts = jsonl(
        {"id": "a1", "text": "@brand my order never arrived and nobody answers"},
        {"id": 7, "text": "@brand thank you, the crew were lovely!", "author_followers": 50},
        {"text": "@brand follow back f4f"},
    )
    result = run([], stdin=posts, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = lines(result.stdout)
    assert [row["id"] for row in out] == ["a1", 7, None]
    for row in out:
        assert set(row) == {"id", "case", "lane", "kind", "priority", "reason"}
        assert row["case"] == (row["lane"] == "case") and row["reason"]
    assert (out[0]["lane"], out[0]["kind"]) == ("case", "complaint")
    assert (out[1]["lane"], out[1]["kind"], out[1]["priority"]) == ("praise", "praise", "low")
    assert (out[2]["lane"], out[2]["kind"]) == ("filtered", "spam")


def test_brand_handle_defaults_to_the_setting_then_to_brand(tmp_path: Path) -> None:
    post = jsonl({"id": 1, "text": "@globex your support SUCKS!!!"},
                 {"id": 2, "text": "@globex your support SUCKS!!!", "brand_handle": "initech"})
    with_setting = lines(run([], stdin=post, env={"CARE_BRAND_HANDLE": "@globex"},
                             cwd=tmp_path).stdout)
    assert with_setting[0]["case"] is True
    # an insult at another account than the brand this line names: not for the brand
    assert with_setting[1]["case"] is False
    without = lines(run([], stdin=post, cwd=tmp_path).stdout)
    assert without[0]["case"] is False


def test_files_are_read_in_order(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(jsonl({"id": "1", "text": "@brand where is my refund?"}), encoding="utf-8")
    second.write_text(jsonl({"id": "2", "text": "@brand lol"}), encoding="utf-8")
    result = run([str(first), str(second)], cwd=tmp_path)
    assert result.returncode == 0
    assert [(r["id"], r["case"]) for r in lines(result.stdout)] == [("1", True), ("2", False)]


def test_bad_lines_are_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    posts = jsonl("{not json", {"id": "x", "txt": "no text field"}, "[1, 2]",
                  {"id": "ok", "text": "@brand my card was charged twice"},
                  {"text": "@brand hi", "author_followers": "many"})
    result = run([], stdin=posts, cwd=tmp_path)
    assert result.returncode == 1
    out = lines(result.stdout)
    assert [row.get("line") for row in out] == [1, 2, 3, None, 5]
    assert "not valid JSON" in out[0]["error"] and '"text"' in out[1]["error"]
    assert "object" in out[2]["error"] and "author_followers" in out[4]["error"]
    assert out[3]["id"] == "ok" and out[3]["case"] is True


def test_unreadable_file_and_bad_setting_exit_2(tmp_path: Path) -> None:
    missing = run([str(tmp_path / "nope.jsonl")], cwd=tmp_path)
    assert missing.returncode == 2 and "nope.jsonl" in missing.stderr
    assert missing.stdout == ""
    bad = run([], stdin=jsonl({"text": "@brand hi"}),
              env={"CARE_RESPOND_KINDS": "question,complains"}, cwd=tmp_path)
    assert bad.returncode == 2
    assert "complains" in bad.stderr and "valid kinds" in bad.stderr
    unsure = run([], stdin=jsonl({"text": "@brand hi"}),
                 env={"CARE_SUPPORT_ACCOUNT": "sometimes"}, cwd=tmp_path)
    assert unsure.returncode == 2 and "sometimes" in unsure.stderr and unsure.stdout == ""


def test_triage_settings_are_used(tmp_path: Path) -> None:
    post = jsonl({"id": 1, "text": "@brand thank you, great flight!"},
                 {"id": 2, "text": "@brand is this jacket part of the recall?"})
    default = lines(run([], stdin=post, cwd=tmp_path).stdout)
    assert default[0]["case"] is False and default[1]["priority"] == "normal"
    tuned = lines(run([], stdin=post, cwd=tmp_path, env={
        "CARE_RESPOND_KINDS": "question,complaint,praise",
        "CARE_URGENT_KEYWORDS": "recall"}).stdout)
    assert tuned[0]["case"] is True and tuned[0]["lane"] == "case"
    assert tuned[1]["priority"] == "high" and "urgent: recall" in tuned[1]["reason"]


def test_the_support_account_setting_is_used(tmp_path: Path) -> None:
    post = jsonl({"id": 1, "text": "@brand It was Leeds, by the bridge"},
                 {"id": 2, "text": "@BrandHelp It was Leeds, by the bridge",
                  "brand_handle": "BrandHelp"})
    default = lines(run([], stdin=post, cwd=tmp_path).stdout)
    assert [row["case"] for row in default] == [False, True]
    assert "support account" in default[1]["reason"]
    turned_on = lines(run([], stdin=post, cwd=tmp_path,
                          env={"CARE_SUPPORT_ACCOUNT": "true"}).stdout)
    turned_off = lines(run([], stdin=post, cwd=tmp_path,
                           env={"CARE_SUPPORT_ACCOUNT": "false"}).stdout)
    assert [row["case"] for row in turned_on] == [True, True]
    assert [row["case"] for row in turned_off] == [False, False]


def test_a_post_in_a_language_the_rules_cannot_read_becomes_a_marked_case(
        tmp_path: Path) -> None:
    posts = jsonl({"id": 1, "text": "@brand طلبي لم يصل بعد"},
                  {"id": 2, "text": "@brand sipariş gelmedi", "lang": "tr"})
    out = lines(run([], stdin=posts, cwd=tmp_path).stdout)
    assert out[0]["case"] and "Arabic" in out[0]["reason"]
    assert out[1]["case"] and "Turkish" in out[1]["reason"]


@pytest.mark.parametrize("as_json", [False, True])
def test_evaluate_prints_precision_recall_and_count_per_lane(
        tmp_path: Path, as_json: bool) -> None:
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text(jsonl(
        {"text": "@brand my order never arrived", "label": "case"},
        {"text": "@brand where is my refund?", "label": "case"},
        {"text": "@brand thank you, lovely crew!", "label": "praise"},
        {"text": "@brand follow back f4f", "label": "case"},
        {"text": "@brand lol", "label": "filtered"},
    ), encoding="utf-8")
    result = run(["--evaluate", str(labelled), *(["--json"] if as_json else [])], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    if as_json:
        table = json.loads(result.stdout)
        assert table["posts"] == 5
        case = table["lanes"]["case"]
        assert (case["precision"], case["recall"], case["count"]) == (1.0, 0.6667, 3)
        assert table["lanes"]["filtered"]["precision"] == 0.5
        assert table["lanes"]["praise"]["count"] == 1
    else:
        rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()}
        assert rows["case"] == ["1.000", "0.667", "3", "2"]
        assert rows["praise"] == ["1.000", "1.000", "1", "1"]
        assert rows["filtered"] == ["0.500", "1.000", "1", "2"]


def test_evaluate_reports_a_bad_label(tmp_path: Path) -> None:
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text(jsonl({"text": "@brand lol", "label": "maybe"},
                              {"text": "@brand lol", "label": "filtered"}), encoding="utf-8")
    result = run(["--evaluate", str(labelled), "--json"], cwd=tmp_path)
    assert result.returncode == 1
    assert '"line": 1' in result.stderr and "label" in result.stderr
    assert json.loads(result.stdout)["posts"] == 1


def test_ten_thousand_lines_in_a_few_seconds(tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    sample = ["@brand my order never arrived", "@brand thanks!", "@brand where is my bag?",
              "lovely day at the beach", "@brand follow back f4f"]
    big.write_text(jsonl(*({"id": i, "text": sample[i % 5]} for i in range(10_000))),
                   encoding="utf-8")
    result = run([str(big)], cwd=tmp_path)
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 10_000
