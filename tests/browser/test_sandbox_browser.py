"""The sandbox page in a real browser: a customer posts on X, agents work the case in the
Slack pane (buttons, modal, ephemerals, /care), the lead approves, the reply shows on X.

Run: ``.venv/bin/python -m pytest tests/browser -q`` (needs Debian's /usr/bin/chromium).
"""

from __future__ import annotations

import re
import time

from slack_sdk import WebClient

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the open_page fixture fails each test with a clear message
    Page = expect = None

from bot.render.ids import BlockId
from tests.browser.conftest import ARTIFACTS

LIMIT_SECONDS = 45


def case_card(page: Page, text: str):
    """The parent message of the case whose post contains ``text``."""
    return page.locator("article.msg.parent", has_text=text)


def status_of(case):
    return case.locator("[data-block-id='case_status']")


def post_as_customer(page: Page, *, username: str, text: str, kind: str = "mention") -> None:
    page.fill("#x-username", username)
    page.select_option("#x-kind", kind)
    page.fill("#x-text", text)
    page.click("#x-submit")
    expect(page.locator("#x-text")).to_have_value("")


def test_customer_question_to_approved_reply_on_x(open_page):
    started = time.monotonic()
    alex = open_page(user="UAGENT1")
    question = "@acme can I change my seat on AC512 tomorrow without paying?"
    post_as_customer(alex, username="nora_f", text=question)

    # the question shows on X and, after the bot polls, as a case in the Slack pane
    expect(alex.locator(".xthread", has_text="AC512").first).to_be_visible()
    case = case_card(alex, "change my seat on AC512")
    expect(case).to_be_visible()
    expect(status_of(case)).to_contain_text("New")
    expect(case.locator("[data-block-id='case_post']")).to_contain_text("@nora_f")

    # Sam has the channel open too, but his client stops refreshing (a stale view)
    sam = open_page(user="UAGENT2")
    sam_case = case_card(sam, "change my seat on AC512")
    expect(sam_case.get_by_role("button", name="Claim")).to_be_visible()
    sam.route(re.compile(r"/api/state"), lambda route: route.abort())

    # Alex claims: the parent shows who has it
    case.get_by_role("button", name="Claim").click()
    expect(status_of(case)).to_contain_text("Claimed")
    expect(status_of(case)).to_contain_text("@Alex (agent)")
    expect(case.locator(".thread")).to_contain_text("Claimed by @Alex (agent)")

    # Sam clicks Claim on his stale copy: refused, privately
    sam_case.get_by_role("button", name="Claim").click()
    sam.unroute(re.compile(r"/api/state"))
    refusal = sam.locator(".msg.ephemeral", has_text="already claimed")
    expect(refusal).to_contain_text("already claimed by @Alex (agent)")
    expect(refusal).to_contain_text("Only visible to you")
    expect(alex.locator(".msg.ephemeral")).to_have_count(0)

    # Alex drafts: too long first (the error shows inline, the text stays), then a good one
    case.get_by_role("button", name="Draft reply").click()
    modal = alex.locator(".modal")
    expect(modal.locator("h2")).to_have_text("Draft reply")
    expect(modal).to_contain_text("@nora_f")
    box = modal.locator(f"[data-block-id='{BlockId.DRAFT_TEXT.value}'] textarea")
    error = modal.locator(f".input-error[data-block-id='{BlockId.DRAFT_TEXT.value}']")
    too_long = "Hi Nora! " + "Yes, seat changes on AC512 are free until 24 hours before. " * 6
    box.fill(too_long)
    modal.locator("[data-role='submit']").click()
    expect(error).to_contain_text("the limit is 280")
    expect(modal).to_be_visible()
    expect(box).to_have_value(too_long)
    ARTIFACTS.mkdir(exist_ok=True)
    alex.screenshot(path=str(ARTIFACTS / "sandbox-modal.png"))
    reply = "Hi Nora! Seat changes on AC512 are free until 24 hours before departure: use " \
            "Manage booking in the app."
    box.fill(reply)
    modal.locator("[data-role='submit']").click()
    expect(modal).to_be_hidden()
    expect(status_of(case)).to_contain_text("Awaiting approval")
    expect(case.locator(".thread")).to_contain_text("PUBLIC reply")

    # Lee (lead) approves; the reply goes out and shows on X under the question
    alex.select_option("#whoami", "ULEAD1")
    case.get_by_role("button", name="Approve").click()
    expect(status_of(case)).to_contain_text("Replied", timeout=15_000)
    expect(case.locator(".thread")).to_contain_text("Sent publicly on X")
    thread = alex.locator(".xthread", has_text="AC512 tomorrow")
    expect(thread.locator(".xpost.d0")).to_contain_text(question)
    expect(thread.locator(".xpost.brand.d1")).to_contain_text(reply)
    expect(thread.locator(".xpost.brand.d1")).to_contain_text("@acme")

    alex.mouse.move(0, 0)
    case.evaluate("node => node.scrollIntoView({block: 'start'})")
    alex.locator("#slack-pane").screenshot(path=str(ARTIFACTS / "sandbox-slack.png"))
    alex.screenshot(path=str(ARTIFACTS / "sandbox-page.png"))  # the README picture
    assert time.monotonic() - started < LIMIT_SECONDS


def test_care_status_answers_privately_with_open_cases(open_page):
    lee = open_page(user="ULEAD1")
    expect(case_card(lee, "folding bike")).to_be_visible()
    lee.fill("#care-input", "status")
    lee.press("#care-input", "Enter")
    answer = lee.locator(".msg.ephemeral", has_text="/care status")
    expect(answer).to_contain_text("Only visible to you")
    expect(answer.locator("strong").first).to_be_visible()  # *bold* rendered, not shown raw
    expect(answer).not_to_contain_text("*")
    expect(answer).to_contain_text(re.compile(r"\b[1-9]\d* open\b|open cases:? [1-9]", re.I))
    expect(lee.locator("#care-input")).to_have_value("")


def test_channel_ping_in_a_post_stays_literal_text(open_page):
    page = open_page()
    # a real request (so screening keeps it) carrying a channel ping and a spoofed link
    text = ("@acme <!channel> my bag is lost after AC9 to Rome. "
            "Is <https://evil.example/phish|acme.com/refund> really your refund form?")
    post_as_customer(page, username="rita_b", text=text)
    case = case_card(page, "lost after AC9")
    post = case.locator("[data-block-id='case_post'] blockquote")
    expect(post).to_contain_text("@acme <!channel> my bag is lost after AC9 to Rome.")
    expect(post).to_contain_text("<https://evil.example/phish|acme.com/refund>")
    expect(page.locator(".mention.broadcast")).to_have_count(0)
    expect(page.locator("a[href*='evil.example']")).to_have_count(0)
    expect(page.locator(".xpost", has_text="lost after AC9")).to_contain_text("<!channel>")
    expect(page.locator(".xpost", has_text="FREE FLIGHTS")).to_contain_text("<!channel>")


def test_block_kit_and_mrkdwn_rendering(open_page, sandbox):
    client = WebClient(token=sandbox.settings.slack_bot_token, base_url=sandbox.slack.url)
    client.chat_postMessage(channel=sandbox.channel, text="fallback", blocks=[
        {"type": "header", "text": {"type": "plain_text", "text": "Render check"}},
        {"type": "section", "text": {"type": "mrkdwn", "text":
            "*bold* _it_ ~gone~ `code` <https://example.com/a|a link> <@UAGENT2> "
            "<!date^1700000000^{date_short}|Nov 14> &lt;b&gt;not html&lt;/b&gt; &amp;amp; "
            ":rocket: jane_doe_x\n&gt; quoted line"}},
        {"type": "divider"},
        {"type": "rich_text", "elements": []},
    ])
    page = open_page()
    card = page.locator("article.msg.parent", has_text="Render check")
    expect(card.locator("h3.header")).to_have_text("Render check")
    section = card.locator(".section-text")
    expect(section.locator("strong")).to_have_text("bold")
    expect(section.locator("em")).to_have_text("it")
    expect(section.locator("s")).to_have_text("gone")
    expect(section.locator("code")).to_have_text("code")
    expect(section.locator("a")).to_have_text("a link")
    expect(section.locator("a")).to_have_attribute("href", "https://example.com/a")
    expect(section.locator(".mention")).to_have_text("@Sam (agent)")
    expect(section).to_contain_text("Nov 14 <b>not html</b> &amp; 🚀 jane_doe_x")
    expect(section.locator("b")).to_have_count(0)
    expect(section.locator("blockquote")).to_have_text("quoted line")
    expect(card.locator("hr.divider")).to_have_count(1)
    expect(card.locator(".unsupported")).to_have_text("[unsupported block: rich_text]")
