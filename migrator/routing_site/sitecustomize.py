"""Route Segment API hosts to local servers, for any Python process started with this folder on
PYTHONPATH and SEGMENT_MIGRATOR_ROUTES set (JSON: {"https://platform.segmentapis.com": "http://127.0.0.1:8765"}).

Written by segment-migrator for `migrate verify` and its tests. It stands alone (the process under
test need not have segment-migrator installed) and rewrites URLs in requests, httpx, urllib, urllib3,
aiohttp and http.client as they are called; the user's code is not changed. Without the variable it does nothing.
"""

import json
import os

_ROUTES = {}
try:
    _ROUTES = {key.rstrip("/"): value.rstrip("/") for key, value in json.loads(os.environ.get("SEGMENT_MIGRATOR_ROUTES", "{}")).items()}
except ValueError:
    _ROUTES = {}


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
        if routed is not None:
            request = request.copy()
            request.url = routed
        return original(self, request, *args, **kwargs)

    requests.adapters.HTTPAdapter.send = send


def _patch_httpx():
    try:
        import httpx
    except ImportError:
        return

    def rewrite(request):
        routed = _route(request.url)
        if routed:
            request.url = httpx.URL(routed)
            request.headers["Host"] = request.url.netloc.decode("ascii")

    original_send = httpx.Client.send
    original_async_send = httpx.AsyncClient.send

    def send(self, request, *args, **kwargs):
        rewrite(request)
        return original_send(self, request, *args, **kwargs)

    async def async_send(self, request, *args, **kwargs):
        rewrite(request)
        return await original_async_send(self, request, *args, **kwargs)

    httpx.Client.send = send
    httpx.AsyncClient.send = async_send


def _patch_urllib():
    import urllib.request

    original = urllib.request.OpenerDirector.open

    def open_(self, fullurl, *args, **kwargs):
        if isinstance(fullurl, str):
            fullurl = _route(fullurl) or fullurl
        else:
            routed = _route(fullurl.full_url)
            if routed:
                fullurl.full_url = routed
                fullurl.remove_header("Host")
        return original(self, fullurl, *args, **kwargs)

    urllib.request.OpenerDirector.open = open_


def _patch_aiohttp():
    try:
        import aiohttp
    except ImportError:
        return
    original = aiohttp.ClientSession._request

    async def _request(self, method, str_or_url, *args, **kwargs):
        return await original(self, method, _route(str_or_url) or str_or_url, *args, **kwargs)

    aiohttp.ClientSession._request = _request


def _patch_urllib3():
    try:
        import urllib3
    except ImportError:
        return
    original = urllib3.PoolManager.urlopen  # what `request` calls; requests sends through pools, not here

    def urlopen(self, method, url, *args, **kwargs):
        return original(self, method, _route(url) or url, *args, **kwargs)

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
