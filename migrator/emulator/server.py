"""Run an emulator over HTTP: in a background thread (tests, demo, verify) or in the foreground
(`migrate emulator`)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

import uvicorn

from .app import Emulator


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


def _config(emulator: Emulator, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(emulator, host=host, port=port, log_level="warning", lifespan="off", access_log=False)


def start_in_thread(emulator: Emulator, host: str = "127.0.0.1", port: int = 0) -> RunningEmulator:
    """Serve `emulator` from a daemon thread; returns once it listens (port 0 picks a free port)."""
    server = _Server(_config(emulator, host, port))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), name="segment-emulator", daemon=True)
    thread.start()
    if not server.ready.wait(timeout=30) or not server.servers:
        server.should_exit = True
        raise RuntimeError("the emulator did not start")
    bound = server.servers[0].sockets[0].getsockname()[1]
    return RunningEmulator(emulator, host, int(bound), server, thread)


def serve_forever(emulator: Emulator, host: str, port: int, on_ready: Callable[[int], None]) -> None:
    """Serve in the foreground until interrupted; `on_ready` gets the bound port."""
    asyncio.run(_Server(_config(emulator, host, port), on_ready).serve())
