"""Paths built up through the model classes of a Python client package: `Workspaces` is made with
`super().__init__(api, 'workspaces')`, each `Workspace` by `Workspaces.workspace` with
`super().__init__(workspaces.api, f'{workspaces.model_path}/{name}')`, its `Sources` from it, and so
on; a model's `self.send_request('GET')` then sends to its own path, which no single file spells.

A model's path is its template with the parent's path put in: the parent is the class whose methods
construct it (`Sources(self)` inside `Workspace`); a class constructed in two places, or whose
template names something else, has no path. Read as text over the package's modules, after the scan
has found the calls (`related.py`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from mappings import Endpoint
from migrator.analysis.holes import HOLE

from .endpoints import classify, config_url, readable

CLASS = re.compile(r"^class[ \t]+(\w+)\b[^\n]*:", re.MULTILINE)
INIT = re.compile(r"^[ \t]+def[ \t]+__init__\(\s*self\s*,?\s*([\w\s,=.'\"]*?)\)", re.MULTILINE)
SUPER = re.compile(r"""super\(\)\.__init__\(\s*[\w.]+\s*,\s*f?(['"])([^'"\n]*)\1""")
TEMPLATE_PART = re.compile(r"\{([^{}]*)\}")
SEND = re.compile(r"""\bself\.(\w+)\(\s*(['"])(GET|POST|PUT|PATCH|DELETE)\2\s*(?:,\s*(['"])([^'"\n]*)\4)?""")


SUFFIX_NAME = re.compile(r",\s*(\w+)\s*[,)]")
"""A request's path given as a name (`self.send_request('GET', path)`)."""
DEF = re.compile(r"^[ \t]+def[ \t]", re.MULTILINE)


def spelled_suffix(found: re.Match[str], following: str, before: str) -> str | None:
    """The path suffix a model's request (`found`, then the text `following` it) spells: a string
    argument, or a name the method's text `before` the call binds once to a plain string
    (`path = 'schema-config'`)."""
    if found.group(5) is not None:
        return found.group(5)
    named = SUFFIX_NAME.match(following)
    if named is None:
        return None
    name = re.escape(named.group(1))
    bound = re.findall(
        rf"^[ \t]+{name}[ \t]*=[ \t]*f?(['\"])([^'\"{{}}\\\n]*)\1[ \t]*(?:#[^\n]*)?$", before, re.MULTILINE
    )
    other = re.findall(rf"^[ \t]+{name}[ \t]*[-+*/|&]?=", before, re.MULTILINE)
    return bound[0][1] if len(bound) == 1 and len(other) == 1 else None


MEMBER = re.compile(r"^[ \t]+def[ \t]+(\w+)\(\s*self\b", re.MULTILINE)
RETURN = re.compile(r"^[ \t]+return[ \t]+([^\n]+)", re.MULTILINE)
CALLED = re.compile(r"\([^()]*\)")
"""An innermost parenthesised argument list."""
STEP = re.compile(r"\.(\w+)(\(\))?")


class ModelPaths:
    """The path of each model class of a package, from its modules' texts; and what its methods
    and properties return (`Workspace.sources` returns a `Sources`), to follow a chain of them."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.returns: dict[tuple[str, str], str] = {}
        """(class, member) -> the expression it returns."""
        self.members: dict[tuple[str, str], str] = {}
        """(class, method) -> its body."""
        self.properties: set[tuple[str, str]] = set()
        """(class, member) of each member declared a `@property`."""
        templates: dict[str, tuple[str, str | None]] = {}
        """class -> (its path template, the __init__ parameter the parent's path comes from)."""
        built_in: dict[str, set[str]] = {}
        """class -> the classes whose bodies construct it with `self` first."""
        bodies: list[tuple[str, str]] = []
        for text in texts:
            starts = [(match.start(), match.group(1)) for match in CLASS.finditer(text)]
            for index, (start, name) in enumerate(starts):
                body = text[start : starts[index + 1][0] if index + 1 < len(starts) else len(text)]
                bodies.append((name, body))
                self._members(name, body)
                made = SUPER.search(body)
                init = INIT.search(body)
                if made is None:
                    continue
                parameters = [part.split("=")[0].strip() for part in (init.group(1) if init else "").split(",")]
                parent = parameters[0] if parameters and parameters[0] else None
                templates[name] = (made.group(2), parent)
        self.templates = templates
        self.built_in = built_in
        if not templates:
            self.paths: dict[str, str] = {}
            return
        constructed = re.compile(r"\b(" + "|".join(map(re.escape, sorted(templates))) + r")\(\s*self\b")
        for name, body in bodies:
            for match in constructed.finditer(body):
                built_in.setdefault(match.group(1), set()).add(name)
        self.paths = {}
        for _ in range(len(templates)):
            grown = False
            for name, (template, parent_parameter) in templates.items():
                if name in self.paths:
                    continue
                path = self._filled(template, parent_parameter, built_in.get(name, set()))
                if path is not None:
                    self.paths[name] = path
                    grown = True
            if not grown:
                break

    def _members(self, cls: str, body: str) -> None:
        found = list(MEMBER.finditer(body))
        for index, match in enumerate(found):
            end = found[index + 1].start() if index + 1 < len(found) else len(body)
            text = body[match.end() : end]
            self.members[(cls, match.group(1))] = text
            if body[: match.start()].rstrip().endswith("@property"):
                self.properties.add((cls, match.group(1)))
            returned = RETURN.search(text)
            if returned is not None:
                self.returns[(cls, match.group(1))] = returned.group(1).strip()

    def class_of(self, cls: str | None, chain: str, depth: int = 0) -> str | None:
        """The class a chain of members (`.workspace(x).sources`) gives, from an object of `cls`."""
        if depth > 8:
            return None
        for name, _call in STEP.findall(chain_without_arguments(chain)):
            if cls is None:
                return None
            cls = self._returned(cls, name, depth)
        return cls

    def broken_chain(self, cls: str | None, chain: str) -> str | None:
        """Why a chain of members (`.sources(name).destinations`) from an object of `cls` cannot
        run, when the package says so: a property called as a method calls what it gives."""
        for name, call in STEP.findall(chain_without_arguments(chain)):
            if cls is None:
                return None
            given = self._returned(cls, name, 0)
            if call and (cls, name) in self.properties:
                what = f"the `{given}` it gives" if given else "what it gives"
                return (
                    f"`{cls}.{name}` is a property, so `.{name}(…)` calls {what}, which fails before any "
                    "request is sent"
                )
            cls = given
        return None

    def _returned(self, cls: str, member: str, depth: int) -> str | None:
        expression = self.returns.get((cls, member))
        if expression is None:
            return None
        constructed = re.match(r"(\w+)\(", expression)
        if constructed is not None and (constructed.group(1), "__init__") in self.members:
            return constructed.group(1)
        if expression.startswith("self."):
            return self.class_of(cls, expression[4:], depth + 1)
        return None

    def method_endpoint(self, cls: str | None, method: str) -> tuple[str | None, Endpoint | None]:
        """The method and endpoint a model's own request method sends."""
        body = self.members.get((cls or "", method))
        if body is None or cls not in self.paths:
            return None, None
        found = SEND.search(body)
        if found is None:
            return None, None
        following = body[found.end() :]
        return self._sent(cls, found, following, spelled_suffix(found, following, body[: found.start()]))

    def _filled(self, template: str, parent_parameter: str | None, parents: set[str]) -> str | None:
        def put(match: re.Match[str]) -> str:
            inner = match.group(1).strip()
            if parent_parameter and inner.startswith(parent_parameter + "."):
                return "\x01"  # the parent's path, put in below
            return HOLE

        filled = TEMPLATE_PART.sub(put, template)
        if "\x01" not in filled:
            return filled
        # A parent model that is itself never made is dead code: its construction says nothing.
        parents = {parent for parent in parents if not self._never_made(parent)}
        known = {self.paths[parent] for parent in parents if parent in self.paths}
        if len(parents) != 1 or len(known) != 1:
            return None  # no parent, several, or one not known yet
        return filled.replace("\x01", known.pop())

    def endpoint(self, text: str, line: int) -> tuple[str | None, Endpoint | None]:
        """The method and endpoint of a model's own request on `line` (1-based) of `text`."""
        lines = text.splitlines(keepends=True)
        found = SEND.search(lines[line - 1]) if 0 < line <= len(lines) else None
        if found is None:
            return None, None
        owner = None
        for match in CLASS.finditer(text, 0, sum(len(before) for before in lines[: line - 1])):
            owner = match.group(1)
        following = lines[line - 1][found.end() :]
        return self._sent(owner, found, following, spelled_suffix(found, following, _method_before(lines, line)))

    def _never_made(self, cls: str) -> bool:
        """A model class whose path needs a parent's and that no model makes."""
        template, parent = self.templates.get(cls, ("", None))
        return parent is not None and "{" + parent + "." in template and not self.built_in.get(cls)

    def why_unknown(self, text: str, line: int) -> str | None:
        """Why the model making the request on `line` has no path, when the package says why: the
        class is never made from a parent model (dead code, or made where the scan cannot see), or
        by several."""
        lines = text.splitlines(keepends=True)
        if not 0 < line <= len(lines) or SEND.search(lines[line - 1]) is None:
            return None
        owner = None
        for match in CLASS.finditer(text, 0, sum(len(before) for before in lines[: line - 1])):
            owner = match.group(1)
        found = SEND.search(lines[line - 1])
        if owner in self.paths and found is not None:
            suffix = spelled_suffix(found, lines[line - 1][found.end() :], _method_before(lines, line))
            return self._unjoined(owner, found.group(3), suffix) if suffix else None
        if owner is None or owner in self.paths or owner not in self.templates:
            return None
        parents = {parent for parent in self.built_in.get(owner, set()) if not self._never_made(parent)}
        if not parents:
            return f"`{owner}` is never made from a parent model in the repository: the path it sends to is unknown"
        if len(parents) > 1:
            return f"`{owner}` is made by {len(parents)} models ({', '.join(sorted(parents))}): its path is not one"
        return None

    def _unjoined(self, cls: str, method: str, suffix: str) -> str | None:
        """Why a model's request with a path `suffix` has no endpoint when the reason is a `/` the
        code leaves out: the model's path and the suffix are joined as they are
        (`f'{self.model_path}{path}'`), and only with a `/` between them do they make a Config path.
        (Glued to a name, the suffix makes one segment of both: a request for another resource.)"""
        path = self.paths[cls]
        if not suffix or suffix[0] in "/?:#" or path.endswith("/"):
            return None
        meant = classify(config_url(f"{path}/{suffix}".strip("/")), True)
        if not meant.config or not meant.candidates:
            return None
        endpoint = meant.pick(method)
        twin = f"{endpoint.method} {endpoint.path}" if endpoint is not None else f"{method} {meant.path}"
        sent = readable(path) + suffix
        return (
            f"`{cls}` joins its path and `{suffix}` without a `/`, so this sends {method} {sent}: another "
            f"resource's path, or none; with the `/` it would be {twin}"
        )

    def _sent(
        self, cls: str | None, found: re.Match[str], following: str, suffix: str | None
    ) -> tuple[str | None, Endpoint | None]:
        """What a model's `self.send_request('VERB', ...)` (`found`, then the text `following` it)
        sends: its method, and the endpoint of the model's path plus the `suffix` the call spells."""
        method = found.group(3)
        rest = following.lstrip()
        if suffix is None and rest.startswith(",") and not re.match(r",\s*(?:\w+\s*=(?!=)|\)|$)", rest):
            return method, None  # a path argument the text does not spell: not the model's own path
        if re.search(r"\bpath(?:_suffix)?\s*=", rest.split("\n", 1)[0]):
            return method, None
        if cls is None or cls not in self.paths or (suffix and self._unjoined(cls, method, suffix)):
            return method, None
        classified = classify(config_url((self.paths[cls] + (suffix or "")).strip("/")), True)
        if not classified.config or not classified.candidates:
            return method, None
        return method, classified.pick(method)


FORWARD = re.compile(r"\.(\w+)\(\s*(\w+)\s*,\s*(\w+)\s*[,)]")
PARAMETERS = re.compile(r"def[ \t]+(\w+)\(([^)]*)\)")


def forwarded(text: str, line: int) -> str | None:
    """Why a request on `line` (1-based) of `text` has no endpoint of its own, when it forwards its
    method's caller's: its method and path are parameters of the method it is in
    (`def send_request(self, verb, path, ...)` then `self.api.send_request(verb, path, ...)`)."""
    lines = text.splitlines(keepends=True)
    call = FORWARD.search(lines[line - 1]) if 0 < line <= len(lines) else None
    if call is None:
        return None
    signature = PARAMETERS.search(_method_before(lines, line))
    if signature is None:
        return None
    parameters = {part.split(":")[0].split("=")[0].strip() for part in signature.group(2).split(",")}
    if not {call.group(2), call.group(3)} <= parameters:
        return None
    return (
        f"it forwards the request its callers make of `{signature.group(1)}` (`{call.group(2)}` and "
        f"`{call.group(3)}` are its parameters): the endpoints are theirs"
    )


def _method_before(lines: list[str], line: int) -> str:
    """The text of the method around `line` (1-based) up to that line: back to its `def`."""
    start = line - 1
    while start > 0 and not DEF.match(lines[start - 1]):
        start -= 1
    return "".join(lines[max(start - 1, 0) : line - 1])


def chain_without_arguments(chain: str) -> str:
    """`.source(src).destinations.list(page_size=n.upper())` as `.source().destinations.list()`."""
    while "(" in chain:
        reduced = CALLED.sub("\x02", chain)
        if reduced == chain:
            break  # unbalanced: the rest of the line, say
        chain = reduced
    return chain.replace("\x02", "()")
