"""Config API requests into Public API calls, and Public answers back into Config answers.

Pure functions over the map and a `Names` (an ID map, or the proxy's live lookups): no I/O. A
translation is a plan of Public calls; a value only known once an earlier call has answered (the id
of a plan just created) is a `StepRef`, filled in by whoever runs the plan.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mappings import ApiMap, ConfigMatch, Endpoint, PublicStep, camel, load_map

from . import shapes
from .codec import (
    MISSING,
    Context,
    MaskError,
    Names,
    build_name,
    config_value,
    first,
    get_path,
    json_diff,
    labels_to_public,
    looks_masked,
    mask_paths,
    masked_changes,
    parse_name,
    rules_to_public,
    settings_from_config,
    to_config,
    to_public,
)
from .errors import MigratorError, ambiguous_name, not_found

if TYPE_CHECKING:
    from .idmap import IdMap  # the ID map (and pydantic) load only when a run has one

Json = Any
GENERATED = {"filter", "tracking_plan", "function", "regulation"}
EACH_ITEM = object()
"""The item of a step made once per item of an earlier answer: known only once that has answered."""


class TranslationError(MigratorError):
    """The request cannot be translated as given; `status` and `code` are its Config error."""

    def __init__(self, message: str, status: int = 400, code: int = 3) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class AmbiguousId(TranslationError):
    def __init__(self, kind: str, config_name: str, candidates: list[str]) -> None:
        super().__init__(ambiguous_name(kind, config_name, candidates), 409, 6)
        self.candidates = candidates


class UnknownId(TranslationError):
    """A Config name with no Public object: the Config API's own 404, worded as it words one (code that
    prints or matches the message sees what it saw), whether the ID map or a lookup said so."""

    def __init__(self, kind: str, config_name: str) -> None:
        super().__init__(not_found(kind, config_name), 404, 5)
        self.config_name = config_name


@dataclass(frozen=True)
class StepRef:
    """A value from the `data` of an earlier call's answer."""

    step: int
    path: str
    omit_empty: bool = False

    def __str__(self) -> str:
        return f"<step {self.step + 1}: data.{self.path}>"


@dataclass(frozen=True)
class ConfigRequest:
    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    body: Json = None


@dataclass(frozen=True)
class ItemRef:
    """A field of each item of an earlier call's answer list (see `PublicCall.each`)."""

    field: str

    def __str__(self) -> str:
        return f"<each item's {self.field}>"


@dataclass
class PublicCall:
    method: str
    path: str
    path_params: dict[str, Any]
    query: dict[str, Any]
    body: Json
    purpose: str = ""
    tolerate: tuple[int, ...] = ()
    """Statuses that mean this call's work is already done: the answer is then None."""
    each: tuple[int, str] | None = None
    """(call, key): the call is made once per item of that earlier call's answer list, and its
    answer is the list of theirs (`expand`)."""

    def expand(self, results: list[Json]) -> list[tuple[str, dict[str, Any], Json]]:
        """Path, query and body of each call an `each` call stands for, in the order of the items."""
        assert self.each is not None
        step, key = self.each
        items = (results[step] or {}).get(key) or []
        renderings = []
        for item in items:
            one = PublicCall(
                self.method,
                self.path,
                {
                    name: item[value.field] if isinstance(value, ItemRef) else value
                    for name, value in self.path_params.items()
                },
                {
                    name: item[value.field] if isinstance(value, ItemRef) else value
                    for name, value in self.query.items()
                },
                self.body,
            )
            renderings.append(one.render(results))
        return renderings

    def render(self, results: list[Json]) -> tuple[str, dict[str, Any], Json]:
        """Path, query and body with every `StepRef` filled from earlier answers."""
        path = self.path
        for name, value in self.path_params.items():
            path = path.replace("{" + name + "}", _quote(str(_resolve(value, results))))
        query = {name: _resolve(value, results) for name, value in self.query.items()}
        body = _fill(copy.deepcopy(self.body), results)
        return path, query, body

    def describe(self) -> dict[str, Any]:
        path, query, body = self.path, dict(self.query), self.body
        for name, value in self.path_params.items():
            path = path.replace("{" + name + "}", str(value))
        record: dict[str, Any] = {"method": self.method, "path": path}
        if query:
            record["query"] = {name: _show(value) for name, value in query.items()}
        if body is not None:
            record["body"] = _show(body)
        if self.purpose:
            record["purpose"] = self.purpose
        if self.tolerate:
            record["already_done_on"] = list(self.tolerate)
        return record


def _of(values: dict[str, Any], item: Json) -> dict[str, Any]:
    return {name: item[value.field] if isinstance(value, ItemRef) else value for name, value in values.items()}


@dataclass
class Untranslatable:
    reason: str
    manual_step: str


@dataclass
class Translation:
    endpoint: Endpoint
    params: dict[str, str]
    request: ConfigRequest
    calls: list[PublicCall]
    notes: list[str]
    untranslatable: Untranslatable | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "endpoint": {"key": self.endpoint.key, "method": self.endpoint.method, "path": self.endpoint.path},
            "translation": self.endpoint.translation,
            "automation": self.endpoint.automation,
            "calls": [call.describe() for call in self.calls],
            "notes": self.notes,
        }
        if self.untranslatable:
            data["untranslatable"] = {
                "reason": self.untranslatable.reason,
                "manual_step": self.untranslatable.manual_step,
            }
        return data


# --- names from an ID map ---------------------------------------------------------------------------


class IdMapNames:
    """Names answered from an ID map. An ambiguous entry is an error, never a pick. A generated id
    (tracking plan, filter, function, regulation) that is not in the map is taken as a Public id:
    objects made through the Public API or the proxy have no other."""

    def __init__(self, id_map: IdMap | None, api: ApiMap | None = None) -> None:
        self.id_map = id_map
        self.api = api or load_map()

    def public_id(self, kind: str, config_name: str) -> str | None:
        entry = self.id_map.by_name(kind, config_name) if self.id_map else None
        if entry is not None:
            if entry.status == "ambiguous":
                raise AmbiguousId(kind, config_name, [candidate.public_id for candidate in entry.candidates])
            if entry.public_id:
                return entry.public_id
            raise UnknownId(kind, config_name)
        if kind in GENERATED:
            return config_name.rsplit("/", 1)[-1]
        return None

    def config_name(self, kind: str, public_id: str) -> str | None:
        entry = self.id_map.by_public_id(kind, public_id) if self.id_map else None
        return entry.config_name if entry is not None else None


class SymbolicNames:
    """For translating without an ID map: every id is shown as the Config name it stands for."""

    def public_id(self, kind: str, config_name: str) -> str | None:
        return f"<{kind} id of {config_name}>"

    def config_name(self, kind: str, public_id: str) -> str | None:
        return None


# --- the request side -------------------------------------------------------------------------------


class Translator:
    def __init__(self, names: Names, api: ApiMap | None = None, strict_enums: bool = False) -> None:
        self.api = api or load_map()
        self.names = names
        self.strict_enums = strict_enums

    def translate(self, request: ConfigRequest, match: ConfigMatch | None = None) -> Translation:
        """The Public calls for a Config request. `match`: the request's endpoint, when the caller
        has matched it already (the relay, to refuse a manual one before any id is looked up)."""
        path = request.path
        for host in self.api.protocol["config"]["hosts"]:
            for scheme in ("https://", "http://", ""):
                if path.startswith(scheme + host):
                    path = path[len(scheme + host) :]
        request = ConfigRequest(request.method.upper(), path, request.query, request.body)
        match = match or self.api.match_config(request.method, request.path)
        if match is None:
            if self.api.config_paths_matching(request.path):
                raise TranslationError(f"{request.method} is not a method of {request.path}", 404, 5)
            raise TranslationError(f"{request.method} {request.path} is not a Config API endpoint", 404, 5)
        endpoint = match.endpoint
        notes = list(endpoint.notes)
        if endpoint.translation == "none":
            assert endpoint.no_twin_reason and endpoint.manual_step
            untranslatable = Untranslatable(endpoint.no_twin_reason, endpoint.manual_step)
            return Translation(endpoint, match.params, request, [], notes, untranslatable)
        if endpoint.automation == "manual" and endpoint.manual_reason:
            notes.insert(0, f"manual: {endpoint.manual_reason}")
        if endpoint.choice:
            notes.append(f"choice: {endpoint.choice}")
        context = Context(self.api, self.names, dict(match.params), self.strict_enums)
        calls: list[PublicCall] = []
        index_of: dict[int, int] = {}
        for step_index, step in enumerate(endpoint.public):
            if not self._when(step.when, endpoint, request):
                continue
            index_of[step_index] = len(calls)
            if step.each is not None and step.each.startswith("answer:"):
                call = self._call(match, step, request, context, EACH_ITEM, index_of)
                call.each = (len(calls) - 1, step.each.partition(":")[2])
                calls.append(call)
                continue
            if step.each is not None:
                items = self._entries(endpoint, request, step.each.partition(":")[2])
            else:
                items = self._loop_items(endpoint, request) if endpoint.translation == "loop" else [None]
            for item in items:
                calls.append(self._call(match, step, request, context, item, index_of))
        return Translation(endpoint, match.params, request, calls, notes)

    # --- pieces -----------------------------------------------------------------------------------

    def _when(self, when: str | None, endpoint: Endpoint, request: ConfigRequest) -> bool:
        if when is None:
            return True
        head, _, tail = when.partition(":")
        if head == "mask":
            try:
                paths = mask_paths(self.api, request.body, endpoint.body_key) or []
            except MaskError as error:
                raise TranslationError(str(error)) from None
            prefix = (endpoint.body_key or "") + "."
            wanted = tail[len(prefix) :] if tail.startswith(prefix) else tail
            return any(path == wanted or path.startswith(wanted + ".") or camel(wanted) == path for path in paths)
        if head == "body":
            name, equals, expected = tail.partition("=")
            value = _body_value(request.body, endpoint.body_key, name)
            if not equals:
                return value not in (MISSING, None, "", [], {})
            return str(value).lower() == expected.lower()
        raise TranslationError(f"unknown step condition {when!r}")

    def _loop_items(self, endpoint: Endpoint, request: ConfigRequest) -> list[Json]:
        assert endpoint.loop
        items = _body_value(request.body, None, endpoint.loop.split(":", 1)[1])
        if not isinstance(items, list):
            raise TranslationError(f"{endpoint.loop.split(':', 1)[1]} must be a list")
        return items

    def _entries(self, endpoint: Endpoint, request: ConfigRequest, name: str) -> list[Json]:
        """The entries of a Config body field, one per call: a map's (labels) as Public `{key, value}` objects."""
        value = _body_value(request.body, endpoint.body_key, name)
        if isinstance(value, dict):
            return labels_to_public(value)
        if isinstance(value, list):
            return value
        return []

    def _value(
        self, expression: str, match: ConfigMatch, request: ConfigRequest, item: Json, index_of: dict[int, int]
    ) -> Any:
        head, _, tail = expression.partition(":")
        enum_name = None
        if "|enum:" in tail:
            tail, enum_name = tail.split("|enum:", 1)
        if head == "id":
            return self._id(tail, self.api.config_name(tail, match.params))
        if head == "path":
            return match.params[tail]
        if head == "const":
            return tail
        if head == "body":
            value = _body_value(request.body, match.endpoint.body_key, tail)
            return None if value is MISSING else self._enum(enum_name, value)
        if head == "query":
            values = request.query.get(tail) or request.query.get(camel(tail)) or []
            if not values:
                body_value = _body_value(request.body, None, tail)
                values = [] if body_value is MISSING else [body_value]
            mapped = [self._enum(enum_name, value) for value in values]
            return mapped if len(mapped) > 1 else (mapped[0] if mapped else None)
        if head == "step":
            number, _, path = tail.partition(":")
            return StepRef(index_of[int(number)], path)
        if head == "item":
            if item is EACH_ITEM:
                return ItemRef(tail)
            if not tail:
                return item
            return self._id(tail, str(item).strip("/"))
        raise TranslationError(f"unknown value expression {expression!r}")

    def _enum(self, name: str | None, value: Json) -> Json:
        if name is None or not isinstance(value, str):
            return value
        enum = self.api.enums[name]
        try:
            return enum.to_public(value)
        except KeyError:
            raise TranslationError(f"{value!r} is not a {name.replace('_', ' ')} value") from None

    def _id(self, kind: str, config_name: str) -> str:
        found = self.names.public_id(kind, config_name)
        if found is None:
            raise UnknownId(kind, config_name)
        return found

    def _call(
        self,
        match: ConfigMatch,
        step: PublicStep,
        request: ConfigRequest,
        context: Context,
        item: Json,
        index_of: dict[int, int],
    ) -> PublicCall:
        def value(expression: str) -> Any:
            return self._value(expression, match, request, item, index_of)

        path_params = {name: value(expression) for name, expression in step.bind.items()}
        query: dict[str, Any] = {}
        for name, expression in step.query.items():
            found = value(expression)
            if found is not None:
                query[name] = found
        endpoint = match.endpoint
        if endpoint.pagination == "page_token" and step.method == "GET" and step is endpoint.public[0]:
            query.update(_pagination(request.query, self.api, endpoint.key.startswith("catalog")))
        body = self._body(step, endpoint, request, context, item) if step.body else None
        for name, expression in step.body_fields.items():
            found = value(expression)
            if found is not None:
                body = {} if body is None else body
                body[name] = found
        if step.method in ("POST", "PUT", "PATCH") and body is None and step.body is not None:
            body = {}
        body = self._only_model_fields(step, body)
        purpose = f"when {step.when}" if step.when else ""
        return PublicCall(step.method, step.path, path_params, query, body, purpose, tuple(step.tolerate))

    def _only_model_fields(self, step: PublicStep, body: Json) -> Json:
        """A step's body holds only what its Public input model has: a masked field another step
        sends (a plan's rules, next to its name) is not repeated where the operation has no such field."""
        operation = self.api.public_operation(step.method, step.path)
        model = self.api.public_models.get(operation.body) if operation is not None and operation.body else None
        if not isinstance(body, dict) or model is None or not model.fields or model.one_of:
            return body
        names = {field.name for field in model.fields}
        return {key: value for key, value in body.items() if key in names}

    def _body(self, step: PublicStep, endpoint: Endpoint, request: ConfigRequest, context: Context, item: Json) -> Json:
        raw = request.body if isinstance(request.body, dict) else {}
        resource_body = _unwrap(raw, endpoint.body_key)
        if step.body == "label":
            return {"label": item}
        if step.body == "labels":
            return {"labels": labels_to_public(resource_body.get("labels"))}
        if step.body == "rules":
            document = resource_body.get("rules")
            if document is None or (
                endpoint.operation == "update" and not self._when("mask:tracking_plan.rules", endpoint, request)
            ):
                document = {}
            if not isinstance(document, dict):
                raise TranslationError("tracking_plan.rules must be an object")
            return {"rules": rules_to_public(self.api, document)}
        assert endpoint.resource
        builder = BODY_BUILDERS.get(endpoint.key)
        if builder is not None:
            return builder(self, endpoint, request, resource_body, context)
        if endpoint.operation == "update":
            return self._masked_body(endpoint, request, resource_body, context)
        return to_public(endpoint.resource, resource_body, context)

    def _masked_body(
        self, endpoint: Endpoint, request: ConfigRequest, resource_body: dict[str, Json], context: Context
    ) -> Json:
        """update_mask removed with its semantics kept: masked paths carry their value or the zero
        value; values outside the mask are dropped."""
        assert endpoint.resource
        try:
            paths = mask_paths(self.api, request.body, endpoint.body_key) or []
            changes = masked_changes(self.api, endpoint.resource, resource_body, paths)
        except MaskError as error:
            raise TranslationError(str(error)) from None
        partial = {name: value for name, (_field, value) in changes.items()}
        chosen = set(partial)
        return to_public(endpoint.resource, partial, context, only=lambda field: field.config in chosen)


# --- endpoint-specific request bodies (what the generic field mapping cannot say) -------------------

Builder = Callable[[Translator, Endpoint, ConfigRequest, dict[str, Json], Context], Json]


def _source_create(
    t: Translator, endpoint: Endpoint, request: ConfigRequest, body: dict[str, Json], context: Context
) -> Json:
    public = to_public("source", body, context, only=lambda field: field.config in ("name", "catalog_name"))
    catalog = config_value(body, t.api.resource("source").by_config("catalog_name"))  # type: ignore[arg-type]
    if catalog is MISSING or "metadataId" not in public:
        raise TranslationError(
            f"source.catalog_name {catalog if catalog is not MISSING else ''!r} is not a known catalog source"
        )
    if not public.get("slug"):
        raise TranslationError("source.name must be workspaces/<workspace>/sources/<slug>")
    return {"slug": public["slug"], "enabled": True, "metadataId": public["metadataId"]}


def _destination_create(
    t: Translator, endpoint: Endpoint, request: ConfigRequest, body: dict[str, Json], context: Context
) -> Json:
    params = parse_name(t.api, "destination", str(body.get("name") or ""))
    if params is None:
        raise TranslationError("destination.name must be workspaces/<ws>/sources/<source>/destinations/<integration>")
    source_name = build_name(t.api, "source", params)
    catalog_name = build_name(t.api, "catalog_destination", params)
    config = body.get("config")
    items = [item for item in config if isinstance(item, dict)] if isinstance(config, list) else []
    masked = [key for key, value in settings_from_config(items).items() if looks_masked(t.api, value)]
    if masked:  # copied from a Public answer: the secret itself cannot be read back, and a copy without it is no copy
        raise TranslationError(
            f"destination.config {', '.join(masked)}: the value is a secret the Public API answered masked, "
            "so it cannot be written to a new destination; give the real value (from where the secret is kept)"
        )
    public = to_public("destination", body, context, only=lambda field: field.config in ("config", "display_name"))
    enabled = body.get("enabled", False)
    return {
        "sourceId": t._id("source", source_name),
        "metadataId": t._id("catalog_destination", catalog_name),
        "enabled": enabled if isinstance(enabled, bool) else str(enabled).lower() == "true",
        "settings": public.get("settings", {}),
        **({"name": public["name"]} if public.get("name") else {}),
    }


def _filter_create(
    t: Translator, endpoint: Endpoint, request: ConfigRequest, body: dict[str, Json], context: Context
) -> Json:
    public = to_public("filter", body, context)
    public.setdefault("title", "")
    public.setdefault("enabled", False)
    return public


def _filter_preview(
    t: Translator, endpoint: Endpoint, request: ConfigRequest, body: dict[str, Json], context: Context
) -> Json:
    spec: dict[str, Json] = body["filter"] if isinstance(body.get("filter"), dict) else {}
    raw = body.get("input")
    try:
        payload = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError:
        raise TranslationError("input is not valid JSON") from None
    public = to_public("filter", spec, context, only=lambda field: field.config in ("if", "actions"))
    return {"filter": {"if": public.get("if", "all"), "actions": public.get("actions", [])}, "payload": payload or {}}


def _tracking_plan_create(
    t: Translator, endpoint: Endpoint, request: ConfigRequest, body: dict[str, Json], context: Context
) -> Json:
    name = body.get("display_name", body.get("displayName"))
    if not isinstance(name, str) or not name:
        raise TranslationError("tracking_plan.display_name is required")
    return {"name": name}


def _schema_update(
    t: Translator, endpoint: Endpoint, request: ConfigRequest, body: dict[str, Json], context: Context
) -> Json:
    """Forwarding targets outside the mask are sent again from the settings just read: on the Public
    API an omitted forwarding field turns forwarding off (the seed FAQ), which the caller never asked."""
    partial = t._masked_body(endpoint, request, body, context)
    masked = mask_paths(t.api, request.body, endpoint.body_key) or []
    for field_ in t.api.resource("schema_config").field:
        if field_.transform != "source_ref_or_omit" or not field_.public:
            continue
        if not any(path in field_.spellings for path in masked):
            partial[field_.public] = StepRef(0, f"settings.{field_.public}", omit_empty=True)
    return partial


def _function_create(
    t: Translator, endpoint: Endpoint, request: ConfigRequest, body: dict[str, Json], context: Context
) -> Json:
    # The type: the `type` query parameter (set over this by the map's `body_fields`), a top-level
    # body field, or the function's own `type`, as the Config API took it (clients used all three).
    public = to_public("function", body, context)
    outer = request.body if isinstance(request.body, dict) else {}
    if "resourceType" not in public and "type" in outer:
        public.update(to_public("function", {"type": outer["type"]}, context))
    return public


def _invite_create(
    t: Translator, endpoint: Endpoint, request: ConfigRequest, body: dict[str, Json], context: Context
) -> Json:
    email = body.get("email")
    if not isinstance(email, str):
        raise TranslationError("invite.email is required")
    return {"invites": [{"email": email}]}


BODY_BUILDERS: dict[str, Builder] = {
    "sources.create": _source_create,
    "destinations.create": _destination_create,
    "filters.create": _filter_create,
    "filters.preview": _filter_preview,
    "tracking_plans.create": _tracking_plan_create,
    "schema_config.update": _schema_update,
    "functions.create": _function_create,
    "invites.create": _invite_create,
}


# --- the answer side --------------------------------------------------------------------------------


def config_answer(
    translation: Translation,
    results: list[Json],
    names: Names,
    api: ApiMap | None = None,
    workspace_config_id: str | None = None,
) -> Json:
    """The Config answer to the request, from the `data` of each Public call's answer, in order."""
    api = api or load_map()
    endpoint = translation.endpoint
    params = dict(translation.params)
    context = Context(api, names, params)
    key = endpoint.key
    workspace_id = workspace_config_id or params.get("workspace_id", "")
    builder = ANSWERS.get(key)
    if builder is not None:
        return builder(context, translation, results, workspace_id)
    if endpoint.operation == "delete" or endpoint.empty_answer:
        return {}
    answer = _from_the_map(context, endpoint, results, workspace_id)
    if answer is None:
        # A Public answer passed on as it is would be a shape no Config caller expects; a test keeps
        # every endpoint with a Public twin out of here.
        raise TranslationError(f"no Config answer is recorded for {endpoint.key}", 501, 12)
    return answer


Answer = Callable[[Context, Translation, list[Json], str], Json]


def _list(key: str, items: list[Json], results: list[Json]) -> Json:
    pagination = (results[-1] or {}).get("pagination") or {}
    return {key: items, "next_page_token": pagination.get("next") or ""}


def _first_list(data: Json) -> list[Json]:
    return next(value for name, value in data.items() if name != "pagination" and isinstance(value, list))


def _source_slug(context: Context, source_id: str) -> str:
    name = context.names.config_name("source", source_id)
    if name is None:
        return str(context.params.get("source_slug", source_id))
    return name.rsplit("/", 1)[-1]


def _destination_answer(context: Context, data: Json) -> Json:
    return shapes.destination(context, data, _source_slug(context, data["sourceId"]))


def _destination_name(context: Context) -> str:
    return build_name(context.api, "destination", context.params)


def _plan(context: Context, translation: Translation, results: list[Json]) -> Json:
    plans = [r["trackingPlan"] for r in results if isinstance(r, dict) and "trackingPlan" in r]
    rules_lists = [r["rules"] for r in results if isinstance(r, dict) and isinstance(r.get("rules"), list)]
    rules = rules_lists[-1] if rules_lists else None
    if rules is None and translation.endpoint.key == "tracking_plans.create":
        document = _unwrap(translation.request.body or {}, "tracking_plan").get("rules") or {}
        rules = rules_to_public(context.api, document)
    return shapes.tracking_plan(context, plans[-1], rules)


ITEMS: dict[str, Callable[[Context, Any, str], Json]] = {
    "workspace": lambda c, p, w: shapes.workspace(c, p, w or None),
    "catalog_source": lambda c, p, w: shapes.catalog_source(c, p),
    "catalog_destination": lambda c, p, w: shapes.catalog_destination(c, p),
    "source": lambda c, p, w: shapes.source(c, p),
    "schema_config": lambda c, p, w: shapes.schema_config(c, build_name(c.api, "source", c.params), p),
    "destination": lambda c, p, w: _destination_answer(c, p),
    "filter": lambda c, p, w: shapes.filter_(c, p, _destination_name(c)),
    "function": lambda c, p, w: shapes.function(c, p, w),
    "regulation_entry": lambda c, p, w: shapes.regulation_entry(c, p),
    "regulation_status": lambda c, p, w: shapes.regulation_status(c, p, w),
    "suppression": lambda c, p, w: shapes.suppression(c, p),
    "role": lambda c, p, w: to_config("role", p, c),
    "invite": lambda c, p, w: to_config("invite", p, c),
    "user": lambda c, p, w: to_config("user", p, c),
}
"""The Config shape of one Public object, per resource of the map. Which object of which Public
answer it is given comes from the map: a list's `data` key (`ApiMap.public_list_key`), a single
object's `data_key`, as the codemods read them."""


def answered_from_the_map(api: ApiMap, endpoint: Endpoint) -> bool:
    """Whether the map says enough for `_from_the_map` to build the endpoint's Config answer."""
    if endpoint.resource not in ITEMS:
        return False
    if endpoint.operation == "list":
        return endpoint.list_key is not None and api.public_list_key(endpoint) is not None
    return endpoint.operation in ("get", "create", "update") and api.resource(endpoint.resource).data_key is not None


def has_config_answer(api: ApiMap, endpoint: Endpoint) -> bool:
    """Whether a translated request of this endpoint gets a Config answer (else 501)."""
    return (
        endpoint.key in ANSWERS
        or endpoint.operation == "delete"
        or endpoint.empty_answer
        or answered_from_the_map(api, endpoint)
    )


def _from_the_map(context: Context, endpoint: Endpoint, results: list[Json], workspace_id: str) -> Json | None:
    """The Config answer of an endpoint answered by one Public object, or a page of them, of the
    endpoint's resource; None for any other."""
    if not answered_from_the_map(context.api, endpoint) or not results or not isinstance(results[-1], dict):
        return None
    item = ITEMS[str(endpoint.resource)]
    if endpoint.operation == "list":
        key, config_key = context.api.public_list_key(endpoint), str(endpoint.list_key)
        return _list(config_key, [item(context, x, workspace_id) for x in results[-1][str(key)]], results)
    data_key = context.api.resource(str(endpoint.resource)).data_key
    return item(context, results[-1][str(data_key)], workspace_id)


ANSWERS: dict[str, Answer] = {
    # Answers composed otherwise than one object (or a page) of the endpoint's resource.
    "workspaces.list": lambda c, t, r, w: _list(
        "workspaces", [shapes.workspace(c, r[-1]["workspace"], w or None)], [{}]
    ),
    "sources.create": lambda c, t, r, w: _source_with_labels(c, r),
    "sources.update": lambda c, t, r, w: _source_with_labels(c, r),
    "filters.preview": lambda c, t, r, w: _preview(t, r[-1]),
    "tracking_plans.list": lambda c, t, r, w: _list(
        "tracking_plans",
        [
            shapes.tracking_plan(c, plan, r[1][index]["rules"] if len(r) > 1 and r[1][index] else None)
            for index, plan in enumerate(r[0]["trackingPlans"])
        ],
        r[:1],
    ),
    "tracking_plans.create": lambda c, t, r, w: _plan(c, t, r),
    "tracking_plans.get": lambda c, t, r, w: _plan(c, t, r),
    "tracking_plans.update": lambda c, t, r, w: _plan(c, t, r),
    "source_connections.list": lambda c, t, r, w: _list(
        "connections", [_connection(c, t, s["id"]) for s in r[-1]["sources"]], r
    ),
    "source_connections.create": lambda c, t, r, w: _connection_of_request(
        c, t, _body_value(t.request.body, None, "source_name")
    ),
    "source_connections.batch_create": lambda c, t, r, w: {
        "connections": [
            _connection_of_request(c, t, name) for name in _body_value(t.request.body, None, "source_names")
        ]
    },
    "functions.deploy": lambda c, t, r, w: {},
    "functions.is_latest_version": lambda c, t, r, w: {
        "is_latest": bool(r[-1]["function"].get("isLatestVersion", True))
    },
    "regulations.create": lambda c, t, r, w: {"regulate_id": r[-1]["regulateId"]},
    "source_regulations.create": lambda c, t, r, w: {"regulate_id": r[-1]["regulateId"]},
    "invites.create": lambda c, t, r, w: {
        "name": build_name(c.api, "invite", {**c.params, "invite_id": r[-1]["emails"][0]}),
        "email": r[-1]["emails"][0],
    },
}


def _source_with_labels(context: Context, results: list[Json]) -> Json:
    source = copy.deepcopy(next(r["source"] for r in results if isinstance(r, dict) and "source" in r))
    labels = [r["labels"] for r in results if isinstance(r, dict) and isinstance(r.get("labels"), list)]
    if labels:
        source["labels"] = labels[-1]
    return shapes.source(context, source)


def _connection(context: Context, translation: Translation, source_id: str) -> Json:
    name = context.names.config_name("source", source_id) or build_name(
        context.api, "source", {**context.params, "source_slug": _source_slug(context, source_id)}
    )
    return {"source_name": name, "tracking_plan_id": translation.params["tracking_plan_id"]}


def _connection_of_request(context: Context, translation: Translation, name: Json) -> Json:
    return {"source_name": str(name), "tracking_plan_id": translation.params["tracking_plan_id"]}


def _preview(translation: Translation, data: Json) -> Json:
    raw = _unwrap(translation.request.body or {}, None).get("input")
    event = data.get("inputPayload")
    result = data.get("result")
    return {
        "input": raw if isinstance(raw, str) else json.dumps(event),
        "output": json.dumps(result),
        "diff": json_diff(event, result),
    }


def config_error(api: ApiMap, status: int, message: str) -> tuple[int, dict[str, Json]]:
    """A Public error as the Config error the caller expects: status and gRPC code from the map, and
    the Config API's own message where the map gives one (an auth failure names the Config token,
    not the Public one the caller never sent)."""
    for row in api.protocol["public_error"]:
        if row["status"] == status:
            config_status = int(row["config_status"])
            own = api.config_message(config_status)
            return config_status, {"error": own or message, "code": int(row["config_code"])}
    if status >= 500:
        return 500, {"error": message, "code": 13}
    return 400, {"error": message, "code": 3}


# --- helpers ----------------------------------------------------------------------------------------


def _unwrap(body: Json, key: str | None) -> dict[str, Json]:
    if not isinstance(body, dict):
        return {}
    if key:
        for spelling in (key, camel(key)):
            inner = body.get(spelling)
            if isinstance(inner, dict):
                return inner
    return body


def _body_value(body: Json, key: str | None, name: str) -> Json:
    for holder in (_unwrap(body, key), body if isinstance(body, dict) else {}):
        for spelling in (name, camel(name)):
            value = get_path(holder, spelling)
            if value is not MISSING:
                return value
    return MISSING


def _pagination(query: dict[str, list[str]], api: ApiMap, catalog: bool) -> dict[str, Any]:
    """The Public pagination of a Config list: its page size, or the Config API's default one (the
    caller reads one page and its `next_page_token`, as the Config API gave them)."""
    limit = int(api.protocol["public"]["pagination"]["max_count"])
    config = api.protocol["config"]["pagination"]
    found: dict[str, Any] = {}
    size = first(query, "page_size") or first(query, "pageSize")
    token = first(query, "page_token") or first(query, "pageToken")
    try:
        count = int(size) if size else int(config["catalog_default_size" if catalog else "default_size"])
    except ValueError:
        raise TranslationError(f"invalid page_size {size!r}") from None
    found["pagination.count"] = max(1, min(count, limit))
    if token:
        found["pagination.cursor"] = token
    return found


def _resolve(value: Any, results: list[Json]) -> Any:
    if isinstance(value, StepRef):
        found = get_path(results[value.step] or {}, value.path)
        return None if found is MISSING else found
    return value


def _fill(body: Json, results: list[Json]) -> Json:
    if isinstance(body, dict):
        filled = {}
        for key, value in body.items():
            if isinstance(value, StepRef):
                resolved = _resolve(value, results)
                if value.omit_empty and not resolved:
                    continue
                filled[key] = resolved
            else:
                filled[key] = _fill(value, results)
        return filled
    if isinstance(body, list):
        return [_fill(item, results) for item in body]
    return _resolve(body, results)


def _show(value: Json) -> Json:
    if isinstance(value, StepRef):
        return str(value)
    if isinstance(value, dict):
        return {key: _show(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_show(item) for item in value]
    return value


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")
