"""The HTTP API and the dashboard, one ASGI application over one store.

Example::

    >>> from fastapi.testclient import TestClient
    >>> from realpolitik.server.app import create_app
    >>> from realpolitik.config import ServerSettings
    >>> client = TestClient(create_app(":memory:", settings=ServerSettings(allowed_hosts=("testserver",))))
    >>> client.get("/api/events", params={"limit": 5}).json()
    {'items': [], 'next_cursor': None}
    >>> client.get("/api/events/nope").status_code
    404

Every route makes one library call (:class:`~realpolitik.store.Store`,
:mod:`realpolitik.analytics`) and turns its result into JSON; library errors become answers
with a ``detail`` that says what to do: 404 for what is not in the store, 503 (with
``Retry-After``) while another process holds the store or a coding request or an analysis
(forecast, backtest, scenario, alerts: they run in worker threads of their own) runs out of time,
400 for a bad request the library refused or a Host the server does not answer for, 413 for a
body or text over the limit, 422 for parameters of the wrong shape (or a text that is not
Unicode). A store that cannot be read is the server's fault: 500, with a short message (the
details, paths and SQL go to the server's log, never to the client). The API is read-only
unless the server was started with a token; then ``POST /api/documents`` ingests, and only
with ``Authorization: Bearer <token>``.

The server's bounds and host names are :class:`~realpolitik.config.ServerSettings`.

The dashboard (``/``) is a page and a script from the package's ``static`` folder: nothing is
fetched from elsewhere, and every text from a document is put in the page as text, never as
markup (the Content-Security-Policy forbids inline scripts as a second fence).
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import re
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

import duckdb
from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..config import ServerSettings
from ..errors import InputError, ModelError, NotFoundError, RealpolitikError, StoreBusyError, StoreError
from ..model import EVENT_TYPES, MODALITIES
from ..store import EventFilter, Store
from ..store.evidence import marks, provenance
from ..store.rows import plain
from . import schemas as s
from .cache import AnswerCache, CacheMiddleware
from .outlook import add_outlook_routes
from .params import CODE, EARLIEST, LATEST, ActorCode, Day, json_ready
from .watching import add_watch_routes
from .work import CodingPool, answer_in, code_text, ingest_records

__all__ = ["create_app", "STATIC", "MAX_PAGE", "MAX_PERIODS", "MAX_WINDOWS"]

STATIC = Path(__file__).parent / "static"
"""The dashboard's files (HTML, script, style), served under ``/static``."""
MAX_PAGE = 500
"""Most rows one page of events or documents may hold."""
MAX_PERIODS = 2000
"""Most periods one dyad series may hold (e.g. five years of days)."""
MAX_WINDOWS = 120
"""Most windows one network sequence may hold."""
KEEP_OPEN = 2.0
"""Seconds the server's readers share one read-only connection (and its block cache) before it is
closed for a moment, so that an ingest in another process can take the store."""
LOG = logging.getLogger("realpolitik.server")
HEALTH_SECONDS = 1.0
"""How long ``/api/health`` reuses what it found of an unchanged store."""

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Rows per page (1-{MAX_PAGE}).")]
Cursor = Annotated[str | None, Query(max_length=400, description="The next_cursor of the previous page.")]
Order = Annotated[Literal["oldest", "newest"], Query(description="Date order of the pages.")]
EventTypeName = Literal[EVENT_TYPES]  # type: ignore[valid-type]
ModalityName = Literal[MODALITIES]  # type: ignore[valid-type]
Freq = Literal["day", "week", "month", "quarter", "year"]
MinEvents = Annotated[int, Query(ge=1, le=100_000, description="Least events for a tie.")]
Region = Annotated[str | None, Query(max_length=60, description="Only countries of this region.")]


def event_filter(actor: Annotated[str | None, Query(max_length=40, pattern=CODE,
                                                   description="Source or target, e.g. IRQ.")] = None,
                 dyad: Annotated[str | None, Query(max_length=81, pattern=f"^{CODE[1:-1]},{CODE[1:-1]}$",
                                                   description="Two actors: IRQ,RUS.")] = None,
                 directed: Annotated[bool, Query(description="Only the first actor of dyad as source.")] = False,
                 type: Annotated[EventTypeName | None, Query(description="PLOVER event type.")] = None,
                 since: Day = None, until: Day = None,
                 modality: Annotated[ModalityName | None, Query()] = None,
                 origin: Annotated[Literal["realpolitik", "gdelt", "icews", "polecat"] | None, Query()] = None,
                 doc_id: Annotated[str | None, Query(max_length=200)] = None) -> EventFilter:
    """The events filter of a request's query parameters."""
    return EventFilter(actor=actor, dyad=dyad, directed=directed, event_type=type,  # type: ignore[arg-type]
                       since=since, until=until, modality=modality, origin=origin, doc_id=doc_id)


Filter = Annotated[EventFilter, Depends(event_filter)]

SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                  b"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


def host_name(header: str) -> str:
    """The name of a Host header, without its port, lower case (``[::1]:8765`` -> ``[::1]``).

    >>> host_name("LocalHost:8765"), host_name("[::1]:80"), host_name("127.0.0.1")
    ('localhost', '[::1]', '127.0.0.1')
    """
    h = header.strip().lower()
    if h.startswith("["):
        return h[: h.find("]") + 1] if "]" in h else h
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


def host_allowed(header: str | None, allowed: tuple[str, ...]) -> bool:
    """Whether a request's Host header names this server: its name (or ``name:port``) is listed,
    or ``*`` is."""
    if "*" in allowed:
        return True
    if not header:
        return False
    names = {a.strip().lower() for a in allowed}
    return host_name(header) in names or header.strip().lower() in names


async def _answer(send: Any, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


class _Guard:
    """ASGI middleware: refuses a Host not in ``hosts`` (400: DNS rebinding), request bodies over
    ``limit`` bytes (413), and adds security headers."""

    def __init__(self, app: Any, limit: int, hosts: tuple[str, ...] = ("*",)):
        self.app, self.limit, self.hosts = app, limit, hosts

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        headers = dict(scope.get("headers") or [])
        host = headers.get(b"host")
        if not host_allowed(host.decode("latin-1") if host is not None else None, self.hosts):
            shown = host.decode("latin-1")[:80] if host is not None else "none"
            await _answer(send, 400, f"this server answers for {', '.join(self.hosts)}, not the host {shown!r}; "
                                     "if that is its name, start it with --allow-host NAME")
            return
        declared = headers.get(b"content-length")
        too_big = declared is not None and (not declared.isdigit() or int(declared) > self.limit)
        chunks: list[bytes] = []
        if not too_big and scope["method"] in ("POST", "PUT", "PATCH"):
            size, more = 0, True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                more = message.get("more_body", False)
                if size > self.limit:
                    too_big = True
                    break
        if too_big:
            await _answer(send, 413, f"the request body is over the limit of {self.limit:,} bytes; "
                                     "send less at a time")
            return
        if chunks:
            replay = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

            async def receive_again() -> dict[str, Any]:
                return replay.pop() if replay else await receive()

            await self.app(scope, receive_again, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


_ABSOLUTE = re.compile(r"(?<![\w.:/])(?:[A-Za-z]:)?[/\\](?!api/|docs\b|static/)(?:[^\s/\\'\"]+[/\\])+[^\s/\\'\":]*")
FAULT = "the server cannot read its store (a fault on the server, not in the request; its log has the details)"


def is_fault(exc: BaseException) -> bool:
    """Whether a library error comes from the store itself (its file missing, damaged or
    unreadable: a DuckDB or operating-system error) rather than from the request."""
    cause = exc.__cause__ or exc.__context__
    return isinstance(exc, StoreError) and isinstance(cause, duckdb.Error | OSError)


def store_state(store: Store) -> dict[str, Any]:
    """Whether the store's file is there and can be read, and its event count (or the error)."""
    state: dict[str, Any] = {"reachable": True, "readable": False, "events": None, "error": None}
    if store.path != ":memory:" and not Path(store.path).exists():
        state.update(reachable=False, error="the store's file is gone")
        return state
    try:
        state.update(readable=True, events=store.count())
    except StoreBusyError:
        state.update(error="another process holds the store; try again")
    except RealpolitikError as exc:
        LOG.error("health: the store cannot be read: %s", exc)
        state.update(error="the store cannot be read; the server's log has the details")
    return state


def _warm_dyads(pairs: int) -> Any:
    """What the store works out ahead after each change: the busiest pairs' series as the dyad
    route asks for them (none if ``pairs`` is 0)."""
    if not pairs:
        return None
    from ..analytics.dyads import warm_series

    return lambda store, index: warm_series(store, index, pairs=pairs, max_periods=MAX_PERIODS)


def create_app(db: str | Path, *, token: str | None = None, settings: ServerSettings | None = None,
               max_body: int | None = None, max_chars: int | None = None) -> FastAPI:
    """The application over the store ``db`` (see the module docstring).

    ``token`` turns on ``POST /api/documents`` for requests that carry it; ``settings`` bounds the
    server (:class:`~realpolitik.config.ServerSettings`); ``max_body`` and ``max_chars``, when
    given, override its two limits of the same names.
    """
    conf = settings or ServerSettings()
    conf = conf.model_copy(update={k: v for k, v in (("max_body", max_body), ("max_chars", max_chars))
                                   if v is not None})
    store = Store(db, create=token is not None, keep_open=KEEP_OPEN, timeout=conf.busy_seconds,
                  index=conf.memory_index, warm=_warm_dyads(conf.warm_dyads))
    ingest_lock = threading.Lock()  # one ingest at a time; coding needs no lock (the pipeline keeps no state)
    pool = CodingPool(conf.code_workers, conf.request_seconds)
    heavy = CodingPool(conf.code_workers, conf.request_seconds)  # forecasts, backtests, scenarios, alerts
    hide = sorted({str(store.path), str(Path(store.path).resolve())} - {":memory:"}, key=len, reverse=True)

    def scrub(text: str) -> str:
        """A message without the store's path or any other absolute path."""
        for p in hide:
            text = text.replace(p, "the store")
        return _ABSOLUTE.sub("<path>", text)
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store.event_index()  # start reading the in-memory index; SQL answers until it is ready
        yield
        pool.stop()  # shutting down: abandon coding jobs at their next document
        heavy.stop()

    app = FastAPI(title="realpolitik", lifespan=lifespan, version=__version__, docs_url=None, redoc_url=None,
                  description="Political event data coded from news text: events with their evidence, "
                              "actors, dyad series, alignment networks and shifts. Read-only unless the "
                              "server was started with a token.",
                  responses={400: {"model": s.ErrorBody}, 404: {"model": s.ErrorBody},
                             413: {"model": s.ErrorBody}, 503: {"model": s.ErrorBody}})
    app.state.store = store
    app.state.pool = pool
    app.state.settings = conf

    @app.exception_handler(RealpolitikError)
    async def library_error(request: Request, exc: RealpolitikError) -> JSONResponse:
        if is_fault(exc):
            LOG.error("%s %s: %s", request.method, request.url.path, exc)
            return JSONResponse({"detail": FAULT}, status_code=500)
        status = (404 if isinstance(exc, NotFoundError) else 503 if isinstance(exc, StoreBusyError | ModelError)
                  else 400)
        headers = {"Retry-After": "5"} if status == 503 else None
        return JSONResponse({"detail": scrub(str(exc))}, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # each problem as FastAPI gives it, less the echo of the input (it may be long, or not text)
        problems = [{k: v for k, v in e.items() if k not in ("input", "ctx", "url")} for e in exc.errors()]
        return JSONResponse({"detail": json_ready(problems)}, status_code=422)

    @app.exception_handler(Exception)
    async def fault(request: Request, exc: Exception) -> JSONResponse:
        LOG.exception("%s %s failed", request.method, request.url.path)
        return JSONResponse({"detail": "a fault on the server (its log has the details); try again later"},
                            status_code=500)

    # -- events and documents ------------------------------------------------------------------------

    last_state: list[Any] = [None, 0.0, None]  # stamp, when, state

    @app.get("/api/health", response_model=s.Health, tags=["meta"],
             responses={503: {"model": s.Health, "description": "The store cannot be read."}})
    def health() -> Any:
        """The server is up, and whether its store can be read (503 when it cannot). The store is
        looked at again when it changed or a second has passed, so that health checks stay cheap."""
        stamp, now = store.db.generation, time.monotonic()
        if last_state[0] == stamp and now - last_state[1] < HEALTH_SECONDS:
            state = last_state[2]
        else:
            state = store_state(store)
            last_state[:] = [stamp, now, state]
        ok = state["reachable"] and state["readable"]
        body = {"status": "ok" if ok else "error", "version": __version__, "store": state,
                "index": store.index_state}
        return body if ok else JSONResponse(body, status_code=503, headers={"Retry-After": "5"})

    @app.get("/api/summary", response_model=s.SummaryBody, tags=["meta"])
    def summary() -> Any:
        """Counts of documents, events and clusters; the busiest dyads."""
        got = store.summary()
        out = json_ready({k: getattr(got, k) for k in s.SummaryBody.model_fields})
        out["top_dyads"] = [{"source": a, "target": b, "events": n} for a, b, n in got.top_dyads]
        return out

    @app.get("/api/events", response_model=s.EventPage, tags=["events"])
    def events(where: Filter, limit: Limit = 50, cursor: Cursor = None, order: Order = "oldest") -> Any:
        """Events matching the filters, a page at a time (follow ``next_cursor``)."""
        page = store.page(where, limit=limit, cursor=cursor, newest_first=order == "newest")
        return {"items": json_ready(page.items), "next_cursor": page.next_cursor}

    add_watch_routes(app, store, event_filter)  # before /api/events/{event_id}: /api/events/newest is its own

    @app.get("/api/events/{event_id}", response_model=s.EventDetail, tags=["events"])
    def event(event_id: Annotated[str, PathParam(max_length=200)]) -> Any:
        """One event with its evidence sentence, highlighted words and provenance."""
        got = store.event(event_id)
        doc = dict(got.document or {})
        text = doc.pop("text", None)
        return {"event": json_ready(got.row), "record": got.event.model_dump(mode="json") if got.event else None,
                "marks": [m.__dict__ for m in marks(got.event, text)] if got.event else [],
                "provenance": [{"what": k, "value": v} for k, v in provenance(got)],
                "document": json_ready(doc) or None, "cluster": json_ready(got.cluster)}

    @app.get("/api/documents", response_model=s.DocumentPage, tags=["documents"])
    def documents(limit: Limit = 50, cursor: Cursor = None, order: Order = "oldest",
                  q: Annotated[str | None, Query(max_length=200, description="Words in the title or text.")] = None
                  ) -> Any:
        """Stored documents (without text), by date, a page at a time."""
        page = store.documents(limit=limit, cursor=cursor, newest_first=order == "newest", query=q)
        return {"items": json_ready(page.items), "next_cursor": page.next_cursor}

    @app.get("/api/documents/{doc_id}", response_model=s.DocumentDetail, tags=["documents"])
    def document(doc_id: Annotated[str, PathParam(max_length=200)]) -> Any:
        """One document with its text and the ids of its events."""
        return json_ready(store.document(doc_id))

    # -- analytics -----------------------------------------------------------------------------------

    @app.get("/api/actors", response_model=s.ActorList, tags=["actors"])
    def actor_list(q: Annotated[str | None, Query(max_length=100, description="Code prefix or part of the name.")] = None,
                   limit: Limit = 50) -> Any:
        """Countries and organisations in the store, most events first."""
        from ..analytics.actors import actors

        return {"items": actors(store, q, limit)}

    @app.get("/api/actors/{code}", response_model=s.ActorProfileBody, tags=["actors"])
    def actor(code: Annotated[str, PathParam(max_length=80, pattern=r"^[A-Za-z0-9_+]+([ :/][A-Za-z0-9_]+)?$",
                                             description="A country, organisation or sector code (IRQ, SDF, "
                                                         "IRQGOV), a compound (IRN+TUR) or IRQ:GOV.")],
              since: Day = None, until: Day = None,
              top: Annotated[int, Query(ge=1, le=50)] = 10,
              min_events: Annotated[int, Query(ge=1, le=100_000)] = 2) -> Any:
        """One actor: partners, adversaries, events by year, and whom it drifts toward or away from."""
        from ..analytics.actors import actor_profile

        p = actor_profile(store, code, since, until, top=top, min_events=min_events)
        out = json_ready(p.__dict__)
        out["drift_windows"] = json_ready([list(w) for w in p.drift_windows]) if p.drift_windows else None
        return out

    @app.get("/api/dyads/{a}/{b}", response_model=s.DyadSeries, tags=["analytics"])
    def dyad(a: ActorCode, b: ActorCode, freq: Freq = "month", since: Day = None, until: Day = None,
             directed: bool = False) -> Any:
        """The pair's events per period: counts by quad class, mean intensity with its interval, change points."""
        from ..analytics.dyads import dyad_series
        from ..model import EVENT_TYPES

        frame = dyad_series(store, a, b, freq=freq, directed=directed, since=since, until=until,
                            max_periods=MAX_PERIODS)
        cols = {c: frame[c].tolist() for c in frame.columns if c not in EVENT_TYPES}  # Python values
        cols["period"] = [plain(p) for p in cols["period"]]
        for c in ("mean_goldstein", "mean_intensity", "ci_low", "ci_high"):
            cols[c] = [None if v != v else v for v in cols[c]]  # NaN: null
        kinds = [(t, frame[t].tolist()) for t in EVENT_TYPES]
        periods = [{**{c: v[k] for c, v in cols.items()}, "by_type": {t: n[k] for t, n in kinds if n[k]}}
                   for k in range(len(frame))]
        return {"a": a.upper(), "b": b.upper(), "freq": freq, "directed": directed, "periods": periods}

    def _network_body(g: Any, pos: dict[str, tuple[float, float]]) -> dict[str, Any]:
        from ..analytics.actors import actor_name

        return {"since": g.graph.get("since") or None, "until": g.graph.get("until") or None,
                "balance": plain(g.graph.get("balance")),
                "nodes": [{"id": n, "name": actor_name(n), "bloc": d["bloc"], "strength": d["strength"],
                           "friends": d["friends"], "foes": d["foes"], "x": pos[n][0], "y": pos[n][1]}
                          for n, d in sorted(g.nodes(data=True))],
                "edges": [{"a": u, "b": v, "weight": d["weight"], "events": d["events"],
                           "cooperation": d["cooperation"], "conflict": d["conflict"]}
                          for u, v, d in sorted(g.edges(data=True))]}

    @app.get("/api/network", response_model=s.NetworkBody, tags=["analytics"])
    def network_view(since: Day = None, until: Day = None, min_events: MinEvents = 2, region: Region = None) -> Any:
        """The signed alignment network of a window: ties, blocs, balance, positions to draw it."""
        from ..analytics.network import layout, network

        g = network(store, since, until, min_events=min_events, region=region, evidence=0)
        return _network_body(g, layout(g))

    @app.get("/api/networks", response_model=s.NetworksBody, tags=["analytics"])
    def network_sequence(every: Literal["month", "quarter", "year"] = "year", since: Day = None, until: Day = None,
                         min_events: MinEvents = 2, region: Region = None) -> Any:
        """The network of each window in turn (blocs numbered alike across windows; one layout for all)."""
        from ..analytics.network import layout, networks

        graphs = networks(store, since, until, every, max_windows=MAX_WINDOWS, min_events=min_events,
                          region=region, evidence=0)
        pos = layout(graphs)
        return {"every": every, "windows": [_network_body(g, pos) for g in graphs]}

    @app.get("/api/shifts", response_model=s.ShiftsBody, tags=["analytics"])
    def shift_list(since: Annotated[dt.date, Query(ge=EARLIEST, le=LATEST, description="Later window's first day.")],
                   until: Annotated[dt.date, Query(ge=EARLIEST, le=LATEST, description="Later window's last day.")],
                   base_since: Day = None, base_until: Day = None,
                   actor: Annotated[str | None, Query(max_length=40, pattern=CODE)] = None,
                   min_events: Annotated[int, Query(ge=1, le=100_000)] = 3) -> Any:
        """Pairs whose mean intensity changed between two windows (permutation test, FDR q, interval)."""
        from ..analytics.shifts import shifts

        frame = shifts(store, since, until, base_since=base_since, base_until=base_until, actor=actor,
                       min_events=min_events)
        (b0, b1), (a0, a1) = frame.attrs["before"], frame.attrs["after"]
        return {"before": [b0, b1], "after": [a0, a1], "items": json_ready(frame.to_dict("records"))}

    add_outlook_routes(app, store, heavy)

    # -- coding and ingest ---------------------------------------------------------------------------

    def too_long(texts: list[Any], one: bool = False) -> JSONResponse | None:
        """413 when one text is over ``max_chars`` or all of them over ``max_request_chars``."""
        sizes = [len(t) if isinstance(t, str) else 0 for t in texts]
        for n, size in enumerate(sizes, 1):
            if size > conf.max_chars:
                which = "the text" if one else f"document {n}"
                return JSONResponse({"detail": f"{which} has {size:,} characters, over the limit of "
                                               f"{conf.max_chars:,}; send a shorter one"}, status_code=413)
        if sum(sizes) > conf.max_request_chars:
            return JSONResponse({"detail": f"the request holds {sum(sizes):,} characters of text, over the limit "
                                           f"of {conf.max_request_chars:,}; send fewer documents at a time"},
                                status_code=413)
        return None

    async def in_pool(job: Any, *args: Any) -> Any:
        """Run a coding job in the pool; a 503 answer when it runs out of time or the server stops."""
        return await answer_in(pool, job, *args, busy="no coding worker was free",
                               slow="coding took longer than the server allows",
                               late="nothing was stored. Try again later or send less text at a time",
                               stopping="nothing was stored. Try again later")

    @app.post("/api/code", response_model=s.CodeResponse, tags=["coding"],
              responses={413: {"model": s.ErrorBody}, 503: {"model": s.ErrorBody}})
    async def code(body: s.CodeRequest) -> Any:
        """Code a text and return its events with their highlighted words; nothing is stored."""
        refused = too_long([body.text], one=True)
        if refused is not None:
            return refused
        try:
            found = await in_pool(code_text, body.text, body.date)
        except InputError as exc:
            raise RealpolitikError(str(exc).removeprefix("None: ")) from None
        if isinstance(found, JSONResponse):
            return found
        return {"events": [e.model_dump(mode="json") for e in found],
                "marks": [[m.__dict__ for m in marks(e, body.text)] for e in found]}

    @app.post("/api/documents", response_model=s.IngestResponse, tags=["documents"],
              responses={401: {"model": s.ErrorBody}, 403: {"model": s.ErrorBody}, 503: {"model": s.ErrorBody}})
    async def ingest(body: s.IngestRequest,
                     authorization: Annotated[str | None, Header(description="Bearer <token>")] = None) -> Any:
        """Code and store documents (idempotent); only on a server started with a token, and with it."""
        if token is None:
            return JSONResponse({"detail": "this server is read-only; start it with --token to ingest over HTTP"},
                                status_code=403)
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            return JSONResponse({"detail": "a valid 'Authorization: Bearer <token>' header is needed to ingest"},
                                status_code=401, headers={"WWW-Authenticate": "Bearer"})
        refused = too_long([d.text for d in body.documents])
        if refused is not None:
            return refused
        rejects: list[str] = []
        report = await in_pool(ingest_records, store, [d.model_dump() for d in body.documents], ingest_lock,
                               lambda e: rejects.append(str(e)))
        if isinstance(report, JSONResponse):
            return report
        return {"read": report.read, "documents": report.documents, "skipped": report.skipped,
                "duplicates": report.duplicates, "events": report.events, "rejected": report.rejected,
                "rejects": rejects}

    # -- the dashboard --------------------------------------------------------------------------------

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def reference() -> FileResponse:
        """The API's reference, drawn from /openapi.json by a script of this package (no CDN)."""
        return FileResponse(STATIC / "api.html", media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")

    app.state.cache = AnswerCache(conf.cache_entries)
    app.add_middleware(CacheMiddleware, cache=app.state.cache, stamp=lambda: store.db.generation)
    app.add_middleware(_Guard, limit=conf.max_body, hosts=conf.allowed_hosts)  # outermost: before the cache
    return app
