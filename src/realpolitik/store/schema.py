"""The store's tables, created and changed by named migrations.

Example::

    >>> import duckdb
    >>> from realpolitik.store.schema import migrate, MIGRATIONS
    >>> con = duckdb.connect()
    >>> migrate(con)
    ['0001_initial', '0002_origin_quad_class_and_location_kind', '0003_visitor_first', '0004_watch', '0005_watch_pages']
    >>> migrate(con)  # applied once only
    []

Each migration is a name and a list of steps (SQL statements, or functions of the
connection for a step SQL alone cannot take); ``migrate`` applies, in one
transaction each, those not yet listed in ``schema_migrations``. A migration is never
edited once released: a change to the schema is a new migration at the end of the list.

Tables:

- ``documents``: one row per distinct text; ``id`` is the content hash, so the same text
  is stored once whatever file it came from. ``dup_group`` links syndicated copies (near
  duplicates) to the first copy stored.
- ``doc_bands``: locality-sensitive hash bands of each document's MinHash signature, to find
  near duplicates without comparing every pair.
- ``events``: one row per coded or imported event; ``origin`` says where it came from
  (``realpolitik``, ``gdelt``, ``icews``, ``polecat``, ``plover``), ``record`` holds the full event as
  JSON for coded events, ``cluster_id`` groups the reports of one real-world event.
  ``quad_class`` is the PLOVER type's quad class whatever the origin; ``origin_quad_class``
  keeps the dataset's own value (GDELT's ``QuadClass``, POLECAT's ``Quad Code``).
  ``location_kind`` is the level of the place: ``country``, ``admin1``, ``city`` or ``area``.
  An event of a CAMEO code told from the host ("X hosted Y", 043) has the visitor as source
  and the host as target, as PLOVER has it (migration ``0003_visitor_first`` turned events
  stored host first).
- ``rejects``: inputs that could not be read or coded, with the reason, keyed so that
  reading the same bad input again updates ``last_seen`` instead of adding a row.
- ``imports``: dataset files already imported (by content hash and format), with their row counts.
- ``clusters`` (a view): one row per real-world event with its mention, document, article
  and outlet counts and first-seen date.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MIGRATIONS", "migrate", "EVENT_COLUMNS", "told_by_host", "visitor_first"]

_INITIAL_EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
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

_ORIGIN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("origin_quad_class", "TINYINT"),
    ("location_kind", "VARCHAR"),
)

EVENT_COLUMNS: tuple[tuple[str, str], ...] = _INITIAL_EVENT_COLUMNS + _ORIGIN_COLUMNS
"""Columns of the ``events`` table with their SQL types, in order."""

_EVENTS = "CREATE TABLE events (\n  " + ",\n  ".join(f"{n} {t}" for n, t in _INITIAL_EVENT_COLUMNS) + "\n)"

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

def _plover_quad_classes(con: Any) -> None:
    """An imported event's quad class was the dataset's own: keep it as ``origin_quad_class``
    and give ``quad_class`` the PLOVER type's, as for every origin from now on."""
    from ..ontology import load_ontology

    quads = [(name, t.quad) for name, t in load_ontology().types.items()]
    con.execute("CREATE TEMP TABLE plover_quads (event_type VARCHAR, quad TINYINT)")
    con.executemany("INSERT INTO plover_quads VALUES (?, ?)", quads)
    con.execute("""UPDATE events SET origin_quad_class = quad_class,
                          quad_class = coalesce((SELECT quad FROM plover_quads q
                                                 WHERE q.event_type = events.event_type), quad_class)
                   WHERE origin IN ('gdelt', 'polecat')""")
    con.execute("DROP TABLE plover_quads")


def told_by_host(columns: list[str], table: str = "", code: str | None = None) -> tuple[str, str]:
    """For events of a CAMEO code told from the host ("X hosted Y", ``ontology.host_codes``) with
    both sides named: the condition, and the SET list that swaps every ``source_*`` column with its
    ``target_*`` (and the full record's two sides, when there is one) to give PLOVER's order,
    the visitor as source. ``code`` is the expression of the CAMEO code (``cameo`` by default)."""
    from ..ontology import host_codes

    t = f"{table}." if table else ""
    sides = sorted(c.removeprefix("source_") for c in columns
                   if c.startswith("source_") and "target_" + c.removeprefix("source_") in columns)
    named = [c for c in ("code", "country", "name", "text") if c in sides]
    both = " AND ".join(f"coalesce({', '.join(f'{t}{s}_{c}' for c in named)}) IS NOT NULL"
                        for s in ("source", "target"))
    codes = ", ".join(f"'{c}'" for c in sorted(host_codes()))
    swap = [f"source_{c} = {t}target_{c}, target_{c} = {t}source_{c}" for c in sides]
    if "record" in columns:
        swap.append(f"record = CASE WHEN {t}record IS NULL THEN NULL ELSE json_merge_patch({t}record, json_object("
                    f"'source', json_extract({t}record, '$.target'), 'target', json_extract({t}record, '$.source'))) END")
    return f"{code or t + 'cameo'} IN ({codes}) AND {both}", ", ".join(swap)


def visitor_first(con: Any, table: str = "events") -> None:
    """Turn the rows of ``table`` told from the host ("X hosted Y", 043), stored or read host first
    as CAMEO has it, to PLOVER's order: the visitor as source, the host as target, when both are named."""
    cols = [r[0] for r in con.execute(f"SELECT column_name FROM (DESCRIBE {table})").fetchall()]
    where, swap = told_by_host(cols)
    con.execute(f"UPDATE {table} SET {swap} WHERE {where}")


MIGRATIONS: list[tuple[str, list[Any]]] = [
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
    ("0002_origin_quad_class_and_location_kind", [
        *(f"ALTER TABLE events ADD COLUMN {n} {t}" for n, t in _ORIGIN_COLUMNS),
        _plover_quad_classes,
    ]),
    ("0003_visitor_first", [visitor_first]),
    ("0004_watch", [
        # one row a source of `realpolitik watch`: its settings, HTTP validators and last fetch
        """CREATE TABLE watch_sources (
            url VARCHAR PRIMARY KEY,
            kind VARCHAR,
            outlet VARCHAR,
            language VARCHAR,
            interval_seconds INTEGER,
            etag VARCHAR,
            last_modified VARCHAR,
            last_fetch TIMESTAMP,
            last_ok TIMESTAMP,
            last_status INTEGER,
            last_error VARCHAR,
            errors INTEGER DEFAULT 0,
            total_errors INTEGER DEFAULT 0,
            next_poll TIMESTAMP,
            added_at TIMESTAMP
        )""",
        # one row an article link a source listed: waiting, stored, or failed (with why)
        """CREATE TABLE watch_entries (
            url VARCHAR PRIMARY KEY,
            source_url VARCHAR,
            title VARCHAR,
            published DATE,
            state VARCHAR,
            attempts INTEGER DEFAULT 0,
            status INTEGER,
            last_error VARCHAR,
            final_url VARCHAR,
            doc_id VARCHAR,
            first_seen TIMESTAMP,
            fetched_at TIMESTAMP,
            next_try TIMESTAMP
        )""",
        # one row an alert delivered: a rule never fires twice for the same key (an event cluster)
        """CREATE TABLE watch_alerts (
            rule VARCHAR,
            key VARCHAR,
            sent_at TIMESTAMP,
            payload VARCHAR,
            PRIMARY KEY (rule, key)
        )""",
    ]),
    ("0005_watch_pages", [
        # an article's text, title and date as fetched, kept from the fetch until it is coded and
        # stored (then cleared), so that a watcher stopped in between codes it without fetching again
        "ALTER TABLE watch_entries ADD COLUMN text VARCHAR",
        "ALTER TABLE watch_entries ADD COLUMN page_title VARCHAR",
        "ALTER TABLE watch_entries ADD COLUMN page_date DATE",
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
            for step in statements:
                if callable(step):
                    step(con)
                else:
                    con.execute(step)
            con.execute("INSERT INTO schema_migrations VALUES (?, now())", [name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
