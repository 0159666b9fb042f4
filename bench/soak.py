"""Soak: the crash and fault scenarios of tests/reliability for many rounds, then a table.

Run from the repo root::

    python bench/soak.py --rounds 20                       # SQLite files in a temp dir
    python bench/soak.py --rounds 20 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

``--rounds`` is the number of kill -9 rounds of the crash scenario (one kill per round,
cycling through the kill points of tests/reliability/crash_run.py; the rounds are split
into runs of ``--rounds-per-run`` on a fresh database each) and the number of runs of the
fault scenario (``--cases`` cases each, a new seed per run). With a PostgreSQL URL every
run gets a fresh database created next to the one named (and dropped afterwards).

Prints a Markdown table: what was injected, rounds, mentions, replies, lost, doubled,
and the command that produced it. Exit status 1 if anything was lost or doubled.
"""

from __future__ import annotations

import argparse
import logging
import re
import shlex
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


from tests.databases import throwaway_database  # noqa: E402
from tests.reliability.crash_run import CRASH_POLL_SECONDS, KILL_MODES, run_crash  # noqa: E402
from tests.reliability.fault_run import run_faults  # noqa: E402
from tests.reliability.world import Tally  # noqa: E402


def soak_crash(args, workdir: Path) -> Tally:
    total = Tally(scenario="crash (python app.py, kill -9, restart)",
                  injected="kill -9 " + " / ".join(KILL_MODES))
    left, run = args.rounds, 0
    while left > 0:
        rounds = min(left, args.rounds_per_run)
        run_dir = workdir / f"crash-{run}"
        run_dir.mkdir()
        with throwaway_database(args.database_url, run_dir) as url:
            tally = run_crash(database_url=url, workdir=run_dir, rounds=rounds,
                              mentions_per_round=args.mentions_per_round,
                              answered_per_round=args.answered_per_round,
                              seed=args.seed + run,
                              settle_timeout=60 + 15.0 * rounds)
        print(f"  crash run {run}: {tally.summary()}", file=sys.stderr, flush=True)
        gaps = ", ".join(f"{g:.1f} s" for g in tally.intake_gaps)
        print(f"  crash run {run}: intake gap after each kill (restart to first mentions "
              f"read, polls every {CRASH_POLL_SECONDS} s): {gaps}", file=sys.stderr, flush=True)
        total.add(tally)
        left -= rounds
        run += 1
    return total


def soak_faults(args, workdir: Path) -> Tally:
    total = Tally(scenario="faults (in-process app)", injected="")
    for run in range(args.rounds):
        with throwaway_database(args.database_url, workdir) as url:
            tally = run_faults(database_url=url, workdir=workdir, cases=args.cases,
                               seed=args.seed + run)
        print(f"  fault run {run}: {tally.summary()}", file=sys.stderr, flush=True)
        total.injected = tally.injected
        total.add(tally)
    return total


def table(rows: list[tuple[Tally, float]], command: str, backend: str) -> str:
    out = [f"Command: `{command}` (database: {backend})", "",
           "| scenario | injected | rounds | kills / faults | mentions | replies | lost | "
           "doubled | recoveries seen | time |",
           "|---|---|---:|---:|---:|---:|---:|---:|---|---:|"]
    for t, seconds in rows:
        injected = f"{t.kills} kills" if t.kills else f"{t.faults} faults"
        lost = (f"{t.lost} (mentions {t.mentions_lost}, replies {t.replies_lost}, "
                f"receipts {t.receipts_lost})")
        doubled = (f"{t.doubled} (parents {t.parents_doubled}, replies {t.replies_doubled}, "
                   f"receipts {t.receipts_doubled}; notes {t.notes_doubled})")
        recoveries = ", ".join(f"{k} {v}" for k, v in t.recoveries.items() if v)
        out.append(f"| {t.scenario} | {t.injected} | {t.rounds} | {injected} | {t.mentions} | "
                   f"{t.replies} | {lost} | {doubled} | {recoveries} | {seconds:.0f} s |")
    gaps = [g for t, _ in rows for g in t.intake_gaps]
    if gaps:
        out += ["", f"Intake gap after kill -9 (restart to the first mentions read): "
                    f"max {max(gaps):.1f} s = {max(gaps) / CRASH_POLL_SECONDS:.2f} poll "
                    f"intervals of {CRASH_POLL_SECONDS} s, over {len(gaps)} restarts"]
    problems = [p for t, _ in rows for p in t.problems]
    if problems:
        out += ["", "Problems:"] + [f"- {p}" for p in problems[:30]]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10,
                        help="kill rounds of the crash scenario and runs of the fault one")
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL server URL (fresh database per run); default SQLite")
    parser.add_argument("--scenarios", default="crash,faults", help="crash,faults")
    parser.add_argument("--rounds-per-run", type=int, default=10)
    parser.add_argument("--mentions-per-round", type=int, default=3)
    parser.add_argument("--answered-per-round", type=int, default=2)
    parser.add_argument("--cases", type=int, default=10, help="cases per fault run")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # the in-process app logs every fault it meets
    command = "python bench/soak.py " + " ".join(shlex.quote(a) for a in (
        argv if argv is not None else sys.argv[1:]))
    command = re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", command)  # no passwords
    backend = "PostgreSQL" if args.database_url and args.database_url.startswith(
        "postgres") else "SQLite"
    rows: list[tuple[Tally, float]] = []
    with tempfile.TemporaryDirectory(prefix="care-soak-") as tmp:
        workdir = Path(tmp)
        for name in args.scenarios.split(","):
            started = time.monotonic()
            runner = {"crash": soak_crash, "faults": soak_faults}[name.strip()]
            rows.append((runner(args, workdir), time.monotonic() - started))
    print(table(rows, command, backend))
    return 1 if any(t.lost or t.doubled or t.problems for t, _ in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
