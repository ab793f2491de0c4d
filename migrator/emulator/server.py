"""Run an emulator over HTTP: in a background thread (tests, demo, verify) or in the foreground
(`migrate emulator`)."""

from __future__ import annotations

import asyncio
import errno
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..errors import MigratorError
from ..guard import Guard, Limits
from ..routing import segment_hosts
from .app import Emulator


class _TimedProtocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, closing a connection whose first request's headers do not
    arrive in time (uvicorn times out idle kept-alive connections, not a trickle of headers)."""

    header_timeout = Limits().read_timeout

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._late = self.loop.call_later(self.header_timeout, self._headers_late)

    def _headers_late(self) -> None:
        if self.cycle is None and not self.transport.is_closing():
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._late.cancel()
        super().connection_lost(exc)


class _Server(uvicorn.Server):
    """uvicorn's server, saying when it listens and on which port."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[int], None] | None = None) -> None:
        super().__init__(config)
        self.ready = threading.Event()
        self.on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.servers and self.on_ready is not None:
            self.on_ready(int(self.servers[0].sockets[0].getsockname()[1]))
        self.ready.set()


@dataclass
class RunningEmulator:
    emulator: Emulator
    host: str
    port: int
    _server: _Server
    _thread: threading.Thread

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def config_url(self) -> str:
        return f"{self.base_url}/v1beta"

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> RunningEmulator:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


def _config(app: ASGIApp, host: str, port: int, limits: Limits | None) -> uvicorn.Config:
    limits = limits or Limits()
    protocol = type("TimedProtocol", (_TimedProtocol,), {"header_timeout": limits.read_timeout})
    guarded = Guard(app, [*segment_hosts(), host], limits)  # code routed to it names Segment's hosts
    return uvicorn.Config(
        guarded, host=host, port=port, log_level="warning", lifespan="off", access_log=False, http=protocol
    )


def start_in_thread(
    emulator: Emulator, host: str = "127.0.0.1", port: int = 0, limits: Limits | None = None
) -> RunningEmulator:
    """Serve `emulator` (or any ASGI app) from a daemon thread, behind the guard; returns once it
    listens (port 0 picks a free port)."""
    server = _Server(_config(emulator, host, port, limits))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), name="segment-emulator", daemon=True)
    thread.start()
    if not server.ready.wait(timeout=30) or not server.servers:
        server.should_exit = True
        raise RuntimeError("the emulator did not start")
    bound = server.servers[0].sockets[0].getsockname()[1]
    return RunningEmulator(emulator, host, int(bound), server, thread)


def serve_forever(
    app: ASGIApp, host: str, port: int, on_ready: Callable[[int], None], limits: Limits | None = None
) -> None:
    """Serve in the foreground, behind the guard, until interrupted; `on_ready` gets the bound port.
    A port that cannot be had is a one-line error (MigratorError), not uvicorn's log and exit 3."""
    listening = _listening(host, port)
    asyncio.run(_Server(_config(app, host, port, limits), on_ready).serve(sockets=[listening]))


def _listening(host: str, port: int) -> socket.socket:
    """A socket bound to `host`:`port` (uvicorn listens on it)."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror as error:
        raise MigratorError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    # The protocol named, not left 0: asyncio turns Nagle's algorithm off only on sockets that say
    # they are TCP, and with it on, each answer on a kept-alive connection waited 40 ms for an ACK.
    listening = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
    except OSError as error:
        listening.close()
        hint = " (choose another --port, or 0 for a free one)" if error.errno == errno.EADDRINUSE else ""
        raise MigratorError(f"cannot listen on {host}:{port}: {error.strerror}{hint}") from None
    return listening
