"""Triage on real customer posts (the dev half of ../shared/realdata), plus the own set.

Run from the repo root::

    python bench/triage_real.py [--data DIR] [--misses KIND]

DIR defaults to $CARE_REALDATA, else ../shared/realdata beside the repository. When the
real data is not there the bench says so and exits 0. Figures printed (dev half: the rules
were tuned by reading its misses, so these are not held-out results):

- complaints (human label ``complaint``) that become cases (target >= 0.95)
- first contacts a real brand answered that become a case or go to the praise lane (>= 0.95)
- random posts (domains ``random_tweet`` / ``random_reply``) made cases (<= 0.20)
- the own labelled set (tests/data/triage_labelled.jsonl): precision and recall of ``case``
- throughput on one core (posts per CPU second of this process) and its peak RSS

``--misses complaint|answered|random|own`` lists the posts behind a figure (for reading on
this machine only: the real posts must not be copied into the repository).
"""

from __future__ import annotations

import argparse
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


def share(rows: list[dict], hit) -> tuple[float, int, int]:
    hits = sum(1 for r in rows if hit(r))
    return (hits / len(rows) if rows else 0.0), hits, len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.environ.get("CARE_REALDATA")
                        or str(ROOT.parent / "shared" / "realdata"))
    parser.add_argument("--misses", choices=("complaint", "answered", "random", "own"))
    args = parser.parse_args()
    dev_path = Path(args.data) / "dev.jsonl"
    if not dev_path.is_file():
        print(f"No real data at {dev_path}: nothing to measure (set --data or CARE_REALDATA).")
        return 0

    triager = Triager()
    dev = read_jsonl(dev_path)
    for row in dev:
        row["verdict"] = triager.classify(text=row["text"], brand_handle=row["brand_handle"])
    complaints = [r for r in dev if r["label"] == "complaint"]
    answered = [r for r in dev if r["label"] == "brand_answered"]
    random_posts = [r for r in dev if r["domain"] in RANDOM_DOMAINS]
    to_brands = [r for r in dev if r["label"] == "not_complaint"
                 and r["domain"] not in RANDOM_DOMAINS]

    figures = [
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
    own = read_jsonl(OWN)
    own_pairs = [(own_label(r), triager.classify(text=r["text"]).lane) for r in own]
    case = lane_scores(own_pairs)["case"]

    texts = [r["text"] for r in dev]
    workload = texts * max(1, TARGET_POSTS // len(texts))
    classify = triager.classify
    start = time.process_time()  # CPU time of this process: one core, whatever else runs
    for text in workload:
        classify(text=text, author_followers=1_000, brand_handle="acme")
    rate = len(workload) / (time.process_time() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"real posts, dev half ({len(dev):,} posts from {dev_path}); tuned on this half\n")
    print("| figure | share | posts |")
    print("|---|---|---|")
    for name, (value, hits, n) in figures:
        print(f"| {name} | {value:.3f} | {hits}/{n} |")
    print(f"| own labelled set: case precision (>= 0.90) / recall | "
          f"{case.precision:.3f} / {case.recall:.3f} | {case.labelled} case labels |")
    print(f"| throughput, one core (>= 5,000) | {rate:,.0f} posts/s | {len(workload):,} |")
    print(f"| peak RSS (< 150 MB) | {peak_mb:.0f} MB | |")

    if args.misses:
        print(f"\nmisses: {args.misses}")
        if args.misses == "own":
            for row, (gold, lane) in zip(own, own_pairs, strict=True):
                if gold != lane and "case" in (gold, lane):
                    print(f"  {gold}->{lane} {row['text'][:110]!r}")
            return 0
        chosen = {"complaint": (complaints, lambda v: v.lane != "case"),
                  "answered": (answered, lambda v: v.lane == "filtered"),
                  "random": (random_posts, lambda v: v.lane == "case")}[args.misses]
        for row in chosen[0]:
            if chosen[1](row["verdict"]):
                print(f"  {row['text'][:140]!r}\n      -> {row['verdict'].reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
