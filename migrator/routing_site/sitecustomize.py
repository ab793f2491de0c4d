"""Route Segment API hosts to local servers, for any Python process started with this folder on
PYTHONPATH and SEGMENT_MIGRATOR_ROUTES set (JSON: {"https://platform.segmentapis.com": "http://127.0.0.1:8765"}).

Written by segment-migrator for `migrate verify` and its tests. It stands alone (the process under
test need not have segment-migrator installed) and rewrites URLs in requests, httpx, urllib, urllib3,
aiohttp and http.client as they are called; the user's code is not changed. Answers and errors show the URL
the code asked for, as outside verify. Without the variable it does nothing.
"""

import json
import os
import sys

_ROUTES = {}
try:
    _ROUTES = {key.rstrip("/"): value.rstrip("/") for key, value in json.loads(os.environ.get("SEGMENT_MIGRATOR_ROUTES", "{}")).items()}
except ValueError:
    _ROUTES = {}


def _cassette_playing():
    """A test plays recorded answers below the library (vcrpy, within a cassette): it matches the URL
    the code made, so nothing is routed under it (nothing reaches a server either)."""
    if "vcr" not in sys.modules:
        return False
    import http.client

    classes = [http.client.HTTPSConnection, http.client.HTTPConnection]
    pools = sys.modules.get("urllib3.connectionpool")
    if pools is not None:
        classes += [pools.HTTPSConnectionPool.ConnectionCls, pools.HTTPConnectionPool.ConnectionCls]
    return any(str(getattr(cls, "__module__", "")).startswith("vcr.") for cls in classes)


def _played(member):
    """A transport method a cassette's player stands in for (vcrpy wraps httpx's, keeping its name and
    module: the code it runs is vcrpy's)."""
    code = getattr(member, "__code__", None)
    return code is not None and os.sep + "vcr" + os.sep in code.co_filename


def _route(url):
    text = str(url)
    for prefix, target in _ROUTES.items():
        if text == prefix or text.startswith(prefix + "/") or text.startswith(prefix + "?"):
            return target + text[len(prefix):]
    return None


def _patch_requests():
    # At the adapter, where the request leaves: a test double standing in for the transport
    # (responses replaces `HTTPAdapter.send`, requests-mock the adapter) still sees the URL the code
    # made, as it does outside verify.
    try:
        import requests.adapters
    except ImportError:
        return
    original = requests.adapters.HTTPAdapter.send

    def send(self, request, *args, **kwargs):
        routed = _route(request.url)
        if routed is None or _cassette_playing():
            return original(self, request, *args, **kwargs)
        sent = request.copy()
        sent.url = routed
        response = original(self, sent, *args, **kwargs)
        # The code reads the URL it asked for, as outside verify: in `response.url`, in the message
        # `raise_for_status` gives, in `response.request`.
        response.url = request.url
        response.request = request
        return response

    requests.adapters.HTTPAdapter.send = send


def _patch_httpx():
    try:
        import httpx
    except ImportError:
        return

    def rewrite(request):
        """Route the request; the returned function puts back the URL the code asked for."""
        routed = _route(request.url)
        if not routed:
            return lambda: None
        url, host = request.url, request.headers.get("Host")

        def restore():
            # Once sent, the request (and so `response.url` and the message of `raise_for_status`)
            # shows the URL the code asked for, as outside verify.
            request.url = url
            if host is not None:
                request.headers["Host"] = host

        request.url = httpx.URL(routed)
        request.headers["Host"] = request.url.netloc.decode("ascii")
        return restore

    original_send = httpx.Client.send
    original_async_send = httpx.AsyncClient.send

    def send(self, request, *args, **kwargs):
        if _played(httpx.HTTPTransport.handle_request):
            return original_send(self, request, *args, **kwargs)
        restore = rewrite(request)
        try:
            return original_send(self, request, *args, **kwargs)
        finally:
            restore()

    async def async_send(self, request, *args, **kwargs):
        if _played(httpx.AsyncHTTPTransport.handle_async_request):
            return await original_async_send(self, request, *args, **kwargs)
        restore = rewrite(request)
        try:
            return await original_async_send(self, request, *args, **kwargs)
        finally:
            restore()

    httpx.Client.send = send
    httpx.AsyncClient.send = async_send


def _patch_urllib():
    import urllib.error
    import urllib.request

    original = urllib.request.OpenerDirector.open

    def open_(self, fullurl, *args, **kwargs):
        asked = fullurl if isinstance(fullurl, str) else fullurl.full_url
        routed = _route(asked)
        if routed is None or _cassette_playing():
            return original(self, fullurl, *args, **kwargs)
        if isinstance(fullurl, str):
            fullurl = routed
        else:
            fullurl.full_url = routed
            fullurl.remove_header("Host")
        # The answer and the error show the URL the code asked for, as outside verify.
        try:
            response = original(self, fullurl, *args, **kwargs)
        except urllib.error.HTTPError as error:
            error.url = error.filename = asked
            raise
        finally:
            if not isinstance(fullurl, str):
                fullurl.full_url = asked
        response.url = asked
        return response

    urllib.request.OpenerDirector.open = open_


def _patch_aiohttp():
    try:
        import aiohttp
        import yarl
    except ImportError:
        return
    original = aiohttp.ClientSession._request

    def asked_url(session, str_or_url):
        # A session made with a base URL is given paths; aiohttp joins them to it in `_request`.
        build = getattr(session, "_build_url", None)
        return str(build(str_or_url)) if build is not None else str(str_or_url)

    def showing(info, url):
        return info if info is None else aiohttp.RequestInfo(url, info.method, info.headers, url)

    async def _request(self, method, str_or_url, *args, **kwargs):
        asked = asked_url(self, str_or_url)
        routed = _route(asked)
        if routed is None:
            return await original(self, method, str_or_url, *args, **kwargs)
        # The answer and its errors show the URL the code asked for, as outside verify.
        url = yarl.URL(asked)
        try:
            response = await original(self, method, routed, *args, **kwargs)
        except aiohttp.ClientResponseError as error:
            error.request_info = showing(error.request_info, url)
            raise
        for name in ("_url", "_real_url"):
            if hasattr(response, name):
                setattr(response, name, url)
        if hasattr(response, "_request_info"):
            response._request_info = showing(response._request_info, url)
        return response

    aiohttp.ClientSession._request = _request


def _patch_urllib3():
    try:
        import urllib3
    except ImportError:
        return
    original = urllib3.PoolManager.urlopen  # what `request` calls; requests sends through pools, not here

    def urlopen(self, method, url, *args, **kwargs):
        routed = _route(url)
        if routed is None or _cassette_playing():
            return original(self, method, url, *args, **kwargs)
        response = original(self, method, routed, *args, **kwargs)
        try:
            response.url = url  # the URL the code asked for, as outside verify (urllib3 2)
        except AttributeError:
            pass
        return response

    urllib3.PoolManager.urlopen = urlopen


def _patch_http_client():
    import http.client
    import socket
    from urllib.parse import urlsplit

    original_connect = http.client.HTTPSConnection.connect
    original_putrequest = http.client.HTTPSConnection.putrequest

    def target(connection):
        port = "" if connection.port in (None, http.client.HTTPS_PORT) else ":%d" % connection.port
        routed = _route("https://" + connection.host + port)
        return urlsplit(routed) if routed else None

    def connect(self):
        routed = target(self)
        if routed is None or routed.scheme != "http":
            return original_connect(self)
        self.sock = socket.create_connection((routed.hostname, routed.port or 80), self.timeout, self.source_address)
        return None

    def putrequest(self, method, url, *args, **kwargs):
        routed = target(self)
        if routed is not None and routed.scheme == "http" and routed.path and url.startswith("/"):
            url = routed.path + url
        return original_putrequest(self, method, url, *args, **kwargs)

    http.client.HTTPSConnection.connect = connect
    http.client.HTTPSConnection.putrequest = putrequest


if _ROUTES:
    _patch_http_client()
    _patch_requests()
    _patch_httpx()
    _patch_urllib()
    _patch_aiohttp()
    _patch_urllib3()
