"""Slack's current file upload flow for the fake Slack.

``files.getUploadURLExternal`` hands out an id and an upload URL on the fake's own server,
the client POSTs the bytes there, and ``files.completeUploadExternal`` shares the uploaded
files in a channel (or a DM) as one message with ``files`` and the ``initial_comment`` as
its text. This is the sequence ``WebClient.files_upload_v2`` runs.
"""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

Body = dict[str, Any]
MIME_TYPES = {"png": "image/png", "csv": "text/csv", "txt": "text/plain"}


def _error(code: str) -> Body:
    return {"ok": False, "error": code}


def mimetype(filename: str) -> str:
    return MIME_TYPES.get(filename.rsplit(".", 1)[-1].lower(), "application/octet-stream")


class SlackFiles:
    """Pending and shared files. Not locked by itself: the store's lock covers every call."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.upload_base = "http://127.0.0.1/"
        self.pending: dict[str, Body] = {}
        self.shared: dict[str, Body] = {}
        self._ids = itertools.count(1)

    def get_upload_url(self, args: Body) -> Body:
        filename = str(args.get("filename") or "")
        try:
            length = int(args.get("length") or 0)
        except (TypeError, ValueError):
            length = 0
        if not filename or length <= 0:
            return _error("invalid_arguments")
        file_id = f"F{next(self._ids):08d}"
        self.pending[file_id] = {"id": file_id, "name": filename, "length": length,
                                 "alt_txt": args.get("alt_txt"), "data": None}
        return {"ok": True, "file_id": file_id,
                "upload_url": f"{self.upload_base}upload/{file_id}"}

    def receive(self, file_id: str, data: bytes) -> int:
        """The upload step: HTTP 200 when the bytes match the announced length."""
        pending = self.pending.get(file_id)
        if pending is None:
            return 404
        if len(data) != pending["length"]:
            return 400
        pending["data"] = data
        return 200

    def complete(self, args: Body) -> Body:
        try:
            files = json.loads(args["files"]) if isinstance(args.get("files"), str) \
                else args.get("files")
        except (KeyError, ValueError):
            return _error("invalid_arguments")
        if not isinstance(files, list) or not files:
            return _error("invalid_arguments")
        shared: list[Body] = []
        for item in files:
            pending = self.pending.get(str(item.get("id")))
            if pending is None or pending["data"] is None:
                return _error("file_not_found")
            shared.append({"id": pending["id"], "name": pending["name"],
                           "title": item.get("title") or pending["name"],
                           "mimetype": mimetype(pending["name"]), "size": pending["length"],
                           "url_private": f"{self.upload_base}files/{pending['id']}",
                           "alt_txt": pending["alt_txt"]})
        channel_arg = args.get("channel_id") or args.get("channels")
        if channel_arg:
            message = self.store.post_message({
                "channel": channel_arg, "text": args.get("initial_comment") or "",
                "thread_ts": args.get("thread_ts"), "_files": shared})
            if not message.get("ok"):
                return message
        for item in shared:
            self.shared[item["id"]] = {**item, "data": self.pending.pop(item["id"])["data"]}
        return {"ok": True, "files": [copy.deepcopy(f) for f in shared]}

    def content(self, file_id: str) -> tuple[str, bytes] | None:
        found = self.shared.get(file_id)
        return (found["mimetype"], found["data"]) if found else None
