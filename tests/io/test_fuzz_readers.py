"""Every text reader takes any bytes and any records without raising anything but realpolitik's
own errors: plain text, HTML, JSONL, CSV/TSV, RSS/Atom feeds, gzip, standard input, parsed
records. What a reader yields can be written out (UTF-8, JSON) and stored."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import itertools
import json
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from realpolitik.errors import InputError, RealpolitikError
from realpolitik.io.readers import Item, count_documents, decode_bytes, read_inputs, read_jsonl, read_records

SUFFIXES = [".txt", ".md", ".html", ".htm", ".jsonl", ".csv", ".tsv", ".rss", ".atom", ".xml"]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
_count = itertools.count()

# bytes that look like something: text with odd bytes, markup, JSON, CSV
_fragments = st.sampled_from([
    b"<html>", b"<body><article><p>", b"</p>", b"<title>", b"<rss version='2.0'><channel>", b"<item>",
    b"<feed xmlns='http://www.w3.org/2005/Atom'>", b"<entry>", b"<description>", b"<pubDate>",
    b"Mon, 31 Dec 9999 23:59:59 GMT", b"0000-00-00", b"<![CDATA[", b"]]>", b"&#0;", b"&#xD800;", b"&bogus;",
    b'{"text": ', b'"date": "0001-01-01"', b'"id": ', b"[[[[[[[[", b"}", b"\n", b"\r\n", b",", b"\t", b'"',
    b"text,id,date\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00", b"\xc3", b"\xe9", b"\x92", b"\xff",
    "Erdoğan met Sánchez in Ankara. ".encode(), "北京".encode(), b"Iraq and Iran met. ", b"1" * 5000,
    b"\x1f\x8b\x08\x00",
])
fuzz_bytes = st.one_of(st.binary(max_size=600), st.lists(st.one_of(_fragments, st.binary(max_size=8)),
                                                          max_size=40).map(b"".join))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
field_values = st.one_of(json_values, st.text(max_size=80), st.sampled_from(
    ["0001-01-01", "9999-12-31", "2019-02-30", "2019-01-10T10:00:00", "", " ", "\ud800", "\x00", "yesterday"]))
records = st.dictionaries(st.sampled_from(["text", "id", "date", "title", "url", "other"]), field_values,
                          max_size=6)


def _check(items: list[Item]) -> None:
    """What readers yield is well formed and can be written out as UTF-8 JSON."""
    for item in items:
        assert (item.document is None) != (item.error is None)
        if item.error is not None:
            assert isinstance(item.error, InputError)
            str(item.error).encode("utf-8")
        else:
            d = item.document
            assert isinstance(d.text, str) and d.text.strip()
            json.dumps([d.id, d.text, d.title, d.url, d.source, d.date and d.date.isoformat()],
                       ensure_ascii=False).encode("utf-8")
        if item.warning is not None:
            item.warning.encode("utf-8")


def _read(folder, suffix: str, data: bytes, gz: bool = False) -> list[Item]:
    path = folder / f"f{next(_count)}{suffix}{'.gz' if gz else ''}"
    path.write_bytes(gzip.compress(data) if gz else data)
    try:
        items = list(read_inputs([str(path)], default_date=dt.date(9999, 12, 31)))
        count_documents([str(path)])
    except RealpolitikError:
        items = []
    finally:
        path.unlink()
    _check(items)
    return items


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@pytest.mark.parametrize("suffix", SUFFIXES)
@FUZZ
@given(data=fuzz_bytes, gz=st.booleans())
def test_any_bytes_in_any_format(folder, suffix, data, gz):
    _read(folder, suffix, data, gz)


@FUZZ
@given(data=fuzz_bytes)
def test_any_bytes_on_standard_input_and_to_decode(data):
    _check(list(read_inputs(["-"], stdin=io.BytesIO(data))))
    try:
        text, warning = decode_bytes(data, "f.txt")
    except InputError:
        return
    text.encode("utf-8")


@FUZZ
@given(lines=st.lists(st.one_of(records.map(lambda r: json.dumps(r).encode() + b"\n"),
                                fuzz_bytes), max_size=8))
def test_any_jsonl_lines(lines):
    _check(list(read_jsonl(lines, "f.jsonl", None)))


@FUZZ
@given(recs=st.lists(st.one_of(records, json_values), max_size=6))
def test_any_parsed_records(recs):
    _check(list(read_records(recs, "<request>", dt.date(1, 1, 1))))


@FUZZ
@given(header=st.lists(st.sampled_from(["text", "id", "date", "title", "url", "x", "TEXT ", ""]), max_size=6),
       rows=st.lists(st.lists(st.text(max_size=30), max_size=7), max_size=6),
       tab=st.booleans())
def test_any_table(folder, header, rows, tab):
    out = io.StringIO()
    csv.writer(out, delimiter="\t" if tab else ",").writerows([header, *rows])
    _read(folder, ".tsv" if tab else ".csv", out.getvalue().encode("utf-8", "surrogateescape"))


_xml_text = st.text(max_size=60).map(lambda t: escape(t.encode("utf-8", "replace").decode("utf-8")))
entries = st.lists(st.tuples(_xml_text, _xml_text, st.one_of(_xml_text, st.sampled_from([
    "Mon, 31 Dec 9999 23:59:59 GMT", "Sat, 01 Jan 0001 00:00:00 GMT", "0000-00-00T00:00:00Z", "Feb 30 2019",
    "2019-01-10T10:00:00Z"])), _xml_text), max_size=5)


@FUZZ
@given(items=entries, atom=st.booleans())
def test_any_feed(folder, items, atom):
    if atom:
        body = "".join(f"<entry><title>{t}</title><id>{i}</id><updated>{d}</updated>"
                       f"<content type='html'>{c}</content></entry>" for t, c, d, i in items)
        feed = f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>{body}</feed>"
    else:
        body = "".join(f"<item><title>{t}</title><description>{c}</description><pubDate>{d}</pubDate>"
                       f"<guid>{i}</guid></item>" for t, c, d, i in items)
        feed = f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>{body}</channel></rss>"
    _read(folder, ".atom" if atom else ".rss", feed.encode("utf-8"))


@FUZZ
@given(title=_xml_text, paragraphs=st.lists(_xml_text, max_size=5),
       date=st.sampled_from(["9999-12-31", "0001-01-01", "2019-02-30", "nonsense", ""]))
def test_any_page(folder, title, paragraphs, date):
    page = (f"<html><head><title>{title}</title><meta property='article:published_time' content='{date}'>"
            f"</head><body><article>{''.join(f'<p>{p}</p>' for p in paragraphs)}</article></body></html>")
    _read(folder, ".html", page.encode("utf-8"))


# inputs the fuzzing above once found to crash a reader, kept as fixed cases
@pytest.mark.parametrize(("suffix", "data", "kinds"), [
    (".rss", b"<rss version='2.0'><channel><item><description>Iraq and Iran met.</description>"
             b"<pubDate>0000-00-00T00:00:00Z</pubDate></item></channel></rss>", ["document"]),
    (".rss", b"<rss><channel><item><title>&#xD800;</title>&#xd800;<description>Iraq met Iran.</description>"
             b"</item></channel></rss>", None),
    (".atom", b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><id>&#xD800;</id>"
              b"<content>Iraq &#xD800; met Iran.</content></entry></feed>", None),
    (".jsonl", b'{"id": "\\ud800", "text": "Iraq and Iran met."}\n{"title": "\\udfff", "text": "Iraq met."}\n',
     ["EncodingError", "EncodingError"]),
    (".md", b"\xef\xbb\xbf", ["EmptyInputError"]),
    (".txt", b"\xff\xfe \x00\n\x00", ["EmptyInputError"]),
    (".jsonl", b"[" * 100_000 + b"\n", ["MalformedRecordError"]),
    (".jsonl", b'{"text": "Iraq and Iran met.", "id": ' + b"9" * 5000 + b"}\n", ["MalformedRecordError"]),
])
def test_inputs_that_once_crashed_a_reader(folder, suffix, data, kinds):
    items = _read(folder, suffix, data)
    if kinds is not None:
        assert [type(i.error).__name__ if i.error else "document" for i in items] == kinds
    assert items
