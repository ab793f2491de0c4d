"""The proxy spends Public API tokens: only its callers' own, and only for them."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from migrator.emulator.app import Emulator, Tokens
from migrator.emulator.seed import build_demo
from migrator.emulator.server import RunningEmulator, start_in_thread
from migrator.guard import Limits
from migrator.proxy import ProxyApp

PUBLIC = "sgp_guarded"
SOURCES = "/v1beta/workspaces/acme/sources"
CALLER = {"Authorization": f"Bearer {PUBLIC}"}


@contextmanager
def proxied(limits: Limits | None = None, shared_token: str | None = None) -> Iterator[RunningEmulator]:
    upstream = Emulator(build_demo(), Tokens("config", "ro", PUBLIC), rate_limit=0)
    with (
        start_in_thread(upstream) as segment,
        start_in_thread(ProxyApp(segment.base_url, shared_token=shared_token), limits=limits) as proxy,  # type: ignore[arg-type]
    ):
        yield proxy


@pytest.fixture(scope="module")
def proxy() -> Iterator[RunningEmulator]:
    with proxied(Limits(max_body=64 * 1024, read_timeout=0.5)) as running:
        yield running


def test_the_callers_own_public_token_is_answered(proxy: RunningEmulator):
    answer = httpx.get(proxy.base_url + SOURCES, headers=CALLER)
    assert answer.status_code == 200 and answer.json()["sources"]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Basic dTpw"}, {"Authorization": "Bearer"}],
    ids=["no credentials", "not a bearer token", "an empty bearer token"],
)
def test_a_caller_without_a_token_gets_the_config_apis_401(proxy: RunningEmulator, headers: dict[str, str]):
    answer = httpx.get(proxy.base_url + SOURCES, headers=headers)
    assert answer.status_code == 401 and answer.json()["code"] == 16


def test_a_token_the_public_api_rejects_is_the_config_apis_401(proxy: RunningEmulator):
    answer = httpx.get(proxy.base_url + SOURCES, headers={"Authorization": "Bearer sgp_someone_elses"})
    assert answer.status_code == 401 and answer.json()["code"] == 16
    assert "sgp_someone_elses" not in answer.text


def test_a_request_from_a_web_page_is_refused(proxy: RunningEmulator):
    answer = httpx.post(
        proxy.base_url + SOURCES,
        content=b'{"source": {"name": "workspaces/acme/sources/evil", "catalog_name": "catalog/sources/ios"}}',
        headers={**CALLER, "Origin": "https://evil.example", "Content-Type": "text/plain"},
    )
    assert answer.status_code == 403 and answer.json()["code"] == 7


def test_a_foreign_host_name_is_refused(proxy: RunningEmulator):
    """DNS rebinding: a page's own name, resolving to this machine."""
    answer = httpx.get(proxy.base_url + SOURCES, headers={**CALLER, "Host": "evil.example"})
    assert answer.status_code == 400


def test_a_body_over_the_limit_is_refused_before_it_is_read(proxy: RunningEmulator):
    answer = httpx.post(proxy.base_url + SOURCES, content=b"{" + b" " * (65 * 1024) + b"}", headers=CALLER)
    assert answer.status_code == 413 and answer.json()["code"] == 3


def test_a_body_that_stops_arriving_is_cut_off(proxy: RunningEmulator):
    with socket.create_connection((proxy.host, proxy.port), timeout=10) as client:
        client.sendall(
            f"POST {SOURCES} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {PUBLIC}\r\n"
            "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{".encode()
        )
        answer = client.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 408")


def test_headers_that_never_end_lose_the_connection(proxy: RunningEmulator):
    with socket.create_connection((proxy.host, proxy.port), timeout=10) as client:
        client.sendall(f"GET {SOURCES} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
        assert client.recv(4096) == b""  # closed by the server, not by the 10 s timeout of this test


def test_an_unreachable_public_api_is_a_config_error_not_a_crash():
    unreachable = ProxyApp("http://127.0.0.1:9")  # the discard port: nothing listens
    with start_in_thread(unreachable) as proxy:  # type: ignore[arg-type]
        answer = httpx.get(proxy.base_url + SOURCES, headers=CALLER)
    assert answer.status_code == 503 and answer.json()["code"] == 14
    assert "internal error" not in answer.text


def test_a_shared_token_answers_every_caller():
    with proxied(shared_token=PUBLIC) as proxy:
        answer = httpx.get(proxy.base_url + SOURCES)
    assert answer.status_code == 200


def test_thirty_two_concurrent_callers_all_get_their_answers(proxy: RunningEmulator):
    statuses: list[int] = []
    lock = threading.Lock()

    def caller() -> None:
        with httpx.Client(base_url=proxy.base_url, headers=CALLER, timeout=30) as client:
            for _ in range(5):
                status = client.get(SOURCES).status_code
                with lock:
                    statuses.append(status)

    threads = [threading.Thread(target=caller) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 160
