"""Ingest on a Dask cluster: the same events as a local ingest, and nothing lost or doubled when
a worker is killed in the middle of the job."""

from __future__ import annotations

import os
import signal
import threading
import time

import pandas as pd
import pytest
from typer.testing import CliRunner

from realpolitik.analytics.dyads import dyad_series
from realpolitik.cli import app
from realpolitik.store import Store
from realpolitik.store.dataset import clean, create_dataset

from ..store.conftest import example_records, write_jsonl

pytestmark = pytest.mark.slow  # workers load the English model

distributed = pytest.importorskip("distributed")  # the [dask] extra (make test installs it)

SKIP = ["ingested_at"]  # when it was stored: the only column that may differ


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_jsonl(tmp_path_factory.mktemp("corpus") / "c.jsonl", example_records(48))


@pytest.fixture(scope="module")
def local(corpus, tmp_path_factory, coder):
    store = Store(tmp_path_factory.mktemp("local") / "local.duckdb")
    assert store.ingest([corpus]).documents == 48
    return store


@pytest.fixture(scope="module")
def two_workers():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    yield cluster
    cluster.close()


def events_of(store: Store) -> pd.DataFrame:
    frame = store.events().drop(columns=SKIP)
    return frame.sort_values("event_id").reset_index(drop=True)


def test_dask_ingest_gives_exactly_the_local_events(corpus, local, two_workers, tmp_path):
    root = create_dataset(tmp_path / "news.parquet")
    store = Store(root)
    report = store.ingest([corpus], engine="dask", scheduler=two_workers.scheduler_address, commit_every=8)
    assert (report.documents, report.events) == (48, store.count())
    pd.testing.assert_frame_equal(events_of(store), events_of(local))
    docs = store.query("SELECT id, external_id, date, chars, events FROM documents ORDER BY id")
    pd.testing.assert_frame_equal(docs, local.query("SELECT id, external_id, date, chars, events FROM documents "
                                                    "ORDER BY id"))
    again = store.ingest([corpus], engine="dask", scheduler=two_workers.scheduler_address, commit_every=8)
    assert (again.documents, again.skipped, store.count_documents()) == (0, 48, 48)
    # the analytics read the dataset as they read the store file
    a, b = dyad_series(store, "IRQ", "USA", freq="year"), dyad_series(local, "IRQ", "USA", freq="year")
    pd.testing.assert_frame_equal(a, b)
    # plain Parquet, partitioned by month: pandas reads it without realpolitik
    frame = pd.read_parquet(root / "events")
    assert len(frame) == store.count() and {"month", "event_id", "source_country"} <= set(frame.columns)


def test_a_worker_killed_mid_job_loses_and_doubles_nothing(corpus, local, two_workers, tmp_path):
    root = create_dataset(tmp_path / "news.parquet")
    store = Store(root)
    with distributed.Client(two_workers) as client:
        pids = client.run(os.getpid)
    done: dict[str, object] = {}

    def run() -> None:
        done["report"] = store.ingest([corpus], engine="dask", scheduler=two_workers.scheduler_address,
                                      commit_every=2)

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.monotonic() + 240
    committed = 0
    while committed < 1 and worker.is_alive() and time.monotonic() < deadline:
        committed = len(list((root / "documents").glob("part-*.parquet")))
        time.sleep(0.01)
    assert 1 <= committed < 24, f"{committed} of 24 batches committed: not in the middle of the job"
    victim = sorted(pids.values())[0]
    os.kill(victim, signal.SIGKILL)  # the nanny starts a new worker; Dask runs its batches again
    worker.join(300)
    assert not worker.is_alive()
    assert done["report"].documents == 48
    ids = store.query("SELECT id FROM documents").id
    assert len(ids) == ids.nunique() == 48
    pd.testing.assert_frame_equal(events_of(store), events_of(local))
    clean(root, older_than=0)  # whatever the killed worker left half-written goes; the data stays
    assert store.count_documents() == 48 and len(events_of(store)) == len(events_of(local))


def test_a_batch_cut_off_is_removed_and_coded_again(corpus, local, tmp_path):
    root = create_dataset(tmp_path / "news.parquet")
    store = Store(root)
    store.ingest([corpus], commit_every=16)  # the local engine writes the same dataset
    # a run killed after writing a batch's events and before its documents file (its commit)
    first = sorted((root / "documents").glob("part-*.parquet"))[0]
    first.unlink()
    assert store.count_documents() == 32 and store.count() < len(events_of(local))  # readers skip it
    report = store.ingest([corpus], commit_every=16)
    assert (report.documents, report.skipped) == (16, 32)
    pd.testing.assert_frame_equal(events_of(store), events_of(local))


def test_cli_ingest_with_the_dask_engine(corpus, tmp_path):
    runner = CliRunner()
    out = tmp_path / "news.parquet"
    got = runner.invoke(app, ["ingest", str(corpus), "--db", str(out), "--engine", "dask", "--workers", "1",
                              "--commit-every", "24"])
    assert got.exit_code == 0, got.output
    assert "48 new documents" in got.output
    summary = runner.invoke(app, ["summary", "--db", str(out)])
    assert summary.exit_code == 0 and "48" in summary.output
    (tmp_path / "file.duckdb").write_bytes(b"")
    refused = runner.invoke(app, ["ingest", str(corpus), "--db", str(tmp_path / "file.duckdb"), "--engine", "dask"])
    assert refused.exit_code == 2 and "Parquet dataset" in refused.output
