"""A Config URL as pieces, and the Public URL assembled from them.

A URL expression is flattened into literal text and the expressions between (`f"{API}/workspaces/
{ws}/sources/{src}"`), matched segment by segment against the endpoint's template, and the Public
path is built from the step's bindings: ids named from the ID map for literals, or through the
generated lookup module for variables. The result is a plain string where it can be, else an
f-string.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import libcst as cst

from mappings import ApiMap, Endpoint, IdKind, PublicStep
from migrator.analysis.bindings import Scope
from migrator.analysis.holes import HOLE
from migrator.analysis.literals import evaluated
from migrator.analysis.strings import Shapes
from migrator.codec import build_name
from migrator.scan.walk import LOOKUP_MODULE

from .base import FileContext, NameSource
from .syntax import Bindings, NotSimple, binding_of, subscript_chain


@dataclass
class Piece:
    text: str | None = None
    node: cst.BaseExpression | None = None
    inlined: bool = False
    """The node belongs to the definition of a constant inlined into this URL (`Inliner`): it is
    copied, not moved, into the new URL."""


@dataclass
class Inliner:
    """Module-level constants holding a Config URL with a path (`GA = f"{API}/workspaces/acme/
    sources/web/destinations/ga"`), or a function's variable bound once to a piece of one
    (`resource = "workspaces/" + ws + "/sources"`), read in a call's URL (`f"{GA}/filters"`,
    `URL + resource`): the URL is re-assembled from the definition. The plan removes the constant once every read of
    it is inlined into a rewritten call, and keeps every such call otherwise."""

    bindings: Bindings
    module: Scope
    loads: dict[str, set[int]] = field(default_factory=dict)
    """Per constant, the reads inlined into this URL."""

    def definition(self, node: cst.Name) -> cst.BaseExpression | None:
        try:
            assign, _others = binding_of(self.bindings, node)
        except NotSimple:
            return None
        target = assign.targets[0].target
        if self.bindings.scope_of_name.get(id(target)) is not self.module:
            return None
        return assign.value

    def local_definition(self, node: cst.Name, scope: Scope) -> cst.BaseExpression | None:
        """What a variable of the function `scope` that reads it is bound to, once."""
        try:
            assign, _others = binding_of(self.bindings, node)
        except NotSimple:
            return None
        target = assign.targets[0].target
        return (
            assign.value if scope.kind == "function" and self.bindings.scope_of_name.get(id(target)) is scope else None
        )


def flatten(
    node: cst.BaseExpression, shapes: Shapes, scope: Scope, base_names: set[str], inline: Inliner | None = None
) -> list[Piece] | None:
    """The URL expression as literal text and expression pieces, or None when its form is not one
    the codemods re-assemble (`%`, `.format()`, calls)."""
    if type(node) is cst.SimpleString:
        value = evaluated(node)
        return [Piece(text=value)] if isinstance(value, str) else None
    if type(node) is cst.FormattedString:
        pieces: list[Piece] = []
        for part in node.parts:
            if type(part) is cst.FormattedStringText:
                pieces.append(Piece(text=part.value))
            elif type(part) is cst.FormattedStringExpression and part.format_spec is None and part.conversion is None:
                pieces.extend(_expression_piece(part.expression, shapes, scope, base_names, inline))
            else:
                return None
        return pieces
    if type(node) is cst.ConcatenatedString or (type(node) is cst.BinaryOperation and type(node.operator) is cst.Add):
        left = flatten(node.left, shapes, scope, base_names, inline)
        right = flatten(node.right, shapes, scope, base_names, inline)
        return None if left is None or right is None else left + right
    if (
        type(node) is cst.BinaryOperation
        and type(node.operator) is cst.Modulo
        and type(node.left) is cst.SimpleString
        and isinstance(template := evaluated(node.left), str)
    ):
        return _percent(template, node.right, shapes, scope, base_names, inline)
    if (
        type(node) is cst.Call
        and type(node.func) is cst.Attribute
        and node.func.attr.value == "format"
        and type(node.func.value) is cst.SimpleString
        and isinstance(template := evaluated(node.func.value), str)
    ):
        return _format(template, node.args, shapes, scope, base_names, inline)
    return _expression_piece(node, shapes, scope, base_names, inline)


def _format(
    template: str,
    args: Sequence[cst.Arg],
    shapes: Shapes,
    scope: Scope,
    base_names: set[str],
    inline: Inliner | None,
) -> list[Piece] | None:
    """`"{}/{}/sources/{}".format(HOST, VERSION, src)`: plain `{}`, `{0}` or `{name}` fields, no
    conversion or format spec, no `*args`/`**kwargs`."""
    if any(arg.star for arg in args):
        return None
    positional = [arg.value for arg in args if arg.keyword is None]
    named = {arg.keyword.value: arg.value for arg in args if arg.keyword is not None}
    pieces: list[Piece] = []
    automatic = 0
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return None
    for text, name, spec, conversion in fields:
        if text:
            pieces.append(Piece(text=text))
        if name is None:
            continue
        if spec or conversion:
            return None
        if name == "":
            value = positional[automatic] if automatic < len(positional) else None
            automatic += 1
        elif name.isdigit():
            value = positional[int(name)] if int(name) < len(positional) else None
        else:
            value = named.get(name)
        if value is None:
            return None
        pieces.extend(_expression_piece(value, shapes, scope, base_names, inline))
    return pieces


def _percent(
    template: str,
    values: cst.BaseExpression,
    shapes: Shapes,
    scope: Scope,
    base_names: set[str],
    inline: Inliner | None,
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
            pieces.extend(_expression_piece(items[index], shapes, scope, base_names, inline))
    return pieces


def _expression_piece(
    node: cst.BaseExpression, shapes: Shapes, scope: Scope, base_names: set[str], inline: Inliner | None
) -> list[Piece]:
    shape = shapes.shape(node, scope)
    if shape is not None and VERSION_ONLY.match(shape) and isinstance(node, cst.Name | cst.Attribute):
        return [Piece(text=shape, node=node)]  # the version, held apart from the host: dropped
    if (
        shape is not None
        and HOLE not in shape
        and "segmentapis.com" in shape
        and isinstance(node, cst.Name | cst.Attribute)
    ):
        if inline is not None and isinstance(node, cst.Name) and not CONFIG_BASE.match(shape):
            value = inline.definition(node)
            inner = flatten(value, shapes, inline.module, base_names, inline) if value is not None else None
            if inner is not None:  # a constant with a path: re-assembled from its definition
                inline.loads.setdefault(node.value, set()).add(id(node))
                return [replace(piece, inlined=True) for piece in inner]
        base_names.add(_name_of(node))
        return [Piece(text=shape, node=node)]  # a base constant: kept as the expression, known as text
    if inline is not None and isinstance(node, cst.Name) and shape is not None and "/" in shape:
        value = inline.local_definition(node, scope)
        inner = flatten(value, shapes, scope, base_names, inline) if value is not None else None
        if inner is not None:  # a piece of the path bound to a variable first
            inline.loads.setdefault(node.value, set()).add(id(node))
            return [replace(piece, inlined=True) for piece in inner]
    return [Piece(node=node)]


def _name_of(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return ""


_HOST = r"https?://platform\.segmentapis\.com"
_VERSION = r"v1(?:beta|alpha)"
CONFIG_URL = re.compile(rf"^{_HOST}/{_VERSION}/[^\s{{}}]+$", re.IGNORECASE)
CONFIG_PREFIX = re.compile(rf"^(?:{_HOST})?/?{_VERSION}", re.IGNORECASE)
CONFIG_BASE = re.compile(rf"^{_HOST}(?:/{_VERSION})?/?$", re.IGNORECASE)
"""A Config base: the host and version, or the host alone when the version is held apart."""
VERSION_ONLY = re.compile(rf"^/?{_VERSION}/?$", re.IGNORECASE)
"""A constant holding only the Config version (`VERSION = "v1beta"`, next to a host constant)."""
_CONFIG_ROOT = re.compile(rf"^{_HOST}/{_VERSION}", re.IGNORECASE)
WORKSPACE_PLACEHOLDERS = ("workspace_slug", "workspace_id")
"""The Config path parts that name the workspace: a Public token names it, so they are dropped."""


def split_path(pieces: list[Piece]) -> tuple[list[Piece], list[list[Piece]], str] | None:
    """(base pieces, path segments, query text). The base ends where the Config prefix ends."""
    text_so_far = ""
    base: list[Piece] = []
    rest_index = None
    for index, piece in enumerate(pieces):
        if piece.text is None:
            break
        candidate = text_so_far + piece.text
        match = CONFIG_PREFIX.match(candidate)
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


def match_path(
    endpoint: Endpoint, pieces: list[Piece] | None, kinds: dict[str, IdKind] | None = None
) -> tuple[list[Piece], list[list[Piece]], dict[str, Piece]] | str:
    """The URL's base, its path segments and the value of each placeholder, or why they do not match
    the endpoint's template. With `kinds`, one value of the code may stand for a whole resource name
    (`f"{API}/{source['name']}/destinations"`): it is bound as `name:<kind>`, and the segments are
    given with the name's pattern written out."""
    split = split_path(pieces) if pieces is not None else None
    if split is None:
        host = _host_set_elsewhere(pieces)
        if host is not None:
            return (
                f"the host comes from `{host}`, which this code does not set: point it at the Public host, "
                "and the path drops its version and workspace"
            )
        return "the URL is built in a way the codemod does not re-assemble"
    base, segments, _query = split
    template = endpoint.path.split("/")
    if len(segments) == len(template):
        bound = _aligned(segments, template, endpoint)
        return bound if isinstance(bound, str) else (base, segments, bound)
    for index, segment in enumerate(segments):
        if kinds is None or len(segment) != 1 or segment[0].node is None or segment[0].text is not None:
            continue
        for kind, entry in kinds.items():
            pattern = entry.config_pattern.split("/") if entry.config_pattern else []
            if len(pattern) < 2 or template[index : index + len(pattern)] != pattern:
                continue
            rest = template[:index] + template[index + len(pattern) :]
            others = segments[:index] + segments[index + 1 :]
            if len(rest) != len(others):
                continue
            bound = _aligned(others, rest, endpoint)
            if isinstance(bound, str):
                continue
            bound[f"name:{kind}"] = segment[0]
            written = [[Piece(text=part)] if not part.startswith("{") else segment for part in pattern]
            return base, segments[:index] + written + segments[index + 1 :], bound
    return f"the path cannot be matched segment by segment to {endpoint.path}"


def _host_set_elsewhere(pieces: list[Piece] | None) -> str | None:
    """`f"{HOST}/v1beta/..."` with HOST read from configuration (call-patterns 12): its code."""
    if not pieces or len(pieces) < 2 or pieces[0].node is None or pieces[0].text is not None:
        return None
    if not CONFIG_PREFIX.match(pieces[1].text or ""):
        return None
    return cst.Module([]).code_for_node(pieces[0].node)


def _aligned(segments: list[list[Piece]], template: list[str], endpoint: Endpoint) -> dict[str, Piece] | str:
    bound: dict[str, Piece] = {}
    for segment, expected in zip(segments, template, strict=True):
        if expected.startswith("{"):
            if len(segment) != 1:
                return "a path part mixes text and values"
            bound[expected[1:-1]] = segment[0]
        elif len(segment) != 1 or segment[0].text != expected:
            return f"the path does not match {endpoint.path} literally"
    return bound


def sample_path(api: ApiMap, segments: list[list[Piece]]) -> str:
    """The Config request path the translator is asked about: literal parts as written, a part the
    code computes as `x` (the ids of the Public path are named by `public_pieces`, not from this)."""
    parts = ((segment[0].text or "x") if segment[0].node is None else "x" for segment in segments)
    return f"/{api.protocol['config']['prefix']}/" + "/".join(parts)


def public_pieces(
    context: FileContext,
    step: PublicStep,
    base: list[Piece],
    bound: dict[str, Piece],
    renamed: list[tuple[cst.Subscript, NameSource]] | None = None,
) -> list[Piece] | str:
    """The Public URL of `step` as pieces, ids named; or the TODO text. Into `renamed`, the
    callers' `x["name"]` reads that must pass the Public id instead (a parameter that is the path)."""
    renamed = [] if renamed is None else renamed
    new_pieces: list[Piece] = []
    for piece in base:
        if piece.node is not None and piece.text is not None and VERSION_ONLY.match(piece.text):
            if new_pieces and new_pieces[-1].node is None and (new_pieces[-1].text or "").endswith("/"):
                new_pieces[-1] = Piece(text=(new_pieces[-1].text or "")[:-1])  # the `/` before it goes too
            continue
        new_pieces.append(piece)
    for part in step.path.strip("/").split("/"):
        if not part:
            continue
        new_pieces.append(Piece(text="/"))
        if part.startswith("{"):
            bound_piece = _bind(context, step.bind[part[1:-1]], bound, renamed)
            if isinstance(bound_piece, str):
                return bound_piece
            new_pieces.append(bound_piece)
        else:
            new_pieces.append(Piece(text=part))
    if step.query:
        return f"the Public call {step.method} {step.path} needs a query; rewrite it by hand"
    return new_pieces


def _bind(
    context: FileContext, expression: str, bound: dict[str, Piece], renamed: list[tuple[cst.Subscript, NameSource]]
) -> Piece | str:
    head, _, kind = expression.partition(":")
    if head == "path":
        return bound[kind]
    if head != "id":
        return f"the Public path needs {expression}, which the codemod cannot supply"
    whole = bound.get(f"name:{kind}")
    if whole is not None and id(whole.node) in context.name_parameters:
        # a parameter every caller passes the name for: they pass the id, and it is the path
        passed = context.name_parameters[id(whole.node)]
        sources = [context.named.get(id(read)) for read in passed]
        if any(source is None or source.kind != kind for source in sources):
            return (
                f"the path reuses a {kind.replace('_', ' ')}'s Config name passed by the callers, and the "
                "codemod cannot follow where each one comes from to pass the Public id instead"
            )
        renamed.extend((read, source) for read, source in zip(passed, sources, strict=True) if source is not None)
        return Piece(node=whole.node)
    if whole is not None:  # the Config name of the object, reused as the path: its Public id instead
        source = context.named.get(id(whole.node))
        if source is None or source.kind != kind:
            return (
                f"the path reuses a {kind.replace('_', ' ')}'s Config name, and the codemod cannot follow "
                "where that name comes from to read the Public id instead"
            )
        return Piece(node=subscript_chain(source.base.deep_clone(), list(source.keys), source.quote))
    if any(key.startswith("name:") for key in bound):
        return f"the Public path needs a {kind} id the Config name reused as the path does not give"
    pattern = context.api.kinds[kind].config_pattern
    names = re.findall(r"\{(\w+)\}", pattern)
    if any(name not in bound for name in names):
        return f"the Public path needs a {kind} id the Config path does not name"
    literal = {name: bound[name].text or "" for name in names if bound[name].node is None}
    variables = [name for name in names if bound[name].node is not None]
    own = [name for name in names if name not in WORKSPACE_PLACEHOLDERS]
    if context.api.kinds[kind].same_id and own:  # the Config id is the Public id, one made at run time too
        same = bound[own[-1]]
        return Piece(text=same.text) if same.node is None else Piece(node=_expression(same))
    if not variables or all(name in WORKSPACE_PLACEHOLDERS for name in variables):
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
    if context.id_map is None:  # the lookup module is made from the ID map
        return f"needs the Public id of the {kind} a variable names: pass --ids ids.json (migrate resolve)"
    context.lookups.add(kind)
    arguments = [cst.Arg(_expression(bound[name])) for name in own]
    call = cst.Call(
        func=cst.Attribute(value=cst.Name(LOOKUP_MODULE), attr=cst.Name(f"{kind}_id")),
        args=[argument.with_changes(comma=cst.MaybeSentinel.DEFAULT) for argument in arguments],
    )
    return Piece(node=call)


def _expression(piece: Piece) -> cst.BaseExpression:
    if piece.node is None:
        return cst.SimpleString(repr(piece.text or ""))
    return piece.node.deep_clone() if piece.inlined else piece.node


def assemble(original: cst.BaseExpression, pieces: list[Piece], public_base: str) -> cst.BaseExpression:
    """The new URL, as an f-string when it has expressions, else a plain string."""
    merged: list[Piece] = []
    for piece in pieces:
        if piece.node is None and piece.text is not None and merged and merged[-1].node is None:
            merged[-1] = Piece(text=(merged[-1].text or "") + piece.text)
        else:
            merged.append(piece)
    for index, piece in enumerate(merged):  # a literal Config base becomes the Public base
        if piece.node is None and piece.text and not index:
            merged[index] = Piece(text=_rebase(piece.text, public_base))
        elif piece.node is None and piece.text:  # the version after a host constant goes
            text = CONFIG_PREFIX.sub("", piece.text)
            if (merged[index - 1].text or "").endswith("/") and text.startswith("/"):
                text = text[1:]
            merged[index] = Piece(text=text)
    quote: Literal['"', "'"] = (
        "'" if isinstance(original, cst.SimpleString | cst.FormattedString) and (original.quote == "'") else '"'
    )
    if len(merged) == 1 and merged[0].node is not None:  # the base alone: `f"{API}"` is `API`
        return _expression(merged[0])
    if all(piece.node is None for piece in merged):
        return cst.SimpleString(
            quote + "".join(piece.text or "" for piece in merged).replace(quote, "\\" + quote) + quote
        )
    parts: list[cst.BaseFormattedStringContent] = []
    for piece in merged:
        if piece.node is None:
            parts.append(cst.FormattedStringText((piece.text or "").replace("{", "{{").replace("}", "}}")))
        else:
            parts.append(cst.FormattedStringExpression(expression=_expression(piece)))
    # Before Python 3.12 an f-string's expressions cannot hold its own quote; a name read from
    # another call's answer (`source["id"]`) brings the quote of the code it came from.
    inside = "".join(_CODE.code_for_node(part) for part in parts)
    marks: tuple[Literal['"', "'", '"""'], ...] = (quote, "'" if quote == '"' else '"', '"""')
    delimiter = next((mark for mark in marks if mark not in inside), None)
    if delimiter is None:
        raise ValueError("the URL's pieces hold every kind of quote")
    return cst.FormattedString(parts=parts, start="f" + delimiter, end=delimiter)


_CODE = cst.Module([])


def _rebase(text: str, public_base: str) -> str:
    return _CONFIG_ROOT.sub(lambda _match: public_base, text)
