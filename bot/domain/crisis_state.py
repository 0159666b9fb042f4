"""The crisis detector's memory: minute buckets and their JSON-ready state.

Pure (stdlib only). :class:`~bot.domain.crisis.CrisisDetector` keeps one :class:`Minute` per
minute not yet learnt; :func:`dump_state` and :func:`load_state` carry its whole state to and
from the database row (see ``CrisisDetector.to_dict`` / ``from_dict``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.domain.crisis_rules import _TERMS_KEPT, ALERT_EXAMPLES, STATE_VERSION

if TYPE_CHECKING:
    from bot.domain.crisis import CrisisDetector

__all__ = ["Minute", "dump_state", "keep_examples", "load_state"]


@dataclass
class Minute:
    count: int = 0
    negatives: int = 0
    flagged: bool = False  # seen in crisis mode or in a spike: its hour is not learnt
    terms: Counter[str] = field(default_factory=Counter)
    examples: list[tuple[float, str, str]] = field(default_factory=list)  # (sentiment, id, url)


def keep_examples(
    examples: Iterable[tuple[float, str, str]], limit: int = ALERT_EXAMPLES
) -> list[tuple[float, str, str]]:
    """The ``limit`` most negative examples, one per link; a total order, so the result does
    not depend on the order posts arrived in."""
    out: list[tuple[float, str, str]] = []
    for ex in sorted(set(examples)):
        if all(ex[2] != kept[2] for kept in out):
            out.append(ex)
            if len(out) == limit:
                break
    return out


def dump_state(det: CrisisDetector) -> dict[str, Any]:
    """JSON-ready state of ``det`` (see ``CrisisDetector.to_dict``)."""
    minutes = []
    for minute, b in sorted(det._minutes.items()):
        top = sorted(b.terms.items(), key=lambda tc: (-tc[1], tc[0]))[:_TERMS_KEPT]
        minutes.append({
            "m": minute, "n": b.count, "neg": b.negatives, "f": int(b.flagged),
            "terms": dict(top), "ex": [list(ex) for ex in b.examples],
        })
    return {
        "v": STATE_VERSION,
        "minutes": minutes,
        "baseline": {str(how): [round(avg, 4), n] for how, (avg, n) in
                     sorted(det._baseline.items())},
        "folded_until": det._folded_until,
        "acc": [det._acc_count, int(det._acc_skip)],
        "mode": {
            "active": det._active, "manual": det._manual, "suppressed": det._suppressed,
            "since": det._since.isoformat() if det._since else None,
            "below_since": det._below_since.isoformat() if det._below_since else None,
            "focus": list(det._focus),
        },
    }


def load_state(det: CrisisDetector, *, data: Mapping[str, Any]) -> CrisisDetector:
    """Fill a fresh ``det`` from :func:`dump_state` output; ValueError when malformed."""
    rules = det.rules
    if not isinstance(data, Mapping) or data.get("v") != STATE_VERSION:
        raise ValueError(f"crisis state: expected version {STATE_VERSION}")
    try:
        for raw in data["minutes"]:
            det._minutes[int(raw["m"])] = Minute(
                count=int(raw["n"]), negatives=int(raw["neg"]), flagged=bool(raw["f"]),
                terms=Counter({str(t): int(c) for t, c in raw["terms"].items()}),
                examples=[(float(s), str(i), str(u)) for s, i, u in raw["ex"]],
            )
        det._baseline = {
            int(how): (float(avg), min(int(n), rules.baseline_weeks))
            for how, (avg, n) in data["baseline"].items()
        }
        folded = data["folded_until"]
        det._folded_until = None if folded is None else int(folded)
        det._acc_count, det._acc_skip = int(data["acc"][0]), bool(data["acc"][1])
        mode = data["mode"]
        det._active, det._manual = bool(mode["active"]), bool(mode["manual"])
        det._suppressed = bool(mode["suppressed"])
        det._since = _when(mode["since"])
        det._below_since = _when(mode["below_since"])
        det._focus = tuple(str(t) for t in mode["focus"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"crisis state: malformed ({exc!r})") from None
    return det


def _when(value: str | None) -> datetime | None:
    if value is None:
        return None
    at = datetime.fromisoformat(value)
    return at if at.tzinfo else at.replace(tzinfo=UTC)
