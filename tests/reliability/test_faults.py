"""Slack answering 429/500 and X answering 429/503, dropping connections and timing out
(sometimes after storing the post): the end state is the same as without faults."""

from __future__ import annotations

import pytest

from tests.reliability.fault_run import run_faults

pytestmark = pytest.mark.slow


def test_faults_change_nothing_in_the_end(database_url, tmp_path):
    tally = run_faults(database_url=database_url, workdir=tmp_path, cases=10, seed=7)
    print(tally.summary())
    assert (tally.mentions, tally.replies) == (10, 10)
    assert tally.mentions_lost == 0
    assert tally.parents_doubled == 0
    assert tally.replies_lost == 0
    assert tally.replies_doubled == 0
    assert (tally.receipts_lost, tally.receipts_doubled) == (0, 0)
    assert tally.notes_doubled == 0
    assert tally.problems == []
    # the faults did happen, including outcomes the bot cannot tell apart from a failure
    assert tally.recoveries["Slack 429/500 answers"] >= 5
    assert tally.recoveries["X faults"] >= 6
    assert tally.recoveries["X POST faults after storing the post"] >= 3
