"""Care desk: run the bot.

    python app.py            # Socket Mode if SLACK_APP_TOKEN is set, else HTTP on $PORT
    python app.py triage [FILE ...]   # triage JSON lines of posts; no Slack or X needed

Settings come from the environment and from a ``.env`` file (see .env.example).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from dotenv import load_dotenv

from bot.config import Settings, SettingsError
from bot.logs import configure_logging
from bot.x.client import XError, XRateLimited, XRejected

log = logging.getLogger("care_desk")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["triage"]:
        from bot.triage_cli import main as triage_main

        load_dotenv(".env")
        return triage_main(argv[1:])
    parser = argparse.ArgumentParser(description="Slack-native customer care for X.")
    parser.add_argument("--env-file", default=".env", help="settings file (default: .env)")
    parser.add_argument("--host", default="0.0.0.0", help="HTTP mode: address to listen on")
    parser.add_argument("--sandbox", action="store_true",
                        help="run everything on this machine against local stand-ins of Slack "
                             "and X, with a web page to try it (no accounts needed)")
    parser.add_argument("--sandbox-port", type=int, default=3000,
                        help="sandbox: port of the web page (default 3000)")
    args = parser.parse_args(argv)
    if args.sandbox:
        from sandbox.run import run_sandbox

        return run_sandbox(port=args.sandbox_port)
    load_dotenv(args.env_file)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"The care desk cannot start. Fix these settings in {args.env_file} "
              "(see .env.example) or the environment:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        print("To try the care desk without Slack or X accounts: python app.py --sandbox",
              file=sys.stderr)
        return 2
    configure_logging(secrets=settings.secrets)
    from bot.instance_identity import InstanceClash
    from bot.runtime import build_runtime

    stop = threading.Event()
    try:
        runtime = build_runtime(settings, on_identity_lost=stop.set)
    except XError as exc:
        print(f"The care desk cannot start: {_x_start_failure(exc, settings.x_api_url)}",
              file=sys.stderr)
        return 2
    except InstanceClash as exc:
        seen = exc.holder.heartbeat_at.strftime("%H:%M:%S UTC")
        print(f"The care desk cannot start: instance {exc.instance_id!r} is already running "
              f"(pid {exc.holder.pid} on {exc.holder.host}, last seen {seen}). Stop that "
              "process, or give this one its own CARE_INSTANCE_ID.", file=sys.stderr)
        return 2
    log.info("signed in to X as @%s; care channel %s", runtime.me.username,
             settings.care_channel_id)
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    runtime.start_jobs()
    try:
        if settings.socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            handler = SocketModeHandler(runtime.app, settings.slack_app_token)
            handler.connect()
            log.info("connected to Slack in Socket Mode")
            stop.wait()
            handler.close()
        else:
            from bot.web import make_server, stop_server

            server = make_server(runtime, host=args.host, port=settings.port)
            threading.Thread(target=lambda: (stop.wait(), stop_server(server)), daemon=True).start()
            log.info("listening on http://%s:%s/slack/events", args.host, settings.port)
            server.run()
    except KeyboardInterrupt:
        pass
    finally:
        runtime.stop()
    return 0


def _x_start_failure(exc: XError, x_api_url: str) -> str:
    """Why signing in to X failed: a refused credential, a limit, or no answer at all."""
    if isinstance(exc, XRejected) and exc.status in (401, 403):
        return (f"X did not accept the brand's credentials ({exc.reason}). Check X_API_KEY, "
                "X_API_SECRET, X_ACCESS_TOKEN and X_ACCESS_TOKEN_SECRET.")
    if isinstance(exc, XRejected):
        return f"X refused the sign-in check ({exc.reason})."
    if isinstance(exc, XRateLimited):
        return f"X is limiting requests ({exc.reason}); try again in a few minutes."
    return (f"could not reach X at {x_api_url} ({exc.reason}); the credentials were not "
            "checked. Check X_API_URL and the network.")


if __name__ == "__main__":
    sys.exit(main())
