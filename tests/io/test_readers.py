import gzip
import io
import json
import os

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


# A stray bad byte in UTF-8 text is replaced (and named by file, line and byte offset); only
# a file that is clearly not UTF-8 is read as Windows-1252.
@pytest.mark.parametrize(("data", "text", "warning"), [
    ("Erdoğan met Łukaszenka in Ankara. ".encode() + b"\xff" + " Sánchez called.".encode(),
     "Erdoğan met Łukaszenka in Ankara. \ufffd Sánchez called.", "f.txt:1: not valid UTF-8 at byte 36 ("),
    ("Line one about Erdoğan.\nLine two.\nA bad ".encode() + b"\x92" + b" byte.\n",
     "Line one about Erdoğan.\nLine two.\nA bad \ufffd byte.\n", "f.txt:3: not valid UTF-8 at byte 41 ("),
    ("Erdoğan ".encode() + b"\xe9\xe8" + " Xi Jinping and Sánchez.".encode(),
     "Erdoğan \ufffd\ufffd Xi Jinping and Sánchez.", "and 1 more; the bad bytes were replaced with U+FFFD"),
    ("Caf\xe9 owners in Erbil said the pr\xe9fet\u2019s order was late.".encode("cp1252"),
     "Caf\xe9 owners in Erbil said the pr\xe9fet\u2019s order was late.", "f.txt:1: not valid UTF-8; decoded as Windows-1252"),
])
def test_bad_bytes_in_utf8_are_replaced_and_reported(data, text, warning):
    got, said = decode_bytes(data, "f.txt")
    assert got == text
    assert said is not None and warning in said


def test_valid_utf8_has_no_warning():
    assert decode_bytes("Erdoğan and Sánchez met.".encode(), "f.txt") == ("Erdoğan and Sánchez met.", None)


def test_a_jsonl_line_with_a_stray_byte_is_read_with_a_warning():
    first = b'{"id": "a", "text": "Iraq and Iran met."}\n'
    second = '{"id": "b", "text": "Erdoğan met Sánchez '.encode() + b"\xff" + b'in Ankara."}\n'
    third = b'{"id": "c", "text": "caf\xe9 \xe8t\xe9"}\n'
    items = list(read_jsonl([first, second, third], "f.jsonl", None))
    assert items[1].document.text == "Erdoğan met Sánchez \ufffdin Ankara."
    at = len(first) + second.index(b"\xff")
    assert items[1].warning.startswith(f"f.jsonl:2: not valid UTF-8 at byte {at} (")
    assert isinstance(items[2].error, EncodingError) and str(items[2].error).startswith("f.jsonl:3:")


def _make(path: bytes, data: bytes) -> None:
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


@pytest.mark.parametrize(("name", "data", "shown", "ok"), [
    (b"caf\xe9.txt", b"Iraq and Iran met in Baghdad.", "caf\\xe9.txt", True),
    (b"bad\xff.txt", b"", "bad\\xff.txt", False),
    (b"r\xe9cit.jsonl", b'{"text": "Iraq and Iran met."}\n{oops\n', "r\\xe9cit.jsonl", None),
    (b"\xff\xfe.csv", b"text\nIraq and Iran met.\n", "\\xff\\xfe.csv", True),
])
def test_file_names_that_are_not_utf8_are_read_and_named(tmp_path, name, data, shown, ok):
    folder = os.fsencode(tmp_path)
    _make(folder + b"/" + name, data)
    (tmp_path / "0.txt").write_text("Russia and Turkey signed a deal.", encoding="utf-8")
    items = list(read_inputs([str(tmp_path)]))
    assert items[0].document is not None and items[0].document.text == "Russia and Turkey signed a deal."
    first = items[1:]
    sources = [i.document.source if i.document else i.error.source for i in first]
    assert sources and all(s == f"{tmp_path}/{shown}" for s in sources)
    if ok is not None:
        assert (first[0].document is not None) is ok
    for i in first:  # the names can be written out as UTF-8 (JSON, the store)
        json.dumps(str(i.error) if i.error else i.document.id, ensure_ascii=False).encode("utf-8")
    # the same file given by name
    again = list(read_inputs([os.fsdecode(folder + b"/" + name)]))
    assert [i.document.source if i.document else i.error.source for i in again] == sources


def test_folders_reached_through_links_are_read_once(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "elsewhere" / "deep").mkdir(parents=True)
    (tmp_path / "corpus" / "a.txt").write_text("Iraq and Iran met.", encoding="utf-8")
    (tmp_path / "elsewhere" / "b.txt").write_text("Russia and Turkey met.", encoding="utf-8")
    (tmp_path / "elsewhere" / "deep" / "c.txt").write_text("Syria and Jordan met.", encoding="utf-8")
    (tmp_path / "corpus" / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "corpus" / "twice").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere" / "deep" / "loop").symlink_to(tmp_path / "corpus", target_is_directory=True)
    (tmp_path / "corpus" / "dangling").symlink_to(tmp_path / "nowhere", target_is_directory=True)
    items = list(read_inputs([str(tmp_path / "corpus")]))
    assert [i.document.source.removeprefix(f"{tmp_path}/corpus/") for i in items] == [
        "a.txt", "linked/b.txt", "linked/deep/c.txt"]
    from realpolitik.io.readers import count_documents

    assert count_documents([str(tmp_path / "corpus")]) == 3
