"""`# TODO(migrate): ...` above every statement holding a call that could not be proven safe to
rewrite, and above a Config request handed to a client apply cannot route (a framework's, such as
Airflow's `HttpHook.run(endpoint=...)`). The call keeps working as it was; `migrate scan` reports
the marker. A marker already there is not added again."""

from __future__ import annotations

import re

import libcst as cst

from migrator.analysis.bindings import dotted_name
from migrator.analysis.literals import evaluated
from migrator.analysis.strings import Shapes
from migrator.scan.endpoints import classify, lost_value
from migrator.scan.python import is_layer_call, url_argument

from ..base import TODO_PREFIX, Case, FilePlan, Fixer, Stage
from ..finder import CallFinder
from .compat import ROUTED_LIBRARIES, partial_transports, transport_of

SENDER = re.compile(
    r"^(?:get|post|put|patch|delete|head|options|run|do|execute|invoke|perform)$|request|call|send|fetch"
)
"""The names of what sends a request it is handed (`hook.run`, `client.call_api`, `api.get`): a URL
handed to anything else (`urljoin`, `logging.info`, a class made) is not sent there."""
UNROUTED = (
    "`{callee}` sends this Config request, and apply routes only "
    + ROUTED_LIBRARIES
    + ": move it by hand (the Public call: {public})"
)


class TodoFixer(Fixer):
    name = "todos"
    description = "precise TODO(migrate) comments where a rewrite could not be proven safe"
    stage = Stage.NOTES

    cases = (
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"

            if __name__ == "__main__":
                requests.post(f"{API}/workspaces/acme/regulations", json=regulation()).raise_for_status()
            """,
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"

            if __name__ == "__main__":
                # TODO(migrate): the body is not a dict literal; the Public call is POST /regulations
                requests.post(f"{API}/workspaces/acme/regulations", json=regulation()).raise_for_status()
            """,
        ),
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"

            if __name__ == "__main__":
                # TODO(migrate): the body is not a dict literal; the Public call is POST /regulations
                requests.post(f"{API}/workspaces/acme/regulations", json=regulation()).raise_for_status()
            """,
            why="the TODO is there already",
        ),
        Case(
            """\
            from airflow.providers.http.hooks.http import HttpHook


            def sources(workspace):
                return HttpHook(method="GET").run(endpoint=f"v1beta/workspaces/{workspace}/sources").json()
            """,
            """\
            from airflow.providers.http.hooks.http import HttpHook


            def sources(workspace):
                # TODO(migrate): `HttpHook(...).run` sends this Config request, and apply routes only requests, httpx, urllib, urllib3, http.client and aiohttp: move it by hand (the Public call: GET /sources or POST /sources)
                return HttpHook(method="GET").run(endpoint=f"v1beta/workspaces/{workspace}/sources").json()
            """,
        ),
        Case(
            """\
            import functools

            import requests

            API = "https://platform.segmentapis.com/v1beta"
            call = functools.partial(requests.request, timeout=20)


            def plans(workspace):
                return call("GET", f"{API}/workspaces/{workspace}/tracking-plans").json()
            """,
            why="`call` is requests.request bound with functools.partial: the layer's function is bound, so it sends through the layer",
        ),
        Case(
            """\
            import functools

            import segment_compat

            API = "https://platform.segmentapis.com/v1beta"
            call = functools.partial(segment_compat.request, timeout=20)


            def plans(workspace):
                return call("GET", f"{API}/workspaces/{workspace}/tracking-plans").json()
            """,
            why="`call` is the layer's function bound with functools.partial: migrated already",
        ),
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"


            def newest(token):
                answer = requests.get(f"{API}/workspaces/acme/sources", headers={"Authorization": token}).json()
                return max(answer["sources"], key=lambda source: source["create_time"])
            """,
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"


            def newest(token):
                # TODO(migrate): the answer is passed to `max`; the Public call is GET /sources
                answer = requests.get(f"{API}/workspaces/acme/sources", headers={"Authorization": token}).json()
                # TODO(migrate): a value the migration cannot carry: the Public API does not carry `create_time`, which reads null after it; this read needs a person
                return max(answer["sources"], key=lambda source: source["create_time"])
            """,
        ),
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"
            STAMPS = {"create_time": "created"}
            """,
            why="`create_time` is a key of the module's own table, not a read of an answer",
        ),
    )

    @classmethod
    def plan_file(cls, file: FilePlan) -> None:
        """A TODO above each call of a function neither of the module nor of an HTTP library apply
        routes that is handed a Config endpoint's URL or versioned path (`hook.run(endpoint=f"v1beta/
        workspaces/{ws}/sources")`): nothing else moves it, and nothing else says so in the code."""
        if file.testing:
            return
        context, finder = file.context, file.finder
        planned = {id(call.call) for call in context.calls}
        own = {function.name.value for function, _scope in finder.functions}
        partials: set[str] | None = None  # read once a call is left to ask (most files have none)
        shapes: Shapes | None = None
        for call, scope, statement in finder.found:
            name = _callee(call.func)
            last = name.rsplit(".", 1)[-1]
            if id(call) in planned or not name or last in own or not SENDER.search(last):
                continue  # a class made, a URL joined or logged (`urljoin`, `logging.info`) sends nothing
            if transport_of(call, finder.aliases) is not None or is_layer_call(call) or url_argument(call) is not None:
                continue  # an HTTP library's call, or the layer's: moved or left by the plan
            partials = partial_transports(finder) if partials is None else partials
            if last in partials:
                continue  # a library function bound with `functools.partial`: the layer's once bound
            shapes = shapes or Shapes(finder)
            for arg in call.args:
                if not isinstance(arg.value, cst.SimpleString | cst.FormattedString | cst.BinaryOperation):
                    continue
                shape = shapes.shape(arg.value, scope)
                classified = classify(shape, True) if shape is not None else None
                if classified is None or not classified.config or not classified.candidates:
                    continue
                verb = last.upper()  # `segment.get(path=...)`: the verb says which
                picked = classified.pick(verb) if verb in ("GET", "POST", "PUT", "PATCH", "DELETE") else None
                public = " or ".join(
                    f"{endpoint.public[0].method} {endpoint.public[0].path}" if endpoint.public else "none"
                    for endpoint in ([picked] if picked is not None else classified.candidates)
                )
                message = UNROUTED.format(callee=name, public=public)
                context.todo(message, statement)
                context.unrouted.append((arg.value, message))
                break

        _lost_reads(file)

    def leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:
        notes = self.context.todos.get(id(original))
        if not notes or not isinstance(updated, cst.SimpleStatementLine | cst.BaseCompoundStatement):
            return updated
        existing = {line.comment.value for line in updated.leading_lines if line.comment is not None}
        indent_lines = list(updated.leading_lines)
        added = 0
        for note in notes:
            comment = TODO_PREFIX + note
            if comment in existing:
                continue
            indent_lines.append(cst.EmptyLine(comment=cst.Comment(comment)))
            added += 1
        if not added:
            return updated
        self.changed(added)
        return updated.with_changes(leading_lines=indent_lines)


def _lost_reads(file: FilePlan) -> None:
    """A TODO above each read of an answer field the Public API does not carry (`x["create_time"]`,
    `x.get("library_config")`) in a module sending Config calls: moved natively or through the
    layer, the call answers a stand-in (null, {}) there, and the code reading it needs a person."""
    context, finder = file.context, file.finder
    if file.testing or not finder.lost_keys or not (context.calls or context.session_sends):
        return
    for key, statement in finder.lost_keys:
        why = lost_value(str(evaluated(key)), context.api) if _read_as_key(key, finder) else None
        if why is not None:
            context.todo(why, statement)


def _read_as_key(key: cst.SimpleString, finder: CallFinder) -> bool:
    """`x["create_time"]` or `x.get("create_time")`: the string is the key something is read by."""
    holder = finder.bindings.parent(key)
    if isinstance(holder, cst.Index):
        return isinstance(finder.bindings.parent(holder), cst.SubscriptElement)
    call = finder.bindings.parent(holder) if isinstance(holder, cst.Arg) and holder.keyword is None else None
    return (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "get"
        and call.args[0] is holder
    )


def _callee(func: cst.BaseExpression) -> str:
    """How a TODO names the function called: `hook.run`, `HttpHook(...).run`; "" for anything else."""
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call):
        inner = _callee(func.value.func)
        return f"{inner}(...).{func.attr.value}" if inner else ""
    return dotted_name(func) if isinstance(func, cst.Name | cst.Attribute) else ""
