"""The toolkit as a library: the four jobs of the `migrate` command, each a function returning a
typed result, for scripts, notebooks and other tools (the CLI formats these same results).

    from pathlib import Path
    from migrator import api

    found = api.scan([Path("services/")], min_confidence="high")
    for finding in found.findings:
        print(finding.file, finding.line, finding.endpoint, finding.public)

    changes = api.apply([Path("services/")], ids=Path("ids.json"))   # nothing written
    print(changes.summary())
    api.write(changes)                                                 # now it is

    print(api.translate("GET", "/v1beta/workspaces/acme/sources/web").to_json())
    id_map = api.resolve(public_token=os.environ["SEGMENT_PUBLIC_API_TOKEN"]).id_map

Errors are `migrator.errors.MigratorError` subclasses, with one-line messages; tokens never
appear in a result or a message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from codemods.engine import ApplyResult

    from .idmap import IdMap
    from .resolver import ResolveResult
    from .scan.findings import ScanResult
    from .translator import Translation

__all__ = ["apply", "resolve", "scan", "translate", "write"]


def scan(
    paths: Sequence[Path],
    *,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    gitignore: bool = True,
    max_size: int = 2_000_000,
    min_confidence: Literal["low", "medium", "high"] = "low",
    jobs: int | None = None,
    cache: bool = True,
) -> ScanResult:
    """Every Config API use under `paths`, each finding with its file, line, endpoint, Public twin,
    fixability and confidence; `result.complete` is False when a file or folder could not be read."""
    from .early_parser import APPLY_JUDGE
    from .scan import WalkOptions, scan_paths

    options = WalkOptions(include=list(include), exclude=list(exclude), gitignore=gitignore, max_bytes=max_size)
    return scan_paths(list(paths), options, jobs, cache=cache, judge=APPLY_JUDGE).at_least(min_confidence)


def apply(
    paths: Sequence[Path],
    *,
    ids: Path | IdMap | None = None,
    region: Literal["us", "eu"] = "us",
    only: Iterable[str] | None = None,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    max_size: int = 2_000_000,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ApplyResult:
    """The rewrite of every Python file under `paths`, computed and checked but not written: each
    outcome holds the new text; `write(result)` writes them (atomically), `result.summary()` counts."""
    from codemods.engine import MIGRATED, ApplyOptions
    from codemods.engine import apply as run_apply

    from .idmap import IdMap, load_id_map
    from .scan import WalkOptions

    id_map = ids if isinstance(ids, IdMap) or ids is None else load_id_map(str(ids))
    options = ApplyOptions(id_map=id_map, region=region, only=frozenset(only) if only else None)
    walk = WalkOptions(include=list(include) or list(MIGRATED), exclude=list(exclude), max_bytes=max_size)
    return run_apply(tuple(paths), options, walk, jobs, progress)


def write(result: ApplyResult) -> None:
    """Write what `apply` computed: each changed file atomically, and the generated modules."""
    from codemods.engine import write as write_result

    write_result(result)


def translate(
    method: str, path: str, body: Any = None, *, query: dict[str, list[str]] | None = None, ids: Path | None = None
) -> Translation:
    """The Public API call(s) that do what one Config API request did. Without `ids`, ids appear as
    the Config names they stand for; `translation.untranslatable` says when there is no Public twin."""
    from .codec import Names
    from .translator import ConfigRequest, IdMapNames, SymbolicNames, Translator

    names: Names = SymbolicNames()
    if ids is not None:
        from .idmap import load_id_map

        names = IdMapNames(load_id_map(str(ids)))
    return Translator(names).translate(ConfigRequest(method.upper(), path, query or {}, body))


def resolve(
    *,
    public_token: str,
    config_token: str | None = None,
    region: Literal["us", "eu"] | None = None,
    public_url: str | None = None,
    config_url: str | None = None,
    workspace: str | None = None,
) -> ResolveResult:
    """The slug-to-ID map of the token's workspace (`result.id_map`, saved with `.save(path)`), from
    the Public API and, with a Config token, what only the Config API knows; ambiguity is listed,
    never guessed."""
    from .clients import ConfigClient, Endpoints, PublicClient
    from .resolver import Resolver

    endpoints = Endpoints.resolve(region, config_url, public_url)
    public = PublicClient.connect(endpoints.public_url, public_token)
    config = ConfigClient.connect(endpoints.config_url, config_token) if config_token else None
    try:
        return Resolver(public, config, workspace=workspace, region=endpoints.region).run()
    finally:
        public.close()
        if config is not None:
            config.close()
