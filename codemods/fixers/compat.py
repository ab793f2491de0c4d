"""Config calls that cannot be rewritten natively go through the compatibility layer instead.

A chokepoint whose path is built at run time, an answer returned to callers this codemod cannot see,
a base URL read from configuration: the native codemods cannot prove such a call safe, and before this
fixer it kept calling the Config API with a TODO. Now its transport call is routed through the layer
`migrate apply` generates (`migrator.compat`): `requests.get(url, ...)` becomes
`segment_compat.get(url, ...)`, `requests.Session()` `segment_compat.Session()`, `urlopen(...)`
`segment_compat.urlopen(...)`, `httpx.get(...)` `segment_compat.httpx_get(...)`, `httpx.Client()`
`segment_compat.HttpxClient()`, `httpx.AsyncClient()` `segment_compat.HttpxAsyncClient()`,
`http.client.HTTPSConnection(host)` `segment_compat.HTTPSConnection(host)` and
`aiohttp.ClientSession()` `segment_compat.AiohttpClientSession()`. The
layer answers a Config URL through the Public API, shaped as the Config API answered, and hands any
other URL to the library exactly as called, so routing a call never changes what it does with
another API.

Which calls: in a module that talks to the Config API (a Config call the plan found, a Config URL or
versioned path in a string, or a Config URL constant imported from another module of the repository),
every transport call whose URL is not provably another API's, unless the plan rewrites it natively or
its endpoint has no Public twin (that one keeps its TODO: the layer could only fail it).
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from mappings import ApiMap
from migrator.analysis.bindings import Scope, dotted_name
from migrator.analysis.holes import HOLE
from migrator.analysis.literals import evaluated
from migrator.analysis.strings import Shapes
from migrator.compat import PACKAGE
from migrator.repository import config_patterns
from migrator.scan.python import is_layer_call, looked_up, partial_of, url_argument

from ..base import Case, Edit, FileContext, FilePlan, Fixer, PlannedCall, Rebuild, Stage
from ..finder import CallFinder
from ..syntax import drop_unused_import

TRANSPORTS = {
    "requests.request": "request",
    "requests.get": "get",
    "requests.post": "post",
    "requests.put": "put",
    "requests.patch": "patch",
    "requests.delete": "delete",
    "requests.head": "head",
    "requests.options": "options",
    "requests.Session": "Session",
    "requests.session": "Session",
    "requests.sessions.Session": "Session",
    "requests_toolbelt.sessions.BaseUrlSession": "BaseUrlSession",
    "urllib.request.urlopen": "urlopen",
    "urllib.request.build_opener": "build_opener",
    "six.moves.urllib.request.urlopen": "urlopen",  # code written for Python 2 and 3, as the Config API era was
    "http.client.HTTPSConnection": "HTTPSConnection",
    "urllib3.PoolManager": "PoolManager",
    "urllib3.poolmanager.PoolManager": "PoolManager",
    "urllib3.request": "urllib3_request",
    "aiohttp.ClientSession": "AiohttpClientSession",
    "aiohttp.request": "aiohttp_request",
    "httpx.request": "httpx_request",
    "httpx.get": "httpx_get",
    "httpx.post": "httpx_post",
    "httpx.put": "httpx_put",
    "httpx.patch": "httpx_patch",
    "httpx.delete": "httpx_delete",
    "httpx.head": "httpx_head",
    "httpx.options": "httpx_options",
    "httpx.Client": "HttpxClient",
    "httpx.AsyncClient": "HttpxAsyncClient",
}
"""The library functions the layer stands in for, and its name for each."""
ROUTED_LIBRARIES = "requests, httpx, urllib, urllib3, http.client and aiohttp"
"""The libraries of `TRANSPORTS`, as the TODOs and scan's reasons name them."""
SESSIONS = frozenset(
    {
        "Session",
        "BaseUrlSession",
        "HttpxClient",
        "HttpxAsyncClient",
        "HTTPSConnection",
        "AiohttpClientSession",
        "PoolManager",
        "build_opener",
    }
)
"""The layer's classes that hold a connection: the calls made on one go through the layer too."""
VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
"""The HTTP verbs requests, httpx and aiohttp name their sending functions and methods for."""
SESSION_SENDS = VERBS | {"request"}
"""The methods of a session that send a request (each library's sessions have these)."""
SESSION_MAKERS = frozenset(
    {"Session", "session", "Client", "AsyncClient", "HTTPSConnection", "ClientSession", "PoolManager"}
)
"""The library calls that make what the layer stands in for as a session (`requests.Session()`,
`requests.session()`, `httpx.Client()`, `http.client.HTTPSConnection(host)`, `urllib3.PoolManager()`),
by their last name."""


def talks_to_config(context: FileContext, source: str, imported_constants: frozenset[str]) -> bool:
    """Whether this module is one of the repository's Config API clients: a string in it is the
    Config host, a Config base URL or a versioned path (not the same host's webhook URLs, which are
    event ingestion), or it imports such a constant."""
    if context.calls or config_patterns().string.search(source):
        return True
    return bool(imported_constants)


def transport_of(call: cst.Call, aliases: dict[str, str]) -> str | None:
    """The layer's name for the library function `call` calls, or None. A verb looked up on
    requests (`getattr(requests, verb.lower())(url)`) is the layer's function of that verb, which
    the same lookup on the layer finds: its name is `LOOKED_UP`."""
    if looked_up_in_requests(call.func, aliases) is not None:
        return LOOKED_UP
    return library_name(call.func, aliases)


LOOKED_UP = "getattr"


def looked_up_in_requests(func: cst.BaseExpression, aliases: dict[str, str]) -> cst.Name | None:
    """`requests` of `getattr(requests, verb)`, the module a chokepoint looks its verb's function
    up in; None for any other callee. The layer has every function requests has for a verb."""
    lookup = looked_up(func)
    module = lookup[0] if lookup is not None else None
    return module if type(module) is cst.Name and imported_name(module, aliases) == "requests" else None


def library_name(expression: cst.BaseExpression, aliases: dict[str, str]) -> str | None:
    """The layer's name for the library function or class `expression` names, or None."""
    return TRANSPORTS.get(imported_name(expression, aliases) or "")


def imported_name(expression: cst.BaseExpression, aliases: dict[str, str]) -> str | None:
    """The dotted name an imported name stands for (`r.get` after `import requests as r`:
    `requests.get`), or None when its first part is not imported."""
    dotted = dotted_name(expression)
    if not dotted:
        return None
    first, _, rest = dotted.partition(".")
    bound = aliases.get(first)
    if bound is None:
        return None
    if bound != first and not bound.startswith(first + "."):  # `from requests import get`, `import requests as r`
        dotted = bound + ("." + rest if rest else "")
    return dotted


def _another_api(call: cst.Call, shapes: Shapes, scope: object, api: ApiMap) -> bool:
    """The URL is known here to be some other API's (a literal host that is not the Config host)."""
    url = url_argument(call)
    if url is None:
        return False
    shape = shapes.shape(url, scope)  # type: ignore[arg-type]
    if not shape or not shape.startswith(("http://", "https://")):
        return False
    parts = shape.split("/", 4)
    host = parts[2]
    if HOLE in host:
        return False
    if host not in api.protocol["config"]["hosts"]:
        return True
    first = parts[3] if len(parts) > 3 else ""
    return bool(first) and HOLE not in first and first not in api.config_prefixes


def _another_host(call: cst.Call, shapes: Shapes, scope: object, api: ApiMap) -> bool:
    """An `HTTPSConnection` to a host known here (a literal, or a constant) that is not the Config host."""
    arguments = [arg for arg in call.args if arg.keyword is None or arg.keyword.value == "host"]
    if not arguments:
        return False
    host = shapes.shape(arguments[0].value, scope)  # type: ignore[arg-type]
    return (
        host is not None
        and bool(host)
        and HOLE not in host
        and host.split(":")[0] not in api.protocol["config"]["hosts"]
    )


class CompatFixer(Fixer):
    name = "compat"
    description = "a Config call that cannot be proven safe to rewrite: through the generated compatibility layer"
    stage = Stage.TRANSPORT

    cases = (
        Case(
            """\
            import json
            import urllib.request

            URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/regulations"

            with urllib.request.urlopen(urllib.request.Request(URL, headers=HEADERS)) as response:
                listed = json.load(response)["regulations"]
            """,
            """\
            import json
            import urllib.request

            import segment_compat

            URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/regulations"

            with segment_compat.urlopen(urllib.request.Request(URL, headers=HEADERS)) as response:
                listed = json.load(response)["regulations"]
            """,
            why="a request made in the routed call's argument, at module level, is sent by the layer: no TODO",
        ),
        Case(
            """\
            import urllib3

            API = "https://platform.segmentapis.com/v1beta"


            def sources():
                return urllib3.request("GET", f"{API}/workspaces/acme/sources").json()["sources"]
            """,
            """\
            import segment_compat

            API = "https://platform.segmentapis.com/v1beta"


            def sources():
                return segment_compat.urllib3_request("GET", f"{API}/workspaces/acme/sources").json()["sources"]
            """,
        ),
        Case(
            """\
            import json

            import urllib3

            http = urllib3.PoolManager()
            API = "https://platform.segmentapis.com/v1beta"


            def sources():
                return json.loads(http.request("GET", f"{API}/workspaces/acme/sources").data)["sources"]
            """,
            """\
            import json

            import segment_compat

            http = segment_compat.PoolManager()
            API = "https://platform.segmentapis.com/v1beta"


            def sources():
                return json.loads(http.request("GET", f"{API}/workspaces/acme/sources").data)["sources"]
            """,
        ),
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"


            def sources():
                return requests.get(f"{API}/workspaces/acme/sources").json()["sources"]
            """,
            """\
            import segment_compat

            API = "https://platform.segmentapis.com/v1beta"


            def sources():
                return segment_compat.get(f"{API}/workspaces/acme/sources").json()["sources"]
            """,
        ),
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"


            def client(token):
                session = requests.Session()
                session.headers["Authorization"] = "Bearer " + token
                return session


            def plans(token):
                return client(token).get(f"{API}/workspaces/acme/tracking-plans").json()["tracking_plans"]
            """,
            """\
            import segment_compat

            API = "https://platform.segmentapis.com/v1beta"


            def client(token):
                session = segment_compat.Session()
                session.headers["Authorization"] = "Bearer " + token
                return session


            def plans(token):
                return client(token).get(f"{API}/workspaces/acme/tracking-plans").json()["tracking_plans"]
            """,
            why="the session a function makes and returns is the layer's: its calls need no TODO of their own",
        ),
        Case(
            """\
            import httpx

            API = "https://platform.segmentapis.com/v1beta"


            def client():
                return httpx.Client(base_url=API)


            def sources():
                with client() as http:
                    return http.get("/workspaces/acme/sources").json()["sources"]
            """,
            """\
            import segment_compat

            API = "https://platform.segmentapis.com/v1beta"


            def client():
                return segment_compat.HttpxClient(base_url=API)


            def sources():
                with client() as http:
                    return http.get("/workspaces/acme/sources").json()["sources"]
            """,
            why="a client a function makes in its return is the layer's: a call on it needs no TODO",
        ),
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"


            def send(verb, path, body=None):
                return getattr(requests, verb.lower())(f"{API}/{path}", json=body).json()
            """,
            """\
            import segment_compat

            API = "https://platform.segmentapis.com/v1beta"


            def send(verb, path, body=None):
                return getattr(segment_compat, verb.lower())(f"{API}/{path}", json=body).json()
            """,
            why="the layer has each function requests has for a verb: the lookup finds the layer's",
        ),
        Case(
            """\
            import requests


            class Client:
                api = "https://platform.segmentapis.com/v1beta"

                def __init__(self):
                    self._session = None

                @property
                def session(self):
                    if self._session is None:
                        self._session = requests.Session()
                    return self._session

                def plans(self, workspace):
                    return self.session.get(f"{self.api}/workspaces/{workspace}/tracking-plans").json()
            """,
            """\
            import segment_compat


            class Client:
                api = "https://platform.segmentapis.com/v1beta"

                def __init__(self):
                    self._session = None

                @property
                def session(self):
                    if self._session is None:
                        self._session = segment_compat.Session()
                    return self._session

                def plans(self, workspace):
                    return self.session.get(f"{self.api}/workspaces/{workspace}/tracking-plans").json()
            """,
            why="a property handing back the session the object keeps hands back the layer's: no TODO on its calls",
        ),
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"


            class Client:
                def __init__(self, token, session=None):
                    self.session = session or requests.Session()
                    self.session.headers["Authorization"] = "Bearer " + token

                def plans(self, workspace):
                    return self.session.get(f"{API}/workspaces/{workspace}/tracking-plans").json()
            """,
            """\
            import segment_compat

            API = "https://platform.segmentapis.com/v1beta"


            class Client:
                def __init__(self, token, session=None):
                    self.session = segment_compat.adopted(session) or segment_compat.Session()
                    self.session.headers["Authorization"] = "Bearer " + token

                def plans(self, workspace):
                    return self.session.get(f"{API}/workspaces/{workspace}/tracking-plans").json()
            """,
            why="a session the caller hands in answers Config requests as the one made here does",
        ),
        Case(
            """\
            import functools

            import requests

            API = "https://platform.segmentapis.com/v1beta"
            _get = functools.partial(requests.get, timeout=30)


            def sources():
                return _get(f"{API}/workspaces/acme/sources").json()["sources"]
            """,
            """\
            import functools

            import segment_compat

            API = "https://platform.segmentapis.com/v1beta"
            _get = functools.partial(segment_compat.get, timeout=30)


            def sources():
                return _get(f"{API}/workspaces/acme/sources").json()["sources"]
            """,
            why="a library function bound with functools.partial is called under another name: the layer's is bound",
        ),
        Case(
            """\
            import json

            from six.moves.urllib.request import Request, urlopen

            API = "https://platform.segmentapis.com/v1beta"


            def get(path):
                return json.loads(urlopen(Request(API + "/" + path)).read())
            """,
            """\
            import json

            from six.moves.urllib.request import Request
            import segment_compat

            API = "https://platform.segmentapis.com/v1beta"


            def get(path):
                return json.loads(segment_compat.urlopen(Request(API + "/" + path)).read())
            """,
            why="six's urlopen is urllib's on Python 3, where the migrated code runs",
        ),
        Case(
            """\
            import json
            import urllib.request

            API = "https://platform.segmentapis.com/v1beta"
            opener = urllib.request.build_opener()


            def sources():
                return json.load(opener.open(f"{API}/workspaces/acme/sources"))["sources"]
            """,
            """\
            import json

            import segment_compat

            API = "https://platform.segmentapis.com/v1beta"
            opener = segment_compat.build_opener()


            def sources():
                return json.load(opener.open(f"{API}/workspaces/acme/sources"))["sources"]
            """,
            why="an opener the layer builds answers the Config URLs it is asked to open",
        ),
        Case(
            """\
            from requests_toolbelt.sessions import BaseUrlSession

            session = BaseUrlSession(base_url="https://platform.segmentapis.com/v1beta/workspaces/acme/")
            sources = session.get("sources").json()["sources"]
            """,
            """\
            import segment_compat

            session = segment_compat.BaseUrlSession(base_url="https://platform.segmentapis.com/v1beta/workspaces/acme/")
            sources = session.get("sources").json()["sources"]
            """,
            why="requests-toolbelt's session joins the path to its base, then the layer's session answers it",
        ),
        Case(
            """\
            import http.client
            import json

            conn = http.client.HTTPSConnection("platform.segmentapis.com")
            conn.request("GET", "/v1beta/workspaces/acme/sources", "", {"Authorization": "Bearer x"})
            sources = json.loads(conn.getresponse().read())["sources"]
            """,
            """\
            import json

            import segment_compat

            conn = segment_compat.HTTPSConnection("platform.segmentapis.com")
            conn.request("GET", "/v1beta/workspaces/acme/sources", "", {"Authorization": "Bearer x"})
            sources = json.loads(conn.getresponse().read())["sources"]
            """,
            why="an http.client connection to the Config host is the layer's: the requests sent on it name no host",
        ),
        Case(
            """\
            import http.client

            API = "https://platform.segmentapis.com/v1beta"
            conn = http.client.HTTPSConnection("status.example.com")
            conn.request("GET", "/v1beta/health")
            """,
            why="a connection to another host is not the Config API's, though the module talks to it",
        ),
        Case(
            """\
            import requests


            def weather():
                return requests.get("https://api.weather.example/v1beta/today").json()
            """,
            why="another vendor's v1beta API is not the Config API",
        ),
        Case(
            """\
            import aiohttp

            API = "https://platform.segmentapis.com/v1beta"


            async def sources(token):
                async with aiohttp.ClientSession(headers={"Authorization": "Bearer " + token}) as session:
                    async with session.get(f"{API}/workspaces/acme/sources") as answer:
                        return await answer.json()
            """,
            """\
            import segment_compat

            API = "https://platform.segmentapis.com/v1beta"


            async def sources(token):
                async with segment_compat.AiohttpClientSession(headers={"Authorization": "Bearer " + token}) as session:
                    async with session.get(f"{API}/workspaces/acme/sources") as answer:
                        return await answer.json()
            """,
            why="an aiohttp session is the layer's: the requests made on it need no TODO of their own",
        ),
        Case(
            """\
            import aiohttp

            API = "https://platform.segmentapis.com/v1beta"


            async def plans(token):
                async with aiohttp.request("GET", f"{API}/workspaces/acme/tracking-plans") as answer:
                    return await answer.json()
            """,
            """\
            import segment_compat

            API = "https://platform.segmentapis.com/v1beta"


            async def plans(token):
                async with segment_compat.aiohttp_request("GET", f"{API}/workspaces/acme/tracking-plans") as answer:
                    return await answer.json()
            """,
        ),
    )

    @classmethod
    def plan_file(cls, file: FilePlan) -> None:
        if not file.compat:
            return
        if not file.testing:
            plan_compat(file.context, file.finder, file.imported_constants, file.sessions_made, file.sessions_imported)
        elif tests_layered_code(file.finder, file.layered_modules):
            plan_layered_mocks(file.context, file.finder, file.layered_modules)


def plan_compat(
    context: FileContext,
    finder: CallFinder,
    imported_constants: frozenset[str] = frozenset(),
    sessions_made: frozenset[str] = frozenset(),
    sessions_imported: frozenset[str] = frozenset(),
) -> None:
    """Route what the plan leaves on the Config API through the layer, and drop the TODOs that
    routing answers: the routed call's own, and those of the calls made through a routed helper.
    A module that names no Config URL has only the sessions Config clients import from it routed
    (`sessions_made`); a client's calls on such a session (`sessions_imported`) go through the layer."""
    config = talks_to_config(context, context.source, imported_constants)
    if not config and not sessions_made:
        return
    planned_by_call = {id(planned.call): planned for planned in context.calls}
    shapes = Shapes(finder)
    routed: set[int] = set()
    replaced_reads: list[cst.Name | None] = []
    """The name each routed call read its library function through (`requests` of `requests.get`,
    `get` of `from requests import get`): an import only they read goes."""
    routed_scopes: set[int] = set()
    sessions: set[str] = set()
    scope_of: dict[int, object] = {}
    for call, scope, statement in finder.found:
        scope_of[id(call)] = scope
        if is_layer_call(call):  # routed by an earlier run
            routed.add(id(call))
            if scope is not finder.module:
                routed_scopes.add(id(scope))
            if dotted_name(call.func).rsplit(".", 1)[-1] in SESSIONS:
                sessions |= _assigned_names(statement, finder) | _with_name(call, finder)
            continue
        if config and _partial_transport(call, finder, context, replaced_reads):
            routed.add(id(call))
            continue
        name = transport_of(call, finder.aliases)
        if name is None:
            continue
        # made or sent for a Config client: a session bound at the top level, or anything a top-level
        # function or class of `sessions_made` does (a factory's session, a sending helper's request,
        # an HTTP client class's own session)
        shared = (
            name in SESSIONS and bool(_assigned_names(statement, finder) & sessions_made)
            if scope is finder.module
            else _top_level_owner(scope, finder) in sessions_made
        )
        if not config and not shared:
            continue
        planned = planned_by_call.get(id(call))
        if planned is not None and planned.todo is None:
            continue  # rewritten natively
        if planned is not None and not _layer_answers(planned):
            continue  # no Public twin: the TODO says what a person must do
        if name not in SESSIONS and planned is None and _another_api(call, shapes, scope, context.api):
            continue
        if name == "HTTPSConnection" and _another_host(call, shapes, scope, context.api):
            continue
        if (
            name in SESSIONS
            and not shared
            and _every_use_moved(
                _assigned_names(statement, finder) | _with_name(call, finder),
                finder,
                planned_by_call,
                shapes,
                context.api,
            )
        ):
            continue
        routed.add(id(call))
        if scope is not finder.module:
            routed_scopes.add(id(scope))
        if name in SESSIONS:
            sessions |= _assigned_names(statement, finder) | _with_name(call, finder)
        if name == LOOKED_UP:  # `getattr(requests, verb)` becomes `getattr(segment_compat, verb)`
            module = looked_up_in_requests(call.func, finder.aliases)
            assert module is not None
            context.edits.setdefault(id(module), []).append(Edit(CompatFixer.name, module, _becomes(cst.Name(PACKAGE))))
            replaced_reads.append(module)
            continue
        context.edits.setdefault(id(call.func), []).append(Edit(CompatFixer.name, call.func, _rename(name)))
        replaced_reads.append(_root_name(call.func))
        handed = _handed_session(call, scope, finder) if name == "Session" else None
        if handed is not None:  # `session or requests.Session()`: the caller's session is adopted too
            adopt = cst.Call(cst.Attribute(cst.Name(PACKAGE), cst.Name("adopted")), [cst.Arg(handed)])
            context.edits.setdefault(id(handed), []).append(Edit(CompatFixer.name, handed, _becomes(adopt)))
    # A function handing back the session it made (`def client(): ...; return session`) makes
    # layered sessions too: `client(token).get(...)`, or `s = client(token)` then `s.get(...)`.
    sessions |= sessions_imported
    factories = _session_factories(finder, sessions, routed) | sessions_imported  # a factory imported
    for call, _scope, statement in finder.found if factories else ():
        if dotted_name(call.func).rsplit(".", 1)[-1] in factories:
            sessions |= _assigned_names(statement, finder) | _with_name(call, finder)
    sessions |= _session_properties(finder, sessions)
    context.session_sends += [
        call
        for call, scope, _statement in (finder.found if sessions or factories else ())
        if id(call) not in routed
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value in SESSION_SENDS
        and _on_session(call, sessions, finder, factories)
        and not _another_api(call, shapes, scope, context.api)  # the layer hands it on as it is
    ]
    layered_classes = _session_subclasses(context, finder, replaced_reads, None if config else sessions_made)
    dropped = {id(name) for name in replaced_reads if name is not None}
    locals_ = [name.value for name in replaced_reads if name is not None]
    drop_unused_import(context, finder.bindings, locals_, dropped, set(), CompatFixer.name, counted=False)
    # A request built in a function whose transport call is routed (`Request(...)` then `urlopen`) is
    # sent through the layer too, and so is every call made through that function.
    # So is a call on a session the layer made (`session = segment_compat.Session()`, then `session.get`).
    covered = routed | {
        id(planned.call)
        for planned in context.calls
        if id(scope_of.get(id(planned.call))) in routed_scopes
        or _handed_to(planned.call, routed, finder)
        or _on_session(planned.call, sessions, finder, factories)
        or _enclosing_class(finder, planned.call) in layered_classes
    }
    for planned in context.calls:
        if planned.todo is None or not _layer_answers(planned):
            continue
        if id(planned.call) in covered or context.through.get(id(planned.call)) in covered:
            key = id(context.statements_of.get(id(planned.call)))
            notes = context.todos.get(key, [])
            if planned.todo in notes:
                notes.remove(planned.todo)
                if not notes:
                    del context.todos[key]
            planned.compat = True
        elif _on_aiohttp(planned.call, shapes, scope_of.get(id(planned.call)), finder.aliases):
            notes = context.todos.get(id(context.statements_of.get(id(planned.call))), [])
            if planned.todo in notes:
                notes[notes.index(planned.todo)] = f"{planned.todo}; {AIOHTTP_NOTE}"


def _handed_to(call: cst.Call, routed: set[int], finder: CallFinder) -> bool:
    """`urlopen(Request(URL, ...))` with `urlopen` routed: the request made in its argument is sent
    by the layer, wherever the two are (at module level too, where no function scope is routed)."""
    argument = finder.bindings.parent(call)
    return isinstance(argument, cst.Arg) and id(finder.bindings.parent(argument)) in routed


AIOHTTP_NOTE = (
    "the compatibility layer stands in for aiohttp's `ClientSession` made in this module and "
    "`aiohttp.request`, not for a session made elsewhere, so this call needs a person "
    "(`migrate translate` shows its Public request)"
)


def _on_aiohttp(call: cst.Call, shapes: Shapes, scope: object, aliases: dict[str, str]) -> bool:
    """`session.get(...)` on `aiohttp.ClientSession()` (assigned or in `async with`), or `aiohttp.request`."""
    func = call.func
    if not isinstance(func, cst.Attribute):
        return False
    if (imported_name(func, aliases) or "").startswith("aiohttp."):
        return True
    if not isinstance(func.value, cst.Name) or not isinstance(scope, Scope):
        return False
    bound = shapes.lookup(func.value.value, scope)
    return isinstance(bound, cst.Call) and imported_name(bound.func, aliases) == "aiohttp.ClientSession"


def _session_subclasses(
    context: FileContext, finder: CallFinder, replaced_reads: list[cst.Name | None], only: frozenset[str] | None = None
) -> set[int]:
    """`class Api(requests.Session)` becomes `class Api(segment_compat.Session)`: every request the
    class makes goes through the layer's session. The classes (by id), this run's and earlier runs';
    the name each replaced base was read through goes to `replaced_reads`. With `only`, those classes
    alone (a module naming no Config URL, whose session classes Config clients import)."""
    found: set[int] = set()
    for node in list(finder.bindings.nodes.values()):
        if type(node) is not cst.ClassDef or (only is not None and node.name.value not in only):
            continue
        for base in node.bases:
            name = library_name(base.value, finder.aliases)
            if dotted_name(base.value) in {f"{PACKAGE}.{session}" for session in SESSIONS}:
                found.add(id(node))
            elif name in SESSIONS:
                found.add(id(node))
                context.edits.setdefault(id(base.value), []).append(
                    Edit(CompatFixer.name, base.value, _becomes(cst.Attribute(cst.Name(PACKAGE), cst.Name(name))))
                )
                replaced_reads.append(_root_name(base.value))
    return found


def _enclosing_class(finder: CallFinder, node: cst.CSTNode) -> int | None:
    current = finder.bindings.parent(node)
    while current is not None and type(current) is not cst.ClassDef:
        current = finder.bindings.parent(current)
    return None if current is None else id(current)


def _assigned_names(statement: cst.CSTNode, finder: CallFinder) -> set[str]:
    """`session` and `self.session` of `session = ...` / `self.session = ...` (an attribute of
    `self` by its class: another class's `self.session` is another session)."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return set()
    return {
        _by_class(dotted_name(target.target), finder, statement)
        for small in statement.body
        if isinstance(small, cst.Assign)
        for target in small.targets
        if dotted_name(target.target)
    }


def _by_class(name: str, finder: CallFinder, node: cst.CSTNode) -> str:
    """`self.session` read or bound in a method, named with its class (`<class>#self.session`)."""
    if name.startswith(("self.", "cls.")):
        return f"{_enclosing_class(finder, node)}#{name}"
    return name


def _with_name(call: cst.Call, finder: CallFinder) -> set[str]:
    """`client` of `with httpx.Client() as client:`."""
    item = finder.bindings.parent(call)
    if isinstance(item, cst.WithItem) and item.asname is not None and isinstance(item.asname.name, cst.Name):
        return {item.asname.name.value}
    return set()


def _every_use_moved(
    names: set[str], finder: CallFinder, planned_by_call: dict[int, PlannedCall], shapes: Shapes, api: ApiMap
) -> bool:
    """A session whose every request here is a Config call rewritten natively (in this run, or
    an earlier one: a request to another API's literal host): routing it would send the Public calls
    through the layer for nothing, and hide them from the tests that mock it."""
    uses = [(call, scope) for call, scope, _ in finder.found if _on_session(call, names, finder)]
    return bool(uses) and all(
        planned.todo is None
        if (planned := planned_by_call.get(id(call))) is not None
        else _another_api(call, shapes, scope, api)
        for call, scope in uses
    )


def _returns(block: cst.BaseSuite) -> Iterator[cst.Return]:
    """The `return` statements of a function's body, through its compound statements but not into
    functions or classes defined in it (their returns are theirs)."""
    for statement in getattr(block, "body", ()):
        if isinstance(statement, cst.SimpleStatementLine):
            yield from (small for small in statement.body if isinstance(small, cst.Return))
        elif isinstance(statement, cst.BaseCompoundStatement) and not isinstance(
            statement, cst.FunctionDef | cst.ClassDef
        ):
            for part in (statement, *_clauses(statement)):
                body = getattr(part, "body", None)
                if isinstance(body, cst.BaseSuite):
                    yield from _returns(body)


def _clauses(statement: cst.BaseCompoundStatement) -> list[cst.CSTNode]:
    """The `else`, `elif`, `except` and `finally` clauses of a compound statement."""
    found: list[cst.CSTNode] = []
    for name in ("orelse", "handlers", "finalbody"):
        value = getattr(statement, name, None)
        for clause in value if isinstance(value, tuple | list) else (value,):
            if clause is None:
                continue
            found.append(clause)
            if isinstance(clause, cst.If):
                found += _clauses(clause)
    return found


def _handed_session(call: cst.Call, scope: Scope, finder: CallFinder) -> cst.Name | None:
    """`session` of `session or requests.Session()`, a parameter the caller may hand its own session
    in: that one must answer Config requests too."""
    operation = finder.bindings.parent(call)
    if not isinstance(operation, cst.BooleanOperation) or not isinstance(operation.operator, cst.Or):
        return None
    handed = operation.left
    if operation.right is not call or not isinstance(handed, cst.Name) or handed.value not in scope.params:
        return None
    return handed


def _partial_transport(
    call: cst.Call, finder: CallFinder, context: FileContext, replaced_reads: list[cst.Name | None]
) -> bool:
    """`functools.partial(requests.get, headers=HEADERS)`, a library function bound to the module's
    settings and called under another name: the layer's function of that name is bound instead."""
    function = partial_of(call, imported_name(call.func, finder.aliases) or "")
    name = library_name(function, finder.aliases) if function is not None else None
    if function is None or name is None or name in SESSIONS or name == LOOKED_UP:
        return False
    context.edits.setdefault(id(function), []).append(Edit(CompatFixer.name, function, _rename(name)))
    replaced_reads.append(_root_name(function))
    return True


def partial_transports(finder: CallFinder) -> set[str]:
    """The names bound to a library function apply routes, bound with `functools.partial` (`call =
    partial(requests.request, headers=H)`), or the layer's function that replaced it: calling one
    sends through the library, so through the layer once the partial binds the layer's function."""
    names: set[str] = set()
    for call, _scope, _statement in finder.found:
        function = partial_of(call, imported_name(call.func, finder.aliases) or "")
        if function is None or (library_name(function, finder.aliases) is None and not is_layer_call(call)):
            continue
        bound = finder.bindings.parent(call)
        if isinstance(bound, cst.Assign) and len(bound.targets) == 1 and isinstance(bound.targets[0].target, cst.Name):
            names.add(bound.targets[0].target.value)
    return names


def _top_level_owner(scope: Scope, finder: CallFinder) -> str | None:
    """The name of the top-level function or class a scope is in (itself, or a method's class)."""
    current: Scope | None = scope
    while current is not None and current.parent is not finder.module:
        current = current.parent
    return current.name if current is not None else None


def _root_name(func: cst.BaseExpression) -> cst.Name | None:
    """The name a dotted function is read through: `requests` of `requests.adapters.x`, `get` of `get`."""
    while isinstance(func, cst.Attribute):
        func = func.value
    return func if isinstance(func, cst.Name) else None


def _on_session(
    call: cst.Call, sessions: set[str], finder: CallFinder, factories: frozenset[str] = frozenset()
) -> bool:
    func = call.func
    if not isinstance(func, cst.Attribute):
        return False
    made = func.value
    if isinstance(made, cst.Call) and dotted_name(made.func).rsplit(".", 1)[-1] in factories:
        return True
    return _by_class(dotted_name(made), finder, call) in sessions


def _session_factories(finder: CallFinder, sessions: set[str], routed: set[int]) -> frozenset[str]:
    """The functions (and methods) that return a layered session: one they bound to a name of their
    own, or one they make in the return (`return httpx.Client(base_url=API)`)."""
    found: set[str] = set()
    if not sessions and not routed:
        return frozenset()
    for function, scope in finder.functions:
        for node in _returns(function.body):
            value = node.value
            if (isinstance(value, cst.Name) and value.value in sessions and value.value in scope.assignments) or (
                isinstance(value, cst.Call)
                and id(value) in routed
                and dotted_name(value.func).rsplit(".", 1)[-1] in SESSION_MAKERS
            ):
                found.add(function.name.value)
    return frozenset(found)


PROPERTIES = frozenset({"property", "cached_property", "functools.cached_property"})


def _session_properties(finder: CallFinder, sessions: set[str]) -> set[str]:
    """`self.session` of a property handing back a layered session the object keeps (`if self._session
    is None: self._session = segment_compat.Session()`, then `return self._session`): a call on it is
    made on that session."""
    found: set[str] = set()
    for function, _scope in finder.functions if sessions else ():
        if not any(dotted_name(decorator.decorator) in PROPERTIES for decorator in function.decorators):
            continue
        for node in _returns(function.body):
            kept = dotted_name(node.value) if node.value is not None else ""
            if kept.startswith("self.") and _by_class(kept, finder, node) in sessions:
                found.add(_by_class(f"self.{function.name.value}", finder, function))
    return found


def _layer_answers(planned: PlannedCall) -> bool:
    """Whether the layer can answer this call: any endpoint with a Public twin that the translation
    carries (an unknown endpoint too: the layer answers it as the Config API, or passes it on)."""
    endpoint = planned.endpoint
    return endpoint is None or (endpoint.has_twin and endpoint.automation != "manual")


def _becomes(replacement: cst.CSTNode) -> Rebuild:
    return lambda _node: replacement


def _rename(name: str) -> Rebuild:
    def rebuild(_node: cst.CSTNode) -> cst.CSTNode:
        return cst.Attribute(value=cst.Name(PACKAGE), attr=cst.Name(name))

    return rebuild


def tests_layered_code(finder: CallFinder, layered: frozenset[str]) -> bool:
    """Whether a test imports code routed through the layer (the module, or its package)."""
    imported = {dotted.split(".")[0] for dotted in finder.aliases.values()}
    return bool(imported & {module.split(".")[0] for module in layered})


def plan_layered_mocks(context: FileContext, finder: CallFinder, layered: frozenset[str] = frozenset()) -> None:
    """A test of code routed through the layer that mocks the library (`mock.patch("requests.post")`,
    or as the module under test reads it: `mock.patch("client.requests.post")`,
    `mock.patch.object(client.requests, "post")`) mocks the layer's function instead: the code now
    calls `segment_compat.post`, with the very arguments it gave `requests.post`, so the test's
    expectations (the legacy URL, body and answer) hold as they are."""
    for node in finder.patch_targets:
        value = evaluated(node)
        if not isinstance(value, str):
            continue
        module, name = _layered_target(value, layered)
        if name is None:
            continue
        quote = node.quote if node.quote in ("'", '"') else '"'
        replacement = cst.SimpleString(f"{quote}{module}{PACKAGE}.{name}{quote}")
        context.edits.setdefault(id(node), []).append(Edit(CompatFixer.name, node, _becomes(replacement)))
    for call, _scope, _statement in finder.found:
        if not dotted_name(call.func).endswith("patch.object") or len(call.args) < 2:
            continue
        owner, attribute = call.args[0].value, call.args[1].value
        function = evaluated(attribute) if type(attribute) is cst.SimpleString else None
        if not isinstance(owner, cst.Attribute) or not isinstance(function, str):
            continue
        read_as = imported_name(owner, finder.aliases) or dotted_name(owner)  # `client` of `from kit import client`
        module, name = _layered_target(f"{read_as}.{function}", layered)
        if name is None or not module:
            continue
        context.edits.setdefault(id(owner), []).append(
            Edit(CompatFixer.name, owner, _becomes(owner.with_changes(attr=cst.Name(PACKAGE))))
        )
        if name != function:
            assert isinstance(attribute, cst.SimpleString)
            quote = attribute.quote if attribute.quote in ("'", '"') else '"'
            renamed = cst.SimpleString(f"{quote}{name}{quote}")
            context.edits.setdefault(id(attribute), []).append(Edit(CompatFixer.name, attribute, _becomes(renamed)))


def _layered_target(target: str, layered: frozenset[str]) -> tuple[str, str | None]:
    """For a mock's target, the module it is read through (`client.` of `client.requests.post`, with
    its dot; empty for the library itself) and the layer's name for the library function; None when
    it is no library function the layer stands in for, or read through a module not routed."""
    name = TRANSPORTS.get(target)
    if name is not None:
        return "", name
    for module in layered:
        if target.startswith(module + ".") and (name := TRANSPORTS.get(target[len(module) + 1 :])) is not None:
            return module + ".", name
    return "", None
