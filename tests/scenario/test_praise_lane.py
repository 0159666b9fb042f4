"""The praise lane over the real app: the hourly digest, Like on X, Thank through approval,
"+N more" with /care praise, and agents' corrections of triage recorded and exported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.render.ids import ActionId, BlockId, InputId, ViewId
from tests.scenario.harness import AGENT, CHANNEL, LEAD, wait_until

ROOT = Path(__file__).resolve().parents[2]
DIGEST = "Praise this hour"


def digests(desk) -> list[dict]:
    return [m for m in desk.parents() if m.get("text", "").startswith(DIGEST)]


def post_digest(desk, count: int = 1) -> dict:
    desk.runtime.jobs.kick("praise_digest")
    return wait_until(lambda: len(digests(desk)) == count and digests(desk)[-1],
                      message="the praise digest")


def buttons(message: dict) -> list[dict]:
    return [e for b in message.get("blocks") or [] if b.get("type") == "actions"
            for e in b["elements"]]


def case_parent(desk, post_id: str) -> dict:
    return wait_until(lambda: next((m for m in desk.parents()
                                    if f"/status/{post_id}" in str(m.get("blocks"))
                                    and not m.get("text", "").startswith(DIGEST)), None),
                      message=f"case parent for {post_id}")


def click(desk, action: ActionId, post_id: str, *, user: str = AGENT, ts: str = "1.000001"):
    return desk.requests.click(user_id=user, action_id=action.value, value=post_id,
                               channel_id=CHANNEL, message_ts=ts, block_id=f"praise_{post_id}")


def test_praise_goes_to_an_hourly_digest_most_followed_first_with_like_and_thank(desk):
    desk.x.add_user(username="small_fan", name="Small Fan", followers_count=12)
    desk.x.add_user(username="big_fan", name="Big <!channel> Fan", followers_count=98_000)
    small = desk.x.post_as_customer(username="small_fan", text="@acme love the new lounge")
    big = desk.x.post_as_customer(username="big_fan",
                                  text="@acme thank you so much, best crew ever!")
    desk.poll()
    digest = post_digest(desk)
    blocks = str(digest["blocks"])
    assert "98,000 followers" in blocks and "&lt;!channel&gt;" in blocks
    assert "<!channel>" not in blocks
    assert blocks.index(f"/status/{big}") < blocks.index(f"/status/{small}")
    shown = buttons(digest)
    assert [(b["action_id"], b["value"]) for b in shown if b["value"] == big] == [
        (ActionId.PRAISE_LIKE.value, big), (ActionId.PRAISE_THANK.value, big),
        (ActionId.PRAISE_MAKE_CASE.value, big)]
    assert [m for m in desk.parents() if m not in digests(desk)] == []  # no case opened
    # One digest an hour: new praise waits for the next one.
    desk.x.post_as_customer(username="small_fan", text="@acme great service today, thanks!")
    desk.poll()
    desk.runtime.jobs.kick("praise_digest")
    wait_until(lambda: not desk.runtime.jobs.jobs["praise_digest"].running.is_set(),
               message="the digest job")
    assert len(digests(desk)) == 1


def test_like_likes_the_post_on_x_once_and_a_429_is_told_not_lost(desk):
    first = desk.x.post_as_customer(username="fan", text="@acme love the new lounge")
    second = desk.x.post_as_customer(username="fan2", text="@acme thank you, best crew ever!")
    desk.poll()
    digest = post_digest(desk)
    click(desk, ActionId.PRAISE_LIKE, first, ts=digest["ts"])
    wait_until(lambda: first in desk.x.liked_post_ids(), message="the like on X")
    wait_until(lambda: "Liked on X" in str(desk.ephemerals_for(AGENT)), message="told")
    liked_by = desk.runtime.poller.intake.praise.items.get(first).liked_by
    assert liked_by == AGENT
    click(desk, ActionId.PRAISE_LIKE, first, user=LEAD, ts=digest["ts"])
    wait_until(lambda: "liked already" in str(desk.ephemerals_for(LEAD)), message="double")
    assert len([p for m, p in desk.x.requests if m == "POST" and p.endswith("/likes")]) == 1

    desk.x.fail_next(method="POST", path_prefix="/2/users/", status=429)
    click(desk, ActionId.PRAISE_LIKE, second, ts=digest["ts"])
    wait_until(lambda: "like limit" in str(desk.ephemerals_for(AGENT)), message="429 told")
    assert second not in desk.x.liked_post_ids()
    assert desk.runtime.poller.intake.praise.items.get(second).liked_at is None


def test_thank_opens_the_draft_and_the_reply_goes_through_approval(desk):
    post_id = desk.x.post_as_customer(username="fan", text="@acme love the new lounge")
    desk.poll()
    digest = post_digest(desk)
    before = len(desk.slack.views())
    click(desk, ActionId.PRAISE_THANK, post_id, ts=digest["ts"])
    view = wait_until(lambda: [v for v in desk.slack.views()[before:]
                               if v["view"].get("callback_id") == ViewId.DRAFT.value],
                      message="the draft modal")[-1]["view"]
    parent = case_parent(desk, post_id)
    assert "*praise*" in str(parent["blocks"])
    response = desk.requests.submit_view(user_id=AGENT, view=view, values={
        BlockId.DRAFT_TEXT.value: {InputId.DRAFT_TEXT.value: "Thank you, Fan! See you soon."}})
    assert response.status_code == 200
    desk.approve(parent, user=LEAD)
    desk.wait_state(parent, "Replied")
    sent = desk.x.brand_posts()
    assert [(p["text"], p["in_reply_to_tweet_id"]) for p in sent] == [
        ("Thank you, Fan! See you soon.", post_id)]
    # Thank is not a correction of triage.
    assert desk.runtime.poller.intake.praise.learning.labels.since(None) == []


def test_what_does_not_fit_is_counted_and_care_praise_lists_it(desk):
    ids = []
    for n in range(18):
        desk.x.add_user(username=f"fan{n}", followers_count=1000 + n)
        ids.append(desk.x.post_as_customer(username=f"fan{n}",
                                           text="@acme thank you, best crew ever!"))
    desk.poll()
    digest = post_digest(desk)
    assert len(digest["blocks"]) <= 40
    assert "+3 more: `/care praise` lists them." in str(digest["blocks"])
    answer = desk.requests.command(user_id=AGENT, text="praise", channel_id=CHANNEL).json()
    assert answer["response_type"] == "ephemeral"
    listed = {b["value"] for b in buttons(answer)}
    assert listed == set(ids[:3])  # the three least-followed
    assert "fan17" not in str(answer["blocks"])


def test_corrections_are_recorded_exported_and_counted_in_care_triage(desk, database_url,
                                                                     tmp_path):
    praise = desk.x.post_as_customer(username="fan", text="@acme love the new lounge")
    chatter = desk.x.post_as_customer(username="chat", text="@acme just saw your ad on tv")
    question = desk.x.post_as_customer(username="jane", text="@acme how do I add a bag?")
    desk.poll()
    digest = post_digest(desk)
    click(desk, ActionId.PRAISE_MAKE_CASE, praise, ts=digest["ts"])
    wait_until(lambda: "opened in the care channel" in str(desk.ephemerals_for(AGENT)),
               message="praise made a case")
    case_parent(desk, praise)
    desk.requests.click(user_id=AGENT, action_id=ActionId.MAKE_CASE.value, value=chatter,
                        channel_id=CHANNEL, message_ts="1.000002")
    case_parent(desk, chatter)
    parent = case_parent(desk, question)
    desk.click(parent, ActionId.CLOSE, user=AGENT, option="not_a_request")
    desk.wait_state(parent, "Not a request")

    labels = desk.runtime.poller.intake.praise.learning.labels
    recorded = wait_until(lambda: len(labels.since(None)) == 3 and labels.since(None),
                          message="three corrections")
    assert {(e.post_id, e.triage_lane, e.label, e.correction, e.labelled_by)
            for e in recorded} == {
        (praise, "praise", "case", "praise_made_case", AGENT),
        (chatter, "filtered", "case", "filtered_made_case", AGENT),
        (question, "case", "filtered", "closed_not_a_request", AGENT)}
    assert all(e.brand_handle == "acme" and e.triage_reason for e in recorded)

    figures = desk.requests.command(user_id=LEAD, text="triage", channel_id=CHANNEL).json()
    text = figures["text"]
    assert "3 cases, 1 praise, 1 filtered" in text
    assert "Filtered posts agents made cases: 1" in text
    assert "Cases closed as not a request: 1" in text
    assert "Praise agents made cases: 1" in text
    assert 'closed as not a request: question: asks "how do I add…" (1)' in text

    exported = tmp_path / "labels.jsonl"
    run = subprocess.run(
        [sys.executable, str(ROOT / "app.py"), "triage", "--export-labels", str(exported),
         "--evaluate", str(exported), "--json"], capture_output=True, text=True, timeout=120,
        env={"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"}, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in exported.read_text().splitlines()]
    assert {(r["id"], r["label"]) for r in rows} == {
        (praise, "case"), (chatter, "case"), (question, "filtered")}
    assert all(r["brand_handle"] == "acme" and r["text"] for r in rows)
    scores = json.loads(run.stdout)
    assert scores["posts"] == 3
    # Every example contradicts triage: triage gets none of them right.
    lanes = scores["lanes"]
    assert (lanes["case"]["count"], lanes["case"]["recall"]) == (2, 0.0)
    assert (lanes["filtered"]["count"], lanes["filtered"]["recall"]) == (1, 0.0)
