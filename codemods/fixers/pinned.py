"""Tests that pin the legacy request: the Config URL, body and answer they expect or mock.

A test of code that moved to the Public API must expect what that code now sends and reads: the
Public URL (ids from the ID map), the Public body (computed by the translator), and a mocked answer
in the Public shape (`{"data": {"destination": {...}}}`). This is done only when every module of the
repository the test imports moved wholly in the same run (`apply` migrates the code before its
tests); a test of code that still calls the Config API keeps pinning it, with a TODO that says so.
Within a test function, the URL literals name the endpoint; a dict literal is a body when it holds
`update_mask` or the resource's body key, and an answer when assigned to `<mock>.json.return_value`.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from mappings import Endpoint
from migrator.analysis.bindings import dotted_name
from migrator.analysis.literals import evaluated
from migrator.codec import Context
from migrator.compat import PACKAGE
from migrator.repository import under_tests
from migrator.scan import is_test_file as scanned_as_test
from migrator.scan.endpoints import classify
from migrator.scan.python import WIRE_MOCKS
from migrator.translator import IdMapNames

from ..base import Case, Edit, FileContext, FilePlan, Fixer, Rebuild, Stage
from ..finder import CallFinder
from ..syntax import NotSimple
from ..urls import Piece, assemble, match_path, public_pieces
from .compat import tests_layered_code
from .payloads import body_edits, literal_value, quote_of, render

FIXER = "pinned"

_RESPONSES_AFTER = (  # the mocked answer is printed on one line, longer than this module's lines
    "import responses\n\nimport report\n\n\n@responses.activate\ndef test_names_the_sources():\n"
    '    responses.add(\n        responses.GET,\n        "https://api.segmentapis.com/sources",\n'
    '        json={"data": {"sources": [{"slug": "web", "name": "Web"}], '
    '"pagination": {"current": "MA==", "next": None, "totalEntries": 1}}},\n'
    '    )\n    assert report.names() == ["Web"]\n'
)


class PinnedFixer(Fixer):
    name = FIXER
    description = "tests that pin the legacy URL, body or answer of code that moved"
    stage = Stage.TESTS

    cases = (
        Case(
            """\
            from unittest import mock

            import report


            def test_lists_the_sources():
                with mock.patch.object(report.requests, "get") as get:
                    report.main()
                assert get.call_args.args[0] == "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
            """,
            """\
            from unittest import mock

            import report


            def test_lists_the_sources():
                with mock.patch.object(report.requests, "get") as get:
                    report.main()
                assert get.call_args.args[0] == "https://api.segmentapis.com/sources"
            """,
            path="tests/test_report.py",
            moved=("report",),
        ),
        Case(
            """\
            import responses

            import report


            @responses.activate
            def test_names_the_sources():
                responses.add(
                    responses.GET,
                    "https://platform.segmentapis.com/v1beta/workspaces/acme/sources",
                    json={"sources": [{"name": "workspaces/acme/sources/web", "display_name": "Web"}]},
                )
                assert report.names() == ["Web"]
            """,
            _RESPONSES_AFTER,
            path="tests/test_report.py",
            moved=("report",),
        ),
        Case(
            """\
            from unittest import mock

            import report


            def test_lists_the_sources():
                with mock.patch.object(report.requests, "get") as get:
                    report.main()
                assert get.call_args.args[0] == "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
            """,
            why="the code it tests did not move in this run",
            todo="this test pins a Config API URL; the code it tests did not move in this run",
            path="tests/test_report.py",
        ),
    )

    @classmethod
    def plan_file(cls, file: FilePlan) -> None:
        """A test's pinned legacy request follows the code it tests, unless that code goes through
        the compatibility layer: then the request it pins is still the one made (see `compat`)."""
        if not file.testing:
            return
        if file.compat and tests_layered_code(file.finder, file.layered_modules):
            _flag_wire_mocks(file.context, file.finder)
        else:
            plan_pinned(file.context, file.finder, file.moved_modules, file.kept_modules)


def is_test_file(path: str) -> bool:
    """The scanner's test files, and any file under a `tests` folder (fixtures and helpers too)."""
    return scanned_as_test(path) or under_tests(path)


def plan_pinned(context: FileContext, finder: CallFinder, moved: frozenset[str], kept: frozenset[str]) -> None:
    """Record the edits (or TODOs) for the legacy literals of a test file."""
    if not finder.pinned_urls:
        return
    imported = {dotted.split(".")[0] for dotted in finder.aliases.values()}
    still_legacy = sorted(imported & kept)
    if still_legacy:
        reason = (
            f"{PINS} the Config API request of `{'`, `'.join(still_legacy)}`, which still calls it "
            "(see its TODOs); update the test when that code moves"
        )
        _todo_everywhere(context, finder, reason)
        return
    if not imported & moved:
        _todo_everywhere(context, finder, f"{PINS} a Config API URL; the code it tests did not move in this run")
        return
    for function, urls in _by_function(finder).items():
        try:
            edits = _function_edits(context, finder, function, urls)
            missing = sorted({edit.fixer for edit in edits} - (context.only or {edit.fixer for edit in edits}))
            if missing:
                raise NotSimple(f"it also needs the {', '.join(missing)} codemod(s), left out by --only")
        except NotSimple as error:
            for _url, statement in urls:
                _flag(context, f"{PINS} the legacy request and cannot be updated: {error}", statement)
            continue
        for edit in edits:
            context.edits.setdefault(id(edit.node), []).append(edit)


def _flag_wire_mocks(context: FileContext, finder: CallFinder) -> None:
    """A test of code routed through the layer that registers a Config URL with an HTTP-level mock
    (`responses.add(responses.GET, "https://platform.../sources", json=...)`): the layer sends the
    Public request instead, which the mock does not know, so the test needs a person. Mocks of the
    library's functions (`mock.patch("requests.get")`) are the compat fixer's and keep working."""
    mocks = WIRE_MOCKS | {local for local, dotted in finder.aliases.items() if dotted.split(".")[0] in WIRE_MOCKS}
    for url, statement in finder.pinned_urls:
        argument = finder.bindings.parent(url)
        call = finder.bindings.parent(argument) if isinstance(argument, cst.Arg) else None
        if not isinstance(call, cst.Call):
            continue
        root = dotted_name(call.func).split(".")[0]
        if root in mocks:
            library = finder.aliases.get(root, root).split(".")[0]
            _flag(
                context,
                f"{PINS} the Config API request at the HTTP level ({library}), but the code it tests now "
                f"sends the Public request through {PACKAGE}: mock that one instead "
                "(`migrate translate` shows it)",
                statement,
            )


def _todo_everywhere(context: FileContext, finder: CallFinder, reason: str) -> None:
    for _url, statement in finder.pinned_urls:
        _flag(context, reason, statement)


PINS = "this test pins"


def _flag(context: FileContext, reason: str, statement: cst.CSTNode) -> None:
    """A TODO over a pinned statement, unless an earlier run left one there. The reason can differ
    from run to run (code that moved in the first is no longer seen to move in the second), and one
    TODO is what a second run must leave: it changes nothing."""
    marker = f"# TODO(migrate): {PINS}"
    for line in getattr(statement, "leading_lines", ()):
        if line.comment is not None and line.comment.value.startswith(marker):
            return
    context.todo(reason, statement)


def _by_function(finder: CallFinder) -> dict[int, list[tuple[cst.SimpleString, cst.CSTNode]]]:
    groups: dict[int, list[tuple[cst.SimpleString, cst.CSTNode]]] = {}
    for url, statement in finder.pinned_urls:
        groups.setdefault(id(_enclosing_function(finder, url)), []).append((url, statement))
    return groups


def _enclosing_function(finder: CallFinder, node: cst.CSTNode) -> cst.CSTNode | None:
    current = finder.bindings.parent(node)
    while current is not None and not isinstance(current, cst.FunctionDef):
        current = finder.bindings.parent(current)
    return current


def _function_edits(
    context: FileContext, finder: CallFinder, function: int, urls: list[tuple[cst.SimpleString, cst.CSTNode]]
) -> list[Edit]:
    edits: list[Edit] = []
    paths: set[str] = set()
    endpoints: list[Endpoint] = []
    for url, _statement in urls:
        text = evaluated(url)
        assert isinstance(text, str)
        candidates = [endpoint for endpoint in classify(text, True).candidates if endpoint.translation != "none"]
        if not candidates:
            raise NotSimple(f"{text} has no Public twin")
        rewritten = {cst.Module([]).code_for_node(_public_url(context, e, url)): e for e in candidates}
        if len(rewritten) != 1:
            raise NotSimple(f"the Public URL of {text} depends on the method")
        new_url = _public_url(context, candidates[0], url)
        edits.append(Edit(FIXER, url, _becomes(new_url)))
        paths.add(text)
        endpoints += candidates
    if len({endpoint.path for endpoint in endpoints}) != 1:
        return edits  # several endpoints in one test: their bodies and answers cannot be told apart
    config_path = next(iter(paths)).split("segmentapis.com", 1)[-1]
    for dictionary in finder.dicts:
        if id(_enclosing_function(finder, dictionary)) != function:
            continue
        edits += _dict_edits(context, finder, dictionary, endpoints, config_path)
    return edits


def _becomes(replacement: cst.CSTNode) -> Rebuild:
    return lambda _node: replacement


def _public_url(context: FileContext, endpoint: Endpoint, url: cst.SimpleString) -> cst.BaseExpression:
    matched = match_path(endpoint, [Piece(text=str(evaluated(url)))])
    if isinstance(matched, str):
        raise NotSimple(matched)
    base, _segments, bound = matched
    pieces = public_pieces(context, endpoint.public[0], base, bound)
    if isinstance(pieces, str):
        raise NotSimple(pieces)
    if any(piece.node is not None for piece in pieces):
        raise NotSimple("the test's URL has no literal Public id")
    return assemble(url, pieces, context.public_base)


def _dict_edits(
    context: FileContext, finder: CallFinder, dictionary: cst.Dict, endpoints: list[Endpoint], config_path: str
) -> list[Edit]:
    keys = {
        evaluated(element.key)
        for element in dictionary.elements
        if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString)
    }
    parent = finder.bindings.parent(dictionary)
    if isinstance(parent, cst.Assign) and _is_json_return_value(parent):
        return [_answer_edit(context, dictionary, endpoints, config_path)]
    if isinstance(parent, cst.Arg) and parent.keyword is not None and parent.keyword.value == "json":
        # `responses.add(responses.GET, URL, json={...})`, `mocker.get(URL, json={...})`: the answer
        # an HTTP-level mock gives for the URL the test pins
        return [_answer_edit(context, dictionary, endpoints, config_path)]
    for endpoint in endpoints:
        if endpoint.operation not in ("create", "update") or endpoint.translation != "direct":
            continue
        masked = "update_mask" in keys and endpoint.operation == "update"
        if masked or (endpoint.body_key in keys and len(keys) == 1 and endpoint.operation == "create"):
            step = endpoint.public[0]
            return body_edits(context.api, context.id_map, dictionary, step, endpoint.method, config_path)
    return []


def _is_json_return_value(assign: cst.Assign) -> bool:
    target = assign.targets[0].target if len(assign.targets) == 1 else None
    return (
        isinstance(target, cst.Attribute)
        and target.attr.value == "return_value"
        and isinstance(target.value, cst.Attribute)
        and target.value.attr.value == "json"
    )


def _answer_edit(context: FileContext, dictionary: cst.Dict, endpoints: list[Endpoint], config_path: str) -> Edit:
    """A mocked Config answer of a single object, or of a list, becomes the Public answer."""
    lists = [endpoint for endpoint in endpoints if endpoint.operation == "list" and endpoint.list_key]
    if lists and len(lists) == len([e for e in endpoints if e.method == "GET"]):
        return _list_answer_edit(context, dictionary, lists[0], config_path)
    resources = {endpoint.resource for endpoint in endpoints if endpoint.operation in ("get", "update", "create")}
    if len(resources) != 1 or None in resources:
        raise NotSimple("the mocked answer's resource is not one the codemod can tell")
    resource = resources.pop()
    assert resource is not None
    data_key = context.api.resource(resource).data_key
    if data_key is None:
        raise NotSimple(f"the Public {resource} answer has no single object to mock")
    match = context.api.match_config("GET", config_path)
    params = dict(match.params) if match else {}
    value = literal_value(dictionary)
    if not isinstance(value, dict):
        raise NotSimple("the mocked answer is not a literal object")
    public: Any = _to_public_answer(context, resource, value, params)
    quote = quote_of(dictionary)
    answer = {"data": {data_key: public}}
    return Edit(FIXER, dictionary, lambda _node: render(answer, quote))


def _list_answer_edit(context: FileContext, dictionary: cst.Dict, endpoint: Endpoint, config_path: str) -> Edit:
    """`{"sources": [...]}` becomes `{"data": {"sources": [...], "pagination": {...}}}`, each item
    in the Public shape, and one page (no `next`): what the Public list answers."""
    value = literal_value(dictionary)
    list_key = endpoint.list_key
    public_key = context.api.public_list_key(endpoint)
    if not isinstance(value, dict) or list_key is None or public_key is None or endpoint.resource is None:
        raise NotSimple("the mocked list is not one the codemod can tell")
    items = value.get(list_key)
    if not isinstance(items, list) or set(value) - {list_key, "next_page_token"}:
        raise NotSimple("the mocked list answer holds more than its list")
    match = context.api.match_config("GET", config_path)
    params = dict(match.params) if match else {}
    public = [_to_public_answer(context, endpoint.resource, item, params) for item in items]
    answer = {
        "data": {public_key: public, "pagination": {"current": "MA==", "next": None, "totalEntries": len(public)}}
    }
    quote = quote_of(dictionary)
    return Edit(FIXER, dictionary, lambda _node: render(answer, quote))


def _to_public_answer(context: FileContext, resource: str, value: dict[str, Any], params: dict[str, str]) -> Any:
    from migrator.codec import to_public

    names = IdMapNames(context.id_map, context.api)
    try:
        return to_public(resource, value, Context(context.api, names, params), request=False)
    except Exception as error:  # an id the map does not have, a value of another type
        raise NotSimple(f"the mocked answer does not translate: {error}") from None
