"""Code that calls the Config API through a URL kept in the repository's configuration: a YAML, TOML,
INI, JSON or env file holds `root_uri: https://platform.segmentapis.com/v1beta` (and beside it
`api: regulations`), and a Ruby service, a Go client or a Python script builds its request from
`config.root_uri`. The code's own text never names the host, so it is found here, once the scan has
found the setting.

A reading counts only in a file about Segment (its text says so, or the setting's name does), and,
for a setting not named for Segment, on a line that builds a path (`/workspaces/`, `#{config.api}`):
a `root_uri` or `url` read elsewhere in a large repository is some other service's."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from migrator.analysis.names import BASE_NAME
from migrator.repository import config_patterns, environment_read, json_settings, parent_keys, setting_name

from .endpoints import classify, describe, path_words, public_twins, request_finding
from .exported_clients import MadeClient, importer_requests
from .findings import Finding
from .text import CODE_LANGUAGES, LANGUAGES, language_of, method_near, shape_of
from .walk import LAYER_REASON, files_holding, text_of

SETTINGS_LANGUAGES = frozenset({"yaml", "toml", "ini", "json", "dotenv"})
READING_LANGUAGES = CODE_LANGUAGES | {"python"}
READING_SUFFIXES = tuple(suffix for suffix, language in LANGUAGES.items() if language in READING_LANGUAGES)
"""A cheap test of a file name before `language_of`: most files of a large tree are not code."""


@functools.cache
def _path_word() -> re.Pattern[str]:
    """On the line reading a setting not named for Segment: what says a Config path is built there."""
    return re.compile(r"\b(?:" + "|".join(path_words()) + r"|api)\b")


INTERPOLATION = re.compile(r"#\{([^}]*)\}|\$\{([^}]*)\}|\{([^}{]*)\}")
"""Ruby `#{...}`, JavaScript `${...}`, Python f-string `{...}`."""
VERB = re.compile(r"""\.(get|post|put|patch|delete)\b(?!\s*\(\s*['"][\w-]+['"]\s*\))""", re.IGNORECASE)
"""An HTTP verb called on a connection (`connection.post do`), not a dictionary read
(`config.get('root_uri')`)."""


CLIENT_ON_SETTING = re.compile(
    r"""(?:\b(?:const|let|var)\s+)?@?([A-Za-z_$][\w$]*)\s*(?::[^=\n]+)?=\s*"""
    r"""(?:Faraday(?:::Connection)?\.new|RestClient::Resource\.new|Excon\.new|[\w$.]+\.(?:create|extend))\b"""
)
"""A connection made on a base URL (`conn = Faraday.new(url: config['api_url'])`, `const api =
axios.create({ baseURL: config.apiUrl })`): the paths given to its verbs are relative to it."""


@dataclass(frozen=True)
class Setting:
    """A configuration key holding a Config API URL, the file it is in, and the path words its
    siblings hold."""

    name: str
    url: str
    file: str
    siblings: dict[str, str]
    segment_named: bool = False
    """Its name says Segment, or a key it sits under does (`segment: {api_url: ...}`)."""
    finding: Finding | None = None
    """The scan's finding on the line that holds it (a JSON document's keys have none of their own)."""


@dataclass
class Configured:
    """What the configuration's Config URLs tell of the code reading them."""

    findings: list[Finding] = field(default_factory=list)
    """A finding on each line of an unflagged code file that reads a setting holding a Config URL."""
    bases: dict[str, dict[str, str]] = field(default_factory=dict)
    """By JavaScript or TypeScript file, the names it binds to such a read (`const API =
    process.env.SEGMENT_API_URL`), each with the setting's URL: what a request function built on
    them sends to (`scripts.script_chokepoint_requests`)."""


def configured_findings(found: Iterable[Finding], by_display: dict[str, Path], flagged: set[str]) -> Configured:
    """The findings of the code reading a setting that holds a Config URL, and the names bound to one."""
    settings = _settings(found, by_display)
    if not settings:
        return Configured()
    bases: dict[str, dict[str, str]] = {}
    names = "|".join(sorted({re.escape(setting.name) for setting in settings}, key=len, reverse=True))
    read = re.compile(r"""(?:\.|\[\s*:?["']?|\(\s*:?["'])(""" + names + r""")(?![\w-])""")
    by_name = {setting.name: setting for setting in settings}
    readers = {
        path: display
        for display, path in by_display.items()
        if display.lower().endswith(READING_SUFFIXES) and display not in flagged
    }
    result: list[Finding] = []
    clients: list[MadeClient] = []
    layered: dict[tuple[str, str], tuple[Setting, list[str]]] = {}
    """The settings Python modules read for requests `migrate apply` routes, with those modules."""
    for path in files_holding(list(readers), tuple(name.encode() for name in by_name)):
        display = readers[path]
        language = language_of(display)
        text = text_of(path)
        if text is None:
            continue
        about_segment = "segment" in text.lower()
        lines = text.splitlines()
        read_lines: dict[int, tuple[int, int, Setting]] = {}
        for index, line in enumerate(lines):
            match = read.search(line)
            if match is None:
                continue
            setting = by_name[match.group(1)]
            from_environment = environment_read(line, setting.name)  # the variable the configuration sets
            if not about_segment and not setting.segment_named and not from_environment:
                continue
            # a connection made on it, on this line or opening the options this line is in (`axios.create({`)
            made = next(
                (
                    made
                    for above in reversed(lines[max(0, index - 3) : index + 1])
                    if (made := CLIENT_ON_SETTING.search(above))
                ),
                None,
            )
            if not setting.segment_named and not from_environment and not _path_word().search(line) and made is None:
                continue  # `config.url` in code about Segment analytics: not a Config API request
            if language == "python":
                made = None  # the module is read again with the setting's URL in place: the scanner finds them
            requests = _client_requests(display, language, lines, made.group(1), setting) if made else []
            if made is not None and language in ("javascript", "typescript"):
                where = f"`{setting.name}` in {setting.file}"
                clients.append(
                    MadeClient(
                        display,
                        path,
                        made.group(1),
                        shape_of(setting.url),
                        f"the Config API URL {where}",
                        f"the host is in configuration ({where}): change the request and the setting together "
                        "(`migrate translate` shows the Public request)",
                        setting.file,
                    )
                )
            if made is not None and not requests:
                result.append(_base_of_client(display, language, lines, index, match.start(1), made.group(1), setting))
            else:
                result += requests or [_reading(display, language, lines, index, match.start(1), setting)]
            read_lines[index] = (*_read_span(line, match.start(1), match.end(1)), setting)
            bound = BASE_ASSIGNED.match(line) if language in ("javascript", "typescript") else None
            if bound is not None:
                bases.setdefault(display, {})[bound.group(1)] = setting.url
        if language == "python" and read_lines:
            requests = _requests_on_setting(display, lines, read_lines)
            if requests:  # apply routes them: the reads move with them, the setting stays as it is
                reason = f"{LAYER_REASON}: the setting keeps the Config URL, which the layer translates"
                for _start, _end, setting in read_lines.values():
                    layered.setdefault((setting.file, setting.name), (setting, []))[1].append(display)
                sent_on = {request.line for request in requests}
                result = [
                    replace(f, fixability="auto", reason=reason)
                    if f.file == display and f.line - 1 in read_lines
                    else f
                    for f in result
                    if f.file != display or f.line not in sent_on  # the request there says more
                ]
            result += requests
        elif read_lines and language in CODE_LANGUAGES:
            # `const API = process.env.SEGMENT_API`, then `${API}/workspaces/...`: the requests the text
            # scanner finds with the URL in place of the reads, where no reading said more already
            said = {f.line for f in result if f.file == display and f.kind == "call"}
            requests = [
                f for f in _text_requests_on_setting(display, language, lines, read_lines) if f.line not in said
            ]
            sent_on = {request.line for request in requests}
            result = [f for f in result if f.file != display or f.line not in sent_on] + requests
    result += [_kept_for_the_layer(setting, readers) for setting, readers in layered.values() if setting.finding]
    return Configured(result + importer_requests(clients, by_display, flagged | {f.file for f in result}), bases)


KEPT_FOR_THE_LAYER = "keep it: "
"""How the reason of a setting the compatibility layer needs begins (`_judged_for_apply` leaves it)."""


def _kept_for_the_layer(setting: Setting, readers: list[str]) -> Finding:
    """The setting's finding, restated: the modules reading it send through the layer, which answers
    Config URLs only, so the setting must keep the Config URL until their calls are retired. Moved by
    hand on its own, it would send their Config paths to the Public host."""
    assert setting.finding is not None
    names = ", ".join(sorted(set(readers)))
    return replace(
        setting.finding,
        fixability="auto",
        reason=f"{KEPT_FOR_THE_LAYER}{names} read{'s' if len(set(readers)) == 1 else ''} it for requests "
        "`migrate apply` routes through the compatibility layer, which translates this Config URL; change it "
        "with those calls, when they are retired for native Public calls",
    )


BASE_ASSIGNED = re.compile(r"^\s*(?:(?:const|let|var)\s+|self\.|this\.|@)?([A-Za-z_$][\w$]*)\s*(?::[^=\n]*)?=(?!=)")
"""An assignment, with the name it binds (`self.base = ...`, `const apiRoot = ...`)."""


def _base_of_client(
    display: str, language: str, lines: list[str], index: int, column: int, client: str, setting: Setting
) -> Finding:
    """The base option of a client made on a setting's URL (`baseURL: config.get("segment.apiBase")`),
    or a base bound to it (`self.base = settings["api_url"] + ...`): where requests start, not a
    request of its own."""
    where = f"`{setting.name}` in {setting.file}"
    return Finding(
        kind="base_url",
        file=display,
        line=index + 1,
        column=column + 1,
        language=language,
        message=f"`{client}` is built on the Config API URL {where}",
        fixability="manual",
        confidence="medium",
        reason=f"the host is in configuration ({where}): change the client's requests and the setting together "
        "(`migrate translate` shows each Public request)",
        snippet=lines[index].strip()[:200],
        via=setting.file,
    )


def _text_requests_on_setting(
    display: str, language: str, lines: list[str], read_lines: dict[int, tuple[int, int, Setting]]
) -> list[Finding]:
    """The requests of a module in another language built on the Config URL it reads from a setting:
    the module read as text again, each read standing for the URL, on the same lines."""
    from .text import scan_text

    return [
        replace(finding, via=read_lines[min(read_lines)][2].file)
        for finding in scan_text(display, _standing(lines, read_lines), language)
        # a call with no endpoint of its own is a request function's (`fetch(`${API}/${path}`)`)
        if finding.kind == "call" or (finding.kind == "url" and finding.endpoint is not None)
    ]


def _client_requests(display: str, language: str, lines: list[str], client: str, setting: Setting) -> list[Finding]:
    """The requests on a connection made on the setting's URL (`conn.delete("workspaces/#{ws}/sources/x")`),
    each with the endpoint its path names below that URL (a sibling setting's path word put in)."""
    verbs = re.compile(
        rf"""(?<![\w$]){re.escape(client)}\s*\.\s*(get|post|put|patch|delete)\b\s*\(?\s*(["'`])((?:(?!\2)[^\n])*)\2"""
    )
    found: list[Finding] = []
    for index, line in enumerate(lines):
        for call in verbs.finditer(line):
            path = INTERPOLATION.sub(
                lambda match: setting.siblings.get(_inside(match).split(".")[-1], "{}"), call.group(3)
            )
            if "://" in path:
                continue  # a URL of its own: not relative to the connection's base
            classified = classify(shape_of(setting.url.rstrip("/") + "/" + path.lstrip("/")), True)
            if not classified.config or not classified.candidates:
                continue
            where = f"`{setting.name}` in {setting.file}"
            found.append(
                request_finding(
                    file=display,
                    line=index + 1,
                    column=call.start() + 1,
                    language=language,
                    classified=classified,
                    method=call.group(1).upper(),
                    how=f"on a connection to the Config API URL {where}",
                    reason=f"the host is in configuration ({where}): change the request here and the setting "
                    "together (`migrate translate` shows the Public request)",
                    snippet=line.strip(),
                    via=setting.file,
                )
            )
    return found


def _read_span(line: str, start: int, end: int) -> tuple[int, int]:
    """The whole expression a setting's name is read in (`CONFIG["segment"]["api_url"]`,
    `settings.api_url`): from the first name of its chain to the end of the read."""
    while start > 0 and (line[start - 1].isalnum() or line[start - 1] in "_.[]\"' "):
        start -= 1
    start += len(line[start:]) - len(line[start:].lstrip(" "))
    closing = re.match(r"""["']?\s*\]""", line[end:])
    return start, end + (closing.end() if closing is not None else 0)


def _standing(lines: list[str], read_lines: dict[int, tuple[int, int, Setting]]) -> str:
    """The module's text with each read of a setting standing for the setting's URL, on its line."""
    standing = list(lines)
    for index, (start, end, setting) in read_lines.items():
        standing[index] = lines[index][:start] + repr(setting.url) + lines[index][end:]
    return "\n".join(standing) + "\n"


def _requests_on_setting(
    display: str, lines: list[str], read_lines: dict[int, tuple[int, int, Setting]]
) -> list[Finding]:
    """A Python module's requests built on the Config URL it reads from a setting: the module read
    again with each read standing for the URL, on the same lines. `migrate apply` routes such a
    module's transport calls through the compatibility layer (the repository model knows the
    setting), so they move with it."""
    from .python import PythonScanner

    try:
        found = PythonScanner().scan(display, _standing(lines, read_lines))
    except Exception:  # the module read as it is was scanned already: this only adds detail
        return []
    return [
        replace(finding, fixability="auto", reason=f"{LAYER_REASON}: its base URL is read from configuration")
        for finding in found
        if finding.kind in ("call", "url")
    ]


def _settings(found: Iterable[Finding], by_display: dict[str, Path]) -> list[Setting]:
    settings: list[Setting] = []
    lines_of: dict[str, list[str] | None] = {}
    """Each settings file's lines, read once however many settings it holds."""
    for finding in found:
        if finding.language not in SETTINGS_LANGUAGES or finding.kind not in ("config", "base_url", "url"):
            continue
        match = config_patterns().setting.match(finding.snippet)
        if match is None:
            if finding.file.endswith(".json") and finding.file in by_display and finding.file not in lines_of:
                lines_of[finding.file] = None  # a JSON document on one line: read whole, once
                text = text_of(by_display[finding.file])
                for path_keys, url in json_settings(text) if text is not None else ():
                    named = "segment" in " ".join(path_keys).lower()
                    settings.append(Setting(path_keys[-1], url, finding.file, {}, named))
            continue
        if finding.file not in lines_of:
            path = by_display.get(finding.file)
            text = text_of(path) if path is not None else None
            lines_of[finding.file] = text.splitlines() if text is not None else None
        lines = lines_of[finding.file]
        name = setting_name(lines, finding.line - 1, match.group(1)) if lines is not None else match.group(1)
        siblings = _siblings(lines, finding.line - 1) if lines is not None else {}
        keys = " ".join(parent_keys(lines, finding.line - 1)) if lines is not None else ""
        named = "segment" in f"{keys} {name}".lower()
        settings.append(Setting(name, match.group(2), finding.file, siblings, named, finding))
    return settings


def _siblings(lines: list[str], index: int) -> dict[str, str]:
    """The path-word settings beside a YAML key: the same indentation, in the same block."""
    indent = len(lines[index]) - len(lines[index].lstrip())
    found: dict[str, str] = {}
    for step in (-1, 1):
        at = index + step
        while 0 <= at < len(lines):
            line = lines[at]
            depth = len(line) - len(line.lstrip())
            if line.strip() and depth < indent:
                break
            pair = re.match(r"\s*([\w-]+)\s*:\s*['\"]?([\w-]+)['\"]?\s*$", line)
            if pair is not None and depth == indent and pair.group(2) in path_words():
                found[pair.group(1)] = pair.group(2)
            at += step
    return found


def _reading(display: str, language: str, lines: list[str], index: int, column: int, setting: Setting) -> Finding:
    line = lines[index]
    url = _url(line, setting)
    classified = classify(shape_of(url), True) if url is not None else None
    base = BASE_ASSIGNED.match(line)
    if base is not None and BASE_NAME.search(base.group(1)):  # `self.base = settings["api_url"] + ...`
        return _base_of_client(display, language, lines, index, column, base.group(1), setting)
    method = method_near(lines, index, column) or _only_verb(lines)
    endpoint = classified.pick(method) if classified is not None and classified.candidates else None
    where = f"`{setting.name}` in {setting.file}"
    if classified is not None and classified.candidates:
        message = f"{describe(endpoint, classified)}, to the Config API URL {where}"
    else:
        message = f"reads the Config API URL {where}"
    return Finding(
        kind="call" if endpoint is not None and method else "url",
        file=display,
        line=index + 1,
        column=column + 1,
        language=language,
        message=message,
        fixability="manual",
        confidence="medium",
        endpoint=endpoint.key if endpoint else None,
        method=endpoint.method if endpoint else method,
        path=endpoint.path if endpoint else (classified.path if classified is not None else None),
        public=public_twins(endpoint) if endpoint else (),
        reason=f"the host is in configuration ({where}): change the request here and the setting together "
        "(`migrate translate` shows the Public request)",
        snippet=line.strip()[:200],
        via=setting.file,
    )


def _url(line: str, setting: Setting) -> str | None:
    """The line's interpolated string with the setting (and its path-word siblings) put in."""
    parts = [match for match in INTERPOLATION.finditer(line)]
    if not any(re.search(rf"\b{re.escape(setting.name)}\b", _inside(match)) for match in parts):
        return None
    start = min(match.start() for match in parts)
    end = max(match.end() for match in parts)
    quoted = re.search(r"""["'`]?([^"'`]*)$""", line[:start])
    text = (quoted.group(1) if quoted else "") + line[start:end]
    tail = re.match(r"""[^"'`\s]*""", line[end:])
    text += tail.group(0) if tail else ""

    def put(match: re.Match[str]) -> str:
        inner = _inside(match)
        words = [word for word in re.split(r"[.\[\]'\":\s]+", inner) if word]
        key = words[-1] if words else inner
        if key == setting.name:
            return setting.url.rstrip("/")
        return setting.siblings.get(key, "{" + key + "}")

    return INTERPOLATION.sub(put, text)


def _inside(match: re.Match[str]) -> str:
    return next(group for group in match.groups() if group is not None)


def _only_verb(lines: list[str]) -> str | None:
    """The HTTP method when the file sends with one verb only (a service with one request)."""
    verbs = {match.group(1).upper() for line in lines for match in VERB.finditer(line)}
    return verbs.pop() if len(verbs) == 1 else None


def kept_for_the_layer(finding: Finding) -> bool:
    """A setting the compatibility layer needs as it is: `migrate apply`'s to keep, no person's to move."""
    return finding.kind == "config" and (finding.reason or "").startswith(KEPT_FOR_THE_LAYER)
