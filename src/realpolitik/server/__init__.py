"""The HTTP API and the web dashboard: ``realpolitik serve``.

Example::

    >>> from realpolitik.server import create_app
    >>> app = create_app(":memory:")
    >>> sorted(p for p in app.openapi()["paths"] if p.startswith("/api/d"))
    ['/api/documents', '/api/documents/{doc_id}', '/api/dyads/{a}/{b}']

``create_app(db)`` builds the ASGI application (FastAPI) over a store; ``serve(db)`` runs it
with uvicorn on loopback. The routes are listed in ``docs/api.md`` and, with every parameter
and body, in the OpenAPI document the server publishes at ``/openapi.json`` (and as pages at
``/docs``, drawn by this package's own script). The dashboard is served at ``/`` from files in
this package.
"""

from __future__ import annotations

from pathlib import Path

from .app import create_app

__all__ = ["create_app", "serve"]


def serve(db: str | Path, *, host: str = "127.0.0.1", port: int = 8765, token: str | None = None,
          max_body: int = 2_000_000, max_chars: int = 100_000, log_level: str = "warning") -> None:
    """Serve the API and the dashboard until interrupted."""
    import uvicorn

    app = create_app(db, token=token, max_body=max_body, max_chars=max_chars)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)
