"""Load, validate and index the map files. A broken map fails with one `MapError` naming the file and
the entry; a valid one is loaded once per directory, and kept in the cache by the hash of its files
and of the code that reads them, so a later run reads it back without validating it again."""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from migrator.errors import MapError

from .api import ApiMap
from .model import (
    Endpoint,
    EnumMap,
    IdKind,
    Placeholder,
    PublicModel,
    PublicOperation,
    PublicStep,
    Resource,
    WrapperChain,
)

HERE = Path(__file__).resolve().parent
FILES = (
    "protocol.toml",
    "resources.toml",
    "endpoints.toml",
    "fields.toml",
    "enums.toml",
    "public_operations.toml",
    "public_models.toml",
    "wrapper.toml",
)

if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationError

M = TypeVar("M")


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(model: type[M]) -> TypeAdapter[M]:
    adapter = _ADAPTERS.get(model)
    if adapter is None:
        from pydantic import TypeAdapter  # only a map not seen before is validated: see `_load`

        adapter = _ADAPTERS[model] = TypeAdapter(model)
    return adapter


def _build(model: type[M], data: Any, file: str, entry: str) -> M:
    from pydantic import ValidationError

    try:
        return _adapter(model).validate_python(data)
    except ValidationError as error:
        raise MapError(file, entry, _first_error(error)) from None


def _read(directory: Path, name: str) -> bytes:
    path = directory / name
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise MapError(str(path), None, "file is missing") from None
    except OSError as error:
        raise MapError(str(path), None, f"cannot read: {error.strerror or error}") from None


def _parsed(directory: Path, name: str, data: bytes) -> dict[str, Any]:
    import tomllib  # only a map not seen before is parsed

    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise MapError(str(directory / name), None, "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise MapError(str(directory / name), None, f"invalid TOML: {error}") from None


def _from_raw(directory: Path, raw: dict[str, dict[str, Any]]) -> ApiMap:
    """The map of the parsed files, each entry validated, then checked across entries."""
    resources = raw["resources.toml"]
    fields = raw["fields.toml"]
    wrapper = raw["wrapper.toml"]
    api = ApiMap(
        directory,
        protocol=raw["protocol.toml"],
        placeholders={
            name: _build(Placeholder, data, "mappings/resources.toml", f"placeholder {name!r}")
            for name, data in resources.get("placeholder", {}).items()
        },
        kinds={
            name: _build(IdKind, data, "mappings/resources.toml", f"kind {name!r}")
            for name, data in resources.get("kind", {}).items()
        },
        endpoints=[
            _build(Endpoint, data, "mappings/endpoints.toml", _endpoint_label(data, index))
            for index, data in enumerate(raw["endpoints.toml"].get("endpoint", []))
        ],
        resources={
            name: _build(Resource, data, "mappings/fields.toml", f"resource {name!r}")
            for name, data in fields.get("resource", {}).items()
        },
        rules={key: value for key, value in fields.items() if key != "resource"},
        enums={
            name: _build(EnumMap, data, "mappings/enums.toml", f"enum {name!r}")
            for name, data in raw["enums.toml"].get("enum", {}).items()
        },
        public_operations=[
            _build(PublicOperation, data, "mappings/public_operations.toml", f"operation #{index + 1}")
            for index, data in enumerate(raw["public_operations.toml"].get("operation", []))
        ],
        public_models={
            name: _build(PublicModel, data, "mappings/public_models.toml", f"model {name!r}")
            for name, data in raw["public_models.toml"].get("model", {}).items()
        },
        wrapper_module=str(wrapper.get("module", "")),
        wrapper_entry=str(wrapper.get("entry_class", "")),
        wrapper_chains=[
            _build(WrapperChain, data, "mappings/wrapper.toml", f"chain #{index + 1}")
            for index, data in enumerate(wrapper.get("chain", []))
        ],
        client_methods={str(name): str(key) for name, key in wrapper.get("go_client_methods", {}).items()},
    )
    _check(api)
    api.compile_routes()  # once, before the map is pickled for later runs
    return api


def _endpoint_label(data: Any, index: int) -> str:
    if isinstance(data, dict) and "key" in data:
        return f"endpoint {data['key']!r} (row {data.get('row', '?')})"
    return f"endpoint #{index + 1}"


def _label(endpoint: Endpoint) -> str:
    return f"endpoint {endpoint.key!r} (row {endpoint.row})"


def _duplicates(values: Iterable[Any]) -> Iterator[Any]:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            yield value
        seen.add(value)


def _check(api: ApiMap) -> None:
    """Cross-entry and cross-file consistency; the first problem found is raised."""
    endpoints_file = "mappings/endpoints.toml"
    limits = api.protocol.get("public", {}).get("size_limits", [])
    if not any(
        isinstance(rule, dict) and rule.get("prefix") == "/" and isinstance(rule.get("bytes"), int) for rule in limits
    ):
        raise MapError("mappings/protocol.toml", "public.size_limits", 'needs a { prefix = "/", bytes = N } rule')
    for kind_name, kind in api.kinds.items():
        for name in re.findall(r"\{(\w+)\}", kind.config_pattern):
            if name not in api.placeholders:
                raise MapError("mappings/resources.toml", f"kind {kind_name!r}", f"unknown placeholder {{{name}}}")
    for row in _duplicates(endpoint.row for endpoint in api.endpoints):
        raise MapError(endpoints_file, f"row {row}", "two endpoints share this row number")
    for key in _duplicates(endpoint.key for endpoint in api.endpoints):
        raise MapError(endpoints_file, f"endpoint {key!r}", "two endpoints share this key")
    for method, path in _duplicates((endpoint.method, endpoint.path) for endpoint in api.endpoints):
        raise MapError(endpoints_file, f"{method} {path}", "two endpoints share this method and path")
    for endpoint in api.endpoints:
        label = _label(endpoint)
        for name in endpoint.placeholders:
            if name not in api.placeholders:
                raise MapError(endpoints_file, label, f"unknown placeholder {{{name}}} (declare it in resources.toml)")
        if endpoint.resource and endpoint.resource not in api.resources:
            raise MapError(endpoints_file, label, f"resource {endpoint.resource!r} is not in fields.toml")
        for index, step in enumerate(endpoint.public):
            _check_step(api, endpoint, index, step)
    for chain in api.wrapper_chains:
        if chain.endpoint not in api._by_key:
            raise MapError("mappings/wrapper.toml", f"chain {chain.chain!r}", f"unknown endpoint {chain.endpoint!r}")
    for name, key in api.client_methods.items():
        if key not in api._by_key:
            raise MapError("mappings/wrapper.toml", f"go_client_methods.{name}", f"unknown endpoint {key!r}")
    for name, resource in api.resources.items():
        entry = f"resource {name!r}"
        for direction in ("request", "response"):  # a field may be spelled once each way
            fields = [item for item in resource.field if item.direction in (direction, "both")]
            for spelling in _duplicates(s for item in fields for s in item.spellings):
                raise MapError("mappings/fields.toml", entry, f"field spelling {spelling!r} appears twice")
        for item in resource.field:
            where = f"{entry} field {item.config!r}"
            if item.enum and item.enum not in api.enums:
                raise MapError("mappings/fields.toml", where, f"enum {item.enum!r} is not in enums.toml")
            if item.kind and item.kind not in api.kinds:
                raise MapError("mappings/fields.toml", where, f"kind {item.kind!r} is not in resources.toml")
            if item.items and item.items not in api.resources:
                raise MapError("mappings/fields.toml", where, f"item resource {item.items!r} is not defined")


def _check_step(api: ApiMap, endpoint: Endpoint, index: int, step: PublicStep) -> None:
    file = "mappings/endpoints.toml"
    where = f"{_label(endpoint)} Public step {index + 1}"
    operation = api.public_operation(step.method, step.path)
    if operation is None:
        raise MapError(file, where, f"{step.method} {step.path} is not a Public API operation (public_operations.toml)")
    path_names = set(step.placeholders)
    if set(step.bind) != path_names:
        missing = sorted(path_names - set(step.bind))
        extra = sorted(set(step.bind) - path_names)
        detail = f"unbound {missing}" if missing else f"bound but not in the path {extra}"
        raise MapError(file, where, f"path placeholders and `bind` differ: {detail}")
    for name in step.query:
        if name not in operation.query:
            raise MapError(file, where, f"query parameter {name!r} is not one of {operation.query}")
    if step.supplies:
        resource = api.resources.get(endpoint.resource or "")
        if step.method != "GET" or endpoint.method != "GET" or resource is None:
            raise MapError(file, where, "`supplies` is for a read of a Config read with a resource")
        for name in step.supplies:
            if resource.by_config(name) is None:
                raise MapError(file, where, f"supplies {name!r}, which is not a field of {endpoint.resource}")
    config_names = set(endpoint.placeholders)
    for name, expression in {**step.bind, **step.query, **step.body_fields}.items():
        head, _, tail = expression.partition(":")
        if head == "id":
            kind = api.kinds.get(tail)
            if kind is None:
                raise MapError(file, where, f"{name} = {expression!r}: unknown id kind {tail!r}")
            needed = set(re.findall(r"\{(\w+)\}", kind.config_pattern))
            if not needed or not needed <= config_names:
                raise MapError(
                    file, where, f"{name} = {expression!r}: the Config path does not name a {tail} ({sorted(needed)})"
                )
        elif head == "path" and tail not in config_names:
            raise MapError(file, where, f"{name} = {expression!r}: no placeholder {{{tail}}} in the Config path")
        elif head == "step":
            number = tail.split(":", 1)[0]
            if not number.isdigit() or int(number) >= index:
                raise MapError(file, where, f"{name} = {expression!r}: must name an earlier step")
        elif head in ("query", "body") and "|enum:" in tail and tail.split("|enum:", 1)[1] not in api.enums:
            raise MapError(file, where, f"{name} = {expression!r}: unknown enum {tail.split('|enum:', 1)[1]!r}")
        elif head == "item" and (step.each or "").startswith("answer:"):
            if index == 0 or not tail:
                raise MapError(file, where, f"{name} = {expression!r}: names a field of the previous answer's items")
        elif head == "item":
            if endpoint.translation != "loop":
                raise MapError(file, where, f"{name} = {expression!r}: `item` only exists in a loop")
            if tail and tail not in api.kinds:
                raise MapError(file, where, f"{name} = {expression!r}: unknown id kind {tail!r}")


CODE = (HERE / "model.py", HERE / "api.py", HERE / "loader.py")
"""What decides how the files become an `ApiMap`: part of the cached map's key."""


def _key(files: dict[str, bytes]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for path in CODE:
        digest.update(path.read_bytes())
    for name, data in files.items():
        digest.update(name.encode() + b"\0" + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _cache_file(key: str) -> Path | None:
    from migrator.caching import cache_folder

    try:
        return cache_folder() / f"map-{key}.pickle"
    except RuntimeError:  # no home folder to put a cache in
        return None


def _cached(key: str, directory: Path) -> ApiMap | None:
    """The map validated earlier from files with this very content, or None. The cache is only ever
    a saving: a file that cannot be read or is not a map is ignored (and later overwritten)."""
    path = _cache_file(key)
    if path is None:
        return None
    try:
        return _revived(path.read_bytes(), directory)
    except OSError:  # missing
        return None


def _revived(data: bytes, directory: Path) -> ApiMap | None:
    """A validated map pickled earlier, now for `directory`; None when `data` is not one."""
    try:
        api = pickle.loads(data)
    except Exception:  # truncated, or written by code that no longer exists
        return None
    if not isinstance(api, ApiMap):
        return None
    api.directory = directory
    return api


def _pickled(api: ApiMap) -> bytes:
    return pickle.dumps(api, protocol=pickle.HIGHEST_PROTOCOL)


def _validated(directory: Path, files: dict[str, bytes]) -> ApiMap:
    return _from_raw(directory, {name: _parsed(directory, name, data) for name, data in files.items()})


def _remember(key: str, api: ApiMap) -> None:
    from migrator.output import atomic_write_bytes

    path = _cache_file(key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, _pickled(api))
        for stale in path.parent.glob("map-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        pass


PACKAGED = HERE / "validated.map"
"""The packaged map, validated when it was built (`python -m mappings.freeze`): a first run after
installing reads it rather than importing pydantic to validate the files, a tenth of a second.
It starts with its key, and is read only for files and code with that very key."""


def _packaged(key: str, directory: Path) -> ApiMap | None:
    if directory != HERE:
        return None
    try:
        with PACKAGED.open("rb") as packaged:
            if packaged.readline().strip() != key.encode():
                return None  # the files or the code changed since it was made: a test says so
            return _revived(zlib.decompress(packaged.read()), directory)
    except (OSError, zlib.error):  # missing, or unreadable: the files are validated as if it were not there
        return None


def packaged_bytes(directory: Path = HERE) -> bytes:
    """What `PACKAGED` holds for the map in `directory`: its key, then the validated map."""
    files = {name: _read(directory, name) for name in FILES}
    return _key(files).encode() + b"\n" + zlib.compress(_pickled(_validated(directory, files)), 9)


@functools.cache
def _load(directory: Path) -> ApiMap:
    files = {name: _read(directory, name) for name in FILES}
    key = _key(files)
    cached = _packaged(key, directory) or _cached(key, directory)
    if cached is not None:
        return cached
    api = _validated(directory, files)
    _remember(key, api)
    return api


MAP_ENV = "SEGMENT_MIGRATOR_MAPPINGS"


def load_map(directory: Path | str | None = None) -> ApiMap:
    """The validated map of `directory` (default: $SEGMENT_MIGRATOR_MAPPINGS, else the packaged
    mappings/), loaded once per directory."""
    chosen = directory if directory is not None else os.environ.get(MAP_ENV) or HERE
    known = _resolved.get(chosen)
    if known is None:  # resolving costs system calls, and the codemods ask once per file
        known = _resolved[chosen] = Path(chosen).resolve()
    return _load(known)


_resolved: dict[Path | str, Path] = {}
