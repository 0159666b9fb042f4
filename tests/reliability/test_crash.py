"""kill -9 of the real app (``python app.py`` in HTTP mode) during polling and sending,
restarts on the same database, then a count of what Slack and X show.

See tests/reliability/crash_run.py for the kill points; bench/soak.py runs more rounds.
"""

from __future__ import annotations

import pytest

from tests.reliability.crash_run import CRASH_POLL_SECONDS, KILL_MODES, run_crash

pytestmark = pytest.mark.slow

STARTUP_SECONDS = 15  # python app.py: imports, migrations, X and Slack sign-in


def test_kill_9_at_every_point_loses_nothing_and_sends_nothing_twice(database_url, tmp_path):
    rounds = len(KILL_MODES)
    tally = run_crash(database_url=database_url, workdir=tmp_path, rounds=rounds,
                      mentions_per_round=2, answered_per_round=1, seed=11)
    print(tally.summary())
    assert tally.kills == rounds, tally.problems  # every kill point was reached
    assert (tally.mentions, tally.replies) == (2 * rounds, rounds)
    assert tally.mentions_lost == 0
    assert tally.parents_doubled == 0
    assert tally.replies_lost == 0
    assert tally.replies_doubled == 0
    assert (tally.receipts_lost, tally.receipts_doubled) == (0, 0)
    assert tally.notes_doubled == 0
    assert tally.problems == []
    # each restart reads mentions within one poll interval plus start-up
    assert tally.intake_gaps, "no restart reached its first poll"
    assert max(tally.intake_gaps) <= CRASH_POLL_SECONDS + STARTUP_SECONDS, tally.intake_gaps
    # the kills landed where a retry must look before it posts again
    assert tally.recoveries["slack look-ups"] >= 2  # the parent and the note kill points
    assert tally.recoveries["replies retried"] >= 1  # the reply kill point
