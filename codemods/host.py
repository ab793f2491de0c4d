"""The base URL: `https://platform.segmentapis.com/v1beta` becomes `https://api.segmentapis.com`
(or the EU host), where it is defined, and only when every call that uses it was rewritten."""

from __future__ import annotations

import libcst as cst

from migrator.scan.literals import evaluated

from .base import Fixer
from .urls import CONFIG_BASE


class HostFixer(Fixer):
    name = "host"
    description = "the Config base URL to the Public one (US, or EU with --region eu)"

    def leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:
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
