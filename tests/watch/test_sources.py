"""The sources file: URLs, comments, per-source settings, and every problem named by its line."""

from __future__ import annotations

import pytest

from realpolitik.errors import SourcesFileError
from realpolitik.watch.sources import Source, parse_interval, parse_sources, read_sources


def test_lines_comments_and_settings():
    text = """# the news we follow

https://news.example.org/world.rss   # the world desk
https://news.example.org/all.xml interval=2h outlet="Example News Daily" language=en kind=sitemap
http://127.0.0.1:8000/feed.atom interval=30
"""
    got = parse_sources(text, "s.txt")
    assert got == [
        Source("https://news.example.org/world.rss", 3),
        Source("https://news.example.org/all.xml", 4, 7200, "Example News Daily", "en", "sitemap"),
        Source("http://127.0.0.1:8000/feed.atom", 5, 30),
    ]


def test_a_hash_inside_quotes_or_a_url_is_kept():
    (s,) = parse_sources('https://example.org/feed#main outlet="Channel #4"')
    assert s.url == "https://example.org/feed#main" and s.outlet == "Channel #4"


@pytest.mark.parametrize(("text", "seconds"), [("900", 900), ("15m", 900), ("2h", 7200), ("1d", 86400),
                                               ("1.5h", 5400), ("45s", 45)])
def test_intervals(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["soon", "0", "-5m", "15 minutes", ""])
def test_bad_intervals(text):
    with pytest.raises(ValueError):
        parse_interval(text)


def test_every_problem_is_named_with_its_line(tmp_path):
    path = tmp_path / "sources.txt"
    path.write_text("""ftp://example.org/feed
https://ok.example.org/rss
https://a.example.org/rss interval=soon
https://b.example.org/rss colour=blue
https://c.example.org/rss language=English kind=podcast
https://ok.example.org/rss
https://d.example.org/rss outlet="unclosed
https://e.example.org/rss outlet
""", encoding="utf-8")
    with pytest.raises(SourcesFileError) as info:
        read_sources(path)
    exc = info.value
    assert exc.path == str(path)
    lines = [p.split(":", 1)[0] for p in exc.problems]
    assert lines == ["line 1", "line 3", "line 4", "line 5", "line 5", "line 6", "line 7", "line 8"]
    assert "already on line 2" in exc.problems[5]
    assert "unknown setting 'colour'" in exc.problems[2]
    assert str(path) in str(exc)


def test_an_unreadable_file_is_a_sources_error(tmp_path):
    with pytest.raises(SourcesFileError, match="cannot read"):
        read_sources(tmp_path / "missing.txt")


def test_an_empty_file_has_no_sources():
    assert parse_sources("# nothing yet\n\n") == []


def test_a_binary_file_is_a_sources_error_naming_it(tmp_path):
    path = tmp_path / "sources.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    with pytest.raises(SourcesFileError, match="cannot read the sources file") as info:
        read_sources(path)
    assert str(path) in str(info.value)
