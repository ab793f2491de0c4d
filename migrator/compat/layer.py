"""Config API calls answered by the Public API: the compatibility layer of code migrated by segment-migrator.

Each function and class here stands in for the one of the same name in `requests`, `urllib.request`,
`urllib3` (`PoolManager`) or `http.client` (`HTTPSConnection`), or, prefixed `httpx_` (`HttpxClient`,
`HttpxAsyncClient`), in httpx, or `AiohttpClientSession` for aiohttp's `ClientSession`.
A request to the Config API (https://platform.segmentapis.com/v1beta/...) is translated into the
Public API request(s) that do the same, sent with the token the request carried, and answered as the
Config API would have answered: the same statuses, the Config error bodies, the Config field names.
Any other request goes to the library untouched. So the code around each call keeps working as it
did, and each use can be retired later, call by call, for a native Public API call.

A test that mocks the HTTP library (unittest.mock, responses, requests-mock; pytest-httpx or respx
for httpx; a vcrpy cassette) keeps what it pinned: with a test double in place, a Config request
goes to the double as the code made it, and only one the double has no answer for is translated (a
test that mocks the Public API). Tracing that wraps the library is no double: outside tests the
Config host is never called.

Before running migrated code, give it a Public API token where it gave a Config API token: the layer
sends the token the code already sends. `SEGMENT_PUBLIC_API_URL` overrides the Public API's base URL.
Names are turned into ids through the Public API (cached for the life of the process), or through
`ID_MAP` when `migrate apply --ids` wrote one; a name that stands for several objects is an error
naming them, never a guess. It runs on Python 3.9 or newer.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.message
import functools
import http
import http.client
import io
import json
import os
import re
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import urllib.response
from typing import Any

from mappings import load_map
from migrator.errors import error_message
from migrator.relay import LiveNames, Relay, UpstreamError


class _Missing:
    """A library this environment lacks: any use raises the error the code's own import of it raised
    before the migration dropped that import (the layer serves requests-, httpx- and urllib-only code)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __getattr__(self, attribute: str) -> Any:
        raise ModuleNotFoundError(f"No module named {self.name!r}", name=self.name)


try:  # only for code that uses requests
    import requests
    import requests.adapters
except ImportError:
    requests = _Missing("requests")  # type: ignore[assignment]
try:  # for code that uses urllib3, or requests (which is built on it)
    import urllib3
    import urllib3.exceptions
except ImportError:
    urllib3 = _Missing("urllib3")  # type: ignore[assignment]
try:  # only for code that uses httpx
    import httpx
except ImportError:
    httpx = _Missing("httpx")  # type: ignore[assignment]
try:  # only for code that uses aiohttp (yarl and multidict come with it)
    import aiohttp
    import multidict
    import yarl
except ImportError:
    aiohttp = _Missing("aiohttp")  # type: ignore[assignment]

PUBLIC_API_URL = "https://api.segmentapis.com"
"""The Public API's base URL (the EU one when `migrate apply --region eu` wrote this layer)."""

ID_MAP: Any = None
"""The workspace's ID map, when `migrate apply --ids` wrote one beside this layer."""

_API = load_map()
_CONFIG_HOSTS = frozenset(_API.protocol["config"]["hosts"])
_relays: dict[tuple[str, str], Relay] = {}
_lock = threading.Lock()
_current = threading.local()

_TEST_DOUBLES = ("unittest.mock", "mock", "responses", "requests_mock", "pytest_httpx", "respx")
"""Libraries whose stand-ins replace an HTTP library's functions in tests. Tracing that wraps the same
functions (OpenTelemetry, ddtrace, Sentry) is no test double: through it the request would reach the
Config host, with the Public token."""


def _test_double(member: Any) -> bool:
    """Whether a test has put a double in place of this function of an HTTP library (a Mock, an
    autospecced function, the patch of responses or requests-mock)."""
    for value in (member, getattr(member, "mock", None)):
        module = getattr(value, "__module__", None) if value is not None else None
        if isinstance(module, str) and any(module == name or module.startswith(f"{name}.") for name in _TEST_DOUBLES):
            return True
    return False


def _cassette_playing() -> bool:
    """Whether a test plays recorded HTTP answers below the library (vcrpy, within a cassette): the
    connection classes http.client and urllib3's pools make are its stand-ins then. The test pinned
    the Config requests the code made: they go to it as made, and a request it has no answer for fails
    there as it did before the migration (never sent on to the Public API in its place)."""
    if "vcr" not in sys.modules:
        return False
    classes: list[Any] = [http.client.HTTPSConnection, http.client.HTTPConnection]
    if not isinstance(urllib3, _Missing):
        pools = sys.modules.get("urllib3.connectionpool")
        if pools is not None:
            classes += [pools.HTTPSConnectionPool.ConnectionCls, pools.HTTPConnectionPool.ConnectionCls]
    return any(str(getattr(cls, "__module__", "")).startswith("vcr.") for cls in classes)


class _ThisCall:
    """The caller of the request this thread is answering (its session, timeout, token): one relay
    serves every thread with the same token, each through its own caller."""

    def call(self, method: str, path: str, query: dict[str, Any] | None = None, body: Any = None) -> Any:
        return _current.caller.call(method, path, query, body)


def config_path(url: str) -> str | None:
    """The path of a Config API URL (`/v1beta/workspaces/acme`), or None for any other URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in _CONFIG_HOSTS or _API.split_prefix(parts.path) is None:
        return None
    return parts.path


def _public_url() -> str:
    return (os.environ.get("SEGMENT_PUBLIC_API_URL") or PUBLIC_API_URL).rstrip("/")


def _relay(token: str) -> Relay:
    """One relay per token and Public URL, so the ids it looks up are cached for the process."""
    key = (token, _public_url())
    with _lock:
        relay = _relays.get(key)
        if relay is None:
            caller = _ThisCall()
            relay = _relays[key] = Relay(caller, LiveNames(caller, ID_MAP, _API), _API)
    return relay


def _answer(method: str, url: str, headers: dict[str, str], body: bytes | str | None, caller: Any) -> tuple[int, Any]:
    """The Config status and answer for one Config request, answered through the Public API."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
    payload: Any = None
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if text and text.strip():
        try:
            payload = json.loads(text)
        except ValueError:
            return 400, {"error": "invalid JSON in request body", "code": 3}
    caller.token = token = _token(headers)
    _current.caller = caller
    try:
        return _relay(token).handle(method.upper(), parts.path, query, payload)
    finally:
        _current.caller = None


def _token(headers: dict[str, str]) -> str:
    for name, value in headers.items():
        if name.lower() == "authorization" and value[:7].lower() == "bearer ":
            return value[7:].strip()
    return ""


def _public_headers(token: str, body: Any) -> dict[str, str]:
    headers = {"Accept": "application/json", "User-Agent": "segment-migrator-compat"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
    return headers


def _query_text(query: dict[str, Any] | None) -> str:
    pairs = []
    for name, value in (query or {}).items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, json.dumps(item) if isinstance(item, bool) else str(item)))
    return urllib.parse.urlencode(pairs)


def _data(status: int, raw: bytes, method: str, path: str) -> Any:
    """The `data` of a Public answer, or the `UpstreamError` the relay turns into a Config error."""
    try:
        answer = json.loads(raw) if raw.strip() else {}
    except ValueError:
        answer = None
    if status >= 400:
        raise UpstreamError(status, error_message(answer, raw.decode("utf-8", "replace")[:120]))
    if not isinstance(answer, dict) or "data" not in answer:
        raise UpstreamError(502, f"the Public API answered {method} {path} without a `data` envelope")
    return answer["data"]


def _encoded(answer: Any) -> bytes:
    """JSON as the Config API and `migrate proxy` write it: compact, UTF-8 (code printing a raw
    answer prints the same text)."""
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _body_bytes(body: Any) -> bytes | str | None:
    """A request body as urllib, http.client and aiohttp take it (text, bytes, a file, an iterable of
    bytes), as text or bytes."""
    if body is None or isinstance(body, (bytes, str)):
        return body
    if hasattr(body, "read"):
        data = body.read()
        return data.encode("utf-8") if isinstance(data, str) else data
    return b"".join(part.encode("utf-8") if isinstance(part, str) else bytes(part) for part in body)


# --- requests -----------------------------------------------------------------------------------------


_PASSED_ON = ("timeout", "verify", "cert", "proxies")
_SESSION_POSITIONAL = (
    "params", "data", "headers", "cookies", "files", "auth", "timeout", "allow_redirects",
    "proxies", "hooks", "stream", "verify", "cert", "json",
)  # fmt: skip


class _RequestsCaller:
    """Public calls through requests: the module's `request`, or a session's."""

    def __init__(self, send: Any, options: dict[str, Any]) -> None:
        self.send = send
        self.options = {name: options[name] for name in _PASSED_ON if name in options}
        self.token = ""

    def call(self, method: str, path: str, query: dict[str, Any] | None = None, body: Any = None) -> Any:
        url = _public_url() + path + (("?" + _query_text(query)) if query else "")
        try:
            response = self.send(
                method,
                url,
                data=None if body is None else _encoded(body),
                headers=_public_headers(self.token, body),
                **self.options,
            )
        except requests.RequestException as error:
            raise UpstreamError(None, f"cannot reach the Public API ({type(error).__name__})") from error
        return _data(response.status_code, response.content, method, path)


_ADAPTER: Any = None if isinstance(requests, _Missing) else requests.adapters.HTTPAdapter()
"""The `connection` of the responses the layer builds, as an adapter is of those requests builds."""


def _requests_response(prepared: Any, status: int, answer: Any) -> Any:
    """A `requests.Response` for the Config answer, with what requests sets on every response it
    builds (the raw body a urllib3 response, as one read from a socket; no cookie: none was sent)."""
    headers = {"Content-Type": "application/json"}
    response = requests.Response()
    response.status_code = status
    response.headers = requests.structures.CaseInsensitiveDict(headers)
    response.encoding = requests.utils.get_encoding_from_headers(response.headers)
    response.raw = urllib3.HTTPResponse(
        body=io.BytesIO(_encoded(answer)), headers=headers, status=status, reason=_reason(status), preload_content=False
    )
    response.reason = response.raw.reason
    response.url = prepared.url
    response.request = prepared
    response.connection = _ADAPTER
    return response


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def _config_request(prepared: Any, caller: _RequestsCaller, hooks: Any = None) -> Any:
    status, answer = _answer(prepared.method, prepared.url, dict(prepared.headers), prepared.body, caller)
    response = _requests_response(prepared, status, answer)
    # the code's response hooks see its Config answer, as requests calls them on every response
    return requests.hooks.dispatch_hook("response", hooks, response) if hooks else response


def _prepare_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    names = ("params", "data", "json", "headers", "auth", "cookies", "files")
    return {name: kwargs[name] for name in names if name in kwargs}


_PLAIN_URL = re.compile(r"[A-Za-z0-9\-._~:/?@!$&'()*+,;=%]*")
"""A URL requests would send as it is (nothing to quote, no fragment)."""


def _plain_prepared(method: str, url: str, defaults: Any, kwargs: dict[str, Any]) -> Any:
    """The Config request as requests prepares it, built directly when it is plain (no auth, files,
    cookies or form data; a URL with nothing to quote), else None. It is never sent: preparing it
    the whole way would cost as much again as the Public request it is answered with."""
    data, payload, params = kwargs.get("data"), kwargs.get("json"), kwargs.get("params")
    if any(kwargs.get(name) for name in ("auth", "files", "cookies")) or not _PLAIN_URL.fullmatch(url):
        return None
    if (data is not None and not isinstance(data, (str, bytes))) or (params and not isinstance(params, dict)):
        return None
    headers = requests.structures.CaseInsensitiveDict(defaults)
    for name, value in (kwargs.get("headers") or {}).items():
        if value is None:
            headers.pop(name, None)
        else:
            headers[name] = value
    body = data if data is not None else None if payload is None else json.dumps(payload, allow_nan=False).encode()
    if payload is not None and data is None:
        headers.setdefault("Content-Type", "application/json")
    query = urllib.parse.urlencode({name: value for name, value in (params or {}).items() if value is not None}, True)
    prepared = requests.PreparedRequest()
    prepared.method = method
    prepared.url = f"{url}{'&' if '?' in url else '?'}{query}" if query else url
    prepared.headers = headers
    prepared.body = body
    prepared.hooks = requests.hooks.default_hooks()
    return prepared


def _config_call(method: str, url: str, kwargs: dict[str, Any]) -> Any:
    prepared = _plain_prepared(method, url, {}, kwargs)
    if prepared is None:
        prepared = requests.Request(method, url, **_prepare_kwargs(kwargs)).prepare()
    return _config_request(prepared, _RequestsCaller(requests.request, kwargs), kwargs.get("hooks"))


def _named(names: tuple[str, ...], args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    return {**{names[index]: arg for index, arg in enumerate(args) if index < len(names)}, **kwargs}


def _transport_doubled() -> bool:
    return any(
        _test_double(member)
        for member in (requests.adapters.HTTPAdapter.send, requests.Session.send, requests.Session.get_adapter)
    )


def _pinned(send: Any) -> Any:
    """The answer of a test double standing in for requests' transport (responses, requests-mock) to
    the Config request as the code made it: the test keeps the answer it pinned. None without a
    double, or when it has no answer for it (the test mocks the Public API): then the layer answers.
    A cassette's player answers it, or fails as it did before the migration."""
    if _cassette_playing():
        return send()
    if not _transport_doubled():
        return None
    try:
        return send()
    except requests.ConnectionError:  # how both say "nothing registered for this URL"
        return None


def _function(
    real: Any, leading: tuple[Any, ...], url: Any, method: str, names: tuple[str, ...], args: Any, kwargs: Any
) -> Any:
    """requests' function `real` (called with `leading`, the URL, `args` and `kwargs`, as the code
    called it) for any other URL, or where a test put a double in its place (a test mocking
    `requests.post` still sees its call); else the Config answer."""
    if config_path(str(url)) is None or _test_double(real):
        return real(*leading, url, *args, **kwargs)
    pinned = _pinned(functools.partial(real, *leading, url, *args, **kwargs))
    return _config_call(method, url, _named(names, args, kwargs)) if pinned is None else pinned


def request(method: str, url: str, *args: Any, **kwargs: Any) -> Any:
    """`requests.request`, with Config API calls answered by the Public API."""
    return _function(requests.request, (method,), url, method.upper(), _SESSION_POSITIONAL, args, kwargs)


def get(url: str, *args: Any, **kwargs: Any) -> Any:
    return _function(requests.get, (), url, "GET", ("params",), args, kwargs)


def options(url: str, *args: Any, **kwargs: Any) -> Any:
    return _function(requests.options, (), url, "OPTIONS", (), args, kwargs)


def head(url: str, *args: Any, **kwargs: Any) -> Any:
    return _function(requests.head, (), url, "HEAD", (), args, kwargs)


def post(url: str, *args: Any, **kwargs: Any) -> Any:
    return _function(requests.post, (), url, "POST", ("data", "json"), args, kwargs)


def put(url: str, *args: Any, **kwargs: Any) -> Any:
    return _function(requests.put, (), url, "PUT", ("data",), args, kwargs)


def patch(url: str, *args: Any, **kwargs: Any) -> Any:
    return _function(requests.patch, (), url, "PATCH", ("data",), args, kwargs)


def delete(url: str, *args: Any, **kwargs: Any) -> Any:
    return _function(requests.delete, (), url, "DELETE", (), args, kwargs)


if not isinstance(requests, _Missing):

    class Session(requests.Session):
        """`requests.Session`, with Config API calls answered by the Public API through the session."""

        def request(self, method: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
            text = url.decode() if isinstance(url, bytes) else str(url)
            if config_path(text) is None or _test_double(requests.Session.request):
                return super().request(method, url, *args, **kwargs)
            pinned = _pinned(functools.partial(super().request, method, url, *args, **kwargs))
            if pinned is not None:
                return pinned
            kwargs = _named(_SESSION_POSITIONAL, args, kwargs)
            verb = method.decode() if isinstance(method, bytes) else method
            return _config_request(
                self._config_prepared(verb.upper(), text, kwargs),
                _RequestsCaller(self._public_request, kwargs),
                requests.sessions.merge_hooks(kwargs.get("hooks"), self.hooks),
            )

        def send(self, request: Any, **kwargs: Any) -> Any:
            """A request the code prepared itself (`session.send(session.prepare_request(...))`):
            a Config one is answered as `request` answers it."""
            if config_path(str(request.url)) is None or _test_double(requests.Session.send):
                return super().send(request, **kwargs)
            pinned = _pinned(functools.partial(super().send, request, **kwargs))
            if pinned is not None:
                return pinned
            return _config_request(request, _RequestsCaller(self._public_request, kwargs), request.hooks)

        def _public_request(self, method: str, url: str, **kwargs: Any) -> Any:
            """A Public call made for a Config one, through the session (its adapters, cookies,
            proxies) but not its response hooks: those see the Config answer, once."""
            prepared = self.prepare_request(
                requests.Request(method, url, data=kwargs.get("data"), headers=kwargs.get("headers"))
            )
            prepared.hooks = requests.hooks.default_hooks()
            settings = self.merge_environment_settings(
                url, kwargs.get("proxies") or {}, None, kwargs.get("verify"), kwargs.get("cert")
            )
            return requests.Session.send(self, prepared, timeout=kwargs.get("timeout"), **settings)

        def _config_prepared(self, method: str, url: str, kwargs: dict[str, Any]) -> Any:
            """The Config request with the session's headers, parameters and auth, as `prepare_request`
            makes it, less what only a request that is sent needs (cookies, a .netrc lookup): the
            Public call made for it goes through the session, which adds those."""
            if not self.params and self.auth is None:
                plain = _plain_prepared(method, url, self.headers, kwargs)
                if plain is not None:
                    return plain
            fields = _prepare_kwargs(kwargs)
            fields["headers"] = requests.sessions.merge_setting(
                fields.get("headers"), self.headers, dict_class=requests.structures.CaseInsensitiveDict
            )
            fields["params"] = requests.sessions.merge_setting(fields.get("params"), self.params)
            fields["auth"] = fields.get("auth") or self.auth
            return requests.Request(method, url, **fields).prepare()


def adopted(session: Any) -> Any:
    """A session the code's caller handed in (`Client(token, session=requests.Session())`), where the
    code made one of its own otherwise: made the layer's, so its Config requests are answered as the
    code's own session's are. Any other request it sends goes to requests as before; a session of
    another class (a subclass, a test's double) is left as it is."""
    if not isinstance(requests, _Missing) and type(session) is requests.Session:
        session.__class__ = Session
    return session


# --- urllib -------------------------------------------------------------------------------------------


class _UrllibCaller:
    """Public calls through urllib: `urlopen` (the installed opener), or the opener the Config request
    was opened with (its proxy and TLS handlers)."""

    def __init__(self, timeout: Any, context: Any, opener: Any = None) -> None:
        self.timeout = timeout
        self.context = context
        self.opener = opener
        self.token = ""

    def call(self, method: str, path: str, query: dict[str, Any] | None = None, body: Any = None) -> Any:
        url = _public_url() + path + (("?" + _query_text(query)) if query else "")
        data = None if body is None else _encoded(body)
        outgoing = urllib.request.Request(url, data=data, headers=_public_headers(self.token, body), method=method)
        extra: dict[str, Any] = {} if self.timeout is None else {"timeout": self.timeout}
        if self.context is not None:
            extra["context"] = self.context
        open_ = urllib.request.urlopen if self.opener is None else self.opener
        try:
            with open_(outgoing, **extra) as response:
                return _data(response.status, response.read(), method, path)
        except urllib.error.HTTPError as error:
            return _data(error.code, error.read(), method, path)
        except OSError as error:
            raise UpstreamError(None, f"cannot reach the Public API ({type(error).__name__})") from error


def urlopen(url: Any, *args: Any, **kwargs: Any) -> Any:
    """`urllib.request.urlopen`, with Config API calls answered by the Public API (or by the double a
    test put in its place: the test sees the call as the code made it)."""
    full_url = url.full_url if isinstance(url, urllib.request.Request) else str(url)
    real = urllib.request.urlopen
    if config_path(full_url) is None or _test_double(real) or _cassette_playing():
        return real(url, *args, **kwargs)
    return _urllib_answer(url, full_url, args, kwargs, None)


def _urllib_answer(url: Any, full_url: str, args: tuple[Any, ...], kwargs: dict[str, Any], opener: Any) -> Any:
    """The Config answer to a urllib request, as urllib gives one (an HTTPError for an error status)."""
    named = _named(("data", "timeout"), args, kwargs)
    data, timeout, context = named.get("data"), named.get("timeout"), named.get("context")
    if isinstance(url, urllib.request.Request):
        method = url.get_method() if data is None else (url.method or "POST")
        headers = dict(url.header_items())
        body = data if data is not None else url.data
    else:
        method, headers, body = ("GET" if data is None else "POST"), {}, data
    caller = _UrllibCaller(timeout, context, opener)
    status, answer = _answer(method, full_url, headers, _body_bytes(body), caller)
    message = email.message.Message()
    message["Content-Type"] = "application/json"
    if status >= 400:
        raise urllib.error.HTTPError(full_url, status, _reason(status), message, io.BytesIO(_encoded(answer)))
    return urllib.response.addinfourl(io.BytesIO(_encoded(answer)), message, full_url, status)


def build_opener(*handlers: Any) -> Any:
    """`urllib.request.build_opener`: the opener's `open` answers Config API calls through the Public
    API, with the opener's own headers (`addheaders`) sent as it sends them."""
    opener = urllib.request.build_opener(*handlers)
    opener.open = functools.partial(_opener_open, opener, opener.open)  # type: ignore[method-assign]
    return opener


def _opener_open(opener: Any, real: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
    full_url = url.full_url if isinstance(url, urllib.request.Request) else str(url)
    if config_path(full_url) is None:
        return real(url, *args, **kwargs)
    request = url if isinstance(url, urllib.request.Request) else urllib.request.Request(full_url)
    for name, value in opener.addheaders:  # as the opener's handler adds them, below the request's own
        if not request.has_header(name.capitalize()):
            request.add_unredirected_header(name, value)
    if _test_double(urllib.request.urlopen):
        return urlopen(request, *args, **kwargs)
    return _urllib_answer(request, full_url, args, kwargs, real)  # the Public calls through its handlers


# --- urllib3 ------------------------------------------------------------------------------------------


class _Urllib3Caller:
    """Public calls through the pool manager the Config request was made on (its TLS and proxy
    settings), with the request's timeout and retries."""

    def __init__(self, manager: Any, options: dict[str, Any]) -> None:
        self.manager = manager
        self.options = {name: options[name] for name in ("timeout", "retries") if name in options}
        self.token = ""

    def call(self, method: str, path: str, query: dict[str, Any] | None = None, body: Any = None) -> Any:
        url = _public_url() + path + (("?" + _query_text(query)) if query else "")
        try:
            response = urllib3.PoolManager.request(
                self.manager,
                method,
                url,
                body=None if body is None else _encoded(body),
                headers=_public_headers(self.token, body),
                **self.options,
            )
        except urllib3.exceptions.HTTPError as error:
            raise UpstreamError(None, f"cannot reach the Public API ({type(error).__name__})") from error
        return _data(response.status, response.data, method, path)


_URLLIB3_POSITIONAL = ("body", "fields", "headers", "json")
"""`PoolManager.request`'s arguments after the URL, in urllib3 2's order."""

if not isinstance(urllib3, _Missing):

    class PoolManager(urllib3.PoolManager):
        """`urllib3.PoolManager`, with Config API requests (`request`) answered by the Public API
        through this pool manager; any other URL, and `urlopen`, go to urllib3 as they are."""

        def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            if config_path(str(url)) is None or _cassette_playing():  # a cassette answers it as made
                return super().request(method, url, *args, **kwargs)
            named = _named(_URLLIB3_POSITIONAL, args, kwargs)
            verb = method.upper()
            body: Any = named.get("body")
            if named.get("json") is not None:
                body = json.dumps(named["json"])
            target = str(url)
            if named.get("fields") and verb in ("GET", "HEAD", "DELETE", "OPTIONS"):
                target += ("&" if "?" in target else "?") + urllib.parse.urlencode(named["fields"], doseq=True)
            headers = dict(named.get("headers") or self.headers or {})
            status, answer = _answer(verb, target, headers, _body_bytes(body), _Urllib3Caller(self, named))
            return urllib3.HTTPResponse(
                body=_encoded(answer),
                headers={"Content-Type": "application/json"},
                status=status,
                reason=_reason(status),
                preload_content=named.get("preload_content", True),
                request_method=verb,
                request_url=target,
            )


_DEFAULT_POOL: Any = None
"""The layer's pool manager for `urllib3.request`, made on its first Config request (as urllib3 keeps one)."""


def urllib3_request(method: str, url: Any, **kwargs: Any) -> Any:
    """`urllib3.request` (urllib3 2), with Config API requests answered by the Public API."""
    global _DEFAULT_POOL
    if config_path(str(url)) is None or isinstance(urllib3, _Missing):
        return urllib3.request(method, url, **kwargs)  # without urllib3: what the code's own import raised
    if _DEFAULT_POOL is None:
        _DEFAULT_POOL = PoolManager()
    return _DEFAULT_POOL.request(method, url, **kwargs)


# --- http.client --------------------------------------------------------------------------------------


class _CannedSocket:
    """What `http.client.HTTPResponse` reads a response from: here, one already made."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def makefile(self, *_args: Any, **_kwargs: Any) -> io.BytesIO:
        return io.BytesIO(self.raw)


def _http_client_response(method: str, status: int, answer: Any) -> http.client.HTTPResponse:
    """A real `http.client.HTTPResponse` carrying the Config answer, read as one off the wire is."""
    body = _encoded(answer)
    head = f"HTTP/1.1 {status} {_reason(status)}\r\nContent-Type: application/json\r\n"
    head += f"Content-Length: {len(body)}\r\n\r\n"
    response = http.client.HTTPResponse(_CannedSocket(head.encode("latin-1") + body), method=method)  # type: ignore[arg-type]
    response.begin()
    return response


class HTTPSConnection(http.client.HTTPSConnection):
    """`http.client.HTTPSConnection`, with Config API requests answered by the Public API: `request`
    sends the Public calls (through urllib, with the connection's timeout and TLS context) and the
    next `getresponse` hands back the Config answer. Requests for any other host or path, and the
    lower-level `putrequest`/`send` sequence, go to http.client as they are."""

    def __init__(self, host: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(host, *args, **kwargs)
        self.config_context = kwargs.get("context")
        self.config_answers: list[http.client.HTTPResponse] = []

    def _config_url(self, url: str) -> str:
        if "://" in url:
            return url
        port = "" if self.port in (None, http.client.HTTPS_PORT) else f":{self.port}"
        return f"https://{self.host}{port}{url}"

    def request(self, method: str, url: str, body: Any = None, headers: Any = None, **kwargs: Any) -> None:
        full_url = self._config_url(url)
        if config_path(full_url) is None:
            return super().request(method, url, body, {} if headers is None else headers, **kwargs)
        caller = _UrllibCaller(self.timeout, self.config_context)
        status, answer = _answer(method, full_url, dict(headers or {}), _body_bytes(body), caller)
        self.config_answers.append(_http_client_response(method, status, answer))
        return None

    def getresponse(self) -> http.client.HTTPResponse:
        if self.config_answers:
            return self.config_answers.pop(0)
        return super().getresponse()


# --- httpx --------------------------------------------------------------------------------------------


_CLIENT_OPTIONS = ("verify", "cert", "proxy", "proxies", "trust_env", "http2", "mounts")
"""Options of httpx's module functions that belong to the client they make."""


_CONNECTION_OPTIONS = ("verify", "cert", "proxy", "proxies", "trust_env", "http1", "http2", "limits")
"""Options of an httpx client that say how it reaches a host (a proxy, a CA bundle): the Public calls
made for its Config requests reach the Public API the same way. Not its transports (`transport`,
`mounts`): the client that makes those calls is closed after them, and would close the code's."""


class _HttpxCaller:
    def __init__(self, timeout: Any, options: dict[str, Any] | None = None) -> None:
        self.timeout = timeout
        self.options = options or {}
        self.token = ""

    def call(self, method: str, path: str, query: dict[str, Any] | None = None, body: Any = None) -> Any:
        url = _public_url() + path + (("?" + _query_text(query)) if query else "")
        try:
            with httpx.Client(timeout=self.timeout, **self.options) as client:
                response = client.request(
                    method,
                    url,
                    content=None if body is None else _encoded(body),
                    headers=_public_headers(self.token, body),
                )
        except httpx.HTTPError as error:
            raise UpstreamError(None, f"cannot reach the Public API ({type(error).__name__})") from error
        return _data(response.status_code, response.content, method, path)


def _httpx_doubled() -> bool:
    """Whether a test double stands in for httpx's transport (pytest-httpx), or for the connection
    pool of httpcore under it (respx): the Config request is offered to it first, as the code made it,
    so a test keeps the answer it pinned."""
    members = [httpx.HTTPTransport.handle_request, httpx.AsyncHTTPTransport.handle_async_request]
    httpcore = sys.modules.get("httpcore")
    if httpcore is not None:
        members += [httpcore.ConnectionPool.handle_request, httpcore.AsyncConnectionPool.handle_async_request]
    return any(_test_double(member) or _played(member) for member in members)


def _played(member: Any) -> bool:
    """Whether a cassette's player stands in for this transport method (vcrpy wraps httpx's, keeping
    its name and module: the code it runs is vcrpy's)."""
    code = getattr(member, "__code__", None)
    return code is not None and f"{os.sep}vcr{os.sep}" in code.co_filename


if not isinstance(httpx, _Missing):

    class HttpxClient(httpx.Client):
        """`httpx.Client`, with Config API calls answered by the Public API, reached as the client
        reaches a host (its proxy, CA bundle, limits). A client given a `MockTransport` (a test's
        double) hands it the Config request as the code made it: the test keeps the answer it pinned."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.layer_options, self.layer_doubled = _reached_as(kwargs)
            super().__init__(*args, **kwargs)

        def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            if config_path(str(request.url)) is None or self.layer_doubled:
                return super().send(request, *args, **kwargs)
            if _httpx_doubled():
                with contextlib.suppress(httpx.TransportError, AssertionError):  # nothing mocked for it
                    return super().send(request, *args, **kwargs)
            request = _httpx_sending(self, request, kwargs)
            headers = dict(request.headers)
            status, answer = _answer(
                request.method,
                str(request.url),
                headers,
                request.read(),
                _HttpxCaller(self.timeout, self.layer_options),
            )
            return _httpx_answered(self, _httpx_response(request, status, answer))

    class HttpxAsyncClient(httpx.AsyncClient):
        """`httpx.AsyncClient`, with Config API calls answered by the Public API. The translation
        calls the Public API synchronously, so it runs in a worker thread: the event loop goes on."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.layer_options, self.layer_doubled = _reached_as(kwargs)
            super().__init__(*args, **kwargs)

        async def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            if config_path(str(request.url)) is None or self.layer_doubled:
                return await super().send(request, *args, **kwargs)
            if _httpx_doubled():
                with contextlib.suppress(httpx.TransportError, AssertionError):  # nothing mocked for it
                    return await super().send(request, *args, **kwargs)
            request = _httpx_sending(self, request, kwargs)
            for hook in self.event_hooks["request"]:
                await hook(request)
            body = await request.aread()
            status, answer = await asyncio.to_thread(
                _answer,
                request.method,
                str(request.url),
                dict(request.headers),
                body,
                _HttpxCaller(self.timeout, self.layer_options),
            )
            response = _httpx_response(request, status, answer)
            for hook in self.event_hooks["response"]:
                await hook(response)
            return response

    def _reached_as(options: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """How an httpx client is told to reach a host, for the Public calls made for it, and whether
        a test's `MockTransport` stands in for its transport."""
        reached = {name: options[name] for name in _CONNECTION_OPTIONS if name in options}
        return reached, isinstance(options.get("transport"), httpx.MockTransport)

    def _httpx_sending(client: Any, request: Any, kwargs: dict[str, Any]) -> Any:
        """The Config request as httpx's `send` would send it: with the auth its flow adds first (a
        token header, basic auth), then, for a client, its request hooks run on it (an async client's
        are awaited by the caller)."""
        auth = kwargs.get("auth", httpx.USE_CLIENT_DEFAULT)
        auth = client.auth if auth is httpx.USE_CLIENT_DEFAULT else auth
        if isinstance(auth, tuple):
            auth = httpx.BasicAuth(*auth)
        elif auth is not None and not isinstance(auth, httpx.Auth) and callable(auth):
            auth = httpx.FunctionAuth(auth)
        if isinstance(auth, httpx.Auth):
            request = next(auth.sync_auth_flow(request))
        if isinstance(client, httpx.Client):
            for hook in client.event_hooks["request"]:
                hook(request)
        return request

    def _httpx_answered(client: Any, response: Any) -> Any:
        """The Config answer, after the client's response hooks ran on it, as httpx runs them."""
        for hook in client.event_hooks["response"]:
            hook(response)
        return response

    def _httpx_response(request: Any, status: int, answer: Any) -> Any:
        """The `httpx.Response` to `request` for the Config answer."""
        return httpx.Response(
            status, content=_encoded(answer), headers={"Content-Type": "application/json"}, request=request
        )


def _httpx_call(name: str, url: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """httpx's function `name` called with `args` (the URL among them), or the same method of a
    layer client for a Config URL."""
    if config_path(str(url)) is None:
        return getattr(httpx, name)(*args, **kwargs)
    if isinstance(httpx, _Missing):
        raise ModuleNotFoundError("No module named 'httpx'", name="httpx")
    options = {key: kwargs.pop(key) for key in _CLIENT_OPTIONS if key in kwargs}
    with HttpxClient(**options) as client:
        return getattr(client, name)(*args, **kwargs)


def httpx_request(method: str, url: Any, *args: Any, **kwargs: Any) -> Any:
    """`httpx.request`, with Config API calls answered by the Public API."""
    return _httpx_call("request", url, (method, url, *args), kwargs)


def httpx_get(url: Any, *args: Any, **kwargs: Any) -> Any:
    return _httpx_call("get", url, (url, *args), kwargs)


def httpx_post(url: Any, *args: Any, **kwargs: Any) -> Any:
    return _httpx_call("post", url, (url, *args), kwargs)


def httpx_put(url: Any, *args: Any, **kwargs: Any) -> Any:
    return _httpx_call("put", url, (url, *args), kwargs)


def httpx_patch(url: Any, *args: Any, **kwargs: Any) -> Any:
    return _httpx_call("patch", url, (url, *args), kwargs)


def httpx_delete(url: Any, *args: Any, **kwargs: Any) -> Any:
    return _httpx_call("delete", url, (url, *args), kwargs)


def httpx_head(url: Any, *args: Any, **kwargs: Any) -> Any:
    return _httpx_call("head", url, (url, *args), kwargs)


def httpx_options(url: Any, *args: Any, **kwargs: Any) -> Any:
    return _httpx_call("options", url, (url, *args), kwargs)


# --- aiohttp ------------------------------------------------------------------------------------------


class AiohttpClientSession:
    """`aiohttp.ClientSession`, with Config API requests answered by the Public API. It holds a real
    session, made with the same arguments, and hands it everything else (other URLs, `close`, its
    attributes); aiohttp discourages subclassing its session, so this wraps one. The Public calls go
    through urllib in a worker thread: the event loop goes on."""

    def __init__(self, base_url: Any = None, *args: Any, **kwargs: Any) -> None:
        self.config_base = None if base_url is None else yarl.URL(str(base_url))
        self.session = aiohttp.ClientSession(base_url, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)

    async def __aenter__(self) -> AiohttpClientSession:
        await self.session.__aenter__()
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.session.__aexit__(*exc_info)

    def request(self, method: str, url: Any, **kwargs: Any) -> Any:
        full_url = self._full_url(url)
        if config_path(full_url) is None or _played(aiohttp.ClientSession._request):
            return self.session.request(method, url, **kwargs)  # another URL, or a cassette's to answer
        return _AiohttpConfigRequest(self.session, method.upper(), full_url, kwargs)

    def _full_url(self, url: Any) -> str:
        target = yarl.URL(str(url))
        if self.config_base is not None and not target.is_absolute():
            target = self.config_base.join(target)  # as aiohttp joins a relative URL to `base_url`
        return str(target)

    def _send(self, name: str, url: Any, kwargs: dict[str, Any]) -> Any:
        full_url = self._full_url(url)
        if config_path(full_url) is None or _played(aiohttp.ClientSession._request):
            return getattr(self.session, name)(url, **kwargs)
        return _AiohttpConfigRequest(self.session, name.upper(), full_url, kwargs)

    def get(self, url: Any, **kwargs: Any) -> Any:
        return self._send("get", url, kwargs)

    def post(self, url: Any, **kwargs: Any) -> Any:
        return self._send("post", url, kwargs)

    def put(self, url: Any, **kwargs: Any) -> Any:
        return self._send("put", url, kwargs)

    def patch(self, url: Any, **kwargs: Any) -> Any:
        return self._send("patch", url, kwargs)

    def delete(self, url: Any, **kwargs: Any) -> Any:
        return self._send("delete", url, kwargs)

    def head(self, url: Any, **kwargs: Any) -> Any:
        return self._send("head", url, kwargs)

    def options(self, url: Any, **kwargs: Any) -> Any:
        return self._send("options", url, kwargs)


class _NoSession:
    """What a Config request made by `aiohttp.request` reads of a session it has none of."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}
        self.timeout = None
        self.raise_for_status = False


def aiohttp_request(method: str, url: Any, **kwargs: Any) -> Any:
    """`aiohttp.request` (`async with aiohttp.request("GET", url) as response:`), with Config API
    requests answered by the Public API."""
    if config_path(str(url)) is None or isinstance(aiohttp, _Missing):
        return aiohttp.request(method, url, **kwargs)  # without aiohttp: what the code's own import raised
    return _AiohttpConfigRequest(_NoSession(), method.upper(), str(url), kwargs)


class _AiohttpConfigRequest:
    """What `session.get(...)` gives for a Config URL: awaited, or used in `async with`, as aiohttp's is."""

    def __init__(self, session: Any, method: str, url: str, options: dict[str, Any]) -> None:
        self.session, self.method, self.url, self.options = session, method, url, options
        self.response: _AiohttpConfigResponse | None = None

    def __await__(self) -> Any:
        return self._respond().__await__()

    async def __aenter__(self) -> _AiohttpConfigResponse:
        self.response = await self._respond()
        return self.response

    async def __aexit__(self, *exc_info: Any) -> None:
        if self.response is not None:
            self.response.release()

    async def _respond(self) -> _AiohttpConfigResponse:
        options = self.options
        headers = {**dict(self.session.headers), **{str(k): str(v) for k, v in (options.get("headers") or {}).items()}}
        url = self.url
        if options.get("params"):
            url = str(yarl.URL(url).update_query(options["params"]))
        body = options.get("data")
        if options.get("json") is not None:
            body = json.dumps(options["json"])
        timeout = options.get("timeout") or self.session.timeout
        seconds = getattr(timeout, "total", timeout)
        caller = _UrllibCaller(seconds, None)
        status, answer = await asyncio.to_thread(_answer, self.method, url, headers, _body_bytes(body), caller)
        response = _AiohttpConfigResponse(self.method, url, status, answer)
        # as aiohttp checks an answer: the request's `raise_for_status`, else the session's
        check = options.get("raise_for_status")
        check = getattr(self.session, "raise_for_status", False) if check is None else check
        if callable(check):
            await check(response)
        elif check:
            response.raise_for_status()
        return response


class _AiohttpConfigResponse:
    """The Config answer, read as an `aiohttp.ClientResponse` is (status, headers, `await json()`,
    `text()`, `read()`, `raise_for_status()`, `async with`)."""

    def __init__(self, method: str, url: str, status: int, answer: Any) -> None:
        self.method = method
        self.url = self.real_url = yarl.URL(url)
        self.status = status
        self.reason = _reason(status)
        self.body = _encoded(answer)
        self.headers = multidict.CIMultiDictProxy(
            multidict.CIMultiDict({"Content-Type": "application/json", "Content-Length": str(len(self.body))})
        )
        self.content_type = "application/json"
        self.charset = "utf-8"
        self.history: tuple[Any, ...] = ()
        self.closed = False
        self.request_info = aiohttp.RequestInfo(self.url, method, multidict.CIMultiDictProxy(multidict.CIMultiDict()))

    @property
    def ok(self) -> bool:
        return self.status < 400

    async def read(self) -> bytes:
        return self.body

    async def text(self, encoding: str | None = None, errors: str = "strict") -> str:
        return self.body.decode(encoding or self.charset, errors)

    async def json(self, *, encoding: str | None = None, loads: Any = json.loads, content_type: Any = None) -> Any:
        return loads(self.body.decode(encoding or self.charset))

    def raise_for_status(self) -> None:
        if self.status >= 400:
            raise aiohttp.ClientResponseError(
                self.request_info, self.history, status=self.status, message=self.reason, headers=self.headers
            )

    def release(self) -> None:
        self.closed = True

    def close(self) -> None:
        self.closed = True

    async def __aenter__(self) -> _AiohttpConfigResponse:
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        self.release()


_NEEDS = {"Session": requests, "HttpxClient": httpx, "HttpxAsyncClient": httpx, "PoolManager": urllib3}


def __getattr__(name: str) -> Any:
    """A class of the layer standing in for a library this environment lacks: the error its import
    raised (the code imported it before the migration). `BaseUrlSession`, requests-toolbelt's session
    joining its paths to a base, is made when first asked for: only its users import that library."""
    if name == "BaseUrlSession":
        from requests_toolbelt.sessions import BaseUrlSession as _Toolbelt

        # its `request` joins the path to the base, then the layer's session answers the whole URL
        made = type("BaseUrlSession", (_Toolbelt, Session), {"__module__": __name__})
        globals()[name] = made
        return made
    library = _NEEDS.get(name)
    if isinstance(library, _Missing):
        raise ModuleNotFoundError(f"No module named {library.name!r}", name=library.name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
