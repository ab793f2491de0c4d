"""Typed shape of the map files. Each model mirrors one kind of entry; cross-entry checks live in
`loader.py`, which knows the other files."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Placeholder(Strict):
    segment: str
    describe: str
    short: str
    multi: bool = False

    @field_validator("segment")
    @classmethod
    def _compiles(cls, value: str) -> str:
        re.compile(value)
        return value


class IdKind(Strict):
    config_pattern: str
    public_field: str
    match_by: str
    confidence: Confidence
    choice: str | None = None
    may_be_ambiguous: bool = False
    same_id: bool = False

    @model_validator(mode="after")
    def _uncertain_has_choice(self) -> IdKind:
        if self.confidence == "uncertain" and not self.choice:
            raise ValueError("an uncertain entry needs a `choice`")
        return self


class PublicStep(Strict):
    method: Method
    path: str
    bind: dict[str, str] = Field(default_factory=dict)
    query: dict[str, str] = Field(default_factory=dict)
    body: str | None = None
    body_fields: dict[str, str] = Field(default_factory=dict)
    when: str | None = None
    each: str | None = None
    """`body:<field>`: one call per entry of that Config body field (a map's entries, a list's items)."""
    tolerate: list[int] = Field(default_factory=list)
    """Statuses that mean the step's work is already done (a label that exists answers 409)."""
    supplies: list[str] = Field(default_factory=list)
    """Of a read in a sequence of reads: the Config fields of the answer only this read gives. Code
    that reads none of them needs the other reads alone (the codemods rewrite it to those)."""

    @field_validator("path")
    @classmethod
    def _absolute(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError(f"Public path {value!r} must start with '/'")
        return value

    @field_validator("body")
    @classmethod
    def _known_body(cls, value: str | None) -> str | None:
        if value is not None and value not in STEP_BODIES:
            raise ValueError(f"body {value!r} is not one of {sorted(STEP_BODIES)}")
        return value

    @field_validator("each")
    @classmethod
    def _each_from_body(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("body:"):
            raise ValueError(f"each = {value!r} must name a Config body field: body:<field>")
        return value

    @field_validator("bind", "query", "body_fields")
    @classmethod
    def _expressions(cls, value: dict[str, str]) -> dict[str, str]:
        for name, expression in value.items():
            if not EXPRESSION.match(expression):
                raise ValueError(f"{name} = {expression!r} is not a value expression")
        return value

    @property
    def placeholders(self) -> list[str]:
        return placeholders(self.path)


class Endpoint(Strict):
    row: int = Field(ge=1)
    key: str = Field(pattern=r"^[a-z_]+\.[a-z_]+$")
    family: str
    method: Method
    path: str
    operation: Literal["list", "get", "create", "update", "delete", "custom"]
    auth: Literal["bearer", "basic"] = "bearer"
    list_key: str | None = None
    pagination: Literal["page_token", "none"] | None = None
    body_key: str | None = None
    resource: str | None = None
    translation: Literal["direct", "sequence", "loop", "conditional", "none"]
    loop: str | None = None
    automation: Literal["auto", "partial", "manual"]
    confidence: Confidence
    choice: str | None = None
    notes: list[str] = Field(default_factory=list)
    manual_reason: str | None = None
    no_twin_reason: str | None = None
    manual_step: str | None = None
    public: list[PublicStep] = Field(default_factory=list)

    @field_validator("path")
    @classmethod
    def _relative(cls, value: str) -> str:
        if value.startswith("/") or value.endswith("/"):
            raise ValueError(f"Config path {value!r} must be relative to /v1beta, without edge slashes")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Endpoint:
        if self.translation == "none":
            if self.public:
                raise ValueError("translation 'none' must not list Public steps")
            if not (self.no_twin_reason and self.manual_step):
                raise ValueError("an endpoint without Public twin needs `no_twin_reason` and `manual_step`")
        else:
            if not self.public:
                raise ValueError(f"translation {self.translation!r} needs at least one Public step")
            if self.translation == "direct" and len(self.public) != 1:
                raise ValueError("translation 'direct' takes exactly one Public step")
            if self.translation == "conditional" and not all(step.when for step in self.public):
                raise ValueError("every step of a conditional translation needs `when`")
        if self.translation == "loop" and not self.loop:
            raise ValueError("translation 'loop' needs `loop` (the body list to iterate)")
        if self.automation == "manual" and self.translation != "none" and not self.manual_reason:
            raise ValueError("a manual endpoint with a Public twin needs `manual_reason`")
        if self.operation == "list" and not (self.list_key and self.pagination):
            raise ValueError("a list endpoint needs `list_key` and `pagination`")
        if self.confidence == "uncertain" and not (self.choice or self.manual_reason or self.no_twin_reason):
            raise ValueError("an uncertain endpoint needs a `choice` (what this project does about it)")
        return self

    @property
    def placeholders(self) -> list[str]:
        return placeholders(self.path)

    @property
    def has_twin(self) -> bool:
        return self.translation != "none"


class Field_(Strict):
    """One field of a resource table (named with a trailing underscore to keep pydantic's `Field`)."""

    config: str
    public: str | None = None
    public_input: str | None = None
    drop: bool = False
    type: Literal["string", "bool", "int", "number", "list", "object", "enum", "timestamp", "name"]
    transform: str | None = None
    kind: str | None = None
    enum: str | None = None
    items: str | None = None
    aliases: list[str] = Field(default_factory=list)
    direction: Literal["both", "request", "response"] = "both"
    confidence: Confidence = "confirmed"
    last_part: str | None = None
    """For a resource name: the Public field holding its last part, where that is not `public`."""
    config_from: str | None = None
    """The Config value rebuilt from Public fields, `{dotted.public.field}` placeholders: where a
    value differs between the APIs but the Config one can be written from the Public object."""
    note: str | None = None

    def config_value(self, public: dict[str, object]) -> str | None:
        """The Config value `config_from` writes from a Public object; None when it names a field
        the object lacks."""
        if self.config_from is None:
            return None
        missing = False

        def value(match: re.Match[str]) -> str:
            nonlocal missing
            found: object = public
            for key in match.group(1).split("."):
                found = found.get(key) if isinstance(found, dict) else None
            missing = missing or found is None
            return str(found)

        text = _PLACEHOLDER.sub(value, self.config_from)
        return None if missing else text

    @model_validator(mode="after")
    def _consistent(self) -> Field_:
        if self.drop == bool(self.public):
            raise ValueError("a field has either `public` or `drop = true`")
        if self.transform is not None and self.transform not in TRANSFORMS:
            raise ValueError(f"transform {self.transform!r} is not one of {sorted(TRANSFORMS)}")
        if self.transform == "enum" and not self.enum:
            raise ValueError("transform 'enum' needs `enum`")
        if self.transform in {"name_to_slug", "name_to_id"} and not self.kind:
            raise ValueError(f"transform {self.transform!r} needs `kind`")
        if self.transform == "items" and not self.items:
            raise ValueError("transform 'items' needs `items` (the item resource)")
        if self.confidence == "uncertain" and not self.note:
            raise ValueError("an uncertain field needs a `note` recording the choice")
        return self

    @property
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


class Resource(Strict):
    body_key: str | None = None
    data_key: str | None = None
    field: list[Field_] = Field(default_factory=list)

    def by_config(self, name: str, answered: bool = False) -> Field_ | None:
        """The field a Config key names. With `answered`, where the key is spelled once each way
        (one field for the request, one for the answer), the answer's."""
        matches = [item for item in self.field if name in item.spellings]
        if answered:
            matches.sort(key=lambda item: item.direction == "request")
        return matches[0] if matches else None


class EnumMap(Strict):
    confidence: Confidence
    note: str | None = None
    one_to_one: bool
    values: dict[str, str]
    aliases: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> EnumMap:
        if self.one_to_one and len(set(self.values.values())) != len(self.values):
            raise ValueError("`one_to_one` map has two Config values with the same Public value")
        for alias, target in self.aliases.items():
            if target not in self.values:
                raise ValueError(f"alias {alias!r} points at {target!r}, which is not a Config value")
        return self

    def to_public(self, value: str) -> str:
        canonical = self.aliases.get(value, value)
        return self.values[canonical]

    def to_config(self, value: str) -> str:
        for config_value, public_value in self.values.items():
            if public_value == value:
                return config_value
        raise KeyError(value)


class PublicOperation(Strict):
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


class ModelField(Strict):
    name: str
    type: str
    required: bool
    enum: list[str] | None = None


class PublicModel(Strict):
    fields: list[ModelField] = Field(default_factory=list)
    one_of: list[str] = Field(default_factory=list)


class WrapperChain(Strict):
    chain: str = Field(pattern=r"^[a-z_]+(\(\))?(\.[a-z_]+(\(\))?)*$")
    endpoint: str
    broken: str | None = None

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(self.chain.split("."))
