import gzip
import io
import json

import pytest

from realpolitik.errors import BinaryInputError, EncodingError
from realpolitik.io.readers import decode_bytes, read_inputs, read_jsonl


def test_decode_utf8_bom_utf16_and_fallback():
    assert decode_bytes("\ufeffIraq".encode("utf-8"), "x")[0] == "Iraq"
    assert decode_bytes("Iraq é".encode("utf-16"), "x")[0] == "Iraq é"
    text, warning = decode_bytes("Caf\xe9 in Erbil".encode("cp1252"), "f.txt")
    assert text == "Caf\xe9 in Erbil" and warning.startswith("f.txt:1:")


def test_binary_is_rejected():
    with pytest.raises(BinaryInputError):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "img.txt")


def test_undecodable_is_rejected():
    with pytest.raises(EncodingError):
        decode_bytes(b"abc \x81\x8d\x8f\x90\x9d more text", "odd.txt")


def test_jsonl_errors_name_their_lines():
    lines = [b'{"id": "a", "text": "Iraq and Iran met."}\n', b"\n", b"{oops\n", b'{"text": 5}\n',
             b'{"text": "x", "date": "2019-13-45"}\n', b'{"text": "  "}\n']
    items = list(read_jsonl(lines, "f.jsonl", None))
    assert items[0].document.id == "a"
    assert [str(i.error) for i in items[1:]] == [
        "f.jsonl:3: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        "f.jsonl:4: 'text' must be a string, got int",
        "f.jsonl:5: 'date' is not a date (YYYY-MM-DD): '2019-13-45'",
        "f.jsonl:6: 'text' is empty",
    ]


def test_jsonl_default_ids_and_dates():
    import datetime as dt

    items = list(read_jsonl([b'{"text": "Iraq and Iran met."}\n'], "f.jsonl", dt.date(2019, 1, 1)))
    assert items[0].document.id == "f.jsonl:1" and items[0].document.date == dt.date(2019, 1, 1)


def test_stdin_and_gzip(tmp_path):
    items = list(read_inputs(["-"], stdin=io.BytesIO(b"Iraq and Iran met.")))
    assert items[0].document.id == "stdin"
    g = tmp_path / "x.txt.gz"
    with gzip.open(g, "wb") as f:
        f.write(b"Iraq and Iran met.")
    assert list(read_inputs([str(g)]))[0].document.text == "Iraq and Iran met."
    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(b"not gzip at all")
    assert "cannot read" in str(list(read_inputs([str(bad)]))[0].error)


def test_empty_folder(tmp_path):
    (tmp_path / "x.bin").write_bytes(b"\x00")
    items = list(read_inputs([str(tmp_path)]))
    assert "holds no files to read (.txt .md .jsonl .csv" in str(items[0].error)


def test_corpus_is_readable():
    from .._paths import CORPUS

    items = list(read_inputs([str(CORPUS)]))
    assert len(items) >= 60 and all(i.document is not None and i.document.date for i in items)
    assert len({i.document.id for i in items}) == len(items)
    json.dumps([i.document.id for i in items])
