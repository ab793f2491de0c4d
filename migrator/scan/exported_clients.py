"""An HTTP client object one JavaScript or TypeScript module makes on a Config base and exports
(`const http = axios.create({ baseURL: config.get("segment.apiBase") }); module.exports = http;`),
and the requests the repository's other modules send on it (`http.get(`/workspaces/${ws}/sources`)`
after `const http = require("./client")`). Their text names no host: the base is the client's, so
each path is read below it, as a request on the client in its own module is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .endpoints import classify, request_finding
from .findings import Finding
from .scripts import NAMED_IMPORT, NAMED_REQUIRE, SUFFIXES, WHOLE_IMPORT, bound_names, targets
from .text import clients_made, language_of, shape_of
from .walk import files_holding, text_of

VERB_CALL = r"\s*\.\s*(get|post|put|patch|delete)\s*(?:<[^>()]*>)?\s*\(\s*(['\"`])((?:(?!\2)[^\\])*)\2"
"""A verb called on a client with a literal path first (`.get(`, `.post<Plan>(`): the verb, the
quote, the path."""


@dataclass(frozen=True)
class MadeClient:
    """A client a module makes on a Config base: where, its name there, and the base's shape."""

    display: str
    path: Path
    name: str
    base: str
    how: str
    """How its requests were found, as their findings say it."""
    reason: str
    via: str | None = None


def exported_as(text: str, name: str) -> str:
    """The name a module's importers know `name` by: its alias in an export list (`export { http as
    client }`), else its own."""
    for listed in re.finditer(r"^[ \t]*export\s*\{([^}]*)\}", text, re.MULTILINE):
        for item in listed.group(1).split(","):
            original, _, alias = item.strip().partition(" as ")
            if original.strip() == name and alias.strip():
                return alias.strip()
    return name


def exported(text: str, name: str) -> str | None:
    """How a module exports the object bound to `name`: "default" (`module.exports = name`, `export
    default name`), "named" (`export const name`, `exports.name =`, `module.exports = { name }`,
    `export { name }`), or None when it does not."""
    word = re.escape(name)
    if re.search(rf"^[ \t]*(?:module\.exports\s*=\s*{word}\s*;?\s*$|export\s+default\s+{word}\b)", text, re.MULTILINE):
        return "default"
    named = (
        rf"^[ \t]*export\s+(?:const|let|var)\s+{word}\b",
        rf"^[ \t]*(?:module\.)?exports\.{word}\s*=",
        rf"^[ \t]*module\.exports\s*=\s*\{{[^}}]*(?<![\w$]){word}(?![\w$])",
        rf"^[ \t]*export\s*\{{[^}}]*(?<![\w$]){word}(?![\w$])",
    )
    return "named" if any(re.search(pattern, text, re.MULTILINE) for pattern in named) else None


def importer_requests(clients: list[MadeClient], by_display: dict[str, Path], flagged: set[str]) -> list[Finding]:
    """The requests the unflagged script modules send on a client another module exports."""
    shared = [(client, how) for client in clients if (how := _exported_from(client)) is not None]
    if not shared:
        return []
    by_path = {str(path): display for display, path in by_display.items() if display.endswith(SUFFIXES)}
    readers = [path for display, path in by_display.items() if display.endswith(SUFFIXES) and display not in flagged]
    # An importer spells the client module's name (or its folder's, for an index module)
    words = {
        (client.path.parent.name if client.path.stem == "index" else client.path.stem).encode() for client, _ in shared
    }
    found: list[Finding] = []
    for path in files_holding(readers, tuple(words)):
        display = by_path[str(path)]
        text = text_of(path)
        if text is None:
            continue
        for client, how in shared:
            for local in _bound_names(path, text, client, how, by_path):
                found += _requests_on(display, text, local, client)
    return found


def _module_word(path: Path) -> str:
    return path.parent.name if path.stem == "index" else path.stem


def _exported_from(client: MadeClient) -> str | None:
    text = text_of(client.path)
    return exported(text, client.name) if text is not None else None


def _bound_names(path: Path, text: str, client: MadeClient, how: str, by_path: dict[str, str]) -> Iterator[str]:
    """The names a module binds the exported client to, where it imports it."""
    if how == "default":
        for match in WHOLE_IMPORT.finditer(text):
            if targets(path, match.group(3), by_path) == client.display:
                yield match.group(1) or match.group(2)
        return
    known_as = exported_as(text_of(client.path) or "", client.name)
    for pattern in (NAMED_IMPORT, NAMED_REQUIRE):
        for match in pattern.finditer(text):
            if targets(path, match.group(2), by_path) == client.display:
                yield from (
                    local for name, local in bound_names(match.group(1), pattern is NAMED_REQUIRE) if name == known_as
                )


def _requests_on(display: str, text: str, local: str, client: MadeClient) -> list[Finding]:
    found: list[Finding] = []
    language = language_of(display) or "javascript"
    for call in re.finditer(r"(?<![\w$.])" + re.escape(local) + VERB_CALL, text):
        relative = call.group(3)
        if "://" in relative:
            continue  # a URL of its own: not relative to the client's base
        classified = classify(client.base.rstrip("/") + "/" + shape_of(relative).lstrip("/"), True)
        if not classified.config or not classified.candidates:
            continue
        line = text.count("\n", 0, call.start()) + 1
        start = text.rfind("\n", 0, call.start()) + 1
        end = text.find("\n", call.start())
        found.append(
            request_finding(
                file=display,
                line=line,
                column=call.start() - start + 1,
                language=language,
                classified=classified,
                method=call.group(1).upper(),
                how=f"on the client `{client.name}` {client.display} makes on {client.how}",
                reason=client.reason,
                snippet=text[start : end if end >= 0 else len(text)].strip(),
                via=client.via or client.display,
            )
        )
    return found


def literal_clients(found: list[Finding], by_display: dict[str, Path]) -> list[MadeClient]:
    """The clients the flagged script modules make with a Config base written out in their options."""
    clients: list[MadeClient] = []
    for display in sorted({f.file for f in found if f.file.endswith(SUFFIXES) and f.file in by_display}):
        path = by_display[display]
        text = text_of(path)
        if text is None or "segmentapis" not in text:
            continue
        for _index, name, base in clients_made(text.splitlines()):
            how = "its base written there"
            reason = f"the client is made in {display}: move this request with it (`migrate translate` shows it)"
            clients.append(MadeClient(display, path, name, base, how, reason))
    return clients
