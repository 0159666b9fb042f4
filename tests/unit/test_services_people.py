"""People (signatures and escalation) against storage on a throwaway database."""

from __future__ import annotations

from bot.render import people_text
from bot.services.people import People
from storage.agents import AgentProfiles
from storage.channel_posts import ChannelPosts
from tests.unit.services_kit import AGENT, Clock, Kicks, actions, make_desk, open_case

LEGAL = "C0LEGAL"


def people(db, clock, kicks=None, departments=None) -> People:
    return People(store=make_desk(db, clock).store, agents=AgentProfiles(db),
                  departments={"legal": LEGAL} if departments is None else departments,
                  signature_format=" ^{initials}", clock=clock, kick=kicks or Kicks())


def test_escalation_marks_the_case_and_posts_the_summary_to_the_team(db):
    clock, kicks = Clock(), Kicks()
    service = people(db, clock, kicks)
    case_id = open_case(service.store, clock)
    version = service.store.get(case_id).version
    outcome = service.escalate(case_id=case_id, user_id=AGENT, department="legal",
                               note="Threatens to sue")
    assert outcome.ok and outcome.case.escalated_to == "legal"
    assert outcome.case.version == version + 1  # the parent is re-rendered
    assert actions(service.store, case_id)[-1] == "escalate"
    assert [e.detail for e in service.store.events(case_id)][-1] == "legal: Threatens to sue"
    summaries = ChannelPosts(db).texts()
    assert len(summaries) == 1 and "Threatens to sue" in summaries[0]
    assert kicks.count == 1


def test_a_case_is_escalated_once_and_only_to_a_known_team(db):
    clock = Clock()
    service = people(db, clock)
    case_id = open_case(service.store, clock)
    unknown = service.escalate(case_id=case_id, user_id=AGENT, department="sales", note="x")
    assert not unknown.ok and unknown.field == "department"
    assert service.escalate(case_id=case_id, user_id=AGENT, department="legal", note="a").ok
    again = service.escalate(case_id=case_id, user_id=AGENT, department="legal", note="b")
    assert not again.ok and again.message == people_text.already_escalated("legal")
    assert len(ChannelPosts(db).texts()) == 1


def test_no_teams_no_escalation(db):
    clock = Clock()
    service = people(db, clock, departments={})
    case_id = open_case(service.store, clock)
    assert service.can_escalate(case_id=case_id).message == people_text.NO_DEPARTMENTS


def test_signature_set_shown_and_cleared(db):
    service = people(db, Clock())
    assert service.set_signature(user_id=AGENT, text="ab") == people_text.signature_set(" ^AB")
    assert service.agents.initials(AGENT) == "AB"
    assert service.set_signature(user_id=AGENT, text="a b c") == people_text.SIGNATURE_INVALID
    assert service.set_signature(user_id=AGENT, text="off") == people_text.SIGNATURE_CLEARED
    assert service.agents.initials(AGENT) is None
