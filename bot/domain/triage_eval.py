"""Scoring triage lanes against labels: precision, recall and counts per lane.

Pure domain code. Used by ``python app.py triage --evaluate`` and the triage benches.

Example::

    table = lane_scores([("case", "case"), ("praise", "case"), ("filtered", "filtered")])
    table["case"].precision  # 0.5
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["LANES", "LaneScore", "lane_scores"]

LANES = ("case", "praise", "filtered")


@dataclass(frozen=True)
class LaneScore:
    """One lane's figures: ``labelled`` posts carry the lane as label, ``predicted`` were
    put in it, ``correct`` both. Precision and recall are 1.0 when nothing was to count."""

    lane: str
    labelled: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "count": self.labelled, "predicted": self.predicted}


def lane_scores(pairs: Iterable[tuple[str, str]]) -> dict[str, LaneScore]:
    """``(label, predicted)`` lane pairs -> a :class:`LaneScore` for each of :data:`LANES`."""
    labelled = dict.fromkeys(LANES, 0)
    predicted = dict.fromkeys(LANES, 0)
    correct = dict.fromkeys(LANES, 0)
    for gold, guess in pairs:
        labelled[gold] = labelled.get(gold, 0) + 1
        predicted[guess] = predicted.get(guess, 0) + 1
        if gold == guess:
            correct[gold] = correct.get(gold, 0) + 1
    return {lane: LaneScore(lane=lane, labelled=labelled[lane], predicted=predicted[lane],
                            correct=correct.get(lane, 0)) for lane in labelled}
