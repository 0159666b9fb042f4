"""TriageActions against storage on a throwaway database: a filtered post made a case."""

from __future__ import annotations

from bot.domain.case import CaseState
from bot.render import triage_text
from bot.services.triage_actions import TriageActions
from tests.unit.services_kit import AGENT, Clock, actions, post
from tests.unit.test_services_intake import intake


def test_a_filtered_post_becomes_a_case_once(db):
    clock = Clock()
    service = intake(db, clock)
    kicks = []
    triage = TriageActions(filtered=service.filtered, intake=service,
                           kick=lambda: kicks.append(1))
    thanks = post(text="@acme thanks, love it")
    assert service.receive(thanks) == "filtered"
    outcome = triage.make_case(post_id=thanks.id, user_id=AGENT)
    assert outcome.ok and outcome.message == triage_text.case_opened(1)
    case = service.store.get(1)
    assert case.state is CaseState.NEW and case.source_post_id == thanks.id
    assert actions(service.store, 1) == ["opened"]
    again = triage.make_case(post_id=thanks.id, user_id=AGENT)
    assert not again.ok and again.message == triage_text.ALREADY
    assert service.filtered.get(thanks.id).case_id == 1
    assert kicks == [1]


def test_unknown_posts_and_a_missing_crisis_watch_are_said_plainly(db):
    service = intake(db, Clock())
    triage = TriageActions(filtered=service.filtered, intake=service)
    assert triage.make_case(post_id="404", user_id=AGENT).message == triage_text.NOT_FOUND
    assert triage.crisis_command(args="on", user_id=AGENT) == triage_text.CRISIS_NOT_RUNNING
    blocks, text = triage.listing()
    assert isinstance(blocks, list) and text
