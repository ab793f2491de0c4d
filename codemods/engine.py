"""Run every registered codemod over Python files: one parse and one walk per file, output re-parsed
before it counts, a file that fails left untouched and reported, writes atomic, diffs `git apply`
can take. A second run changes nothing."""

from __future__ import annotations

import ast
import contextlib
import functools
import gc
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, cast

import libcst as cst

from mappings import load_map
from migrator.analysis.bindings import Scope
from migrator.analysis.parsing import parse_module, why_not_parsed
from migrator.analysis.visitor import TRIVIA, DispatchingVisitor, child_attributes, walk_tree
from migrator.compat import PACKAGE, layer_files
from migrator.notebook import IPYTHON, Notebook, NotebookError, ipython_lines, python_of, size_to_parse
from migrator.notebook import SUFFIX as NOTEBOOK_SUFFIX
from migrator.output import atomic_write, atomic_write_bytes
from migrator.repository import (
    SETTINGS_GLOBS,
    ConfigConstants,
    ConfigSettings,
    SharedSessions,
    config_constants,
    config_settings,
    functions_on_imported,
    import_root,
    import_words,
    imported_modules,
    imported_objects,
    imported_pairs,
    is_settings_file,
    module_name,
    module_sessions,
    recorded_by,
    shared_sessions,
)
from migrator.scan.sharing import frozen
from migrator.scan.walk import LOOKUP_MODULE, WalkOptions, holds_markers, walk
from migrator.sourcefile import BOM, SourceError, read_source

from . import REGISTRY
from .base import FileContext, FilePlan, Fixer
from .finder import CallFinder
from .fixers.host import twin_name
from .fixers.pinned import is_test_file
from .fixers.wrapper import CLIENT_MODULE, client_module
from .lookup import lookup_module
from .patch import file_diff
from .plan import plan, public_base
from .splice import spliced_code
from .syntax import descendants

if TYPE_CHECKING:
    from migrator.idmap import IdMap  # the ID map (and pydantic) load only when a run has one

LAYER_IMPORT = f"import {PACKAGE}"
EVIDENCE = ("platform.segmentapis.com", "v1beta/", "v1alpha/", "/v1beta", "/v1alpha", "segment_config_api")
EVIDENCE_BYTES = tuple(marker.encode() for marker in EVIDENCE)


@dataclass(frozen=True)
class ApplyOptions:
    id_map: IdMap | None = None
    region: str = "us"
    only: frozenset[str] | None = None
    moved_modules: frozenset[str] = frozenset()
    """Modules (by name) whose Config calls all moved in this run: their tests are updated."""
    kept_modules: frozenset[str] = frozenset()
    """Modules that still call the Config API: their tests keep pinning it."""
    layered_modules: frozenset[str] = frozenset()
    """Modules (dotted names) with calls routed through the compatibility layer: their tests mock the layer."""
    recorded_modules: dict[str, str] = field(default_factory=dict)
    """Modules (dotted names) a test playing recorded HTTP answers imports (vcrpy's cassettes), each
    with that test: their Config requests go on as made, through the layer, for the cassettes to match."""
    config_constants: ConfigConstants = field(default_factory=ConfigConstants)
    """The repository's Config URL constants: a module importing one is a Config client."""
    config_settings: ConfigSettings = field(default_factory=ConfigSettings)
    """The settings of its configuration files that hold a Config URL: a module reading one is a
    Config client too."""
    imported_scripts: frozenset[str] = frozenset()
    """Modules run as scripts that another module of the repository imports (by path): their
    functions' callers are not all in them."""
    imported_importers: frozenset[str] = frozenset()
    """Modules importing a Config base constant that another module of the repository imports (by
    path): the name they imported it as may be read from them."""
    exported_bases: frozenset[str] = frozenset()
    """The base constants (dotted) of `config_constants` whose module another module imports."""
    twins_wanted: frozenset[str] = frozenset()
    """The base constants (dotted) whose Public twin importing modules read: written beside them."""
    withheld: frozenset[str] = frozenset()
    """The base constants (dotted) that cannot get a twin: their importers' calls stay as they are."""
    shared_sessions: SharedSessions = field(default_factory=SharedSessions)
    """The sessions made at the top of one module that Config clients of the repository import:
    made by the layer where they are made, every request on them goes through it."""
    patch_root: Path | None = None
    """For `--diff`: each changed file's patch, relative to this folder, is made where the file is
    migrated (in the worker processes) rather than for all files at the end."""


@dataclass
class FileOutcome:
    path: str
    display: str
    source: str
    new_source: str
    error: str | None = None
    counts: Counter[str] = field(default_factory=Counter)
    todos: int = 0
    lookups: set[str] = field(default_factory=set)
    config_calls: int = 0
    moved_calls: int = 0
    compat_calls: int = 0
    uses_layer: bool = False
    """The file (as migrated) imports the compatibility layer, so the layer must be beside it."""
    client: bool = False
    twins_imported: frozenset[str] = frozenset()
    """The base constants (dotted) whose Public twin the migrated file imports from their module."""
    encoding: str = "utf-8"
    """The file's own encoding, which the rewrite is written in."""
    patch: str = ""
    replaced: list[tuple[int, int, str]] | None = None
    """The splice's replacements of `source` (for the patch; never sent between processes)."""

    @property
    def changed(self) -> bool:
        return self.error is None and self.new_source != self.source


@dataclass
class ApplyResult:
    outcomes: list[FileOutcome]
    lookup_files: dict[str, str]
    """Every module the migrated files import that `apply` generates (lookups, the layer), by path."""
    patch_root: Path | None = None
    layers: list[str] = field(default_factory=list)
    """The folders of the compatibility layers among `lookup_files`."""
    twins: list[tuple[str, str]] = field(default_factory=list)
    """(path, name) of each Public twin written beside a base URL constant other modules import."""

    def compat_uses(self) -> list[tuple[str, int]]:
        """Each file with calls routed through the compatibility layer in this run, and how many."""
        return [(o.display, o.counts["compat"]) for o in self.outcomes if o.changed and o.counts.get("compat")]

    def summary(self) -> dict[str, object]:
        counts: Counter[str] = Counter()
        for outcome in self.outcomes:
            counts.update(outcome.counts)
        return {
            "files": len(self.outcomes),
            "changed": sum(1 for outcome in self.outcomes if outcome.changed),
            "unchanged": sum(1 for outcome in self.outcomes if outcome.error is None and not outcome.changed),
            "failed": sum(1 for outcome in self.outcomes if outcome.error is not None),
            "todos_added": sum(outcome.todos for outcome in self.outcomes),
            "config_calls": sum(outcome.config_calls for outcome in self.outcomes),
            "moved_calls": sum(outcome.moved_calls for outcome in self.outcomes),
            "compat_calls": counts.get("compat", 0),
            "by_codemod": {fixer.name: counts.get(fixer.name, 0) for fixer in REGISTRY},
            "lookup_modules": sorted(
                name for name in self.lookup_files if not any(name.startswith(layer) for layer in self.layers)
            ),
            "layers": list(self.layers),
        }


def _rebuild(
    node: cst.CSTNode, wanted: set[int], targets: set[int], fixers: list[Fixer]
) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
    """The one transforming pass: only the nodes on the way to a change are rebuilt (with
    `with_changes`, so each is validated), children first, then offered to every fixer in registry
    order. libcst's own `visit` would rebuild every child of every node it enters."""
    changes: dict[str, object] = {}
    for attribute in child_attributes(node):
        value = getattr(node, attribute)
        # `wanted` holds ids of this tree's nodes, which the tree keeps alive: an id found there is
        # one of them, and no isinstance test (an abstract class's, slow) is needed to know it.
        if type(value) is tuple or type(value) is list:
            if not any(id(item) in wanted for item in value):
                continue
            items: list[object] = []
            changed = False
            for item in value:
                if id(item) in wanted:
                    new = _rebuild(item, wanted, targets, fixers)
                    changed = changed or new is not item
                    if isinstance(new, cst.RemovalSentinel):
                        continue
                    if isinstance(new, cst.FlattenSentinel):
                        items.extend(new.nodes)
                        continue
                    items.append(new)
                else:
                    items.append(item)
            if changed:
                changes[attribute] = tuple(items)
        elif id(value) in wanted:
            new = _rebuild(value, wanted, targets, fixers)
            if new is not value:
                changes[attribute] = new
    result: cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode] = (
        node.with_changes(**changes) if changes else node
    )
    if id(node) not in targets:
        return result  # only on the way to a change
    for fixer in fixers:
        result = fixer.leave(node, cast(cst.CSTNode, result))  # a node: the sentinels break out below
        if _gone(result):
            break  # the node is gone, or became several: nothing else applies to it
    return result


def _gone(result: object) -> bool:
    """A removal or a flattening (exact tests: an isinstance against a libcst class is slow)."""
    return result is cst.RemovalSentinel.REMOVE or type(result) is cst.FlattenSentinel


def planned_file(
    path: str, source: str, options: ApplyOptions, tree: cst.Module | None = None
) -> tuple[cst.Module, FilePlan]:
    """One file parsed (unless `tree` is it, parsed already), walked once, and every fixer's
    decisions recorded (nothing rewritten yet). Raises what the parser raises."""
    module = tree if tree is not None else parse_module(source)
    testing = is_test_file(path)
    finder = CallFinder(literals=testing)
    finder.walk(module)
    if path in options.imported_scripts:
        finder.bindings.script = False
    api = load_map()
    context = FileContext(path, source, api, options.id_map, public_base(api, options.region), options.only)
    if options.recorded_modules:
        context.recorded = options.recorded_modules.get(module_name(Path(path)))
    _shared_bases(context, finder, options)
    if IPYTHON in source:  # a notebook's `%timeit -n 3 get(API + ...)`: names the codemods cannot see read
        read = set(IPYTHON_NAMES.findall("\n".join(ipython_lines(source))))
        context.exported_bases |= frozenset(read & finder.module.assignments.keys())
    plan(context, finder)
    file = FilePlan(
        context,
        finder,
        testing,
        moved_modules=options.moved_modules,
        kept_modules=options.kept_modules,
        layered_modules=options.layered_modules,
        imported_constants=options.config_constants.imported(finder.aliases, source)
        | options.config_settings.read_in(source)
        | options.config_constants.subclassed(finder.aliases, source),
        sessions_made=options.shared_sessions.defined_in(module_name(Path(path))),
        sessions_imported=options.shared_sessions.imported(finder.aliases),
        compat=options.only is None or "compat" in options.only,
    )
    for fixer in REGISTRY:
        fixer.plan_file(file)
    return module, file


IPYTHON_NAMES = re.compile(r"(?<![\w.])[A-Za-z_]\w*")
"""The names an IPython line may read (`API` in `%timeit -n 3 get(API + "/x")`): a base constant one
of them names is read where it cannot move, as one other modules import is (a twin is added)."""


def _shared_bases(context: FileContext, finder: CallFinder, options: ApplyOptions) -> None:
    """What the plan needs of the base constants this module shares with others: those it imports
    are read as bound to their URL here (as if defined in it), those it defines that others import,
    or whose twin they read, are named."""
    constants = options.config_constants
    if not constants.bases:
        return
    imported = constants.imported_bases(finder.aliases)
    if imported:
        twins = {f"{base.dotted.rsplit('.', 1)[0]}.{twin_name(base.name)}" for base in imported.values()}
        for local, dotted in finder.aliases.items():
            twin = any(name == dotted or name.endswith("." + dotted) for name in twins)
            if twin and local not in finder.module.assignments:
                # imported by an earlier run: the calls reading it go to the Public API already
                finder.module.assignments[local] = cst.SimpleString(repr(context.public_base))
    for local, base in imported.items():
        if base.dotted in options.withheld or local in finder.module.assignments:
            continue
        context.imported_bases[local] = base
        finder.module.assignments[local] = cst.SimpleString(repr(base.url))
    context.imported_elsewhere = context.path in options.imported_importers
    through_modules = constants.module_bases(finder.aliases)
    taken = (
        set(finder.module.assignments) | {name for scope in finder.classes.values() for name in scope.assignments}
        if through_modules
        else set()
    )
    for local, bases in through_modules.items():
        usable = {
            name: base for name, base in bases.items() if base.dotted not in options.withheld and name not in taken
        }
        if not usable or local in finder.module.assignments or local in finder.classes:
            continue
        # `settings.API` is read as a class attribute is: through the scope its name stands for
        module_scope = Scope("module", local, parent=finder.module)
        for name, base in usable.items():
            module_scope.assignments[name] = cst.SimpleString(repr(base.url))
            module_scope.assignments[twin_name(name)] = cst.SimpleString(repr(context.public_base))
            context.module_bases[name] = base
        finder.classes[local] = module_scope
        taken |= set(module_scope.assignments)
    here = constants.bases_defined_in(context.path)
    context.exported_bases = frozenset(d.rsplit(".", 1)[-1] for d in here if d in options.exported_bases)
    context.twins_wanted = frozenset(d.rsplit(".", 1)[-1] for d in here if d in options.twins_wanted)


def _newer_syntax(source: str, path: str, new_source: str) -> bool:
    """Whether the source is in a newer Python's syntax than this one's (`type X = ...`, PEP 701
    f-strings: CPython here rejects the source itself) and the rewrite parses as the source did, by
    libcst's grammar, which knows those versions."""
    try:
        compile(source, path, "exec", dont_inherit=True, flags=ast.PyCF_ONLY_AST)
        return False  # this Python reads the source: its verdict on the rewrite stands
    except Exception:
        pass
    try:
        parse_module(new_source)
    except Exception:
        return False
    return True


def migrate_source(path: str, source: str, options: ApplyOptions) -> FileOutcome:
    """The migrated text of one file. Never raises: a failure is the outcome's `error`."""
    if path.endswith(NOTEBOOK_SUFFIX):
        return _migrate_notebook(path, source, options)
    return _migrate_python(path, source, options)


def _reads_config(source: str, options: ApplyOptions, path: str) -> bool:
    """Whether a module with no Config marker of its own reads a Config URL kept elsewhere in the
    repository (a constant another module defines, a setting of its configuration files, or a class
    it subclasses), or makes a session Config clients of the repository import."""
    return (
        options.config_constants.named_in(source)
        or options.config_constants.subclassed_in(source)
        or bool(options.config_settings.read_in(source))
        or bool(options.shared_sessions.dotted and options.shared_sessions.defined_in(module_name(Path(path))))
    )


def _migrate_notebook(path: str, source: str, options: ApplyOptions) -> FileOutcome:
    """A notebook migrated as the module its code cells make, cut back into its cells: a cell whose
    code is not Python, or a layout Jupyter would not write, leaves it as it was, reported."""
    outcome = FileOutcome(path=path, display=path, source=source, new_source=source)
    if not any(marker in source for marker in EVIDENCE) and not _reads_config(source, options, path):
        return outcome
    try:
        notebook = Notebook.read(source)
    except NotebookError as error:
        outcome.error = f"notebook not migrated: {error}"
        return outcome
    migrated = _migrate_python(path, notebook.python, options)
    python = migrated.new_source
    migrated.source, migrated.new_source, migrated.replaced = source, source, None
    if migrated.error is None and python != notebook.python:
        try:
            migrated.new_source = notebook.with_python(python)
        except NotebookError as error:
            migrated.error = f"notebook not migrated: {error}"
    return migrated


def _migrate_python(path: str, source: str, options: ApplyOptions) -> FileOutcome:
    outcome = FileOutcome(path=path, display=path, source=source, new_source=source)
    outcome.uses_layer = LAYER_IMPORT in source
    if not any(marker in source for marker in EVIDENCE) and not _reads_config(source, options, path):
        return outcome
    from migrator.scan import nesting_too_deep

    refused = nesting_too_deep(source)
    if refused is not None:
        outcome.error = f"not parsed ({refused})"
        return outcome
    try:
        module, file = planned_file(path, source, options)
        context, finder, testing = file.context, file.finder, file.testing
        outcome.config_calls = len(context.calls)
        outcome.moved_calls = sum(1 for planned in context.calls if planned.todo is None and not planned.compat)
        outcome.compat_calls = sum(1 for planned in context.calls if planned.compat)
        if not context.todos and not context.edits and not any(p.rewrite is not None for p in context.calls):
            return outcome  # nothing to change: no transform, no code generation
        fixers = [fixer(context) for fixer in REGISTRY if options.only is None or fixer.name in options.only]
        changed, wanted = _wanted(context, finder)
        rebuilt = _rebuild(module, wanted, changed, fixers)
        assert isinstance(rebuilt, cst.Module)
        migrated = rebuilt
        unchanged = frozenset(id(statement) for statement in module.body)
        if (
            context.lookups
            and (context.counts.get("paths") or context.counts.get("wrapper"))
            and _reads_module(migrated, LOOKUP_MODULE)
        ):
            migrated = _with_import(migrated, LOOKUP_MODULE, unchanged)
            outcome.lookups = set(context.lookups)
        if context.counts.get("compat") and not testing:  # a test names the layer in its mocks alone
            in_place = _in_place_of(module, migrated, context.dropped_imports)
            migrated = _with_import(migrated, PACKAGE, unchanged, in_place)
        if context.wrapper_clients and context.counts.get("wrapper"):
            if not context.wrapper_import_replaced:
                migrated = _with_import(migrated, CLIENT_MODULE, unchanged)
            outcome.client = True
        spliced = spliced_code(source, module, migrated)
        new_source = spliced.text if spliced is not None else _printed_whole(source, module, migrated)
    except cst.ParserSyntaxError as error:
        outcome.error = why_not_parsed(error, source)
        return outcome
    except Exception as error:  # one file's failure never stops the others
        outcome.error = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        return outcome
    if new_source != source:
        try:  # never write a file that does not parse (CPython's own parser)
            if spliced is None:
                compile(new_source, path, "exec", dont_inherit=True, flags=ast.PyCF_ONLY_AST)
            else:
                spliced.check(path)  # what was printed, in its blocks: the rest parsed before
        except Exception as error:
            if not _newer_syntax(source, path, new_source):
                outcome.error = f"the rewrite did not parse ({type(error).__name__}); file left as it was"
                return outcome
    outcome.new_source = new_source
    outcome.twins_imported = frozenset(context.twins_imported)
    outcome.uses_layer = LAYER_IMPORT in new_source
    outcome.replaced = None if spliced is None else spliced.replaced
    outcome.counts = context.counts
    outcome.todos = context.counts.get("todos", 0)
    return outcome


def _printed_whole(source: str, module: cst.Module, migrated: cst.Module) -> str:
    """The migrated module printed whole, when the splice could not print only what changed. libcst
    prints some files back not quite as they were (a last line break that is a lone CR is dropped):
    what it drops at the end is put back, and any other difference refuses the file."""
    printed_back = module.code
    if printed_back == source:
        return migrated.code
    lost = source[len(printed_back) :]
    if not source.startswith(printed_back) or lost.strip(" \t\f\r\n"):
        raise ValueError("libcst does not print this file back as it was")
    return migrated.code + lost


def _wanted(context: FileContext, finder: CallFinder) -> tuple[set[int], set[int]]:
    """The nodes a fixer changes (rewritten URLs, edited nodes, statements that get a TODO, the
    assignments of base URLs that move), and every node on the way to them."""
    targets: list[int] = list(context.todos)
    targets += [node for node, names in finder.assigned.items() if names & context.safe_bases]
    nodes = finder.bindings.nodes
    wanted: set[int] = set()
    starts: list[cst.CSTNode | None] = [nodes.get(target) for target in targets]
    starts += [edits[0].node for edits in context.edits.values()]
    starts += [planned.url for planned in context.calls if planned.rewrite is not None]  # wherever it is built
    changed = {id(node) for node in starts if node is not None}
    parents = finder.bindings.parents
    for node in starts:
        while node is not None and id(node) not in wanted:
            wanted.add(id(node))
            node = parents.get(id(node))
    return changed, wanted


def _in_place_of(
    module: cst.Module, migrated: cst.Module, dropped: list[cst.SimpleStatementLine]
) -> tuple[int, cst.SimpleStatementLine] | None:
    """Where the layer's import takes the place of a third-party import the migration dropped
    (`import requests`, alone in its group): the index in `migrated` of the statement that followed
    it, kept as it was, and the dropped line (its blank lines and comments go to the new import, so
    the groups stay as they were). None when no such line was dropped."""
    body = list(module.body)
    kept = {id(statement): index for index, statement in enumerate(migrated.body)}
    for line in dropped:
        first = line.body[0] if line.body else None
        if not isinstance(first, cst.Import | cst.ImportFrom) or _standard(first):
            continue
        if isinstance(first, cst.ImportFrom) and first.relative:
            continue
        position = next((index for index, statement in enumerate(body) if statement is line), None)
        following = body[position + 1] if position is not None and position + 1 < len(body) else None
        if following is not None and id(following) in kept:
            return kept[id(following)], line
    return None


def _standard(statement: cst.BaseSmallStatement | None) -> bool:
    """An import of the standard library's modules only (`import os`, `from urllib import parse`)."""
    if isinstance(statement, cst.ImportFrom):
        return statement.module is not None and not statement.relative and _stdlib(statement.module)
    return isinstance(statement, cst.Import) and all(_stdlib(alias.name) for alias in statement.names)


def _stdlib(name: cst.Attribute | cst.Name) -> bool:
    return cst.Module([]).code_for_node(name).split(".")[0] in sys.stdlib_module_names


class _ModuleReads(DispatchingVisitor):
    unvisited = TRIVIA

    def __init__(self, name: str) -> None:
        self.name = name
        self.found = False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if type(node.value) is cst.Name and node.value.value == self.name:
            self.found = True
        return not self.found


def _reads_module(module: cst.Module, name: str) -> bool:
    """Whether the migrated module reads `name.` anywhere: a lookup planned for a call later left as
    it was (a TODO, or routed through the layer) imports nothing."""
    reads = _ModuleReads(name)
    walk_tree(module, reads)
    return reads.found


def _with_import(
    module: cst.Module,
    name: str,
    unchanged: frozenset[int] = frozenset(),
    in_place: tuple[int, cst.SimpleStatementLine] | None = None,
) -> cst.Module:
    """`import name`, unless it is imported already: after the module's last top-level import that
    runs before the first top-level statement using the name (a script's or a notebook's cells may
    import more further down), else after its last top-level import (one that may come after a
    `sys.path` change the import needs). `unchanged`: the top-level statements (by id) the migration
    left as they were, which cannot hold a use of the name it brought in (not searched: a search of
    every statement's nodes costs more than the rest of a script's migration). `in_place`: where a
    dropped import stood (`_in_place_of`), taken when only imports stand between it and that place.
    Put after the standard library's imports, it starts a group of its own, as isort would put it."""
    body = list(module.body)
    firsts = [
        statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and statement.body else None
        for statement in body
    ]
    for small in firsts:
        if isinstance(small, cst.Import) and any(
            isinstance(alias.name, cst.Name) and alias.name.value == name for alias in small.names
        ):
            return module
    first_use = next(
        (
            index
            for index, statement in enumerate(body)
            if id(statement) not in unchanged
            and not isinstance(statement, cst.FunctionDef | cst.ClassDef)
            and any(isinstance(node, cst.Name) and node.value == name for node in descendants(statement))
        ),
        len(body),
    )
    before_use = firsts[:first_use]
    imports = [index for index, first in enumerate(before_use) if isinstance(first, cst.Import | cst.ImportFrom)]
    docstring = bool(firsts) and isinstance(firsts[0], cst.Expr) and isinstance(firsts[0].value, cst.SimpleString)
    insert_at = imports[-1] + 1 if imports else int(docstring)
    line = cst.SimpleStatementLine(body=[cst.Import(names=[cst.ImportAlias(name=cst.Name(name))])])
    between = range(in_place[0], insert_at) if in_place is not None else range(0)
    if (
        in_place is not None
        and in_place[0] <= insert_at
        and all(isinstance(firsts[index], cst.Import | cst.ImportFrom) for index in between)
    ):
        # Not past a statement the imports after it may need (a `sys.path` change): only imports between.
        insert_at = in_place[0]
        line = line.with_changes(leading_lines=in_place[1].leading_lines)
    elif imports and insert_at == imports[-1] + 1 and all(_standard(firsts[index]) for index in imports):
        line = line.with_changes(leading_lines=[cst.EmptyLine()])  # after the standard library's group
    body.insert(insert_at, line)
    return module.with_changes(body=body)


def migrate_file(path: Path, display: str, options: ApplyOptions) -> FileOutcome:
    try:
        read = read_source(path)
    except SourceError as error:
        return FileOutcome(str(path), display, "", "", error=str(error))
    outcome = migrate_source(str(path), read.code, options)
    outcome.display = display
    outcome.encoding = read.encoding
    if read.text != read.code:  # the byte-order mark: back in front, where the file had it
        outcome.source, outcome.new_source = read.text, BOM + outcome.new_source
        shift = len(BOM)
        if outcome.replaced is not None:
            starts_at_top = any(start == 0 for start, _, _ in outcome.replaced)
            # a change at the very top would no longer start a line: the patch compares all then
            outcome.replaced = (
                None if starts_at_top else [(start + shift, end + shift, text) for start, end, text in outcome.replaced]
            )
    if outcome.changed:
        try:
            read.encode(outcome.new_source)
        except SourceError as error:
            outcome.error = f"{error}; file left as it was"
    return outcome


def _migrate_batch(batch: list[tuple[Path, str]], options: ApplyOptions) -> list[FileOutcome]:
    # The collector stays out of the batch: trees hold no cycles (so each is freed the moment it is
    # done with), and what few cycles a file leaves are collected once the collector is back on.
    collecting = gc.isenabled()
    gc.disable()
    try:
        outcomes = [migrate_file(path, display, options) for path, display in batch]
    finally:
        if collecting:
            gc.enable()
    for outcome in outcomes:
        if not outcome.changed:  # nothing to write or diff: do not send the text back
            outcome.source = outcome.new_source = ""
        elif options.patch_root is not None:
            name = _relative(outcome.path, options.patch_root)
            outcome.patch = file_diff(name, outcome.source, outcome.new_source, outcome.replaced)
        outcome.replaced = None
    return outcomes


MIGRATED = ("*.py", f"*{NOTEBOOK_SUFFIX}")
"""The files `migrate apply` rewrites: Python modules, and notebooks' Python cells."""


def apply(
    paths: Iterable[Path],
    options: ApplyOptions,
    walk_options: WalkOptions | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ApplyResult:
    """Migrate every Python file under `paths` (nothing is written: see `write`)."""
    walk_options = walk_options or WalkOptions()
    refused: list[FileOutcome] = []  # what could not be read, or is too large to migrate

    def unreadable(display: str, reason: str) -> None:
        refused.append(FileOutcome(display, display, "", "", error=reason))

    files: list[tuple[Path, str]] = []
    settings_files: list[Path] = []
    reach = replace(walk_options, also_read=[*walk_options.also_read, *SETTINGS_GLOBS])
    for root in paths:
        for candidate in walk(Path(root), reach, unreadable):
            if candidate.read_only or candidate.path.suffix not in (".py", NOTEBOOK_SUFFIX):
                if is_settings_file(candidate.path):
                    settings_files.append(candidate.path)
                continue
            too_large = _too_large(candidate.path, walk_options.max_bytes)
            if too_large is None:
                files.append((candidate.path, candidate.display))
            elif too_large:
                unreadable(candidate.display, too_large)
    import_root.cache_clear()  # folders seen by an earlier run in this process may have changed since
    imports: list[tuple[Path, frozenset[str]]] = []
    objects: list[frozenset[str]] = []
    scripts: list[Path] = []
    sessions: list[tuple[str, frozenset[str]]] = []
    pairs: list[tuple[Path, bool, frozenset[str]]] = []
    """Per file: whether it names the Config API, and what it imports (`imported_pairs`)."""
    recorded: dict[str, str] = {}
    display_of = dict(files)

    def texts() -> Iterator[tuple[Path, str]]:
        """Each file's text once, streamed (a large tree is not held in memory), noting on the way
        what `imported_modules` needs of it."""
        for path, _ in files:
            text = _read(path)
            if text is None:
                continue
            # A notebook's imports are in its code cells (its JSON has no line starting `import`).
            code = python_of(text) if path.suffix == NOTEBOOK_SUFFIX else None
            python = text if code is None else code
            imports.append((path, import_words(python)))
            objects.append(imported_objects(python))
            if made := module_sessions(python):
                sessions.append((module_name(path), frozenset(made)))
            pairs.append((path, any(marker in text for marker in EVIDENCE), imported_pairs(python)))
            if "__main__" in text and any(marker in text for marker in EVIDENCE):
                scripts.append(path)
            if is_test_file(str(path)):
                for module in recorded_by(python):
                    recorded.setdefault(module, display_of.get(path, path.name))
            yield path, text

    constants = config_constants(texts())
    # URL functions built on a constant another module defines: read again, those importing one
    # (by name, or the module defining it: `from . import settings`, then `settings.BASE`)
    defining = {dotted.split(".")[-2] for dotted in constants.dotted if "." in dotted} | constants.names
    importing = [path for (path, _words), names in zip(imports, objects, strict=True) if names & defining]
    built = functions_on_imported(((path, text) for path in importing if (text := _read(path))), constants)
    if built:
        constants = constants.with_functions(built)
    settings = config_settings(_settings_texts(settings_files, walk_options.max_bytes))

    def config_client(path: Path, named: bool, names: frozenset[str]) -> Callable[[], bool]:
        """Whether a module is a Config client: it names the API, imports a Config constant, or (its
        text read again) reads one through its module (`settings.API_URL`) or a setting holding one."""

        def answer() -> bool:
            if named or names & constants.names:
                return True
            text = _read(path)
            return text is not None and (constants.named_in(text) or bool(settings.read_in(text)))

        return answer

    options = replace(
        options,
        config_constants=constants,
        config_settings=settings,
        recorded_modules=recorded,
        imported_scripts=imported_modules(imports, scripts),
        imported_importers=imported_modules(
            imports, [path for (path, _), names in zip(imports, objects, strict=True) if names & constants.names]
        ),
        exported_bases=constants.exported(
            (path, words, names) for (path, words), names in zip(imports, objects, strict=True)
        ),
        shared_sessions=shared_sessions(
            sessions,
            (
                (imported, config_client(path, named, names))
                for (path, named, imported), names in zip(pairs, objects, strict=True)
            ),
        ),
    )
    load_map()  # once, before the workers fork: they inherit it instead of each loading it again
    code: list[tuple[Path, str]] = []
    tests: list[tuple[Path, str]] = []
    for item in files:
        (tests if is_test_file(str(item[0])) else code).append(item)
    workers = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    with contextlib.ExitStack() as stack:
        pool = None
        if workers > 1 and len(files) >= 32:
            stack.enter_context(frozen())  # the workers inherit what is loaded, never collected
            pool = stack.enter_context(ProcessPoolExecutor(workers))
        outcomes = _run(code, options, pool, workers, progress, done=0, total=len(files))
        outcomes, options, twins = _with_twins(outcomes, code, options, pool, workers)
        moved = {_module(o.path) for o in outcomes if o.config_calls and o.moved_calls == o.config_calls}
        kept = {
            _module(o.path) for o in outcomes if o.moved_calls + o.compat_calls < o.config_calls or o.error is not None
        }
        layered = {module_name(Path(o.path)) for o in outcomes if o.uses_layer}
        options_for_tests = replace(
            options, moved_modules=frozenset(moved), kept_modules=frozenset(kept), layered_modules=frozenset(layered)
        )
        outcomes += _run(tests, options_for_tests, pool, workers, progress, done=len(outcomes), total=len(files))
    lookup_files: dict[str, str] = {}
    if options.id_map is not None:
        by_folder: dict[Path, set[str]] = {}
        for outcome in outcomes:
            if outcome.changed and outcome.lookups:
                # beside the layer, where a package's modules import it from as a script does
                by_folder.setdefault(import_root(Path(outcome.path).parent), set()).update(outcome.lookups)
        for folder, kinds in by_folder.items():
            target = folder / f"{LOOKUP_MODULE}.py"
            lookup_files[str(target)] = lookup_module(options.id_map, kinds, existing=_read(target))
    api = load_map()
    for folder in {
        import_root(Path(outcome.path).parent) for outcome in outcomes if outcome.changed and outcome.client
    }:
        lookup_files[str(folder / f"{CLIENT_MODULE}.py")] = client_module(public_base(api, options.region))
    roots = sorted({import_root(Path(outcome.path).parent) for outcome in outcomes if outcome.uses_layer})
    if roots:
        layer = layer_files(options.region, options.id_map)
        for root in roots:
            for name, text in layer.items():
                lookup_files[str(root / PACKAGE / name)] = text
    outcomes += refused
    return ApplyResult(
        outcomes, lookup_files, options.patch_root, [str(root / PACKAGE) + os.sep for root in roots], twins
    )


def _settings_texts(paths: list[Path], max_bytes: int) -> Iterator[tuple[Path, str]]:
    """The configuration files' texts (those under `max_bytes`: a large data file holds no setting)."""
    for path in paths:
        try:
            if path.stat().st_size <= max_bytes:
                yield path, path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue


def _with_twins(
    outcomes: list[FileOutcome],
    code: list[tuple[Path, str]],
    options: ApplyOptions,
    pool: ProcessPoolExecutor | None = None,
    workers: int = 1,
) -> tuple[list[FileOutcome], ApplyOptions, list[tuple[str, str]]]:
    """The modules defining the base constants whose twins migrated modules import, migrated again
    to write those twins, and put first: written before the modules importing them, an interrupted
    run never leaves an import of a name not yet there. A twin that could not be written (its module
    failed, say) is withheld, and the modules that wanted it are migrated again without it. The
    options returned withhold every twin not written, for the tests migrated next; with them, each
    twin written, (the file it is in, its name)."""
    wanted = frozenset(dotted for outcome in outcomes for dotted in outcome.twins_imported)
    written: set[str] = set()
    twins: list[tuple[str, str]] = []
    if wanted:
        options = replace(options, twins_wanted=wanted)
        by_path = {str(path): (path, display) for path, display in code}
        definers = {path for dotted, path, _url in options.config_constants.bases if dotted in wanted}
        definer_files = [by_path[o.path] for o in outcomes if o.path in definers and o.path in by_path]
        again = {o.path: o for o in _run(definer_files, options, pool, workers, None, 0, len(definer_files))}
        outcomes = [again.get(o.path, o) for o in outcomes]
        url = public_base(load_map(), options.region)
        for outcome in again.values():
            text = outcome.new_source if outcome.error is None else outcome.source
            for dotted in options.config_constants.bases_defined_in(outcome.path):
                twin = twin_name(dotted.rsplit(".", 1)[-1])
                if dotted in wanted and _binds(text, twin, url):
                    written.add(dotted)
                    twins.append((outcome.path, twin))
        missing = wanted - written
        if missing:
            options = replace(options, withheld=options.withheld | missing)
            redo_files = [by_path[o.path] for o in outcomes if o.twins_imported & missing]
            redone = {o.path: o for o in _run(redo_files, options, pool, workers, None, 0, len(redo_files))}
            outcomes = [redone.get(o.path, o) for o in outcomes]
        outcomes.sort(key=lambda outcome: outcome.path not in again)
    unwritten = frozenset(dotted for dotted, _path, _url in options.config_constants.bases) - written
    return outcomes, replace(options, withheld=options.withheld | unwritten), sorted(twins)


def _binds(text: str, name: str, url: str) -> bool:
    """A line of the module's own binding `name` to `url` (the twin `host` writes beside its base)."""
    pattern = rf"""^{re.escape(name)}[ \t]*=[ \t]*(['"]){re.escape(url)}/?\1"""
    return re.search(pattern, text, re.MULTILINE) is not None


def _too_large(path: Path, max_bytes: int) -> str | None:
    """None for a file to migrate; for one over `max_bytes`, why it is not migrated ("" when it holds
    no Config API marker, so there is nothing to say). Parsing costs hundreds of times a file's size
    in memory: a generated or vendored giant is not parsed on the way to the files that matter."""
    try:
        size = path.stat().st_size
        if size_to_parse(path, size, max_bytes) <= max_bytes:
            return None
        if not holds_markers(path, lambda data: any(marker in data for marker in EVIDENCE_BYTES)):
            return ""
    except OSError as error:
        return f"cannot read: {error.strerror}"
    return (
        f"not migrated: {size} bytes, over --max-size {max_bytes}, and it holds Config API markers: "
        "raise --max-size to migrate it"
    )


def _run(
    files: list[tuple[Path, str]],
    options: ApplyOptions,
    pool: ProcessPoolExecutor | None,
    workers: int,
    progress: Callable[[int, int], None] | None,
    done: int,
    total: int,
) -> list[FileOutcome]:
    """Migrate `files`, in the worker processes when there are many."""
    outcomes: list[FileOutcome] = []
    if pool is not None and len(files) >= 32:
        batches = _batches(files, workers)
        try:
            for finished in pool.map(_migrate_batch, batches, [options] * len(batches)):
                outcomes.extend(finished)
                if progress:
                    progress(done + len(outcomes), total)
        except BrokenProcessPool:
            outcomes = _migrate_batch(files, options)
    else:
        for index, (path, display) in enumerate(files):
            outcomes.append(migrate_file(path, display, options))
            if progress and index % 20 == 0:
                progress(done + index + 1, total)
    return outcomes


def _module(path: str) -> str:
    """The module a file is (`Path(path).stem`, without building a Path per file)."""
    return os.path.splitext(os.path.basename(path))[0]


def _batches(files: list[tuple[Path, str]], workers: int) -> list[list[tuple[Path, str]]]:
    """Batches that shrink as the work runs out (each a share of what is left): few batches to
    send, and a last one so small that no process waits long for another at the end."""
    batches = []
    start = 0
    while start < len(files):
        size = max(8, (len(files) - start) // (workers * 4))
        batches.append(files[start : start + size])
        start += size
    return batches


def _read(path: Path) -> str | None:
    try:
        return read_source(path).text
    except SourceError:
        return None


def write(result: ApplyResult, wrote: Callable[[str], None] | None = None) -> int:
    """Write the generated modules (lookups, the compatibility layer), then every changed file
    (atomically, keeping its mode). In that order, an interrupted run never leaves a file importing a
    module that is not there, and a re-run writes whatever the files import. `wrote` is told each
    file written, as it is."""
    _remove_orphans({Path(o.path).parent for o in result.outcomes} | {Path(n).parent for n in result.lookup_files})
    for name, text in result.lookup_files.items():
        if _read(Path(name)) != text:
            Path(name).parent.mkdir(parents=True, exist_ok=True)
            atomic_write(Path(name), text)
            if wrote is not None:
                wrote(name)
    written = 0
    for outcome in result.outcomes:
        if outcome.changed:
            # keeping the file's mode, encoding, byte-order mark and line breaks
            atomic_write_bytes(Path(outcome.path), outcome.new_source.encode(outcome.encoding))
            written += 1
            if wrote is not None:
                wrote(outcome.display)
    return written


# What `atomic_write` leaves of a Python file when the process is killed between creating its
# temporary file and renaming it (mkstemp's eight random characters).
ORPHAN = re.compile(r"\.[^/]+\.py\.[a-z0-9_]{8}\.tmp")


def _remove_orphans(folders: Iterable[Path]) -> None:
    """Temporary files a killed run left beside the modules it was writing: a re-run removes them,
    as it finishes the rest."""
    for folder in folders:
        try:
            with os.scandir(folder) as listing:
                orphans = [entry.path for entry in listing if ORPHAN.fullmatch(entry.name) and entry.is_file()]
        except OSError:
            continue
        for orphan in orphans:
            with contextlib.suppress(OSError):
                os.unlink(orphan)


def unified_diff(result: ApplyResult, root: Path | None = None) -> bytes:
    """A patch `git apply` accepts: a/ and b/ paths relative to `root`, and the newline markers.
    Bytes: each file's part is in that file's own encoding, as git compares bytes."""
    chunks: list[bytes] = []
    for outcome in result.outcomes:
        if outcome.changed:
            if outcome.patch and result.patch_root == (root or Path.cwd()):
                patch = outcome.patch
            else:
                patch = file_diff(_relative(outcome.path, root), outcome.source, outcome.new_source, outcome.replaced)
            chunks.append(patch.encode(outcome.encoding))
    for name, text in sorted(result.lookup_files.items()):
        current = _read(Path(name))
        if current != text:
            chunks.append(file_diff(_relative(name, root), current, text).encode("utf-8"))
    return b"".join(chunks)


def _relative(path: str, root: Path | None) -> str:
    """The file's name in a patch: relative to `root` (or the working folder), folders resolved.
    The file itself is not resolved: a patch to a symbolic link names the link, as git does."""
    where = Path(path)
    target = _resolved(str(where.parent)) / where.name
    base = _resolved(str(root or Path.cwd()))
    try:
        return target.relative_to(base).as_posix()
    except ValueError:
        return where.as_posix().lstrip("/")


@functools.lru_cache(maxsize=4096)
def _resolved(folder: str) -> Path:
    """A folder's real path, worked out once per folder (one system call per part of the path)."""
    return Path(folder).resolve()
