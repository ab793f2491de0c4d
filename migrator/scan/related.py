"""Files that talk to the Config API through a client defined beside them, though their own text
never names it: the methods of a client package (`c.doRequest(http.MethodGet, fmt.Sprintf("%s/%s",
WorkspacesEndpoint, ...))`, `self.send_request("GET", path)` on a model class), and the constants
the client's paths are built from (`SourceEndpoint = "sources"` in `const.go`).

A file is a Config client when the scan found the Config API in it. Its request functions are those
whose body sends an HTTP request; a file of the same language in the client's package (the same
folder for Go and JavaScript, the top-level package for Python) that calls one of them, or
(Go) holds the Config path words its paths are built from, is reported too, with `medium`
confidence: the request itself is made, and migrated, in the client."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from mappings import Endpoint, load_map
from migrator.analysis.holes import HOLE
from migrator.notebook import SUFFIX as NOTEBOOK_SUFFIX
from migrator.notebook import python_of
from migrator.repository import (
    DJANGO_SETTINGS,
    SETTING_DEFAULT,
    SETTINGS_DICT,
    SETTINGS_INSTANCE,
    FromImport,
    aliased_imports,
    from_imports,
    module_keys,
    module_name,
    module_read,
    modules_imported,
    session_modules,
    under_tests,
)

from .built_on import built_on_requests, names_built_on
from .configured import configured_findings
from .endpoints import SHOWN_HOLE, classify, config_url, path_words, public_twins
from .entrypoints import entrypoint_findings
from .exported_clients import VERB_CALL, importer_requests, literal_clients
from .findings import Finding
from .golang import GoPackage, call_endpoint, chokepoint_requests, package_constant_users, package_facts
from .hierarchy import SEND as HIERARCHY_SEND
from .hierarchy import ModelPaths, chain_without_arguments, forwarded
from .recorded import is_recorded_request, recorded_findings
from .relative import parts_requests_in, requests_in
from .scripts import SUFFIXES as SCRIPT_SUFFIXES
from .scripts import constant_importers, relative_targets, script_chokepoint_requests
from .text import language_of, shape_of
from .walk import LAYER_PACKAGE, LAYER_REASON, Candidate, files_holding, text_of

if TYPE_CHECKING:
    from .python import PythonScanner

CLIENT_KINDS = frozenset({"call", "base_url", "url", "wrapper", "compat"})
"""Findings that make a file a Config client (a TODO, a secret or commented code do not)."""
DEFINITIONS = {
    "go": re.compile(r"^func\s+(?:\([^)]*\)\s*)?(\w+)\s*\(", re.MULTILINE),
    "python": re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)[ \t]*\(", re.MULTILINE),
    "javascript": re.compile(
        r"^[ \t]*(?:export[ \t]+)?(?:(?:const|let|var)[ \t]+)?(?:(?:public|private|protected|static)[ \t]+)*"
        r"(?:async[ \t]+)?(?:function[ \t]*\*?[ \t]*(\w+)|(\w+)[ \t]*[:=][ \t]*(?:async[ \t]*)?"
        # a method, TypeScript's return type and type parameters allowed: `async sources(): Promise<T[]> {`
        r"(?:function\b|\([^)]*\)[ \t]*=>)|(\w+)[ \t]*(?:<[^>()\n]*>)?\([^)]*\)[ \t]*(?::[^{\n;]+)?\{)",
        re.MULTILINE,
    ),
}
DEFINITIONS["typescript"] = DEFINITIONS["javascript"]
DEFINITIONS["ruby"] = re.compile(r"^[ \t]*def[ \t]+(?:self\.)?(\w+[?!]?)", re.MULTILINE)
SENDS = {
    "go": re.compile(r"http\.NewRequest|\.Do\(\s*req\b|http\.(?:Get|Post)\("),
    "python": re.compile(r"\brequests\.|\burlopen\(|\.request\(|\bhttpx\.|\bsession\.\w+\("),
    # the library, or the client a class holds in a field (`this.http.get(...)`)
    "javascript": re.compile(
        r"\baxios\b|\bfetch\(|\brequest\(|\bgot\(|\bthis\.\w+\.(?:get|post|put|patch|delete|request)\s*(?:<[^>()]*>)?\("
    ),
}
SENDS["typescript"] = SENDS["javascript"]
SENDS["ruby"] = re.compile(
    r"\bself\.class\.(?:get|post|put|patch|delete)\b|\bHTTParty\.\w+|\bRestClient\.\w+|Net::HTTP"
    r"|(?:@\w+|\bconn\w*|\bconnection|\bhttp)\.(?:get|post|put|patch|delete|run_request)\b"
)
"""HTTParty's class methods, RestClient, Net::HTTP, and a Faraday connection held in a variable."""
_SUFFIXES = {
    "go": (".go",),
    "python": (".py",),
    "javascript": (".js", ".mjs", ".cjs", ".jsx"),
    "typescript": (".ts", ".tsx"),
    "ruby": (".rb",),
}
"""How the languages a client can be in end their file names (a cheap test before `language_of`)."""
KEYWORDS = frozenset({"if", "for", "while", "switch", "catch", "with", "return", "function", "elif", "else"})
NOT_ENTRY_POINTS = (
    frozenset({"__init__", "main", "init", "constructor", "initialize", "New", "String", "Error"}) | KEYWORDS
)
"""Names whose calls say nothing of the Config API (and keywords a JavaScript method pattern matches)."""
LIBRARIES = frozenset({"http", "https", "requests", "axios", "urllib", "httpx", "session", "net"})
"""Receivers of a same-named call that is the HTTP library's, not the client's (`https.request(`)."""
STRING_CONSTANT = re.compile(r"""^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*[rRuUbBfF]*['"]""", re.MULTILINE)
"""A module-level name bound to a string: every Config URL constant is one (a cheap first cut)."""


@functools.cache
def _go_path_word() -> re.Pattern[str]:
    """A Go constant holding a Config path word (`SourceEndpoint = "sources"`)."""
    return re.compile(r'^\s*(\w+)\s*=\s*"(' + "|".join(map(re.escape, path_words())) + ')"', re.MULTILINE)


TEST_FILE = re.compile(
    r"(?:^|/)(?:test_[^/]*\.py|[^/]*_test\.(?:py|go|rb)|[^/]*_spec\.rb|conftest\.py|[^/]*\.(?:test|spec)\.[jt]sx?)$"
    r"|(?:^|/)__tests__/"
)
"""A test file, by the naming conventions of pytest, Go, Ruby's minitest and RSpec, and the JavaScript
test runners."""


def related_findings(findings: Iterable[Finding], candidates: Iterable[Candidate]) -> list[Finding]:
    """Findings in files that use a Config client of their package, for files without any yet. A
    test file's calls of the client are tests of it (`test`), as a test's own legacy URL is."""
    return [
        replace(finding, kind="test") if finding.kind in ("call", "url") and TEST_FILE.search(finding.file) else finding
        for finding in _related(findings, candidates)
    ]


def _related(findings: Iterable[Finding], candidates: Iterable[Candidate]) -> list[Finding]:
    found, walked = list(findings), list(candidates)
    by_display = {c.display: c.path for c in walked}
    related = _related_files(found, walked)
    related += _shared_sessions([*found, *related], by_display)
    related += _vocabulary([*found, *related], by_display)
    if any(is_recorded_request(finding) for finding in found):
        # the tests apply reads for cassettes: test files, and any module under a `tests` folder
        tests = [
            display
            for display in by_display
            if display.endswith(".py") and (TEST_FILE.search(display) or under_tests(display))
        ]
        recorded = recorded_findings([*found, *related], by_display, tests)
        at = restated_at(recorded)
        related = [finding for finding in related if not superseded(finding, at)] + recorded
    return related


def restated_at(restating: Iterable[Finding]) -> set[tuple[str, int, int]]:
    """Where findings a later pass restated stand (`configured.py`'s settings, `recorded.py`'s
    requests): each a copy of the scan's own finding there, with what the pass knows."""
    return {(finding.file, finding.line, finding.column) for finding in restating}


def superseded(finding: Finding, at: set[tuple[str, int, int]]) -> bool:
    """Whether a finding is one a later pass restated (`restated_at`): the restatement stands for it."""
    return finding.kind in ("call", "url", "base_url", "config") and (finding.file, finding.line, finding.column) in at


@functools.cache
def _vocabulary_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """What only a Config answer or body spells, read where no request is: its pagination token (the
    map's `next_field`), an update-mask body (the map's field, with its `paths`), and the answer keys
    the map calls distinctive."""
    config = load_map().protocol["config"]
    token, mask = re.escape(config["pagination"]["next_field"]), re.escape(config["update_mask"]["field"])
    keys = "|".join(map(re.escape, config["distinctive_answer_keys"]))
    return (
        (re.compile(rf"""\[\s*['"]({token})['"]\s*\]|\.get\(\s*['"]({token})['"]"""), "pagination"),
        (re.compile(rf"""['"]({mask})['"]\s*:\s*\{{\s*['"]paths['"]"""), "update_mask"),
        (re.compile(rf"""\[\s*['"]({keys})['"]\s*\]"""), "consumer"),
    )


FAR_FROM_THE_CALL = (
    "read far from any Config call (an answer handed here, a body built for one): it changes with the call "
    "that answers it (the compatibility layer keeps the Config shape; a native rewrite does not)"
)


def _vocabulary(found: list[Finding], by_display: dict[str, Path]) -> list[Finding]:
    """Config vocabulary in the Python modules of a package that talks to the Config API, where no
    finding is yet: likely (low) findings, as other APIs spell some of it too (`next_page_token`)."""
    flagged = {f.file for f in found}
    clients = {f.file for f in found if f.language == "python" and f.kind in ("call", "base_url", "url")}
    packages = {folder for display in clients if (folder := _package(by_display.get(display, Path(display)), "python"))}
    modules = [
        (display, path)
        for display, path in by_display.items()
        if packages and display.endswith(".py") and display not in flagged and _inside(path, packages)
    ]
    if not modules:
        return []
    config = load_map().protocol["config"]
    words = (config["pagination"]["next_field"], config["update_mask"]["field"], *config["distinctive_answer_keys"])
    holding = set(files_holding([path for _display, path in modules], tuple(word.encode() for word in words)))
    likely: list[Finding] = []
    for display, path in modules:
        text = text_of(path) if path in holding else None
        if text is None:
            continue
        lines = text.splitlines()
        for pattern, kind in _vocabulary_patterns():
            for match in pattern.finditer(text):
                number = text.count("\n", 0, match.start()) + 1
                word = next(group for group in match.groups() if group)
                likely.append(
                    _finding(
                        display,
                        "python",
                        number,
                        match.start() - text.rfind("\n", 0, match.start()),
                        lines[number - 1],
                        kind,
                        f"Config API vocabulary (`{word}`) in a package that talks to the Config API",
                        FAR_FROM_THE_CALL,
                        via=None,
                        confidence="low",
                    )
                )
    return likely


def _related_files(findings: list[Finding], candidates: Iterable[Candidate]) -> list[Finding]:
    found = list(findings)
    flagged = {finding.file for finding in found}
    clients = sorted({finding.file for finding in found if finding.kind in CLIENT_KINDS})
    by_display = {candidate.display: candidate.path for candidate in candidates}
    # A script client's calls of its own chokepoint: found first, so its exported functions are
    # known by what they send (`listSources: () => request('GET', 'sources')`)
    called = {(f.file, f.line) for f in found if f.kind == "call"}
    # (a request function's own call is said once: the text scanner's finding on its line stands)
    seen = {(f.file, f.line) for f in found}
    chokepoint_calls = [
        f
        for f in script_chokepoint_requests(found, by_display)
        if (f.file, f.line) not in (seen if f.message.startswith("chokepoint") else called)
    ]
    found += chokepoint_calls
    grepped: dict[tuple[bytes, ...], list[Path]] = {}
    """The files grep found spelling an absolute import of a module holding a base (asked twice)."""
    related = chokepoint_calls + _constant_imports(found, by_display, flagged, grepped)
    flagged |= {finding.file for finding in related}
    related += constant_importers(found, by_display, flagged)
    flagged |= {finding.file for finding in related}
    configured = configured_findings(found, by_display, flagged)
    related += configured.findings
    if configured.bases:  # a script client's request function built on a URL its configuration holds
        called = {(f.file, f.line) for f in [*found, *related]}
        related += [
            f
            for f in script_chokepoint_requests([*found, *related], by_display, configured.bases)
            if (f.file, f.line) not in called
        ]
    flagged |= {finding.file for finding in related}
    related += importer_requests(literal_clients(found, by_display), by_display, flagged)
    flagged |= {finding.file for finding in related}
    # the clients, with those the passes above found (a client reading its base from configuration)
    clients = sorted({finding.file for finding in [*found, *related] if finding.kind in CLIENT_KINDS})
    entries, reached, exported, beside = _client_entries(clients, [*found, *related], by_display)
    scripts = [display for display in clients if display.endswith(SCRIPT_SUFFIXES)]
    related += _client_modules(scripts, by_display, flagged)
    flagged |= {finding.file for finding in related}
    related += entrypoint_findings([*found, *related], by_display, flagged)
    flagged |= {finding.file for finding in related}
    routed = {f.file for f in [*found, *related] if f.reason and f.reason.startswith(LAYER_REASON)}
    before_relative = {finding.file for finding in related}
    relative = _relative_requests([*found, *related], by_display, flagged, routed)
    related += [_moving(finding, routed) for finding in relative]
    _entered_by_relative(relative, entries, reached, by_display)
    flagged |= {finding.file for finding in related}
    # A module spelling relative paths may call the client's other request functions too
    # (`self._client.paginate(f"workspaces/{ws}/sources", "sources")`): it is read for those below.
    relative_lines = {(finding.file, finding.line) for finding in relative}
    only_relative = {file for file, _line in relative_lines} - before_relative
    if not entries and not beside:  # Go: a package whose client reads its base from configuration has no entry
        related += package_constant_users([*found, *related], by_display, flagged)
        flagged |= {finding.file for finding in related}
        related += _built_on_requests([*found, *related], by_display, grepped)
        flagged |= {finding.file for finding in related}
        return related + _class_imports(found, by_display, flagged, grepped)
    go_constants: dict[Path, GoPackage] = {}
    model_paths: dict[Path, ModelPaths] = {}
    languages = {suffix: language for language, _folder in entries for suffix in _SUFFIXES.get(language, ())}
    for display, path in by_display.items():
        found_in = languages.get(os.path.splitext(display)[1])
        if found_in is None or (display in flagged and display not in only_relative):
            continue
        names = {
            name: client
            for (lang, folder), scope in entries.items()
            if lang == found_in and _inside(path, (folder,))
            for name, client in scope.items()
            if client != display  # its own definitions (`class SegmentConfig(RestClient):`) use nothing
        }
        if not names:
            continue
        text = text_of(path)
        if text is None:
            continue
        uses: list[Finding] = []
        if any(name in text for name in names) or (found_in == "go" and _go_path_word().search(text)):
            constants = _go_constants(path.parent, go_constants) if found_in == "go" else None
            calls = _uses(display, text, found_in, names, constants, reached)
            uses = [_moving(finding, routed) for finding in calls]
            if found_in == "python":
                uses = _through_models(uses, text, _model_paths(path, by_display, model_paths))
        if not uses and found_in == "go" and "json:" in text:
            uses = _answer_shapes(display, text, next(iter(names.values())))
        related += [use for use in uses if (use.file, use.line) not in relative_lines]
    flagged |= {finding.file for finding in related}
    # Go: after the calls of the package's client functions (a test of the client calls them and
    # reads its base constant too: its calls say more)
    related += package_constant_users([*found, *related], by_display, flagged)
    flagged |= {finding.file for finding in related}
    called = {(f.file, f.line) for f in [*found, *related] if f.kind in ("call", "test")}
    related += [f for f in chokepoint_requests([*found, *related], by_display) if (f.file, f.line) not in called]
    flagged |= {finding.file for finding in related}
    if exported:
        related += _module_importers(exported, by_display, flagged, reached)
        flagged |= {finding.file for finding in related}
    related += [_moving(f, routed) for f in _python_importers(entries, beside, reached, by_display, flagged)]
    flagged |= {finding.file for finding in related}
    for (language, folder), scope in entries.items():
        if language == "python":
            related += [_moving(f, routed) for f in _context_users(folder, scope, by_display, flagged, model_paths)]
    flagged |= {finding.file for finding in related}
    related += _built_on_requests([*found, *related], by_display, grepped)
    flagged |= {finding.file for finding in related}
    return related + _class_imports(found, by_display, flagged, grepped)


def _client_entries(
    clients: list[str], found: list[Finding], by_display: dict[str, Path]
) -> tuple[dict[tuple[str, Path], dict[str, str]], Reached, dict[str, set[str]], dict[Path, dict[str, str]]]:
    """What the client files offer the rest of the repository: by (language, package folder), each
    request function's name and the client file defining it; what each is reached to send; the
    request functions of each JavaScript or TypeScript client file (importers may be anywhere); and
    by folder, each Python client module outside any package by its name (the scripts beside it
    import it so, `from api import Api`), read only once one does (`_loose_client`)."""
    entries: dict[tuple[str, Path], dict[str, str]] = {}
    """(language, package folder) -> request function name -> the client file defining it."""
    beside: dict[Path, dict[str, str]] = {}
    reached = Reached()
    for finding in found:
        reached.found.setdefault(finding.file, []).append(finding)
    exported: dict[str, set[str]] = {}
    """A JavaScript or TypeScript client file -> its request functions (importers may be anywhere)."""
    for display in clients:
        language = language_of(display)
        path = by_display.get(display)
        if language not in DEFINITIONS or path is None:
            continue
        folder = _package(path, language)
        if folder is None:
            if language == "python":
                beside.setdefault(path.parent, {})[path.stem] = display
            continue
        text = text_of(path)
        if text is None:
            continue
        names = entries.setdefault((language, folder), {})
        for name in _entered(display, language, text, reached):
            names.setdefault(name, display)
            if language in ("javascript", "typescript"):
                exported.setdefault(display, set()).add(name)
    return entries, reached, exported, beside


def _entered_by_relative(
    relative: list[Finding],
    entries: dict[tuple[str, Path], dict[str, str]],
    reached: Reached,
    by_display: dict[str, Path],
) -> None:
    """The request functions of the Python package modules whose requests only the relative pass
    found (`self.get(f"workspaces/{ws}/sources")` through a method the class inherits, below the
    Config base it holds): known now, for the modules and scripts calling them."""
    for display in sorted({finding.file for finding in relative if finding.language == "python"}):
        path = by_display.get(display)
        folder = _package(path, "python") if path is not None else None
        text = text_of(path) if path is not None and folder is not None else None
        if folder is None or text is None:
            continue
        reached.found.setdefault(display, []).extend(finding for finding in relative if finding.file == display)
        names = entries.setdefault(("python", folder), {})
        for name in _entered(display, "python", text, reached):
            names.setdefault(name, display)


def _entered(display: str, language: str, text: str, reached: Reached) -> list[str]:
    """A client file's request functions, with what each is reached to send recorded in `reached`."""
    sent = [finding for finding in reached.found.get(display, []) if finding.endpoint is not None]
    for name, endpoints in _endpoints_sent(text, language, sent).items():
        reached.endpoints[(display, name)] = endpoints
    defined_classes = set(CLASS.findall(text)) if language == "python" else set()
    # a method sending through one its class inherits (`self.get(...)` of a base class elsewhere)
    # sends nothing by its own text: the requests the scan found in it tell
    sending = {finding.line for finding in reached.found.get(display, ()) if finding.kind == "call"}
    requesting = list(_request_functions(text, language, sending))
    if language == "python":
        reached.verbs.update({(display, name): verb for name, verb in _fixed_verbs(text).items()})
        reached.functions.update((display, name) for name in TOP_LEVEL_DEF.findall(text))
        reached.generic[display] = _generic_methods(text, requesting)
    prefixes = {prefix for finding in reached.found.get(display, ()) if (prefix := _chokepoint_prefix(finding))}
    if len(prefixes) == 1:
        reached.prefixes[display] = prefixes.pop()
    reached.classes.update((display, name) for name in requesting if name in defined_classes)
    return requesting


def _loose_client(
    display: str, by_display: dict[str, Path], reached: Reached, known: dict[str, dict[str, str]]
) -> dict[str, str]:
    """The request functions of a Python client outside any package (each -> the client), read on
    the first import of it."""
    if display not in known:
        text = text_of(by_display[display])
        known[display] = dict.fromkeys(_entered(display, "python", text, reached), display) if text is not None else {}
    return known[display]


def _shared_sessions(found: list[Finding], by_display: dict[str, Path]) -> list[Finding]:
    """The session another module makes for the others (`session = requests.Session()` in
    `http.py`, a factory, a session class) that a Python Config client imports: `migrate apply` makes
    it by the layer there, as it does for every Config client importing one, though that module
    names no Config URL of its own."""
    displays = {str(path): display for display, path in by_display.items()}
    sending = sorted(
        {
            finding.file
            for finding in found
            if finding.language == "python"
            and finding.kind in ("call", "base_url", "url")
            and not TEST_FILE.search(finding.file)
        }
    )
    clients = set(sending)
    made: dict[tuple[str, int], Finding] = {}
    for display in sending:
        path = by_display.get(display)
        text = text_of(path) if path is not None else None
        for target, name, line in session_modules(path, text) if path is not None and text else ():
            shown = displays.get(str(target))
            # a Config client itself (its class imported by a script) is reported as one already
            if shown is None or shown in clients or (shown, line) in made:
                continue
            body = text_of(target) or ""
            if LAYER_PACKAGE in body:
                continue  # routed by an earlier run: its own `compat` findings say so
            made[(shown, line)] = _finding(
                shown,
                "python",
                line,
                1,
                body.splitlines()[line - 1],
                "client",
                f"the Config API requests of {display} are sent through `{name}`, made here",
                f"{LAYER_REASON} here",
                via=display,
                fixability="auto",
            )
    return list(made.values())


def _relative_requests(
    found: list[Finding], by_display: dict[str, Path], flagged: set[str], routed: set[str]
) -> list[Finding]:
    """The requests the unflagged modules of a Python package send on paths relative to a Config
    client of the package (a class or session holding the Config base: `relative.py`). Of several
    modules holding a base, the client is one `migrate apply` routes through the layer (`routed`):
    the one sending, not the settings module it reads its base from."""
    clients: dict[Path, str] = {}
    for finding in found:
        if finding.language == "python" and finding.kind == "base_url" and finding.file in by_display:
            folder = _package(by_display[finding.file], "python")
            first = folder not in clients
            if folder is not None and (first or (finding.file in routed and clients[folder] not in routed)):
                clients[folder] = finding.file
    requests: list[Finding] = []
    # A module holding a Config base may send relative paths itself (`session.get("workspaces/acme/
    # sources")` on the session subclass it defines): those its own findings do not already cover.
    reported = {(f.file, f.line) for f in found if f.kind in ("call", "url", "base_url")}
    for display in sorted({f.file for f in found if f.language == "python" and f.kind == "base_url"}):
        text = text_of(by_display[display]) if display in by_display else None
        if text is not None:
            own = requests_in(display, text, display, "a path relative to the Config base of its module")
            requests += [f for f in own if (f.file, f.line) not in reported]
    if not clients:
        return requests
    # A chokepoint taking its path in parts (`def request(self, method, *parts)`), with what it puts
    # first, by the package it is in (whichever module the package's base is in)
    in_parts: dict[Path, tuple[str, frozenset[str], str, dict[str, str]]] = {}
    for finding in found:
        path = by_display.get(finding.file)
        prefix = _chokepoint_prefix(finding) if finding.language == "python" else None
        if path is None or prefix is None:
            continue
        folder, body = _package(path, "python"), text_of(path) or ""
        functions = frozenset(PARTS_CHOKEPOINT.findall(body))
        if folder is not None and functions:
            parts_only = set(PARTS_ONLY.findall(body))
            fixed = {name: verb for name, verb in _fixed_verbs(body).items() if name in parts_only}
            in_parts[folder] = (finding.file, functions, prefix, fixed)
    for display, path in by_display.items():
        if display in flagged or not display.endswith(".py"):
            continue
        client = next((client for folder, client in clients.items() if _inside(path, (folder,))), None)
        text = text_of(path) if client is not None else None
        if client is not None and text is not None:
            requests += requests_in(display, text, client)
            parts = next((given for folder, given in in_parts.items() if _inside(path, (folder,))), None)
            if parts is not None:
                seen = {f.line for f in requests if f.file == display}
                requests += [f for f in parts_requests_in(display, text, *parts) if f.line not in seen]
    return requests


def _chokepoint_prefix(finding: Finding) -> str | None:
    """What a chokepoint puts before the path it is handed (`workspaces/{ws}/` of a chokepoint sending
    to `.../workspaces/{ws}/{path}`; in a script, the URL it builds so); None for any other finding."""
    path = finding.path or ""
    script_url = finding.kind == "url" and finding.language in ("javascript", "typescript")
    if not (finding.message.startswith("chokepoint") or script_url) or not path.endswith("/" + SHOWN_HOLE):
        return None
    return path[: -len(SHOWN_HOLE)].replace(SHOWN_HOLE, HOLE)


PARTS_CHOKEPOINT = re.compile(r"^[ \t]+def[ \t]+(\w+)\([ \t]*self[ \t]*,[ \t]*\w+[ \t]*,[ \t]*\*\w+", re.MULTILINE)
"""A client method taking the verb then the path in parts (`def request(self, method, *parts, ...)`)."""
PARTS_ONLY = re.compile(r"^[ \t]+def[ \t]+(\w+)\([ \t]*self[ \t]*,[ \t]*\*\w+", re.MULTILINE)
"""A client method taking the path in parts alone (`def pages(self, *parts, key)`)."""


def _module_importers(
    exported: dict[str, set[str]], by_display: dict[str, Path], flagged: set[str], reached: Reached
) -> list[Finding]:
    """JavaScript and TypeScript modules anywhere in the repository that import a Config client
    module by a relative path (`import { getSegmentClient } from "../utils"`) and call what it
    exports, each call with the endpoint what it calls is `reached` to send."""
    clients = {str(by_display[display]): display for display in exported if display in by_display}
    found: list[Finding] = []
    for display, path in by_display.items():
        if display in flagged or not display.endswith(SCRIPT_SUFFIXES):
            continue
        text = text_of(path)
        if text is None or ("from" not in text and "require" not in text):
            continue
        client = next(relative_targets(path, text, clients), None)  # the first import of a client
        if client is not None:
            names = {name: client for name in exported[client]}
            language = language_of(display) or "javascript"
            requests, made = _bound_client_requests(display, text, language, names)
            found += [use for use in _uses(display, text, language, names, None, reached) if use.line not in made]
            found += requests
    return found


def _bound_client_requests(
    display: str, text: str, language: str, names: dict[str, str]
) -> tuple[list[Finding], set[int]]:
    """The requests a script sends through a client object one of `names` makes for it (`const
    client = getSegmentClient(); await client.post(`/workspaces/${ws}/sources`, ...)`), each with
    its method and the endpoint its literal path names; and the lines of the calls that made a
    client whose requests were found (the requests stand for them)."""
    bound = re.compile(
        r"\b(?:const|let|var)\s+(\w+)\s*(?::[^=\n]+)?=\s*(?:await\s+)?(" + "|".join(map(re.escape, names)) + r")\s*\("
    )
    found: list[Finding] = []
    made: set[int] = set()
    lines = text.splitlines()
    for binding in bound.finditer(text):
        variable, factory = binding.groups()
        scope = text[binding.end() : _scope_end(text, binding.start())]
        for call in re.finditer(r"(?<![\w.])" + re.escape(variable) + VERB_CALL, scope):
            start = binding.end() + call.start()
            number = text.count("\n", 0, start) + 1
            method, raw = call.group(1).upper(), call.group(3)
            classified = classify(config_url(shape_of(raw).strip("/")), True)
            endpoint = classified.pick(method) if classified.config and classified.candidates else None
            line = lines[number - 1]
            finding = _finding(
                display,
                language,
                number,
                start - (text.rfind("\n", 0, start) + 1) + 1,
                line,
                "call",
                f"{method} through the Config client `{factory}` makes ({names[factory]}): the path `{raw}` "
                "names no endpoint the scan can tell",
                f"the client is made in {names[factory]}: migrate it there, and move this request with it",
                via=names[factory],
            )
            found.append(
                _resolved(finding, method, endpoint, f"through the client `{factory}` makes, {names[factory]}")
            )
            made.add(text.count("\n", 0, binding.start()) + 1)
    return found, made


def _scope_end(text: str, start: int) -> int:
    """Where the block holding `start` closes (the end of the text when it is at the top)."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth < 0:
                return index
    return len(text)


def _python_importers(
    entries: dict[tuple[str, Path], dict[str, str]],
    beside: dict[Path, dict[str, str]],
    reached: Reached,
    by_display: dict[str, Path],
    flagged: set[str],
) -> list[Finding]:
    """Python scripts and notebooks outside any package (a top-level `scripts/` folder) that import
    a Python client's module by its name (`from kit.deletion import DeletionApi` in `scripts/run.py`,
    or in a notebook's cell), or a client module beside them outside any package (`from api import
    Api`, `beside`): their calls of its functions, as in its package."""
    modules: dict[str, dict[str, str]] = {}
    """The dotted name of each Python client module -> its request functions -> the client file."""
    for (language, _folder), scope in entries.items():
        for name, client in scope.items() if language == "python" else ():
            if (path := by_display.get(client)) is not None:
                modules.setdefault(module_name(path), {})[name] = client
    if not modules and not beside:
        return []
    clients = {client for scope in modules.values() for client in scope.values()}
    stems = {module.rsplit(".", 1)[-1] for module in modules} | {stem for loose in beside.values() for stem in loose}
    parts = "|".join(sorted(map(re.escape, stems)))
    # An import line naming one (a notebook's lines start with a quote): tested on the bytes, read
    # whole only where it is there.
    importing = re.compile(rf"""(?m)^[ \t"]*(?:from|import)[ \t][^\n]*\b(?:{parts})\b""".encode())
    found: list[Finding] = []
    projects = tuple(
        os.path.join(os.path.abspath(root), "")
        for client in clients
        if (root := _project_root(Path(os.path.abspath(by_display[client])))) is not None
    )
    in_package: dict[str, bool] = {}
    loose_read: dict[str, dict[str, str]] = {}
    # with no packaged client, only the folders of the clients outside any package can import one
    candidates = by_display.items() if modules else [(d, p) for d, p in by_display.items() if p.parent in beside]
    for display, path in candidates:
        if display in flagged or not display.endswith((".py", NOTEBOOK_SUFFIX)):
            continue
        # Read: every file of the clients' own projects (a `scripts/` package beside the client's),
        # and elsewhere scripts and notebooks outside any package. The packages of a tree that is
        # no project (a whole site-packages) are other libraries: reading them all would cost the
        # scan its speed.
        if not os.path.abspath(path).startswith(projects):
            folder = os.path.dirname(path)
            packaged = in_package.get(folder)
            if packaged is None:
                packaged = in_package[folder] = os.path.exists(os.path.join(folder, "__init__.py"))
            if packaged:
                continue
        try:
            data = path.read_bytes()
        except OSError:
            continue  # the walk has reported it
        if not importing.search(data):
            continue
        text = data.decode("utf-8", errors="replace")
        code = (python_of(text) or "") if display.endswith(NOTEBOOK_SUFFIX) else text
        # a client module outside any package is imported by its name from its own folder only
        neighbours = beside.get(path.parent, {})
        imported = modules_imported(code)
        names = {name: client for module in imported for name, client in modules.get(module, {}).items()}
        for module in imported & neighbours.keys():
            names.update(_loose_client(neighbours[module], by_display, reached, loose_read))
        if names:
            found += _uses(display, text, "python", names, None, reached)
    return found


PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg")


def _project_root(path: Path) -> Path | None:
    """The folder of the Python project holding `path`: the nearest one above it with a
    `pyproject.toml`, `setup.py` or `setup.cfg`."""
    for folder in path.parents:
        if any((folder / name).is_file() for name in PROJECT_FILES):
            return folder
    return None


HTTP_METHOD_TABLE = re.compile(
    r"""^\s*["']?(GET|POST|PUT|PATCH|DELETE)["']?\s*:\s*["'](GET|POST|PUT|PATCH|DELETE)["']""", re.MULTILINE
)
"""`GET: 'GET',`: an enumeration of request methods a request table reads."""


def _client_modules(clients: list[str], by_display: dict[str, Path], flagged: set[str]) -> list[Finding]:
    """JavaScript and TypeScript modules a Config client imports, and those they import in turn:
    its request table (`{method: API_METHODS.GET, url: '/workspaces'}`) and what that table is made
    of. Their paths are Config paths though the host is in the client."""
    from .text import scan_text

    by_path = {str(path): display for display, path in by_display.items() if display.endswith(SCRIPT_SUFFIXES)}
    found: list[Finding] = []
    queue = [(display, display) for display in clients]
    seen = set(clients)
    while queue:
        display, client = queue.pop(0)
        text = text_of(by_display[display]) if display in by_display else None
        if text is None:
            continue
        for target in relative_targets(by_display[display], text, by_path):
            if target in seen:
                continue
            seen.add(target)
            body = text_of(by_display[target])
            if body is None or target in flagged:
                continue
            language = language_of(target)
            own = [
                replace(finding, confidence="medium", via=client)
                for finding in scan_text(target, body, language, host_elsewhere=True)
                if finding.kind in CLIENT_KINDS
            ]
            if not own and (table := HTTP_METHOD_TABLE.search(body)) is not None:
                number = body.count("\n", 0, table.start()) + 1
                own = [
                    _finding(
                        target,
                        language,
                        number,
                        1,
                        body.splitlines()[number - 1],
                        "url",
                        f"the request methods of a Config API client's request table ({display} reads them)",
                        "it moves with the client; the Public API also uses PUT (replacing tracking-plan rules)",
                        via=client,
                        confidence="low",
                    )
                ]
            found += own
            if own:
                queue.append((target, client))
    return found


CONTEXT_KEY = re.compile(r"""\.obj\[\s*(['"])(\w+)\1\s*\]""")
"""A key of a CLI framework's context object (`ctx.obj['api']`: click's and typer's)."""


def _context_users(
    folder: Path,
    scope: dict[str, str],
    by_display: dict[str, Path],
    flagged: set[str],
    model_paths: dict[Path, ModelPaths],
) -> list[Finding]:
    """Modules of a client's package that call a Config client a command group put in the CLI's
    context (`ctx.obj['api'] = SegmentConfigApi(token)`, later `ctx.obj['api'].workspace(w).get()`),
    and what was derived from it there (`ctx.obj['sources'] = ctx.obj['workspace'].sources`)."""
    classes = {name: client for name, client in scope.items() if name[:1].isupper()}
    if not classes:
        return []
    texts = {
        display: text
        for display, path in by_display.items()
        if display.endswith(".py")
        and _inside(path, (folder,))
        and (text := text_of(path)) is not None
        and ".obj[" in text
    }
    constructed = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, sorted(classes))) + r")\s*\(")
    stores: list[tuple[str, str]] = []
    """Each context key set, and the expression it is set to."""
    typed: list[tuple[str, str, str]] = []
    """Each context key set from a constructed or bound client object: key, its class, the chain after it."""
    holders: dict[str, str] = {}
    """Context key -> the client file whose instance (or a part of it) the key holds."""
    for text in texts.values():
        bound = {
            match.group(1): classes[match.group(2)] for match in _BOUND.finditer(text) if match.group(2) in classes
        }
        bound_class = {match.group(1): match.group(2) for match in _BOUND.finditer(text) if match.group(2) in classes}
        # A store continued over lines (`ctx.obj['filters'] = ctx.obj['workspace']\` then `.sources...`) is one.
        for line in re.sub(r"\\\n\s*", "", text).splitlines():
            stored = _STORED.search(line)
            if stored is None:
                continue
            key, value = stored.group(2), stored.group(3)
            stores.append((key, value))
            base = re.match(r"(\w+)(\s*\([^\n]*?\))?((?:\.\w+|\([^\n]*?\))*)\s*$", value.strip())
            if base is not None and (base.group(1) in classes or base.group(1) in bound_class):
                typed.append(
                    (key, base.group(1) if base.group(1) in classes else bound_class[base.group(1)], base.group(3))
                )
            made = constructed.search(value)
            named = next((client for name, client in bound.items() if re.search(rf"(?<![\w.]){name}\b", value)), None)
            if made is not None or named is not None:
                holders[key] = classes[made.group(1)] if made is not None else str(named)
    while holders:  # a key set from a key holding a client holds (a part of) it too
        more = {
            key: holders[source.group(2)]
            for key, value in stores
            if key not in holders and (source := CONTEXT_KEY.search(value)) is not None and source.group(2) in holders
        }
        if not more:
            break
        holders |= more
    if not holders:
        return []
    models = _package_models(folder, by_display, model_paths)
    kinds = _context_classes(models, typed, stores)
    keys = "|".join(map(re.escape, sorted(holders)))
    use = re.compile(r"""\.obj\[\s*['"](""" + keys + r""")['"]\s*\](?:\.\w+|\([^()\n]*\)|\[[^\]\n]*\])*?\.\w+\s*\(""")
    found: list[Finding] = []
    for display, text in texts.items():
        if display in flagged:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            match = use.search(line)
            if match is None:
                continue
            client = holders[match.group(1)]
            finding = _finding(
                display,
                "python",
                number,
                match.start() + 1,
                line,
                "call",
                f"calls the Config API client the CLI context holds (`obj['{match.group(1)}']`, from {client})",
                f"the request is made in {client}: migrate it there, and this call moves with it",
                via=client,
            )
            # The whole chain on the key (`.source(src).destinations.list(...)`): its last call is the request.
            chain = CHAIN.match(chain_without_arguments(line[line.index("]", match.start()) + 1 :]))
            steps = chain.group(0).removesuffix("()") if chain is not None and chain.group(0).endswith("()") else ""
            owner_chain, _, called = steps.rpartition(".")
            held = _held_here(models, kinds, text, match.group(1), number)
            owner = models.class_of(held, owner_chain) if called else None
            method, endpoint = models.method_endpoint(owner, called) if owner else (None, None)
            if endpoint is None and called and not _may_send(models, called, scope):
                finding = replace(
                    finding,
                    kind="client",
                    message=f"uses the Config API client the CLI context holds (`obj['{match.group(1)}']`, from "
                    f"{client}): `{called}` sends no request",
                )
            broken = models.broken_chain(held, chain.group(0)) if endpoint is None and chain is not None else None
            if broken is not None:
                finding = replace(finding, message=f"{finding.message}; {broken}")
            found.append(_resolved(finding, method, endpoint, f"through `obj['{match.group(1)}']`, {client}"))
    return found


def _held_here(models: ModelPaths, kinds: dict[str, str], text: str, key: str, line: int) -> str | None:
    """The class of what context key `key` holds on `line`: what the function set it to last, above
    that line (a command stores the part of the client it calls), else what every store of it agrees on."""
    lines = text.splitlines()
    for number in range(line - 2, -1, -1):
        current = lines[number]
        if re.match(r"\s*(?:async\s+)?def\s", current):
            break
        while current.endswith("\\") and number + 1 < len(lines) and number + 1 < line - 1:
            number += 1
            current = current[:-1] + lines[number].strip()
        stored = _STORED.search(current)
        if stored is None or stored.group(2) != key:
            continue
        source = _from_key(stored.group(3))
        if source is None or source[0] not in kinds:
            return None
        return models.class_of(kinds[source[0]], source[1])
    return kinds.get(key)


def _from_key(value: str) -> tuple[str, str] | None:
    """`ctx.obj['workspace'].sources()` as the key it is read from and the chain after it."""
    source = re.match(r"\w+" + CONTEXT_KEY.pattern, value.strip())
    return (source.group(2), value.strip()[source.end() :]) if source is not None else None


def _may_send(models: ModelPaths, member: str, scope: dict[str, str]) -> bool:
    """Whether a method of the client's model classes of this name may send a request: true unless
    every class defining it is known and none of those bodies sends or calls a request function
    (`write_to_file`, or `workspace(name)`, which only makes a model)."""
    bodies = [body for (_cls, name), body in models.members.items() if name == member]
    if not bodies:
        return True
    requests = re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, sorted(scope))) + r")\s*\(") if scope else None
    return any(
        SENDS["python"].search(body) or HIERARCHY_SEND.search(body) or (requests and requests.search(body))
        for body in bodies
    )


def _context_classes(
    models: ModelPaths, typed: list[tuple[str, str, str]], stores: list[tuple[str, str]]
) -> dict[str, str]:
    """The class of the object each context key holds, where every assignment of it agrees."""
    kinds: dict[str, set[str | None]] = {}
    for key, cls, chain in typed:
        kinds.setdefault(key, set()).add(models.class_of(cls, chain) if chain else cls)
    for _ in range(4):  # keys set from other keys: `obj['sources'] = obj['workspace'].sources`
        for key, value in stores:
            source = _from_key(value)
            if source is None or source[0] not in kinds or len(kinds[source[0]]) != 1:
                continue
            (base,) = kinds[source[0]]
            kinds.setdefault(key, set()).add(models.class_of(base, source[1]) if base else None)
    return {key: next(iter(found)) for key, found in kinds.items() if len(found) == 1 and None not in found}  # type: ignore[misc]


CHAIN = re.compile(r"(?:\.\w+(?:\(\))?)+")
"""Attribute reads and calls one after another, their arguments taken out (`.source().list()`)."""
_BOUND = re.compile(r"^[ \t]*(\w+)[ \t]*=[ \t]*(\w+)[ \t]*\(", re.MULTILINE)
"""`api = SegmentConfigApi(token)`: a name bound to a constructed object."""
_STORED = re.compile(r"""\.obj\[\s*(['"])(\w+)\1\s*\]\s*=(?!=)\s*(.+)$""")
"""`ctx.obj['workspace'] = api.workspace(name)`: a context key set, and to what."""


ENVIRONMENT_SETTING = re.compile(r"^\s*([A-Za-z_]\w*)\s*=\s*" + SETTING_DEFAULT, re.MULTILINE)
"""`CONFIG_API = os.environ.get("SEGMENT_API", "https://...")`: a setting that may default to a Config URL."""


def _package_importers(
    found: list[Finding],
    by_display: dict[str, Path],
    flagged: set[str],
    names_in: Callable[[str], set[str]],
    grepped: dict[tuple[bytes, ...], list[Path]],
) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """The Python modules of packages holding a Config base URL (with their texts), and the unflagged
    modules of the repository (display, text) whose text names one of what `names_in(defining text)`
    finds: the package's own, and others importing it by its absolute name (a project's settings
    package read by its apps)."""
    defining = sorted({f.file for f in found if f.language == "python" and f.kind == "base_url"})
    paths = [by_display[name] for name in defining if name in by_display]
    packages = {folder for path in paths if (folder := _package(path, "python")) is not None}
    if not packages:
        return [], []  # a module outside any package is imported by name, not by its neighbours
    texts = [(path, text) for path in paths if (text := text_of(path)) is not None]
    names = {name for _path, text in texts for name in names_in(text)}
    importers: list[tuple[str, str]] = []
    outside: dict[Path, str] = {}
    for display, path in by_display.items():
        if display in flagged or not display.endswith(".py") or not names:
            continue
        if not _inside(path, packages):
            outside[path] = display  # most of a large tree: grep picks those naming one
            continue
        text = text_of(path)
        if text is not None and any(name in text for name in names):
            importers.append((display, text))
    # Another package imports one by its absolute name (`from conf.settings import SEGMENT`, `from
    # conf import settings`): grep picks those of a large tree spelling it, and only those are read.
    modules = {module_name(path) for path in paths if _package(path, "python") is not None}
    spelled = {
        word for module in modules if "." in module for word in (module, f"from {module.rsplit('.', 1)[0]} import")
    }
    if any("settings" in module_keys(module) for module in modules):  # Django's settings object reads it
        spelled.add(f"from {DJANGO_SETTINGS.rsplit('.', 1)[0]} import settings")
    words = tuple(sorted(word.encode() for word in spelled))
    if words and words not in grepped:
        grepped[words] = files_holding(list(outside), words)
    for path in grepped.get(words, []):
        if path not in outside:
            continue
        text = text_of(path)
        if text is not None and any(name in text for name in names):
            importers.append((outside[path], text))
    return texts, importers


def _constant_imports(
    found: list[Finding], by_display: dict[str, Path], flagged: set[str], grepped: dict[tuple[bytes, ...], list[Path]]
) -> list[Finding]:
    """Python modules importing a Config URL constant another module of the repository defines
    (`from .constants import segmentUrl`): the repository model apply uses too."""
    texts, importers = _package_importers(
        found,
        by_display,
        flagged,
        lambda text: {
            *STRING_CONSTANT.findall(text),
            *ENVIRONMENT_SETTING.findall(text),
            *SETTINGS_DICT.findall(text),
            *SETTINGS_INSTANCE.findall(text),
        },
        grepped,
    )
    if not importers:
        return []  # nothing here names one: no need to load the map to tell which are Config URLs
    from migrator.repository import config_constants

    constants = config_constants(texts)
    if not constants.names:
        return []
    known = constants.suffixes | constants.dotted
    imports = _imports_of(
        importers,
        constants.names,
        lambda module, name: f"{module.lstrip('.')}.{name}" in known,
        "a Config API URL another module of the repository defines",
        "the calls built on it go to the Config API: `migrate apply` moves them with this module",
    )
    related: list[Finding] = []
    modules = _module_imports(importers, constants.dotted, dict(constants.values))
    if imports or modules:
        from .python import PythonScanner

        texts_of, scanner = dict(importers), PythonScanner()
        literals = {name: f"{{local}} = {url!r}" for name, url in constants.values} | dict(constants.tables)
        twinnable = {dotted.rsplit(".", 1)[-1] for dotted, _path, _url in constants.bases}
        for finding in imports:
            related += _calls_on_imported(finding, texts_of[finding.file], literals, twinnable, scanner)
        for finding, statement, local, bound in modules:
            related += _calls_through_module(finding, texts_of[finding.file], statement, local, bound, scanner)
    return related + imports + [finding for finding, _statement, _local, _bound in modules]


def _module_imports(
    importers: list[tuple[str, str]], dotted: Iterable[str], values: dict[str, str]
) -> list[tuple[Finding, FromImport, str, dict[str, str]]]:
    """`from kit import settings`, where `settings` defines Config URL constants the module reads
    as its attributes (`settings.API`): a finding at the import, with the statement, the local name
    and the constants read, for the calls to be read with them."""
    by_module: dict[str, dict[str, str]] = {}
    for qualified in dotted:
        module, constant = qualified.rsplit(".", 1)
        for tail in module_keys(module):
            by_module.setdefault(tail, {})[constant] = values.get(constant, "")
    found: list[tuple[Finding, FromImport, str, dict[str, str]]] = []
    for display, text in importers:
        lines = text.splitlines()
        for statement in [*from_imports(text), *aliased_imports(text)]:
            for imported in statement.names:
                module = statement.dotted(imported)
                constants = by_module.get(module_read(module), {})
                read = {
                    constant: url
                    for constant, url in constants.items()
                    if url and re.search(rf"\b{re.escape(imported.local)}\.{re.escape(constant)}\b", text)
                }
                if not read:
                    continue
                finding = _finding(
                    display,
                    "python",
                    imported.line,
                    imported.column,
                    lines[imported.line - 1],
                    "base_url",
                    f"imports `{imported.local}`, a module whose `{sorted(read)[0]}` is a Config API URL",
                    "the calls built on it go to the Config API: `migrate apply` moves them with this module",
                    via=None,
                    fixability="auto",
                )
                found.append((finding, statement, imported.local, read))
    return found


def _calls_through_module(
    imported: Finding, text: str, statement: FromImport, local: str, read: dict[str, str], scanner: PythonScanner
) -> list[Finding]:
    """The calls of a module built on constants it reads through a module it imports, each with its
    endpoint: the module is read with the import statement standing for a class holding those
    constants (read as `settings.API` all the same), and judged as apply plans it."""
    holder = "; ".join(f"{constant} = {url!r}" for constant, url in sorted(read.items()))
    return _read_with(imported.file, text, statement, f"class {local}: {holder}", scanner, judged=True) or []


def _read_with(
    file: str, text: str, statement: FromImport, standing_for: str, scanner: PythonScanner, judged: bool
) -> list[Finding] | None:
    """The module read again with its import `statement` replaced by `standing_for`, on as many lines
    (so every finding keeps its place): its calls found outside the statement, and when `judged`,
    as apply plans the module so read (with the requests it routes that the scanner could not
    place); None when it does not scan."""
    lines = text.split("\n")
    lines[statement.first_line - 1] = statement.indent + standing_for
    for number in range(statement.first_line, statement.last_line):
        lines[number] = ""
    read_as = "\n".join(lines)
    try:
        rescanned = scanner.scan(file, read_as)
    except Exception:  # the module as it is was parsed already; a failure here only loses detail
        return None
    if judged:
        from migrator import scan

        rescanned = scan.judged(file, read_as, rescanned)
    return [
        finding
        for finding in rescanned
        if finding.kind in ("call", "url") and not statement.first_line <= finding.line <= statement.last_line
    ]


def _class_imports(
    found: list[Finding], by_display: dict[str, Path], flagged: set[str], grepped: dict[tuple[bytes, ...], list[Path]]
) -> list[Finding]:
    """Modules importing a class whose body holds the Config base (`from .base import BaseClient`),
    where nothing else was found: after the passes that say more of a file (its calls of a client),
    not before them."""
    classes = _classes_holding_bases(found, by_display)
    if not classes:
        return []
    names = {name for names in classes.values() for name in names}
    _texts, importers = _package_importers(found, by_display, flagged, lambda _text: names, grepped)
    return _imports_of(
        importers,
        names,
        lambda module, name: name in classes.get(module.rsplit(".", 1)[-1], ()),
        "a class holding the Config API URL its requests are built on",
        "the requests made through it go to the Config API: `migrate apply` moves them with that class",
        once=True,
    )


def _built_on_requests(
    found: list[Finding], by_display: dict[str, Path], grepped: dict[tuple[bytes, ...], list[Path]]
) -> list[Finding]:
    """The requests of modules building on a class or function of another module that holds or
    returns the Config URL (`built_on.py`), found already or not (a module calling the class's
    sending helper is, its own `requests.patch(self._url(...))` is not): the modules of the defining
    packages naming one (a native grep picks them), and those importing one by the package's
    absolute name elsewhere."""
    defining = sorted({f.file for f in found if f.language == "python" and f.kind == "base_url"})
    texts = [(path, text) for name in defining if (path := by_display.get(name)) and (text := text_of(path))]
    from migrator.repository import config_constants

    constants = config_constants(texts)  # for URL functions built on a constant another module defines
    names = sorted({name for _path, text in texts for name in names_built_on(text, constants)})
    packages = {folder for path, _text in texts if (folder := _package(path, "python")) is not None}
    if not names or not packages:
        return []
    defined = {str(path) for path, _text in texts}
    prefixes = _prefixes(tuple(packages))
    inside = {
        path: display
        for display, path in by_display.items()
        if display.endswith(".py") and str(path) not in defined and str(path).startswith(prefixes)
    }
    holding = files_holding(sorted(inside), tuple(name.encode() for name in names))
    importers = [(inside[path], text) for path in holding if (text := text_of(path)) is not None]
    # another package importing one by its absolute name: grep picks those too (the package's own
    # modules, all read above, are left out of that pass)
    _texts, elsewhere = _package_importers(found, by_display, set(inside.values()), lambda _text: set(names), grepped)
    importers += [(display, text) for display, text in elsewhere if str(by_display.get(display)) not in defined]
    if not importers:
        return []
    from .python import PythonScanner

    known = {(finding.file, finding.line) for finding in found}
    return built_on_requests(texts, importers, known, PythonScanner(), constants)


def _calls_on_imported(
    imported: Finding, text: str, literals: dict[str, str], twinnable: set[str], scanner: PythonScanner
) -> list[Finding]:
    """The calls of a module built on a Config URL it imports, each with its endpoint: the module is
    read again with the import statement standing for the constants' values (`literals`: each as
    Python source, a URL or a settings dict), on as many lines (so
    every finding keeps its place). Where every constant imported there can get a Public twin beside
    it, `migrate apply` moves the calls as if the constants were the module's own, and the module
    so read is judged; otherwise they go through the compatibility layer."""
    statement = next(
        (found for found in from_imports(text) if found.first_line <= imported.line <= found.last_line), None
    )
    if statement is None:
        return []
    bound = [(name.local, literals[name.name]) for name in statement.names if name.name in literals]
    if not bound:
        return []
    # each binds its local name: `API = "https://..."`, `SEGMENT = {...}`, `class settings: ...` (a
    # class statement ends the line, so it stands alone)
    statements = [literal.replace("{local}", local, 1) for local, literal in bound]
    classes = [statement for statement in statements if statement.startswith("class ")]
    bindings = classes[0] if classes else "; ".join(statements)
    from migrator import scan

    judged = scan.judge_with is not None and all(
        name.name in twinnable for name in statement.names if name.name in literals
    )
    found = _read_with(imported.file, text, statement, bindings, scanner, judged)
    if found is None:
        return []
    if judged:
        return found
    calls: list[Finding] = []
    for finding in found:
        endpoint = load_map().endpoint(finding.endpoint) if finding.endpoint else None
        if endpoint is not None and endpoint.translation == "none":
            calls.append(finding)  # no Public twin: the layer leaves it to a person, as the scanner said
        else:
            calls.append(replace(finding, fixability="auto", reason=f"{LAYER_REASON}: its base URL is imported"))
    return calls


def _imports_of(
    importers: list[tuple[str, str]],
    names: Iterable[str],
    wanted: Callable[[str, str], bool],
    what: str,
    fix: str,
    once: bool = False,
) -> list[Finding]:
    """A finding at each `from module import name` of `names` that `wanted(module, name)` accepts,
    in each of `importers` (display, text); with `once`, the first of each file only."""
    names = frozenset(names)
    related: list[Finding] = []
    for display, text in importers:
        lines = text.splitlines()
        wanted_names = [
            name
            for statement in from_imports(text)
            for name in statement.names
            if name.name in names and wanted(statement.module, name.name)
        ]
        for name in wanted_names[:1] if once else wanted_names:
            related.append(
                _finding(
                    display,
                    "python",
                    name.line,
                    name.column,
                    lines[name.line - 1],
                    "base_url",
                    f"imports `{name.name}`, {what}",
                    fix,
                    via=None,
                    fixability="auto",
                )
            )
    return related


CLASS_LINE = re.compile(r"^class[ \t]+([A-Za-z_]\w*)")


def _classes_holding_bases(found: list[Finding], by_display: dict[str, Path]) -> dict[str, set[str]]:
    """Module stem -> the classes of it whose body holds a Config base URL (`class BaseClient:
    BASE = "https://platform..."`): subclasses and users elsewhere build their requests on it."""
    classes: dict[str, set[str]] = {}
    for finding in found:
        if finding.language != "python" or finding.kind != "base_url" or finding.column <= 1:
            continue
        path = by_display.get(finding.file)
        text = text_of(path) if path is not None else None
        if text is None:
            continue
        for line in reversed(text.splitlines()[: finding.line - 1]):
            match = CLASS_LINE.match(line)
            if match is not None:
                classes.setdefault(Path(finding.file).stem, set()).add(match.group(1))
                break
            if line[:1].strip():  # back at the module level without meeting a class
                break
    return classes


def _moving(finding: Finding, routed: set[str]) -> Finding:
    """A call through a client `migrate apply` routes through the compatibility layer moves with it."""
    if finding.via not in routed or finding.language != "python":
        return finding
    return replace(finding, fixability="auto", reason=f"{LAYER_REASON} in {finding.via}, where the request is made")


def _inside(path: Path, folders: Iterable[Path]) -> bool:
    """Whether `path` is under one of `folders` (by its text: `Path.is_relative_to` parses both
    paths, which costs more than the rest of this pass over a large tree)."""
    return str(path).startswith(_prefixes(tuple(folders)))


@functools.lru_cache(maxsize=256)
def _prefixes(folders: tuple[Path, ...]) -> tuple[str, ...]:
    return tuple(os.path.join(str(folder), "") for folder in folders)


def _package(path: Path, language: str) -> Path | None:
    """The folder a client's callers are found in: its own (a Go package, a JS folder), or for
    Python its top-level package. None for a Python script outside any package: its callers would
    import it by name, and scripts beside it are not its callers."""
    folder = path.parent
    if language != "python":
        return folder
    if not (folder / "__init__.py").exists():
        return None
    while (folder.parent / "__init__.py").exists() and folder.parent != folder:
        folder = folder.parent
    return folder


GENERIC_NAMES = frozenset(
    {"get", "post", "put", "patch", "delete", "request", "send", "call", "run", "list", "update", "create"}
    | {"items", "keys", "values", "read", "write", "open", "close", "format", "join", "split", "copy", "pop"}
)
"""Names too common to follow from a method that only reaches a request function (`d.get(...)` is
rarely a client's): a method sending the request itself is followed whatever its name."""


def _definitions(text: str, language: str) -> list[tuple[str, int, int]]:
    """The functions a file defines, each with where its text starts and ends (at the next one)."""
    # A keyword the JavaScript method pattern matches (`if (x) {`) is inside a body, not a new one.
    starts = [
        (match.start(), name)
        for match in DEFINITIONS[language].finditer(text)
        if (name := next(name for name in match.groups() if name)) not in KEYWORDS
    ]
    return [
        (name, start, starts[index + 1][0] if index + 1 < len(starts) else len(text))
        for index, (start, name) in enumerate(starts)
    ]


def _request_functions(text: str, language: str, sending: set[int] | frozenset[int] = frozenset()) -> Iterator[str]:
    """The functions of a client file that send a request, and those that reach one of them through
    the file's own functions (`get_bulk_delete_status` calling `self._send_request`): a caller in
    another module calls the public methods, rarely the chokepoint itself. `sending`: the lines of
    the requests the scan found in the file (sent through what a function's text does not show)."""
    definitions = [
        (name, start, end) for name, start, end in _definitions(text, language) if name not in NOT_ENTRY_POINTS
    ]
    bodies = [(name, text[start:end]) for name, start, end in definitions]
    sends = SENDS[language]
    reaching = {name for name, body in bodies if sends.search(body)}
    if sending:
        for name, start, end in definitions:
            if name in GENERIC_NAMES:
                continue  # `get`, `create`: a dict's too; `_generic_methods` reads them on the client only
            first = text.count("\n", 0, start) + 1
            if any(first <= line <= first + text.count("\n", start, end) for line in sending):
                reaching.add(name)
    yield from sorted(reaching)
    while True:
        calls = re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, sorted(reaching))) + r")\s*\(")
        more = {
            name
            for name, body in bodies
            if name not in reaching
            and name not in GENERIC_NAMES
            # a script's one-line arrow function calls on its own line (`const sources = () => call(...)`)
            and calls.search(body if language in ("javascript", "typescript") else body.split("\n", 1)[-1])
        }
        if not reaching or not more:
            break
        reaching |= more
        yield from sorted(more)
    if language == "python" and reaching:
        yield from _client_classes(text, reaching)


def _generic_methods(text: str, reaching: list[str]) -> frozenset[str]:
    """The methods of a Python client with a common name (`create`, `update`, `delete`) that send a
    request or call one of the file's request functions (`reaching`, which leaves them out)."""
    calls = re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, sorted(reaching))) + r")\s*\(") if reaching else None
    return frozenset(
        name
        for name, start, end in _definitions(text, "python")
        if name in GENERIC_NAMES
        and text[start : start + 1] in (" ", "\t")  # a method, indented in its class
        and (
            SENDS["python"].search(text, start, end) is not None
            or (calls is not None and calls.search(text[start:end].split("\n", 1)[-1]) is not None)
        )
    )


CLASS = re.compile(r"^class[ \t]+(\w+)", re.MULTILINE)
TOP_LEVEL_DEF = re.compile(r"^(?:async[ \t]+)?def[ \t]+(\w+)", re.MULTILINE)


def _instance_calls(display: str, text: str, names: dict[str, str], reached: Reached, seen: set[int]) -> list[Finding]:
    """Calls of a client class's methods with common names (`api.create(...)`, `api.update(...)`)
    on an instance this module makes of it (`api = TrackingPlans(ws)`): a `dict.update` is not one."""
    classes = {name: client for name, client in names.items() if (client, name) in reached.classes}
    if not classes:
        return []
    made = re.compile(r"(?<![\w.])((?:self\.)?\w+)\s*=\s*(?:\w+\.)?(" + "|".join(map(re.escape, classes)) + r")\s*\(")
    instances = {found.group(1): classes[found.group(2)] for found in made.finditer(text)}
    found: list[Finding] = []
    for instance, client in instances.items():
        methods = reached.generic.get(client, frozenset())
        if not methods:
            continue
        pattern = re.compile(rf"(?<![\w.]){re.escape(instance)}\.({'|'.join(sorted(methods))})\s*\(")
        for match in pattern.finditer(text):
            number = text.count("\n", 0, match.start()) + 1
            if number in seen:
                continue
            name = match.group(1)
            column = match.start(1) + 1 - (text.rfind("\n", 0, match.start()) + 1)
            finding = _client_call(display, "python", number, column, text.splitlines()[number - 1], name, client)
            found.append(_through_function(finding, name, client, reached.endpoints.get((client, name), frozenset())))
    return found


def _another_objects(name: str, receiver: str, client: str, reached: Reached, text: str) -> bool:
    """A call of a common name on something that is not the client module (`answer.get("next_page_token")`
    where the client defines a module-level `get`): a module-level function is called bare where it
    is imported, or on the module's name."""
    if name not in GENERIC_NAMES or (client, name) not in reached.functions or not receiver:
        return False
    module = os.path.splitext(os.path.basename(client))[0]
    return receiver != module and not re.search(rf"\bimport\b[^\n]*\b{re.escape(receiver)}\b", text)


@dataclass
class Reached:
    """What the Config clients' request functions are known to do, by (client file, name)."""

    endpoints: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    """The Config endpoints each sends (`_endpoints_sent`)."""
    classes: set[tuple[str, str]] = field(default_factory=set)
    """Those that are classes: made, not called."""
    verbs: dict[tuple[str, str], str] = field(default_factory=dict)
    """Those whose body names one HTTP verb only (`paginate` calling `self._request("GET", path)`):
    the verb a path handed to them is sent with."""
    generic: dict[str, frozenset[str]] = field(default_factory=dict)
    """By Python client file: its methods with a common name (`create`, `update`) that reach a request:
    followed only where called on an instance of the client's class made in the caller's module."""
    functions: set[tuple[str, str]] = field(default_factory=set)
    """Python module-level functions (not methods): called bare where imported, or on the module."""
    found: dict[str, list[Finding]] = field(default_factory=dict)
    """The findings of the scan, by file: what a client's own requests send."""
    prefixes: dict[str, str] = field(default_factory=dict)
    """By client file: the path its chokepoint puts before the path it is handed (`workspaces/{ws}/`
    of `f"{API}/workspaces/{self.workspace}/{path}"`), where it has one chokepoint only."""


def _endpoints_sent(text: str, language: str, findings: list[Finding]) -> dict[str, frozenset[str]]:
    """Each function of a client file -> the Config endpoints it sends: those found in its body,
    and those of the file's own functions it calls (`delete_users` -> `_post_regulation` -> POST
    regulations), so a caller in another module learns what its call sends."""
    if not findings:
        return {}
    direct: dict[str, set[str]] = {}
    bodies: dict[str, str] = {}
    for name, start, end in _definitions(text, language):
        first, last = text.count("\n", 0, start) + 1, text.count("\n", 0, end) + 1
        keys = {finding.endpoint for finding in findings if finding.endpoint and first <= finding.line < last}
        # A name defined twice (two classes' `get`) says nothing certain about either call.
        if name in bodies:
            direct[name] = {"?"}
            continue
        bodies[name] = text[start:end].split("\n", 1)[-1]
        direct[name] = keys
    for _ in range(len(bodies)):
        grown = False
        for name, body in bodies.items():
            for callee, keys in list(direct.items()):
                if callee != name and keys - direct[name] and re.search(rf"(?<![\w]){re.escape(callee)}\s*\(", body):
                    direct[name] |= keys
                    grown = True
        if not grown:
            break
    return {name: frozenset(keys) for name, keys in direct.items() if keys}


def _client_call(display: str, language: str, line: int, column: int, text: str, name: str, client: str) -> Finding:
    return _finding(
        display,
        language,
        line,
        column,
        text,
        "call",
        f"calls `{name}`, which sends Config API requests ({client})",
        f"the request is made in {client}: migrate it there, and this call moves with it",
        via=client,
    )


def _construction(display: str, language: str, line: int, column: int, text: str, name: str, client: str) -> Finding:
    return _finding(
        display,
        language,
        line,
        column,
        text,
        "client",
        f"constructs `{name}`, the repository's Config API client ({client})",
        "its requests are made in the client and reported there and where its methods are called: migrate them there",
        via=client,
    )


VERB_LITERAL = re.compile(r"""(['"])(GET|POST|PUT|PATCH|DELETE)\1""")
FIRST_PATH = re.compile(r"""\s*f?(['"])((?:(?!\1)[^\n])+)\1""")
"""A string first argument (an f-string's may hold the other quote: `f"workspaces/{obj['ws']}"`)."""
VERB_AND_PATH = re.compile(
    r"""\s*(['"])(GET|POST|PUT|PATCH|DELETE|get|post|put|patch|delete)\1\s*,\s*f?(['"`])((?:(?!\3)[^\n])+)\3"""
)
"""A chokepoint's call giving the verb and then the path (`api.call('GET', `workspaces/${ws}/sources`)`)."""


def _fixed_verbs(text: str) -> dict[str, str]:
    """The functions of a Python client module whose body names one HTTP verb only, with it."""
    verbs: dict[str, str] = {}
    for name, start, end in _definitions(text, "python"):
        named = {found.group(2) for found in VERB_LITERAL.finditer(text, start, end)}
        if len(named) == 1:
            verbs[name] = named.pop()
    return verbs


def _on_path_given(finding: Finding, arguments: str, verb: str, how: str, prefix: str | None) -> Finding:
    """A call handing a client function a Config path as its first argument (`paginate(f"workspaces/
    {ws}/sources", "sources")`), the function sending with one verb: that endpoint. A path that is
    no Config path alone is read after the client's `prefix` (`paginate("sources", ...)` of a
    client whose chokepoint sends to `.../workspaces/{ws}/{path}`)."""
    given = FIRST_PATH.match(arguments)
    return finding if given is None else _on_path(finding, given.group(2), verb, how, prefix)


def _on_path(finding: Finding, written: str, verb: str, how: str, prefix: str | None) -> Finding:
    """A call sending `verb` to the Config path `written` (read below the client's `prefix` when it
    is no Config path alone): that endpoint."""
    path = shape_of(written).lstrip("/")
    classified = classify(config_url(path), True)
    if (not classified.config or not classified.candidates) and prefix is not None:
        classified = classify(config_url((prefix + path).lstrip("/")), True)
    if not classified.config or not classified.candidates:
        return finding
    return _resolved(finding, verb, classified.pick(verb), how)


def _through_function(finding: Finding, name: str, client: str, endpoints: frozenset[str]) -> Finding:
    """A call of a client function with what it sends: its endpoint when it sends one only, else
    the endpoints it may send, named in the message."""
    if not endpoints or "?" in endpoints:
        return finding
    if len(endpoints) == 1:
        return _resolved(finding, None, load_map().endpoint(next(iter(endpoints))), f"through `{name}`, {client}")
    api = load_map()
    named = ", ".join(sorted(f"{api.endpoint(key).method} {api.endpoint(key).path}" for key in endpoints))
    message = f"calls `{name}`, which sends {len(endpoints)} Config API requests: {named} ({client})"
    return replace(finding, message=message)


def _client_classes(text: str, reaching: set[str]) -> Iterator[str]:
    """Module-level classes with a method that reaches a request: a module constructing one
    (`SegmentConfigApi(token)`) is a user of the client, whatever it then calls."""
    starts = [(match.start(), match.group(1)) for match in CLASS.finditer(text)]
    names = "|".join(map(re.escape, sorted(reaching)))
    method = re.compile(r"^[ \t]+(?:async[ \t]+)?def[ \t]+(?:" + names + r")\b", re.MULTILINE)
    for index, (start, name) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        if name not in GENERIC_NAMES and method.search(text, start, end):
            yield name


def _uses(
    display: str,
    text: str,
    language: str,
    names: dict[str, str],
    constants: GoPackage | None = None,
    reached: Reached | None = None,
) -> list[Finding]:
    """A finding at each call of one of `names`. In Go, with the package's string `constants`, the
    call's method and endpoint when its arguments say them (`golang.call_endpoint`); elsewhere,
    what the called function is `reached` to send (its endpoint when it sends one only), and a
    client class made rather than called."""
    reached = reached or Reached()
    found: list[Finding] = []
    if language in ("javascript", "typescript"):
        # A script's own function of the same name is not the client's (a copied `getCatalog` that
        # calls the Public API); Python methods are called on their receiver, Go shares its package.
        own = {name for match in DEFINITIONS[language].finditer(text) for name in match.groups() if name}
        names = {name: client for name, client in names.items() if name not in own}
        if not names:
            return found
    alternatives = "|".join(map(re.escape, sorted(names)))
    call = re.compile(
        # Ruby calls a method on its receiver without parentheses (`client.sources.length`)
        rf"(?<![\w.])([\w\]\).@]+?)\.({alternatives})(?:\s*\(|(?![\w?!]))"
        if language == "ruby"
        else rf"(?<![\w.])(?:([\w\]\).]+?)\.)?({alternatives})\s*\("
    )

    lines = text.splitlines(keepends=True)
    offset = 0
    for number, line in enumerate(lines, 1):
        # A method call made on a client built in place (`Api().list()`) is the site, not the build.
        matches = list(call.finditer(line))
        calls = [found for found in matches if (names[found.group(2)], found.group(2)) not in reached.classes]
        match = next(iter(calls or matches), None)
        receiver = (match.group(1) or "").rsplit(".", 1)[-1] if match else ""
        starts_at, offset = offset, offset + len(line)
        if match is None or _is_definition(line) or receiver in LIBRARIES:
            continue
        name = match.group(2)
        if (names[name], name) in reached.classes:
            found.append(_construction(display, language, number, match.start(2) + 1, line, name, names[name]))
            continue
        if _another_objects(name, receiver, names[name], reached, text):
            continue
        finding = _client_call(display, language, number, match.start(2) + 1, line, name, names[name])
        if constants is not None:
            sent = call_endpoint(text, starts_at + match.end(), constants)
            finding = _resolved(finding, sent.method, sent.endpoint, f"through `{name}`, {names[name]}")
            if sent.endpoint is None and sent.path is not None and not sent.path.strip("/"):
                why = " (a test of the client's own request handling)" if TEST_FILE.search(display) else ""
                root = f"the path `{sent.path}` is the API's root, no endpoint of it{why}"
                finding = replace(finding, message=f"{finding.message}: {root}")
        else:
            sends = reached.endpoints.get((names[name], name), frozenset())
            finding = _through_function(finding, name, names[name], sends)
            verb = reached.verbs.get((names[name], name))
            how, prefix = f"through `{name}`, {names[name]}", reached.prefixes.get(names[name])
            if finding.endpoint is None and verb is not None:
                finding = _on_path_given(finding, line[match.end() :], verb, how, prefix)
            given = VERB_AND_PATH.match(line[match.end() :]) if finding.endpoint is None else None
            if given is not None:  # the chokepoint itself, called with its verb and path
                finding = _on_path(finding, given.group(4), given.group(2).upper(), how, prefix)
        found.append(finding)
    if language == "python":
        found += _instance_calls(display, text, names, reached, {f.line for f in found})
    if language == "go" and not found:
        for match in _go_path_word().finditer(text):
            number = text.count("\n", 0, match.start()) + 1
            found.append(
                _finding(
                    display,
                    language,
                    number,
                    1,
                    lines[number - 1],
                    "url",
                    f"`{match.group(1)}`: a Config API path segment ({match.group(2)}) its client builds paths from",
                    "the Public API paths differ (no workspace segment, ids for names): "
                    "change it with the client's requests (`migrate translate` shows each)",
                    via=next(iter(names.values())),
                )
            )
    return found


GO_JSON_TAG = re.compile(r'`[^`]*\bjson:"([a-z][a-z0-9_]*)')


def _answer_shapes(display: str, text: str, client: str) -> list[Finding]:
    """A Go file of a Config client's package declaring the Config answers' shapes: struct fields
    tagged with keys only the Config API spells so (`json:"next_page_token"`, `json:"catalog_name"`).
    Two such keys at least: one is a coincidence."""
    from .python import consumer_keys

    keys = consumer_keys(load_map())
    tagged = [(match, match.group(1)) for match in GO_JSON_TAG.finditer(text) if match.group(1) in keys]
    if len({key for _match, key in tagged}) < 2:
        return []
    first = tagged[0][0]
    number = text.count("\n", 0, first.start()) + 1
    names = ", ".join(sorted({f"`{key}`" for _match, key in tagged})[:6])
    return [
        _finding(
            display,
            "go",
            number,
            1,
            text.splitlines()[number - 1],
            "consumer",
            f"declares the Config API answers' shapes ({names})",
            "Public answers are wrapped in `data`, camelCase, with ids for resource names: "
            "Segment's Go SDK (github.com/segmentio/public-api-sdk-go) has their types",
            via=client,
        )
    ]


def _model_paths(path: Path, by_display: dict[str, Path], known: dict[Path, ModelPaths]) -> ModelPaths:
    """The model classes' paths of the Python package `path` is in, read once per package."""
    return _package_models(_package(path, "python") or path.parent, by_display, known)


def _package_models(folder: Path, by_display: dict[str, Path], known: dict[Path, ModelPaths]) -> ModelPaths:
    if folder not in known:
        texts = [
            text
            for module in by_display.values()
            if module.suffix == ".py" and _inside(module, (folder,)) and (text := text_of(module)) is not None
        ]
        known[folder] = ModelPaths(texts)
    return known[folder]


def _through_models(found: list[Finding], text: str, models: ModelPaths) -> list[Finding]:
    """Each call a model class makes of its own request method, with the endpoint of its path."""
    if not models.paths:
        return found
    result = []
    for finding in found:
        if finding.endpoint is None:
            method, endpoint = models.endpoint(text, finding.line)
            finding = _resolved(finding, method, endpoint, f"the model's path, through {finding.via}")
            why = models.why_unknown(text, finding.line) or forwarded(text, finding.line) if endpoint is None else None
            if why is not None:
                finding = replace(finding, message=f"{finding.message}; {why}")
        result.append(finding)
    return result


def _resolved(finding: Finding, method: str | None, endpoint: Endpoint | None, how: str) -> Finding:
    """A call's finding with the endpoint (or only the method) worked out for it, and how."""
    if endpoint is not None:
        return replace(
            finding,
            message=f"{endpoint.method} {endpoint.path} ({how})",
            method=endpoint.method,
            endpoint=endpoint.key,
            path=endpoint.path,
            public=public_twins(endpoint),
        )
    return replace(finding, method=method) if method is not None else finding


def _go_constants(folder: Path, known: dict[Path, GoPackage]) -> GoPackage:
    """What the scan reads of the Go package in `folder` (its string constants, its request
    struct), read once per package."""
    if folder not in known:
        texts = []
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            names = []
        for name in names:
            if name.endswith(".go") and not name.endswith("_test.go"):
                text = text_of(folder / name)
                if text is not None:
                    texts.append(text)
        known[folder] = package_facts(texts)
    return known[folder]


def _is_definition(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith(("def ", "async def ", "func ", "function "))


def _finding(
    display: str,
    language: str,
    line: int,
    column: int,
    text: str,
    kind: str,
    message: str,
    reason: str,
    via: str | None,
    fixability: str = "manual",
    confidence: str = "medium",
) -> Finding:
    return Finding(
        kind=kind,
        file=display,
        line=line,
        column=column,
        language=language,
        message=message,
        fixability=fixability,
        confidence=confidence,
        reason=reason,
        snippet=text.strip()[:200],
        via=via,
    )
