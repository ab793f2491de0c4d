"""What every codemod shares: the file's context, the plan of the Config calls in it, TODOs.

A codemod (a `Fixer`, one per module of `codemods/fixers/`) decides its own edits, at one of two
moments: `decide`, asked by the plan for its part of one Config call's native rewrite (the call
moves only when every fixer asked can make its part, else the first refusal is its TODO), and
`plan_file`, once the native rewrites are settled, for what it does across the file. It sees the
file through one `FileContext`: the calls the plan found (with their endpoint, URL shape and
decided rewrite), the ID map, and the TODOs to leave. Fixers do not walk the tree themselves: the
engine walks it once and offers each node to every fixer in turn, in the order of their `stage`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from mappings import ApiMap, Endpoint

if TYPE_CHECKING:
    from migrator.idmap import IdMap  # the ID map (and pydantic) load only when a run has one
    from migrator.repository import ImportedBase

    from .finder import CallFinder
    from .site import CallSite

TODO_PREFIX = "# TODO(migrate): "

Rebuild = Callable[[cst.CSTNode], cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]]


@dataclass(frozen=True)
class Edit:
    """One node to replace, by the fixer that owns the concern: `rebuild` gets the node as the walk
    left it (its children already rewritten) and returns its replacement."""

    fixer: str
    node: cst.CSTNode
    rebuild: Rebuild
    counted: bool = True
    """One of the changes the summary counts for the fixer (an import it leaves unread is only tidied)."""


@dataclass(frozen=True)
class NameSource:
    """`x["name"]`, read from an answer, reused as the path of another Config call: on the Public
    API the same object is `x` plus `keys` (its id), and the name is that of a `kind`."""

    base: cst.BaseExpression
    keys: tuple[str, ...]
    kind: str
    quote: str


@dataclass
class PlannedCall:
    """An HTTP call to the Config API found in the file, and what the plan decided for it."""

    call: cst.Call
    url: cst.BaseExpression
    shape: str
    endpoint: Endpoint | None
    method: str | None
    base_names: set[str] = field(default_factory=set)
    rewrite: cst.BaseExpression | None = None
    todo: str | None = None
    edits: list[Edit] = field(default_factory=list)
    dropped: list[cst.Name] = field(default_factory=list)
    """Variables the Config path used that the Public path does not (the workspace)."""
    inlined: dict[str, set[int]] = field(default_factory=dict)
    """URL constants re-assembled from their definition into this call's URL: their reads here."""
    named: dict[int, NameSource] = field(default_factory=dict)
    """Names of this call's answer that other calls reuse as paths (by the read's id)."""
    name_reads: set[int] = field(default_factory=set)
    """The reads of another call's answer whose name this call's path reuses."""
    compat: bool = False
    """Not rewritten natively: it goes through the compatibility layer (its own transport call, or
    its helper's)."""


@dataclass
class FileContext:
    path: str
    source: str
    api: ApiMap
    id_map: IdMap | None
    public_base: str
    only: frozenset[str] | None = None
    """`--only`: a call whose rewrite needs a codemod left out is not rewritten at all."""
    recorded: str | None = None
    """The cassette-playing test that records this module's Config requests: none is rewritten natively
    (the cassette would no longer match), each goes on as made, through the layer."""
    calls: list[PlannedCall] = field(default_factory=list)
    by_url: dict[int, PlannedCall] = field(default_factory=dict)
    safe_bases: set[str] = field(default_factory=set)
    unsafe_bases: set[str] = field(default_factory=set)
    todos: dict[int, list[str]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    lookups: set[str] = field(default_factory=set)
    statements_of: dict[int, cst.CSTNode] = field(default_factory=dict)
    through: dict[int, int] = field(default_factory=dict)
    """A call of a chokepoint helper in this file -> the helper's own transport call (by id)."""
    name_paths: frozenset[int] = frozenset()
    """`x["name"]` reads that are pieces of a Config call's URL (a resource name reused as a path)."""
    named: dict[int, NameSource] = field(default_factory=dict)
    """What the answers followed so far say of those reads."""
    name_parameters: dict[int, list[cst.Subscript]] = field(default_factory=dict)
    """A parameter read that is a piece of a Config call's URL (`f"{API}/{source_name}/destinations"`)
    -> the `x["name"]` reads every caller of its function passes for it."""
    edits: dict[int, list[Edit]] = field(default_factory=dict)
    wrapper_clients: set[int] = field(default_factory=set)
    wrapper_import_replaced: bool = False
    imported_bases: dict[str, ImportedBase] = field(default_factory=dict)
    """Config base URL constants this module imports from another of the repository, by local name:
    the calls built on one move onto its Public twin, imported from the same module."""
    module_bases: dict[str, ImportedBase] = field(default_factory=dict)
    """Config base URL constants this module reads as attributes of a module it imports
    (`settings.API` after `from kit import settings`), by attribute name: the calls built on one move
    onto `settings.API_PUBLIC`, which the module defining it gets."""
    exported_bases: frozenset[str] = frozenset()
    """This module's base constants other modules import: never moved in place (their importers'
    calls read them too); the calls that move read a twin."""
    twins_wanted: frozenset[str] = frozenset()
    """This module's base constants whose twin the calls of importing modules read."""
    twins_imported: set[str] = field(default_factory=set)
    """The constants (dotted) whose twin this module now imports."""
    imported_elsewhere: bool = False
    """Another module of the repository imports this one (and may read the bases it imported)."""
    dropped_imports: list[cst.SimpleStatementLine] = field(default_factory=list)
    """Top-level import lines the migration removes (all their names unread after it)."""
    unrouted: list[tuple[cst.CSTNode, str]] = field(default_factory=list)
    """Config URLs handed to a client apply cannot route (`hook.run(endpoint=...)`), each with the
    TODO left above its statement."""
    layered_before: list[tuple[cst.Call, str]] = field(default_factory=list)
    """Calls of a helper an earlier run routed through the layer, each with the helper's name:
    nothing is left for apply to do, and they are retired with that helper's call."""
    session_sends: list[cst.Call] = field(default_factory=list)
    """Requests sent on a session the layer makes (`session.get(url)` after `session =
    segment_compat.Session()`): the session is routed, each of these goes through it."""

    def todo(self, message: str, statement: cst.CSTNode | None) -> None:
        """Leave `# TODO(migrate): message` above `statement`."""
        if statement is None:
            return
        notes = self.todos.setdefault(id(statement), [])
        if message not in notes:
            notes.append(message)


class Refused(Exception):
    """A fixer cannot make its part of a call's rewrite; the message is the reason the TODO gives."""


class Stage(IntEnum):
    """When a fixer's edits apply, on the way out of the one walk: a node is offered to the fixers
    of an earlier stage first, so each stage sees the node as the earlier ones left it."""

    URL = 1
    """Where the call goes: its URL and method. Decided first: when the Public path cannot be
    built, that is the reason a call stays, whatever else stands in the way."""
    REQUEST = 2
    """What the call sends: body and query."""
    CLIENT = 3
    """The library call becomes the generated client's, once its arguments are rewritten."""
    ANSWER = 4
    """Reads of the answer, which wrap the (rewritten) call."""
    TESTS = 5
    """Tests that pin the legacy request."""
    TRANSPORT = 6
    """The transport call of a call none of the above rewrote goes through the compatibility layer."""
    DEFINITIONS = 7
    """Base URL constants, once every call reading them is settled."""
    NOTES = 8
    """TODOs, last: they go above statements as the others left them."""


@dataclass(frozen=True)
class FilePlan:
    """What a fixer's `plan_file` sees: the walk's findings, and the run's knowledge of the repository."""

    context: FileContext
    finder: CallFinder
    testing: bool
    moved_modules: frozenset[str] = frozenset()
    kept_modules: frozenset[str] = frozenset()
    layered_modules: frozenset[str] = frozenset()
    imported_constants: frozenset[str] = frozenset()
    """What this module reads a Config URL through from elsewhere in the repository: constants
    another module defines, settings of its configuration files, classes holding one it subclasses."""
    sessions_made: frozenset[str] = frozenset()
    """The sessions this module makes at its top level that Config clients of the repository import."""
    sessions_imported: frozenset[str] = frozenset()
    """How this module reads such a session made in another (`session`, `http.session`)."""
    compat: bool = True
    """The compatibility layer may be used (not left out by `--only`)."""


@dataclass(frozen=True)
class Case:
    """An example of what a fixer does, kept beside it and run by the tests: `before` becomes
    `after`, or (`after` None) this fixer leaves it as it is, for the reason `why`; `todo` is then
    the TODO the call gets, if any. Every other codemod runs too (a call moves with all of its
    parts or not at all), the compatibility layer only for its own cases."""

    before: str
    after: str | None = None
    why: str = ""
    todo: str | None = None
    path: str = "module.py"
    ids: tuple[tuple[str, str, str], ...] = ()
    """The ID map's entries: (kind, Config name, Public id)."""
    moved: tuple[str, ...] = ()
    """Modules whose calls all moved in the same run (for a test of them)."""


class Fixer:
    """One concern of the migration. A subclass names itself and its stage, decides its edits
    (`decide`, `plan_file`), and applies them in `leave`, counting what it changes. Defining one in
    a module of `codemods/fixers/` is all it takes to register it."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    stage: ClassVar[Stage] = Stage.REQUEST
    registered: ClassVar[list[type[Fixer]]] = []
    cases: ClassVar[tuple[Case, ...]] = ()
    """At least one change and one case left alone, with its reason (`tests/codemods/test_fixer_cases.py`)."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name:
            Fixer.registered.append(cls)

    @classmethod
    def decide(cls, site: CallSite) -> list[Edit]:
        """This fixer's part of one Config call's native rewrite: its edits, or `Refused` with the
        reason the call cannot move. Most fixers have no part in it."""
        return []

    @classmethod
    def plan_file(cls, file: FilePlan) -> None:
        """Edits across the file, once the plan has settled which calls move natively."""

    def __init__(self, context: FileContext) -> None:
        self.context = context

    def changed(self, count: int = 1) -> None:
        self.context.counts[self.name] += count

    def leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:
        """Called for every node on the way out of the walk; returns the node to keep. By default,
        the edits the plan recorded for this fixer."""
        for edit in self.context.edits.get(id(original), ()):
            if edit.fixer == self.name:
                rebuilt = edit.rebuild(updated)
                if edit.counted:
                    self.changed()
                if not isinstance(rebuilt, cst.CSTNode):  # removed, or become several statements
                    return rebuilt  # type: ignore[return-value]  # the engine's rebuild passes it on
                updated = rebuilt
        return updated
