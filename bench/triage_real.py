"""Triage on real customer posts (the dev half of ../shared/realdata), plus the own set.

Run from the repo root::

    python bench/triage_real.py [--data DIR] [--misses KIND] [--part tuning|check|dev]

DIR defaults to $CARE_REALDATA, else ../shared/realdata beside the repository. When the
real data is not there the bench says so and exits 0.

The dev half is split by a hash of each post's id into a *tuning* part, about three
quarters of it (the rules may be changed after reading its misses), and a *check* part,
about a quarter (only measured: its misses are not listed by default and were never read).
Every figure is printed for both parts and for the whole dev half. Neither part is held-out
data in the strict sense (both come from the dev half, the early rules were tuned on all of
it, and each look at the check totals is weak tuning); the held-out half of the same
sources is checked elsewhere. Figures printed:

- complaints (human label ``complaint``) that become cases (target >= 0.95)
- first contacts a real brand answered that become a case or go to the praise lane (>= 0.95)
- random posts (domains ``random_tweet`` / ``random_reply``) made cases (<= 0.20)
- the own labelled set (tests/data/triage_labelled.jsonl): precision and recall of ``case``
- throughput on one core (posts per CPU second of this process) and its peak RSS

``--misses complaint|answered|random|own`` lists the posts behind a figure, from the tuning
part unless ``--part`` says otherwise (for reading on this machine only: the real posts must
not be copied into the repository).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.domain.triage import Triager  # noqa: E402
from bot.domain.triage_eval import lane_scores  # noqa: E402

OWN = ROOT / "tests" / "data" / "triage_labelled.jsonl"
RANDOM_DOMAINS = ("random_tweet", "random_reply")
TARGET_POSTS = 50_000


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def own_label(row: dict) -> str:
    """The own set labels kinds; its lane is case when it needs a response."""
    if row["needs_response"]:
        return "case"
    return "praise" if row["kind"] == "praise" else "filtered"


def part_of(post_id: str) -> str:
    """``tuning`` or ``check``: a stable part of the dev posts, by a hash of the id (odd
    first and second bytes: check, about a quarter)."""
    digest = hashlib.sha256(f"triage-part:{post_id}".encode()).digest()
    return "check" if digest[0] % 2 == 1 and digest[1] % 2 == 1 else "tuning"


def share(rows: list[dict], hit) -> tuple[float, int, int]:
    hits = sum(1 for r in rows if hit(r))
    return (hits / len(rows) if rows else 0.0), hits, len(rows)


def real_figures(rows: list[dict]) -> list[tuple[str, tuple[float, int, int]]]:
    complaints = [r for r in rows if r["label"] == "complaint"]
    answered = [r for r in rows if r["label"] == "brand_answered"]
    random_posts = [r for r in rows if r["domain"] in RANDOM_DOMAINS]
    to_brands = [r for r in rows if r["label"] == "not_complaint"
                 and r["domain"] not in RANDOM_DOMAINS]
    return [
        ("complaints that become cases (>= 0.95)",
         share(complaints, lambda r: r["verdict"].lane == "case")),
        ("brand-answered posts: case or praise lane (>= 0.95)",
         share(answered, lambda r: r["verdict"].lane in ("case", "praise"))),
        ("brand-answered posts: case lane",
         share(answered, lambda r: r["verdict"].lane == "case")),
        ("random posts made cases (<= 0.20)",
         share(random_posts, lambda r: r["verdict"].lane == "case")),
        ("not-complaint posts to care accounts made cases",
         share(to_brands, lambda r: r["verdict"].lane == "case")),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.environ.get("CARE_REALDATA")
                        or str(ROOT.parent / "shared" / "realdata"))
    parser.add_argument("--misses", choices=("complaint", "answered", "random", "own"))
    parser.add_argument("--part", choices=("tuning", "check", "dev"), default="tuning",
                        help="which posts --misses lists (default: the tuning part)")
    parser.add_argument("--no-speed", action="store_true", help="skip the throughput run")
    args = parser.parse_args()
    dev_path = Path(args.data) / "dev.jsonl"
    if not dev_path.is_file():
        print(f"No real data at {dev_path}: nothing to measure (set --data or CARE_REALDATA).")
        return 0

    triager = Triager()
    dev = read_jsonl(dev_path)
    for row in dev:
        row["verdict"] = triager.classify(text=row["text"], brand_handle=row["brand_handle"])
        row["part"] = part_of(str(row["id"]))
    parts = {"tuning": [r for r in dev if r["part"] == "tuning"],
             "check": [r for r in dev if r["part"] == "check"], "dev": dev}
    figures = {name: real_figures(rows) for name, rows in parts.items()}
    own = read_jsonl(OWN)
    own_pairs = [(own_label(r), triager.classify(text=r["text"]).lane) for r in own]
    case = lane_scores(own_pairs)["case"]

    texts = [r["text"] for r in dev]
    workload = texts * (0 if args.no_speed else max(1, TARGET_POSTS // len(texts)))
    classify = triager.classify
    start = time.process_time()  # CPU time of this process: one core, whatever else runs
    for text in workload:
        classify(text=text, author_followers=1_000, brand_handle="acme")
    rate = len(workload) / max(time.process_time() - start, 1e-9)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    sizes = ", ".join(f"{name} {len(rows):,}" for name, rows in parts.items())
    print(f"real posts, dev half of {dev_path} ({sizes} posts)")
    print("tuning: the part whose misses were read; check: measured only; dev: both\n")
    print("| figure | tuning | check | dev (whole half) |")
    print("|---|---|---|---|")
    for i, (name, _) in enumerate(figures["dev"]):
        cells = " | ".join(f"{value:.3f} ({hits}/{n})"
                           for value, hits, n in (figures[p][i][1] for p in parts))
        print(f"| {name} | {cells} |")
    print(f"\nown labelled set: case precision (>= 0.90) {case.precision:.3f}, recall "
          f"{case.recall:.3f} ({case.labelled} case labels)")
    speed = f"{rate:,.0f} posts/s ({len(workload):,} posts)" if workload else "not run"
    print(f"throughput, one core (>= 5,000): {speed}; peak RSS (< 150 MB): {peak_mb:.0f} MB")

    if args.misses:
        print(f"\nmisses: {args.misses} ({args.part})")
        if args.misses == "own":
            for row, (gold, lane) in zip(own, own_pairs, strict=True):
                if gold != lane and "case" in (gold, lane):
                    print(f"  {gold}->{lane} {row['text'][:110]!r}")
            return 0
        rows = parts[args.part]
        chosen = {"complaint": ([r for r in rows if r["label"] == "complaint"],
                                lambda v: v.lane != "case"),
                  "answered": ([r for r in rows if r["label"] == "brand_answered"],
                               lambda v: v.lane == "filtered"),
                  "random": ([r for r in rows if r["domain"] in RANDOM_DOMAINS],
                             lambda v: v.lane == "case")}[args.misses]
        for row in chosen[0]:
            if chosen[1](row["verdict"]):
                print(f"  {row['text'][:140]!r}\n      -> {row['verdict'].reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
