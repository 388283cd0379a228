"""`realpolitik watch --alerts RULES`: an event planted in a feed fires its rule once, to a webhook
served by the test, with the event as evidence; later rounds do not fire it again."""

from __future__ import annotations

import time

from typer.testing import CliRunner

from realpolitik.cli import app

from .feedserver import FeedServer

FAST = ["--once", "--set", "host_delay_seconds=0", "--set", "retries=1", "--no-progress"]


def test_a_planted_event_alerts_once_with_its_evidence(server: FeedServer, hook, coder, tmp_path):
    # articles 0-3 meet, sign, accuse and give aid; number 4 is an expulsion of diplomats
    server.add_feed("/world.xml", [server.add_article(f"/news/{n}.html", n) for n in range(4)])
    sources = tmp_path / "sources.txt"
    sources.write_text(server.url("/world.xml") + " interval=1\n", encoding="utf-8")
    rules = tmp_path / "rules.yaml"
    rules.write_text(f"""rules:
  - name: expulsions
    event_type: SANCTION
    min_confidence: 0
    deliver:
      - webhook: {hook.url}
        retries: 1
""", encoding="utf-8")
    db = str(tmp_path / "w.duckdb")
    runner = CliRunner()

    def round_() -> None:
        time.sleep(1.05)  # the feed is due again (interval=1)
        result = runner.invoke(app, ["watch", str(sources), "--db", db, "--alerts", str(rules), *FAST])
        assert result.exit_code == 0, result.output

    round_()
    assert hook.received == []  # nothing of the kind yet
    server.add_entries("/world.xml", [server.add_article("/news/4.html", 4)])
    round_()
    assert len(hook.received) == 1
    headers, alert = hook.received[0]
    assert alert["rule"] == "expulsions" and alert["kind"] == "events"
    evidence = alert["evidence"]
    assert evidence and {e["event_type"] for e in evidence} == {"SANCTION"}
    assert {e["url"] for e in evidence} == {server.url("/news/4.html")}
    assert "expelled" in evidence[0]["sentence"]
    assert headers["Content-Type"].startswith("application/json")

    server.add_entries("/world.xml", [server.add_article("/news/5.html", 5)])
    round_()
    round_()
    assert len(hook.received) == 1  # the same cluster never alerts twice
