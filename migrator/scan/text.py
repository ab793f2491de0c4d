"""Config API uses in files read as text: JavaScript and TypeScript, Go, shell and curl, Markdown,
YAML, JSON (Postman), Terraform, Makefiles, Dockerfiles, and anything else; plus the comment-level
findings every language shares (commented-out legacy code, TODO(migrate) markers)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from functools import cache

from migrator.analysis.holes import HOLE

from .endpoints import classify, config_url, describe, fixability_of, is_prefix, name_fields, public_twins
from .findings import Finding
from .secrets import find_secrets, redact

LANGUAGES = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".jsx": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".ts": "typescript",
    ".tsx": "typescript",
    ".go": "go",
    ".sh": "shell",
    ".bash": "shell",
    ".zsh": "shell",
    ".md": "markdown",
    ".markdown": "markdown",
    ".rst": "rst",
    ".yml": "yaml",
    ".yaml": "yaml",
    ".json": "json",
    ".tf": "terraform",
    ".tfvars": "terraform",
    ".hcl": "terraform",
    ".rb": "ruby",
    ".java": "java",
    ".kt": "kotlin",
    ".cs": "csharp",
    ".php": "php",
    ".toml": "toml",
    ".ini": "ini",
    ".cfg": "ini",
    ".env": "dotenv",
    ".txt": "text",
    ".ipynb": "json",
}
NAMES = {"makefile": "makefile", "gnumakefile": "makefile", "dockerfile": "dockerfile", ".env": "dotenv"}
URL = re.compile(
    r"""(?:https?:)?//platform\.segmentapis\.com[^\s"'`<>\\,;|]*"""
    r"""|(?<=["'`/ =])/?v1(?:beta|alpha)/[^\s"'`<>\\,;|]+""",
    re.IGNORECASE,
)
HOSTNAME = re.compile(r"""["']platform\.segmentapis\.com["']""", re.IGNORECASE)
RELATIVE = re.compile(
    r"""["'`](?:%s|#\{[^}"'`]*\}|\$\{[^}"'`]*\})?(/?(?:workspaces|catalog|filters|access-tokens)/[^"'`\s]*)["'`]"""
)
"""A Config path in a string, in a file that holds the host: whole (`"workspaces/acme/sources"`), or
after the base put in first (`"%s/workspaces/%s"`, `"#{BASE}/workspaces/..."`, `` `${API}/workspaces` ``)."""
TABLE_PATH = re.compile(
    r"""\b(?:url|path|endpoint)["']?\s*[:=]\s*["'`](/?(?:workspaces|catalog|filters|access-tokens)(?:/[^"'`\s]*)?)["'`]"""
)
"""A path of a request table (`url: '/workspaces'`), in a module whose host is in the client using it."""
BASE_KEY = re.compile(r"""\b(?:baseURL|baseUrl|prefixUrl|base_url|baseUri|BaseAddress)["']?\s*[:=]\s*["'`]?$""")
"""What an HTTP client's base URL follows in its options (axios' `baseURL:`, got's `prefixUrl:`)."""


@cache
def _resource_name_key() -> re.Pattern[str]:
    """What a Config resource name follows in a body (`name: 'workspaces/acme/sources/web'`): a key
    the map types as a name."""
    keys = "|".join(sorted(re.escape(name) for name in name_fields()))
    return re.compile(rf"""\b(?:{keys})["']?\s*[:=]\s*$""")


TEMPLATE_PARTS = re.compile(
    r"#\{[^}]*\}|\$\{[^}]*\}|\{\{[^}]*\}\}|\{[^}/]*\}|\$[A-Za-z_][A-Za-z0-9_]*|%[sdv]|<[A-Za-z_][\w-]*>|(?<=/):[A-Za-z_]\w*"
)
METHOD_NEAR = [
    re.compile(r"(?:-X|--request)\s*['\"]?(GET|POST|PUT|PATCH|DELETE)\b", re.IGNORECASE),
    re.compile(r"""["']?method["']?\s*[:=]\s*(?:["']|[\w.]*\.)(GET|POST|PUT|PATCH|DELETE)\b""", re.IGNORECASE),
    re.compile(r"NewRequest(?:WithContext)?\((?:[^,]+,\s*)?(?:http\.Method(\w+)|\"(GET|POST|PUT|PATCH|DELETE)\")"),
    re.compile(r"(?:\.|->|::)(get|post|put|patch|delete)(?:\w*Async)?\s*\(", re.IGNORECASE),  # C#'s `PatchAsync(`
    re.compile(r"Net::HTTP::(Get|Post|Put|Patch|Delete)\b"),
    re.compile(r"""CURLOPT_CUSTOMREQUEST\s*,\s*["'](GET|POST|PUT|PATCH|DELETE)["']"""),
]
LEGACY_PROVIDER = re.compile(r"""source\s*=\s*"(?!segmentio/)[\w.-]+/segment(?:-config)?"|provider\s+"segment"\s*\{""")
# Languages where a quoted relative `workspaces/...` string is a path; elsewhere it is usually a
# resource name inside a body.
CODE_LANGUAGES = frozenset({"javascript", "typescript", "go", "java", "kotlin", "csharp", "php", "ruby", "python"})
TODO = re.compile(r"TODO\(migrate\):?\s*(.*)")
COMMENT_PREFIX = {
    "python": ("#",),
    "shell": ("#",),
    "yaml": ("#",),
    "makefile": ("#",),
    "dockerfile": ("#",),
    "dotenv": ("#",),
    "terraform": ("#", "//"),
    "javascript": ("//", "*", "/*"),
    "typescript": ("//", "*", "/*"),
    "go": ("//", "*", "/*"),
    "ruby": ("#",),
    "toml": ("#",),
    "ini": ("#", ";"),
    "java": ("//", "*"),
    "kotlin": ("//", "*"),
    "csharp": ("//",),
    "php": ("//", "#"),
}


def language_of(path: str) -> str:
    name = os.path.basename(path).lower()
    if name.startswith(".env."):  # `.env.example`, `.env.production`: the settings the code reads
        return "dotenv"
    return NAMES.get(name) or LANGUAGES.get(os.path.splitext(name)[1], "text")


def shape_of(url: str) -> str:
    return TEMPLATE_PARTS.sub(HOLE, _balanced(url))


def _balanced(url: str) -> str:
    """Trim closing brackets and punctuation a URL match swallowed from the code around it."""
    while url and url[-1] in ")]}.":
        closing = url[-1]
        opening = {")": "(", "]": "[", "}": "{"}.get(closing)
        if opening is not None and url.count(opening) >= url.count(closing):
            break
        url = url[:-1]
    return url


CURL = re.compile(r"(?:^|[\s;&|(`$])curl\s")
CURL_METHOD = re.compile(r"(?:-X|--request)\s*['\"]?([A-Za-z]+)")
CURL_DATA = re.compile(r"\s(?:-d|--data(?:-raw|-binary|-urlencode)?|-F|--form|--json)[\s=]")
SHELL_LIKE = frozenset({"shell", "markdown", "rst", "text", "makefile", "dockerfile", "yaml"})


def _curl_method(lines: list[str], index: int) -> str | None:
    """The method of the curl command a URL is part of: its `-X`, else POST when it sends data (as
    curl does), else GET. The command starts at the nearest `curl` above, with no blank line, fence
    or new prompt between (a JSON body may span many lines)."""
    for start in range(index, max(-1, index - 40), -1):
        line = lines[start]
        ends_command = not line.strip() or line.lstrip().startswith(("```", "~~~", "$ "))
        if start < index and ends_command and not (line.lstrip().startswith("$ ") and CURL.search(line)):
            return None
        if CURL.search(line):
            command = " ".join(lines[start : index + 1])
            explicit = CURL_METHOD.search(command)
            if explicit is not None:
                return explicit.group(1).upper()
            return "POST" if CURL_DATA.search(" " + command) else "GET"
    return None


VERB_ARGUMENT = re.compile(
    r"""[(,]\s*(?:["'](GET|POST|PUT|PATCH|DELETE)["']|http\.Method(Get|Post|Put|Patch|Delete))\s*,"""
)
"""A verb passed to a request helper beside the URL (`reqBearer(token, "POST", url, body)`, Go's
`c.do(http.MethodDelete, path, nil)`)."""


CURL_HANDLE = re.compile(r"\bcurl_init\s*\(")
BLOCK_EDGE = re.compile(
    rf"^\s*(?:(?:async\s+)?def|function|func|class|module|end)\b|^\s*\}}\s*$|.*{CURL_HANDLE.pattern}"
)
"""A line where a function or block starts or ends, or PHP starts another curl handle: the verb of
another request lies past it."""


def _within_block(lines: list[str], indexes: range, forward: bool = False) -> list[str]:
    """The lines at `indexes`, walking away from a URL's line, up to the first block edge (and,
    walking `forward`, up to the next request: its options are not this one's)."""
    found = []
    for index in indexes:
        if BLOCK_EDGE.match(lines[index]) or (forward and NEXT_REQUEST.search(lines[index])):
            break
        found.append(lines[index])
    return found


NEXT_REQUEST = re.compile(r"""https?://|[$#]\{[^}]*\}/\w""")
"""A line spelling another URL (a literal, or a template on a base): another request's, whose
options are its own (the call sending this URL may follow on its own line: `http.NewRequest("GET",
url, nil)`, `Faraday.post(url, ...)`)."""


def method_near(lines: list[str], index: int, column: int) -> str | None:
    """The verb a URL is sent with: said on its own line first, then on the lines around it."""
    line = lines[index][: column + 200]
    argument = VERB_ARGUMENT.search(line)
    if argument is not None:
        return (argument.group(1) or argument.group(2)).upper()
    before = range(index - 1, max(-1, index - 8), -1) if not CURL_HANDLE.search(line) else range(0)
    window = [line, *_within_block(lines, before)]  # a PHP curl handle's options follow it, never precede it
    window += _within_block(lines, range(index + 1, min(len(lines), index + 4)), forward=True)
    for pattern in METHOD_NEAR:
        for text in window:
            found = pattern.search(text)
            if found:
                return next(group for group in found.groups() if group).upper()
    return None


def todo_finding(path: str, line: int, column: int, comment: str, language: str) -> Finding | None:
    found = TODO.search(comment)
    if found is None:
        return None
    return Finding(
        "todo",
        path,
        line,
        column,
        language,
        f"TODO(migrate): {found.group(1).strip()}",
        "manual",
        "high",
        reason="left by migrate apply: a rewrite that could not be proven safe",
        snippet=redact(comment.strip())[:200],
    )


def commented_finding(path: str, line: int, column: int, comment: str, language: str, context: bool) -> Finding | None:
    for match in URL.finditer(comment):
        classified = classify(shape_of(match.group(0)), context)
        if classified.config:
            endpoint = classified.pick(method_near([comment], 0, match.start()))
            return Finding(
                "commented",
                path,
                line,
                column,
                language,
                "commented-out Config API code",
                "manual",
                "low",
                endpoint=endpoint.key if endpoint else None,
                method=endpoint.method if endpoint else None,
                path=endpoint.path if endpoint else classified.path,
                public=public_twins(endpoint) if endpoint else (),
                reason="not live: delete it or migrate it",
                snippet=redact(comment.strip())[:200],
            )
    return None


TEMPLATE_EXPRESSION = re.compile(r"\{\{([^{}\n]*)\}\}")
"""A GitHub Actions or Jinja expression, whose spaces would end a URL read off the line."""
_OPERAND = r"[A-Za-z_$][\w$]*(?:(?:\.|->)[A-Za-z_$][\w$]*|\[[^\]\n]*\]|\(\))*"
"""A value put into a concatenated string: a name, with attributes, indexes or a call without arguments."""
_CONCATENATED = {
    operator: (
        re.compile(rf"""(["'])\s*{operator}\s*{_OPERAND}\s*{operator}\s*\1"""),
        re.compile(rf"""(["'])\s*{operator}\s*{_OPERAND}(?=\s*(?:[)\],;}}]|$))"""),
    )
    for operator in (r"\+", r"\.")
}


def joined(line: str, language: str) -> str:
    """`line` with each concatenation of string pieces and values made one string, a `{}` for each
    value: `"/workspaces/" + ws + "/sources"` reads `"/workspaces/{}/sources"` (PHP joins with `.`).
    What comes before the first piece keeps its columns."""
    inner, tail = _CONCATENATED[r"\." if language == "php" else r"\+"]
    if "+" not in line and "." not in line:
        return line
    line = inner.sub("{}", line)
    return tail.sub(lambda match: "{}" + match.group(1), line)


VARIABLE_URL = re.compile(
    r"""^[ \t]*(?:export[ \t]+|ENV[ \t]+|-[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*(?:=|:=|\?=|:[ \t])[ \t]*(["']?)"""
    r"""(?:\$\{[A-Za-z_]\w*:?[-=])?((?:https?:)?//platform\.segmentapis\.com[^\s"'`}]*)\}?\2[ \t]*$""",
    re.IGNORECASE | re.MULTILINE,
)
"""A shell, Makefile, Dockerfile or workflow variable holding a Config URL (`API="https://..."`,
`API := ...`, `ENV API=...`, `API: https://...` in a workflow's `env`), or falling back on one
(`API="${SEGMENT_API:-https://...}"`: the Config URL wherever the other is not set)."""


CONSTANT_URL = re.compile(
    r"""(?:^|[\s(,{])((?:\$|@)?[A-Za-z_]\w*)\s*(?::=|=)(?!=)\s*(["'`])"""
    r"""((?:https?:)?//platform\.segmentapis\.com[^"'`\s$#{}]*)\2"""
)
"""A constant or variable of code holding a whole Config URL: `const BASE = '...'` (JavaScript),
`base = "..."` or `base := "..."` (Go), `$base = '...'` (PHP), `BASE = '...'`, `@base = '...'` (Ruby),
`String BASE = "..."` (Java)."""


def _url_variables(text: str, language: str) -> dict[str, str]:
    """The variables of a shell-like file, or the constants of code, holding a Config URL, by name; a
    name given two values is left out (which one a line reads is not known here)."""
    if "segmentapis" not in text or (language not in SHELL_LIKE and language not in CODE_LANGUAGES):
        return {}
    values: dict[str, set[str]] = {}
    pattern = VARIABLE_URL if language in SHELL_LIKE else CONSTANT_URL
    for match in pattern.finditer(text):
        values.setdefault(match.group(1), set()).add(match.group(3))
    return {name: next(iter(found)) for name, found in values.items() if len(found) == 1}


def _defined(line: str, language: str) -> str | None:
    """The URL variable `line` defines, if it is such a definition."""
    found = VARIABLE_URL.match(line) if language in SHELL_LIKE else CONSTANT_URL.search(line)
    return found.group(1) if found is not None else None


def _read_through(line: str, variables: dict[str, str], language: str = "shell") -> tuple[str, set[str]]:
    """`line` with each read of a URL variable made its value, and the names read as the start of a
    longer URL (`"$API/sources"`): bases. Shell-like files read `$API`, `${API}`, `$(API)`,
    `${{ env.API }}`; code puts the constant first in a string (`${BASE}/sources`, `"#{BASE}/..."`,
    `"$base/..."`), before one (`BASE + "/sources"`, PHP's `$base . '/sources'`), or formats it in
    (`fmt.Sprintf("%s/sources", base)`)."""
    if language not in SHELL_LIKE:
        return _read_in_code(line, variables)
    read_as_base: set[str] = set()

    def value(found: re.Match[str]) -> str:
        name = next(group for group in found.groups() if group)
        if name not in variables:
            return found.group(0)
        if line[found.end() : found.end() + 1] == "/":
            read_as_base.add(name)
        return variables[name]

    return _VARIABLE_READ.sub(value, line), read_as_base


def _read_in_code(line: str, variables: dict[str, str]) -> tuple[str, set[str]]:
    read_as_base: set[str] = set()
    for name, value in variables.items():
        if name not in line:
            continue
        word = re.escape(name) + (r"\b" if name[-1:].isalnum() or name[-1:] == "_" else "")
        reads = (
            rf"\$\{{\s*{word}\s*\}}|#\{{\s*{word}\s*\}}|\{{{word}\}}"  # in a template: `${BASE}`, `#{BASE}`
            + (rf"|{word}" if name.startswith("$") else "")  # PHP's `"$base/..."`
        )
        before = rf"(?<![\w.$@]){word}\s*[+.]\s*([\"'`])"  # `BASE + "/sources"`: the value opens the string
        formatted = rf'"%s(/[A-Za-z_][^"]*)"(\s*,\s*){word}'  # Go's `fmt.Sprintf("%s/sources", base)`
        replacements = (
            (before, lambda found, value=value: found.group(1) + value),
            (formatted, lambda found, value=value, name=name: f'"{value}{found.group(1)}"{found.group(2)}{name}'),
            (reads, lambda found, value=value: value),
        )
        for pattern, replacement in replacements:
            line, prefix = _substituted(pattern, line, replacement)
            if prefix:
                read_as_base.add(name)
    return line, read_as_base


def _substituted(pattern: str, text: str, replacement: Callable[[re.Match[str]], str]) -> tuple[str, bool]:
    """`text` with `pattern` replaced, and whether a path (or a query) went on right after a match."""
    prefix = False

    def replace(found: re.Match[str]) -> str:
        nonlocal prefix
        made = replacement(found)
        following = text[found.end() : found.end() + 1] or made[-1:]
        continued = bool(found.groups()) and str(found.group(1))[:1] in ("/", "?")  # `"%s/sources"`
        prefix = prefix or following in ("/", "?") or continued
        return made

    return re.sub(pattern, replace, text), prefix


_VARIABLE_READ = re.compile(
    r"\$\{\{\s*env\.([A-Za-z_]\w*)\s*\}\}|\$\{([A-Za-z_]\w*)\}|\$\(([A-Za-z_]\w*)\)|\$([A-Za-z_]\w*)"
)


def scan_text(path: str, text: str, language: str | None = None, host_elsewhere: bool = False) -> list[Finding]:
    """Findings in a file read as text. `host_elsewhere`: the file is part of a Config client whose
    host is in another of its modules, so its relative paths are Config paths."""
    language = language or language_of(path)
    lines = text.splitlines()
    context = host_elsewhere or bool(re.search(r"segment", text, re.IGNORECASE))
    host_in_file = host_elsewhere or "platform.segmentapis.com" in text.lower()
    prefixes = COMMENT_PREFIX.get(language, ())
    findings: list[Finding] = []
    seen: set[tuple[int, str]] = set()

    def add(finding: Finding) -> None:
        if (finding.line, finding.kind) not in seen:
            seen.add((finding.line, finding.kind))
            findings.append(finding)

    variables = _url_variables(text, language)
    definitions: dict[int, str] = {}
    """The lines defining a URL variable, by index: the variable each defines."""
    read_through: dict[int, str] = {}
    """Every other line, with the URL variables it reads made their values."""
    bases: set[str] = set()
    """The URL variables some line reads as the start of a longer URL: their definitions are bases."""
    for index, line in enumerate(lines if variables else ()):
        defined = _defined(line, language)
        if defined is not None:
            definitions[index] = defined
        else:
            read_through[index], read_as_base = _read_through(line, variables, language)
            bases |= read_as_base
    fenced = False
    for index, line in enumerate(lines):
        number = index + 1
        stripped = line.lstrip()
        if language == "markdown":
            if stripped.startswith(("```", "~~~")):
                fenced = not fenced
                continue
            if not fenced:
                todo = todo_finding(path, number, len(line) - len(stripped) + 1, line, language)
                if todo is not None:
                    add(todo)
                continue
        is_comment = bool(prefixes) and stripped.startswith(prefixes)
        todo = todo_finding(path, number, len(line) - len(stripped) + 1, line, language)
        if todo is not None:
            add(todo)
        for secret in find_secrets(line, context or host_in_file):
            add(
                Finding(
                    "secret",
                    path,
                    number,
                    secret.start + 1,
                    language,
                    secret.message,
                    "manual",
                    secret.confidence,
                    reason="tokens belong in the environment, not the code",
                    snippet=redact(stripped)[:200],
                )
            )
        if language == "terraform" and LEGACY_PROVIDER.search(line):
            add(
                Finding(
                    "config",
                    path,
                    number,
                    1,
                    language,
                    "a Config-API-era Terraform provider for Segment",
                    "manual",
                    "high" if "source" in line else "medium",
                    reason="Segment's own provider (segmentio/segment) uses the Public API; its resources take ids",
                    snippet=stripped[:200],
                )
            )
        if is_comment:
            comment = commented_finding(path, number, len(line) - len(stripped) + 1, line, language, context)
            if comment is not None:
                add(comment)
            continue
        if HOSTNAME.search(line) and not URL.search(line):
            found_host = HOSTNAME.search(line)
            assert found_host is not None
            add(
                Finding(
                    "base_url",
                    path,
                    number,
                    found_host.start() + 1,
                    language,
                    "the Config API host",
                    "auto",
                    "high",
                    snippet=redact(stripped)[:200],
                )
            )
        defines = definitions.get(index)
        code = read_through.get(index, line)  # columns past a read are the value's
        code = joined(code, language) if language in CODE_LANGUAGES else code
        if "{{" in code:  # `${{ vars.WS }}`, `{{ workspace }}`: one placeholder, its spaces aside
            code = TEMPLATE_EXPRESSION.sub(lambda found: "{{" + re.sub(r"\s+", "", found.group(1)) + "}}", code)
        matches = list(URL.finditer(code))
        if host_in_file and language in CODE_LANGUAGES:
            matches += [
                m
                for m in RELATIVE.finditer(code)
                if not any(m.start() >= u.start() and m.start() < u.end() for u in matches)
            ]
        if host_elsewhere and language in CODE_LANGUAGES:
            matches += [m for m in TABLE_PATH.finditer(line) if not any(m.start(1) - 1 == u.start() for u in matches)]
        for match in matches:
            relative = match.re is RELATIVE or match.re is TABLE_PATH
            if relative and _resource_name_key().search(code, 0, match.start()):
                continue  # `name: 'workspaces/acme/sources/web'` in a body: a Config resource name, no path
            raw = match.group(1) if relative else match.group(0)
            shape = shape_of(raw)
            if relative:
                shape = config_url(shape)
            classified = classify(shape, context)
            if not classified.config:
                continue
            method = (_curl_method(lines, index) if language in SHELL_LIKE else None) or method_near(
                lines, index, match.start()
            )
            endpoint = classified.pick(method)
            prefix_only = (
                is_prefix(shape)
                or (defines is not None and defines in bases)
                or BASE_KEY.search(code, 0, match.start()) is not None  # `baseURL: '.../workspaces/acme'`
            )
            kind = "base_url" if not classified.candidates or prefix_only else ("call" if method else "url")
            if kind == "base_url" and language in ("yaml", "dotenv", "toml", "ini", "terraform"):
                kind = "config"
            fixability, reason = fixability_of(endpoint, classified)
            if kind in ("base_url", "config") and (not classified.candidates or prefix_only):
                fixability, reason, endpoint = "auto", None, None
            confidence = "high" if classified.host and (endpoint is None or classified.certain) else "medium"
            if relative:
                confidence = "medium"
            add(
                Finding(
                    kind,
                    path,
                    number,
                    match.start() + 1,
                    language,
                    describe(endpoint, classified)
                    if endpoint is not None or (classified.candidates and not prefix_only)
                    else "the Config API base URL",
                    fixability,
                    confidence,
                    endpoint=endpoint.key if endpoint else None,
                    method=endpoint.method if endpoint else None if kind in ("base_url", "config") else method,
                    path=endpoint.path if endpoint else classified.path,
                    public=public_twins(endpoint) if endpoint else (),
                    reason=reason,
                    snippet=redact(stripped)[:200],
                )
            )
    if language in ("javascript", "typescript") and "segmentapis" in text:
        for finding in _client_base_requests(path, lines, language, context):
            add(finding)
    if language == "terraform" and "segment_" in text:
        for finding in community_resources(path, lines):
            add(finding)
    if language in CLIENT_IMPORTS and "segment" in text:
        for finding in client_imports(path, lines, language):
            add(finding)
    return findings


CLIENT_MADE = re.compile(r"(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*[\w$.]+\.(?:create|extend)\s*\(")
"""An HTTP client made with options (`const api = axios.create({...})`, `got.extend({...})`)."""


def clients_made(lines: list[str], context: bool = True) -> Iterator[tuple[int, str, str]]:
    """The HTTP clients made with a literal Config base option (`const api = axios.create({ baseURL:
    ".../workspaces/acme" })`, got's `prefixUrl`): the index of the line making each, the name it is
    bound to, and the base's shape."""
    for index, line in enumerate(lines):
        made = CLIENT_MADE.search(line)
        if made is None:
            continue
        for option in lines[index : index + 6]:
            url = URL.search(option)
            if url is not None and BASE_KEY.search(option, 0, url.start()):
                base = shape_of(url.group(0))
                if classify(base, context).config:
                    yield index, made.group(1), base
                break


def _client_base_requests(path: str, lines: list[str], language: str, context: bool) -> list[Finding]:
    """Requests on a client made with a Config base option (`axios.create({ baseURL: ".../workspaces/
    acme" })`, got's `prefixUrl`): `api.get('/sources')` is the sources of that workspace. Only calls
    on that client, by the name it is bound to, and only paths the base makes a Config endpoint."""
    found: list[Finding] = []
    for index, name, base in clients_made(lines, context):
        calls = re.compile(
            rf"(?<![\w$]){re.escape(name)}\s*\.\s*(get|post|put|patch|delete)\s*\(\s*([\"'`])([^\"'`\n]*)\2"
        )
        for number, text in enumerate(lines[index + 1 :], start=index + 2):
            for call in calls.finditer(text):
                relative = call.group(3)
                if "://" in relative:
                    continue
                classified = classify(base.rstrip("/") + "/" + shape_of(relative).lstrip("/"), True)
                method = call.group(1).upper()
                endpoint = classified.pick(method)
                if not classified.config or endpoint is None:
                    continue
                fixability, reason = fixability_of(endpoint, classified)
                found.append(
                    Finding(
                        "call",
                        path,
                        number,
                        call.start() + 1,
                        language,
                        f"{describe(endpoint, classified)} (on the base of the client `{name}`)",
                        fixability,
                        "medium",
                        reason=reason,
                        endpoint=endpoint.key,
                        method=endpoint.method,
                        path=endpoint.path,
                        public=public_twins(endpoint),
                        snippet=redact(text.strip())[:200],
                    )
                )
    return found


# Client libraries of the Config API in other languages, by the module path their users import:
# segment-config-go (ajbosco) and its forks (uswitch, fenderdigital's segment-apis-go), and the
# TypeScript segment-typescript-api. Each has a Public API SDK from Segment in its place.
CLIENT_IMPORTS = {
    "go": (
        re.compile(r'"(github\.com/[\w.-]+/segment-(?:config|apis)-go(?:/[\w/.-]*)?)"'),
        "github.com/segmentio/public-api-sdk-go",
    ),
    "typescript": (
        re.compile(r"""(?:from\s+|require\(\s*|import\s+)['"](segment-typescript-api(?:/[\w/.-]*)?)['"]"""),
        "@segment/public-api-sdk-typescript",
    ),
}
CLIENT_IMPORTS["javascript"] = CLIENT_IMPORTS["typescript"]


def client_imports(path: str, lines: list[str], language: str) -> list[Finding]:
    """Each import of a Config API client library, with the Public API SDK that replaces it; in Go,
    each call of one of the library's methods too, with the endpoint it sends (the map's
    `go_client_methods`)."""
    pattern, replacement = CLIENT_IMPORTS[language]
    found = [
        Finding(
            "wrapper",
            path,
            number,
            match.start(1) + 1,
            language,
            f"imports `{match.group(1)}`, a client library of the Config API",
            "manual",
            "high",
            reason=f"its calls are Config API requests: move them to Segment's Public API SDK ({replacement}); "
            "`migrate translate` shows the Public call for each",
            snippet=line.strip()[:200],
        )
        for number, line, match in _live_matches(lines, pattern)
    ]
    if language == "go" and found:
        found = _client_method_calls(path, lines, replacement) + found
    return found


def _live_matches(lines: list[str], pattern: re.Pattern[str]) -> Iterator[tuple[int, str, re.Match[str]]]:
    """Each line (numbered from 1) where `pattern` matches, outside a `//` comment line."""
    for number, line in enumerate(lines, 1):
        match = pattern.search(line)
        if match is not None and not line.lstrip().startswith("//"):
            yield number, line, match


# The community Terraform providers of the Config API era (uswitch, fenderdigital and their forks)
# name their resources as Segment's own provider does, which uses the Public API: a resource is told
# apart by an attribute only the Config-era resource has (its Config field names).
COMMUNITY_RESOURCE = re.compile(r'^\s*resource\s+"(segment_(?:source|destination|tracking_plan|destination_filter))"')
CONFIG_ERA_ATTRIBUTES = {
    "segment_source": frozenset({"catalog_name", "source_name", "schema_config"}),
    "segment_destination": frozenset(
        {"connection_mode", "config", "configs", "source", "source_name", "destination_name"}
    ),
    "segment_tracking_plan": frozenset({"display_name", "rules_json_file", "import_from"}),
    "segment_destination_filter": frozenset({"destination", "source", "filter"}),
}
OFFICIAL_ATTRIBUTES = {
    "segment_source": "`slug`, `metadata = { id = ... }` and `settings`",
    "segment_destination": "`source_id`, `metadata = { id = ... }` and `settings`",
    "segment_tracking_plan": "`name`, `type` and `rules`",
    "segment_destination_filter": "`source_id`, `destination_id`, `if` and `actions`",
}
ATTRIBUTE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:=|\{)")


def community_resources(path: str, lines: list[str]) -> list[Finding]:
    """Each resource of a Config-era community provider, at its `resource` line, with the official
    provider's resource that replaces it."""
    found: list[Finding] = []
    kind: str | None = None
    start = depth = 0
    flagged = False
    for number, line in enumerate(lines, 1):
        code = line.split("#", 1)[0]
        if kind is None:
            header = COMMUNITY_RESOURCE.match(code)
            if header is None:
                continue
            kind, start, depth, flagged = header.group(1), number, 0, False
        elif depth == 1 and not flagged:
            attribute = ATTRIBUTE.match(code)
            if attribute is not None and attribute.group(1) in CONFIG_ERA_ATTRIBUTES[kind]:
                flagged = True
                found.append(
                    Finding(
                        "config",
                        path,
                        start,
                        1,
                        "terraform",
                        f"a `{kind}` of a Config-API-era community provider (it has `{attribute.group(1)}`)",
                        "manual",
                        "high",
                        reason=f"Segment's own provider (segmentio/segment) replaces it with its `{kind}`, which "
                        f"takes {OFFICIAL_ATTRIBUTES[kind]}",
                        snippet=lines[start - 1].strip()[:200],
                    )
                )
        depth += code.count("{") - code.count("}")
        # The block has closed; a header whose brace is on the next line waits for it.
        if depth <= 0 and (number > start or "{" in code):
            kind = None
    return found


def _client_method_calls(path: str, lines: list[str], replacement: str) -> list[Finding]:
    from mappings import load_map

    api = load_map()
    methods = api.client_methods
    if not methods:
        return []
    call = re.compile(r"\.(" + "|".join(sorted(methods, key=len, reverse=True)) + r")\(")
    found = []
    for number, line, match in _live_matches(lines, call):
        endpoint = api.endpoint(methods[match.group(1)])
        _automation, reason = fixability_of(endpoint, None)
        found.append(
            Finding(
                "wrapper",
                path,
                number,
                match.start(1) + 1,
                "go",
                f"`{match.group(1)}` of the Config API client library sends {endpoint.method} {endpoint.path}",
                "manual",
                "high",
                endpoint=endpoint.key,
                method=endpoint.method,
                path=endpoint.path,
                public=public_twins(endpoint),
                reason=reason or f"Segment's Public API SDK ({replacement}) has its twin",
                snippet=line.strip()[:200],
            )
        )
    return found
