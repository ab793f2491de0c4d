"""Requests a Python module sends on paths relative to a Config client of its package: a
`requests.Session` subclass (or a client class) holding the Config base joins the paths its users
give it (`self.session.get(f"{self.path}/sources")`, `api.request("PATCH", f"workspaces/{ws}/...")`),
so a module of the package that only ever spells relative paths talks to the Config API all the same.

Read as text, once the scan knows the package holds such a client (`related.py`): a call of a verb
method whose first argument is a string spelling a Config path (a value it reads is a placeholder:
`{self.path}/sources` still names the sources of something), with the endpoint that path and verb
give."""

from __future__ import annotations

import re

from migrator.analysis.holes import HOLE
from migrator.analysis.names import URL_NAME

from .endpoints import Classified, classify, config_url, path_words, request_finding
from .findings import Finding
from .text import shape_of

_JOINED = r"""(?P<lead>[\w.]+\s*\+\s*)?f?(?P<q>['"])(?P<path>[^'"\n]+)(?P=q)(?P<tail>\s*\+\s*[\w.]+)?"""
VERB_CALL = re.compile(
    r"""\.(?:\w*_)?(?:(?P<verb>get|post|put|patch|delete)\(\s*"""
    r"""|request\(\s*(?P<vq>['"])(?P<named>GET|POST|PUT|PATCH|DELETE)(?P=vq)\s*,\s*)""" + _JOINED,
    re.IGNORECASE,
)
"""A verb method of the client, or the module's own helper named for one (`self._get(path)`,
`self.api_post(...)`, `self._request("GET", path)`) that hands the path on to the client; the path
a string, or one joined to a value before or after it (`self.root + "/tracking-plans/" + plan_id`)."""


def _starts_with_a_base(raw: str) -> bool:
    """`{API_PUBLIC}/sources`, `{self.base_url}/...`: a base of its own put first (another API's, or
    one already moved), not a path the package's client joins to its base."""
    leading = re.match(r"\{([^{}]*)\}", raw)
    if leading is None:
        return False
    name = leading.group(1).strip().rsplit(".", 1)[-1]
    return name.isupper() or URL_NAME.search(name) is not None


def requests_in(display: str, text: str, client: str, how: str | None = None) -> list[Finding]:
    """The requests of one module of a package whose Config client is in `client` (a display)."""
    words = set(path_words())
    found: list[Finding] = []
    lines = text.splitlines()
    for match in VERB_CALL.finditer(text):
        method = (match.group("verb") or match.group("named")).upper()
        raw = match.group("path")
        lead = match.group("lead")
        if "://" in raw or raw.startswith(("http", "www.")) or _starts_with_a_base(raw):
            continue  # a URL of its own: not relative to the client's base
        if lead is not None and _starts_with_a_base("{" + lead.rstrip(" \t+") + "}"):
            continue
        shape = (HOLE if lead else "") + shape_of(raw) + (HOLE if match.group("tail") else "")
        if not words & {segment for segment in shape.split("/") if HOLE not in segment}:
            continue  # no Config path word in what it spells
        classified = classify(config_url(shape.lstrip("/")), True)
        if not classified.config or not classified.candidates:
            continue
        said = how or f"a path relative to the Config client of its package, {client}"
        found.append(_sent_by_client(display, text, lines, match.start(), classified, method, said, client))
    return found


_PART = r"""(?:f?(['"])[^'"\n]*\1|[\w.]+(?:\[[^\]\n]*\])?)(?![\w.]*\s*=)"""


def parts_requests_in(
    display: str,
    text: str,
    client: str,
    functions: frozenset[str],
    prefix: str,
    fixed: dict[str, str] | None = None,
) -> list[Finding]:
    """Calls of a client's chokepoint that takes its path in parts (`def request(self, method, *parts)`
    joining them after `prefix`, `.../workspaces/{ws}/`): `client.request("GET", "sources", slug,
    "destinations")` is a request for `sources/{slug}/destinations` below the prefix. `fixed`: the
    client's methods taking parts alone and sending them with one verb (`def pages(self, *parts, key)`
    sending GET), by name: `client.pages("sources", key="sources")` is a GET of the sources."""
    found: list[Finding] = []
    lines = text.splitlines()
    calls: list[tuple[re.Match[str], str, str]] = []
    if functions:
        verbed = re.compile(
            r"\.(?:" + "|".join(map(re.escape, sorted(functions))) + r")\(\s*(['\"])(GET|POST|PUT|PATCH|DELETE)\1"
            r"((?:\s*,\s*" + _PART + r")+)",
        )
        calls += [(match, match.group(2), match.group(3)) for match in verbed.finditer(text)]
    if fixed:
        given = re.compile(
            r"\.(" + "|".join(map(re.escape, sorted(fixed))) + r")\(\s*(f?(['\"])[^'\"\n]*\3(?:\s*,\s*" + _PART + r")*)"
        )
        calls += [(match, fixed[match.group(1)], "," + match.group(2)) for match in given.finditer(text)]
    for match, method, spelled in calls:
        parts = [part.strip() for part in spelled.split(",") if part.strip()]
        path = "/".join(_literal(part) if part[-1:] in "'\"" else HOLE for part in parts)
        classified = classify(config_url((prefix + shape_of(path)).lstrip("/")), True)
        if not classified.config or not classified.candidates:
            continue
        said = f"the parts of a path handed to the Config client of its package, {client}"
        found.append(_sent_by_client(display, text, lines, match.start(), classified, method, said, client))
    return found


def _literal(part: str) -> str:
    """The text of a string literal as written (`"sources"`, `f"{ws}"`), its quotes and `f` prefix off."""
    return re.sub(r"^f(?=['\"])", "", part)[1:-1]


def _sent_by_client(
    display: str,
    text: str,
    lines: list[str],
    start: int,
    classified: Classified,
    method: str,
    how: str,
    client: str,
) -> Finding:
    """The request a call at `start` hands the package's Config client to send."""
    number = text.count("\n", 0, start) + 1
    return request_finding(
        file=display,
        line=number,
        column=start - (text.rfind("\n", 0, start) + 1) + 2,
        language="python",
        classified=classified,
        method=method,
        how=how,
        reason="the request is sent by the package's Config client: it moves with that client",
        snippet=lines[number - 1].strip() if number <= len(lines) else "",
        via=client,
    )
