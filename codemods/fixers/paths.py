"""Paths, methods, the workspace segment and ids: a Config call's URL becomes its Public twin's.

`f"{API}/workspaces/{ws}/sources/{src}"` becomes `f"{API}/sources/{segment_ids.source_id(src)}"`
(or the id itself when the slug is a literal in the ID map); the workspace segment disappears, since
a Public token names its workspace. Only calls the plan proved rewritable are touched."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import libcst as cst

from mappings import PublicStep
from migrator.analysis.bindings import dotted_name
from migrator.analysis.literals import evaluated

from ..base import Case, Edit, FileContext, FilePlan, Fixer, NameSource, Refused, Stage
from ..syntax import (
    NotSimple,
    binding_of,
    drop_unused_import,
    removable_statement,
    replace_nodes,
    subscript_chain,
)
from ..urls import assemble, public_pieces
from .payloads import body_dict, body_edits

if TYPE_CHECKING:
    from ..finder import CallFinder
    from ..site import CallSite, Route

FIXER = "paths"


class PathsFixer(Fixer):
    name = FIXER
    description = "Config paths and slugs to Public paths and ids; the workspace segment removed"
    stage = Stage.URL

    cases = (
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"

            if __name__ == "__main__":
                requests.delete(f"{API}/workspaces/acme/sources/web").raise_for_status()
            """,
            """\
            import requests

            API = "https://api.segmentapis.com"

            if __name__ == "__main__":
                requests.delete(f"{API}/sources/S_WEB").raise_for_status()
            """,
            ids=(("source", "workspaces/acme/sources/web", "S_WEB"),),
        ),
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"

            if __name__ == "__main__":
                requests.delete(f"{API}/workspaces/acme/sources/web").raise_for_status()
            """,
            why="a slug needs its Public id, and there is no ID map",
            todo=(
                "needs the Public id of a source: pass --ids ids.json (migrate resolve); "
                "the Public call is DELETE /sources/{sourceId}"
            ),
        ),
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"


            def feeds(name):
                answer = requests.get(f"{API}/{name}/destinations")
                return len(answer.json()["destinations"])


            if __name__ == "__main__":
                for source in requests.get(f"{API}/workspaces/acme/sources").json()["sources"]:
                    print(source["display_name"], feeds(source["name"]))
            """,
            """\
            import requests

            API = "https://api.segmentapis.com"


            def feeds(name):
                answer = requests.get(f"{API}/sources/{name}/connected-destinations", params={"pagination.count": 10})
                return len(answer.json()["data"]["destinations"])


            if __name__ == "__main__":
                for source in requests.get(f"{API}/sources", params={"pagination.count": 10}).json()["data"]["sources"]:
                    print(source["name"], feeds(source["id"]))
            """,
        ),
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"


            def feeds(name):
                print("reading", name)
                answer = requests.get(f"{API}/{name}/destinations")
                return len(answer.json()["destinations"])


            if __name__ == "__main__":
                for source in requests.get(f"{API}/workspaces/acme/sources").json()["sources"]:
                    print(feeds(source["name"]))
            """,
            why="the name passed for the path is also printed, and the id would be printed instead",
            todo=("the value of `name` differs on the Public API (name_to_slug); the Public call is GET /sources"),
        ),
    )

    @classmethod
    def decide(cls, site: CallSite) -> list[Edit]:
        """The Public URL (its rewrite is the call's `rewrite`) and, if it changes, the method."""
        renamed: list[tuple[cst.Subscript, NameSource]] = []
        pieces = public_pieces(site.context, site.step, site.base, site.bound, renamed)
        if isinstance(pieces, str):
            raise Refused(pieces)
        edits = [Edit(FIXER, read, _reads_id(source)) for read, source in renamed]
        if site.step.method != site.endpoint.method:
            edits.append(method_edit(site.route, site.endpoint.method, site.step.method))
        relative_to = site.route.relative_to
        if relative_to is not None:  # a helper's caller: the path alone, the base stays in the helper
            pieces = pieces[len(site.base) + (1 if relative_to.endswith("/") else 0) :]
        site.planned.rewrite = assemble(site.planned.url, pieces, site.context.public_base)
        return edits

    @classmethod
    def plan_file(cls, file: FilePlan) -> None:
        _drop_unused_workspace_variables(file.context, file.finder)

    def leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:
        planned = self.context.by_url.get(id(original))
        if planned is None or planned.rewrite is None:
            return super().leave(original, updated)  # a method that changes (PUT to PATCH)
        self.changed()
        return planned.rewrite


def method_edit(route: Route, old: str, new: str) -> Edit:
    """`requests.put(` to `requests.patch(`, or a `"PUT"` argument to `"PATCH"`."""
    verb = route.verb
    if verb is not None and verb.value == old.lower():
        return Edit(FIXER, verb, lambda node: verb.with_changes(value=new.lower()))
    method = route.method
    if isinstance(method, cst.SimpleString) and str(evaluated(method)).upper() == old:
        return Edit(FIXER, method, lambda node: cst.SimpleString(f"{method.quote}{new}{method.quote}"))
    raise Refused(f"the method must change from {old} to {new}, and the codemod cannot see where it is set")


def several_writes(site: CallSite, steps: list[PublicStep]) -> list[Edit]:
    """One Config call that needs several Public writes, written as one statement per write, when
    its answer is dropped (or only checked), nothing but the call is in its statement, and no write
    needs what another answers. The statement is copied for each write, with that write's URL,
    method and body; comments stay above the first copy."""
    context, planned, route, endpoint = site.context, site.planned, site.route, site.endpoint
    call = planned.call
    statement = context.statements_of.get(id(call))
    if not (
        route.relative_to is None
        and route.body is not None
        and isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and _dropped_or_checked(statement.body[0].value, call)
        and any(argument.value is planned.url for argument in call.args)
    ):
        raise NotSimple("its answer is used, or the call is not a statement of its own")
    body = body_dict(site.bindings, route.body)
    if not any(argument.value is body for argument in call.args):
        raise NotSimple("the body is not written in the call")
    copies: list[cst.SimpleStatementLine] = []
    for index, step in enumerate(steps):
        pieces = public_pieces(context, step, site.base, site.bound)
        if isinstance(pieces, str):
            raise Refused(pieces)
        replacements: list[tuple[cst.CSTNode, cst.CSTNode]] = [
            (planned.url, assemble(planned.url, pieces, context.public_base))
        ]
        api, id_map = context.api, context.id_map
        for edit in body_edits(api, id_map, body, step, endpoint.method, site.config_path, alone=False):
            replacements.append((edit.node, _node(edit.rebuild(edit.node))))
        if step.method != endpoint.method:
            edit = method_edit(route, endpoint.method, step.method)
            replacements.append((edit.node, _node(edit.rebuild(edit.node))))
        copy = replace_nodes(statement, replacements, site.bindings.parents)
        assert isinstance(copy, cst.SimpleStatementLine)
        copies.append(copy if index == 0 else copy.with_changes(leading_lines=[]))
    return [Edit(FIXER, statement, lambda _node: cst.FlattenSentinel(copies))]


def _node(value: object) -> cst.CSTNode:
    assert isinstance(value, cst.CSTNode)
    return value


def _dropped_or_checked(value: cst.BaseExpression, call: cst.Call) -> bool:
    return value is call or (
        isinstance(value, cst.Call)
        and not value.args
        and isinstance(value.func, cst.Attribute)
        and value.func.value is call
        and value.func.attr.value == "raise_for_status"
    )


def _drop_unused_workspace_variables(context: FileContext, finder: CallFinder) -> None:
    """`WS = "acme"`, once every read of it was the workspace segment of a rewritten path, goes too:
    the Public token names the workspace. Only a plain assignment of a literal (or of an
    `os.environ.get(...)`, which cannot fail) with no comment, in a function or a script's module
    (another module may import a public module-level name); a parameter stays, for its callers."""
    dropped = {id(node) for planned in context.calls if planned.todo is None for node in planned.dropped}
    done: set[int] = set()
    for planned in context.calls:
        if planned.todo is not None:
            continue
        for load in planned.dropped:
            try:
                assign, others = binding_of(finder.bindings, load)
            except NotSimple:
                drop_unused_import(context, finder.bindings, [load.value], dropped, done, FIXER)
                continue
            if id(assign) in done or any(id(other) not in dropped for other in others) or not _harmless(assign.value):
                continue
            statement = removable_statement(finder.bindings, assign)
            if statement is None:
                continue
            done.add(id(assign))
            context.edits.setdefault(id(statement), []).append(
                Edit(FIXER, statement, lambda _node: cst.RemovalSentinel.REMOVE)
            )


def _harmless(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.SimpleString | cst.ConcatenatedString | cst.Integer):
        return True
    return (
        isinstance(value, cst.Call)
        and dotted_name(value.func) == "os.environ.get"
        and all(isinstance(arg.value, cst.SimpleString) for arg in value.args)
    )


def _reads_id(source: NameSource) -> Callable[[cst.CSTNode], cst.CSTNode]:
    """`source["name"]`, passed where the path is built, to `source["id"]`: the Public path takes it."""

    def edit(node: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(node, cst.Subscript)
        return subscript_chain(node.value, list(source.keys), source.quote)

    return edit
