"""The sandbox beside the bot: local stand-ins of Slack (``fake_slack``) and X (``fake_x``),
the signed-request client that plays Slack's side (``slack_requests``), the start-up shared
by the sandbox, the scenario tests and the benches (``stack``), and the web page
(``run``, ``web_ui``, ``static/``). The product (bot/, handlers/, storage/) never imports
it; ``python app.py --sandbox`` loads it on demand.
"""
