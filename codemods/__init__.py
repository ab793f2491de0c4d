"""libcst codemods that rewrite Config API calls into Public API calls, one module per concern
(`codemods/fixers/`), discovered there and run in the order of their stage."""

from __future__ import annotations

import importlib
import pkgutil

from . import fixers
from .base import Fixer


def _discovered() -> tuple[type[Fixer], ...]:
    for module in pkgutil.iter_modules(fixers.__path__):
        importlib.import_module(f"{fixers.__name__}.{module.name}")
    return tuple(sorted(Fixer.registered, key=lambda fixer: (fixer.stage, fixer.name)))


REGISTRY: tuple[type[Fixer], ...] = _discovered()
"""Every codemod, in the order the engine offers each node to them."""

__all__ = ["REGISTRY", "Fixer"]
