"""The fake Slack runs Slack's upload flow as files_upload_v2 calls it."""

from __future__ import annotations

import requests
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from sandbox.fake_slack import FakeSlack

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def test_files_upload_v2_shares_files_in_a_channel_in_order() -> None:
    with FakeSlack() as fake:
        fake.add_channel(channel_id="C0CARE", name="care")
        client = WebClient(token=fake.bot_token, base_url=fake.url)
        done = client.files_upload_v2(
            channel="C0CARE", initial_comment="Weekly report",
            file_uploads=[{"filename": "volume.png", "content": PNG, "title": "Volume"},
                          {"filename": "cases.csv", "content": "id\n1\n", "title": "Cases"}])
        assert [f["name"] for f in done["files"]] == ["volume.png", "cases.csv"]
        assert [c["method"] for c in fake.calls] == [
            "files.getUploadURLExternal", "files.getUploadURLExternal", "upload", "upload",
            "files.completeUploadExternal"]
        [message] = fake.messages("C0CARE")
        assert message["text"] == "Weekly report"
        assert [f["mimetype"] for f in message["files"]] == ["image/png", "text/csv"]
        served = requests.get(message["files"][0]["url_private"], timeout=5)
        assert served.headers["Content-Type"] == "image/png" and served.content == PNG


def test_completing_an_upload_that_never_arrived_fails() -> None:
    with FakeSlack() as fake:
        fake.add_channel(channel_id="C0CARE", name="care")
        client = WebClient(token=fake.bot_token, base_url=fake.url)
        file_id = client.files_getUploadURLExternal(filename="a.png", length=10)["file_id"]
        try:
            client.files_completeUploadExternal(files=[{"id": file_id}], channel_id="C0CARE")
        except SlackApiError as exc:
            assert exc.response["error"] == "file_not_found"
        else:
            raise AssertionError("completing an empty upload must fail")
        assert fake.messages("C0CARE") == []
