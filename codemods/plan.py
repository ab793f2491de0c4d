"""Decide, before anything is rewritten, which Config calls of a file can be rewritten with proof.

A call is rewritten only when all of this holds: its endpoint is known and translates to one Public
call; its URL is built from pieces the codemod can re-assemble (literals, f-strings, `+`); every id
its Public path needs can be named (a literal slug in the ID map, or a variable through the
generated lookup module); it sends no body the Public API would read differently; and every read of
its answer in the same function is one the codemods understand. Anything else keeps working as it
was and gets a `TODO(migrate)` that says which condition failed. A base URL constant is rewritten
only when every call using it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import libcst as cst
import libcst.matchers as m

from mappings import ApiMap, Endpoint, PublicStep
from migrator.codec import build_name
from migrator.scan.endpoints import HOLE, classify
from migrator.scan.python import (
    Collector,
    Helper,
    Scope,
    Shapes,
    config_url,
    find_helpers,
    method_of,
    url_argument,
)
from migrator.scan.visitor import child_attributes, walk_tree
from migrator.translator import StepRef

from .base import Edit, FileContext, PlannedCall
from .flow import Unfollowable, checked_and_returned, reads
from .host import CONFIG_BASE
from .pagination import QUERY_KEYWORD, query_argument, query_edits
from .payloads import body_dict, body_edits, sent_body, translate_body
from .syntax import Bindings, NotSimple, binding_of

BODY_ARGUMENTS = ("json", "data", "content")
LOOKUP_MODULE = "segment_ids"


@dataclass
class Piece:
    text: str | None = None
    node: cst.BaseExpression | None = None


def flatten(node: cst.BaseExpression, shapes: Shapes, scope: Scope, base_names: set[str]) -> list[Piece] | None:
    """The URL expression as literal text and expression pieces, or None when its form is not one
    the codemods re-assemble (`%`, `.format()`, calls)."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return [Piece(text=value)] if isinstance(value, str) else None
    if isinstance(node, cst.FormattedString):
        pieces: list[Piece] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                pieces.append(Piece(text=part.value))
            elif (
                isinstance(part, cst.FormattedStringExpression) and part.format_spec is None and part.conversion is None
            ):
                pieces.extend(_expression_piece(part.expression, shapes, scope, base_names))
            else:
                return None
        return pieces
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        left = flatten(node.left, shapes, scope, base_names)
        right = flatten(node.right, shapes, scope, base_names)
        return None if left is None or right is None else left + right
    if (
        isinstance(node, cst.BinaryOperation)
        and isinstance(node.operator, cst.Modulo)
        and isinstance(node.left, cst.SimpleString)
        and isinstance(node.left.evaluated_value, str)
    ):
        return _percent(node.left.evaluated_value, node.right, shapes, scope, base_names)
    if isinstance(node, cst.ConcatenatedString):
        left = flatten(node.left, shapes, scope, base_names)
        right = flatten(node.right, shapes, scope, base_names)
        return None if left is None or right is None else left + right
    return _expression_piece(node, shapes, scope, base_names)


def _percent(
    template: str, values: cst.BaseExpression, shapes: Shapes, scope: Scope, base_names: set[str]
) -> list[Piece] | None:
    """`"a/%s/b" % (x,)`: only `%s` directives, one value each."""
    items = (
        [element.value for element in values.elements if isinstance(element, cst.Element)]
        if isinstance(values, cst.Tuple)
        else [values]
    )
    texts = template.split("%s")
    if "%" in "".join(texts) or len(texts) != len(items) + 1:
        return None
    pieces: list[Piece] = []
    for index, text in enumerate(texts):
        if text:
            pieces.append(Piece(text=text))
        if index < len(items):
            pieces.extend(_expression_piece(items[index], shapes, scope, base_names))
    return pieces


def _expression_piece(node: cst.BaseExpression, shapes: Shapes, scope: Scope, base_names: set[str]) -> list[Piece]:
    shape = shapes.shape(node, scope)
    if (
        shape is not None
        and HOLE not in shape
        and "segmentapis.com" in shape
        and isinstance(node, cst.Name | cst.Attribute)
    ):
        base_names.add(_name_of(node))
        return [Piece(text=shape, node=node)]  # a base constant: kept as the expression, known as text
    return [Piece(node=node)]


def _name_of(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return ""


CONFIG_URL = re.compile(r"^https?://platform\.segmentapis\.com/v1(?:beta|alpha)/[^\s{}]+$", re.IGNORECASE)
PREFIX = re.compile(r"^(?:https?://platform\.segmentapis\.com)?/?v1(?:beta|alpha)/?", re.IGNORECASE)


def split_path(pieces: list[Piece]) -> tuple[list[Piece], list[list[Piece]], str] | None:
    """(base pieces, path segments, query text). The base ends where the Config prefix ends."""
    text_so_far = ""
    base: list[Piece] = []
    rest_index = None
    for index, piece in enumerate(pieces):
        if piece.text is None:
            break
        candidate = text_so_far + piece.text
        match = re.match(r"^(?:https?://platform\.segmentapis\.com)?/?v1(?:beta|alpha)", candidate, re.IGNORECASE)
        if match and (len(candidate) == match.end() or candidate[match.end()] in "/?"):
            if piece.node is not None:  # the prefix ends inside a constant: the constant is the base
                if len(candidate) != match.end() and candidate[match.end() :].strip("/"):
                    return None
                base.append(piece)
                rest_index = index + 1
            else:
                cut = match.end() - len(text_so_far)
                base.append(Piece(text=piece.text[:cut]))
                remainder = piece.text[cut:]
                rest = [Piece(text=remainder)] if remainder else []
                segments = _segments(rest + pieces[index + 1 :])
                return (base, segments, "") if segments is not None else None
            break
        base.append(piece)
        text_so_far = candidate
    if rest_index is None:
        return None
    rest = pieces[rest_index:]
    segments = _segments(rest)
    if segments is None:
        return None
    return base, segments, ""


def _segments(pieces: list[Piece]) -> list[list[Piece]] | None:
    segments: list[list[Piece]] = [[]]
    for piece in pieces:
        if piece.node is not None and piece.text is None:
            segments[-1].append(piece)
            continue
        text = piece.text or ""
        parts = text.split("/")
        for number, part in enumerate(parts):
            if number:
                segments.append([])
            if part:
                segments[-1].append(Piece(text=part))
    return [segment for segment in segments if segment] if segments else None


@dataclass
class Route:
    """Where a Config call's parts are written, whether it is made directly or through a helper."""

    body: cst.BaseExpression | None = None
    query: cst.BaseExpression | None = None
    add_query: tuple[cst.Call, str] | None = None
    method: cst.BaseExpression | None = None
    verb: cst.Name | None = None
    answer: Literal["response", "body"] = "response"
    relative_to: str | None = None


def _direct_route(call: cst.Call) -> Route:
    route = Route(body=sent_body(call), query=query_argument(call))
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value.upper() in HTTP_METHODS:
        route.verb = func.attr
        route.add_query = (call, QUERY_KEYWORD)
    elif isinstance(func, cst.Attribute) and func.attr.value == "request" and call.args:
        route.method = call.args[0].value
        route.add_query = (call, QUERY_KEYWORD)
    return route


def _site_route(call: cst.Call, helper: Helper, inner: _HelperForm) -> Route:
    """A call of a helper: its arguments for the helper's body, query and method parameters."""

    def argument(name: str | None) -> cst.BaseExpression | None:
        if name is None:
            return None
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == name:
                return arg.value
        index = inner.params.index(name) - inner.offset
        positional = [arg for arg in call.args if arg.keyword is None]
        return positional[index].value if 0 <= index < len(positional) else None

    route = Route(answer="body", relative_to=helper.base)
    route.body = argument(inner.body_param)
    route.query = argument(inner.query_param)
    route.add_query = (call, inner.query_param) if inner.query_param else None
    route.method = argument(helper.method_keyword)
    return route


@dataclass
class _HelperForm:
    """What the codemods need to know of a helper's own Config call."""

    params: list[str]
    offset: int
    body_param: str | None
    query_param: str | None


HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


def plan(context: FileContext, finder: CallFinder) -> None:
    """Decide every Config call's fate, from one walk's findings (`CallFinder`)."""
    collector = finder
    shapes = Shapes(collector)
    helpers = find_helpers(collector, shapes)
    inner_calls = {id(helper.call): helper for helper in helpers.values() if helper.call is not None}
    forms: dict[str, _HelperForm | str] = {}
    insides: dict[str, PlannedCall] = {}
    sites: dict[str, list[PlannedCall]] = {}
    found = sorted(finder.found, key=lambda item: id(item[0]) not in inner_calls)  # helpers first
    for call, scope, statement in found:
        helper = inner_calls.get(id(call))
        if helper is not None:
            url = url_argument(call)
            assert url is not None
            planned = PlannedCall(call=call, url=url, shape=helper.base, endpoint=None, method=None)
            form = _helper_form(helper, planned, shapes, scope, finder)
            forms[helper.name] = form
            insides[helper.name] = planned
            _register(context, planned, statement)
            if isinstance(form, str):
                planned.todo = form
            continue
        called = _called_helper(call, helpers)
        if called is not None:
            site = called.site(call, shapes, scope)
            if site is None:
                continue
            classified = classify(site.shape, True)
            if not classified.config:
                continue
            endpoint = classified.pick(site.method)
            planned = PlannedCall(call=call, url=site.path, shape=site.shape, endpoint=endpoint, method=site.method)
            _register(context, planned, statement)
            called_form = forms.get(called.name)
            inside = insides.get(called.name)
            if not isinstance(called_form, _HelperForm) or inside is None:
                planned.todo = f"every call through `{called.name}` must change with it, and it cannot be rewritten"
                continue
            planned.base_names = set(inside.base_names)
            planned.todo = _decide(context, planned, shapes, scope, finder, _site_route(call, called, called_form))
            sites.setdefault(called.name, []).append(planned)
            continue
        found_url = config_url(call, shapes, scope)
        if found_url is None:
            continue
        url, shape, classified = found_url
        method = method_of(call, shapes, scope)
        endpoint = classified.pick(method)
        planned = PlannedCall(call=call, url=url, shape=shape, endpoint=endpoint, method=method)
        _register(context, planned, statement)
        try:
            route = _direct_route(call)
        except NotSimple as error:
            planned.todo = str(error)
        else:
            planned.todo = _decide(context, planned, shapes, scope, finder, route)
    for name, inside in insides.items():
        if inside.todo is None and (not sites.get(name) or not (finder.bindings.script or name.startswith("_"))):
            inside.todo = (
                f"every Config call goes through `{name}`, and callers this codemod cannot see (other modules) "
                "pass it Config paths: move it and its callers together (`migrate translate` shows each Public call)"
            )
    _keep_only(context)
    _settle_bases(context, collector)
    _drop_unused_workspace_variables(context, finder)
    for planned in context.calls:
        if planned.todo is not None:
            context.todo(planned.todo, context.statements_of.get(id(planned.call)))
        else:
            for edit in planned.edits:
                context.edits.setdefault(id(edit.node), []).append(edit)


def _keep_only(context: FileContext) -> None:
    """With `--only`, a call is rewritten only when every codemod its rewrite needs is selected: half
    a rewrite (the reads of the Public answer on a call still sent to the Config API) would break."""
    if context.only is None:
        return
    for planned in context.calls:
        if planned.todo is not None:
            continue
        needed = {edit.fixer for edit in planned.edits}
        needed |= {"paths"} if planned.rewrite is not None else set()
        needed |= {"host"} if planned.base_names else set()
        missing = sorted(needed - context.only)
        if missing:
            planned.rewrite = None
            planned.todo = f"rewriting this call also needs the {', '.join(missing)} codemod(s), left out by --only"


WORKSPACE_PLACEHOLDERS = ("workspace_slug", "workspace_id")


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
                continue
            statement = finder.bindings.parent(assign)
            target = assign.targets[0].target
            owner = finder.bindings.scope_of_name.get(id(target))
            if (
                id(assign) in done
                or any(id(other) not in dropped for other in others)
                or not isinstance(statement, cst.SimpleStatementLine)
                or len(statement.body) != 1
                or not isinstance(target, cst.Name)
                or not _harmless(assign.value)
                or _has_comment(statement)
            ):
                continue
            module_level = owner is finder.module or (owner is not None and owner.kind != "function")
            if module_level and not (finder.bindings.script or target.value.startswith("_")):
                continue
            done.add(id(assign))
            context.edits.setdefault(id(statement), []).append(
                Edit("paths", statement, lambda _node: cst.RemovalSentinel.REMOVE)
            )


def _harmless(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.SimpleString | cst.ConcatenatedString | cst.Integer):
        return True
    return m.matches(
        value,
        m.Call(func=m.Attribute(value=m.Attribute(value=m.Name("os"), attr=m.Name("environ")), attr=m.Name("get"))),
    ) and all(isinstance(arg.value, cst.SimpleString) for arg in value.args)  # type: ignore[attr-defined]


def _has_comment(statement: cst.SimpleStatementLine) -> bool:
    return any(line.comment is not None for line in statement.leading_lines) or (
        statement.trailing_whitespace.comment is not None
    )


def _register(context: FileContext, planned: PlannedCall, statement: cst.CSTNode) -> None:
    context.calls.append(planned)
    context.by_url[id(planned.url)] = planned
    context.statements_of[id(planned.call)] = statement


def _called_helper(call: cst.Call, helpers: dict[str, Helper]) -> Helper | None:
    func = call.func
    if isinstance(func, cst.Name):
        return helpers.get(func.value)
    if isinstance(func, cst.Attribute):  # `self._call(...)`, or through an instance: any `x._call(...)`
        return helpers.get(func.attr.value)
    return None


def _helper_form(
    helper: Helper, planned: PlannedCall, shapes: Shapes, scope: Scope, finder: CallFinder
) -> _HelperForm | str:
    """The helper's own call, if it is one the codemods can move with its callers: its URL is a base
    constant plus the path parameter, its body and query are parameters passed on, and its answer
    is only checked and returned as JSON. Else the TODO text."""
    todo = (
        f"every Config call goes through `{helper.name}`: its base URL, its answers and the paths its callers "
        "pass must change together, and this helper is not in a form the codemod moves"
    )
    pieces = flatten(planned.url, shapes, scope, planned.base_names)
    if (
        pieces is None
        or len(pieces) != 2
        or pieces[0].node is None
        or pieces[0].text is None
        or not CONFIG_BASE.match(pieces[0].text)
        or not isinstance(pieces[1].node, cst.Name)
        or pieces[1].node.value != helper.path_keyword
    ):
        return todo + " (its URL is not a base constant plus the path)"
    call = planned.call
    params = [name for name in scope.params if name not in ("self", "cls")]
    offset = 1 if scope.params[:1] in (["self"], ["cls"]) else 0

    def parameter(value: cst.BaseExpression | None) -> str | None:
        if value is None:
            return None
        if (
            isinstance(value, cst.IfExp)
            and isinstance(value.orelse, cst.Dict | cst.Name)
            and not (isinstance(value.orelse, cst.Dict) and value.orelse.elements)
        ):  # `body if body is not None else {}`: the parameter, or nothing the Public API reads
            value = value.body
        named = set(shapes.mentions(value, params)) if isinstance(value, cst.Name) else set()
        if len(named) != 1:
            raise NotSimple("its body or query is not one of its parameters passed on")
        return named.pop()

    try:
        body_param = parameter(sent_body(call))
        query_param = parameter(query_argument(call))
        checked_and_returned(finder.bindings, call)
    except (NotSimple, Unfollowable) as error:
        return todo + (f" ({error})" if str(error) else "")
    return _HelperForm(scope.params, offset, body_param, query_param)


def _settle_bases(context: FileContext, collector: Collector) -> None:
    """A rewritten call relies on its base constant being rewritten too, so: a base is safe only if
    it is defined in this file as exactly a Config base URL and every call using it is rewritten;
    a call on an unsafe base is not rewritten. Repeated until nothing changes."""
    rewritable = {name for name, value in _base_definitions(collector).items() if CONFIG_BASE.match(value)}
    while True:
        unsafe = {name for planned in context.calls for name in planned.base_names if planned.todo is not None}
        unsafe |= {name for planned in context.calls for name in planned.base_names if name not in rewritable}
        demoted = [p for p in context.calls if p.todo is None and p.base_names & unsafe]
        if not demoted:
            break
        for planned in demoted:
            planned.rewrite = None
            planned.todo = (
                "this call's base URL constant cannot move to the Public API yet (another call using it, "
                "or its definition, needs a person); rewrite them together"
            )
    context.unsafe_bases = unsafe
    context.safe_bases = {name for planned in context.calls for name in planned.base_names} - unsafe


def _base_definitions(collector: Collector) -> dict[str, str]:
    """Names bound to a plain string at module or class level, or on `self` in a method."""
    found: dict[str, str] = {}
    scopes = [collector.module, *collector.classes.values()]
    for scope in scopes:
        for name, value in scope.assignments.items():
            if isinstance(value, cst.SimpleString) and isinstance(value.evaluated_value, str):
                found[name] = value.evaluated_value
    return found


def _decide(
    context: FileContext,
    planned: PlannedCall,
    shapes: Shapes,
    scope: Scope,
    finder: CallFinder,
    route: Route,
) -> str | None:
    """None when the call can be rewritten (and `planned.rewrite` is set), else the TODO text."""
    endpoint = planned.endpoint
    params = [name for name in scope.params if name not in ("self", "cls")]
    if (
        route.relative_to is None
        and planned.shape.endswith(HOLE)
        and shapes.mentions(planned.url, params)
        and (endpoint is None or planned.shape[-2:-1] not in ("/", ""))
    ):
        return (
            "every Config call goes through this helper: its base URL, its answers and the paths its callers "
            "pass must change together (`migrate translate` shows each Public call)"
        )
    if endpoint is None:
        return "this Config API call's endpoint is built at run time; rewrite it by hand (`migrate translate`)"
    public = " + ".join(f"{step.method} {step.path}" for step in endpoint.public) or "none"
    if endpoint.translation == "none":
        return f"{endpoint.method} {endpoint.path} has no Public API twin: {endpoint.manual_step}"
    reason = endpoint.manual_reason or "one Config call becomes several Public calls"
    several = f"{endpoint.method} {endpoint.path} becomes {public}: {reason}"
    if endpoint.automation == "manual" or endpoint.translation not in ("direct", "sequence", "conditional"):
        return several
    _follow_url_variable(context, planned, finder)
    pieces = flatten(planned.url, shapes, scope, planned.base_names if route.relative_to is None else set())
    if pieces is not None and route.relative_to is not None:
        pieces = [Piece(text=route.relative_to), *pieces]
    matched = match_path(endpoint, pieces)
    if isinstance(matched, str):
        return f"{matched}; the Public call is {public}"
    base, segments, bound = matched
    planned.dropped = [
        piece.node
        for name, piece in bound.items()
        if name in WORKSPACE_PLACEHOLDERS and isinstance(piece.node, cst.Name)
    ]
    config_path = "/".join((segment[0].text or "x") if segment[0].node is None else "x" for segment in segments)
    try:
        steps = _writes_for(context, finder, route, endpoint, config_path)
    except NotSimple as error:
        return f"{several} ({error})"
    if len(steps) > 1:
        try:
            _several_calls(context, finder, planned, route, endpoint, steps, base, bound, config_path)
        except (NotSimple, Unfollowable) as error:
            return f"{several} ({error})"
        return None
    step = steps[0]
    new_pieces = public_pieces(context, step, base, bound)
    if isinstance(new_pieces, str):
        return new_pieces
    try:
        planned.edits = _edits(context, finder, planned, route, endpoint, step, config_path)
    except (Unfollowable, NotSimple) as error:
        return f"{error}; the Public call is {public}"
    if route.relative_to is not None:  # a helper's caller: the path alone, the base stays in the helper
        new_pieces = new_pieces[len(base) + (1 if route.relative_to.endswith("/") else 0) :]
    planned.rewrite = assemble(planned.url, new_pieces, context.public_base)
    return None


def match_path(
    endpoint: Endpoint, pieces: list[Piece] | None
) -> tuple[list[Piece], list[list[Piece]], dict[str, Piece]] | str:
    """The URL's base, its path segments and the value of each placeholder, or why they do not match
    the endpoint's template."""
    split = split_path(pieces) if pieces is not None else None
    if split is None:
        return "the URL is built in a way the codemod does not re-assemble"
    base, segments, _query = split
    template = endpoint.path.split("/")
    if len(segments) != len(template):
        return f"the path cannot be matched segment by segment to {endpoint.path}"
    bound: dict[str, Piece] = {}
    for segment, expected in zip(segments, template, strict=True):
        if expected.startswith("{"):
            if len(segment) != 1:
                return "a path part mixes text and values"
            bound[expected[1:-1]] = segment[0]
        elif len(segment) != 1 or segment[0].text != expected:
            return f"the path does not match {endpoint.path} literally"
    return base, segments, bound


def public_pieces(
    context: FileContext, step: PublicStep, base: list[Piece], bound: dict[str, Piece]
) -> list[Piece] | str:
    """The Public URL of `step` as pieces, ids named; or the TODO text."""
    new_pieces: list[Piece] = list(base)
    for part in step.path.strip("/").split("/"):
        if not part:
            continue
        new_pieces.append(Piece(text="/"))
        if part.startswith("{"):
            piece = _bind(context, step.bind[part[1:-1]], bound)
            if isinstance(piece, str):
                return piece
            new_pieces.append(piece)
        else:
            new_pieces.append(Piece(text=part))
    if step.query:
        return f"the Public call {step.method} {step.path} needs a query; rewrite it by hand"
    return new_pieces


def _follow_url_variable(context: FileContext, planned: PlannedCall, finder: CallFinder) -> None:
    """`url = f"..."` then `requests.get(url)`: the URL is rewritten where it is built, when the
    variable is bound once, in a function, and used only by this call."""
    if not isinstance(planned.url, cst.Name):
        return
    try:
        assign, others = binding_of(finder.bindings, planned.url)
    except NotSimple:
        return
    owner = finder.bindings.scope_of_name.get(id(planned.url))
    if others or owner is None or owner.kind != "function":
        return
    context.by_url.pop(id(planned.url), None)
    planned.url = assign.value
    context.by_url[id(planned.url)] = planned


def _writes_for(
    context: FileContext, finder: CallFinder, route: Route, endpoint: Endpoint, config_path: str
) -> list[PublicStep]:
    """The Public writes that replace this Config call: its twin, or for a sequence the writes the
    translator sends for this body (its reads only read the answer back)."""
    if endpoint.translation == "direct":
        return [endpoint.public[0]]
    if route.body is None:
        raise NotSimple("the body decides which Public calls are needed, and the codemod cannot read it")
    body = body_dict(finder.bindings, route.body)
    translation, _ = translate_body(context.api, context.id_map, body, endpoint.method, "/v1beta/" + config_path)
    if any(isinstance(value, StepRef) for call in translation.calls for value in call.path_params.values()):
        raise NotSimple("a later Public call needs what an earlier one answers")
    writes = [call for call in translation.calls if call.method != "GET"]
    if not writes:
        raise NotSimple("this body needs no Public write")
    return [
        next(step for step in endpoint.public if (step.method, step.path) == (write.method, write.path))
        for write in writes
    ]


def _several_calls(
    context: FileContext,
    finder: CallFinder,
    planned: PlannedCall,
    route: Route,
    endpoint: Endpoint,
    steps: list[PublicStep],
    base: list[Piece],
    bound: dict[str, Piece],
    config_path: str,
) -> None:
    """One Config call that needs several Public writes, written as one statement per write, when
    its answer is dropped (or only checked), nothing but the call is in its statement, and no write
    needs what another answers. The statement is copied for each write, with that write's URL,
    method and body; comments stay above the first copy."""
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
    body = body_dict(finder.bindings, route.body)
    if not any(argument.value is body for argument in call.args):
        raise NotSimple("the body is not written in the call")
    copies: list[cst.SimpleStatementLine] = []
    for index, step in enumerate(steps):
        pieces = public_pieces(context, step, base, bound)
        if isinstance(pieces, str):
            raise NotSimple(pieces)
        replacements: list[tuple[cst.CSTNode, cst.CSTNode]] = [
            (planned.url, assemble(planned.url, pieces, context.public_base))
        ]
        path = "/v1beta/" + config_path
        for edit in body_edits(context.api, context.id_map, body, step, endpoint.method, path, alone=False):
            replacements.append((edit.node, _node(edit.rebuild(edit.node))))
        if step.method != endpoint.method:
            edit = _method_edit(route, endpoint.method, step.method)
            replacements.append((edit.node, _node(edit.rebuild(edit.node))))
        copy = replace_nodes(statement, replacements, finder.bindings.parents)
        assert isinstance(copy, cst.SimpleStatementLine)
        copies.append(copy if index == 0 else copy.with_changes(leading_lines=[]))
    planned.edits = [Edit("paths", statement, lambda _node: cst.FlattenSentinel(copies))]


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


def replace_nodes(
    root: cst.CSTNode, replacements: list[tuple[cst.CSTNode, cst.CSTNode]], parents: dict[int, cst.CSTNode]
) -> cst.CSTNode:
    """A copy of `root` with each old node (inside it) replaced by its new one; only the nodes on the
    way to them are rebuilt, the original tree is left as it was."""
    on_the_way: set[int] = set()
    for old, _new in replacements:
        node: cst.CSTNode | None = old
        while node is not None and id(node) not in on_the_way:
            on_the_way.add(id(node))
            node = parents.get(id(node)) if node is not root else None
    return _replaced(root, {id(old): new for old, new in replacements}, on_the_way)


def _replaced(node: cst.CSTNode, replacements: dict[int, cst.CSTNode], on_the_way: set[int]) -> cst.CSTNode:
    if id(node) in replacements:
        return replacements[id(node)]
    changes: dict[str, object] = {}
    for attribute in child_attributes(node):
        value = getattr(node, attribute)
        if isinstance(value, cst.CSTNode) and id(value) in on_the_way:
            changes[attribute] = _replaced(value, replacements, on_the_way)
        elif isinstance(value, tuple | list) and any(id(item) in on_the_way for item in value):
            changes[attribute] = tuple(
                _replaced(item, replacements, on_the_way) if id(item) in on_the_way else item for item in value
            )
    return node.with_changes(**changes) if changes else node


def _edits(
    context: FileContext,
    finder: CallFinder,
    planned: PlannedCall,
    route: Route,
    endpoint: Endpoint,
    step: PublicStep,
    config_path: str,
) -> list[Edit]:
    """Everything besides the URL that must change with the call, or Unfollowable/NotSimple."""
    edits: list[Edit] = []
    if step.method != endpoint.method:
        edits.append(_method_edit(route, endpoint.method, step.method))
    if route.body is not None and endpoint.operation in ("create", "update", "custom"):
        body = body_dict(finder.bindings, route.body)
        edits += body_edits(context.api, context.id_map, body, step, endpoint.method, "/v1beta/" + config_path)
    elif route.relative_to is None and _sends_body(planned.call) and endpoint.operation != "get":
        raise NotSimple("the request body is passed in a way the codemod does not follow")
    read_back = endpoint.translation != "direct" and not _answers_the_resource(context, endpoint, step)
    answer_edits = list(
        reads(context.api, finder.bindings, planned.call, endpoint, answer_read=not read_back, start=route.answer)
    )
    if endpoint.operation == "list" and step.method == "GET":
        edits += query_edits(
            context.api, finder.bindings, route.query, route.add_query, endpoint, reads_list=bool(answer_edits)
        )
    return edits + answer_edits


def _answers_the_resource(context: FileContext, endpoint: Endpoint, step: PublicStep) -> bool:
    """Whether the Public call answers the resource itself (a sequence's other steps may only read
    it back for the Config answer)."""
    operation = context.api.public_operation(step.method, step.path)
    resource = context.api.resource(endpoint.resource) if endpoint.resource else None
    return bool(operation and resource and resource.data_key and resource.data_key in operation.data)


def _method_edit(route: Route, old: str, new: str) -> Edit:
    """`requests.put(` to `requests.patch(`, or a `"PUT"` argument to `"PATCH"`."""
    verb = route.verb
    if verb is not None and verb.value == old.lower():
        return Edit("paths", verb, lambda node: verb.with_changes(value=new.lower()))
    method = route.method
    if isinstance(method, cst.SimpleString) and str(method.evaluated_value).upper() == old:
        return Edit("paths", method, lambda node: cst.SimpleString(f"{method.quote}{new}{method.quote}"))
    raise NotSimple(f"the method must change from {old} to {new}, and the codemod cannot see where it is set")


def _bind(context: FileContext, expression: str, bound: dict[str, Piece]) -> Piece | str:
    head, _, kind = expression.partition(":")
    if head == "path":
        return bound[kind]
    if head != "id":
        return f"the Public path needs {expression}, which the codemod cannot supply"
    pattern = context.api.kinds[kind].config_pattern
    names = re.findall(r"\{(\w+)\}", pattern)
    if any(name not in bound for name in names):
        return f"the Public path needs a {kind} id the Config path does not name"
    literal = {name: bound[name].text or "" for name in names if bound[name].node is None}
    variables = [name for name in names if bound[name].node is not None]
    own = [name for name in names if name not in ("workspace_slug", "workspace_id")]
    if not variables or all(name in ("workspace_slug", "workspace_id") for name in variables):
        if context.id_map is None:
            return f"needs the Public id of a {kind}: pass --ids ids.json (migrate resolve)"
        config_name = (
            build_name(context.api, kind, {name: str(literal.get(name) or "") for name in names})
            if not variables
            else None
        )
        entry = context.id_map.by_name(kind, config_name) if config_name else None
        if config_name is None:  # the workspace is a variable: look the rest up in the map's workspace
            params = {name: literal[name] for name in own}
            params.update({name: context.id_map.workspace.slug for name in names if name not in own})
            entry = context.id_map.by_name(kind, build_name(context.api, kind, params))
        if entry is None or entry.status in ("missing", "public_only"):
            return f"{kind} {literal.get(own[-1], '?')} is not in the ID map"
        if entry.status == "ambiguous":
            ids = ", ".join(candidate.public_id for candidate in entry.candidates)
            return f"{entry.config_name} matches several Public {kind}s ({ids}): choose one by id"
        assert entry.public_id is not None
        return Piece(text=entry.public_id)
    context.lookups.add(kind)
    arguments = [cst.Arg(_expression(bound[name])) for name in own]
    call = cst.Call(
        func=cst.Attribute(value=cst.Name(LOOKUP_MODULE), attr=cst.Name(f"{kind}_id")),
        args=[argument.with_changes(comma=cst.MaybeSentinel.DEFAULT) for argument in arguments],
    )
    return Piece(node=call)


def _expression(piece: Piece) -> cst.BaseExpression:
    return piece.node if piece.node is not None else cst.SimpleString(repr(piece.text or ""))


def assemble(original: cst.BaseExpression, pieces: list[Piece], public_base: str) -> cst.BaseExpression:
    """The new URL, as an f-string when it has expressions, else a plain string."""
    merged: list[Piece] = []
    for piece in pieces:
        if piece.node is None and piece.text is not None and merged and merged[-1].node is None:
            merged[-1] = Piece(text=(merged[-1].text or "") + piece.text)
        else:
            merged.append(piece)
    for index, piece in enumerate(merged):  # a literal Config base becomes the Public base
        if piece.node is None and piece.text:
            merged[index] = Piece(text=PREFIX.sub("", piece.text) if index else _rebase(piece.text, public_base))
    quote: Literal['"', "'"] = (
        "'" if isinstance(original, cst.SimpleString | cst.FormattedString) and (original.quote == "'") else '"'
    )
    if len(merged) == 1 and merged[0].node is not None:  # the base alone: `f"{API}"` is `API`
        return merged[0].node
    if all(piece.node is None for piece in merged):
        return cst.SimpleString(
            quote + "".join(piece.text or "" for piece in merged).replace(quote, "\\" + quote) + quote
        )
    parts: list[cst.BaseFormattedStringContent] = []
    for piece in merged:
        if piece.node is None:
            parts.append(cst.FormattedStringText((piece.text or "").replace("{", "{{").replace("}", "}}")))
        else:
            parts.append(cst.FormattedStringExpression(expression=piece.node))
    return cst.FormattedString(parts=parts, start="f" + quote, end=quote)


def _rebase(text: str, public_base: str) -> str:
    return re.sub(r"^https?://platform\.segmentapis\.com/v1(?:beta|alpha)", public_base, text, flags=re.IGNORECASE)


def _sends_body(call: cst.Call) -> bool:
    positional = [arg for arg in call.args if arg.keyword is None]
    return (
        any(arg.keyword is not None and arg.keyword.value in BODY_ARGUMENTS for arg in call.args) or len(positional) > 2
    )


_MAIN_GUARD = m.Comparison(
    left=m.Name("__name__"),
    comparisons=[m.ComparisonTarget(m.Equal(), m.SimpleString('"__main__"') | m.SimpleString("'__main__'"))],
)


class CallFinder(Collector):
    """One walk: the scanner's collection of scopes and assignments, plus every call with its scope
    and statement."""

    def __init__(self, literals: bool = False) -> None:
        super().__init__()
        self.literals = literals
        """Also collect Config URL literals and dict literals (for tests that pin them)."""
        self.pinned_urls: list[tuple[cst.SimpleString, cst.CSTNode]] = []
        self.dicts: list[cst.Dict] = []
        self.wrapper_imports: list[cst.ImportFrom] = []
        self.statements: list[cst.CSTNode] = []
        self.found: list[tuple[cst.Call, Scope, cst.CSTNode]] = []
        self.assigned: dict[int, set[str]] = {}
        self.bindings = Bindings(module_scope=self.module)

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        self.bindings.nodes[id(node)] = node
        names = {
            target.target.value if isinstance(target.target, cst.Name) else target.target.attr.value
            for target in node.targets
            if isinstance(target.target, cst.Name | cst.Attribute)
        }
        self.assigned[id(node)] = names

    def walk(self, module: cst.Module) -> None:
        """The one read-only walk, recording every node's parent."""
        walk_tree(module, self, self.bindings.parents)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        super().visit_ImportFrom(node)
        module = cst.Module([]).code_for_node(node.module) if node.module is not None else ""
        if module.split(".")[0] == "segment_config_api":
            self.wrapper_imports.append(node)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if self.literals and self.statements and "segmentapis.com/v1" in node.value:
            value = node.evaluated_value
            if isinstance(value, str) and CONFIG_URL.match(value):
                self.pinned_urls.append((node, self.statements[-1]))

    def visit_Dict(self, node: cst.Dict) -> None:
        if self.literals and not isinstance(self.bindings.parents.get(id(node)), cst.DictElement):
            self.dicts.append(node)

    def calls_named(self, names: set[str]) -> list[cst.Call]:
        return [
            call
            for call, _scope, _statement in self.found
            if isinstance(call.func, cst.Name) and call.func.value in names
        ]

    def visit_If(self, node: cst.If) -> None:
        if self.current is self.module and m.matches(node.test, _MAIN_GUARD):
            self.bindings.script = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.bindings.add_name(node.name, self.current)  # a definition's name belongs to the scope around it
        super().visit_FunctionDef(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.bindings.add_name(node.name, self.current)
        super().visit_ClassDef(node)

    def visit_Name(self, node: cst.Name) -> None:
        names = self.bindings.names
        if node.value in names and names[node.value][-1] is node:
            return  # the name of the definition just entered, already recorded
        self.bindings.add_name(node, self.current)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.statements.append(node)
        self.bindings.nodes[id(node)] = node

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        self.statements.pop()

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        if self.statements:
            self.found.append((node, self.current, self.statements[-1]))


def endpoint_summary(endpoint: Endpoint | None) -> str:
    return f"{endpoint.method} {endpoint.path}" if endpoint else "unknown endpoint"


def public_base(api: ApiMap, region: str) -> str:
    return str(api.protocol["public"]["eu_base_url" if region == "eu" else "base_url"])
