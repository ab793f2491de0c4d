"""Decide, before anything is rewritten, which Config calls of a file can be rewritten with proof.

A call is rewritten only when all of this holds: its endpoint is known and its body needs one
Public write (or several independent ones, as separate statements); its URL can be re-assembled
(`urls.py`); every id its Public path needs can be named; every value the code computes passes
through the translated body unchanged (`payloads.py`); and every read of its answer is followed
(`flow.py`). Calls made through a chokepoint helper move with the helper, or not at all. Anything
else keeps working as it was and gets a `TODO(migrate)` that says which condition failed. Calls that
share something move together or not at all (`_settle`): a base URL constant, a URL constant
re-assembled into them, a resource name one answers and the other reuses as its path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from mappings import ApiMap, Endpoint, PublicStep
from migrator.analysis.bindings import Scope
from migrator.analysis.holes import HOLE
from migrator.analysis.strings import Shapes
from migrator.repository import recorded_note
from migrator.scan.endpoints import HOSTS_PATTERN, classify
from migrator.scan.python import (
    HTTP_VERBS,
    Helper,
    config_url,
    find_helpers,
    is_layer_call,
    method_of,
    url_argument,
)
from migrator.translator import StepRef

from . import REGISTRY
from .base import Edit, FileContext, PlannedCall, Refused
from .finder import CallFinder
from .fixers.host import (
    RenamedToTwins,
    add_twin,
    base_definitions,
    import_twin,
    imported_twin_free,
    twin_free,
    twin_name,
)
from .fixers.pagination import QUERY_KEYWORD, query_argument
from .fixers.paths import several_writes
from .fixers.payloads import body_dict, sent_body, translate_body
from .flow import Unfollowable, checked_and_returned
from .site import CallSite, Route
from .syntax import Bindings, NotSimple, binding_of, key_string, removable_statement
from .urls import (
    CONFIG_BASE,
    WORKSPACE_PLACEHOLDERS,
    Inliner,
    Piece,
    flatten,
    match_path,
    sample_path,
)


def _direct_route(call: cst.Call, bindings: Bindings) -> Route:
    route = Route(body=sent_body(call, bindings), query=query_argument(call))
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value in HTTP_VERBS:
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


def plan(context: FileContext, finder: CallFinder) -> None:
    """Decide every Config call's fate, from one walk's findings (`CallFinder`)."""
    collector = finder
    shapes = Shapes(collector)
    helpers = find_helpers(collector, shapes)
    inner_calls = {id(helper.call): helper for helper in helpers.values() if helper.call is not None}
    forms: dict[str, _HelperForm | str] = {}
    layered: set[str] = set()
    insides: dict[str, PlannedCall] = {}
    sites: dict[str, list[PlannedCall]] = {}
    context.name_paths, reusing, context.name_parameters = _names_in_paths(finder, shapes)
    # helpers first; calls whose path reuses a name from another call's answer last, once it is followed
    found = sorted(finder.found, key=lambda item: (id(item[0]) not in inner_calls, id(item[0]) in reusing))
    for call, scope, statement in found:
        helper = inner_calls.get(id(call))
        if is_layer_call(call):  # routed through the compatibility layer by an earlier run
            if helper is not None:
                layered.add(helper.name)
            continue
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
            if called.name in layered:  # its helper goes through the compatibility layer, and so does it
                context.layered_before.append((call, called.name))
                continue
            site = called.site(call, shapes, scope)
            if site is None:
                continue
            classified = classify(site.shape, True)
            if not classified.config:
                continue
            endpoint = classified.pick(site.method)
            url = site.path if site.path is not None else call
            planned = PlannedCall(call=call, url=url, shape=site.shape, endpoint=endpoint, method=site.method)
            _register(context, planned, statement)
            if called.call is not None:
                context.through[id(call)] = id(called.call)
            if site.path is None:  # `_call("GET")`: no path of its own to rewrite
                planned.todo = f"it gives `{called.name}` no path: it sends to the helper's base as it is"
                continue
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
        endpoint = classified.pick(method) or _by_reused_name(context, url, shape, shapes, scope, method)
        planned = PlannedCall(call=call, url=url, shape=shape, endpoint=endpoint, method=method)
        _register(context, planned, statement)
        try:
            route = _direct_route(call, finder.bindings)
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
    if context.recorded is not None:
        for planned in context.calls:
            if planned.todo is None:
                planned.rewrite = None
                planned.todo = f"{recorded_note(context.recorded)} (re-record it when the call is retired)"
    _settle(context, finder)
    for planned in context.calls:
        if planned.todo is not None:
            context.todo(planned.todo, context.statements_of.get(id(planned.call)))
        else:
            for edit in planned.edits:
                context.edits.setdefault(id(edit.node), []).append(edit)


def _by_reused_name(
    context: FileContext, url: cst.BaseExpression, shape: str, shapes: Shapes, scope: Scope, method: str | None
) -> Endpoint | None:
    """The endpoint of a URL that is a resource name and little else (`f"{API}/{plan['name']}"`),
    once the answer the name comes from is followed: the name's kind says which resource it is."""
    if shape.count(HOLE) != 1:
        return None
    reused = [
        p.node for p in flatten(url, shapes, scope, set()) or () if p.node is not None and id(p.node) in context.named
    ]
    if len(reused) != 1:
        return None
    pattern = context.api.kinds[context.named[id(reused[0])].kind].config_pattern
    return classify(shape.replace(HOLE, re.sub(r"\{\w+\}", HOLE, pattern)), True).pick(method)


def _names_in_paths(
    finder: CallFinder, shapes: Shapes
) -> tuple[frozenset[int], set[int], dict[int, list[cst.Subscript]]]:
    """The `x["name"]` reads that are pieces of a Config call's URL (a resource name reused as a
    path, call-patterns 6), the calls whose URL holds one, and the parameters that stand for one:
    a URL piece read from a parameter every caller passes `x["name"]` for (`_passed_names`)."""
    reads: set[int] = set()
    calls: set[int] = set()
    parameters: dict[int, list[cst.Subscript]] = {}
    pieces_of: dict[int, list[Piece]] = {}
    for call, scope, _statement in finder.found:
        found_url = config_url(call, shapes, scope)
        if found_url is None or HOLE not in found_url[1]:
            continue
        pieces_of[id(call)] = flatten(found_url[0], shapes, scope, set()) or []
    in_urls = {id(piece.node) for pieces in pieces_of.values() for piece in pieces if piece.node is not None}
    for call_id, pieces in pieces_of.items():
        for piece in pieces:
            if isinstance(piece.node, cst.Subscript) and _reads_name(piece.node):
                reads.add(id(piece.node))
                calls.add(call_id)
            elif isinstance(piece.node, cst.Name):
                passed = _passed_names(finder.bindings, piece.node, in_urls)
                if passed:
                    parameters[id(piece.node)] = passed
                    reads.update(id(read) for read in passed)
                    calls.add(call_id)
    return frozenset(reads), calls, parameters


def _passed_names(bindings: Bindings, load: cst.Name, in_urls: set[int]) -> list[cst.Subscript]:
    """`def destinations(source_name): ... f"{API}/{source_name}/destinations"`: when every read of
    the parameter is a piece of a Config URL and every caller (all in this module) passes an
    `x["name"]` read for it, those reads; else none."""
    scope = bindings.scope_of_name.get(id(load))
    if scope is None or scope.kind != "function":
        return []
    params = [node for node, role in bindings.uses(scope, load.value) if role == "store"]
    param = bindings.parent(params[0]) if len(params) == 1 else None
    parameters = bindings.parent(param) if isinstance(param, cst.Param) else None
    function = bindings.parent(parameters) if parameters is not None else None
    if (
        not isinstance(function, cst.FunctionDef)
        or function.decorators
        or function.params.star_arg is not cst.MaybeSentinel.DEFAULT
    ):
        return []
    loads = [node for node, role in bindings.uses(scope, load.value) if role == "load"]
    if any(id(node) not in in_urls for node in loads):
        return []  # the name is also used as a name (printed, compared): it cannot become an id
    assert isinstance(param, cst.Param)
    try:
        values = bindings.arguments_for(function, param, bindings.calls_of(function))
    except Refused:
        return []
    passed = [value for value in values if isinstance(value, cst.Subscript) and _reads_name(value)]
    return passed if len(passed) == len(values) else []


def _reads_name(read: cst.Subscript) -> bool:
    """`x["name"]`."""
    return (key_string(read) or ("",))[0] == "name"


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


def _settle(context: FileContext, finder: CallFinder) -> None:
    """Calls that can only move together, settled, repeated until nothing changes:
    - a rewritten call relies on its base constant reading the Public base: a module-level constant
      that is exactly a Config base URL is rewritten in place when every call using it moves and
      nothing else reads it, and otherwise gets a Public twin beside it (`API_PUBLIC`), which the
      moving calls read while the others keep the Config one; a call on any other base it cannot
      rewrite is not rewritten;
    - a URL constant re-assembled into its calls goes only if all of them move (`_removable_constants`);
    - a call whose answer's name another call reuses as a path moves with it (`_names_held`)."""
    definitions = base_definitions(finder)
    rewritable = {name for name, value in definitions.items() if CONFIG_BASE.match(value)}
    twinnable = {
        name
        for name in rewritable
        if (
            imported_twin_free(context, finder, name)
            if name in context.imported_bases
            else twin_free(finder, context, name, definitions[name])
        )
    }
    # read by other modules too: the calls that move read a twin, and the base itself stays
    shared_with_modules = context.exported_bases | context.imported_bases.keys() | context.module_bases.keys()
    while True:
        removed = _removable_constants(context, finder)
        kept = {name for planned in context.calls for name in planned.inlined} - removed.keys()
        shared = {name for planned in context.calls for name in planned.base_names if planned.todo is not None}
        unsafe = {name for planned in context.calls for name in planned.base_names if name not in rewritable}
        twins = (shared - unsafe) & twinnable
        unsafe |= shared - twins
        used = {name for planned in context.calls for name in planned.base_names} - unsafe - twins
        urls = {id(planned.url) for planned in context.calls if planned.todo is None}
        urls |= {id(statement) for statement in removed.values()}
        elsewhere = {name for name in used if name in shared_with_modules or _read_elsewhere(finder, name, urls)}
        twins |= elsewhere & twinnable
        unsafe |= elsewhere - twinnable
        # a helper and the calls through it move together, on the base itself, never on a twin
        helpers = set(context.through.values())
        demoted = [
            p
            for p in context.calls
            if p.todo is None
            and (
                p.base_names & unsafe
                or ((id(p.call) in context.through or id(p.call) in helpers) and p.base_names & twins)
                or kept & p.inlined.keys()
            )
        ]
        demoted += _names_held(context)
        if not demoted:
            break
        for planned in demoted:
            if planned.todo is not None:
                continue  # held for a name, given its reason already
            planned.rewrite = None
            held = sorted(kept & planned.inlined.keys())
            planned.todo = (
                f"`{held[0]}`, re-assembled into this URL, is also read where it cannot move "
                "(or by a call that keeps a TODO); rewrite them together"
                if held
                else "this call's base URL constant cannot move to the Public API yet (another call using it, "
                "or its definition, needs a person); rewrite them together"
            )
    moving = [planned for planned in context.calls if planned.todo is None]
    context.unsafe_bases = unsafe | twins  # either way, the Config base stays as it is
    context.safe_bases = {name for planned in context.calls for name in planned.base_names} - unsafe - twins
    twins &= {name for planned in moving for name in planned.base_names}  # a twin only for calls that move
    moving_urls = {id(planned.url) for planned in moving}
    kept_bases = {name for planned in context.calls if planned.todo is not None for name in planned.base_names}
    for name in sorted(twins | (context.twins_wanted & twinnable)):
        if name in context.imported_bases:
            still_read = name in kept_bases or _read_elsewhere(finder, name, moving_urls)
            import_twin(context, finder, name, still_read or context.imported_elsewhere)
        elif name in context.module_bases:  # read through its module: nothing to import
            context.twins_imported.add(context.module_bases[name].dotted)
        else:
            add_twin(context, finder, name, definitions[name])
    renames = {name: twin_name(name) for name in twins}
    for planned in moving:
        if planned.rewrite is not None and planned.base_names & twins:
            planned.rewrite = planned.rewrite.visit(RenamedToTwins(renames))  # type: ignore[assignment]
    for statement in removed.values():  # every read of it now reads its definition, re-assembled
        context.edits.setdefault(id(statement), []).append(
            Edit("paths", statement, lambda _node: cst.RemovalSentinel.REMOVE)
        )


def _names_held(context: FileContext) -> list[PlannedCall]:
    """A call whose answer's name another call reuses as a path, and that call, move together: the
    first answers Public objects (with an id, not a Config name) only if the second asks by id. Each
    one whose partner keeps a TODO is given one too (and returned)."""
    givers = {read: planned for planned in context.calls for read in planned.named}
    takers = {read: planned for planned in context.calls for read in planned.name_reads}
    held: list[PlannedCall] = []
    for planned in context.calls:
        if planned.todo is not None:
            continue
        if any(givers.get(read) is None or givers[read].todo is not None for read in planned.name_reads):
            planned.todo = "the path reuses a name from another call's answer, and that call keeps a TODO"
        elif any(takers.get(read) is None or takers[read].todo is not None for read in planned.named):
            planned.todo = "a name from this answer is reused as the path of a call that keeps a TODO"
        else:
            continue
        planned.rewrite = None
        held.append(planned)
    return held


def _removable_constants(context: FileContext, finder: CallFinder) -> dict[str, cst.SimpleStatementLine]:
    """The inlined URL constants that can go, with the statement defining each: every read of it is
    inlined into a call that is rewritten, and its definition is a statement of its own, without a
    comment, whose removal changes nothing else (`syntax.removable_statement`)."""
    inlined: dict[str, set[int]] = {}
    held: set[str] = set()
    for planned in context.calls:
        for name, loads in planned.inlined.items():
            inlined.setdefault(name, set()).update(loads)
            if planned.todo is not None:
                held.add(name)
    removable: dict[str, cst.SimpleStatementLine] = {}
    for name in inlined.keys() - held:
        nodes = [node for node in finder.bindings.names.get(name, ()) if id(node) in inlined[name]]
        try:
            assign, others = binding_of(finder.bindings, nodes[0])
        except (NotSimple, IndexError):
            continue
        if {id(nodes[0]), *(id(other) for other in others)} != inlined[name]:
            continue  # read somewhere else too
        statement = removable_statement(finder.bindings, assign)
        if statement is not None and _plain_text(assign.value):
            removable[name] = statement
    return removable


def _plain_text(value: cst.BaseExpression) -> bool:
    """Text built from literals and names only: working it out has no effect to lose."""
    if isinstance(value, cst.SimpleString | cst.Name | cst.Attribute):
        return True
    if isinstance(value, cst.ConcatenatedString):
        return _plain_text(value.left) and _plain_text(value.right)
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
        return _plain_text(value.left) and _plain_text(value.right)
    if isinstance(value, cst.FormattedString):
        return all(
            isinstance(part, cst.FormattedStringText) or _plain_text(part.expression)
            for part in value.parts
            if isinstance(part, cst.FormattedStringText | cst.FormattedStringExpression)
        )
    return False


def _read_elsewhere(finder: CallFinder, name: str, urls: set[int]) -> bool:
    """Whether a module-level base constant is read other than in the URL of a call in `urls` (in
    the definition of another constant, say, or printed): that read would see the Public base."""
    module = finder.module
    if name not in module.assignments:
        return False  # a class attribute: read through `self.`, only by the calls the plan found
    for node, role in finder.bindings.uses(module, name):
        if role != "load":
            continue
        holder: cst.CSTNode | None = node
        while holder is not None and id(holder) not in urls:
            holder = finder.bindings.parent(holder)
        if holder is None:
            return True
    return False


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
        _bases_kept(planned, shapes, scope, finder, route)
        return "this Config API call's endpoint is built at run time; rewrite it by hand (`migrate translate`)"
    public = " + ".join(f"{step.method} {step.path}" for step in endpoint.public) or "none"
    # the URL's own shape: a connection's host (`HTTPSConnection(host).request(...)`) is not the URL's
    own = shapes.at_call(planned.call, planned.url, scope) if planned.url is not planned.call else None
    names_host = HOSTS_PATTERN.search(own or planned.shape)
    if route.relative_to is None and not names_host and not planned.shape.startswith(HOLE):
        _bases_kept(planned, shapes, scope, finder, route)
        return (
            "the request names no host: the host is set where the connection is made (an `http.client` "
            f"connection, say), so the two move together by hand; the Public call is {public}"
        )
    if endpoint.translation == "none":
        _bases_kept(planned, shapes, scope, finder, route)
        return f"{endpoint.method} {endpoint.path} has no Public API twin: {endpoint.manual_step}"
    reason = endpoint.manual_reason or "one Config call becomes several Public calls"
    several = f"{endpoint.method} {endpoint.path} becomes {public}: {reason}"
    if endpoint.automation == "manual" or endpoint.translation not in ("direct", "sequence", "conditional"):
        _bases_kept(planned, shapes, scope, finder, route)
        return several
    _follow_url_variable(context, planned, finder)
    if route.relative_to is None:
        inline = Inliner(finder.bindings, finder.module)
        pieces = flatten(planned.url, shapes, scope, planned.base_names, inline)
        planned.inlined = inline.loads
    else:
        pieces = flatten(planned.url, shapes, scope, set())
    if pieces is not None and route.relative_to is not None:
        pieces = [Piece(text=route.relative_to), *pieces]
    matched = match_path(endpoint, pieces, context.api.kinds)
    if isinstance(matched, str):
        return f"{matched}; the Public call is {public}"
    base, segments, bound = matched
    planned.dropped = [
        piece.node
        for name, piece in bound.items()
        if name in WORKSPACE_PLACEHOLDERS and isinstance(piece.node, cst.Name)
    ]
    config_path = sample_path(context.api, segments)
    planned.name_reads = {
        read
        for key, piece in bound.items()
        if key.startswith("name:")
        for read in (
            [id(passed) for passed in context.name_parameters[id(piece.node)]]
            if id(piece.node) in context.name_parameters
            else [id(piece.node)]
        )
    }
    try:
        steps = _writes_for(context, finder, route, endpoint, config_path)
    except NotSimple as error:
        return f"{several} ({error})"
    site = CallSite(context, finder.bindings, planned, route, endpoint, steps[0], config_path, base, bound)
    try:
        if len(steps) > 1:
            planned.edits = several_writes(site, steps)
        else:
            planned.edits = [edit for fixer in REGISTRY for edit in fixer.decide(site)]
    except Refused as error:
        planned.rewrite = None
        return f"{several} ({error})" if len(steps) > 1 else f"{error}; the Public call is {public}"
    return None


def _bases_kept(planned: PlannedCall, shapes: Shapes, scope: Scope, finder: CallFinder, route: Route) -> None:
    """The base constants a call that keeps the Config API reads: none of them may move under it."""
    if route.relative_to is None:
        flatten(planned.url, shapes, scope, planned.base_names, Inliner(finder.bindings, finder.module))


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
    if endpoint.method == "GET":  # several reads: the first alone, where the code needs nothing only others give
        if any(not step.supplies for step in endpoint.public[1:]):
            raise NotSimple("the Public answer comes in several reads, which the codemod does not merge")
        return [endpoint.public[0]]
    if route.body is None:
        raise NotSimple("the body decides which Public calls are needed, and the codemod cannot read it")
    body = body_dict(finder.bindings, route.body)
    translation, _ = translate_body(context.api, context.id_map, body, endpoint.method, config_path)
    if any(isinstance(value, StepRef) for call in translation.calls for value in call.path_params.values()):
        raise NotSimple("a later Public call needs what an earlier one answers")
    writes = [call for call in translation.calls if call.method != "GET"]
    if not writes:
        raise NotSimple("this body needs no Public write")
    return [
        next(step for step in endpoint.public if (step.method, step.path) == (write.method, write.path))
        for write in writes
    ]


def public_base(api: ApiMap, region: str) -> str:
    return str(api.protocol["public"]["eu_base_url" if region == "eu" else "base_url"])
