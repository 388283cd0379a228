"""Sending alerts: to standard output, appended to a JSON Lines file, or POSTed to a webhook.

Example::

    >>> import io
    >>> from realpolitik.watch.notify import send
    >>> from realpolitik.watch.rules import StdoutSink
    >>> out = io.StringIO()
    >>> send(StdoutSink(), {"rule": "r", "summary": "AID from USA to IRQ"}, out=out)
    >>> out.getvalue()
    '{"rule": "r", "summary": "AID from USA to IRQ"}\\n'

Each sink takes one alert (a JSON-ready dict) and either delivers it or raises
:class:`DeliveryError` saying why. Standard output gets one JSON line, or a short readable
line when it is a terminal. A JSONL file gets one line an alert, appended and flushed (its
folder made if needed). A webhook gets a JSON POST (``User-Agent: realpolitik/VERSION``),
tried again after a connection error, a timeout, a 5xx or a 429 answer, waiting ``backoff``
seconds, then twice that, and so on (at most 60 s, or the server's ``Retry-After``, in
seconds or as a date, up to 60), ``retries`` times; any other answer than 2xx is a failure
straight away.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

import httpx

from .. import __version__
from ..errors import DeliveryError
from .fetch import retry_after
from .rules import JsonlSink, StdoutSink, WebhookSink

__all__ = ["DeliveryError", "send", "readable", "USER_AGENT", "MAX_WAIT"]

USER_AGENT = f"realpolitik/{__version__} (alerts)"
"""The User-Agent of webhook requests."""

MAX_WAIT = 60.0
"""Longest wait between two tries of a webhook, in seconds."""


def readable(alert: dict[str, Any]) -> str:
    """An alert as one short line for a person at a terminal.

    >>> readable({"rule": "iraq", "summary": "ASSAULT from RUS to UKR on 2024-05-02",
    ...           "evidence": [{"url": "https://news.example.org/a"}], "evidence_total": 2})
    'ALERT iraq: ASSAULT from RUS to UKR on 2024-05-02 (2 reports) https://news.example.org/a'
    """
    total = alert.get("evidence_total", len(alert.get("evidence", [])))
    urls = [e.get("url") for e in alert.get("evidence", []) if e.get("url")]
    more = f" ({total} report{'s' if total != 1 else ''})" if total else ""
    return f"ALERT {alert.get('rule')}: {alert.get('summary', '')}{more}" + (f" {urls[0]}" if urls else "")


def _line(alert: dict[str, Any]) -> str:
    return json.dumps(alert, ensure_ascii=False, allow_nan=False, default=str)


def _stdout(alert: dict[str, Any], out: TextIO | None) -> None:
    stream = out if out is not None else sys.stdout
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    try:
        stream.write((readable(alert) if tty else _line(alert)) + "\n")
        stream.flush()
    except (OSError, ValueError) as exc:
        raise DeliveryError(f"stdout: {exc}") from None


def _jsonl(sink: JsonlSink, alert: dict[str, Any]) -> None:
    try:
        sink.path.parent.mkdir(parents=True, exist_ok=True)
        with open(sink.path, "a", encoding="utf-8") as f:
            f.write(_line(alert) + "\n")
            f.flush()
    except OSError as exc:
        raise DeliveryError(f"{sink.path}: {exc.strerror or exc}") from None


def _webhook(sink: WebhookSink, alert: dict[str, Any], *, client: httpx.Client | None = None,
             sleep: Callable[[float], None] = time.sleep) -> None:
    body = _line(alert).encode("utf-8")
    headers = {"User-Agent": USER_AGENT, "Content-Type": "application/json", **sink.headers}
    own = client is None
    http = client or httpx.Client(timeout=sink.timeout, follow_redirects=False)
    why = ""
    try:
        for attempt in range(sink.retries + 1):
            wait = min(MAX_WAIT, sink.backoff * 2 ** attempt)
            try:
                response = http.post(sink.url, content=body, headers=headers, timeout=sink.timeout)
            except httpx.TransportError as exc:  # refused, reset, timed out, bad TLS
                why = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            else:
                if 200 <= response.status_code < 300:
                    return
                why = f"HTTP {response.status_code}"
                if response.status_code != 429 and response.status_code < 500:
                    raise DeliveryError(f"{sink.label}: {why}; the alert was refused, check the URL and headers")
                asked = retry_after(response.headers.get("retry-after"))
                if asked is not None:
                    wait = min(MAX_WAIT, asked)
            if attempt < sink.retries:
                sleep(wait)
    finally:
        if own:
            http.close()
    tries = sink.retries + 1
    raise DeliveryError(f"{sink.label}: {why} ({tries} tr{'ies' if tries > 1 else 'y'})")


def send(sink: StdoutSink | JsonlSink | WebhookSink, alert: dict[str, Any], *, out: TextIO | None = None,
         client: httpx.Client | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
    """Deliver one alert to one sink, or raise DeliveryError saying why (see the module docstring).
    ``out`` is standard output's stream (``sys.stdout`` by default); ``client`` an httpx client to
    post with (one is made for the call otherwise)."""
    if isinstance(sink, StdoutSink):
        _stdout(alert, out)
    elif isinstance(sink, JsonlSink):
        _jsonl(sink, alert)
    else:
        _webhook(sink, alert, client=client, sleep=sleep)
