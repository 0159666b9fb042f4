"""The sandbox page in a real browser: a saved reply suggested on a case, used, changed
through the draft modal's type-ahead (Slack's external select: block_suggestion, then
block_actions and views.update), approved and sent; and a lead's weekly report with its
charts, then the app's Home tab (app_home_opened, views.publish) with working buttons.

Run: ``.venv/bin/python -m pytest tests/browser -q`` (needs Debian's /usr/bin/chromium).
"""

from __future__ import annotations

import re

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the open_page fixture fails each test with a clear message
    Page = expect = None

from bot.render.ids import BlockId
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_sandbox_browser import case_card, post_as_customer, status_of

BAG_REPLY = "Sorry your bag is late"


def saved_reply_select(modal):
    return modal.locator(f"[data-block-id='{BlockId.SAVED_REPLY.value}'] [role='combobox']")


def draft_box(modal):
    return modal.locator(f"[data-block-id^='{BlockId.DRAFT_TEXT.value}'] textarea")


def claimed_case(page: Page, *, username: str, text: str):
    post_as_customer(page, username=username, text=text)
    case = case_card(page, text)
    case.get_by_role("button", name="Claim").click()
    expect(status_of(case)).to_contain_text("Claimed")
    return case


def test_a_new_user_uses_the_suggested_reply_gets_it_approved_and_sent(open_page):
    lee = open_page(user="ULEAD1")
    post_as_customer(lee, username="first_timer", text="my bag never arrived")
    case = case_card(lee, "my bag never arrived")
    expect(case.locator("[data-block-id='reply_suggestions']")).to_contain_text("Delayed bag")
    case.get_by_role("button", name="Claim").click()
    expect(status_of(case)).to_contain_text("Claimed")

    # Use fills the draft modal with the reply, placeholders resolved, its length shown
    case.get_by_role("button", name="Use: Delayed bag").click()
    modal = lee.locator(".modal")
    expect(modal.locator("h2")).to_have_text("Draft reply")
    expect(draft_box(modal)).to_have_value(re.compile(f"^{BAG_REPLY}, first_timer\\."))
    expect(modal).to_contain_text("From saved reply Delayed bag")
    expect(modal).to_contain_text("characters as X counts them")

    # The type-ahead: another reply replaces the text, then Delayed bag again
    select = saved_reply_select(modal)
    select.click()
    expect(modal.get_by_role("option", name="Delayed bag")).to_be_visible()  # min length 0
    select.fill("bag")
    expect(modal.get_by_role("option", name="Boarding pass")).to_have_count(0)  # the app's answer
    expect(modal.get_by_role("option", name="Damaged bag")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    lee.screenshot(path=str(ARTIFACTS / "sandbox-saved-reply.png"))
    select.fill("damaged")
    expect(modal.get_by_role("option")).to_have_text(["Damaged bag"])
    modal.get_by_role("option", name="Damaged bag").click()
    expect(draft_box(modal)).to_have_value(re.compile("damaged", re.I))
    expect(select).to_have_value("Damaged bag")
    select.click()
    select.fill("delayed b")
    expect(modal.get_by_role("option").first).to_have_text("Delayed bag")
    select.press("Enter")
    expect(draft_box(modal)).to_have_value(re.compile(f"^{BAG_REPLY}"))

    # The lead edits and submits; a lead's own draft needs the other lead
    box = draft_box(modal)
    box.fill(box.input_value() + " Thank you for waiting!")
    modal.locator("[data-role='submit']").click()
    expect(modal).to_be_hidden()
    expect(status_of(case)).to_contain_text("Awaiting approval")
    lee.select_option("#whoami", "ULEAD2")
    case.get_by_role("button", name="Approve").click()
    expect(status_of(case)).to_contain_text("Replied", timeout=15_000)
    sent = lee.locator(".xthread", has_text="my bag never arrived").locator(".xpost.brand")
    expect(sent).to_contain_text(BAG_REPLY)
    expect(sent).to_contain_text("Thank you for waiting!")


def test_the_type_ahead_shows_option_groups_and_what_the_app_refuses(open_page):
    alex = open_page(user="UAGENT1")
    case = claimed_case(alex, username="gus_w", text="@acme can I get a receipt for AC77?")
    case.get_by_role("button", name="Draft reply").click()
    modal = alex.locator(".modal")
    expect(modal.locator("h2")).to_have_text("Draft reply")
    box = draft_box(modal)
    box.fill("typed by Alex")

    # The same options, as an app that groups them would answer
    def grouped(route):
        answer = route.fetch().json()
        options = answer.get("options") or []
        bags = [o for o in options if "bag" in o["text"]["text"].lower()]
        rest = [o for o in options if o not in bags]
        route.fulfill(json={"ok": True, "option_groups": [
            {"label": {"type": "plain_text", "text": "Baggage"}, "options": bags},
            {"label": {"type": "plain_text", "text": "Everything else"}, "options": rest}]})

    alex.route("**/api/slack/options", grouped)
    select = saved_reply_select(modal)
    select.click()
    select.fill("bag")
    groups = modal.locator(".sk-combo-group")
    expect(groups.first.locator(".sk-combo-label")).to_have_text("Baggage")
    expect(groups.first.get_by_role("option", name="Delayed bag")).to_be_visible()
    select.press("Escape")  # closes the menu, not the modal
    expect(modal).to_be_visible()
    expect(modal.get_by_role("option")).to_have_count(0)
    expect(box).to_have_value("typed by Alex")
    select.click()
    select.fill("bag")
    groups.first.get_by_role("option", name="Delayed bag").click()
    expect(draft_box(modal)).to_have_value(re.compile(f"^{BAG_REPLY}"))
    alex.unroute("**/api/slack/options")

    # An answer Slack would refuse shows as such in the menu
    alex.route("**/api/slack/options", lambda route: route.fulfill(
        json={"ok": False, "error": "an option's text is over 75 characters"}))
    select.click()
    select.fill("refund")
    expect(modal.locator(".sk-combo-note")).to_have_text("an option's text is over 75 characters")


def test_a_lead_sees_the_weekly_charts_then_the_queue_on_the_home_tab(open_page):
    lee = open_page(user="ULEAD1")
    expect(case_card(lee, "folding bike")).to_be_visible()
    lee.fill("#care-input", "report week")
    lee.press("#care-input", "Enter")
    expect(lee.locator(".msg.ephemeral", has_text="/care report week")).to_contain_text(
        "Building the report for last week")
    report = lee.locator("article.msg.parent", has_text="Care report: week of")
    charts = report.locator("img.file-image")
    expect(charts).to_have_count(5, timeout=60_000)
    for n in range(5):
        expect(charts.nth(n)).to_have_attribute("alt", re.compile(r"\S"))
        charts.nth(n).scroll_into_view_if_needed()
        lee.wait_for_function("img => img.complete && img.naturalWidth > 0",
                              arg=charts.nth(n).element_handle())
    expect(report.locator("a.file", has_text=".csv")).to_have_count(1)

    # The Home tab: opening it sends app_home_opened, the app publishes the lead's view
    lee.click("#home-tab")
    home = lee.locator("#home")
    expect(home).to_be_visible()
    expect(lee.locator("#channel")).to_be_hidden()
    expect(home.locator("h3.header", has_text="Queue")).to_be_visible()
    expect(home).to_contain_text(re.compile(r"\d+ open · \d+ unclaimed · \d+ awaiting approval"))
    expect(home.locator("h3.header", has_text="Agents' load")).to_be_visible()
    expect(home).to_contain_text("page 1 of")
    lee.locator("#slack-pane").screenshot(path=str(ARTIFACTS / "sandbox-home.png"))

    # Its buttons: block_actions from the home view; the modal they open shows as usual
    home.get_by_role("button", name="Next").first.click()
    expect(home).to_contain_text("page 2 of")
    home.get_by_role("button", name="Edit").first.click()
    modal = lee.locator(".modal")
    expect(modal.locator("h2")).to_have_text("Edit saved reply")
    expect(modal.locator("input, textarea").first).not_to_have_value("")
    modal.get_by_role("button", name="Cancel").click()
    expect(modal).to_be_hidden()

    # An agent's Home tab: their own cases, and no editing of the replies
    lee.select_option("#whoami", "UAGENT1")
    expect(home.locator("h3.header", has_text="Your open cases")).to_be_visible()
    expect(home).to_contain_text("Only team leads can change them")
    expect(home.get_by_role("button", name="Edit")).to_have_count(0)
    lee.locator("#channels .chan", has_text="care").first.click()
    expect(lee.locator("#channel")).to_be_visible()
    expect(report).to_be_visible()
