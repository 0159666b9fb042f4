"""Lane scores: precision, recall and counts from (label, predicted) pairs."""

from __future__ import annotations

from bot.domain.triage_eval import LANES, lane_scores


def test_scores_per_lane() -> None:
    table = lane_scores([("case", "case"), ("case", "filtered"), ("praise", "case"),
                         ("filtered", "filtered")])
    assert list(table) == list(LANES)
    case = table["case"]
    assert (case.labelled, case.predicted, case.correct) == (2, 2, 1)
    assert case.precision == 0.5 and case.recall == 0.5
    assert table["praise"].recall == 0.0 and table["praise"].precision == 1.0
    assert table["filtered"].as_dict() == {"precision": 0.5, "recall": 1.0, "count": 1,
                                           "predicted": 2}


def test_nothing_to_count_scores_one() -> None:
    table = lane_scores([])
    assert all(s.precision == 1.0 and s.recall == 1.0 and s.labelled == 0
               for s in table.values())
