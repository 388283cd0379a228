"""HTML pages, RSS/Atom feeds and CSV/TSV tables as inputs, and their bad cases."""

from __future__ import annotations

import datetime as dt
import gzip

from realpolitik.errors import BinaryInputError, EmptyInputError, MalformedRecordError
from realpolitik.io.readers import count_documents, read_inputs

PAGE = """<!doctype html><html><head><title>Iraq and Russia sign arms deal</title>
<meta property="article:published_time" content="2015-07-14T09:30:00Z"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article><h1>Iraq and Russia sign arms deal</h1>
<p>Iraq signed a contract with Russia on Tuesday to buy attack helicopters and artillery, officials in Baghdad said.</p>
<p>The defence ministry said the first deliveries would arrive before the end of the year, and that
further talks with Moscow were planned for the autumn.</p></article>
<footer>Copyright The Example Gazette. All rights reserved.</footer></body></html>"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example wire</title>
<item><title>Turkey takes delivery of Russian missiles</title><link>https://wire.example.org/s400</link>
<guid>wire-1</guid><pubDate>Fri, 12 Jul 2019 08:00:00 GMT</pubDate>
<description>&lt;p&gt;Turkey received the first parts of the S-400 system from Russia on Friday.&lt;/p&gt;</description></item>
<item><title>Empty item</title><link>https://wire.example.org/empty</link><description></description></item>
<item><title>Iran and Iraq meet</title><link>https://wire.example.org/meet</link>
<pubDate>Sat, 13 Jul 2019 08:00:00 GMT</pubDate>
<description>Iranian and Iraqi ministers met in Tehran to discuss trade and border security.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Atom</title>
<entry><title>Syria talks</title><id>urn:atom:1</id><link href="https://atom.example.org/1"/>
<updated>2017-01-23T10:00:00Z</updated>
<content type="html">&lt;p&gt;Delegations of the Syrian government and the opposition met in Astana.&lt;/p&gt;</content></entry>
</feed>"""


def _read(*paths):
    return list(read_inputs([str(p) for p in paths]))


def test_html_page_gives_main_text_title_and_date(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(PAGE, encoding="utf-8")
    (item,) = _read(f)
    doc = item.document
    assert doc.title == "Iraq and Russia sign arms deal"
    assert doc.date == dt.date(2015, 7, 14)
    assert "attack helicopters" in doc.text and "further talks with Moscow" in doc.text
    assert "Sport" not in doc.text and "Copyright" not in doc.text


def test_html_without_text_and_binary_html_are_rejected(tmp_path):
    (tmp_path / "empty.html").write_text("<html><head><title>t</title></head><body> </body></html>", encoding="utf-8")
    (tmp_path / "bin.htm").write_bytes(b"\x00\x01\x02" * 500)
    items = _read(tmp_path)
    errors = {type(i.error) for i in items}
    assert errors == {EmptyInputError, BinaryInputError}
    assert all(i.error.source.endswith((".html", ".htm")) for i in items)


def test_rss_feed_gives_one_document_per_entry_and_reports_the_empty_one(tmp_path):
    f = tmp_path / "wire.rss"
    f.write_text(RSS, encoding="utf-8")
    items = _read(f)
    docs = [i.document for i in items if i.document]
    assert [d.url for d in docs] == ["https://wire.example.org/s400", "https://wire.example.org/meet"]
    assert docs[0].text == "Turkey received the first parts of the S-400 system from Russia on Friday."
    assert docs[0].date == dt.date(2019, 7, 12) and docs[0].id == "wire-1"
    assert docs[1].line == 3
    (bad,) = [i.error for i in items if i.error]
    assert isinstance(bad, EmptyInputError) and "entry 2" in str(bad)


def test_atom_feed_gzipped(tmp_path):
    f = tmp_path / "feed.atom.gz"
    f.write_bytes(gzip.compress(ATOM.encode()))
    (item,) = _read(f)
    assert item.document.text.startswith("Delegations of the Syrian government")
    assert item.document.date == dt.date(2017, 1, 23)


def test_xml_that_is_not_a_feed_is_read_as_a_page(tmp_path):
    f = tmp_path / "page.xml"
    f.write_text(PAGE, encoding="utf-8")
    (item,) = _read(f)
    assert item.document is not None and "helicopters" in item.document.text


def test_csv_rows_with_bad_rows_reported_by_line(tmp_path):
    f = tmp_path / "docs.csv"
    f.write_text('id,date,title,text\n'
                 'a1,2019-01-08,Talks,"Iraq and Russia held talks in Baghdad."\n'
                 'a2,not-a-date,X,"Iran condemned the strike."\n'
                 'a3,2019-01-09,Y,\n'
                 'a4,2019-01-10,Z,"A text that spans\ntwo lines."\n'
                 'a5,2019-01-11\n', encoding="utf-8")
    items = _read(f)
    docs = [i.document for i in items if i.document]
    errors = [i.error for i in items if i.error]
    assert [d.id for d in docs] == ["a1", "a4"]
    assert docs[1].text == "A text that spans\ntwo lines." and docs[1].line == 5
    assert [(type(e), e.line) for e in errors] == [
        (MalformedRecordError, 3), (EmptyInputError, 4), (MalformedRecordError, 7)]


def test_tsv_and_missing_text_column(tmp_path):
    (tmp_path / "a.tsv").write_text("text\tdate\nIraq bought tanks from Russia.\t2015-07-14\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("body,date\nsomething,2015-07-14\n", encoding="utf-8")
    items = _read(tmp_path / "a.tsv", tmp_path / "b.csv")
    assert items[0].document.date == dt.date(2015, 7, 14)
    assert isinstance(items[1].error, MalformedRecordError) and "no 'text' column" in str(items[1].error)


def test_count_documents_estimates_for_the_progress_bar(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"text": "x"}\n{"text": "y"}\n', encoding="utf-8")
    (tmp_path / "b.txt").write_text("one", encoding="utf-8")
    (tmp_path / "c.rss").write_text(RSS, encoding="utf-8")
    assert count_documents([str(tmp_path)]) == 2 + 1 + 3
    assert count_documents(["-"]) is None


def test_corrupt_gzip_and_invalid_characters_are_reported_and_reading_goes_on(tmp_path):
    good = b'{"id": "a", "text": "Iraq and Russia held talks."}\n'
    data = gzip.compress(good * 2000)
    (tmp_path / "a_broken.jsonl.gz").write_bytes(data[: len(data) // 2] + b"\x00" * 64 + data[len(data) // 2:])
    (tmp_path / "b_surrogate.jsonl").write_text('{"id": "s", "text": "bad \\ud800 char"}\n' + good.decode(),
                                                encoding="utf-8")
    items = _read(tmp_path)
    errors = [i.error for i in items if i.error]
    assert any(e.source.endswith("a_broken.jsonl.gz") and "cannot read" in e.message for e in errors)
    bad = [e for e in errors if e.source.endswith("b_surrogate.jsonl")]
    assert len(bad) == 1 and bad[0].line == 1 and "invalid character" in bad[0].message
    assert items[-1].document is not None and items[-1].document.id == "a"  # the next file was still read
    assert count_documents([str(tmp_path)]) >= 2
