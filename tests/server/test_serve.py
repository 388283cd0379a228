"""`realpolitik serve` on a port another program holds says so and exits, printing no URL."""

from __future__ import annotations

import socket

import pytest
from typer.testing import CliRunner

from realpolitik.cli import app
from realpolitik.config import ServerSettings
from realpolitik.errors import ConfigError
from realpolitik.server import listen

from ..conftest import ROOT


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_taken_port_is_said_and_no_url_is_printed(planted, host):
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen(1)
        port = held.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--db", planted.path, "--host", host, "--port", str(port)])
    assert result.exit_code == 2, result.output
    assert f"port {port}" in result.output and "taken" in result.output
    assert "http://" not in result.output


def test_listen_binds_before_the_server_starts():
    sock = listen("127.0.0.1", 0)
    try:
        port = sock.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5):  # accepted into the backlog already
            pass
        with pytest.raises(ConfigError, match="taken"):
            listen("127.0.0.1", port).close()
    finally:
        sock.close()


@pytest.mark.parametrize("name", list(ServerSettings.model_fields))
def test_every_server_setting_is_documented(name):
    assert f"`server.{name}`" in (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")


def test_the_listening_socket_answers_without_waiting_for_acknowledgements():
    """Small answers go out at once: the socket says it is TCP (asyncio then sets TCP_NODELAY on
    each connection) and has TCP_NODELAY itself; otherwise a keep-alive reply's last write waits
    about 40 ms for the client's delayed acknowledgement."""
    import socket

    from realpolitik.server import listen

    sock = listen("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        sock.close()
