"""One Config call as the fixers see it when they decide their parts of its native rewrite.

The plan has matched the call's URL to its endpoint and picked the Public call that replaces it
(`step`); each fixer's `decide` then says what it must change (the URL and method, the body, the
query, the reads of the answer) or refuses, and the call moves only if none refuses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

from mappings import Endpoint, PublicStep

from .base import Edit, FileContext, PlannedCall
from .syntax import Bindings
from .urls import Piece


@dataclass
class Route:
    """Where a Config call's parts are written, whether it is made directly or through a helper."""

    body: cst.BaseExpression | None = None
    query: cst.BaseExpression | None = None
    add_query: tuple[cst.Call, str] | None = None
    """The call and keyword that can take a query when none is sent."""
    method: cst.BaseExpression | None = None
    verb: cst.Name | None = None
    answer: Literal["response", "body"] = "response"
    """What the call gives back: the response, or (a helper's caller) the decoded body."""
    relative_to: str | None = None
    """A helper's caller: the base URL the helper puts before the path it is given."""


@dataclass
class CallSite:
    context: FileContext
    bindings: Bindings
    planned: PlannedCall
    route: Route
    endpoint: Endpoint
    step: PublicStep
    """The Public call that replaces it (for a write that needs several, the one this site is)."""
    config_path: str
    """A sample Config path of the call (placeholders filled), to translate its body with."""
    base: list[Piece]
    """The pieces of its URL before the Config path."""
    bound: dict[str, Piece]
    """The Config path's placeholders, bound to the pieces of the URL that fill them."""
    answer_edits: list[Edit] | None = field(default=None, repr=False)
    """The reads of its answer, once the answers fixer has followed them."""
