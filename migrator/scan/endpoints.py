"""Which Config endpoint a URL, or the shape of one built in code, calls.

A shape is the URL text with every part the scanner could not know replaced by HOLE. The path after
the Config prefix is matched segment by segment against the map's templates; a hole matches a
placeholder (or, less surely, anything, and may span several segments, as when a resource name is
reused as a path).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from mappings import ApiMap, Endpoint, load_map
from migrator.analysis.holes import HOLE

from .findings import Finding

HOSTS_PATTERN = re.compile(r"(?:https?:)?//platform\.segmentapis\.com", re.IGNORECASE)
PREFIX = re.compile(r"(?:^|/)(v1beta|v1alpha)(?=/|$|\?|\x00)")


@cache
def first_segments() -> frozenset[str]:
    """The words a Config path starts with after the version (`workspaces`, `catalog`, ...)."""
    return frozenset(endpoint.path.split("/")[0] for endpoint in load_map().endpoints)


@cache
def path_words() -> tuple[str, ...]:
    """Path words a client builds its Config paths from (a Go `SourceEndpoint = "sources"`, a setting
    `api: regulations`): the first segments and every collection the map's resource names hold (a
    word before a placeholder: `sources` in `workspaces/{workspace_slug}/sources/{source_slug}`)."""
    words = set(first_segments())
    for kind in load_map().kinds.values():
        parts = kind.config_pattern.split("/")
        words.update(word for word, after in itertools.pairwise(parts) if after.startswith("{") and "{" not in word)
    return tuple(sorted(words))


@cache
def name_fields() -> frozenset[str]:
    """The Config body fields the map types as resource names (`name`, `parent`, `catalog_name`):
    what they hold looks like a path and is none."""
    return frozenset(
        field.config for resource in load_map().resources.values() for field in resource.field if field.type == "name"
    )


def config_url(path: str) -> str:
    """The full Config URL of a path relative to the version prefix (the map's base URL), so that
    `classify` reads it as the host and prefix a client elsewhere supplies."""
    return str(load_map().protocol["config"]["base_url"]).rstrip("/") + "/" + path.lstrip("/")


@dataclass(frozen=True)
class Classified:
    """What a URL shape is: the Config API at all, and if so which endpoints it can be."""

    config: bool
    host: bool
    prefix: str | None
    path: str | None
    candidates: tuple[Endpoint, ...]
    certain: bool
    named: bool = False
    """A value of the code stands for a whole resource name (`f"{API}/{source['name']}/destinations"`)."""

    def pick(self, method: str | None) -> Endpoint | None:
        if not self.candidates:
            return None
        if method:
            chosen = [endpoint for endpoint in self.candidates if endpoint.method == method.upper()]
            return chosen[0] if len({endpoint.path for endpoint in chosen}) == 1 else None
        if len({endpoint.path for endpoint in self.candidates}) == 1:
            gets = [endpoint for endpoint in self.candidates if endpoint.method == "GET"]
            return gets[0] if gets else self.candidates[0]
        return None


def is_prefix(shape: str) -> bool:
    """A URL that stops at a first path segment with its slash (`.../v1beta/workspaces/`,
    `"workspaces/"`): the start of every path under it, built on in code, not an endpoint."""
    host = HOSTS_PATTERN.search(shape)
    rest = shape[host.end() :] if host else shape
    prefix = PREFIX.search(rest)
    rest = rest[prefix.end() :] if prefix else rest
    return rest.endswith("/") and rest.strip("/") in first_segments()


@cache
def _templates() -> list[tuple[Endpoint, tuple[str, ...]]]:
    api = load_map()
    return [(endpoint, tuple(endpoint.path.split("/"))) for endpoint in api.endpoints]


def _segment_matches(template: str, actual: str) -> tuple[bool, bool]:
    """(matches, certainly)."""
    if template.startswith("{") and template.endswith("}"):
        return True, True
    if actual == template:
        return True, True
    if HOLE in actual:
        pattern = "^" + re.escape(actual).replace(re.escape(HOLE), ".*") + "$"
        if re.match(pattern, template):
            return True, False
    if "{" in template:  # `metrics:batchGet` style: placeholder then literal
        regex = "^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$"
        return bool(re.match(regex, actual.replace(HOLE, "x"))), HOLE not in actual
    return False, False


@cache
def _name_patterns() -> frozenset[tuple[str, ...]]:
    """Resource-name patterns: a hole that stands for a whole resource name is a name, not words."""
    api = load_map()
    return frozenset(tuple(kind.config_pattern.split("/")) for kind in api.kinds.values() if kind.config_pattern)


def _match(template: tuple[str, ...], actual: tuple[str, ...]) -> tuple[int, int, int, bool, bool] | None:
    """None when no match; else a score, whether every alignment was certain, and whether a hole
    stood for a whole resource name. The score prefers,
    in order: more literal segments of the code aligned with literal segments of the template; fewer
    fixed words swallowed by holes (a hole in code stands for names and ids, and a whole resource
    name counts as one); fewer segments swallowed."""
    if not actual:
        return (0, 0, 0, True, False) if not template else None
    head, rest = actual[0], actual[1:]
    if head == HOLE:  # a hole may stand for one or several whole segments
        best: tuple[int, int, int, bool, bool] | None = None
        for consumed in range(1, len(template) - len(rest) + 1):
            found = _match(template[consumed:], rest)
            if found is None:
                continue
            swallowed = template[:consumed]
            named = swallowed in _name_patterns()
            penalty = 0 if named else sum(1 for s in swallowed if not s.startswith("{"))
            certain = found[3] and consumed == 1 and template[0].startswith("{")
            candidate = (found[0], found[1] - penalty, found[2] - consumed, certain, found[4] or named)
            if best is None or candidate[:3] > best[:3]:
                best = candidate
        return best
    if not template:
        return None
    ok, certain = _segment_matches(template[0], head)
    if not ok:
        return None
    found = _match(template[1:], rest)
    if found is None:
        return None
    aligned = 1 if HOLE not in head and not template[0].startswith("{") else 0
    return found[0] + aligned, found[1], found[2], certain and found[3], found[4]


@lru_cache(maxsize=65536)
def classify_path(path: str) -> tuple[tuple[Endpoint, ...], bool, bool]:
    """Endpoints a Config path (relative to the version prefix) can be, whether surely, and whether
    a value of the code in it stands for a whole resource name."""
    clean = path.split("?", 1)[0].split("#", 1)[0].strip("/")
    clean = re.sub(r"/{2,}", "/", clean)
    actual = tuple(clean.split("/")) if clean else ()
    if len(actual) > 1 and actual[0] == HOLE and actual[1] in first_segments():
        actual = actual[1:]  # `{args.api_url}/workspaces/...`: the value is the base, no segment of the path
    if not any(HOLE not in segment for segment in actual):
        return (), False, False
    scored: list[tuple[tuple[int, int, int], bool, bool, Endpoint]] = []
    for endpoint, template in _templates():
        found = _match(template, actual)
        if found is not None:
            scored.append(((found[0], found[1], found[2]), found[3], found[4], endpoint))
    if not scored:
        return (), False, False
    best = max(item[0] for item in scored)
    chosen = [item for item in scored if item[0] == best]
    return (
        tuple(item[3] for item in chosen),
        all(item[1] for item in chosen),
        all(item[2] for item in chosen),
    )


@lru_cache(maxsize=65536)
def classify(shape: str, context_is_segment: bool = False) -> Classified:
    """Classify a URL shape. Without the Segment host, a `v1beta/...` path counts only when the path
    is a Config endpoint and the surrounding code is about Segment (`context_is_segment`)."""
    host = HOSTS_PATTERN.search(shape)
    rest = shape[host.end() :] if host else shape
    prefix = PREFIX.search(rest)
    if host:
        if prefix and prefix.start() <= 1:
            path = rest[prefix.end() :]
        elif rest.strip("/").split("/")[0] in ("", HOLE) or rest.startswith("?"):
            path = ""
        else:
            return Classified(False, True, None, rest, (), False)  # e.g. Segment's webhook sources
        candidates, certain, named = classify_path(path)
        return Classified(True, True, prefix.group(1) if prefix else None, path or None, candidates, certain, named)
    if prefix is None:
        return Classified(False, False, None, None, (), False)
    path = rest[prefix.end() :]
    candidates, certain, named = classify_path(path)
    first = path.strip("/").split("/")[0]
    if candidates and context_is_segment and (first in first_segments() or first == HOLE):
        return Classified(True, False, prefix.group(1), path, candidates, certain, named)
    return Classified(False, False, prefix.group(1), path, (), False)


def public_twins(endpoint: Endpoint, api: ApiMap | None = None) -> tuple[str, ...]:
    return tuple(f"{step.method} {step.path}" for step in endpoint.public)


MANY = 4
"""More candidate endpoints than this are not listed: the path names none of them."""


def describe(endpoint: Endpoint | None, classified: Classified) -> str:
    if endpoint is None:
        options = sorted({f"{e.method} {e.path}" for e in classified.candidates})
        if len(options) > MANY and classified.path is not None and classified.path.endswith(HOLE):
            return (
                f"calls the Config API at `{readable(classified.path)}`, whose last part is a value the scan "
                f"cannot read: one of {len(options)} endpoints, not determined here"
            )
        return "calls the Config API: " + (" or ".join(options) if options else "endpoint not determined")
    return f"{endpoint.method} {endpoint.path}"


SHOWN_HOLE = "{…}"
"""How a finding's path shows a value the scan could not read."""


def readable(path: str) -> str:
    """A path as the scan read it, each value it could not read shown as `{…}`."""
    return path.replace(HOLE, SHOWN_HOLE)


LOST_VALUE = "a value the migration cannot carry"
"""How the reason of a read of an answer field the Public API does not carry begins (the judge and
apply's TODOs say the same of it)."""


def lost_value(key: str, api: ApiMap | None = None) -> str | None:
    """Why reading `key` from an answer needs a person after the migration, or None when it does not:
    the Public API does not carry the field, and answers through it hold a stand-in."""
    stand_in = (api or load_map()).lost_in_answers.get(key)
    if stand_in is None:
        return None
    carried = f"the Public API does not carry `{key}`, which reads {stand_in} after it"
    return f"{LOST_VALUE}: {carried}; this read needs a person"


SEVERAL_CALLS = "one Config call becomes several Public calls"
NAME_READ = "the path is a resource name read at run time"
APPLY_ONLY = ("; rewritten only where the code's shape allows", "; apply rewrites it to the object's id")
"""How the reasons above go on about what `migrate apply` does: said of Python only."""


def fixability_of(endpoint: Endpoint | None, classified: Classified | None) -> tuple[str, str | None]:
    if endpoint is None:
        if classified is not None and classified.candidates:
            return "manual", "the HTTP method is not known here, so the endpoint is not certain"
        return "manual", "the endpoint is built at run time"
    if endpoint.translation == "none":
        return "manual", f"no Public API twin: {endpoint.no_twin_reason} {endpoint.manual_step}"
    if endpoint.automation == "manual":
        return "manual", endpoint.manual_reason
    if endpoint.automation == "partial":
        return "manual", f"{SEVERAL_CALLS}; rewritten only where the code's shape allows"
    if classified is not None and not classified.certain and classified.named:
        return (
            "manual",
            f"{NAME_READ}; apply rewrites it to the object's id where the name comes from an answer it follows",
        )
    if classified is not None and not classified.certain:
        return "manual", "part of the path is built at run time"
    return "auto", None


def request_finding(
    *,
    file: str,
    line: int,
    column: int,
    language: str,
    classified: Classified,
    method: str | None,
    how: str,
    reason: str,
    snippet: str,
    via: str | None,
) -> Finding:
    """A request the cross-file passes found (a path relative to a client, a chokepoint's call),
    with the endpoint its verb picks among those its path can be, and how it was found."""
    endpoint = classified.pick(method)
    return Finding(
        kind="call",
        file=file,
        line=line,
        column=column,
        language=language,
        message=f"{describe(endpoint, classified)} ({how})",
        fixability="manual",
        confidence="medium",
        endpoint=endpoint.key if endpoint is not None else None,
        method=method,
        path=endpoint.path if endpoint is not None else classified.path,
        public=public_twins(endpoint) if endpoint is not None else (),
        reason=reason,
        snippet=snippet[:200],
        via=via,
    )
