"""The validated map, indexed: Config and Public paths matched to their entries.

Pure Python over the entries of `model.py` (no file, no validation, no toolkit import), so the
compatibility layer `migrate apply` generates carries this very module."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import (
    Endpoint,
    EnumMap,
    IdKind,
    Placeholder,
    PublicModel,
    PublicOperation,
    Resource,
    WrapperChain,
)

PARTS = (
    "protocol",
    "placeholders",
    "kinds",
    "endpoints",
    "resources",
    "rules",
    "enums",
    "public_operations",
    "public_models",
    "wrapper_module",
    "wrapper_entry",
    "wrapper_chains",
    "client_methods",
)


@dataclass(frozen=True)
class ConfigMatch:
    """A Config request path matched to its endpoint, with the placeholder values."""

    endpoint: Endpoint
    params: dict[str, str]
    prefix: str


@dataclass(frozen=True)
class PublicMatch:
    operation: PublicOperation
    params: dict[str, str]


class ApiMap:
    """The whole map, validated and indexed. Built by `load_map`."""

    def __init__(
        self,
        directory: Path,
        *,
        protocol: dict[str, Any],
        placeholders: dict[str, Placeholder],
        kinds: dict[str, IdKind],
        endpoints: list[Endpoint],
        resources: dict[str, Resource],
        rules: dict[str, Any],
        enums: dict[str, EnumMap],
        public_operations: list[PublicOperation],
        public_models: dict[str, PublicModel],
        wrapper_module: str,
        wrapper_entry: str,
        wrapper_chains: list[WrapperChain],
        client_methods: dict[str, str] | None = None,
    ) -> None:
        self.directory = directory
        self.protocol = protocol
        self.placeholders = placeholders
        self.kinds = kinds
        self.endpoints = endpoints
        self.resources = resources
        self.rules = rules
        self.enums = enums
        self.public_operations = public_operations
        self.public_models = public_models
        self.wrapper_module = wrapper_module
        self.wrapper_entry = wrapper_entry
        self.wrapper_chains = wrapper_chains
        self.client_methods = client_methods or {}
        """Methods of the Go Config client library (segment-config-go and its forks) -> endpoint key."""
        self._by_key = {endpoint.key: endpoint for endpoint in self.endpoints}
        self._public_index: dict[tuple[str, str], PublicOperation] = {
            (op.method, op.path): op for op in self.public_operations
        }

    def parts(self) -> dict[str, Any]:
        """What the map was built from (the keyword arguments of `ApiMap`)."""
        return {name: getattr(self, name) for name in PARTS}

    @functools.cached_property
    def _config_routes(self) -> list[tuple[Endpoint, re.Pattern[str]]]:
        return sorted(
            ((endpoint, self._compile(endpoint.path)) for endpoint in self.endpoints),
            key=lambda pair: -_literal_weight(pair[0].path),
        )

    @functools.cached_property
    def _public_routes(self) -> list[tuple[PublicOperation, re.Pattern[str]]]:
        return sorted(
            ((op, template_pattern(op.path)) for op in self.public_operations),
            key=lambda pair: -_literal_weight(pair[0].path),
        )

    @functools.cached_property
    def _config_routes_by_method(self) -> dict[str, list[tuple[Endpoint, re.Pattern[str]]]]:
        by_method: dict[str, list[tuple[Endpoint, re.Pattern[str]]]] = {}
        for endpoint, pattern in self._config_routes:
            by_method.setdefault(endpoint.method, []).append((endpoint, pattern))
        return by_method

    def compile_routes(self) -> None:
        """Compile the path patterns now rather than at the first match."""
        for routes in (self._config_routes, self._public_routes):
            assert routes

    # --- lookups ----------------------------------------------------------------------------------

    def endpoint(self, key: str) -> Endpoint:
        return self._by_key[key]

    def public_operation(self, method: str, path: str) -> PublicOperation | None:
        return self._public_index.get((method, path))

    def resource(self, name: str) -> Resource:
        return self.resources[name]

    def public_list_key(self, endpoint: Endpoint) -> str | None:
        """The key of the list in the `data` of a Config list endpoint's Public twin (`sources`,
        `sourcesCatalog`): the one key beside `pagination`. None when there is not exactly one."""
        step = endpoint.public[0] if endpoint.public else None
        operation = self.public_operation(step.method, step.path) if step is not None else None
        keys = [key for key in (operation.data if operation else []) if key != "pagination"]
        return keys[0] if len(keys) == 1 else None

    @functools.cached_property
    def not_carried(self) -> frozenset[str]:
        """Config answer fields the Public API does not carry (`drop = true`): what a comparison of
        a Config answer with its translation through the Public API leaves out."""
        return frozenset(field.config for resource in self.resources.values() for field in resource.field if field.drop)

    @functools.cached_property
    def lost_in_answers(self) -> dict[str, str]:
        """Config answer fields whose values the Public API does not carry and that answers through
        it hold only a stand-in for, each with the stand-in (`create_time`: null, `library_config`:
        {}): code reading one reads the stand-in, not the value."""
        return {
            field.config: str(field.fill)
            for resource in self.resources.values()
            for field in resource.field
            if field.drop and field.fill is not None and field.direction == "response"
        }

    def config_message(self, status: int) -> str | None:
        """The Config API's own error message for a status, where the map gives one (401, 403)."""
        for row in self.protocol["config_error"]:
            if row["status"] == status and "message" in row:
                return str(row["message"])
        return None

    @property
    def config_prefixes(self) -> list[str]:
        config = self.protocol["config"]
        return [config["prefix"], *config["prefix_aliases"]]

    def split_prefix(self, path: str) -> tuple[str, str] | None:
        """`/v1beta//workspaces/x/` -> ("v1beta", "workspaces/x"); None when no Config prefix."""
        parts = [part for part in path.split("/") if part]
        if not parts or parts[0] not in self.config_prefixes:
            return None
        return parts[0], "/".join(parts[1:])

    def match_config(self, method: str, path: str) -> ConfigMatch | None:
        """Match a Config request path (with or without its version prefix) to an endpoint."""
        split = self.split_prefix(path)
        prefix, rest = split if split else ("", "/".join(part for part in path.split("/") if part))
        for endpoint, pattern in self._config_routes_by_method.get(method.upper(), []):
            found = pattern.fullmatch(rest)
            if found:
                return ConfigMatch(endpoint, found.groupdict(), prefix)
        return None

    def config_paths_matching(self, path: str) -> list[Endpoint]:
        """Every endpoint whose path matches, whatever the method (to tell 404 from a wrong method)."""
        split = self.split_prefix(path)
        rest = split[1] if split else "/".join(part for part in path.split("/") if part)
        return [endpoint for endpoint, pattern in self._config_routes if pattern.fullmatch(rest)]

    def match_public(self, method: str, path: str) -> PublicMatch | None:
        normalized = "/" + "/".join(part for part in path.split("/") if part)
        for operation, pattern in self._public_routes:
            if operation.method != method.upper():
                continue
            found = pattern.fullmatch(normalized)
            if found:
                return PublicMatch(operation, found.groupdict())
        return None

    def short_path(self, template: str) -> str:
        """A Config path template with short placeholder names, for people: `workspaces/{ws}/sources/{src}`."""
        return re.sub(r"\{(\w+)\}", lambda found: "{" + self.placeholders[found.group(1)].short + "}", template)

    def config_name(self, kind: str, params: dict[str, str]) -> str:
        """The Config resource name of `kind` filled from placeholder values."""
        return self.kinds[kind].config_pattern.format(**params)

    def _compile(self, template: str) -> re.Pattern[str]:
        pieces: list[str] = []
        position = 0
        for found in re.finditer(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", template):
            pieces.append(re.escape(template[position : found.start()]))
            name = found.group(1)
            placeholder = self.placeholders[name]
            segment = placeholder.segment
            if placeholder.multi:
                segment = f"{segment}(?:/{segment})*"
            pieces.append(f"(?P<{name}>{segment})")
            position = found.end()
        pieces.append(re.escape(template[position:]))
        return re.compile("".join(pieces))


def template_pattern(template: str) -> re.Pattern[str]:
    """A path or resource-name template (`sources/{sourceId}`) as a regex with one named group per
    placeholder, each matching one path segment."""
    pieces: list[str] = []
    position = 0
    for found in re.finditer(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", template):
        pieces.append(re.escape(template[position : found.start()]))
        pieces.append(f"(?P<{found.group(1)}>[^/]+)")
        position = found.end()
    pieces.append(re.escape(template[position:]))
    return re.compile("".join(pieces))


def _literal_weight(template: str) -> int:
    return len(re.sub(r"\{[^}]*\}", "", template))
