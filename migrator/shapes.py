"""Config API answers built from Public API objects.

The translator answers legacy callers with these; the emulator renders its Config view with the same
functions and then adds what only the Config side stored (creation times, library settings). One
implementation, so the two cannot drift apart."""

from __future__ import annotations

from typing import Any

from .codec import Context, build_name, filled, rules_to_config, settings_to_config, to_config

Json = Any
# Kinds whose Config ids were generated: an object made through the Public API has no Config id,
# so its Public id stands in (and the translator accepts it back).
GENERATED_ID_PLACEHOLDER = {"filter": "filter_id", "tracking_plan": "tracking_plan_id", "function": "function_id"}


class OptionContext(Context):
    """Destination config item types and labels from the integration's catalog options."""

    def __init__(self, base: Context, options: list[dict[str, Json]]) -> None:
        super().__init__(base.api, base.names, base.params, base.strict_enums)
        self.options = {option["name"]: option for option in options}

    def setting_type(self, key: str, value: Json) -> str:
        option = self.options.get(key)
        return str(option["type"]) if option else super().setting_type(key, value)

    def setting_label(self, key: str) -> str:
        option = self.options.get(key)
        return str(option.get("label") or key) if option else key


def name_of(context: Context, kind: str, public_id: str, **params: str) -> str:
    """The Config name of a Public object: from the names, else built with the Public id standing in
    for a generated Config id."""
    known = context.names.config_name(kind, public_id)
    if known is not None:
        return known
    placeholder = GENERATED_ID_PLACEHOLDER.get(kind)
    if placeholder is None:
        raise KeyError(f"no Config name for {kind} {public_id}")
    return build_name(context.api, kind, {**context.params, **params, placeholder: public_id})


def workspace(context: Context, public: dict[str, Json], config_id: str | None = None) -> Json:
    view = to_config("workspace", public, context)
    view["id"] = config_id or public.get("id")
    return view


def source(context: Context, public: dict[str, Json]) -> Json:
    view = to_config("source", public, context)
    view.setdefault("parent", build_name(context.api, "workspace", context.params))
    view.setdefault(
        "catalog_name", build_name(context.api, "catalog_source", {"catalog_source_slug": public["metadata"]["slug"]})
    )
    view["display_name"] = public.get("name") or public["slug"]
    view.setdefault("labels", {})
    return view


def schema_config(context: Context, source_name: str, settings: dict[str, Json]) -> Json:
    view = to_config("schema_config", settings, context)
    view.pop("parent", None)
    return {"name": f"{source_name}/schema-config", "parent": source_name, **view}


def destination(context: Context, public: dict[str, Json], source_slug: str) -> Json:
    metadata = public["metadata"]
    params = {**context.params, "source_slug": source_slug, "destination_slug": metadata["slug"]}
    name = build_name(context.api, "destination", params)
    items = OptionContext(context.with_params(**params), metadata.get("options", []))
    fields = context.api.resource("destination")
    built = {
        key: field.config_value(public)
        for key in ("display_name", "connection_mode")
        if (field := fields.by_config(key))
    }
    return {
        "name": name,
        "parent": build_name(context.api, "source", params),
        "display_name": built["display_name"],
        "enabled": public["enabled"],
        "connection_mode": built["connection_mode"],
        "config": settings_to_config(public.get("settings") or {}, name, items),
        **filled(fields),
    }


def filter_(context: Context, public: dict[str, Json], destination_name: str) -> Json:
    view = to_config("filter", public, context)
    if "name" not in view:
        view["name"] = f"{destination_name}/filters/{public['id']}"
    view.setdefault("description", "")
    return view


def tracking_plan(context: Context, public: dict[str, Json], rules: list[dict[str, Json]] | None) -> Json:
    descriptions = {
        rule.get("key") or "": str((rule.get("jsonSchema") or {}).get("description", "")) for rule in rules or []
    }
    view: dict[str, Json] = {
        "name": name_of(context, "tracking_plan", public["id"]),
        "display_name": public.get("name", ""),
    }
    if rules is not None:
        view["rules"] = rules_to_config(context.api, rules, descriptions)
    if public.get("createdAt"):
        view["create_time"] = public["createdAt"]
    if public.get("updatedAt"):
        view["update_time"] = public["updatedAt"]
    return view


def function(context: Context, public: dict[str, Json], workspace_config_id: str) -> Json:
    view = to_config("function", public, context)
    name = name_of(context, "function", public["id"], workspace_id=workspace_config_id)
    view["id"] = name.rsplit("/", 1)[-1]
    view["workspace_id"] = workspace_config_id
    view["buildpack"] = "boreal"
    view.pop("is_latest", None)
    return view


def regulation_status(context: Context, public: dict[str, Json], workspace_config_id: str) -> Json:
    view = to_config("regulation_status", public, context)
    view["workspace_id"] = workspace_config_id
    view.setdefault("finished_at", "0001-01-01T00:00:00Z")
    return view


def regulation_entry(context: Context, public: dict[str, Json]) -> Json:
    view = to_config("regulation_entry", public, context)
    view.setdefault("finished_at", "0001-01-01T00:00:00Z")
    return view


def suppression(context: Context, public: dict[str, Json]) -> Json:
    return to_config("suppression", public, context)


def catalog_source(context: Context, item: dict[str, Json], config_type: str = "event") -> Json:
    view = to_config("catalog_source", item, context)
    view["type"] = config_type
    return view


def catalog_destination(context: Context, item: dict[str, Json]) -> Json:
    api = context.api
    view = to_config("catalog_destination", item, context)
    categories = list(item.get("categories", []))
    view["categories"] = {
        "primary": categories[0] if categories else "",
        "secondary": categories[1] if len(categories) > 1 else "",
        "additional": categories[2:],
    }
    methods = item.get("supportedMethods", {})
    view["methods"] = {
        "alias": methods.get("alias", False),
        "group": methods.get("group", False),
        "identify": methods.get("identify", False),
        "page_view": methods.get("pageview", False),
        "track": methods.get("track", False),
    }
    view["type"] = "STREAMING"
    setting_types = api.enums["catalog_setting_type"]
    view["settings"] = [
        {
            "name": option["name"],
            "display_name": option.get("label", option["name"]),
            "type": _config_type(setting_types.values, option["type"]),
            "deprecated": False,
            "required": option.get("required", False),
            "description": option.get("description", ""),
            "settings": [],
        }
        for option in item.get("options", [])
    ]
    features = item.get("supportedFeatures", {})
    view["browserUnbundlingSupported"] = bool(features.get("browserUnbundling", False))
    view["browserUnbundlingPublic"] = bool(features.get("browserUnbundlingPublic", False))
    return view


def _config_type(values: dict[str, str], public_type: str) -> str:
    for config_value, public_value in values.items():
        if public_value == public_type:
            return config_value
    return public_type.upper()
