"""Typed shape of the map files. Each model mirrors one kind of entry; cross-entry checks live in
`loader.py`, which knows the other files.

The models are plain frozen dataclasses: pydantic checks the TOML against them (types, literals,
unknown keys refused, each entry's own rules in `__post_init__`) when a map is first loaded. The
packaged map ships validated, and any other is kept in the cache once validated, so a run reads it
back without importing pydantic at all (a tenth of a second at every start)."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from typing import dataclass_transform
else:  # the compatibility layer carries this module into code that may run on Python 3.8

    def dataclass_transform(**_options: Any) -> Any:
        return lambda decorated: decorated


Confidence = Literal["confirmed", "likely", "uncertain"]
Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

TRANSFORMS = frozenset(
    {
        "name_to_slug",
        "name_to_id",
        "config_to_settings",
        "json_string",
        "rules_document",
        "attributes_to_subjects",
        "filter_fields",
        "source_ref_or_omit",
        "labels_map_to_list",
        "enum",
        "items",
        "logos",
    }
)
STEP_BODIES = frozenset({"resource", "rules", "labels", "label"})
_PLACEHOLDER = re.compile(r"\{([\w.]+)\}")
EXPRESSION = re.compile(r"^(id|path|body|query|step|item|const)(?::(.*))?$")


def placeholders(template: str) -> list[str]:
    return PLACEHOLDER.findall(template)


def camel(name: str) -> str:
    """lowerCamelCase of a snake_case name, segment by segment for dotted paths."""
    return ".".join(
        part.split("_")[0] + "".join(w[:1].upper() + w[1:] for w in part.split("_")[1:]) for part in name.split(".")
    )


_Entry = TypeVar("_Entry")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def _entry(cls: type[_Entry]) -> type[_Entry]:
    """One kind of map entry: a frozen dataclass whose keys pydantic checks, refusing unknown ones."""
    cls.__pydantic_config__ = {"extra": "forbid"}  # type: ignore[attr-defined]
    return dataclass(frozen=True)(cls)


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


@_entry
class Placeholder:
    segment: str
    describe: str
    short: str
    multi: bool = False

    def __post_init__(self) -> None:
        try:
            re.compile(self.segment)
        except re.error as error:
            raise ValueError(f"segment {self.segment!r} is not a regular expression: {error}") from None


@_entry
class IdKind:
    config_pattern: str
    public_field: str
    match_by: str
    confidence: Confidence
    choice: str | None = None
    may_be_ambiguous: bool = False
    same_id: bool = False

    def __post_init__(self) -> None:
        _check(self.confidence != "uncertain" or bool(self.choice), "an uncertain entry needs a `choice`")


@_entry
class PublicStep:
    method: Method
    path: str
    bind: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    body_fields: dict[str, str] = field(default_factory=dict)
    when: str | None = None
    each: str | None = None
    """`body:<field>`: one call per entry of that Config body field (a map's entries, a list's items).
    `answer:<key>`: one call per item of the previous call's answer list `<key>`, made once it has
    answered; `item:<field>` is then that item's field (a tracking plan's id, to read its rules)."""
    tolerate: list[int] = field(default_factory=list)
    """Statuses that mean the step's work is already done (a label that exists answers 409)."""
    supplies: list[str] = field(default_factory=list)
    """Of a read in a sequence of reads: the Config fields of the answer only this read gives. Code
    that reads none of them needs the other reads alone (the codemods rewrite it to those)."""

    def __post_init__(self) -> None:
        _check(self.path.startswith("/"), f"path: Public path {self.path!r} must start with '/'")
        _check(
            self.body is None or self.body in STEP_BODIES, f"body: {self.body!r} is not one of {sorted(STEP_BODIES)}"
        )
        _check(
            self.each is None or self.each.startswith(("body:", "answer:")),
            f"each = {self.each!r} must name a Config body field (body:<field>) or an answer list (answer:<key>)",
        )
        for table in (self.bind, self.query, self.body_fields):
            for name, expression in table.items():
                _check(bool(EXPRESSION.match(expression)), f"{name} = {expression!r} is not a value expression")

    @property
    def placeholders(self) -> list[str]:
        return placeholders(self.path)


_KEY = re.compile(r"^[a-z_]+\.[a-z_]+$")


@_entry
class Endpoint:
    row: int
    key: str
    family: str
    method: Method
    path: str
    operation: Literal["list", "get", "create", "update", "delete", "custom"]
    translation: Literal["direct", "sequence", "loop", "conditional", "none"]
    automation: Literal["auto", "partial", "manual"]
    confidence: Confidence
    auth: Literal["bearer", "basic"] = "bearer"
    list_key: str | None = None
    pagination: Literal["page_token", "none"] | None = None
    body_key: str | None = None
    resource: str | None = None
    loop: str | None = None
    choice: str | None = None
    notes: list[str] = field(default_factory=list)
    manual_reason: str | None = None
    no_twin_reason: str | None = None
    manual_step: str | None = None
    empty_answer: bool = False
    """The Config API answers `{}` (as every delete does): no Public answer is passed on."""
    public: list[PublicStep] = field(default_factory=list)

    def __post_init__(self) -> None:
        _check(self.row >= 1, f"row: {self.row} is not a row number (1 or more)")
        _check(bool(_KEY.match(self.key)), f"key: {self.key!r} is not `family.operation` in snake_case")
        _check(
            not (self.path.startswith("/") or self.path.endswith("/")),
            f"path: Config path {self.path!r} must be relative to /v1beta, without edge slashes",
        )
        if self.translation == "none":
            _check(not self.public, "translation 'none' must not list Public steps")
            _check(
                bool(self.no_twin_reason and self.manual_step),
                "an endpoint without Public twin needs `no_twin_reason` and `manual_step`",
            )
        else:
            _check(bool(self.public), f"translation {self.translation!r} needs at least one Public step")
            _check(
                self.translation != "direct" or len(self.public) == 1,
                "translation 'direct' takes exactly one Public step",
            )
            _check(
                self.translation != "conditional" or all(step.when for step in self.public),
                "every step of a conditional translation needs `when`",
            )
        _check(
            self.translation != "loop" or bool(self.loop), "translation 'loop' needs `loop` (the body list to iterate)"
        )
        _check(
            self.automation != "manual" or self.translation == "none" or bool(self.manual_reason),
            "a manual endpoint with a Public twin needs `manual_reason`",
        )
        _check(
            self.operation != "list" or bool(self.list_key and self.pagination),
            "a list endpoint needs `list_key` and `pagination`",
        )
        _check(
            self.confidence != "uncertain" or bool(self.choice or self.manual_reason or self.no_twin_reason),
            "an uncertain endpoint needs a `choice` (what this project does about it)",
        )

    @property
    def placeholders(self) -> list[str]:
        return placeholders(self.path)

    @property
    def has_twin(self) -> bool:
        return self.translation != "none"


@_entry
class Field_:  # the trailing underscore keeps it apart from dataclasses' `field`
    """One field of a resource table."""

    config: str
    type: Literal["string", "bool", "int", "number", "list", "object", "enum", "timestamp", "name"]
    public: str | None = None
    public_input: str | None = None
    drop: bool = False
    transform: str | None = None
    kind: str | None = None
    enum: str | None = None
    items: str | None = None
    aliases: list[str] = field(default_factory=list)
    direction: Literal["both", "request", "response"] = "both"
    confidence: Confidence = "confirmed"
    last_part: str | None = None
    """For a resource name: the Public field holding its last part, where that is not `public`."""
    config_from: str | None = None
    """The Config value rebuilt from Public fields, `{dotted.public.field}` placeholders: where a
    value differs between the APIs but the Config one can be written from the Public object."""
    fill: str | None = None
    """The value (JSON text) Config answers carry where the Public object has none to give: always
    for a dropped field, else when the Public object leaves the field out. So code that reads the
    key finds it: a recorded choice."""
    note: str | None = None

    def __post_init__(self) -> None:
        _check(self.drop != bool(self.public), "a field has either `public` or `drop = true`")
        _check(self.fill is None or _is_json(self.fill), "`fill` is JSON text")
        _check(
            self.transform is None or self.transform in TRANSFORMS,
            f"transform {self.transform!r} is not one of {sorted(TRANSFORMS)}",
        )
        _check(self.transform != "enum" or bool(self.enum), "transform 'enum' needs `enum`")
        _check(
            self.transform not in {"name_to_slug", "name_to_id"} or bool(self.kind),
            f"transform {self.transform!r} needs `kind`",
        )
        _check(self.transform != "items" or bool(self.items), "transform 'items' needs `items` (the item resource)")
        _check(
            self.confidence != "uncertain" or bool(self.note), "an uncertain field needs a `note` recording the choice"
        )

    def config_value(self, public: dict[str, object]) -> str | None:
        """The Config value `config_from` writes from a Public object; None when it names a field
        the object lacks."""
        if self.config_from is None:
            return None
        parts: list[str] = []
        for text, path in self._config_from_parts:
            parts.append(text)
            if path:
                found: object = public
                for key in path:
                    found = found.get(key) if isinstance(found, dict) else None
                if found is None:
                    return None
                parts.append(str(found))
        return "".join(parts)

    @functools.cached_property  # read for every object of every answer the translator shapes
    def _config_from_parts(self) -> list[tuple[str, tuple[str, ...]]]:
        """`config_from` as (literal text, the Public path of the placeholder after it) pairs."""
        text = self.config_from or ""
        parts: list[tuple[str, tuple[str, ...]]] = []
        start = 0
        for match in _PLACEHOLDER.finditer(text):
            parts.append((text[start : match.start()], tuple(match.group(1).split("."))))
            start = match.end()
        parts.append((text[start:], ()))
        return parts

    @functools.cached_property  # asked for each field of each answer the translator shapes
    def spellings(self) -> list[str]:
        """Every input spelling of the Config field: snake_case, lowerCamelCase, aliases."""
        seen = [self.config]
        for spelling in [camel(self.config), *self.aliases]:
            if spelling not in seen:
                seen.append(spelling)
        return seen

    @property
    def public_request(self) -> str | None:
        return self.public_input or self.public


@_entry
class Resource:
    body_key: str | None = None
    data_key: str | None = None
    public_value: str | None = None
    """Where the Public API lists this resource as bare values (invites: their emails), the field
    each value is."""
    field: list[Field_] = field(default_factory=list)

    def by_config(self, name: str, answered: bool = False) -> Field_ | None:
        """The field a Config key names. With `answered`, where the key is spelled once each way
        (one field for the request, one for the answer), the answer's."""
        matches = list(self._by_spelling.get(name, ()))
        if answered:
            matches.sort(key=lambda item: item.direction == "request")
        return matches[0] if matches else None

    @functools.cached_property  # asked for each key of each object the translator shapes
    def _by_spelling(self) -> dict[str, list[Field_]]:
        index: dict[str, list[Field_]] = {}
        for item in self.field:
            for spelling in item.spellings:
                index.setdefault(spelling, []).append(item)
        return index


@_entry
class EnumMap:
    confidence: Confidence
    one_to_one: bool
    values: dict[str, str]
    note: str | None = None
    aliases: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check(
            not self.one_to_one or len(set(self.values.values())) == len(self.values),
            "`one_to_one` map has two Config values with the same Public value",
        )
        for alias, target in self.aliases.items():
            _check(target in self.values, f"alias {alias!r} points at {target!r}, which is not a Config value")

    def to_public(self, value: str) -> str:
        canonical = self.aliases.get(value, value)
        return self.values[canonical]

    def to_config(self, value: str) -> str:
        for config_value, public_value in self.values.items():
            if public_value == value:
                return config_value
        raise KeyError(value)


@_entry
class PublicOperation:
    method: Method
    path: str
    sdk: str
    query: list[str]
    body: str
    data: list[str]
    status: int
    version: str

    @property
    def placeholders(self) -> list[str]:
        return placeholders(self.path)


@_entry
class ModelField:
    name: str
    type: str
    required: bool
    enum: list[str] | None = None
    any_case: bool = False
    """The enum is matched ignoring case and stored in its listed spelling (Segment's own examples
    spell some values otherwise: `"Block"` on the Public API's overview page)."""


@_entry
class PublicModel:
    fields: list[ModelField] = field(default_factory=list)
    one_of: list[str] = field(default_factory=list)


_CHAIN = re.compile(r"^[a-z_]+(\(\))?(\.[a-z_]+(\(\))?)*$")


@_entry
class WrapperChain:
    chain: str
    endpoint: str
    broken: str | None = None

    def __post_init__(self) -> None:
        _check(bool(_CHAIN.match(self.chain)), f"chain: {self.chain!r} is not a chain of snake_case calls")

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(self.chain.split("."))
