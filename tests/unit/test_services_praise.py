"""The praise lane on a throwaway database: one digest an hour whatever the number of
instances, a failed digest gives its posts back, Like within X's limit, Thank on search hits."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.model import Author
from bot.services.learning import Learning
from bot.services.praise import PraiseLane
from bot.x.client import XRateLimited
from storage.cases import CaseStore
from storage.labels import TriageLabels
from storage.praise import PraiseItems
from tests.unit.services_kit import AGENT, BRAND, Clock, policy, post


class Slack:
    """Records the digests posted; ``fail`` makes the next post raise."""

    def __init__(self) -> None:
        self.posted: list[tuple[list[dict], str]] = []
        self.fail = False

    def __call__(self, *, channel: str, blocks: list[dict], text: str) -> str:
        if self.fail:
            self.fail = False
            raise ConnectionError("Slack is away")
        self.posted.append((blocks, text))
        return f"{len(self.posted)}.0001"


class Likes:
    def __init__(self) -> None:
        self.liked: list[str] = []
        self.limited_until = None

    def __call__(self, post_id: str) -> None:
        if self.limited_until is not None:
            raise XRateLimited("X answered 429: Too Many Requests", self.limited_until)
        self.liked.append(post_id)


def lane(db, clock: Clock, slack: Slack, likes: Likes | None = None) -> PraiseLane:
    return PraiseLane(items=PraiseItems(db), store=CaseStore(db), policy=policy(),
                      post_message=slack, channel="C0CARE", clock=clock,
                      like_on_x=likes or Likes(), brand_id=lambda: BRAND[0],
                      learning=Learning(labels=TriageLabels(db), brand_handle=lambda: BRAND[1],
                                        clock=clock))


def fan(followers: int):
    return post(text="@acme love it, thank you!",
                author=Author(id=str(500 + followers), username=f"fan{followers}",
                              name="Fan", followers=followers))


def test_two_instances_post_one_digest_an_hour(db):
    clock, slack = Clock(), Slack()
    first, second = lane(db, clock, slack), lane(db, clock, slack)
    clock.advance(minutes=40)
    assert first.keep(fan(10), origin="mention", reason="praise: thanks") == "praise"
    assert first.post_digest() is True
    assert second.post_digest() is False
    second.keep(fan(20), origin="mention", reason="praise: thanks")
    clock.advance(minutes=30)  # a new clock hour, but not an hour since the last digest
    assert first.post_digest() is False and second.post_digest() is False
    clock.advance(minutes=35)
    assert [second.post_digest(), first.post_digest()] == [True, False]
    assert len(slack.posted) == 2 and "fan20" in str(slack.posted[1][0])
    assert "fan10" not in str(slack.posted[1][0])


def test_nothing_new_posts_no_digest(db):
    clock, slack = Clock(), Slack()
    assert lane(db, clock, slack).post_digest() is False
    assert slack.posted == []


def test_a_digest_slack_refused_gives_its_praise_to_the_next_one(db):
    clock, slack = Clock(), Slack()
    praise = lane(db, clock, slack)
    praise.keep(fan(5), origin="mention", reason="praise: thanks")
    slack.fail = True
    assert praise.post_digest() is False
    assert praise.post_digest() is True
    assert "fan5" in str(slack.posted[0][0])


def test_like_stops_until_x_resets_its_like_limit(db):
    clock, slack, likes = Clock(), Slack(), Likes()
    praise = lane(db, clock, slack, likes)
    one, two = fan(1), fan(2)
    for p in (one, two):
        praise.keep(p, origin="mention", reason="praise: thanks")
    likes.limited_until = clock() + timedelta(minutes=12)
    assert "about 12 min" in praise.like(post_id=one.id, user_id=AGENT)
    likes.limited_until = None
    assert "about 12 min" in praise.like(post_id=two.id, user_id=AGENT)  # X is not asked
    assert likes.liked == []
    clock.advance(minutes=13)
    assert praise.like(post_id=one.id, user_id=AGENT) == ":heart: Liked on X."
    assert likes.liked == [one.id]


def test_thanking_a_search_hit_says_only_a_dm_or_a_like_can_thank(db):
    clock, slack = Clock(), Slack()
    praise = lane(db, clock, slack)
    hit = fan(7)
    praise.keep(hit, origin="search", reason="praise: thanks")
    outcome = praise.thank(post_id=hit.id, user_id=AGENT)
    case = CaseStore(db).get(outcome.case_id)
    assert case.kind == "praise" and case.assignee_id == AGENT
    assert case.public_reply_allowed is False
    assert "by DM" in outcome.message
    again = praise.thank(post_id=hit.id, user_id=AGENT)
    assert again.case_id == outcome.case_id and not again.opened
    assert TriageLabels(db).since(None) == []  # a thank-you is not a correction
