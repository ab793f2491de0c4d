"""`migrate emulator` started as a user starts it: a real server on a free port, both APIs over HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from migrator.emulator.app import Emulator, Tokens
from migrator.emulator.seed import build_demo
from migrator.emulator.server import start_in_thread

from ..helpers import cli_server, run_cli


@contextmanager
def emulator_process(*args: str) -> Iterator[dict[str, str]]:
    with cli_server("emulator", "--port", "0", *args) as process:
        printed: dict[str, str] = {}
        assert process.stdout is not None
        for line in process.stdout:
            found = re.match(
                r"\s+(base URL|config token \(write\)|config token \(read only\)|public token)\s+(\S+)", line
            )
            if found:
                printed[found.group(1)] = found.group(2)
            if line.startswith("export SEGMENT_CONFIG_API_TOKEN"):
                break
        assert "base URL" in printed, process.stderr.read() if process.stderr else ""
        yield printed


def test_the_cli_server_answers_both_apis_with_the_printed_tokens():
    with emulator_process("--workspace", "globex") as printed:
        base = printed["base URL"]
        config = httpx.get(
            f"{base}/v1beta/workspaces/globex/sources",
            headers={"Authorization": f"Bearer {printed['config token (write)']}"},
        )
        assert config.status_code == 200
        assert config.json()["sources"][0]["name"] == "workspaces/globex/sources/web"
        public = httpx.get(f"{base}/sources", headers={"Authorization": f"Bearer {printed['public token']}"})
        assert public.status_code == 200
        assert public.json()["data"]["sources"][0]["slug"] == "web"
        assert printed["public token"].startswith("sgp_") and len(printed["public token"]) == 68
        denied = httpx.post(
            f"{base}/v1beta/workspaces/globex/sources",
            headers={"Authorization": f"Bearer {printed['config token (read only)']}"},
            json={},
        )
        assert denied.json() == {"error": "insufficient scope", "code": 7}


def test_a_saved_snapshot_seeds_the_next_run(tmp_path):
    snapshot = tmp_path / "state.json"
    with emulator_process("--config-token", "t", "--save", str(snapshot)) as printed:
        created = httpx.post(
            f"{printed['base URL']}/v1beta/workspaces/acme/sources",
            headers={"Authorization": "Bearer t"},
            json={"source": {"name": "workspaces/acme/sources/kept", "catalog_name": "catalog/sources/go"}},
        )
        assert created.status_code == 200
    assert snapshot.exists()
    with emulator_process("--config-token", "t", "--seed", str(snapshot)) as printed:
        kept = httpx.get(
            f"{printed['base URL']}/v1beta/workspaces/acme/sources/kept", headers={"Authorization": "Bearer t"}
        )
        assert kept.status_code == 200


def test_bad_seed_and_bad_faults_are_one_line_errors(tmp_path):
    result = run_cli("emulator", "--seed", str(tmp_path / "missing.json"))
    assert result.returncode == 2 and "unknown seed" in result.stderr and "Traceback" not in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = run_cli("emulator", "--seed", str(broken))
    assert result.returncode == 2 and "not a JSON snapshot" in result.stderr
    result = run_cli("emulator", "--faults", "teapot=0.5")
    assert result.returncode == 2 and "unknown fault 'teapot'" in result.stderr


def test_in_process_start_on_a_free_port():
    emulator = Emulator(build_demo(), Tokens("c", "r", "p"))
    with start_in_thread(emulator) as running:
        response = httpx.get(f"{running.config_url}/workspaces/acme", headers={"Authorization": "Bearer c"})
        assert response.json()["name"] == "workspaces/acme"
        assert running.port > 0


def test_a_dropped_connection_fault_cuts_the_answer():
    from migrator.emulator.protocol import Faults

    emulator = Emulator(build_demo(), Tokens("c", "r", "p"), faults=Faults.parse("drop=1"))
    with start_in_thread(emulator) as running:
        try:
            httpx.get(f"{running.base_url}/", headers={"Authorization": "Bearer p"})
        except httpx.HTTPError as error:
            assert isinstance(error, httpx.RemoteProtocolError | httpx.ReadError)
        else:
            raise AssertionError("the dropped connection was answered")
        emulator.faults = Faults()
        assert httpx.get(f"{running.base_url}/", headers={"Authorization": "Bearer p"}).status_code == 200


def test_a_slow_fault_waits_through_the_injected_sleep():
    from migrator.emulator.protocol import Faults

    from ..helpers import AsgiClient

    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)

    emulator = Emulator(build_demo(), Tokens("c", "r", "p"), faults=Faults.parse("slow=1,slow_ms=750"), sleep=sleep)
    assert AsgiClient(emulator, {"Authorization": "Bearer p"}).get("/").status_code == 200
    assert waited == [0.75]


def test_connections_to_the_served_socket_send_small_writes_at_once():
    """The socket `migrate emulator` and `migrate proxy` listen on is handed to asyncio, which turns
    Nagle's algorithm off on the connections it accepts only for a socket that says it is TCP. With
    it on, an answer written in two parts on a kept-alive connection waited for the client's delayed
    ACK (40 ms per request)."""
    import asyncio
    import socket

    from migrator.emulator.server import _listening

    async def accepted_nodelay() -> int:
        listening = _listening("127.0.0.1", 0)
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            seen.set_result(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(handle, sock=listening)
        port = listening.getsockname()[1]
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        value = await asyncio.wait_for(seen, 10)
        writer.close()
        server.close()
        await server.wait_closed()
        return value

    assert asyncio.run(accepted_nodelay()) != 0
