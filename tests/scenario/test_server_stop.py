"""Stopping the HTTP server: requests in flight finish, every socket closes inside the
server's loop, the loop ends, and stopping again is harmless."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from waitress import create_server

from bot.web import stop_server


def slow_app(seconds: float):
    def app(environ, start_response):
        time.sleep(seconds if environ["PATH_INFO"] == "/slow" else 0)
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "4")])
        return [b"done"]

    return app


def serve(app):
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    return server, thread, f"http://127.0.0.1:{server.effective_port}"


def test_a_request_in_flight_finishes_and_the_loop_ends(caplog):
    server, thread, url = serve(slow_app(0.5))
    idle = requests.Session()
    assert idle.get(f"{url}/", timeout=5).text == "done"  # a kept-alive connection
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(requests.get, f"{url}/slow", timeout=10)
        time.sleep(0.1)
        stop_server(server)
        assert slow.result().text == "done"
    thread.join(5)
    assert not thread.is_alive() and server._map == {}
    stop_server(server)  # again: nothing to do
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/", timeout=2)
    idle.close()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_request_that_outlives_the_wait_fails_nothing_when_it_ends(caplog):
    server, thread, url = serve(slow_app(1.0))
    caplog.set_level(logging.INFO)
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(requests.get, f"{url}/slow", timeout=10)
        time.sleep(0.1)
        stop_server(server, timeout=0.2)
        thread.join(5)
        assert not thread.is_alive()
        with pytest.raises(requests.RequestException):
            slow.result()
    time.sleep(1.2)  # the request thread ends, its answer going nowhere
    assert not [r for r in caplog.records if "Bad file descriptor" in r.getMessage()
                or r.levelno >= logging.ERROR]
