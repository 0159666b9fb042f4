"""The sandbox page in a real browser: moving a case to DM, sending a draft as a DM (the
"Send as" radio), escalating to a team's channel (a select in a modal), and a customer's DM
opening a case.

Run: ``.venv/bin/python -m pytest tests/browser -q`` (needs Debian's /usr/bin/chromium).
"""

from __future__ import annotations

import re
import time

try:
    from playwright.sync_api import expect
except ImportError:  # the open_page fixture fails each test with a clear message
    expect = None

from bot.render.ids import BlockId
from tests.browser.test_sandbox_browser import case_card, post_as_customer, status_of

LIMIT_SECONDS = 40
COMPOSE_LINK = "https://x.com/messages/compose?recipient_id="
REQUIRED = "Please complete this required field."


def block(modal, block_id: BlockId):
    return modal.locator(f".block.input[data-block-id='{block_id.value}']")


def error_of(modal, block_id: BlockId):
    return modal.locator(f".input-error[data-block-id='{block_id.value}']")


def claimed_case(page, *, username: str, text: str, find: str):
    """A customer posts ``text``; Alex (the page's user) claims the case it opens."""
    post_as_customer(page, username=username, text=text)
    case = case_card(page, find)
    case.get_by_role("button", name="Claim").click()
    expect(status_of(case)).to_contain_text("Claimed")
    return case


def test_move_to_dm_sends_the_public_invite_and_the_dm(open_page):
    started = time.monotonic()
    alex = open_page(user="UAGENT1")
    case = claimed_case(alex, username="lena_k", find="refund for AC77",
                        text="@acme my refund for AC77 never arrived, booking ref QX7P2")

    case.get_by_role("button", name="Move to DM").click()
    modal = alex.locator(".modal")
    expect(modal.locator("h2")).to_have_text("Move to DM")
    invite = block(modal, BlockId.DRAFT_TEXT).locator("textarea")
    expect(invite).to_have_value(re.compile(re.escape(COMPOSE_LINK) + r"\d+"))
    expect(block(modal, BlockId.DRAFT_TEXT).locator(".input-label")).to_contain_text("(optional)")
    expect(block(modal, BlockId.DM_TEXT).locator(".input-label")).to_contain_text("(optional)")
    direct = "Hi Lena, booking QX7P2: the refund left us on the 3rd, reference RF-2291."
    block(modal, BlockId.DM_TEXT).locator("textarea").fill(direct)
    modal.locator("[data-role='submit']").click()
    expect(modal).to_be_hidden()
    thread = case.locator(".thread")
    expect(status_of(case)).to_contain_text("Awaiting approval")
    expect(thread).to_contain_text("PUBLIC reply")
    expect(thread).to_contain_text("DM (only the customer sees it)")
    expect(thread).to_contain_text(direct)

    alex.select_option("#whoami", "ULEAD1")
    case.get_by_role("button", name="Approve").click()
    expect(thread).to_contain_text("Sent publicly on X", timeout=15_000)
    expect(thread).to_contain_text("DM sent to the customer", timeout=15_000)
    expect(case).to_contain_text("Moved to DM")

    # on X: the invite is public, under the post; the DM is only in the DM conversation
    post = alex.locator(".xthread", has_text="refund for AC77")
    expect(post.locator(".xpost.brand.d1")).to_contain_text(COMPOSE_LINK)
    expect(post).not_to_contain_text(direct)
    convo = alex.locator("#x-dms .dm[data-username='lena_k']")
    expect(convo.locator(".dm-badge")).to_have_text("DM")
    expect(convo.locator(".bubble.mine")).to_contain_text(direct)
    expect(convo.locator(".bubble.mine .bubble-meta")).to_contain_text("DM from @acme")
    assert time.monotonic() - started < LIMIT_SECONDS


def test_send_as_dm_in_the_draft_modal_sends_no_public_post(open_page, sandbox):
    started = time.monotonic()
    alex = open_page(user="UAGENT1")
    case = claimed_case(alex, username="kofi_a", find="AC605",
                        text="@acme is the lounge in Terminal 2 open for AC605 tonight?")
    brand_posts_before = len(sandbox.x.brand_posts())

    case.get_by_role("button", name="Draft reply").click()
    modal = alex.locator(".modal")
    public = modal.get_by_role("radio", name="PUBLIC reply on X")
    dm = modal.get_by_role("radio", name="Direct message (DM)")
    expect(public).to_be_checked()
    dm.check()
    modal.locator("[data-role='submit']").click()  # nothing typed: the page says so
    expect(error_of(modal, BlockId.DRAFT_TEXT)).to_have_text(REQUIRED)
    expect(dm).to_be_checked()
    reply = "Hi Kofi, yes: the T2 lounge is open until 23:00. Show your AC605 boarding pass."
    block(modal, BlockId.DRAFT_TEXT).locator("textarea").fill(reply)
    modal.locator("[data-role='submit']").click()
    expect(modal).to_be_hidden()
    thread = case.locator(".thread")
    expect(thread).to_contain_text("DM (only the customer sees it)")
    expect(thread).not_to_contain_text("PUBLIC reply")

    alex.select_option("#whoami", "ULEAD1")
    case.get_by_role("button", name="Approve").click()
    expect(thread).to_contain_text("DM sent to the customer", timeout=15_000)
    expect(status_of(case)).to_contain_text("Replied")
    convo = alex.locator("#x-dms .dm[data-username='kofi_a']")
    expect(convo.locator(".bubble.mine")).to_contain_text(reply)
    post = alex.locator(".xthread", has_text="AC605")
    expect(post.locator(".xpost")).to_have_count(1)
    expect(alex.locator(".xpost.brand", has_text="T2 lounge")).to_have_count(0)
    assert len(sandbox.x.brand_posts()) == brand_posts_before
    assert time.monotonic() - started < LIMIT_SECONDS


def test_escalation_summary_shows_in_the_team_channel_with_a_link_back(open_page):
    started = time.monotonic()
    lee = open_page(user="ULEAD1")
    case = case_card(lee, "folding bike")
    case.get_by_role("button", name="Escalate").click()
    modal = lee.locator(".modal")
    expect(modal.locator("h2")).to_have_text("Escalate")
    team = block(modal, BlockId.DEPARTMENT).locator("select")
    note = block(modal, BlockId.ESCALATION_NOTE).locator("textarea")
    expect(team.locator("option:checked")).to_have_text("Choose a team")

    modal.locator("[data-role='submit']").click()  # nothing chosen or typed
    expect(error_of(modal, BlockId.DEPARTMENT)).to_have_text(REQUIRED)
    expect(error_of(modal, BlockId.ESCALATION_NOTE)).to_have_text(REQUIRED)
    team.select_option(label="legal")
    note.fill("   ")  # passes the page, the bot refuses it under the note; the choice stays
    modal.locator("[data-role='submit']").click()
    expect(error_of(modal, BlockId.ESCALATION_NOTE)).not_to_be_empty()
    expect(error_of(modal, BlockId.ESCALATION_NOTE)).not_to_have_text(REQUIRED)
    expect(error_of(modal, BlockId.DEPARTMENT)).to_be_empty()
    expect(team.locator("option:checked")).to_have_text("legal")
    why = "Customer asks about carrying lithium batteries in the bike; need a policy answer."
    note.fill(why)
    modal.locator("[data-role='submit']").click()
    expect(modal).to_be_hidden()
    expect(case).to_contain_text("Escalated to legal")
    expect(case.locator(".thread")).to_contain_text("escalated this case to legal")

    # the team's channel: a badge in the sidebar, the summary with a link back to the case
    legal = lee.locator("#channels .chan", has_text="care-legal")
    expect(legal.locator(".badge")).to_have_text("1")
    case.locator(".thread a.channel-link", has_text="#care-legal").click()
    expect(lee.locator("#channel-name")).to_have_text("care-legal")
    expect(legal).to_have_attribute("aria-current", "true")
    summary = lee.locator("#channel article.msg.parent")
    expect(summary).to_have_count(1)
    expect(summary).to_contain_text("Escalated to legal")
    expect(summary).to_contain_text("folding bike")
    expect(summary).to_contain_text(why)
    link = summary.locator("a", has_text=re.compile(r"case #\d+"))
    expect(link).to_have_attribute("href", re.compile(r"/archives/C0CARE/p\d{16}$"))
    expect(lee.locator("#care-form")).to_be_hidden()

    link.click()  # back to the case in #care
    expect(lee.locator("#channel-name")).to_have_text("care")
    expect(case).to_have_class(re.compile(r"\bhighlight\b"))
    expect(case).to_be_in_viewport()
    assert time.monotonic() - started < LIMIT_SECONDS


def test_a_customer_dm_opens_a_case_that_says_it_came_in_as_a_dm(open_page):
    alex = open_page(user="UAGENT1")
    text = "Hi, my booking AC300 shows the wrong surname (Smiht). Can you fix it?"
    post_as_customer(alex, username="ines_m", text=text, kind="dm")

    convo = alex.locator("#x-dms .dm[data-username='ines_m']")
    expect(convo.locator(".bubble:not(.mine)")).to_contain_text(text)
    expect(convo.locator(".bubble-meta")).to_contain_text("DM from @ines_m")
    expect(alex.locator(".xthread", has_text="wrong surname")).to_have_count(0)
    case = case_card(alex, "wrong surname")
    expect(case).to_contain_text("Came in as a DM")
    expect(status_of(case)).to_contain_text("New")
    expect(case.locator("[data-block-id='case_post']")).to_contain_text("@ines_m")
