"""Ingest: idempotency, rejects, near-duplicate copies, event clusters, parallel coding."""

from __future__ import annotations

import gzip

import pytest

from realpolitik.store import Store

from .conftest import example_records, write_jsonl

pytestmark = pytest.mark.slow  # all but the last test load the English model


def _ids(store, table="events", col="event_id"):
    return sorted(r for r in store.query(f"SELECT {col} FROM {table}")[col])


def test_ingesting_the_same_corpus_twice_adds_nothing(tmp_path):
    corpus = write_jsonl(tmp_path / "a.jsonl", example_records(12))
    store = Store(tmp_path / "s.duckdb")
    first = store.ingest([corpus], commit_every=5)
    events = _ids(store)
    assert first.documents == 12 and first.events == len(events) > 12
    again = store.ingest([corpus], commit_every=5)
    assert (again.documents, again.events, again.skipped) == (0, 0, 12)
    # the same texts under other names and formats are the same documents
    gz = tmp_path / "copy.jsonl.gz"
    gz.write_bytes(gzip.compress(corpus.read_bytes()))
    (tmp_path / "one.txt").write_text(example_records(1)[0]["text"] + "\n\n", encoding="utf-8")
    third = store.ingest([gz, tmp_path / "one.txt"])
    assert (third.documents, third.skipped) == (0, 13)
    assert _ids(store) == events
    assert len(_ids(store, "documents", "id")) == 12


def test_bad_inputs_are_rejected_with_reason_and_the_batch_goes_on(tmp_path):
    recs = example_records(3)
    lines = [recs[0], "not json at all", {"id": "x", "text": ""}, recs[1], {"id": "y"}, recs[2]]
    f = tmp_path / "mixed.jsonl"
    f.write_text("".join((r if isinstance(r, str) else __import__("json").dumps(r)) + "\n" for r in lines),
                 encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (tmp_path / "french.txt").write_text(
        "Le gouvernement a annoncé mardi une nouvelle réforme des retraites, qui sera débattue au parlement "
        "la semaine prochaine, selon le porte-parole du ministère.", encoding="utf-8")
    store = Store(":memory:")
    seen = []
    report = store.ingest([tmp_path], on_reject=seen.append)
    assert report.documents == 3 and report.rejected == 6 == len(seen)
    rejects = store.rejects()
    where = sorted(f"{r.source.rsplit('/', 1)[-1]}:{'' if r.line is None else r.line}"
                   for r in rejects.astype(object).where(rejects.notna(), None).itertuples())
    assert where == ["empty.txt:", "french.txt:", "image.txt:", "mixed.jsonl:2", "mixed.jsonl:3", "mixed.jsonl:5"]
    assert set(rejects.kind) == {"EmptyInputError", "NotEnglishError", "BinaryInputError", "MalformedRecordError"}
    # rejects are not duplicated by a second run; their count of sightings goes up
    store.ingest([tmp_path])
    again = store.rejects()
    assert len(again) == 6 and set(again.times) == {2}


def test_syndicated_copies_are_linked_and_events_clustered(tmp_path):
    rec = example_records(1)[0]
    copy = dict(rec, id="wire-copy", url="https://other.example.net/story",
                text="By our correspondent. " + rec["text"] + " Additional reporting by the wire desk.")
    original = dict(rec, url="https://first.example.org/story")
    other = example_records(3)[2]
    store = Store(":memory:")
    report = store.ingest([write_jsonl(tmp_path / "c.jsonl", [original, other, copy])])
    assert report.documents == 3 and report.duplicates == 1
    docs = store.query("SELECT external_id, dup_group = id AS original, similarity FROM documents ORDER BY 1")
    flags = dict(zip(docs.external_id, docs.original, strict=True))
    assert flags == {rec["id"]: True, other["id"]: True, "wire-copy": False}
    assert float(docs.similarity.max()) >= 0.8
    clusters = store.clusters(min_mentions=2)
    shared = clusters[clusters.num_documents == 2]
    assert len(shared) >= 1  # the copy's events join the original's clusters
    for c in shared.itertuples():
        assert (c.num_articles, c.num_sources) == (1, 2)  # one article, published by two outlets
        assert c.num_mentions == len(c.event_ids) >= 2


def test_two_workers_code_the_same_events_as_one(tmp_path):
    corpus = write_jsonl(tmp_path / "a.jsonl", example_records(16))
    one = Store(tmp_path / "one.duckdb")
    one.ingest([corpus], commit_every=4)
    two = Store(tmp_path / "two.duckdb")
    report = two.ingest([corpus], commit_every=4, workers=2)
    assert report.documents == 16
    assert _ids(one) == _ids(two)


def test_a_chunk_larger_than_the_memory_floor_still_commits(tmp_path, monkeypatch):
    """Each commit's DuckDB memory is capped from the size of what it writes (store.db.Database.write);
    a chunk of big documents must raise the cap, not fail. The coder is replaced: only the store is tested."""
    from realpolitik import ingest as ingest_module
    from realpolitik.store.batches import Coded
    from realpolitik.store.dedup import minhash

    def code_without_model(settings, docs):
        return [Coded(d, (), None, minhash(d.text[:5000]).tobytes()) for d in docs]

    monkeypatch.setattr(ingest_module, "code_batch", code_without_model)
    monkeypatch.setattr(ingest_module, "_load_coder", lambda settings: None)
    words = ["Iraq", "Russia", "talks", "signed", "deal", "army", "oil", "Baghdad", "Moscow", "ministers"]
    big = [{"id": str(i), "text": " ".join(words[(i + k) % len(words)] for k in range(150_000)) + f" {i}"}
           for i in range(40)]
    store = Store(tmp_path / "big.duckdb")
    report = store.ingest([write_jsonl(tmp_path / "big.jsonl", big)])
    assert report.documents == 40 and store.count_documents() == 40
    chars = store.query("SELECT sum(chars) AS n FROM documents").n[0]
    assert chars > 36 * 1024 * 1024  # more than the 32 MB floor, in one chunk
