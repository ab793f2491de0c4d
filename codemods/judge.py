"""What `migrate apply` will do with each Python Config API use `migrate scan` found, decided by
apply's own plan (the same fixers, the same refusals), so the two never disagree.

A call apply rewrites natively, or routes through the compatibility layer, is `auto`; a call it
leaves with a TODO is `manual`, with the TODO's reason. A read of an answer, a page loop or an
update mask apply rewrites is `auto`. In a module whose transport calls go through the layer, every
other Config use found there travels with them (`auto`: the layer answers as the Config API did),
except an endpoint without a Public twin, which stays `manual` as the scanner judged it. A call through a
client of the repository (`Finding.via`) moves with the client when apply routes that (the scan's
related pass reads it off the client's judged findings)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import libcst as cst

from mappings import Endpoint
from migrator.analysis.bindings import dotted_name
from migrator.analysis.literals import evaluated
from migrator.analysis.node_text import start_positions
from migrator.compat import PACKAGE
from migrator.repository import (
    TOP_LEVEL_DEF,
    config_patterns,
    session_modules,
    sessions_imported_beside,
    top_level_blocks,
    url_functions,
)
from migrator.scan.endpoints import LOST_VALUE, Classified, classify, config_url, is_prefix, public_twins
from migrator.scan.findings import Finding
from migrator.scan.python import is_layer_call
from migrator.scan.text import shape_of
from migrator.scan.walk import LAYER_REASON

from .base import FileContext
from .engine import ApplyOptions, planned_file
from .finder import CallFinder
from .fixers.compat import ROUTED_LIBRARIES, VERBS, CompatFixer
from .fixers.host import twin_name
from .fixers.pinned import is_test_file
from .plan import public_base
from .syntax import descendants
from .urls import CONFIG_BASE

SENDING = VERBS | {"request", "urlopen"}
"""The names of the transport functions that send a request (a session made is none)."""
REQUESTS = frozenset({"call", "url"})
"""Findings that are requests apply moves or leaves."""
JUDGED_KINDS = REQUESTS | {"consumer", "pagination", "update_mask"}
"""And those that are parts of a request or its answer, which move with it."""


@dataclass(frozen=True)
class Verdict:
    fixability: str
    reason: str | None = None


@dataclass(frozen=True)
class RoutedRequest:
    column: int
    """1-based."""
    method: str | None
    """When the function called says it (`requests.get`)."""
    forwarded: tuple[str, ...]
    """The parameters of the function around it that its URL is built from: it sends its callers'
    requests."""
    built_on: int | None = None
    """The line of the request object it sends (`urlopen(request)` of `request = Request(url, ...)`):
    the request is where that is built."""
    written: str | None = None
    """The Config path its URL is built from, when the function writes it out."""


@dataclass
class FileVerdicts:
    by_line: dict[int, Verdict] = field(default_factory=dict)
    """Requests, by the line their call starts on."""
    edited: set[int] = field(default_factory=set)
    """Lines where a fixer changes something."""
    layered: bool = False
    """Apply routes some of the module's transport calls through the layer."""
    twinned: set[int] = field(default_factory=set)
    """Lines of Config base constants with their Public twin beside them (an earlier run wrote it):
    kept for what still reads them, which apply leaves to a person."""
    routed_requests: dict[int, RoutedRequest] = field(default_factory=dict)
    """Requests apply routes through the layer, by line."""
    layered_before: bool = False
    """An earlier run routed some of the module's transport calls through the layer, or the session
    or sending function it imports from another module."""
    routing_now: bool = False
    """This run routes some of the module's transport calls (the rest of an earlier run's work)."""
    url_builders: set[int] = field(default_factory=set)
    """Lines of the module's functions returning a Config URL and sending nothing (`def
    sources_url(ws)`): the modules calling them send it."""

    @property
    def settled(self) -> bool:
        """Migrated code: an earlier run routed it, and this one has nothing left to route."""
        return self.layered_before and not self.routing_now


TWINNED = (
    "kept beside its Public twin for the code that still reads it (other modules, calls left with a TODO); "
    "`migrate apply` leaves it: delete it once nothing reads it"
)
ROUTED_BEFORE = (
    "goes through the compatibility layer an earlier `migrate apply` routed it to: "
    "retire it for a native Public API call once its callers read Public answers"
)
LAYERED_BEFORE = (
    "goes with calls an earlier `migrate apply` routed through the compatibility layer: "
    "retire it with them, once their callers read Public answers"
)
BUILT_URL = (
    "a Config URL this function hands to the code calling it: `migrate apply` moves the requests sent on it "
    "where they are sent (through the compatibility layer where it cannot rewrite them), and leaves the function"
)
READ_ELSEWHERE = (
    "`migrate apply` moves the requests other modules build on it where they are sent (writing its Public "
    "twin beside it for those it rewrites natively) and keeps it for the rest; one no module reads stays as it is"
)
UNMOVED_BASE = "`migrate apply` leaves it, as it leaves every request of this module built on it"
UNMOVED_PART = "`migrate apply` leaves it, as it leaves the requests of this module: move it with them"
UNSENT = (
    f"`migrate apply` leaves it: what sends it is no HTTP library apply routes ({ROUTED_LIBRARIES}), such as a "
    "framework's client; move it by hand (`migrate translate` gives the Public request), and `migrate proxy` "
    "keeps it working meanwhile"
)


def file_verdicts(path: str, source: str, options: ApplyOptions, tree: cst.Module | None = None) -> FileVerdicts | None:
    """Apply's decision for each line of one file that holds a Config call; None when the file
    cannot be planned (it does not parse: the scanner's own judgement stands)."""
    try:
        module, file = planned_file(path, source, options, tree)
    except Exception:  # a file apply cannot parse is reported by apply; scan keeps its own reading
        return None
    context = file.context
    routed = [edit.node for edits in context.edits.values() for edit in edits if edit.fixer == CompatFixer.name]
    calls = [planned.call for planned in context.calls]
    edited = [edits[0].node for edits in context.edits.values()]
    twinned = _twinned_bases(file.finder, context)
    parents = file.finder.bindings.parents
    sent: dict[int, tuple[str | None, _Sent]] = {}
    """Per routed transport call (by its function's node): its method, and what its URL is built from."""
    for node in routed:
        verb = node.attr.value if isinstance(node, cst.Attribute) else node.value if isinstance(node, cst.Name) else ""
        call = parents.get(id(node))
        if verb in SENDING and isinstance(call, cst.Call):
            sent[id(node)] = (verb.upper() if verb in VERBS else None, _forwarded(call, verb, parents))
    unrouted = [node for node, _message in context.unrouted]
    layered_before = [call for call, _helper in context.layered_before]
    # a request on a session the layer makes goes through the layer as a routed call does
    on_sessions = [call.func for call in context.session_sends if isinstance(call.func, cst.Attribute)]
    for func in on_sessions:
        call = parents[id(func)]
        assert isinstance(call, cst.Call)
        sent[id(func)] = (
            func.attr.value.upper() if func.attr.value in VERBS else None,
            _forwarded(call, func.attr.value, parents),
        )
    built = [request.built for _method, request in sent.values() if request.built is not None]
    nodes = [*calls, *routed, *edited, *twinned, *built, *unrouted, *layered_before, *on_sessions]
    positions = start_positions(module, nodes, source, parents)
    verdicts = FileVerdicts(
        # a session or sending function another module makes for this one goes through the layer there
        layered=bool(routed) or any(planned.compat for planned in context.calls) or bool(file.sessions_imported),
        layered_before=any(is_layer_call(call) for call, _scope, _statement in file.finder.found)
        or (bool(file.sessions_imported) and _imported_layered(path, source)),
        routing_now=bool(routed),
        edited={positions[id(node)][0] for node in edited},
        twinned={positions[id(node)][0] for node in twinned},
        url_builders=_url_builder_lines(source),
    )
    for node in [*routed, *on_sessions]:
        line, column = positions[id(node)]
        verdicts.by_line[line] = Verdict("auto", LAYER_REASON)
        if id(node) in sent:
            method, request = sent[id(node)]
            built_on = positions[id(request.built)][0] if request.built is not None else None
            routed_request = RoutedRequest(column + 1, method, request.params, built_on, request.written)
            verdicts.routed_requests.setdefault(line, routed_request)
    for planned in context.calls:
        line = positions[id(planned.call)][0]
        if planned.todo is None and not planned.compat:
            verdicts.by_line[line] = Verdict("auto")
        elif planned.compat:
            verdicts.by_line[line] = Verdict("auto", f"{LAYER_REASON}; natively: {planned.todo}")
        elif line not in verdicts.by_line:
            verdicts.by_line[line] = Verdict("manual", planned.todo)
    for node, message in context.unrouted:
        verdicts.by_line.setdefault(positions[id(node)][0], Verdict("manual", message))
    for call, helper in context.layered_before:
        verdicts.by_line.setdefault(positions[id(call)][0], Verdict("manual", through_layer(helper)))
    return verdicts


def _url_builder_lines(source: str) -> set[int]:
    patterns = config_patterns()
    if not patterns.string.search(source):
        return set()
    builders = url_functions(source, patterns)
    lines: set[int] = set()
    for name, body in top_level_blocks(source, TOP_LEVEL_DEF):
        if name in builders:
            first = source.count("\n", 0, source.index(body)) + 1
            lines.update(range(first, first + body.count("\n") + 1))
    return lines


def through_layer(helper: str) -> str:
    """The verdict on a call that an earlier `migrate apply` routed through the layer, by its helper."""
    return (
        f"sent through the compatibility layer by `{helper}`, which an earlier `migrate apply` routed: "
        "retire it with that call, once its callers read Public answers"
    )


def _twinned_bases(finder: CallFinder, context: FileContext) -> list[cst.SimpleString]:
    """The module-level Config base constants whose Public twin (either region's) is bound beside them."""
    publics = {public_base(context.api, region) for region in ("us", "eu")}
    found = []
    for name, value in finder.module.assignments.items():
        if type(value) is not cst.SimpleString or not CONFIG_BASE.match(str(evaluated(value))):
            continue
        twin = finder.module.assignments.get(twin_name(name))
        if type(twin) is cst.SimpleString and str(evaluated(twin)).rstrip("/") in publics:
            found.append(value)
    return found


def judge_file(path: str, text: str, findings: list[Finding], tree: cst.Module | None = None) -> list[Finding]:
    """One Python file's findings, each with apply's verdict (the scanner's own where apply has none).
    `tree`: the file as the scanner parsed it, planned on rather than parsed again."""
    if is_test_file(path) or not any(finding.kind in REQUESTS or finding.kind == "base_url" for finding in findings):
        return findings
    # a session another module makes, on which this one sends (`from .http import session`)
    verdicts = file_verdicts(path, text, ApplyOptions(shared_sessions=sessions_imported_beside(Path(path), text)), tree)
    judged = [_judged(finding, verdicts) for finding in findings]
    return judged + _unfound_requests(path, text, judged, verdicts)


def _unfound_requests(path: str, text: str, findings: list[Finding], verdicts: FileVerdicts | None) -> list[Finding]:
    """The requests apply routes that the scanner did not find (their URL comes from a parameter
    or a value built at run time): apply moves them, so the scan reports them, with what it can tell."""
    if verdicts is None:
        return []
    found = {finding.line for finding in findings if finding.kind in REQUESTS}
    lines = text.splitlines()
    unfound: list[Finding] = []
    for line, request in sorted(verdicts.routed_requests.items()):
        if line in found or request.built_on in found:
            continue
        sends = f"sends a {request.method + ' ' if request.method else ''}request to the Config API"
        endpoint = _endpoint_of(request.written, request.method) if request.written is not None else None
        if endpoint is not None:
            message = f"{endpoint.method} {endpoint.path} (its path is written here: `{request.written}`)"
        elif request.written is not None:
            message = f"{sends} on the path `{request.written}`, which names more than one endpoint"
        elif request.forwarded:
            names = ", ".join(f"`{name}`" for name in request.forwarded)
            message = f"{sends} on a URL built from its function's {names}: the endpoints are its callers'"
        else:
            message = f"{sends} on a URL built at run time: the endpoint is not determined here"
        unfound.append(
            Finding(
                kind="call",
                file=path,
                line=line,
                column=request.column,
                language="python",
                message=message,
                fixability="auto",
                confidence="medium",
                method=endpoint.method if endpoint is not None else request.method,
                endpoint=endpoint.key if endpoint is not None else None,
                path=endpoint.path if endpoint is not None else None,
                public=public_twins(endpoint) if endpoint is not None else (),
                reason=LAYER_REASON,
                snippet=lines[line - 1].strip()[:200] if line <= len(lines) else "",
            )
        )
    return unfound


@dataclass(frozen=True)
class _Sent:
    params: tuple[str, ...]
    built: cst.Call | None
    written: str | None = None
    """A Config path the URL is built from, written out in the function (`f"workspaces/{ws}/sources"`
    joined to a base): the endpoint is told by it, whatever values fill it."""


def _url_of(call: cst.Call, position: int) -> cst.BaseExpression | None:
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    keyword = next((arg for arg in call.args if arg.keyword is not None and arg.keyword.value == "url"), None)
    return keyword.value if keyword is not None else positional[position].value if len(positional) > position else None


def _endpoint_of(path: str, method: str | None) -> Endpoint | None:
    return _classified(path).pick(method)


def _classified(path: str) -> Classified:
    """What a written path (or URL: a Config base first) can be."""
    shape = shape_of(path)
    return classify(shape if CONFIG_BASE.match(path) else config_url(shape), True)


def _forwarded(call: cst.Call, verb: str, parents: dict[int, cst.CSTNode]) -> _Sent:
    """The parameters of the function around `call` that its URL argument reads (through locals:
    `url = f"{self.base}/{path}"`), and the request object it sends when one is built there."""
    url = _url_of(call, 1 if verb == "request" else 0)
    step: cst.CSTNode | None = call
    while step is not None and not isinstance(step, cst.FunctionDef):
        step = parents.get(id(step))
    if url is None or step is None:
        return _Sent((), None)
    params = [param.name.value for param in (*step.params.params, *step.params.kwonly_params)]
    bound: dict[str, list[cst.BaseExpression]] = {}
    for node in descendants(step.body):
        if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            bound.setdefault(node.targets[0].target.value, []).append(node.value)
    read: set[str] = set()
    built: cst.Call | None = None
    written: str | None = None
    waiting = [url]
    while waiting:
        value = waiting.pop()
        if isinstance(value, cst.Call) and dotted_name(value.func).rsplit(".", 1)[-1] == "Request":
            built = built or value
            value = _url_of(value, 0) or value  # only its URL: not the headers carrying a token
        for node in descendants(value):
            if isinstance(node, cst.Name) and node.value not in read:
                read.add(node.value)
                waiting += bound.get(node.value, [])
            elif written is None and isinstance(node, cst.SimpleString | cst.FormattedString):
                written = _config_path(node)
    if written is not None:
        return _Sent((), built, written)
    return _Sent(tuple(name for name in params if name in read and name not in ("self", "cls")), built)


def _config_path(node: cst.SimpleString | cst.FormattedString) -> str | None:
    """The Config path a string spells (a value it holds shown as `{}`), when it spells one."""
    if isinstance(node, cst.SimpleString):
        value = evaluated(node)
        text = value if isinstance(value, str) else None
    else:
        text = "".join(part.value if isinstance(part, cst.FormattedStringText) else "{}" for part in node.parts)
    if text is None:
        return None
    classified = _classified(text)
    return text if classified.config and classified.candidates and not is_prefix(shape_of(text)) else None


def _imported_layered(path: str, source: str) -> bool:
    """Whether a session or sending function this module imports from another is the layer's already."""
    for target, _name, _line in session_modules(Path(path), source):
        try:
            if PACKAGE in target.read_text(encoding="utf-8", errors="replace"):
                return True
        except OSError:
            continue
    return False


def _judged(finding: Finding, verdicts: FileVerdicts | None) -> Finding:
    judged = _judged_by_this_run(finding, verdicts)
    routed_already = judged.fixability == "auto" and (judged.reason or "").startswith(LAYER_REASON)
    if verdicts is not None and verdicts.settled and routed_already:  # nothing is left for apply to do
        return replace(judged, fixability="manual", reason=ROUTED_BEFORE)
    return judged


def _judged_by_this_run(finding: Finding, verdicts: FileVerdicts | None) -> Finding:
    if verdicts is not None and verdicts.layered and finding.kind == "base_url" and finding.language == "python":
        return replace(finding, fixability="auto", reason=LAYER_REASON)  # the base the routed calls are made on
    if (
        verdicts is not None
        and verdicts.layered_before
        and finding.language == "python"
        and (finding.kind == "base_url" or finding.kind in JUDGED_KINDS - REQUESTS)
    ):  # migrated code: what the routed calls read or send goes with them
        return replace(finding, fixability="manual", reason=LAYERED_BEFORE)
    if verdicts is not None and finding.kind == "base_url" and finding.line in verdicts.twinned:
        return replace(finding, fixability="manual", reason=TWINNED)
    if (
        verdicts is not None
        and finding.kind == "base_url"
        and finding.language == "python"
        and finding.fixability == "auto"
        and finding.line not in verdicts.edited
        and verdicts.by_line  # the module's own requests, and apply leaves every one
        and not any(verdict.fixability == "auto" for verdict in verdicts.by_line.values())
    ):
        return replace(finding, fixability="manual", reason=UNMOVED_BASE)
    if (
        verdicts is not None
        and finding.kind == "base_url"
        and finding.language == "python"
        and finding.fixability == "auto"
        and not finding.reason
        and not verdicts.by_line  # no request of this module's own: others read it
    ):
        return replace(finding, reason=READ_ELSEWHERE)
    if verdicts is None or finding.language != "python" or finding.kind not in JUDGED_KINDS:
        return finding
    if finding.kind == "consumer" and (finding.reason or "").startswith(LOST_VALUE):
        return finding  # whatever apply does with the call, the value is not there after it
    verdict = verdicts.by_line.get(finding.line) if finding.kind in REQUESTS else None
    if verdict is None and finding.kind not in REQUESTS and finding.line in verdicts.edited:
        verdict = Verdict("auto")
    layered = verdicts.layered or verdicts.layered_before
    if verdict is None and layered and not (finding.fixability == "manual" and _without_twin(finding)):
        verdict = Verdict("auto", LAYER_REASON)
    if verdict is None and finding.kind == "url" and finding.line in verdicts.url_builders:
        verdict = Verdict("auto", BUILT_URL)
    if verdict is None and finding.fixability == "auto" and finding.line not in verdicts.edited:
        # the scanner would move it; apply's plan has nothing for it
        verdict = Verdict("manual", UNSENT if finding.kind in REQUESTS else UNMOVED_PART)
    if verdict is None:
        return finding
    return replace(finding, fixability=verdict.fixability, reason=verdict.reason)


def _without_twin(finding: Finding) -> bool:
    return finding.endpoint is not None and not finding.public
