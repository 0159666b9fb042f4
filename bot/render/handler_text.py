"""Sentences the Slack listeners say themselves: welcomes, modal checks and refusals."""

from __future__ import annotations

from bot.render import care_answers

WELCOME = (":wave: Welcome to the care desk! Posts that need an answer appear here as cases: "
           "*Claim* one, *Draft reply*, and a lead approves before it goes out.\n"
           + care_answers.HELP)

WRITE_SOMETHING = "Write the public invitation, the DM, or both."

NOT_OUR_BUTTON = ("That button did not come from the care desk, or it is from an older "
                  "version of it, so nothing was changed. Use the buttons on the case itself.")

# --- refusals of the request guard ---------------------------------------------------------
OTHER_WORKSPACE = ("The care desk only acts for the workspace it is installed in, "
                   "so nothing was changed.")
NO_USER = "The care desk could not tell who clicked, so nothing was changed."
OTHER_PLACE = ("The care desk only acts from its own channels, its Home tab and its own "
               "dialogs, so nothing was changed here.")
EXTERNAL_USER = ("People from another organisation can't claim, approve or close cases "
                 "here. Ask someone on the care team.")
