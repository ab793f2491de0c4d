"""Follow a Config call's answer through the code that reads it, and say how each read changes.

A Config answer is the resource itself (`{"name": ..., "display_name": ...}`) or a list under its
key with `next_page_token`; a Public answer wraps everything in `data`, under the resource's
`data_key`, with renamed fields (`mappings/fields.toml`). The answer is followed through what simple
local code does with it: `.json()`, `["key"]` and `.get("key")`, a variable assigned once, `for`
loops and comprehensions, `list.extend` (and `+=`), `return` to the module's own callers, `len()` and truth
tests. A read of a renamed field whose value is the same on both APIs is rewritten; so is
`x["name"].split("/")[-1]` where the Public object holds that last part. Anything else (the answer
passed to another function, printed whole, a field whose value differs) stops the rewrite of the
call with the reason, so the codemods never change what they cannot follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

from mappings import ApiMap, Endpoint, PublicOperation

from .base import Edit, NameSource, Refused
from .syntax import Bindings, NotSimple, descendants, key_string, sole_argument, string_value, subscript_chain

FIXER = "answers"


_CHECKS = frozenset({"raise_for_status"})
_SAME_ON_BOTH = frozenset({"ok"})
_HARMLESS_BUILTINS = frozenset({"len", "bool"})


def _is_minus_one_index(node: cst.Subscript) -> bool:
    """`[-1]`."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return False
    value = node.slice[0].slice.value
    return (
        isinstance(value, cst.UnaryOperation)
        and isinstance(value.operator, cst.Minus)
        and isinstance(value.expression, cst.Integer)
        and value.expression.value == "1"
    )


def _is_split_on_a_string(call: cst.Call) -> bool:
    """`x.split("...")` or `x.rsplit("...", 1)`."""
    if not isinstance(call.func, cst.Attribute) or any(arg.keyword is not None for arg in call.args):
        return False
    arguments = [arg.value for arg in call.args]
    if call.func.attr.value == "split":
        return len(arguments) == 1 and isinstance(arguments[0], cst.SimpleString)
    if call.func.attr.value == "rsplit":
        return (
            len(arguments) == 2
            and isinstance(arguments[0], cst.SimpleString)
            and isinstance(arguments[1], cst.Integer)
            and arguments[1].value == "1"
        )
    return False


class Unfollowable(Refused):
    """The answer is used in a way the codemods do not rewrite; the message says where."""


@dataclass(frozen=True)
class Answer:
    """What an expression holds of a Config answer, and the Public keys that precede its next read."""

    stage: Literal["response", "body", "object", "list"]
    endpoint: Endpoint
    resource: str | None
    prefix: tuple[str, ...] = ()


@dataclass
class Follower:
    api: ApiMap
    bindings: Bindings
    answer_read: bool = True
    """False when the Public call answers only a status (the translator reads the object back)."""
    name_paths: frozenset[int] = frozenset()
    """The `x["name"]` reads that are pieces of a Config call's URL (resource names reused as paths)."""
    left_out: frozenset[str] = frozenset()
    """Fields of the answer only Public reads the rewrite does not make give (a read sequence)."""
    edits: list[Edit] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)
    reached: dict[int, Answer] = field(default_factory=dict)
    """What each followed expression holds."""
    passed: dict[int, tuple[Answer, str]] = field(default_factory=dict)
    """The arguments of every caller of a function whose parameter is followed as an answer."""
    named: dict[int, NameSource] = field(default_factory=dict)
    """Of those reads, the ones this answer's objects give: the call whose URL holds one reads the
    Public id there instead (`urls._bind`), and the two move together or not at all."""

    def follow(self, node: cst.CSTNode, value: Answer) -> None:
        """Record the edits for every read of `value`, held by `node`; raise Unfollowable if one
        read is not understood."""
        if id(node) in self.seen:
            return
        self.seen.add(id(node))
        self.reached[id(node)] = value
        parent = self.bindings.parent(node)
        if parent is None:
            raise Unfollowable("the answer is kept where the codemod cannot see its use")
        if isinstance(parent, cst.Attribute) and parent.value is node:
            self._attribute(parent, value)
        elif isinstance(parent, cst.Subscript) and parent.value is node:
            if value.stage == "list" and _is_slice(parent):
                self.follow(parent, value)  # `items[:40]`: a list of the same objects
                return
            if value.stage == "list" and _is_position(parent):
                self.follow(parent, Answer("object", value.endpoint, value.resource))  # `items[0]`
                return
            key = key_string(parent)
            if key is None:
                raise Unfollowable("the answer is indexed by a computed key")
            self._read(node, parent, key[0], key[1], value)
        elif isinstance(parent, cst.Expr):
            return  # the answer is dropped
        elif isinstance(parent, cst.Assign) and parent.value is node:
            for target in parent.targets:
                self._bind(target.target, value)
        elif (
            isinstance(parent, cst.AugAssign)
            and parent.value is node
            and isinstance(parent.operator, cst.AddAssign)
            and isinstance(parent.target, cst.Name)
            and value.stage == "list"
        ):
            for load in self.bindings.loads_of_list(parent.target, parent):  # `pages += items`, as extend
                self.follow(load, value)
        elif isinstance(parent, cst.Return):
            self._returned(parent, value)
        elif isinstance(parent, cst.For | cst.CompFor) and parent.iter is node:
            self._iterated(parent.target, value)
        elif isinstance(parent, cst.If | cst.While | cst.IfExp) and parent.test is node:
            return  # a truth test means the same on both APIs
        elif isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not):
            return
        elif isinstance(parent, cst.Arg):
            self._argument(parent, value)
        elif isinstance(parent, cst.Element | cst.StarredElement):
            raise Unfollowable("the answer is put into a collection")
        else:
            kind = type(parent).__name__
            raise Unfollowable(f"the answer is used in {'an' if kind[0] in 'AEIOU' else 'a'} {kind}")

    # --- the forms of a use ------------------------------------------------------------------------

    def _attribute(self, attribute: cst.Attribute, value: Answer) -> None:
        name = attribute.attr.value
        call = self.bindings.parent(attribute)
        called = isinstance(call, cst.Call) and call.func is attribute
        if value.stage == "response":
            if name == "json" and called and isinstance(call, cst.Call) and not call.args:
                if not self.answer_read:
                    raise Unfollowable(_unreadable(value.endpoint))
                self.follow(call, self.body_of(value.endpoint))
                return
            if (name in _CHECKS and called) or name in _SAME_ON_BOTH:
                return
            raise Unfollowable(f"the response's `{name}` differs between the APIs")
        if (
            name == "get"
            and isinstance(call, cst.Call)
            and called
            and value.stage in ("body", "object")
            and 1 <= len(call.args) <= 2
            and isinstance(call.args[0].value, cst.SimpleString)
        ):
            key_node = call.args[0].value
            key = string_value(key_node)
            if key is not None:
                self._read(attribute.value, call, key, key_node, value)
                return
        raise Unfollowable(f"`.{name}` is called on the answer")

    def body_of(self, endpoint: Endpoint) -> Answer:
        """The decoded JSON answer of `endpoint`."""
        if endpoint.operation == "list" and endpoint.list_key:
            return Answer("body", endpoint, endpoint.resource, ("data",))
        resource = self.api.resource(endpoint.resource) if endpoint.resource else None
        if resource is None or endpoint.operation not in ("get", "create", "update", "custom"):
            raise Unfollowable(f"the answer of {endpoint.method} {endpoint.path} has no Public counterpart to read")
        if resource.data_key is not None and endpoint.operation != "custom":
            return Answer("object", endpoint, endpoint.resource, ("data", resource.data_key))
        operation = self._twin(endpoint)
        fields = {(item.public or "").split(".")[0] for item in resource.field}
        if operation is None or not operation.data or not {key.rstrip("?") for key in operation.data} <= fields:
            raise Unfollowable(f"the answer of {endpoint.method} {endpoint.path} has no Public counterpart to read")
        return Answer("object", endpoint, endpoint.resource, ("data",))  # the fields sit in `data` itself

    def _read(self, base: cst.CSTNode, read: cst.CSTNode, key: str, key_node: cst.SimpleString, value: Answer) -> None:
        endpoint = value.endpoint
        if value.stage == "response":
            raise Unfollowable(_unreadable(endpoint))
        if value.stage == "body":
            if key == endpoint.list_key:
                public_key = self._public_list_key(endpoint)
                self._rename(base, key_node, (*value.prefix, public_key))
                self.follow(read, Answer("list", endpoint, value.resource))
                return
            pagination = self.api.protocol["config"]["pagination"]
            if key == pagination["next_field"]:
                public = self.api.protocol["public"]["pagination"]
                keys = [*value.prefix, "pagination"]
                end = pagination["end_value"]
                self.edits.append(
                    Edit(FIXER, read, lambda node: _next_cursor(node, keys, public["next"], end, key_node.quote))
                )
                return
            raise Unfollowable(f"the list answer's `{key}` has no Public counterpart")
        if value.stage != "object" or value.resource is None:
            raise Unfollowable(f"`{key}` is read from a list")
        if key in self.left_out and value.resource == endpoint.resource:
            raise Unfollowable(f"`{key}` comes from another Public read, which the codemod does not merge")
        resource = self.api.resource(value.resource)
        found = resource.by_config(key, answered=True)
        if found is not None and found.config_from is not None:
            template = found.config_from
            self.edits.append(Edit(FIXER, read, lambda node: _rebuilt(node, template, value.prefix, key_node.quote)))
            return
        if found is None or found.drop or found.public is None or found.direction == "request":
            raise Unfollowable(f"the Public {value.resource.replace('_', ' ')} has no `{key}`")
        public_keys = (*value.prefix, *found.public.split("."))
        if found.transform is None:
            self._rename(base, key_node, public_keys)
            return
        if (
            found.type == "name"
            and found.kind is not None
            and id(read) in self.name_paths
            and isinstance(read, cst.Subscript)
            and isinstance(read.value, cst.Name)  # the new URL re-reads it: no other edit may be inside
            and found.kind in self.api.kinds
        ):  # a resource name reused as a path: that call's URL is rewritten to the Public id
            id_keys = (*value.prefix, self.api.kinds[found.kind].public_field)
            self.named[id(read)] = NameSource(read.value, id_keys, found.kind, key_node.quote)
            return
        decoder = self._json_decoded(read)
        if found.transform == "json_string" and decoder is not None:  # `json.loads(x["output"])`
            optional = self._optional(endpoint, public_keys[len(value.prefix)]) if value.prefix == ("data",) else False
            quote = key_node.quote
            self.edits.append(Edit(FIXER, decoder, lambda node: _decoded(node, public_keys, optional, quote)))
            return
        outer = self._last_part(read)
        if found.transform in ("name_to_slug", "name_to_id") and outer is not None:
            kind = self.api.kinds.get(found.kind or "")
            if found.last_part is not None:
                public_keys = (*value.prefix, *found.last_part.split("."))
            if found.last_part or found.transform == "name_to_slug" or (kind is not None and kind.same_id):
                self._rename(base, key_node, public_keys)
                self.edits.append(Edit(FIXER, outer, _drop_last_part))
                return
        raise Unfollowable(f"the value of `{key}` differs on the Public API ({found.transform})")

    def _twin(self, endpoint: Endpoint) -> PublicOperation | None:
        """The Public operation whose answer stands for the Config answer (the first step's)."""
        step = endpoint.public[0]
        return self.api.public_operation(step.method, step.path)

    def _public_list_key(self, endpoint: Endpoint) -> str:
        key = self.api.public_list_key(endpoint)
        if key is None:
            step = endpoint.public[0]
            raise Unfollowable(f"the Public answer of {step.method} {step.path} has no single list")
        return key

    def _json_decoded(self, read: cst.CSTNode) -> cst.Call | None:
        """`json.loads(read)`, the call, when `read` is its only argument: a field the Config API
        sends as a JSON string and the Public API as the value itself."""
        argument = self.bindings.parent(read)
        call = self.bindings.parent(argument) if argument is not None else None
        return call if isinstance(call, cst.Call) and sole_argument(call, "json.loads") is read else None

    def _optional(self, endpoint: Endpoint, key: str) -> bool:
        """Whether the Public answer may leave `key` out of its data (`result?` in the map)."""
        operation = self._twin(endpoint)
        return operation is not None and f"{key}?" in operation.data

    def _last_part(self, read: cst.CSTNode) -> cst.Subscript | None:
        """`read.split("/")[-1]` (or `rsplit("/", 1)[-1]`): the outer subscript, else None."""
        attribute = self.bindings.parent(read)
        call = self.bindings.parent(attribute) if attribute is not None else None
        outer = self.bindings.parent(call) if call is not None else None
        if (
            isinstance(call, cst.Call)
            and _is_split_on_a_string(call)
            and string_value(call.args[0].value) == "/"
            and isinstance(outer, cst.Subscript)
            and _is_minus_one_index(outer)
        ):
            return outer
        return None

    def _rename(self, base: cst.CSTNode, key_node: cst.SimpleString, public_keys: tuple[str, ...]) -> None:
        *wrap, last = public_keys
        quote = key_node.quote
        if wrap:
            self.edits.append(Edit(FIXER, base, lambda node: subscript_chain(node, wrap, quote)))
        if string_value(key_node) != last:
            self.edits.append(Edit(FIXER, key_node, lambda _node: cst.SimpleString(f"{quote}{last}{quote}")))

    def _bind(self, target: cst.BaseAssignTargetExpression, value: Answer) -> None:
        if not isinstance(target, cst.Name):
            raise Unfollowable("the answer is unpacked or stored on an object")
        for load in self.bindings.loads_of_single(target):
            self.follow(load, value)

    def _iterated(self, target: cst.BaseAssignTargetExpression, value: Answer) -> None:
        if value.stage != "list":
            raise Unfollowable("something other than a list of the answer is iterated")
        self._bind(target, Answer("object", value.endpoint, value.resource))

    def _sort_key(self, call: cst.Call, value: Answer) -> None:
        """`key=lambda item: item["display_name"]`: the lambda reads each object of the list."""
        for arg in call.args:
            if arg.keyword is None or arg.keyword.value != "key":
                continue
            key = arg.value
            if (
                not isinstance(key, cst.Lambda)
                or len(key.params.params) != 1
                or key.params.star_arg is not cst.MaybeSentinel.DEFAULT
            ):
                raise Unfollowable("the answer is sorted by a key the codemod cannot follow")
            assert isinstance(key, cst.Lambda)
            name = key.params.params[0].name.value
            for load in _names_in(key.body, name):
                self.follow(load, Answer("object", value.endpoint, value.resource))

    def _returned(self, statement: cst.Return, value: Answer) -> None:
        for call in self.bindings.calls_of_function_returning(statement):
            self.follow(call, value)

    def _argument(self, argument: cst.Arg, value: Answer) -> None:
        call = self.bindings.parent(argument)
        if not isinstance(call, cst.Call) or argument.keyword is not None:
            raise Unfollowable("the answer is passed by keyword")
        if isinstance(call.func, cst.Name) and call.func.value in _HARMLESS_BUILTINS:
            return
        if value.stage == "list" and _same_items(call, argument):
            self._sort_key(call, value)
            self.follow(call, value)  # `list(items)`, `sorted(items, key=...)`: a list of the same objects
            return
        if (
            value.stage == "list"
            and isinstance(call.func, cst.Attribute)
            and isinstance(call.func.value, cst.Name)
            and call.func.attr.value == "extend"
            and len(call.args) == 1
        ):
            for load in self.bindings.loads_of_list(call.func.value, call):
                self.follow(load, value)
            return
        if self._into_parameter(call, argument, value):
            return
        raise Unfollowable(f"the answer is passed to `{cst.Module([]).code_for_node(call.func)}`")

    def _into_parameter(self, call: cst.Call, argument: cst.Arg, value: Answer) -> bool:
        """`client.get_destinations(source)` on a function of this module whose every caller is
        here: the parameter's reads are followed as the answer, and every caller must pass an
        answer of the same shape there (checked once all reads are followed: `unproven_callers`)."""
        found = self.bindings.called_function(call)
        if found is None or any(arg.star for arg in call.args):
            return False
        function, offset = found
        positional = [arg for arg in call.args if arg.keyword is None]
        position = next(index for index, arg in enumerate(positional) if arg is argument)
        params = [*function.params.posonly_params, *function.params.params]
        if offset + position >= len(params):
            return False
        param = params[offset + position]
        try:
            callers = self.bindings.calls_of(function)
        except Refused:
            return False
        try:
            passed = self.bindings.arguments_for(function, param, callers)
        except NotSimple as error:
            raise Unfollowable(str(error)) from None
        for node in passed:
            self.passed[id(node)] = (value, function.name.value)
        for load in self.bindings.loads_of_single(param.name):
            self.follow(load, value)
        return True

    def unproven_callers(self) -> str | None:
        """Why a function whose parameter was followed as an answer may be passed something else."""
        for node_id, (value, name) in self.passed.items():
            if self.reached.get(node_id) != value:
                return f"`{name}` is also called with something other than this answer"
        return None


SAME_ITEMS = frozenset({"list", "sorted", "reversed", "tuple"})
"""Builtins that give back the items of the list they are passed, in some order."""


def _same_items(call: cst.Call, argument: cst.Arg) -> bool:
    positional = [arg for arg in call.args if arg.keyword is None]
    keywords = {arg.keyword.value for arg in call.args if arg.keyword is not None}
    return (
        isinstance(call.func, cst.Name)
        and call.func.value in SAME_ITEMS
        and positional == [argument]
        and keywords <= ({"key", "reverse"} if call.func.value == "sorted" else set())
    )


def _names_in(node: cst.CSTNode, name: str) -> list[cst.Name]:
    """The reads of `name` within an expression (a lambda's body: no binding in it can shadow it)."""
    found: list[cst.Name] = []
    for current in descendants(node):
        if isinstance(current, cst.Name) and current.value == name:
            found.append(current)
        elif isinstance(current, cst.Lambda | cst.ListComp | cst.SetComp | cst.DictComp | cst.GeneratorExp):
            raise Unfollowable("the answer is sorted by a key the codemod cannot follow")
    return found


def _is_slice(subscript: cst.Subscript) -> bool:
    return len(subscript.slice) == 1 and isinstance(subscript.slice[0].slice, cst.Slice)


def _is_position(subscript: cst.Subscript) -> bool:
    """`[0]` or `[-1]`: one item of a list."""
    if len(subscript.slice) != 1 or not isinstance(subscript.slice[0].slice, cst.Index):
        return False
    index = subscript.slice[0].slice.value
    if isinstance(index, cst.UnaryOperation) and isinstance(index.operator, cst.Minus):
        index = index.expression
    return isinstance(index, cst.Integer)


def _next_cursor(node: cst.CSTNode, keys: list[str], next_key: str, end: str, quote: str) -> cst.CSTNode:
    """`body["next_page_token"]` (or `.get(...)`) to `(body["data"]["pagination"].get("next") or "")`:
    the Public API leaves `next` out (or null) on the last page, where the Config API said ""."""
    base = node.value if isinstance(node, cst.Subscript) else node.func.value  # type: ignore[attr-defined]
    lookup = cst.Call(
        func=cst.Attribute(value=subscript_chain(base, keys, quote), attr=cst.Name("get")),
        args=[cst.Arg(cst.SimpleString(f"{quote}{next_key}{quote}"))],
    )
    either = cst.BooleanOperation(lookup, cst.Or(), cst.SimpleString(f"{quote}{end}{quote}"))
    return either.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def _rebuilt(node: cst.CSTNode, template: str, prefix: tuple[str, ...], quote: str) -> cst.CSTNode:
    """A read of a field whose Config value is written from Public fields: `x["catalog_name"]` to
    `("catalog/sources/" + x["metadata"]["slug"])`. Concatenation, not an f-string: the read may sit
    inside an f-string already."""
    if isinstance(node, cst.Subscript):
        base = node.value
    else:
        assert isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)
        base = node.func.value
    pieces: list[cst.BaseExpression] = []
    for literal, field_path in _template_parts(template):
        if literal:
            pieces.append(cst.SimpleString(f"{quote}{literal}{quote}"))
        if field_path:
            pieces.append(subscript_chain(base, [*prefix, *field_path.split(".")], quote))
    result = pieces[0]
    for piece in pieces[1:]:
        result = cst.BinaryOperation(result, cst.Add(), piece)
    return result.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()]) if len(pieces) > 1 else result


def _template_parts(template: str) -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = []
    for chunk in template.split("{"):
        field_path, _, literal = chunk.partition("}") if "}" in chunk else ("", "", chunk)
        parts.append(("", field_path) if field_path else (literal, ""))
        if field_path and literal:
            parts.append((literal, ""))
    return parts


def _decoded(node: cst.CSTNode, public_keys: tuple[str, ...], optional: bool, quote: str) -> cst.CSTNode:
    """`json.loads(x["output"])` to `x["data"]["result"]`, or to `x["data"].get("result")` when the
    Public answer may leave it out (the Config API then sent the JSON `null`)."""
    assert isinstance(node, cst.Call)
    read = node.args[0].value
    if isinstance(read, cst.Subscript):
        base = read.value
    else:
        assert isinstance(read, cst.Call) and isinstance(read.func, cst.Attribute)
        base = read.func.value
    *wrap, last = public_keys
    holder = subscript_chain(base, wrap, quote)
    key = cst.SimpleString(f"{quote}{last}{quote}")
    if optional:
        return cst.Call(func=cst.Attribute(value=holder, attr=cst.Name("get")), args=[cst.Arg(key)])
    return subscript_chain(holder, [last], quote)


def _drop_last_part(node: cst.CSTNode) -> cst.CSTNode:
    """`x[...].split("/")[-1]` to `x[...]`: the Public field already holds the last part."""
    assert isinstance(node, cst.Subscript) and isinstance(node.value, cst.Call)
    assert isinstance(node.value.func, cst.Attribute)
    return node.value.func.value


def _unreadable(endpoint: Endpoint) -> str:
    """Why the answer of a call whose Public twin does not answer as it did cannot be read."""
    if endpoint.method == "GET":
        return "the Config answer is made of several Public calls' answers, so it cannot be read the same way"
    return "the Public write answers a status only, so its answer cannot be read the same way"


def reads(
    api: ApiMap,
    bindings: Bindings,
    call: cst.Call,
    endpoint: Endpoint,
    answer_read: bool = True,
    start: Literal["response", "body"] = "response",
    name_paths: frozenset[int] = frozenset(),
    left_out: frozenset[str] = frozenset(),
) -> tuple[list[Edit], dict[int, NameSource]]:
    """The edits that make every read of `call`'s answer read the Public answer, and the names it
    gives to other calls' paths (`Follower.named`). `start` is what the call returns: the HTTP
    response, or (a helper's call) the decoded JSON."""
    follower = Follower(api, bindings, answer_read, name_paths, left_out)
    if start == "body":
        if not answer_read:
            follower.follow(call, Answer("response", endpoint, None))  # only dropping it is allowed
        else:
            follower.follow(call, follower.body_of(endpoint))
    else:
        follower.follow(call, Answer("response", endpoint, endpoint.resource))
    unproven = follower.unproven_callers()
    if unproven is not None:
        raise Unfollowable(unproven)
    return follower.edits, follower.named


def checked_and_returned(bindings: Bindings, call: cst.Call) -> None:
    """A helper's own call: its response is only checked (`raise_for_status()`) and returned as
    `.json()`, directly or through a variable bound once. Else Unfollowable."""
    parent = bindings.parent(call)
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
        uses: list[cst.CSTNode] = list(bindings.loads_of_single(parent.targets[0].target))
    else:
        uses = [call]
    returned = False
    for use in uses:
        attribute = bindings.parent(use)
        invoked = bindings.parent(attribute) if attribute is not None else None
        if not (isinstance(attribute, cst.Attribute) and isinstance(invoked, cst.Call) and invoked.func is attribute):
            raise Unfollowable("the helper uses the response other than to check it and return its JSON")
        holder = bindings.parent(invoked)
        if attribute.attr.value == "raise_for_status" and isinstance(holder, cst.Expr):
            continue
        if attribute.attr.value == "json" and not invoked.args and isinstance(holder, cst.Return):
            returned = True
            continue
        raise Unfollowable("the helper uses the response other than to check it and return its JSON")
    if not returned:
        raise Unfollowable("the helper does not return the answer's JSON")
