"""The store's tables, created and changed by named migrations.

Example::

    >>> import duckdb
    >>> from realpolitik.store.schema import migrate, MIGRATIONS
    >>> con = duckdb.connect()
    >>> migrate(con)
    ['0001_initial']
    >>> migrate(con)  # applied once only
    []

Each migration is a name and a list of SQL statements; ``migrate`` applies, in one
transaction each, those not yet listed in ``schema_migrations``. A migration is never
edited once released: a change to the schema is a new migration at the end of the list.

Tables:

- ``documents``: one row per distinct text; ``id`` is the content hash, so the same text
  is stored once whatever file it came from. ``dup_group`` links syndicated copies (near
  duplicates) to the first copy stored.
- ``doc_bands``: locality-sensitive hash bands of each document's MinHash signature, to find
  near duplicates without comparing every pair.
- ``events``: one row per coded or imported event; ``origin`` says where it came from
  (``realpolitik``, ``gdelt``, ``icews``, ``polecat``), ``record`` holds the full event as
  JSON for coded events, ``cluster_id`` groups the reports of one real-world event.
- ``rejects``: inputs that could not be read or coded, with the reason, keyed so that
  reading the same bad input again updates ``last_seen`` instead of adding a row.
- ``imports``: dataset files already imported (by content hash and format), with their row counts.
- ``clusters`` (a view): one row per real-world event with its mention, document, article
  and outlet counts and first-seen date.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MIGRATIONS", "migrate", "EVENT_COLUMNS"]

EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", "VARCHAR NOT NULL"),
    ("origin", "VARCHAR NOT NULL"),
    ("origin_id", "VARCHAR"),
    ("doc_id", "VARCHAR"),
    ("cluster_id", "VARCHAR"),
    ("sentence_index", "INTEGER"),
    ("event_type", "VARCHAR"),
    ("mode", "VARCHAR"),
    ("contexts", "VARCHAR"),
    ("cameo", "VARCHAR"),
    ("quad_class", "TINYINT"),
    ("intensity", "DOUBLE"),
    ("goldstein", "DOUBLE"),
    ("source_text", "VARCHAR"),
    ("source_name", "VARCHAR"),
    ("source_code", "VARCHAR"),
    ("source_country", "VARCHAR"),
    ("source_sector", "VARCHAR"),
    ("source_members", "VARCHAR"),
    ("target_text", "VARCHAR"),
    ("target_name", "VARCHAR"),
    ("target_code", "VARCHAR"),
    ("target_country", "VARCHAR"),
    ("target_sector", "VARCHAR"),
    ("target_members", "VARCHAR"),
    ("date", "VARCHAR"),
    ("day", "DATE"),
    ("date_precision", "VARCHAR"),
    ("date_text", "VARCHAR"),
    ("date_method", "VARCHAR"),
    ("location_text", "VARCHAR"),
    ("location_name", "VARCHAR"),
    ("location_country", "VARCHAR"),
    ("location_admin1", "VARCHAR"),
    ("location_lat", "DOUBLE"),
    ("location_lon", "DOUBLE"),
    ("modality", "VARCHAR"),
    ("modality_cue", "VARCHAR"),
    ("confidence", "DOUBLE"),
    ("trigger_text", "VARCHAR"),
    ("trigger_start", "INTEGER"),
    ("trigger_end", "INTEGER"),
    ("rule", "VARCHAR"),
    ("sentence", "VARCHAR"),
    ("mentions", "INTEGER DEFAULT 1"),
    ("url", "VARCHAR"),
    ("record", "VARCHAR"),
    ("extra", "VARCHAR"),
    ("ingested_at", "TIMESTAMP"),
)
"""Columns of the ``events`` table with their SQL types, in order."""

_EVENTS = "CREATE TABLE events (\n  " + ",\n  ".join(f"{n} {t}" for n, t in EVENT_COLUMNS) + "\n)"

_CLUSTERS = """
CREATE VIEW clusters AS
SELECT e.cluster_id,
       any_value(e.event_type) AS event_type,
       any_value(e.source_country) AS source_country,
       any_value(e.target_country) AS target_country,
       min(e.day) AS day,
       sum(coalesce(e.mentions, 1))::BIGINT AS num_mentions,
       count(DISTINCT e.doc_id) AS num_documents,
       count(DISTINCT coalesce(d.dup_group, e.doc_id, e.event_id)) AS num_articles,
       count(DISTINCT d.outlet) AS num_sources,
       min(d.date) AS first_published,
       min(e.ingested_at) AS first_seen,
       list(e.event_id ORDER BY e.ingested_at, e.event_id) AS event_ids
FROM events e LEFT JOIN documents d ON d.id = e.doc_id
GROUP BY e.cluster_id
"""

MIGRATIONS: list[tuple[str, list[str]]] = [
    ("0001_initial", [
        """CREATE TABLE documents (
            id VARCHAR PRIMARY KEY,
            external_id VARCHAR,
            title VARCHAR,
            url VARCHAR,
            source VARCHAR,
            line INTEGER,
            date DATE,
            outlet VARCHAR,
            chars INTEGER,
            events INTEGER,
            dup_group VARCHAR,
            similarity DOUBLE,
            minhash BLOB,
            text VARCHAR,
            ingested_at TIMESTAMP
        )""",
        "CREATE TABLE doc_bands (band BIGINT, doc_id VARCHAR)",
        _EVENTS,
        """CREATE TABLE rejects (
            key VARCHAR PRIMARY KEY,
            source VARCHAR,
            line INTEGER,
            kind VARCHAR,
            message VARCHAR,
            first_seen TIMESTAMP,
            last_seen TIMESTAMP,
            times INTEGER
        )""",
        """CREATE TABLE imports (
            file_hash VARCHAR NOT NULL,
            path VARCHAR,
            format VARCHAR NOT NULL,
            rows BIGINT,
            rejected BIGINT,
            imported_at TIMESTAMP,
            PRIMARY KEY (file_hash, format)
        )""",
        _CLUSTERS,
    ]),
]


def migrate(con: Any) -> list[str]:
    """Apply the migrations not yet applied; return their names."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    done = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
    applied = []
    for name, statements in MIGRATIONS:
        if name in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            for sql in statements:
                con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, now())", [name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
