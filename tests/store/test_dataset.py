"""Parquet datasets: layout, commits, cleaning of cut-off batches, and reading through Store."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from realpolitik.errors import StoreError
from realpolitik.store import Store
from realpolitik.store.dataset import batch_id, clean, create_dataset, is_dataset, write_batch_files
from realpolitik.store.schema import EVENT_COLUMNS

from ..conftest import ROOT

NOW = dt.datetime(2024, 5, 1, 12, 0)


def event(i: int, day: dt.date | None, a: str = "IRQ", b: str = "RUS", intensity: float = 5.0) -> dict:
    row = {n: None for n, _ in EVENT_COLUMNS}
    row.update(event_id=f"e{i}", origin="realpolitik", doc_id=f"d{i}", cluster_id=f"c{i}", event_type="AGREE",
               quad_class=1, intensity=intensity, source_country=a, source_code=a, target_country=b, target_code=b,
               day=day, date=day.isoformat() if day else None, mentions=1, ingested_at=NOW)
    return row


def document(i: int, events: int = 1) -> dict:
    return {"id": f"d{i}", "external_id": None, "title": f"t{i}", "url": None, "source": "x.jsonl", "line": i,
            "date": dt.date(2019, 1, 1), "outlet": None, "chars": 10, "events": events, "dup_group": f"d{i}",
            "similarity": None, "minhash": b"", "text": f"text {i}", "ingested_at": NOW}


def test_a_batch_is_partitioned_by_month_and_read_back_by_the_store(tmp_path):
    root = create_dataset(tmp_path / "news.parquet")
    events = [event(1, dt.date(2019, 1, 5)), event(2, dt.date(2019, 2, 7), intensity=-4.0), event(3, None)]
    write_batch_files(root, "b1", [document(1), document(2), document(3)], events, [])
    months = sorted(p.parent.name for p in (root / "events").glob("*/part-b1.parquet"))
    assert months == ["month=2019-01", "month=2019-02", "month=undated"]
    store = Store(root)
    assert store.count() == 3 and store.count_documents() == 3
    assert list(store.events(since=dt.date(2019, 2, 1)).event_id) == ["e2"]
    assert store.document("d2")["title"] == "t2"
    series = store.dyad_series("IRQ", "RUS", freq="month")
    assert list(series.events) == [1, 1] and list(series.mean_goldstein.isna()) == [True, True]
    assert len(pd.read_parquet(root / "events")) == 3  # plain Parquet


def test_writes_are_refused_and_bad_folders_named(tmp_path):
    root = create_dataset(tmp_path / "news.parquet")
    with pytest.raises(StoreError, match="only by `realpolitik ingest --engine"):
        Store(root).import_file(ROOT / "tests" / "fixtures" / "datasets" / "polecat_sample.txt")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a realpolitik dataset"):
        create_dataset(tmp_path / "other")
    (tmp_path / "file.parquet").write_text("x")
    with pytest.raises(StoreError, match="a file, not a folder"):
        create_dataset(tmp_path / "file.parquet")
    assert is_dataset(root) and not is_dataset(tmp_path / "other")


def test_a_batch_without_its_documents_file_is_cleaned_away(tmp_path):
    root = create_dataset(tmp_path / "news.parquet")
    write_batch_files(root, "kept", [document(1)], [event(1, dt.date(2019, 1, 5))], [])
    write_batch_files(root, "cut", [document(2)], [event(2, dt.date(2019, 3, 5))], [])
    (root / "documents" / "part-cut.parquet").unlink()  # killed before its commit
    (root / "events" / "month=2019-01" / ".part-x.parquet.123.tmp").write_bytes(b"half")
    assert Store(root).count() == 1  # readers see committed batches only
    assert clean(root) == 0  # too fresh: a task of a stopped run may still be finishing it
    assert clean(root, older_than=0) == 2
    assert Store(root).count() == 1 and clean(root, older_than=0) == 0


def test_one_ingest_writes_a_dataset_at_a_time(tmp_path):
    from realpolitik.errors import StoreBusyError
    from realpolitik.store.dataset import writer_lock

    root = create_dataset(tmp_path / "news.parquet")
    with writer_lock(root), pytest.raises(StoreBusyError, match="another ingest"):
        Store(root).ingest([tmp_path / "none.jsonl"])


def test_batch_ids_depend_on_the_documents_only():
    assert batch_id(["b", "a"]) == batch_id(["a", "b"]) != batch_id(["a", "c"])


def test_bad_inputs_are_rejected_into_the_dataset_by_name_and_line(tmp_path):
    root = create_dataset(tmp_path / "news.parquet")
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "empty.txt").write_text("")
    (inputs / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 500)
    (inputs / "bad.jsonl").write_text('{"text": "fine?"\n{"title": "no text"}\n', encoding="utf-8")
    store = Store(root)
    report = store.ingest([inputs])
    assert (report.read, report.documents, report.rejected) == (4, 0, 4)
    rejects = store.rejects()
    assert sorted(zip(rejects.source.map(lambda s: s.rsplit("/", 1)[-1]), rejects.line.fillna(0).astype(int),
                      rejects.kind, strict=True)) == [
        ("bad.jsonl", 1, "MalformedRecordError"), ("bad.jsonl", 2, "MalformedRecordError"),
        ("binary.txt", 0, "BinaryInputError"), ("empty.txt", 0, "EmptyInputError")]
    again = store.ingest([inputs])  # the same bad inputs again: counted, not listed twice
    assert again.rejected == 4 and len(store.rejects()) == 4 and set(store.rejects().times) == {2}


def test_a_batch_of_rejected_documents_is_tried_again(tmp_path, monkeypatch):
    """As in a store file: a document that could not be coded is not stored, so the next run tries it."""
    from realpolitik import ingest as ingest_module
    from realpolitik.store.batches import Coded

    root = create_dataset(tmp_path / "news.parquet")
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "Not coded this time."}\n', encoding="utf-8")

    def refuse(settings, documents):
        from realpolitik.errors import NotEnglishError

        return [Coded(d, (), NotEnglishError("refused", d.source, d.line), b"") for d in documents]

    monkeypatch.setattr(ingest_module, "code_batch", refuse)
    store = Store(root)
    assert store.ingest([corpus]).rejected == 1
    assert store.ingest([corpus]).rejected == 1  # tried and reported again, not taken as done
    assert store.count_documents() == 0
