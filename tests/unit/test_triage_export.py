"""``python app.py triage --export-labels FILE``: the desk's corrections as labelled lines
that ``--evaluate`` reads; an unusable database or file exits 2."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from storage.labels import LabelledExample, TriageLabels
from tests.unit.test_triage_cli import run

NOW = datetime(2026, 12, 1, 10, tzinfo=UTC)


def example(post_id: str, text: str, label: str, **extra) -> LabelledExample:
    return LabelledExample(post_id=post_id, text=text, brand_handle="acme",
                           author_followers=40, lang=extra.get("lang"), triage_lane="filtered",
                           triage_kind="other", triage_reason="other: no request detected",
                           label=label, correction="filtered_made_case", labelled_by="U1")


def test_exported_examples_round_trip_through_evaluate(db, database_url, tmp_path):
    labels = TriageLabels(db)
    assert labels.record(example("11", "@acme your app seems to be down", "case"), now=NOW)
    assert labels.record(example("12", "@acme مرحبا، طلبي لم يصل", "case", lang="ar"), now=NOW)
    assert not labels.record(example("11", "@acme again", "filtered"), now=NOW)  # one per post
    out = tmp_path / "desk.jsonl"
    done = run(["--export-labels", str(out), "--evaluate", str(out), "--json"],
               env={"DATABASE_URL": database_url})
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows == [
        {"id": "11", "text": "@acme your app seems to be down", "brand_handle": "acme",
         "author_followers": 40, "label": "case"},
        {"id": "12", "text": "@acme مرحبا، طلبي لم يصل", "brand_handle": "acme",
         "author_followers": 40, "label": "case", "lang": "ar"}]
    assert "2 labelled examples written" in done.stderr
    assert json.loads(done.stdout)["lanes"]["case"]["count"] == 2


def test_export_without_a_usable_database_exits_2(tmp_path):
    done = run(["--export-labels", str(tmp_path / "out.jsonl")],
               env={"DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/care.db"})
    assert done.returncode == 2
    assert "cannot read the labelled examples from DATABASE_URL" in done.stderr


def test_export_to_an_unwritable_file_exits_2(db, database_url, tmp_path):
    done = run(["--export-labels", str(tmp_path / "no" / "such" / "dir.jsonl")],
               env={"DATABASE_URL": database_url})
    assert done.returncode == 2 and "cannot write" in done.stderr
