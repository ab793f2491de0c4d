"""Convert objects between their Config and Public shapes, driven by the field tables of the map.

One implementation of every rename, enum map and structural transform in `mappings/fields.toml`,
shared by the emulator (which renders its Config view from Public-shaped state) and the translator
(which rewrites requests and responses). What differs between them, how a resource name becomes
an id and back, comes in through a `Names` object.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, Protocol

from mappings import ApiMap, Field_, Resource, camel, template_pattern

Json = Any
MISSING = object()


class Names(Protocol):
    """Resolves between Config resource names and Public ids for one workspace."""

    def public_id(self, kind: str, config_name: str) -> str | None: ...

    def config_name(self, kind: str, public_id: str) -> str | None: ...


class Context:
    """Per-call facts a conversion needs: the map, a `Names`, and the Config placeholder values in
    scope (`workspace_slug`, `source_slug`, ...) for rebuilding resource names."""

    def __init__(
        self, api: ApiMap, names: Names, params: dict[str, str] | None = None, strict_enums: bool = False
    ) -> None:
        self.api = api
        self.names = names
        self.params = dict(params or {})
        self.strict_enums = strict_enums
        """An enum value the map does not know is an error (the codemods: a value the code computes
        must never slip through an enum), not passed on for the Public API to judge (the proxy)."""

    def with_params(self, **params: str) -> Context:
        return Context(self.api, self.names, {**self.params, **params}, self.strict_enums)

    def setting_type(self, key: str, value: Json) -> str:
        """The Config `type` of a destination config item; by value when the catalog is silent."""
        return _json_type(value)

    def setting_label(self, key: str) -> str:
        return key


def _json_type(value: Json) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):  # a tuple: the compatibility layer carries this to Python 3.9
        return "number"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "map"
    return "string"


# --- dotted paths ---------------------------------------------------------------------------------


def get_path(obj: dict[str, Json], path: str) -> Json:
    current: Json = obj
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            return MISSING
        current = current[part]
    return current


def set_path(obj: dict[str, Json], path: str, value: Json) -> None:
    parts = path.split(".")
    current = obj
    for part in parts[:-1]:
        current = current.setdefault(part, {})
    current[parts[-1]] = value


def config_value(obj: dict[str, Json], field: Field_) -> Json:
    """The value of a Config field under any accepted spelling (snake, camel, aliases)."""
    for spelling in field.spellings:
        value = get_path(obj, spelling)
        if value is not MISSING:
            return value
    return MISSING


# --- names ----------------------------------------------------------------------------------------


def name_pattern(api: ApiMap, kind: str) -> re.Pattern[str]:
    return template_pattern(api.kinds[kind].config_pattern)


def parse_name(api: ApiMap, kind: str, name: str) -> dict[str, str] | None:
    found = name_pattern(api, kind).fullmatch(name.strip("/"))
    return found.groupdict() if found else None


def last_placeholder(api: ApiMap, kind: str) -> str:
    names: list[str] = re.findall(r"\{(\w+)\}", api.kinds[kind].config_pattern)
    return names[-1]


def build_name(api: ApiMap, kind: str, params: dict[str, str]) -> str:
    return api.kinds[kind].config_pattern.format(**params)


# --- structural transforms ------------------------------------------------------------------------


def settings_from_config(items: list[dict[str, Json]]) -> dict[str, Json]:
    """Destination `config` array -> `settings` object, keyed by the last part of each item name."""
    settings: dict[str, Json] = {}
    for item in items:
        name = str(item.get("name", ""))
        key = name.rsplit("/config/", 1)[-1] if "/config/" in name else name.rsplit("/", 1)[-1]
        settings[key] = item.get("value")
    return settings


def settings_to_config(settings: dict[str, Json], destination_name: str, context: Context) -> list[dict[str, Json]]:
    return [
        {
            "name": f"{destination_name}/config/{key}",
            "display_name": context.setting_label(key),
            "value": value,
            "type": context.setting_type(key, value),
        }
        for key, value in settings.items()
    ]


def rules_to_public(api: ApiMap, document: dict[str, Json]) -> list[dict[str, Json]]:
    """A Config tracking-plan `rules` document -> Public typed rules."""
    spec = api.rules["rules_document"]
    rules: list[dict[str, Json]] = []
    for key, rule_type in spec["single"].items():
        schema = document.get(key)
        if schema:
            rules.append({"type": rule_type, "jsonSchema": schema, "version": 1})
    for event in document.get(spec["events_key"], []) or []:
        rules.append(
            {
                "type": spec["list"][spec["events_key"]],
                "key": event.get(spec["event_name"]),
                "jsonSchema": event.get(spec["event_schema"], {}),
                "version": int(event.get(spec["event_version"], spec["default_version"]) or spec["default_version"]),
            }
        )
    return rules


def rules_to_config(api: ApiMap, rules: list[dict[str, Json]], descriptions: dict[str, str] | None = None) -> Json:
    spec = api.rules["rules_document"]
    single = {rule_type: key for key, rule_type in spec["single"].items()}
    document: dict[str, Json] = {key: {} for key in spec["single"]}
    document[spec["events_key"]] = []
    for ignored in spec["ignored"]:
        document[ignored] = []
    for rule in rules:
        if rule["type"] in single:
            document[single[rule["type"]]] = rule.get("jsonSchema") or {}
        elif rule["type"] == spec["list"][spec["events_key"]]:
            document[spec["events_key"]].append(
                {
                    spec["event_name"]: rule.get("key"),
                    "description": (descriptions or {}).get(rule.get("key") or "", ""),
                    spec["event_version"]: rule.get("version", 1),
                    spec["event_schema"]: rule.get("jsonSchema") or {},
                }
            )
    return document


def labels_to_public(labels: dict[str, Json] | None) -> list[dict[str, Json]]:
    """Config labels (a string map) as Public labels (`{key, value}` objects)."""
    return [{"key": key, "value": str(item)} for key, item in (labels or {}).items()]


def filter_fields_to_public(fields: dict[str, Json]) -> dict[str, Json]:
    return {group: list((spec or {}).get("fields", [])) for group, spec in fields.items()}


def filter_fields_to_config(fields: dict[str, Json]) -> dict[str, Json]:
    return {group: {"fields": list(values or [])} for group, values in fields.items()}


# --- the generic conversion -----------------------------------------------------------------------


def _enum_to_public(api: ApiMap, field: Field_, value: Json, context: Context) -> Json:
    if not isinstance(value, str) or not field.enum:
        return value
    enum = api.enums[field.enum]
    try:
        return enum.to_public(value)
    except KeyError:
        if context.strict_enums:
            raise ValueError(f"{value!r} is not a {field.enum.replace('_', ' ')} value") from None
        return value  # the proxy passes an unknown value on and lets the Public API judge it


def _enum_to_config(api: ApiMap, field: Field_, value: Json) -> Json:
    if not isinstance(value, str) or not field.enum:
        return value
    try:
        return api.enums[field.enum].to_config(value)
    except KeyError:
        return value


def to_public(
    resource: str | Resource,
    obj: dict[str, Json],
    context: Context,
    *,
    request: bool = True,
    only: Callable[[Field_], bool] | None = None,
) -> dict[str, Json]:
    """Config object -> Public object. Fields absent from `obj` are absent from the result; dropped
    fields disappear. With `request`, fields use their Public input names."""
    table = context.api.resource(resource) if isinstance(resource, str) else resource
    out: dict[str, Json] = {}
    for field in table.field:
        if field.drop or (only is not None and not only(field)):
            continue
        if request and field.direction == "response":
            continue
        value = config_value(obj, field)
        if value is MISSING:
            continue
        target = (field.public_request if request else field.public) or ""
        converted = _field_to_public(field, value, obj, out, context)
        if converted is not MISSING:
            set_path(out, target, converted)
    return out


def _field_to_public(field: Field_, value: Json, obj: dict[str, Json], out: dict[str, Json], context: Context) -> Json:
    api = context.api
    transform = field.transform  # no `match`: the compatibility layer carries this to Python 3.9
    if transform is None:
        return value
    if transform == "enum":
        return _enum_to_public(api, field, value, context)
    if transform == "name_to_slug":
        assert field.kind
        parsed = parse_name(api, field.kind, str(value))
        return parsed[last_placeholder(api, field.kind)] if parsed else str(value).rsplit("/", 1)[-1]
    if transform == "name_to_id":
        assert field.kind
        found = context.names.public_id(field.kind, str(value).strip("/"))
        return found if found is not None else MISSING
    if transform == "config_to_settings":  # a masked secret read back is never written: the real one stays
        return {key: item for key, item in settings_from_config(value or []).items() if not looks_masked(api, item)}
    if transform == "json_string":
        return json.loads(value) if isinstance(value, str) and value else value
    if transform == "rules_document":
        return rules_to_public(api, value or {})
    if transform == "attributes_to_subjects":
        enum = api.enums[api.rules["attributes_to_subjects"]["type_enum"]]
        name = (value or {}).get("name", "userId")
        out["subjectType"] = enum.to_public(name) if name in enum.values or name in enum.aliases else name
        return list((value or {}).get("values", []))
    if transform == "filter_fields":
        return filter_fields_to_public(value or {})
    if transform == "source_ref_or_omit":
        if not value:
            return MISSING
        slug = str(value).rsplit("/", 1)[-1]
        name = build_name(api, "source", {**context.params, "source_slug": slug})
        found = context.names.public_id("source", name)
        return found if found is not None else value
    if transform == "labels_map_to_list":
        return labels_to_public(value)
    if transform == "items":
        assert field.items
        return [to_public(field.items, item, context) for item in value or []]
    if transform == "logos":
        return {"default": (value or {}).get("logo", ""), "mark": (value or {}).get("mark", "")}
    raise AssertionError(f"unhandled transform {field.transform}")


def filled(table: Resource) -> dict[str, Json]:
    """The values Config answers carry for the fields the Public API has none of (`fill`): in
    every answer for a dropped field, else until the Public object's value replaces it. A new
    object each time (a caller may change it), decoded from the table's fills gathered once."""
    text = _fills.get(id(table))
    if text is None:
        out: dict[str, Json] = {}
        for field in table.field:
            if field.fill is not None and field.direction != "request":
                set_path(out, field.config, json.loads(field.fill))
        text = _fills[id(table)] = json.dumps(out)
    result: dict[str, Json] = json.loads(text)
    return result


_fills: dict[int, str] = {}
"""Each table's fills as one JSON text (the map's tables live as long as the process)."""


def to_config(
    resource: str | Resource,
    obj: dict[str, Json],
    context: Context,
) -> dict[str, Json]:
    """Public object -> Config object (snake_case), for every field the Public object carries."""
    table = context.api.resource(resource) if isinstance(resource, str) else resource
    if table.public_value is not None and not isinstance(obj, dict):
        obj = {table.public_value: obj}  # a bare value of the Public list: the object it stands for
    out: dict[str, Json] = {}
    out.update(filled(table))
    for field in table.field:
        if field.drop or field.direction == "request" or not field.public:
            continue
        value = get_path(obj, field.public)
        if value is MISSING and field.public_input:
            value = get_path(obj, field.public_input)
        if value is MISSING and field.transform != "source_ref_or_omit":
            continue
        converted = _field_to_config(field, value, obj, context)
        if converted is not MISSING:
            set_path(out, field.config, converted)
    return out


def _field_to_config(field: Field_, value: Json, obj: dict[str, Json], context: Context) -> Json:
    api = context.api
    transform = field.transform  # no `match`: the compatibility layer carries this to Python 3.9
    if transform is None:
        return value
    if transform == "enum":
        return _enum_to_config(api, field, value)
    if transform == "name_to_slug":
        assert field.kind
        return build_name(api, field.kind, {**context.params, last_placeholder(api, field.kind): str(value)})
    if transform == "name_to_id":
        assert field.kind
        found = context.names.config_name(field.kind, str(value))
        return found if found is not None else MISSING
    if transform == "config_to_settings":
        destination = build_name(api, "destination", context.params) if "destination_slug" in context.params else ""
        return settings_to_config(value or {}, destination, context)
    if transform == "json_string":
        return json.dumps(value) if not isinstance(value, str) else value
    if transform == "rules_document":
        return rules_to_config(api, value or [])
    if transform == "attributes_to_subjects":
        enum = api.enums[api.rules["attributes_to_subjects"]["type_enum"]]
        subject = str(obj.get("subjectType", "USER_ID"))
        try:
            name: str = enum.to_config(subject)
        except KeyError:
            name = subject
        return {"name": name, "values": list(value or [])}
    if transform == "filter_fields":
        return filter_fields_to_config(value or {})
    if transform == "source_ref_or_omit":
        if value is MISSING or not value:
            return ""
        source_name = context.names.config_name("source", str(value))
        return source_name.rsplit("/", 1)[-1] if source_name else str(value)
    if transform == "labels_map_to_list":
        return {item["key"]: item["value"] for item in value or []}
    if transform == "items":
        assert field.items
        return [to_config(field.items, item, context) for item in value or []]
    if transform == "logos":
        return {"logo": (value or {}).get("default", ""), "mark": (value or {}).get("mark", "")}
    raise AssertionError(f"unhandled transform {field.transform}")


class MaskError(ValueError):
    """An update mask that cannot be read, or names a field the resource does not have."""


def masked_secret(api: ApiMap, value: Json) -> Json:
    """A secret setting as the Public API answers it: the map's rule (`[config_to_settings]`), bullets
    and the last characters of a long enough value."""
    if not isinstance(value, str) or not value:
        return value
    rule = api.rules["config_to_settings"]
    kept = value[-rule["mask_keep_last"] :] if len(value) >= rule["mask_min_length_to_keep"] else ""
    return rule["mask_char"] * rule["mask_bullets"] + kept


def looks_masked(api: ApiMap, value: Json) -> bool:
    """A value carrying the mask character: a masked secret read back, never to be written."""
    return isinstance(value, str) and api.rules["config_to_settings"]["mask_char"] in value


def mask_paths(api: ApiMap, body: Json, key: str | None) -> list[str] | None:
    """The field names an update mask selects, with the `<resource>.` prefix removed; None when the
    request has no mask. Accepted: at top level or nested in the resource, `update_mask` or
    `updateMask`, `{"paths": [...]}` or a bare comma-separated string (choices in protocol.toml)."""
    body = body if isinstance(body, dict) else {}
    inner = body.get(key) if key and isinstance(body.get(key), dict) else {}
    if key and not inner:
        inner = body.get(camel(key)) if isinstance(body.get(camel(key)), dict) else {}
    raw: Json = None
    for holder in (body, inner):
        for spelling in ("update_mask", "updateMask"):
            if spelling in holder:
                raw = holder[spelling]
    if raw is None:
        return None
    paths = raw.get("paths") if isinstance(raw, dict) else raw
    if isinstance(paths, str):
        paths = [part.strip() for part in paths.split(",") if part.strip()]
    if not isinstance(paths, list) or not all(isinstance(path, str) for path in paths):
        raise MaskError("update_mask.paths must be a list of field paths")
    names = []
    for path in paths:
        for prefix in (key + ".", camel(key) + ".") if key else ():
            if path.startswith(prefix):
                path = path[len(prefix) :]
                break
        names.append(path)
    return names


def masked_changes(
    api: ApiMap, resource: str, obj: dict[str, Json], paths: list[str]
) -> dict[str, tuple[Field_, Json]]:
    """The seed page's rule, for each masked path: its value, or the field's zero value when the
    body has none. Values without a path are not looked at: they change nothing."""
    table = api.resource(resource)
    changes: dict[str, tuple[Field_, Json]] = {}
    for path in paths:
        field = table.by_config(path) or table.by_config(path.split(".")[0])
        if field is None or (field.drop and field.direction == "response"):
            raise MaskError(f"invalid update_mask path {path!r} for {resource}")
        value = config_value(obj, field)
        changes[field.config] = (field, zero_value(api, field) if value is MISSING else value)
    return changes


def zero_value(api: ApiMap, field: Field_) -> Json:
    """What a masked path with no value becomes (the seed page's rule)."""
    zeros: dict[str, Json] = api.protocol["config"]["update_mask"]["zero_values"]
    kind = {"timestamp": "string", "name": "string"}.get(field.type, field.type)
    zero = zeros[kind]
    return list(zero) if isinstance(zero, list) else dict(zero) if isinstance(zero, dict) else zero


def first(query: dict[str, list[str]], key: str) -> str | None:
    """The first value of a query parameter, or None."""
    values = query.get(key)
    return values[0] if values else None


def json_diff(before: Any, after: Any) -> str:
    """A unified-style diff of two JSON documents, line by line."""
    import difflib

    old = json.dumps(before, indent=2, sort_keys=True).splitlines()
    new = json.dumps(after, indent=2, sort_keys=True).splitlines()
    return "\n".join(difflib.unified_diff(old, new, "input", "output", lineterm=""))
