"""HTTP mode: one WSGI app serving Slack's requests and a health check, run by waitress.

``POST /slack/events`` takes events, commands and interactivity (Bolt verifies
Slack's signature); ``GET /healthz`` reports the database, the last X poll and the
outbox backlog. Several instances behind a load balancer share one database.

Example::

    server = make_server(runtime, host="0.0.0.0", port=3000)
    server.run()
"""

from __future__ import annotations

import json
import threading

from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import create_server


def wsgi_app(runtime):
    slack_handler = SlackRequestHandler(runtime.app)

    def application(environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/slack/events" and method == "POST":
            return slack_handler(environ, start_response)
        if path == "/healthz" and method == "GET":
            health = runtime.health()
            status = "200 OK" if health["database"] == "ok" else "503 Service Unavailable"
            body = json.dumps(health).encode()
            start_response(status, [("Content-Type", "application/json"),
                                    ("Content-Length", str(len(body)))])
            return [body]
        body = b"not found"
        start_response("404 Not Found", [("Content-Type", "text/plain"),
                                         ("Content-Length", str(len(body)))])
        return [body]

    return application


def make_server(runtime, *, host: str, port: int, threads: int = 32):
    return create_server(wsgi_app(runtime), host=host, port=port, threads=threads,
                         ident="care-desk")


def stop_server(server, *, timeout: float = 5.0) -> None:
    """Let running requests finish, then stop listening and close every connection.

    Requests in flight finish first (they wake the server loop through its trigger, so
    the trigger must outlive them). The closing itself runs inside the server's own
    loop thread, so the loop never polls a socket another thread has just closed; with
    no sockets left, ``server.run()`` returns.
    """
    server.task_dispatcher.shutdown(timeout=timeout)
    closed = threading.Event()

    def close_all() -> None:
        for channel in list(server._map.values()):
            if channel is not server.trigger:
                channel.close()
        server.close()
        closed.set()

    server.trigger.pull_trigger(close_all)
    closed.wait(timeout)
