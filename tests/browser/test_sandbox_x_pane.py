"""The sandbox's X pane in a real browser: a customer answers the brand's reply (a follow-up
in the same conversation, after a second lead approved a lead's own draft), and a reply the
desk hid on X is marked there, with the bot's emoji codes shown as pictures.

Run: ``.venv/bin/python -m pytest tests/browser -q`` (needs Debian's /usr/bin/chromium).
"""

from __future__ import annotations

try:
    from playwright.sync_api import expect
except ImportError:  # the open_page fixture fails each test with a clear message
    expect = None

from bot.render.ids import BlockId
from tests.browser.test_sandbox_browser import case_card, post_as_customer, status_of


def draft(page, case, text: str) -> None:
    case.get_by_role("button", name="Draft reply").click()
    modal = page.locator(".modal")
    modal.locator(f"[data-block-id='{BlockId.DRAFT_TEXT.value}'] textarea").fill(text)
    modal.locator("[data-role='submit']").click()
    expect(modal).to_be_hidden()
    expect(status_of(case)).to_contain_text("Awaiting approval")


def test_a_customer_answers_the_brands_reply_in_the_same_conversation(open_page):
    lee = open_page(user="ULEAD1")
    post_as_customer(lee, username="kai_r", text="@acme is the lounge in Lisbon open at 5am?")
    case = case_card(lee, "lounge in Lisbon")
    case.get_by_role("button", name="Claim").click()
    expect(status_of(case)).to_contain_text("Claimed")
    answer = "Hi Kai! The Lisbon lounge opens at 5:30am, right after security."
    draft(lee, case, answer)

    # A lead's own draft needs another lead: Kim, the second lead, approves it
    expect(lee.locator("#whoami option")).to_contain_text(["Lee (lead)", "Kim (lead)"])
    lee.select_option("#whoami", "ULEAD2")
    case.get_by_role("button", name="Approve").click()
    expect(status_of(case)).to_contain_text("Replied", timeout=15_000)

    # On X the brand's reply has a Reply button that answers it as the customer
    thread = lee.locator(".xthread", has_text="lounge in Lisbon")
    ours = thread.locator(".xpost.brand.d1")
    expect(ours).to_contain_text(answer)
    ours.get_by_role("button", name="Reply").click()
    expect(lee.locator("#x-kind")).to_have_value("reply")
    expect(lee.locator("#x-username")).to_have_value("kai_r")
    expect(lee.locator("#x-reply-to option:checked")).to_contain_text("↩ to @kai_r")
    expect(lee.locator("#x-text")).to_be_focused()
    lee.fill("#x-text", "and on Sundays too?")
    lee.click("#x-submit")
    expect(lee.locator("#x-text")).to_have_value("")

    # The follow-up sits under the brand's reply on X and lands in the same case
    expect(thread.locator(".xpost.d2")).to_contain_text("and on Sundays too?")
    expect(thread.locator(".xpost.d2")).to_contain_text("@kai_r")
    expect(case.locator(".thread")).to_contain_text("and on Sundays too?")
    expect(status_of(case)).to_contain_text("Claimed")
    expect(lee.locator("article.msg.parent", has_text="Sundays")).to_have_count(1)


def test_a_reply_hidden_from_its_case_is_marked_on_x(open_page):
    alex = open_page(user="UAGENT1")
    expect(alex.locator("#x-timeline .xpost.brand", has_text="Storms around Chicago")
           ).to_be_visible()
    alex.select_option("#x-kind", "reply")
    expect(alex.locator("#x-reply-to option:checked")).to_contain_text("Storms around Chicago")
    post_as_customer(alex, username="spam_vic", kind="reply",
                     text="your airline is a joke, worst delays ever, never flying again")
    case = case_card(alex, "worst delays ever")
    reply_on_x = alex.locator(".xpost", has_text="worst delays ever")
    expect(reply_on_x).not_to_have_class("hidden-reply")

    case.locator("select.sk-overflow").select_option(label="Hide reply on X")
    expect(reply_on_x).to_have_class("xpost d1 hidden-reply")
    expect(reply_on_x.locator(".hidden-badge")).to_have_text("Hidden by @acme")
    note = case.locator(".thread .msg", has_text="hid this reply on X")
    expect(note).to_contain_text("🙈")
    expect(note).not_to_contain_text(":see_no_evil:")

    case.locator("select.sk-overflow").select_option(label="Mute author")
    expect(case.locator(".thread")).to_contain_text("🔇")
    expect(case).not_to_contain_text(":mute:")
    expect(alex.locator("#slack-pane")).not_to_contain_text(":small_red_triangle:")
