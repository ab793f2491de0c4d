"""Paths, methods, the workspace segment and ids: a Config call's URL becomes its Public twin's.

`f"{API}/workspaces/{ws}/sources/{src}"` becomes `f"{API}/sources/{segment_ids.source_id(src)}"`
(or the id itself when the slug is a literal in the ID map); the workspace segment disappears, since
a Public token names its workspace. Only calls the plan proved rewritable are touched."""

from __future__ import annotations

import libcst as cst

from .base import Fixer


class PathsFixer(Fixer):
    name = "paths"
    description = "Config paths and slugs to Public paths and ids; the workspace segment removed"

    def leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:
        planned = self.context.by_url.get(id(original))
        if planned is None or planned.rewrite is None:
            return super().leave(original, updated)  # a method that changes (PUT to PATCH)
        self.changed()
        return planned.rewrite
