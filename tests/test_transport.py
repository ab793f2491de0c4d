"""The shared transport: retries and their limits, server hints, idempotency, pacing, typed errors."""

from __future__ import annotations

import random

import httpx
import pytest

from migrator.errors import (
    ApiRequestError,
    AuthenticationError,
    ConnectionFailed,
    MalformedResponse,
    NotFoundError,
    RateLimitedError,
    ServerError,
)
from migrator.transport import Pacer, RetryPolicy, Transport

TOKEN = "sgp_" + "s" * 64


def transport(answers, sleeps, *, attempts: int = 4, api: str = "Public") -> tuple[Transport, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    policy = RetryPolicy(attempts=attempts, base_delay=0.5, max_delay=30, jitter=random.Random(1))
    client = Transport(
        api, "https://api.example", TOKEN, retry=policy, sleep=sleeps.append, transport=httpx.MockTransport(handler)
    )
    return client, seen


def ok(body=None) -> httpx.Response:
    return httpx.Response(200, json=body if body is not None else {"data": {}})


def test_bearer_auth_and_json():
    sleeps: list[float] = []
    client, seen = transport([ok({"data": {"x": 1}})], sleeps)
    assert client.request("GET", "/x") == {"data": {"x": 1}}
    assert seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert (client.counter.calls, client.counter.attempts) == (1, 1)


def test_429_is_retried_honouring_retry_after():
    sleeps: list[float] = []
    client, seen = transport([httpx.Response(429, headers={"Retry-After": "7"}, json={}), ok()], sleeps)
    client.request("GET", "/x")
    assert len(seen) == 2 and sleeps[0] >= 7
    assert (client.counter.calls, client.counter.attempts, client.counter.retries) == (1, 2, 1)


def test_429_is_retried_honouring_ms_before_next():
    sleeps: list[float] = []
    body = {"errors": [{"type": "RequestError", "message": "Too many requests", "data": {"msBeforeNext": 4500}}]}
    client, _ = transport([httpx.Response(429, json=body), ok()], sleeps)
    client.request("GET", "/x")
    assert sleeps[0] >= 4.5


def test_a_post_is_retried_on_429_because_it_was_not_processed():
    sleeps: list[float] = []
    client, seen = transport([httpx.Response(429, json={}), ok()], sleeps)
    client.request("POST", "/x", json={})
    assert len(seen) == 2


def test_5xx_on_get_is_retried_with_growing_backoff():
    sleeps: list[float] = []
    client, seen = transport([httpx.Response(503, text="down"), httpx.Response(500, json={}), ok()], sleeps)
    client.request("GET", "/x")
    assert len(seen) == 3 and len(sleeps) == 2
    assert all(0 <= delay <= 30 for delay in sleeps)


def test_5xx_on_post_is_not_retried_blindly():
    sleeps: list[float] = []
    client, seen = transport([httpx.Response(500, json={"error": "internal", "code": 13}), ok()], sleeps)
    with pytest.raises(ServerError):
        client.request("POST", "/x", json={})
    assert len(seen) == 1 and sleeps == []


def test_connect_errors_are_retried_even_for_a_post():
    sleeps: list[float] = []
    client, seen = transport([httpx.ConnectError("refused"), ok()], sleeps)
    client.request("POST", "/x", json={})
    assert len(seen) == 2


def test_a_broken_read_on_a_post_is_not_retried():
    sleeps: list[float] = []
    client, seen = transport([httpx.ReadError("reset"), ok()], sleeps)
    with pytest.raises(ConnectionFailed):
        client.request("PATCH", "/x", json={})
    assert len(seen) == 1


def test_retries_end():
    sleeps: list[float] = []
    client, seen = transport([httpx.Response(429, json={})], sleeps, attempts=3)
    with pytest.raises(RateLimitedError):
        client.request("GET", "/x")
    assert len(seen) == 3 and len(sleeps) == 2


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, AuthenticationError), (403, AuthenticationError), (404, NotFoundError), (422, ApiRequestError)],
)
def test_errors_are_typed_and_carry_no_token(status, error):
    sleeps: list[float] = []
    body = {"errors": [{"type": "input-validation", "message": "bad", "field": "slug"}]}
    client, _ = transport([httpx.Response(status, json=body)], sleeps)
    with pytest.raises(error) as caught:
        client.request("GET", "/sources")
    message = str(caught.value)
    assert TOKEN not in message and "s" * 64 not in message
    assert f"Public API GET /sources: {status}" in message


def test_config_error_envelope_is_read():
    sleeps: list[float] = []
    client, _ = transport([httpx.Response(403, json={"error": "insufficient scope", "code": 7})], sleeps, api="Config")
    with pytest.raises(AuthenticationError, match="insufficient scope \\(code 7\\)"):
        client.request("POST", "/v1beta/workspaces/a/sources", json={})


def test_a_non_json_answer_is_malformed():
    sleeps: list[float] = []
    client, _ = transport([httpx.Response(200, text="<html>")], sleeps)
    with pytest.raises(MalformedResponse, match="not JSON"):
        client.request("GET", "/x")


def test_pacer_spaces_requests():
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = Pacer(200, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        pacer.wait()
    assert slept == pytest.approx([0.3, 0.3, 0.3, 0.3])
    assert Pacer(0).interval == 0
