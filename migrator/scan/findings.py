"""The scanner's typed results: what it found, where, what replaces it, and what it could not read."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from migrator.analysis.holes import HOLE

SCAN_SCHEMA_VERSION = 1

Kind = Literal[
    "call",  # an HTTP call to a Config endpoint
    "base_url",  # the Config base URL or host, defined once and used by calls
    "url",  # a Config URL or path that is not (yet) tied to a call
    "wrapper",  # the segment_config_api wrapper: its import or a fluent call
    "update_mask",  # an update_mask body
    "pagination",  # page_size / page_token / next_page_token handling of a Config list
    "consumer",  # code reading a Config answer's shape (snake_case keys, resource-name parsing)
    "test",  # a test pinning a legacy URL or body
    "commented",  # commented-out legacy code: not live
    "todo",  # a TODO(migrate) marker left by the codemods
    "compat",  # a call routed through the compatibility layer by the codemods
    "secret",  # a hard-coded API token (value redacted)
    "config",  # infrastructure naming the Config API (Terraform provider, connector host, env file)
    "client",  # a repository's own Config API client constructed: its requests are found where it makes them
]
KINDS: tuple[str, ...] = (
    "call",
    "base_url",
    "url",
    "wrapper",
    "update_mask",
    "pagination",
    "consumer",
    "test",
    "commented",
    "todo",
    "compat",
    "secret",
    "config",
    "client",
)
Fixability = Literal["auto", "manual"]
Confidence = Literal["high", "medium", "low"]
CONFIDENCE: tuple[Confidence, ...] = ("low", "medium", "high")
"""How sure a finding is, least first: `high` is a resolved Config URL or wrapper call."""

KIND_HELP = {
    "call": "A call to a Config API endpoint. Replace it with its Public API twin.",
    "base_url": (
        "The Config API base URL or host. The Public API is https://api.segmentapis.com (EU "
        "https://eu1.api.segmentapis.com), with no version prefix and no workspace segment."
    ),
    "url": "A Config API URL or path. Translate it with `migrate translate`.",
    "wrapper": (
        "The segment_config_api wrapper. Its calls map to Public API endpoints; the Public SDK is segment_public_api."
    ),
    "update_mask": (
        "An update_mask body. The Public API has none: send only the changed fields, with a masked path "
        "without a value sent as its zero value."
    ),
    "pagination": (
        "Config pagination (page_size, page_token, next_page_token). Public lists use pagination.count, "
        "pagination.cursor and data.pagination.next."
    ),
    "consumer": (
        "Code reading the Config answer's shape. Public answers are wrapped in `data`, camelCase, and "
        "carry ids instead of resource names."
    ),
    "test": "A test pinning a legacy URL or body. Update it with the code it tests.",
    "commented": "Commented-out Config API code. Not live; delete it or migrate it.",
    "todo": "A TODO(migrate) left by `migrate apply`: a rewrite that could not be proven safe.",
    "compat": (
        "A call `migrate apply` routed through the generated compatibility layer (segment_compat): it reaches "
        "the Public API and answers as the Config API did. Retire it for a native Public API call when its "
        "callers are ready (`migrate translate` shows the Public call)."
    ),
    "secret": (
        "A hard-coded API token. Move it to the environment; rotate it (GitHub secret scanning revokes "
        "exposed Public API tokens)."
    ),
    "config": "Configuration naming the Config API (a Terraform provider, a connector host, an env file).",
    "client": (
        "The repository's own Config API client, constructed here. It sends no request itself: its requests "
        "are reported where the client makes them, and its method calls where they are called."
    ),
}


@dataclass(frozen=True)
class Finding:
    kind: str
    file: str
    line: int
    column: int
    language: str
    message: str
    fixability: str
    confidence: str
    endpoint: str | None = None
    method: str | None = None
    path: str | None = None
    public: tuple[str, ...] = ()
    reason: str | None = None
    snippet: str = ""
    via: str | None = None
    """The file of the Config client this use goes through, when the request is made there."""

    def __post_init__(self) -> None:
        # Tokens never leave a finding: every text it carries is redacted here, whoever built it.
        from .secrets import redact

        object.__setattr__(self, "snippet", redact(self.snippet))
        object.__setattr__(self, "message", redact(self.message))
        if HOLE in self.message or HOLE in (self.path or ""):  # a value the analysis could not read
            from .endpoints import readable

            object.__setattr__(self, "message", readable(self.message))
            object.__setattr__(self, "path", readable(self.path) if self.path is not None else None)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["public"] = list(self.public)
        return {key: value for key, value in data.items() if value not in (None, "", [])}


@dataclass(frozen=True)
class FileError:
    file: str
    message: str
    skipped: bool = False
    """Nothing of it was read (a folder not entered, a file not opened or over the size limit): the
    scan's result is incomplete, not merely less precise."""


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files_seen: int = 0
    files_read: int = 0
    files_parsed: int = 0
    files_cached: int = 0
    bytes_read: int = 0
    roots: list[str] = field(default_factory=list)

    def at_least(self, confidence: str) -> ScanResult:
        """This result with only the findings at least this sure (low < medium < high)."""
        floor = CONFIDENCE.index(confidence)
        kept = [finding for finding in self.findings if CONFIDENCE.index(finding.confidence) >= floor]
        return replace(self, findings=kept) if len(kept) != len(self.findings) else self

    @property
    def complete(self) -> bool:
        """Every file and folder the walk found was read (parse errors only make it less precise)."""
        return not any(error.skipped for error in self.errors)

    def summary(self) -> dict[str, Any]:
        by_kind: dict[str, int] = {}
        by_family: dict[str, int] = {}
        fixable = {"auto": 0, "manual": 0}
        for finding in self.findings:
            by_kind[finding.kind] = by_kind.get(finding.kind, 0) + 1
            if finding.endpoint:
                family = finding.endpoint.split(".")[0]
                by_family[family] = by_family.get(family, 0) + 1
            fixable[finding.fixability] = fixable.get(finding.fixability, 0) + 1
        return {
            "findings": len(self.findings),
            "files_with_findings": len({finding.file for finding in self.findings}),
            "files_seen": self.files_seen,
            "files_read": self.files_read,
            "files_parsed": self.files_parsed,
            "errors": len(self.errors),
            "skipped": sum(1 for error in self.errors if error.skipped),
            "by_kind": dict(sorted(by_kind.items())),
            "by_endpoint_family": dict(sorted(by_family.items())),
            "fixability": fixable,
        }
