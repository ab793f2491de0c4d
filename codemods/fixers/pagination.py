"""Pagination: `page_size` and `page_token` become `pagination.count` and `pagination.cursor`.

The query of a paginated list call is a dict literal, or a variable bound once to one and filled
with `params["page_token"] = ...`; its keys are renamed where they are written. `next_page_token`
is a read of the answer (see `flow`). A list call that sends no page size gets the Config default
written out, so it returns as many items as before. Any other query key, or a query the code builds
in another way, stops the rewrite of the call."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from mappings import ApiMap, Endpoint

from ..base import Case, Edit, Fixer, Stage
from ..syntax import Bindings, NotSimple, binding_of, key_string, string_value
from .answers import AnswersFixer

if TYPE_CHECKING:
    from ..site import CallSite

FIXER = "pagination"
QUERY_KEYWORD = "params"


class PaginationFixer(Fixer):
    name = FIXER
    description = "page_size/page_token to pagination.count/pagination.cursor"
    stage = Stage.REQUEST

    cases = (
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"

            if __name__ == "__main__":
                page = requests.get(f"{API}/workspaces/acme/sources", params={"page_size": 10}).json()
                print(len(page["sources"]))
            """,
            """\
            import requests

            API = "https://api.segmentapis.com"

            if __name__ == "__main__":
                page = requests.get(f"{API}/sources", params={"pagination.count": 10}).json()
                print(len(page["data"]["sources"]))
            """,
        ),
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"

            if __name__ == "__main__":
                page = requests.get(f"{API}/workspaces/acme/sources", params=query()).json()
                print(len(page["sources"]))
            """,
            why="a query built by a function it cannot read",
            todo="the query is built in a way the codemod does not follow; the Public call is GET /sources",
        ),
    )

    @classmethod
    def decide(cls, site: CallSite) -> list[Edit]:
        """The query of a Config list read: its keys renamed, or the Config page size written out
        when the code reads the list (and sends none)."""
        endpoint = site.endpoint
        if endpoint.operation != "list" or site.step.method != "GET":
            return []
        reads_list = bool(AnswersFixer.decide(site))
        route = site.route
        return query_edits(site.context.api, site.bindings, route.query, route.add_query, endpoint, reads_list)


def public_keys(api: ApiMap) -> dict[str, str]:
    config = api.protocol["config"]["pagination"]
    public = api.protocol["public"]["pagination"]
    return {
        config["size_param"]: f"{public['param']}.{public['count']}",
        config["token_param"]: f"{public['param']}.{public['cursor']}",
    }


def query_argument(call: cst.Call) -> cst.BaseExpression | None:
    """The query `call` sends (`params=`), else None."""
    return next(
        (arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == QUERY_KEYWORD), None
    )


def query_edits(
    api: ApiMap,
    bindings: Bindings,
    query: cst.BaseExpression | None,
    add_to: tuple[cst.Call, str] | None,
    endpoint: Endpoint,
    reads_list: bool,
) -> list[Edit]:
    """The edits to the query of a GET of a Config list: `query` as sent, or None; `add_to` is the
    call and keyword that can take a query when none is sent."""
    renames = public_keys(api)
    if query is None:
        if not reads_list or endpoint.pagination != "page_token":
            return []
        if add_to is None:
            raise NotSimple("the Config default page size must be sent, and the call takes no query")
        config = api.protocol["config"]["pagination"]
        size = config["catalog_default_size"] if endpoint.family == "catalog" else config["default_size"]
        count = renames[config["size_param"]]
        call, keyword = add_to
        return [Edit(FIXER, call, lambda node: _with_query(node, keyword, count, size))]
    if isinstance(query, cst.Dict):
        return _dict_edits(query, renames)
    if isinstance(query, cst.Name):
        assign, others = binding_of(bindings, query)
        if not isinstance(assign.value, cst.Dict):
            raise NotSimple(f"the query `{query.value}` is not built from a dict literal")
        edits = _dict_edits(assign.value, renames)
        for other in others:
            edits.append(_item_store_edit(bindings, other, renames))
        return edits
    raise NotSimple("the query is built in a way the codemod does not follow")


def _dict_edits(query: cst.Dict, renames: dict[str, str]) -> list[Edit]:
    edits: list[Edit] = []
    for element in query.elements:
        if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
            raise NotSimple("the query has a computed key")
        edits.append(_key_edit(element.key, renames))
    return edits


def _item_store_edit(bindings: Bindings, load: cst.Name, renames: dict[str, str]) -> Edit:
    subscript = bindings.parent(load)
    target = bindings.parent(subscript) if subscript is not None else None
    if not isinstance(subscript, cst.Subscript) or not isinstance(target, cst.AssignTarget):
        raise NotSimple(f"the query `{load.value}` is used other than by setting a key")
    key = key_string(subscript)
    if key is None:
        raise NotSimple("the query has a computed key")
    return _key_edit(key[1], renames)


def _key_edit(key: cst.SimpleString, renames: dict[str, str]) -> Edit:
    value = string_value(key)
    if value not in renames:
        raise NotSimple(f"the query parameter `{value}` has no Public counterpart the codemod writes")
    renamed = renames[value]
    return Edit(FIXER, key, lambda _node: cst.SimpleString(f"{key.quote}{renamed}{key.quote}"))


def _with_query(node: cst.CSTNode, keyword: str, key: str, size: int) -> cst.CSTNode:
    assert isinstance(node, cst.Call)
    query = cst.Dict([cst.DictElement(cst.SimpleString(f'"{key}"'), cst.Integer(str(size)))])
    argument = cst.Arg(
        query,
        keyword=cst.Name(keyword),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )
    args = list(node.args)
    if args and isinstance(args[-1].comma, cst.Comma):  # a trailing comma: the new argument takes its place
        separator = args[-2].comma if len(args) > 1 else args[-1].comma
        argument = argument.with_changes(comma=args[-1].comma)
        args[-1] = args[-1].with_changes(comma=separator)
    elif args:
        args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    return node.with_changes(args=[*args, argument])
