"""``python app.py triage``: try the triage settings on posts, without Slack or X.

Reads JSON lines (files, or standard input), one post a line: ``text`` (required),
``brand_handle`` (default: CARE_BRAND_HANDLE, else ``brand``), ``author_followers``
(default 0), ``id`` (echoed) and ``lang`` (optional BCP 47 code, ``und`` when unknown).
Writes one JSON line per input line::

    {"id": "1", "case": true, "lane": "case", "kind": "complaint", "priority": "high",
     "reason": "complaint: says ..."}

A line that is not JSON or has no ``text`` gets ``{"line": N, "error": "..."}``; the run goes
on and exits 1. A file that cannot be read or a bad setting: a message and exit 2.

``--evaluate FILE [--json]`` scores the lanes against a labelled file (the same lines plus
``"label": "case"|"praise"|"filtered"``): precision, recall and count per lane.

``--export-labels FILE`` writes the desk's labelled examples (agent decisions that
contradicted triage, read from DATABASE_URL) to FILE in that labelled format; with
``--evaluate`` the same run then scores triage against them.

Example::

    python app.py triage last_month.jsonl > verdicts.jsonl
    python app.py triage --evaluate labelled.jsonl --json
    python app.py triage --export-labels desk.jsonl --evaluate desk.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from bot.config import triage_rules_from_env
from bot.domain.triage import Triage, Triager, TriageRules
from bot.domain.triage_eval import LANES, lane_scores

__all__ = ["main"]

EXIT_OK, EXIT_BAD_LINES, EXIT_UNUSABLE = 0, 1, 2
_TEXT_MAX = 30_000
DEFAULT_DATABASE_URL = "sqlite:///care.db"


class _BadLine(ValueError):
    """A line that cannot be triaged; the message says why."""


def rules_from_env(env: Mapping[str, str]) -> TriageRules:
    """The triage settings (the same variables the desk reads); ValueError names a bad one."""
    try:
        return triage_rules_from_env(env)
    except ValueError as exc:
        raise ValueError(f"a triage setting cannot be read: {exc}") from None


def parse_post(line: str, *, default_brand: str) -> dict[str, Any]:
    """One input line -> keyword arguments for the triager plus ``id`` and ``label``."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _BadLine(f"not valid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(row, dict):
        raise _BadLine("expected a JSON object")
    text = row.get("text")
    if not isinstance(text, str):
        raise _BadLine('missing "text" (a string)')
    followers = row.get("author_followers", 0)
    if isinstance(followers, bool) or not isinstance(followers, int) or followers < 0:
        raise _BadLine('"author_followers" must be a whole number >= 0')
    brand = row.get("brand_handle") or default_brand
    lang = row.get("lang")
    if not isinstance(brand, str) or lang is not None and not isinstance(lang, str):
        raise _BadLine('"brand_handle" and "lang" must be strings')
    return {"id": row.get("id"), "label": row.get("label"), "text": text[:_TEXT_MAX],
            "brand_handle": brand.lstrip("@"), "author_followers": followers, "lang": lang}


def verdict_line(post_id: object, verdict: Triage) -> dict[str, Any]:
    return {"id": post_id, "case": verdict.lane == "case", "lane": verdict.lane.value,
            "kind": verdict.kind.value, "priority": verdict.priority.value,
            "reason": verdict.reason}


def _lines(paths: list[str], stdin: IO[str]) -> Iterator[str]:
    if not paths:
        yield from stdin
        return
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            yield from fh


def _triage(triager: Triager, post: dict[str, Any]) -> Triage:
    return triager.classify(text=post["text"], author_followers=post["author_followers"],
                            brand_handle=post["brand_handle"], lang=post["lang"])


def _posts(lines: Iterable[str], *, default_brand: str, errors: IO[str], bad: list[int],
           labelled: bool = False) -> Iterator[dict[str, Any]]:
    """The posts of ``lines`` in order, skipping blank lines; each bad line is written to
    ``errors`` (its number and why) and its number added to ``bad``."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            post = parse_post(line, default_brand=default_brand)
            if labelled and post["label"] not in LANES:
                raise _BadLine(f'"label" must be one of {", ".join(LANES)}')
        except _BadLine as exc:
            errors.write(json.dumps({"line": number, "error": str(exc)}) + "\n")
            bad.append(number)
            continue
        yield post


def run_triage(*, lines: Iterable[str], triager: Triager, default_brand: str,
               out: IO[str]) -> int:
    """Write one verdict (or error) line per input line; 1 when any line was bad."""
    bad: list[int] = []
    for post in _posts(lines, default_brand=default_brand, errors=out, bad=bad):
        out.write(json.dumps(verdict_line(post["id"], _triage(triager, post)),
                             ensure_ascii=False) + "\n")
    return EXIT_BAD_LINES if bad else EXIT_OK


def run_evaluate(*, lines: Iterable[str], triager: Triager, default_brand: str,
                 as_json: bool, out: IO[str], err: IO[str]) -> int:
    """Print precision, recall and count per lane; bad lines are reported on ``err``."""
    bad: list[int] = []
    pairs = [(post["label"], _triage(triager, post).lane.value)
             for post in _posts(lines, default_brand=default_brand, errors=err, bad=bad,
                                labelled=True)]
    status = EXIT_BAD_LINES if bad else EXIT_OK
    table = lane_scores(pairs)
    if as_json:
        out.write(json.dumps({"posts": len(pairs),
                              "lanes": {k: v.as_dict() for k, v in table.items()}}) + "\n")
        return status
    out.write(f"{'lane':<10} {'precision':>9} {'recall':>7} {'count':>6} {'predicted':>9}\n")
    for lane, score in table.items():
        out.write(f"{lane:<10} {score.precision:>9.3f} {score.recall:>7.3f} "
                  f"{score.labelled:>6} {score.predicted:>9}\n")
    out.write(f"{len(pairs)} labelled posts\n")
    return status


def export_labels(*, database_url: str, path: str) -> int:
    """Write the recorded examples as labelled JSON lines; how many were written."""
    from storage.db import Database
    from storage.labels import TriageLabels

    db = Database.connect(database_url, migrate=False)
    try:
        examples = TriageLabels(db).since(None)
    finally:
        db.dispose()
    with open(path, "w", encoding="utf-8") as fh:
        for example in examples:
            row = {"id": example.post_id, "text": example.text,
                   "brand_handle": example.brand_handle,
                   "author_followers": example.author_followers, "label": example.label}
            if example.lang:
                row["lang"] = example.lang
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(examples)


def main(argv: list[str], *, env: Mapping[str, str] | None = None,
         stdin: IO[str] = sys.stdin, out: IO[str] = sys.stdout, err: IO[str] = sys.stderr) -> int:
    parser = argparse.ArgumentParser(
        prog="app.py triage",
        description="Triage posts given as JSON lines, without Slack or X: one verdict line "
                    "per post (see the README, section Triage and crisis).")
    parser.add_argument("files", nargs="*", metavar="FILE", help="JSON lines (default: stdin)")
    parser.add_argument("--evaluate", metavar="FILE",
                        help="score the lanes against a labelled JSON lines file")
    parser.add_argument("--json", action="store_true", help="--evaluate: one JSON object")
    parser.add_argument("--export-labels", metavar="FILE",
                        help="write the desk's labelled examples (from DATABASE_URL) to FILE")
    args = parser.parse_args(argv)
    env = os.environ if env is None else env
    try:
        triager = Triager(rules=rules_from_env(env))
    except ValueError as exc:
        err.write(f"{exc}\n")
        return EXIT_UNUSABLE
    brand = (env.get("CARE_BRAND_HANDLE") or "").strip().lstrip("@") or "brand"
    if args.export_labels:
        url = env.get("DATABASE_URL") or DEFAULT_DATABASE_URL
        try:
            count = export_labels(database_url=url, path=args.export_labels)
        except OSError as exc:
            err.write(f"cannot write {args.export_labels}: {exc.strerror or exc}\n")
            return EXIT_UNUSABLE
        except Exception as exc:  # noqa: BLE001 - no database, or not the desk's
            err.write(f"cannot read the labelled examples from DATABASE_URL: "
                      f"{type(exc).__name__}\n")
            return EXIT_UNUSABLE
        err.write(f"{count} labelled examples written to {args.export_labels}\n")
        if not args.evaluate:
            return EXIT_OK
    for path in [args.evaluate] if args.evaluate else args.files:
        if not (os.path.isfile(path) and os.access(path, os.R_OK)):
            err.write(f"cannot read {path}: no such readable file\n")
            return EXIT_UNUSABLE
    try:
        if args.evaluate:
            return run_evaluate(lines=_lines([args.evaluate], stdin), triager=triager,
                                default_brand=brand, as_json=args.json, out=out, err=err)
        return run_triage(lines=_lines(args.files, stdin), triager=triager,
                          default_brand=brand, out=out)
    except (OSError, UnicodeDecodeError) as exc:
        name = getattr(exc, "filename", None) or "the input"
        reason = getattr(exc, "strerror", None) or str(exc)
        err.write(f"cannot read {name}: {reason}\n")
        return EXIT_UNUSABLE
