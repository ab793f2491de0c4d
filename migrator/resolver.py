"""Build the ID map of one workspace from both APIs, with the fewest calls that can produce it.

Workspace-wide lists at the largest page size, never one call per source where a list of all
exists; Config calls only for what only the Config API knows (tracking plan `rs_` ids, function ids,
filter `df_` ids, and confirmation that sources exist there). Ambiguity is reported, never guessed.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mappings import ApiMap, load_map

from .clients import ConfigClient, PublicClient
from .codec import build_name, parse_name
from .errors import ApiRequestError, AuthenticationError, ConnectionFailed, UsageError
from .idmap import Candidate, Entry, IdMap, Workspace

Json = Any
Progress = Callable[[str, int, int | None], None]
ALL_KINDS = ("workspace", "catalog", "source", "destination", "tracking_plan", "function", "filter", "warehouse")


@dataclass
class Traversal:
    api: str
    collection: str
    size: int
    page_limit: int

    @property
    def minimum(self) -> int:
        return max(1, math.ceil(self.size / self.page_limit)) if self.page_limit else 1


@dataclass
class Stats:
    traversals: list[Traversal] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, api: str, collection: str, size: int, page_limit: int) -> None:
        with self._lock:
            self.traversals.append(Traversal(api, collection, size, page_limit))

    @property
    def minimum(self) -> int:
        return sum(traversal.minimum for traversal in self.traversals)


@dataclass
class ResolveResult:
    id_map: IdMap
    calls: dict[str, int]
    attempts: dict[str, int]
    retries: dict[str, int]
    minimum_calls: int

    def summary(self) -> dict[str, Any]:
        made = sum(self.calls.values())
        return {
            "workspace": self.id_map.workspace.slug,
            "complete": self.id_map.complete,
            "incomplete": self.id_map.incomplete,
            "kinds": self.id_map.summary(),
            "api_calls": {"total": made, **self.calls},
            "http_attempts": {"total": sum(self.attempts.values()), **self.attempts},
            "retries": {"total": sum(self.retries.values()), **self.retries},
            "minimum_calls": self.minimum_calls,
            "calls_to_minimum": round(made / self.minimum_calls, 3) if self.minimum_calls else None,
        }


class Resolver:
    def __init__(
        self,
        public: PublicClient,
        config: ConfigClient | None,
        *,
        workspace: str | None = None,
        region: str = "us",
        kinds: Iterable[str] = ALL_KINDS,
        concurrency: int = 8,
        progress: Progress | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        api: ApiMap | None = None,
    ) -> None:
        self.public = public
        # `config` becomes None if the Config API fails part way; `config_client` keeps the counts.
        self.config = config
        self.config_client = config
        self.expected_workspace = workspace
        self.region = region
        self.kinds = set(kinds)
        unknown = self.kinds - set(ALL_KINDS)
        if unknown:
            raise UsageError(f"unknown kinds {sorted(unknown)}; choose from {', '.join(ALL_KINDS)}")
        self.concurrency = max(1, concurrency)
        self.progress = progress or (lambda phase, advance, total: None)
        self.now = now
        self.api = api or load_map()
        self.stats = Stats()
        self.entries: list[Entry] = []
        self.incomplete: list[str] = []
        self.config_note: str | None = None if config else "no Config API token"

    # --- traversal helpers ------------------------------------------------------------------------

    def public_list(self, sdk: str, label: str, query: dict[str, Any] | None = None, **params: str) -> list[Json]:
        items: list[Json] = []
        for page in self.public.pages(sdk, query, **params):
            items += page.items
        self.stats.add("public", label, len(items), self.public.count)
        return items

    def config_list(
        self, key: str, label: str, query: dict[str, Any] | None = None, params: dict[str, str] | None = None
    ) -> list[Json]:
        assert self.config is not None
        items = self.config.list_all(key, query, **(params or {}))
        self.stats.add("config", label, len(items), self.config.page_size)
        return items

    def config_step(self, what: str, step: Callable[[], Any]) -> Any:
        """Run a Config-only step; if the Config API fails part way, continue on the Public API alone
        and say the map is incomplete. A bad Config token is the user's to fix: that stops the run."""
        if self.config is None:
            return None
        try:
            return step()
        except AuthenticationError:
            raise
        except ApiRequestError as error:
            self.incomplete.append(f"{what}: {error}")
            self.config = None
            self.config_note = "the Config API failed during the run"
            return None

    # --- the run ----------------------------------------------------------------------------------

    def run(self) -> ResolveResult:
        workspace = self.resolve_workspace()
        slug = workspace.slug
        if "catalog" in self.kinds:
            self.resolve_catalog()
        sources = self.resolve_sources(slug) if self.kinds & {"source", "destination", "filter"} else []
        destinations: list[Json] = []
        if self.kinds & {"destination", "filter"}:
            destinations = self.resolve_destinations(slug, sources)
        if "tracking_plan" in self.kinds:
            self.resolve_tracking_plans(slug)
        if "function" in self.kinds:
            self.resolve_functions(workspace)
        if "filter" in self.kinds:
            self.resolve_filters(slug, sources, destinations)
        if "warehouse" in self.kinds:
            self.resolve_warehouses()
        id_map = IdMap(
            workspace=workspace,
            region=self.region,
            generated_at=self.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            complete=not self.incomplete,
            incomplete=self.incomplete,
            entries=self.entries,
        )
        transports = {"public": self.public.transport}
        if self.config_client is not None:
            transports["config"] = self.config_client.transport
        return ResolveResult(
            id_map=id_map,
            calls={name: t.counter.calls for name, t in transports.items()},
            attempts={name: t.counter.attempts for name, t in transports.items()},
            retries={name: t.counter.retries for name, t in transports.items()},
            minimum_calls=self.stats.minimum,
        )

    def resolve_workspace(self) -> Workspace:
        self.progress("workspace", 0, 1)
        public = self.public.data("WorkspacesApi.get_workspace")["workspace"]
        self.stats.add("public", "workspace", 1, 0)
        slug = str(public["slug"])
        if self.expected_workspace and self.expected_workspace != slug:
            raise UsageError(
                f"workspace {self.expected_workspace!r} does not match the Public API token's workspace {slug!r}"
            )
        config_id: str | None = None
        evidence = ["Public slug"]
        if self.config is not None:
            try:
                listed = self.config_list("workspaces.list", "workspaces")
            except ConnectionFailed as error:
                listed = None
                self.config = None
                self.config_note = "the Config API could not be reached"
                self.incomplete.append(f"Config API: {error}")
            if listed is not None:
                names = [str(item.get("name", "")).removeprefix("workspaces/") for item in listed]
                if slug not in names:
                    raise UsageError(
                        f"the Config API token belongs to workspace {', '.join(names) or '?'}, "
                        f"the Public API token to {slug!r}"
                    )
                config_id = next(item.get("id") for item in listed if item.get("name") == f"workspaces/{slug}")
                evidence.append("Config workspace name")
        self.entries.append(
            Entry(
                kind="workspace",
                config_name=build_name(self.api, "workspace", {"workspace_slug": slug}),
                slug=slug,
                public_id=str(public["id"]),
                display_name=public.get("name"),
                status="matched",
                evidence=evidence,
            )
        )
        self.progress("workspace", 1, 1)
        return Workspace(slug=slug, id=str(public["id"]), config_id=config_id, name=public.get("name"))

    def resolve_catalog(self) -> None:
        """Catalog slugs to metadata ids. The Config catalog is not read: its names are `catalog/<kind>/<slug>`."""
        self.progress("catalog", 0, 2)
        for kind, sdk, placeholder in (
            ("catalog_source", "CatalogApi.get_sources_catalog", "catalog_source_slug"),
            ("catalog_destination", "CatalogApi.get_destinations_catalog", "destination_slug"),
        ):
            for item in self.public_list(sdk, kind.replace("_", " ")):
                self.entries.append(
                    Entry(
                        kind=kind,
                        config_name=build_name(self.api, kind, {placeholder: item["slug"]}),
                        slug=item["slug"],
                        public_id=item["id"],
                        metadata_id=item["id"],
                        display_name=item.get("name"),
                        status="matched",
                        evidence=["slug"],
                    )
                )
            self.progress("catalog", 1, 2)

    def resolve_sources(self, slug: str) -> list[Json]:
        self.progress("sources", 0, None)
        sources = self.public_list("SourcesApi.list_sources", "sources")
        config_names: set[str] | None = None
        listed = self.config_step(
            "sources", lambda: self.config_list("sources.list", "sources", params={"workspace_slug": slug})
        )
        if listed is not None:
            config_names = {str(item.get("name")) for item in listed}
        seen: set[str] = set()
        for source in sources:
            name = build_name(self.api, "source", {"workspace_slug": slug, "source_slug": source["slug"]})
            seen.add(name)
            evidence = ["slug"]
            status = "matched"
            note = None
            if config_names is not None:
                if name in config_names:
                    evidence.append("listed by the Config API")
                else:
                    status, note = "public_only", "not listed by the Config API"
            self.entries.append(
                Entry(
                    kind="source",
                    config_name=name if status == "matched" else None,
                    slug=source["slug"],
                    public_id=source["id"],
                    metadata_id=(source.get("metadata") or {}).get("id"),
                    display_name=source.get("name"),
                    status=status,
                    evidence=evidence,
                    note=note,
                )
            )
        for name in sorted((config_names or set()) - seen):
            params = parse_name(self.api, "source", name) or {}
            self.entries.append(
                Entry(
                    kind="source",
                    config_name=name,
                    slug=params.get("source_slug"),
                    status="missing",
                    note="listed by the Config API, absent from the Public API",
                )
            )
        self.progress("sources", len(sources), len(sources))
        return sources

    def resolve_destinations(self, slug: str, sources: list[Json]) -> list[Json]:
        self.progress("destinations", 0, None)
        destinations = self.public_list("DestinationsApi.list_destinations", "destinations")
        by_id = {source["id"]: source for source in sources}
        groups: dict[tuple[str, str], list[Json]] = defaultdict(list)
        for destination in destinations:
            groups[(destination["sourceId"], destination["metadata"]["slug"])].append(destination)
        if "destination" in self.kinds:
            for (source_id, catalog_slug), instances in groups.items():
                source = by_id.get(source_id)
                if source is None:
                    continue
                name = build_name(
                    self.api,
                    "destination",
                    {"workspace_slug": slug, "source_slug": source["slug"], "destination_slug": catalog_slug},
                )
                first = instances[0]
                common = {
                    "kind": "destination",
                    "config_name": name,
                    "slug": catalog_slug,
                    "source_id": source_id,
                    "metadata_id": first["metadata"]["id"],
                    "evidence": ["sourceId", "metadata.slug"],
                }
                if len(instances) == 1:
                    entry = Entry(
                        **common,
                        public_id=first["id"],
                        display_name=first.get("name") or first["metadata"]["name"],
                        status="matched",
                    )
                else:
                    entry = Entry(
                        **common,
                        status="ambiguous",
                        display_name=first["metadata"]["name"],
                        candidates=[Candidate(public_id=d["id"], display_name=d.get("name")) for d in instances],
                        note=(
                            f"{len(instances)} instances of {catalog_slug} on source {source['slug']} share this "
                            "Config name (same meta id, different instance ids); choose one by id"
                        ),
                    )
                self.entries.append(entry)
        self.progress("destinations", len(destinations), len(destinations))
        return destinations

    def _match_by_name(
        self,
        kind: str,
        config_items: list[tuple[str, str]],
        public_items: list[Json],
        public_name: Callable[[Json], str],
        evidence: list[str],
        **extra: Any,
    ) -> None:
        """Config (name, display name) pairs against Public objects by display name."""
        by_name: dict[str, list[Json]] = defaultdict(list)
        for item in public_items:
            by_name[public_name(item)].append(item)
        used: set[str] = set()
        for config_name, display in config_items:
            found = by_name.get(display, [])
            common: dict[str, Any] = {"kind": kind, "config_name": config_name, "display_name": display, **extra}
            if len(found) == 1:
                used.add(found[0]["id"])
                self.entries.append(Entry(**common, public_id=found[0]["id"], status="matched", evidence=evidence))
            elif found:
                used.update(item["id"] for item in found)
                self.entries.append(
                    Entry(
                        **common,
                        status="ambiguous",
                        evidence=evidence,
                        candidates=[Candidate(public_id=item["id"], display_name=public_name(item)) for item in found],
                        note=f"{len(found)} Public objects are named {display!r}",
                    )
                )
            else:
                self.entries.append(Entry(**common, status="missing", note="no Public object of this name"))
        for item in public_items:
            if item["id"] not in used:
                note = f"needs the Config API to name it ({self.config_note})" if self.config_note else None
                self.entries.append(
                    Entry(
                        kind=kind, public_id=item["id"], display_name=public_name(item), status="public_only", note=note
                    )
                )

    def resolve_tracking_plans(self, slug: str) -> None:
        self.progress("tracking plans", 0, None)
        public = self.public_list("TrackingPlansApi.list_tracking_plans", "tracking plans")
        listed = self.config_step(
            "tracking plans",
            lambda: self.config_list("tracking_plans.list", "tracking plans", params={"workspace_slug": slug}),
        )
        pairs = [(str(item["name"]), str(item.get("display_name", ""))) for item in listed or []]
        self._match_by_name("tracking_plan", pairs, public, lambda item: str(item.get("name", "")), ["display_name"])
        self.progress("tracking plans", len(public), len(public))

    def resolve_functions(self, workspace: Workspace) -> None:
        self.progress("functions", 0, None)
        for resource_type in self.api.enums["function_type"].values:
            public = self.public_list(
                "FunctionsApi.list_functions", f"{resource_type.lower()} functions", {"resourceType": resource_type}
            )
            listed = None
            if workspace.config_id:
                listed = self.config_step("functions", self._config_functions(workspace.config_id, resource_type))
            pairs = [
                (
                    build_name(
                        self.api, "function", {"workspace_id": str(workspace.config_id), "function_id": str(item["id"])}
                    ),
                    str(item.get("display_name", "")),
                )
                for item in listed or []
            ]
            self._match_by_name(
                "function", pairs, public, lambda item: str(item.get("displayName", "")), ["display_name", "type"]
            )
        self.progress("functions", 1, 1)

    def _config_functions(self, workspace_id: str, resource_type: str) -> Callable[[], list[Json]]:
        def step() -> list[Json]:
            label = f"{resource_type.lower()} functions"
            return self.config_list("functions.list", label, {"type": resource_type}, {"workspace_id": workspace_id})

        return step

    def resolve_filters(self, slug: str, sources: list[Json], destinations: list[Json]) -> None:
        """One filter list per destination on each API: there is no workspace-wide filter list."""
        by_source = {source["id"]: source for source in sources}
        total = len(destinations)
        self.progress("filters", 0, total)

        def public_filters(destination: Json) -> tuple[Json, list[Json]]:
            found = self.public_list(
                "DestinationFiltersApi.list_filters_from_destination", "filters", destinationId=destination["id"]
            )
            self.progress("filters", 1, total)
            return destination, found

        with ThreadPoolExecutor(self.concurrency) as pool:
            public = list(pool.map(public_filters, destinations))
        instances: dict[str, list[Json]] = defaultdict(list)
        named: Counter[str] = Counter()
        for destination, found in public:
            source = by_source.get(destination["sourceId"])
            if source is None:
                continue
            name = build_name(
                self.api,
                "destination",
                {
                    "workspace_slug": slug,
                    "source_slug": source["slug"],
                    "destination_slug": destination["metadata"]["slug"],
                },
            )
            instances[name] += found
            named[name] += 1
        config_filters: dict[str, list[Json]] | None = None

        def fetch(name: str) -> tuple[str, list[Json]]:
            if named[name] > 1:  # several instances share the name: no Config call can tell them apart
                return name, []
            params = parse_name(self.api, "destination", name) or {}
            return name, self.config_list("filters.list", "filters", params=params)

        def fetch_all() -> dict[str, list[Json]]:
            with ThreadPoolExecutor(self.concurrency) as pool:
                return dict(pool.map(fetch, sorted(instances)))

        config_filters = self.config_step("filters", fetch_all)
        used: set[str] = set()
        for name, listed in sorted((config_filters or {}).items()):
            for item in listed:
                found = [
                    f for f in instances[name] if f.get("title") == item.get("title") and f.get("if") == item.get("if")
                ]
                common: dict[str, Any] = {
                    "kind": "filter",
                    "config_name": item["name"],
                    "display_name": item.get("title"),
                }
                if len(found) == 1:
                    used.add(found[0]["id"])
                    self.entries.append(
                        Entry(
                            **common,
                            public_id=found[0]["id"],
                            source_id=found[0]["sourceId"],
                            status="matched",
                            evidence=["destination", "title", "if"],
                        )
                    )
                elif found:
                    used.update(f["id"] for f in found)
                    self.entries.append(
                        Entry(
                            **common,
                            status="ambiguous",
                            evidence=["destination", "title", "if"],
                            candidates=[Candidate(public_id=f["id"], display_name=f.get("title")) for f in found],
                        )
                    )
                else:
                    self.entries.append(
                        Entry(**common, status="missing", note="no Public filter with this title and condition")
                    )
        note = f"needs the Config API to name it ({self.config_note})" if self.config_note else None
        for _destination, found in public:
            for item in found:
                if item["id"] not in used:
                    self.entries.append(
                        Entry(
                            kind="filter",
                            public_id=item["id"],
                            source_id=item.get("sourceId"),
                            display_name=item.get("title"),
                            status="public_only",
                            note=note,
                        )
                    )

    def resolve_warehouses(self) -> None:
        self.progress("warehouses", 0, None)
        warehouses = self.public_list("WarehousesApi.list_warehouses", "warehouses")
        for warehouse in warehouses:
            self.entries.append(
                Entry(
                    kind="warehouse",
                    public_id=warehouse["id"],
                    metadata_id=(warehouse.get("metadata") or {}).get("id"),
                    display_name=(warehouse.get("settings") or {}).get("name"),
                    status="public_only",
                    note="the Config API had no warehouse objects; its `warehouse_id` values are these ids",
                )
            )
        self.progress("warehouses", len(warehouses), len(warehouses))
