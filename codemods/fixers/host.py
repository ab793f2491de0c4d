"""The base URL: `https://platform.segmentapis.com/v1beta` becomes `https://api.segmentapis.com`
(or the EU host), where it is defined, and only when every call that uses it was rewritten. When
some of them move and others cannot, the base stays and gets a Public twin beside it
(`API_PUBLIC`), which the calls that move read (the plan decides which base each call needs)."""

from __future__ import annotations

from typing import cast

import libcst as cst

from migrator.analysis.bindings import Collector, Scope
from migrator.analysis.literals import evaluated

from ..base import Case, Edit, FileContext, Fixer, Stage
from ..finder import CallFinder
from ..syntax import import_binding
from ..urls import CONFIG_BASE

FIXER = "host"


class HostFixer(Fixer):
    name = FIXER
    description = "the Config base URL to the Public one (US, or EU with --region eu)"
    stage = Stage.DEFINITIONS

    cases = (
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"

            if __name__ == "__main__":
                requests.post(f"{API}/workspaces/acme/regulations", json=regulation()).raise_for_status()
                requests.get(f"{API}/workspaces/acme/sources").raise_for_status()
            """,
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"
            API_PUBLIC = "https://api.segmentapis.com"

            if __name__ == "__main__":
                # TODO(migrate): the body is not a dict literal; the Public call is POST /regulations
                requests.post(f"{API}/workspaces/acme/regulations", json=regulation()).raise_for_status()
                requests.get(f"{API_PUBLIC}/sources").raise_for_status()
            """,
        ),
        Case(
            """\
            import requests

            API = "https://platform.segmentapis.com/v1beta"

            if __name__ == "__main__":
                requests.post(f"{API}/workspaces/acme/regulations", json=regulation()).raise_for_status()
            """,
            why="its only call keeps the Config API",
        ),
    )

    def leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:
        updated = super().leave(original, updated)  # a twin added after its base's statement
        if not isinstance(updated, cst.Assign) or len(updated.targets) != 1:
            return updated
        target = updated.targets[0].target
        name = (
            target.value
            if isinstance(target, cst.Name)
            else (target.attr.value if isinstance(target, cst.Attribute) else None)
        )
        value = updated.value
        if name not in self.context.safe_bases or not isinstance(value, cst.SimpleString):
            return updated
        text = evaluated(value)
        if not isinstance(text, str) or not CONFIG_BASE.match(text):
            return updated
        trailing = "/" if text.endswith("/") else ""
        quote = value.quote if value.quote in ('"', "'") else '"'
        self.changed()
        return updated.with_changes(value=cst.SimpleString(f"{quote}{self.context.public_base}{trailing}{quote}"))


def base_definitions(collector: Collector) -> dict[str, str]:
    """Names bound to a plain string at module or class level, or on `self` in a method."""
    found: dict[str, str] = {}
    scopes = [collector.module, *collector.classes.values()]
    for scope in scopes:
        for name, value in scope.assignments.items():
            if isinstance(value, cst.SimpleString) and isinstance(text := evaluated(value), str):
                found[name] = text
    return found


def twin_name(name: str) -> str:
    return f"{name}_PUBLIC" if name.isupper() else f"{name}_public"


def _defining_scope(finder: CallFinder, name: str) -> Scope | None:
    """The module, or the one class, whose body binds `name` to its base URL."""
    if name in finder.module.assignments:
        return finder.module
    owners = [scope for scope in finder.classes.values() if name in scope.assignments]
    return owners[0] if len(owners) == 1 else None


def twin_free(finder: CallFinder, context: FileContext, name: str, value: str) -> bool:
    """The base is bound once, in the module or one class, and its twin's name there is free, or
    already bound (by an earlier run) to the Public base."""
    scope = _defining_scope(finder, name)
    if scope is None:
        return False
    twin = scope.assignments.get(twin_name(name))
    if twin is None:
        return not any(True for _ in finder.bindings.uses(scope, twin_name(name)))
    return isinstance(twin, cst.SimpleString) and evaluated(twin) == _public_value(context, value)


def _public_value(context: FileContext, value: str) -> str:
    return context.public_base + ("/" if value.endswith("/") else "")


def add_twin(context: FileContext, finder: CallFinder, name: str, value: str) -> None:
    """`API_PUBLIC = "https://api.segmentapis.com"` after `API = ...`, unless an earlier run wrote it."""
    scope = _defining_scope(finder, name)
    if scope is None or twin_name(name) in scope.assignments:
        return
    definition = scope.assignments[name]
    assign = finder.bindings.parent(definition)
    statement = finder.bindings.parent(assign) if assign is not None else None
    if not isinstance(statement, cst.SimpleStatementLine):
        return
    quote = definition.quote if isinstance(definition, cst.SimpleString) and definition.quote in ('"', "'") else '"'
    twin = cst.SimpleStatementLine(
        [
            cst.Assign(
                [cst.AssignTarget(cst.Name(twin_name(name)))],
                cst.SimpleString(f"{quote}{_public_value(context, value)}{quote}"),
            )
        ]
    )
    context.edits.setdefault(id(statement), []).append(
        Edit(FIXER, statement, lambda node: cst.FlattenSentinel([node, twin]))
    )


def imported_twin_free(context: FileContext, finder: CallFinder, local: str) -> bool:
    """The module imports the base by a statement of its own at the top, and the twin's name is
    free here, or already imported (by an earlier run) from the same module."""
    base = context.imported_bases[local]
    if import_binding(finder.bindings, local) is None:
        return False
    twin = twin_name(local)
    if twin in finder.aliases:
        return finder.aliases[twin] == finder.aliases[local].rsplit(".", 1)[0] + "." + twin_name(base.name)
    return not any(True for _ in finder.bindings.uses(finder.module, twin))


def import_twin(context: FileContext, finder: CallFinder, local: str, still_read: bool) -> None:
    """The module defining the base gets its twin (`twins_wanted`); here, the twin is imported from
    it: in place of the base when nothing here reads the base any more (`from .settings import API`
    becomes `from .settings import API_PUBLIC`, its comments kept), else right after the base in the
    same import (`from .settings import API, API_PUBLIC`). Unless an earlier run imported it."""
    base = context.imported_bases[local]
    context.twins_imported.add(base.dotted)
    found = import_binding(finder.bindings, local)
    if found is None or twin_name(local) in finder.aliases:
        return
    _line, statement, alias = found
    assert isinstance(statement, cst.ImportFrom)  # asked without `modules`
    twin = twin_name(base.name)
    renamed = cst.ImportAlias(
        cst.Name(twin), asname=None if local == base.name else cst.AsName(cst.Name(twin_name(local)))
    )
    if not still_read:
        context.edits.setdefault(id(alias), []).append(
            Edit(FIXER, alias, lambda node: renamed.with_changes(comma=cast(cst.ImportAlias, node).comma))
        )
        return

    def beside(node: cst.CSTNode) -> cst.FlattenSentinel[cst.CSTNode]:
        """The base's name, then its twin's, in the same import (where isort puts it): each keeps
        the base's comma (a multi-line import's line break with it, the comment the base's own); a
        last name gets a comma."""
        assert isinstance(node, cst.ImportAlias)
        comma = node.comma if isinstance(node.comma, cst.Comma) else None
        first = node.with_changes(comma=comma or cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        after = comma.whitespace_after if comma is not None else None
        if comma is not None and isinstance(after, cst.ParenthesizedWhitespace) and after.first_line.comment:
            comma = comma.with_changes(whitespace_after=after.with_changes(first_line=cst.TrailingWhitespace()))
        return cst.FlattenSentinel([first, renamed.with_changes(comma=comma or cst.MaybeSentinel.DEFAULT)])

    context.edits.setdefault(id(alias), []).append(Edit(FIXER, alias, beside))


class RenamedToTwins(cst.CSTTransformer):
    """The base constants a rewritten URL reads, renamed to their Public twins."""

    def __init__(self, renames: dict[str, str]) -> None:
        super().__init__()
        self.renames = renames

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        twin = self.renames.get(updated_node.value)
        return updated_node.with_changes(value=twin) if twin else updated_node
