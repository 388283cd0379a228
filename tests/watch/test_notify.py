"""Sinks: a webhook served here on 127.0.0.1, a JSONL file, standard output."""

from __future__ import annotations

import io
import json
import socket

import pytest

from realpolitik.watch.notify import USER_AGENT, DeliveryError, readable, send
from realpolitik.watch.rules import JsonlSink, StdoutSink, WebhookSink

ALERT = {"rule": "iraq", "kind": "events", "key": "cluster:cl-1", "summary": "ASSAULT from RUS to UKR on 2024-05-03",
         "evidence_total": 1,
         "evidence": [{"event_id": "e1", "sentence": "Russian troops shelled Kharkiv on Friday.",
                       "url": "https://news.example.org/a1"}]}


def test_a_webhook_gets_one_json_post_with_the_evidence(hook):
    send(WebhookSink(url=hook.url, headers={"X-Team": "desk-2"}), ALERT)
    assert len(hook.received) == 1
    headers, body = hook.received[0]
    assert body == ALERT and body["evidence"][0]["sentence"].startswith("Russian troops")
    assert headers["User-Agent"] == USER_AGENT and "realpolitik" in USER_AGENT
    assert headers["Content-Type"] == "application/json" and headers["X-Team"] == "desk-2"


def test_a_webhook_failing_twice_is_retried_with_growing_waits(hook):
    hook.answers = [(503, {}), (502, {})]
    waits: list[float] = []
    send(WebhookSink(url=hook.url, retries=3, backoff=0.01), ALERT, sleep=waits.append)
    assert len(hook.received) == 3 and all(body == ALERT for _, body in hook.received)
    assert waits == [0.01, 0.02]


def test_a_webhook_retried_with_real_sleeps(hook):
    hook.answers = [(500, {}), (503, {})]
    send(WebhookSink(url=hook.url, retries=2, backoff=0.001), ALERT)
    assert len(hook.received) == 3


def test_too_many_requests_waits_as_the_server_asks(hook):
    hook.answers = [(429, {"Retry-After": "0.5"})]
    waits: list[float] = []
    send(WebhookSink(url=hook.url, backoff=0.01), ALERT, sleep=waits.append)
    assert waits == [0.5] and len(hook.received) == 2


def test_a_webhook_that_keeps_failing_raises_after_its_retries(hook):
    hook.answers = [(503, {})] * 5
    waits: list[float] = []
    with pytest.raises(DeliveryError, match=r"HTTP 503 \(3 tries\)"):
        send(WebhookSink(url=hook.url, retries=2, backoff=0.01), ALERT, sleep=waits.append)
    assert len(hook.received) == 3 and waits == [0.01, 0.02]


def test_a_refused_alert_is_not_retried(hook):
    hook.answers = [(400, {})]
    with pytest.raises(DeliveryError, match="HTTP 400; the alert was refused"):
        send(WebhookSink(url=hook.url, retries=3, backoff=0.01), ALERT, sleep=lambda s: None)
    assert len(hook.received) == 1


def test_a_webhook_nobody_listens_on():
    with socket.socket() as s:  # a port just freed: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    waits: list[float] = []
    with pytest.raises(DeliveryError, match=r"ConnectError.*\(2 tries\)"):
        send(WebhookSink(url=f"http://127.0.0.1:{port}/", retries=1, backoff=0.01, timeout=2), ALERT,
             sleep=waits.append)
    assert waits == [0.01]


def test_a_jsonl_file_gets_one_line_an_alert_appended(tmp_path):
    sink = JsonlSink(path=tmp_path / "new" / "alerts.jsonl")
    send(sink, ALERT)
    send(sink, {**ALERT, "key": "cluster:cl-2"})
    lines = (tmp_path / "new" / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["key"] for line in lines] == ["cluster:cl-1", "cluster:cl-2"]


def test_a_jsonl_file_that_cannot_be_written(tmp_path):
    (tmp_path / "taken").mkdir()
    with pytest.raises(DeliveryError, match="taken"):
        send(JsonlSink(path=tmp_path / "taken"), ALERT)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_stdout_is_a_json_line_in_a_pipe_and_a_readable_line_on_a_terminal():
    pipe, tty = io.StringIO(), _Terminal()
    send(StdoutSink(), ALERT, out=pipe)
    send(StdoutSink(), ALERT, out=tty)
    assert json.loads(pipe.getvalue()) == ALERT
    assert tty.getvalue() == ("ALERT iraq: ASSAULT from RUS to UKR on 2024-05-03 (1 report) "
                              "https://news.example.org/a1\n")
    assert readable({"rule": "r", "summary": "s"}) == "ALERT r: s"
