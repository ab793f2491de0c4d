"""libcst codemods that rewrite Config API calls into Public API calls, one module per concern.

They are registered here, in the order the engine runs them on each node of its single walk."""

from __future__ import annotations

from .answers import AnswersFixer
from .base import Fixer
from .compat import CompatFixer
from .host import HostFixer
from .pagination import PaginationFixer
from .paths import PathsFixer
from .payloads import PayloadFixer
from .pinned import PinnedFixer
from .todos import TodoFixer
from .wrapper import WrapperFixer

REGISTRY: tuple[type[Fixer], ...] = (
    PathsFixer,
    PayloadFixer,
    PaginationFixer,
    WrapperFixer,  # before answers: the answers fixer wraps the rewritten call in its reads
    AnswersFixer,
    PinnedFixer,
    CompatFixer,  # after the others: it renames the transport call of a call none of them rewrote
    HostFixer,
    TodoFixer,
)

__all__ = ["REGISTRY", "Fixer"]
