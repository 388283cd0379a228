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

import socket
from collections.abc import Callable
from pathlib import Path

from ..config import ServerSettings
from ..errors import ConfigError
from .app import create_app

__all__ = ["create_app", "serve", "listen", "url_of"]


def url_of(host: str, port: int) -> str:
    """The URL of a server listening on ``host`` and ``port`` (IPv6 in brackets).

    >>> url_of("::1", 8765)
    'http://[::1]:8765/'
    """
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` and listening; ConfigError if the port is taken.

    Binding before the server starts means that a taken port is said at once, and that the
    server's URL is only printed once connections to it are accepted."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # a TCP socket by name, so that its connections send small answers at once (TCP_NODELAY):
    # asyncio sets that only on sockets that say they are TCP, and a reply's last write would
    # otherwise wait about 40 ms for the client's delayed acknowledgement
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        taken = exc.errno in (98, 48, 10048)  # EADDRINUSE on Linux, macOS, Windows
        raise ConfigError(f"port {port} on {host} is taken by another program; choose another with --port"
                          if taken else f"cannot listen on {host}:{port}: {exc.strerror}; check --host and --port"
                          ) from None
    return sock


def serve(db: str | Path, *, host: str = "127.0.0.1", port: int = 8765, token: str | None = None,
          settings: ServerSettings | None = None, log_level: str = "warning",
          on_listening: Callable[[str], None] | None = None) -> None:
    """Serve the API and the dashboard until interrupted (SIGINT or SIGTERM).

    The address it listens on is added to ``settings.allowed_hosts`` (unless it is a wildcard
    such as 0.0.0.0: then list the names clients use). ``on_listening`` is called with the URL
    once the port is bound. On SIGTERM, open requests get ``settings.shutdown_seconds`` to end;
    coding jobs are then abandoned (nothing half stored) and the process ends.
    """
    import uvicorn

    conf = settings or ServerSettings()
    name = f"[{host}]" if ":" in host else host
    if host not in ("0.0.0.0", "::", "") and name.lower() not in conf.allowed_hosts:
        conf = conf.model_copy(update={"allowed_hosts": (*conf.allowed_hosts, name.lower())})
    app = create_app(db, token=token, settings=conf)
    sock = listen(host, port)
    config = uvicorn.Config(app, log_level=log_level, server_header=False,
                            timeout_graceful_shutdown=conf.shutdown_seconds)
    if on_listening:
        on_listening(url_of(host, sock.getsockname()[1]))
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
