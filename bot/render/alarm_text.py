"""What the bot says when listening to X breaks, goes quiet, or recovers."""

from __future__ import annotations

from bot.render.mrkdwn import safe

FIX_CREDENTIALS = ("X refused the credentials. Check X_BEARER_TOKEN, X_API_KEY, X_API_SECRET, "
                   "X_ACCESS_TOKEN and X_ACCESS_TOKEN_SECRET, then restart the bot.")
FIX_CREDITS = ("The X API credits are used up. Add credits in the X developer portal "
               "(Billing); polling resumes by itself once reads are paid for.")
FIX_ACCESS = ("X refused access to this endpoint. Check the app's access level and "
              "permissions in the X developer portal.")
FIX_CAP = ("The monthly X usage cap is reached. Raise the cap in the X developer portal, or "
           "narrow X_SEARCH_QUERY; polling resumes by itself.")
SILENCE_OVER = ":white_check_mark: Mentions are arriving again."

SOURCES = {"mentions": "mentions", "search": "the search", "dms": "DMs"}


def poll_failed(*, source: str, reason: str, fix: str, leads: str) -> str:
    return (f":rotating_light: *Polling X for {SOURCES.get(source, source)} has stopped working.*"
            f" {leads}\nX said: {safe(reason, 300)}\n*What to do:* {fix}\n"
            "Until then no new posts reach this channel. You will be told when it works again.")


def poll_recovered(*, source: str) -> str:
    return (f":white_check_mark: Polling X for {SOURCES.get(source, source)} works again; "
            "posts that came in meanwhile are being brought in.")


def silence(*, hours: float, leads: str) -> str:
    return (f":zzz: *No mention has arrived for {hours:g} office hours.* {leads}\n"
            "That is unusual: check that the brand account and the X app are healthy "
            "(`/care status`, GET /healthz). You will be told when mentions arrive again.")
