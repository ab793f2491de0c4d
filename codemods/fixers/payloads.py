"""Request bodies: the Config body becomes the Public body, computed by the translator.

The body must be a dict literal (or a variable bound once to one and sent nowhere else). Its
constant parts are translated as data; every other expression stands in as a marker string, and the
rewrite is kept only when each marker comes out of the translator whole and unchanged: a value the
Public API wants in another form (an id for a name, a mapped enum, a JSON string) stops the rewrite
of the call. So `update_mask` disappears with its semantics (a masked field without a value gets
its zero value), `config` arrays become `settings`, and renamed fields are renamed, by the same code
`migrate translate` and `migrate proxy` use."""

from __future__ import annotations

import copy
import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import libcst as cst

from mappings import ApiMap, PublicStep
from migrator.analysis.literals import evaluated
from migrator.errors import MigratorError
from migrator.translator import ConfigRequest, IdMapNames, PublicCall, Translation, Translator

from ..base import Case, Edit, Fixer, Stage
from ..syntax import Bindings, NotSimple, binding_of, key_string, sole_argument, subscript_chain

if TYPE_CHECKING:
    from migrator.idmap import IdMap  # the ID map (and pydantic) load only when a run has one

    from ..site import CallSite

FIXER = "payloads"
_MARKER = "\x00/migrate-value-{}/\x00"
_MARKER_PATTERN = re.compile("\x00/migrate-value-(\\d+)/\x00")
_SYMBOLIC = "\x00/symbolic-id/\x00"
_SHOWN_MARKER = re.compile(r"'?(?:\x00|\\x00)/migrate-value-\d+/(?:\x00|\\x00)'?")
"""A marker as a message shows it: itself, or its repr."""


BODY_ARGUMENTS = ("json", "data", "content")


class PayloadFixer(Fixer):
    name = FIXER
    description = "request bodies to the Public shape: update_mask, config to settings, renamed fields"
    stage = Stage.REQUEST

    cases = (
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"

            if __name__ == "__main__":
                body = {"regulation_type": "Suppress_With_Delete", "attributes": {"name": "userId", "values": ["u1"]}}
                requests.post(f"{API}/workspaces/acme/regulations", json=body).raise_for_status()
            """,
            """\
            import requests

            API = "https://api.segmentapis.com"

            if __name__ == "__main__":
                body = {"regulationType": "SUPPRESS_WITH_DELETE", "subjectType": "USER_ID", "subjectIds": ["u1"]}
                requests.post(f"{API}/regulations", json=body).raise_for_status()
            """,
        ),
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"

            if __name__ == "__main__":
                requests.post(f"{API}/workspaces/acme/regulations", json=regulation()).raise_for_status()
            """,
            why="a body built by a function it cannot read",
            todo="the body is not a dict literal; the Public call is POST /regulations",
        ),
    )

    @classmethod
    def decide(cls, site: CallSite) -> list[Edit]:
        """The body of a write, translated; a body the codemod cannot read stops the rewrite."""
        route, endpoint = site.route, site.endpoint
        if route.body is not None and endpoint.operation in ("create", "update", "custom"):
            body = body_of(site.bindings, route.body)
            api, id_map = site.context.api, site.context.id_map
            return body_edits(
                api, id_map, body.literal, site.step, endpoint.method, site.config_path, mutations=body.mutations
            )
        if route.relative_to is None and sends_body(site.planned.call) and endpoint.method != "GET":
            # A read's body (`data=json.dumps(payload or {})` in a shared helper) was ignored by the
            # Config API and is by the Public API: it is left as it is.
            raise NotSimple("the request body is passed in a way the codemod does not follow")
        return []


class _Names(IdMapNames):
    """Ids from the ID map where it has them; anything else comes out as a marker the rewrite
    refuses (the paths fixer names path ids on its own)."""

    def public_id(self, kind: str, config_name: str) -> str | None:
        try:
            found = super().public_id(kind, config_name)
        except MigratorError:
            found = None
        return found if found is not None else _SYMBOLIC


def sent_body(call: cst.Call, bindings: Bindings | None = None) -> cst.BaseExpression | None:
    """The expression `call` sends as its JSON body (`json=`, or `data=json.dumps(...)`), else None
    (also for `data=` an empty dict, list, string or None, which requests sends as no body at all)."""
    for argument in call.args:
        if argument.keyword is None or argument.keyword.value not in ("json", "data"):
            continue
        value = argument.value
        if argument.keyword.value == "data":
            if _empty(value) or (bindings is not None and _bound_empty(value, bindings)):
                return None
            encoded = sole_argument(value, "json.dumps")
            if encoded is None:
                raise NotSimple("the body is sent as form data or pre-encoded in a way the codemod does not follow")
            value = encoded
        return value
    return None


def sends_body(call: cst.Call) -> bool:
    """Whether the call passes a body, in any form (a keyword, or a third positional argument)."""
    positional = [arg for arg in call.args if arg.keyword is None]
    return (
        any(arg.keyword is not None and arg.keyword.value in BODY_ARGUMENTS for arg in call.args) or len(positional) > 2
    )


def _empty(value: cst.BaseExpression) -> bool:
    """`{}`, `[]`, `()`, `""` or `None`."""
    if isinstance(value, cst.Dict | cst.List | cst.Tuple):
        return not value.elements
    if isinstance(value, cst.Name):
        return value.value == "None"
    return isinstance(value, cst.SimpleString) and evaluated(value) == ""


def _bound_empty(value: cst.BaseExpression, bindings: Bindings) -> bool:
    """A variable bound once to an empty literal and read only as `data=` of calls (`payload = {}`)."""
    if not isinstance(value, cst.Name):
        return False
    try:
        assign, reads = binding_of(bindings, value)
    except (NotSimple, KeyError):
        return False
    return _empty(assign.value) and all(
        isinstance(arg := bindings.parent(read), cst.Arg) and arg.keyword is not None and arg.keyword.value == "data"
        for read in reads
    )


@dataclass
class Mutation:
    """`body["destination"]["enabled"] = value`, after the literal is built: its target and keys."""

    target: cst.Subscript
    keys: list[str]


@dataclass
class Body:
    literal: cst.Dict
    mutations: list[Mutation]


def body_of(bindings: Bindings, value: cst.BaseExpression) -> Body:
    """The dict literal a body expression is: itself, or a variable bound once to it and sent only
    here, whose other uses may only set keys of it (`body["a"]["b"] = x`)."""
    mutations: list[Mutation] = []
    if isinstance(value, cst.Name):
        assign, others = binding_of(bindings, value)
        for use in others:
            mutation = _mutation(bindings, use)
            if mutation is None:
                raise NotSimple(f"the body `{value.value}` is also used elsewhere")
            mutations.append(mutation)
        value = assign.value
    if not isinstance(value, cst.Dict):
        raise NotSimple("the body is not a dict literal")
    return Body(value, mutations)


def body_dict(bindings: Bindings, value: cst.BaseExpression) -> cst.Dict:
    """The dict literal of a body that is not changed after it is built."""
    body = body_of(bindings, value)
    if body.mutations:
        raise NotSimple("the body is changed after it is built")
    return body.literal


def _mutation(bindings: Bindings, use: cst.Name) -> Mutation | None:
    """The key assignment `use` is the root of, if it is one."""
    node: cst.BaseExpression = use
    keys: list[str] = []
    parent = bindings.parent(node)
    while isinstance(parent, cst.Subscript) and parent.value is node:
        found = key_string(parent)
        if found is None:
            return None
        keys.append(found[0])
        node = parent
        parent = bindings.parent(node)
    assign = bindings.parent(parent) if isinstance(parent, cst.AssignTarget) else None
    if not keys or not isinstance(node, cst.Subscript) or not isinstance(assign, cst.Assign):
        return None
    if len(assign.targets) != 1 or assign.targets[0].target is not node:
        return None
    return Mutation(node, keys)


def translate_body(
    api: ApiMap, id_map: IdMap | None, body: cst.Dict, method: str, path: str
) -> tuple[Translation, list[cst.BaseExpression]]:
    """The translator's Public calls for a Config call sending `body`, with the expressions of the
    body the code computes standing in as markers (in the order of the returned list)."""
    expressions: list[cst.BaseExpression] = []
    data = _data(body, expressions)
    return _translate(api, id_map, data, method, path), expressions


def _translate(api: ApiMap, id_map: IdMap | None, data: Any, method: str, path: str) -> Translation:
    translator = Translator(_Names(id_map, api), api, strict_enums=True)
    try:
        return translator.translate(ConfigRequest(method, path, body=data))
    except (MigratorError, ValueError) as error:
        # A value the code computes stands in the body as a marker: say so, never show the marker.
        message = str(error)
        if "update_mask path" in message and _SHOWN_MARKER.search(message):
            raise NotSimple(
                "an update_mask path is computed at run time, and the Public body must name each changed field"
            ) from None
        reason = _SHOWN_MARKER.sub("a value computed at run time", message).replace(_SYMBOLIC, "an id")
        raise NotSimple(f"the body does not translate: {reason}") from None


def body_edits(
    api: ApiMap,
    id_map: IdMap | None,
    body: cst.Dict,
    step: PublicStep,
    method: str,
    path: str,
    alone: bool = True,
    mutations: Sequence[Mutation] = (),
) -> list[Edit]:
    """The edit replacing `body` with the body of the Public call `step`, and one re-keying each
    of its `mutations` (keys set after it is built). Unless `alone`, other Public writes share the
    body; it must then be all constants (no value is split between them)."""
    translation, expressions = translate_body(api, id_map, body, method, path)
    calls = _step_calls(translation, step)
    others = [call for call in translation.calls if call.method != "GET" and call not in calls]
    if len(calls) != 1 or (others and alone):
        raise NotSimple("the Public API needs several calls for this body")
    if others and expressions:
        raise NotSimple("a body shared by several Public calls must be all constants")
    public = calls[0].body
    used: list[int] = []
    _check(public, used, len(expressions))
    if sorted(used) != list(range(len(expressions))):
        raise NotSimple("a value of the body would be dropped or repeated by the Public body")
    quote = quote_of(body)

    def rebuild(_node: cst.CSTNode) -> cst.CSTNode:
        return render(public, quote, expressions)

    edits = [Edit(FIXER, body, rebuild)]
    if mutations:
        if others:
            raise NotSimple("a body changed after it is built goes to one Public call only")
        for mutation, keys in zip(
            mutations, _public_keys(api, id_map, body, public, mutations, step, method, path), strict=True
        ):
            edits.append(Edit(FIXER, mutation.target, partial(_rekeyed, keys=keys, quote=quote)))
    return edits


def _rekeyed(node: cst.CSTNode, keys: list[str], quote: str) -> cst.CSTNode:
    root: cst.CSTNode = node
    while isinstance(root, cst.Subscript):
        root = root.value
    return subscript_chain(root, keys, quote)


MAX_MUTATIONS = 3


def _public_keys(
    api: ApiMap,
    id_map: IdMap | None,
    body: cst.Dict,
    plain: Any,
    mutations: Sequence[Mutation],
    step: PublicStep,
    method: str,
    path: str,
) -> list[list[str]]:
    """Where each key set after the body is built lands in the Public body. Every combination of
    the settings (they may run conditionally) is translated; each must be `plain` (the Public body
    of the literal alone) with just those keys set, each always at the same place."""
    if len(mutations) > MAX_MUTATIONS:
        raise NotSimple("the body is changed after it is built in too many places")
    expressions: list[cst.BaseExpression] = []
    literal = _data(body, expressions)
    markers = [_MARKER.format(len(expressions) + index) for index in range(len(mutations))]
    found: list[list[str] | None] = [None] * len(mutations)
    for chosen in itertools.product((False, True), repeat=len(mutations)):
        if not any(chosen):
            continue
        data = copy.deepcopy(literal)
        for index, mutation in enumerate(mutations):
            if chosen[index]:
                _set(data, mutation.keys, markers[index])
        public = _step_body(api, id_map, data, step, method, path)
        expected = copy.deepcopy(plain)
        for index in range(len(mutations)):
            if not chosen[index]:
                continue
            where = _location(public, markers[index])
            if where is None or (found[index] is not None and found[index] != where):
                raise NotSimple("a key set after the body is built has no one place in the Public body")
            found[index] = where
            _set(expected, where, markers[index])
        if public != expected:
            raise NotSimple("a key set after the body is built changes more of the Public body than itself")
    return [keys for keys in found if keys is not None]


def _step_calls(translation: Translation, step: PublicStep) -> list[PublicCall]:
    return [call for call in translation.calls if (call.method, call.path) == (step.method, step.path)]


def _step_body(api: ApiMap, id_map: IdMap | None, data: Any, step: PublicStep, method: str, path: str) -> Any:
    calls = _step_calls(_translate(api, id_map, data, method, path), step)
    if len(calls) != 1:
        raise NotSimple("the Public API needs several calls for this body")
    return calls[0].body


def _set(data: Any, keys: list[str], value: Any) -> None:
    for key in keys[:-1]:
        if not isinstance(data, dict):
            raise NotSimple("a key is set inside a value that is not an object")
        data = data.setdefault(key, {})
    if not isinstance(data, dict):
        raise NotSimple("a key is set inside a value that is not an object")
    data[keys[-1]] = value


def _location(value: Any, marker: str, keys: list[str] | None = None) -> list[str] | None:
    """The keys leading to `marker` in the objects of `value` (not inside lists)."""
    keys = keys or []
    if value == marker:
        return keys
    if isinstance(value, dict):
        for key, item in value.items():
            found = _location(item, marker, [*keys, key])
            if found is not None:
                return found
    return None


def _data(node: cst.BaseExpression, expressions: list[cst.BaseExpression]) -> Any:
    if isinstance(node, cst.Dict):
        result: dict[str, Any] = {}
        for element in node.elements:
            if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
                raise NotSimple("the body has a computed key")
            key = evaluated(element.key)
            if not isinstance(key, str):
                raise NotSimple("the body has a bytes key")
            result[key] = _data(element.value, expressions)
        return result
    if isinstance(node, cst.List):
        return [_data(element.value, expressions) for element in node.elements if isinstance(element, cst.Element)]
    if isinstance(node, cst.SimpleString) and isinstance(evaluated(node), str):
        return evaluated(node)
    if isinstance(node, cst.Integer | cst.Float):
        return evaluated(node)
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[node.value]
    encoded = sole_argument(node, "json.dumps")
    if encoded is not None:  # `json.dumps({...})` of constants: the JSON string it always makes
        inner: list[cst.BaseExpression] = []
        value = _data(encoded, inner)
        if not inner:
            return json.dumps(value)
    expressions.append(node)
    return _MARKER.format(len(expressions) - 1)


def _check(value: Any, used: list[int], count: int) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _check(item, used, count)
    elif isinstance(value, list):
        for item in value:
            _check(item, used, count)
    elif isinstance(value, str):
        if _SYMBOLIC in value:
            raise NotSimple("the body names an object whose Public id the codemod cannot supply")
        found = _MARKER_PATTERN.fullmatch(value)
        if found:
            used.append(int(found.group(1)))
        elif "\x00" in value:
            raise NotSimple("a value of the body changes form on the Public API")
    elif value is not None and not isinstance(value, bool | int | float):
        raise NotSimple("the Public body holds a value computed from an earlier call")


def literal_value(node: cst.Dict) -> Any:
    """The value of a dict literal holding only constants; NotSimple otherwise."""
    expressions: list[cst.BaseExpression] = []
    value = _data(node, expressions)
    if expressions:
        raise NotSimple("the literal holds values the code computes")
    return value


def quote_of(body: cst.Dict) -> str:
    for element in body.elements:
        if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
            return element.key.quote
    return '"'


def render(value: Any, quote: str, expressions: list[cst.BaseExpression] | None = None) -> cst.BaseExpression:
    """JSON data as a Python literal; marker strings become the expressions they stand for."""
    expressions = expressions or []
    if isinstance(value, dict):
        return cst.Dict(
            [cst.DictElement(_string(key, quote), render(item, quote, expressions)) for key, item in value.items()]
        )
    if isinstance(value, list):
        return cst.List([cst.Element(render(item, quote, expressions)) for item in value])
    if isinstance(value, str):
        found = _MARKER_PATTERN.fullmatch(value)
        return expressions[int(found.group(1))] if found else _string(value, quote)
    if isinstance(value, bool) or value is None:
        return cst.Name(repr(value))
    if isinstance(value, int):
        return cst.Integer(repr(value)) if value >= 0 else cst.UnaryOperation(cst.Minus(), cst.Integer(repr(-value)))
    if isinstance(value, float):
        return cst.Float(repr(value))
    raise NotSimple(f"cannot write {type(value).__name__} as Python")


def _string(text: str, quote: str) -> cst.SimpleString:
    encoded = json.dumps(text, ensure_ascii=False)[1:-1]  # escapes a JSON and a Python string share
    if quote == "'":
        encoded = encoded.replace('\\"', '"').replace("'", "\\'")
    return cst.SimpleString(f"{quote}{encoded}{quote}")
