"""Whatever X sends in a page of posts, intake never raises, the cursor moves past the
page, and each post ends stored, filtered or quarantined exactly once."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.config import Settings
from bot.domain.triage import Triager
from bot.services.intake import Intake
from bot.services.polling import MENTIONS_CURSOR, POLLER_LEASE, Source, XPoller
from bot.services.quarantine import Quarantine
from bot.services.screening import Screening
from bot.x.posts import page_from_body
from storage.cases import CaseStore
from storage.channel_posts import ChannelPosts
from storage.coordination import Cursors, Leases
from storage.models import CaseRow, FilteredPostRow, PostRow, QuarantinedPostRow
from storage.quarantine import QuarantinedPosts
from storage.screening import FilteredPosts, MutedAuthors
from tests.scenario.harness import SECRETS

BRAND_ID = "999"
NOW = datetime(2026, 6, 8, 10, 0, tzinfo=UTC)
USER_IDS = ["101", "102", "103"]
NOT_IN_INCLUDES = "104"
_pages = itertools.count(1)

# Any text, lone surrogates and NULs included, now and then one far too long.
ODD = st.sampled_from(["\ud83d", "\udc00", "\x00", "\x07", "\r\n", "<!channel>", "RT @x ",
                       "\u202e", "@acme"])
TEXT = st.one_of(
    st.lists(st.one_of(st.text(st.characters(codec=None, exclude_categories=())), ODD),
             max_size=6).map("".join),
    st.just("@acme " + "ä" * 30_000))
JUNK = st.one_of(st.none(), st.integers(), st.booleans(), st.lists(st.integers(), max_size=2),
                 st.dictionaries(st.text(max_size=3), st.integers(), max_size=2), TEXT)


def maybe(value):
    """The field as given, missing, null, or of a wrong type."""
    return st.one_of(value, st.just(...), st.none(), JUNK)


@st.composite
def post_object(draw, slot: st.SearchStrategy[int]):
    fields = {
        "id": maybe(slot.map(lambda k: ("{base}", k))),
        "text": st.one_of(TEXT, TEXT, maybe(TEXT)),
        "author_id": maybe(st.sampled_from(USER_IDS + [NOT_IN_INCLUDES])),
        "created_at": maybe(st.sampled_from(["2026-06-08T09:30:00.000Z", "yesterday",
                                             "2026-06-08T09:30:00", "2099-01-01T00:00:00Z"])),
        "conversation_id": maybe(st.sampled_from(["1", "12345678901234567890", "x"])),
        "note_tweet": maybe(st.fixed_dictionaries({"text": maybe(TEXT)})),
        "lang": maybe(st.sampled_from(["en", "de", "und"])),
        "referenced_tweets": maybe(st.lists(st.one_of(
            st.fixed_dictionaries({"type": st.sampled_from(["retweeted", "quoted",
                                                            "replied_to"]),
                                   "id": st.just("1")}), JUNK), max_size=2)),
        "in_reply_to_user_id": maybe(st.just(BRAND_ID)),
    }
    return {name: draw(strategy) for name, strategy in fields.items()}


USER = st.fixed_dictionaries({
    "id": st.sampled_from(USER_IDS),
    "username": maybe(TEXT), "name": maybe(TEXT),
    "public_metrics": maybe(st.fixed_dictionaries({"followers_count": maybe(st.integers())})),
})
PAGE = st.fixed_dictionaries({
    "data": st.lists(st.one_of(post_object(st.integers(1, 12)), JUNK), max_size=8),
    "includes": maybe(st.fixed_dictionaries({"users": maybe(st.lists(st.one_of(USER, JUNK),
                                                                   max_size=4))})),
})


def with_ids(value, base: int):
    """Turn ("{base}", k) id placeholders into post ids of this page's own range."""
    if isinstance(value, tuple) and value[:1] == ("{base}",):
        return str(base + value[1])
    if isinstance(value, list):
        return [with_ids(v, base) for v in value if v is not ...]
    if isinstance(value, dict):
        return {k: with_ids(v, base) for k, v in value.items() if v is not ...}
    return value


def is_id(value) -> bool:
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 32


def build(db):
    env = dict(SECRETS, SLACK_SIGNING_SECRET="s" * 12, CARE_CHANNEL_ID="C0CARE",
               CARE_LEAD_IDS="ULEAD1", X_API_URL="http://127.0.0.1:9", DATABASE_URL="sqlite://")
    config = Settings.from_env(env)
    clock = lambda: NOW  # noqa: E731
    screening = Screening(triager=Triager(rules=config.triage_rules), muted=MutedAuthors(db),
                          brand=lambda: (BRAND_ID, "acme"))
    quarantine = Quarantine(store=QuarantinedPosts(db), channel_posts=ChannelPosts(db),
                            channel="C0CARE", clock=clock, tz=UTC)
    intake = Intake(store=CaseStore(db), policy=config.sla_policy, channel="C0CARE",
                    clock=clock, screening=screening, filtered=FilteredPosts(db),
                    quarantine=quarantine)
    cursors = Cursors(db)
    page_ref: list[dict] = []
    poller = XPoller(x=None, intake=intake, leases=Leases(db), cursors=cursors,
                           brand_id=lambda: BRAND_ID, clock=clock, owner="test",
                           lease_seconds=60,
                           source=Source(name="mentions", cursor=MENTIONS_CURSOR,
                                         lease=POLLER_LEASE,
                                         fetch=lambda since: page_from_body(page_ref[-1])))
    return poller, cursors, page_ref


def where_each_post_is(db) -> dict[str, list[str]]:
    places: dict[str, list[str]] = {}
    with db.transaction() as s:
        for where, ids in (("case", s.scalars(select(CaseRow.source_post_id))),
                           ("post", s.scalars(select(PostRow.id))),
                           ("filtered", s.scalars(select(FilteredPostRow.id))),
                           ("quarantined", s.scalars(select(QuarantinedPostRow.post_id)))):
            for post_id in ids:
                if post_id is not None:
                    places.setdefault(post_id, []).append(where)
    return places


def nameless_quarantined(db) -> int:
    with db.transaction() as s:
        return len(s.scalars(select(QuarantinedPostRow.id)
                             .where(QuarantinedPostRow.post_id.is_(None))).all())


def test_intake_survives_any_page(db):
    poller, cursors, page_ref = build(db)

    @settings(max_examples=40, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(PAGE)
    def one_page(drawn):
        base = next(_pages) * 1000
        body = with_ids(drawn, base)
        body["meta"] = {"result_count": len(body["data"]), "newest_id": str(base + 12)}
        cursors.set(MENTIONS_CURSOR, str(base), now=NOW)
        nameless_before = nameless_quarantined(db)
        page_ref.append(body)

        result = poller.poll()

        assert result.polled and result.error is None
        assert int(cursors.get(MENTIONS_CURSOR)) >= base + 12
        items = [i for i in body["data"] if isinstance(i, dict)]
        ids = {i["id"] for i in items if is_id(i.get("id"))}
        places = where_each_post_is(db)
        for post_id in ids:
            where = places.get(post_id, [])
            mine = [p for p in where if p != "post"] or where  # a case's post row is itself
            own_reply = any(i.get("id") == post_id and i.get("author_id") == BRAND_ID
                            for i in items)
            assert own_reply or len(mine) == 1, (post_id, where)
        nameless = len([i for i in body["data"]
                        if not (isinstance(i, dict) and is_id(i.get("id")))])
        assert nameless_quarantined(db) - nameless_before == nameless

    one_page()
