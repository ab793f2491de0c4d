"""What the modules of a repository give each other: the Config API URL constants one module defines
and others import (`from .constants import segmentUrl`). A module that imports one talks to the
Config API even though its own text never names the host.

Read off the text of the few files that name the Config API: the whole repository costs one
substring test per file."""

from __future__ import annotations

import ast
import functools
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from mappings import load_map


@dataclass(frozen=True)
class ConfigPatterns:
    """How the Config API shows in a module's text, from the map's Config hosts and version prefixes."""

    markers: tuple[str, ...]
    """Substrings a module naming the Config API has (a cheap test before the patterns)."""
    hosts: tuple[str, ...]
    """The Config API's hosts."""
    setting: re.Pattern[str]
    """A configuration line holding a Config URL: `key: URL`, `key = "URL"`, `"key": "URL",`,
    `KEY=URL`, `- KEY=URL` (a compose file's environment list); the setting's name and the URL."""
    constant: re.Pattern[str]
    """A module-level name bound to a Config URL or versioned path: `HOST = "https://platform..."`,
    and the URL (the literal's text)."""
    string: re.Pattern[str]
    """A string that is the Config host, or starts with a Config base URL or versioned path."""
    base: re.Pattern[str]
    """A module-level name bound to exactly a Config base URL (the host, and the version or not), on
    a line of its own: where a Public twin can go beside it."""


SETTING_DEFAULT = r"""(?:(?:os\.)?(?:environ\.get|getenv)\(\s*['"][^'"\n]*['"]\s*,\s*)"""
"""`os.environ.get("SEGMENT_API", ` before the default a setting falls back to: the constant is the
Config URL wherever the variable is not set."""


@functools.cache
def config_patterns() -> ConfigPatterns:
    config = load_map().protocol["config"]
    hosts = "|".join(re.escape(host) for host in config["hosts"])
    prefixes = "|".join(re.escape(prefix) for prefix in [config["prefix"], *config["prefix_aliases"]])
    url = rf"https?://(?:{hosts})"
    # A versioned path without the host is the Config API's when a Config path follows the version
    # (`"v1beta/workspaces/..."`); another vendor's `"v1beta/models/..."` is not.
    first = "|".join(sorted({re.escape(endpoint.path.split("/")[0]) for endpoint in load_map().endpoints}))
    versioned = rf"""/?(?:{prefixes})/(?:(?:{first})\b|['"])"""
    return ConfigPatterns(
        markers=(*config["hosts"], config["prefix"], *config["prefix_aliases"]),
        hosts=tuple(config["hosts"]),
        setting=re.compile(
            rf"""^\s*(?:-\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*["']?((?:https?:)?//(?:{hosts})\S*?)["',]*\s*$"""
        ),
        constant=re.compile(
            rf"""^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*{SETTING_DEFAULT}?[rRuU]?['"]"""
            rf"""((?:{url}|/?(?:{prefixes})/(?=(?:{first})\b|['"]))[^'"\n\\]*)""",
            re.MULTILINE,
        ),
        string=re.compile(rf"""['"](?:{url}(?:/(?:{prefixes})\b|/?['"])|{versioned})"""),
        base=re.compile(
            rf"""^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*(['"])({url}(?:/(?:{prefixes}))?/?)\2"""
            r"""[ \t]*(?:#[^\r\n]*)?\r?$""",
            re.MULTILINE,
        ),
    )


@functools.lru_cache(maxsize=4096)
def import_root(folder: Path) -> Path:
    """The folder a module in `folder` is imported from: above every package (`__init__.py`) around it."""
    if (folder / "__init__.py").exists() and folder.parent != folder:
        return import_root(folder.parent)
    return folder


def under_tests(path: str) -> bool:
    """A module under a `tests` folder: a test, or a test's fixture or helper."""
    return "tests" in path.replace(os.sep, "/").split("/")[:-1]


CASSETTES = re.compile(r"^\s*(?:import vcr\b|from vcr\b)|\.use_cassette\(|mark\.vcr\b", re.MULTILINE)
"""A test playing recorded HTTP answers (vcrpy; pytest-recording's `@pytest.mark.vcr`)."""


def recorded_by(source: str) -> set[str]:
    """The modules a test playing cassettes imports (their requests are what it recorded); none for
    any other module. Their Config requests must go on as made for the cassettes to keep matching."""
    return modules_imported(source) if CASSETTES.search(source) else set()


RECORDED = "plays a cassette recording this module's Config requests"


def recorded_note(test: str) -> str:
    """Why a module's Config requests go on as made, through the layer: the test recording them."""
    return f"{test} {RECORDED}: they go on as made"


def module_name(path: Path) -> str:
    """`pkg.sub.mod` for `root/pkg/sub/mod.py` (the packages around the file)."""
    folder = path.parent
    root = import_root(folder)
    packages = folder.parts[len(root.parts) :]
    name = path.stem
    return ".".join([*packages] if name == "__init__" else [*packages, name])


def tails(dotted: str, parts_at_least: int = 1) -> list[str]:
    """Every tail of a dotted name with at least that many parts (`a.b.c`, 2: `a.b.c`, `b.c`): how
    an import from the package, or a relative one, writes it."""
    parts = dotted.split(".")
    return [".".join(parts[start:]) for start in range(len(parts) - parts_at_least + 1)]


DJANGO_SETTINGS = "django.conf.settings"
"""Django's settings object: `settings.X` reads `X` of the project's settings module (`proj/settings.py`,
or a module of a settings package, `proj/settings/production.py`, that the package's own imports)."""


def module_keys(module: str) -> list[str]:
    """How an import may name a module that defines constants: every tail of its dotted name, and
    `settings` for a module of a settings package (read as Django reads it, `module_read`)."""
    keys = tails(module)
    if "settings" in module.split(".")[:-1]:
        keys.append("settings")
    return keys


def module_read(imported: str) -> str:
    """The module an import's dotted name reads constants of: Django's settings object reads the
    project's `settings`; anything else, the module it names."""
    return "settings" if imported == DJANGO_SETTINGS else imported


@dataclass(frozen=True)
class ConfigConstants:
    """The repository's Config URL constants (`pkg.constants.HOST`), and the functions returning a
    Config URL (`pkg.urls.sources_url`, read as the constants are: a module calling one builds its
    requests on the Config API), indexed for the questions asked of every file: is a name of one in
    the text, and does an import stand for one."""

    dotted: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    """Their bare names (`HOST`)."""
    suffixes: frozenset[str] = frozenset()
    """Every tail of two parts or more (`constants.HOST`): how a relative import writes one."""
    values: tuple[tuple[str, str], ...] = ()
    """(bare name, the URL it is bound to), for the module that imports it to be read with it."""
    bases: tuple[tuple[str, str, str], ...] = ()
    """(dotted name, its module's file, the URL) of each constant bound to exactly a Config base, once,
    on a line of its own: one a Public twin can be written beside (`API_PUBLIC`), for the calls of
    the modules importing it that move to the Public API."""
    tables: tuple[tuple[str, str], ...] = ()
    """(bare name, Python source binding it) of each settings object holding the Config host among
    its string entries, for the module importing it to be read with it: a dict (`SEGMENT =
    {"API_ROOT": "https://platform...", "VERSION": "v1beta"}`, its `os.environ.get` defaults read) is
    bound to a dict literal; an instance of a settings class of the module (`settings = Settings()`,
    its fields' defaults `segment_api_url: str = "https://platform..."`) to a one-line class."""
    classes: frozenset[str] = frozenset()
    """The top-level classes (dotted) whose body holds a Config URL (`class Resource: API =
    "https://platform..."`, or a default `base="https://platform..."`): a subclass in another module
    builds its requests on it (`requests.patch(self._url(...))`) without naming the API itself."""

    @classmethod
    def of(
        cls,
        dotted: set[str],
        values: dict[str, str] | None = None,
        bases: Iterable[tuple[str, str, str]] = (),
        tables: dict[str, str] | None = None,
        classes: Iterable[str] = (),
    ) -> ConfigConstants:
        suffixes = {tail for name in dotted for tail in tails(name, 2)}
        return cls(
            frozenset(dotted),
            frozenset(name.rsplit(".", 1)[-1] for name in dotted),
            frozenset(suffixes),
            tuple(sorted((values or {}).items())),
            tuple(sorted(bases)),
            tuple(sorted((tables or {}).items())),
            frozenset(classes),
        )

    def named_in(self, source: str) -> bool:
        return any(name in source for name in self.names)

    def imported(self, aliases: dict[str, str], source: str = "") -> frozenset[str]:
        """The local names that stand for one (`aliases`: local name -> what it imports, a relative
        import's module written without its dots), and the reads `settings.API` in `source` of one
        through the module that defines it (`from kit import settings`)."""
        found = {local for local, dotted in aliases.items() if dotted in self.suffixes}
        for local, module in aliases.items():
            for name in self._names_by_module_tail.get(module_read(module), ()):
                if re.search(rf"(?<![\w.]){re.escape(local)}\.{re.escape(name)}\b", source):
                    found.add(f"{local}.{name}")
        return frozenset(found)

    def read_in(self, source: str) -> dict[str, str]:
        """How a module reads one, each read with the constant's name where it is defined: a name its
        import binds (`API` of `from .settings import BASE as API`: `BASE`), or a read through a
        module it imports (`settings.BASE` after `from . import settings`)."""
        aliases = {
            name.local: statement.dotted(name)
            for statement in [*from_imports(source), *aliased_imports(source)]
            for name in statement.names
        }
        return {read: aliases.get(read, read).rsplit(".", 1)[-1] for read in self.imported(aliases, source)}

    def with_functions(self, dotted: Iterable[str]) -> ConfigConstants:
        """These constants, and functions of other modules returning a URL built on them."""
        every = self.dotted | frozenset(dotted)
        return replace(
            self,
            dotted=every,
            names=frozenset(name.rsplit(".", 1)[-1] for name in every),
            suffixes=frozenset(tail for name in every for tail in tails(name, 2)),
        )

    def subclassed(self, aliases: dict[str, str], source: str) -> frozenset[str]:
        """The local names of `classes` this module imports and subclasses (`from .base import
        Resource`, then `class Sources(Resource):`)."""
        if not self.classes:
            return frozenset()
        return frozenset(
            local for local, dotted in aliases.items() if dotted in self._class_tails and subclasses(source, local)
        )

    def subclassed_in(self, source: str) -> bool:
        """Whether a module may subclass one of `classes` (a cheap test before it is parsed)."""
        return any(name in source for name in self._class_names) and bool(CLASS_STATEMENT.search(source))

    @functools.cached_property
    def _class_tails(self) -> frozenset[str]:
        return frozenset(tail for dotted in self.classes for tail in tails(dotted, 2))

    @functools.cached_property
    def _class_names(self) -> frozenset[str]:
        return frozenset(dotted.rsplit(".", 1)[-1] for dotted in self.classes)

    @functools.cached_property
    def _names_by_module_tail(self) -> dict[str, frozenset[str]]:
        """Each tail of a defining module's dotted name (`kit.settings`, `settings`) -> its constants."""
        names: dict[str, set[str]] = {}
        for dotted in self.dotted:
            module, name = dotted.rsplit(".", 1)
            for tail in module_keys(module):
                names.setdefault(tail, set()).add(name)
        return {tail: frozenset(found) for tail, found in names.items()}

    def imported_bases(self, aliases: dict[str, str]) -> dict[str, ImportedBase]:
        """The local names that stand for one of `bases`, each with the one constant it imports (a
        name two modules' constants could be is left out)."""
        found: dict[str, ImportedBase] = {}
        for local, imported in aliases.items():
            if imported not in self.suffixes:
                continue
            module, name = imported.rsplit(".", 1)
            matches = [base for base in self._bases_by_module_tail.get(module, ()) if base[0].endswith("." + name)]
            if len(matches) == 1:
                dotted, path, url = matches[0]
                found[local] = ImportedBase(dotted, path, url)
        return found

    def module_bases(self, aliases: dict[str, str]) -> dict[str, dict[str, ImportedBase]]:
        """The local names bound to a module that defines some of `bases` (`from kit import settings`,
        `import kit.settings as settings`), each with those constants by name: read as
        `settings.API`. A name two modules could be is left out."""
        found: dict[str, dict[str, ImportedBase]] = {}
        for local, imported in aliases.items():
            matches = self._bases_by_module_tail.get(module_read(imported), ())
            if matches and len({path for _dotted, path, _url in matches}) == 1:
                found[local] = {
                    dotted.rsplit(".", 1)[-1]: ImportedBase(dotted, path, url) for dotted, path, url in matches
                }
        return found

    @functools.cached_property  # asked of every migrated file's imports
    def _bases_by_module_tail(self) -> dict[str, list[tuple[str, str, str]]]:
        """The `bases` by every tail of their module's dotted name (`settings`, `kit.settings`)."""
        index: dict[str, list[tuple[str, str, str]]] = {}
        for base in self.bases:
            for tail in module_keys(base[0].rsplit(".", 1)[0]):
                index.setdefault(tail, []).append(base)
        return index

    def bases_defined_in(self, path: str) -> list[str]:
        """The `bases` (dotted) the file at `path` defines."""
        return self._bases_by_path.get(path, [])

    @functools.cached_property
    def _bases_by_path(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for dotted, path, _url in self.bases:
            index.setdefault(path, []).append(dotted)
        return index

    def exported(self, imports: Iterable[tuple[Path, frozenset[str], frozenset[str]]]) -> frozenset[str]:
        """The `bases` another module may read (`imports`: each file's `import_words` and
        `imported_objects`): moving one in place would move its importers' calls too, which may not
        move. Conservative, whichever package the import is written from: a module imported whole
        (`import kit.hosts`, `from kit import hosts`) may read any of its names; otherwise an import
        line naming both the module's last part and the constant counts."""
        stems: dict[str, list[tuple[str, str]]] = {}
        for dotted, defining, _url in self.bases:
            stems.setdefault(dotted.split(".")[-2], []).append((dotted, defining))
        found: set[str] = set()
        for importer, words, objects in imports:
            for stem in words & stems.keys():
                found.update(
                    dotted
                    for dotted, where in stems[stem]
                    if where != str(importer) and (stem in objects or dotted.rsplit(".", 1)[-1] in objects)
                )
        return frozenset(found)


SETTINGS_SUFFIXES = (".yaml", ".yml", ".toml", ".ini", ".cfg", ".json", ".env")
"""The configuration files a Config URL may be kept in (and `.env.example`, `.env.production`...)."""
SETTINGS_GLOBS = (*(f"*{suffix}" for suffix in SETTINGS_SUFFIXES), ".env*")


def is_settings_file(path: Path) -> bool:
    return path.suffix in SETTINGS_SUFFIXES or path.name.startswith(".env")


@dataclass(frozen=True)
class ConfigSettings:
    """The settings of the repository's configuration files that hold a Config URL (`api_url:
    https://platform.segmentapis.com/v1beta`), and whether the key they sit under names Segment."""

    segment_named: frozenset[str] = frozenset()
    """Settings named for Segment, or under a key that is (`segment: {api_url: ...}`)."""
    other: frozenset[str] = frozenset()

    def read_in(self, source: str) -> frozenset[str]:
        """The settings `source` reads (`cfg["api_url"]`, `settings.api_url`, `.get("api_url")`):
        one named for Segment anywhere, another only in code that says Segment, or an environment
        variable read as one (`os.environ["CONFIG_API_URL"]`: such a name is global)."""
        about_segment = "segment" in source.lower()
        return frozenset(
            name
            for name in self.segment_named | self.other
            if name in source
            and re.search(rf"""(?:\.|\[\s*["']|\(\s*["']){re.escape(name)}(?![\w-])""", source)
            and (name in self.segment_named or about_segment or environment_read(source, name))
        )


ENVIRONMENT_READ = (
    r"""(?:\bos\.environ(?:\.get)?\s*[\[(]\s*|\bos\.getenv\(\s*|\bENV(?:\.fetch\(|\[)\s*|\bprocess\.env\.|"""
    r"""\bprocess\.env\[\s*|\bos\.Getenv\(\s*)["']?"""
)
"""Reading an environment variable: Python, Ruby, Node, Go."""


def environment_read(source: str, name: str) -> bool:
    """Whether `source` reads the environment variable `name` (an UPPER_CASE name only: the
    environment is one namespace, so the variable is the one the configuration sets)."""
    return name.isupper() and re.search(ENVIRONMENT_READ + re.escape(name) + r"\b", source) is not None


_NAMED_ENTRY = re.compile(r"""^\s*(?:-\s+)?name\s*:\s*["']?([A-Za-z_][\w.-]*)["']?\s*$""")


def setting_name(lines: list[str], index: int, key: str) -> str:
    """The name of the setting a configuration line holds: its key, or, for a `value:` entry of a
    name/value list (Kubernetes' and GitHub's `env: - name: SEGMENT_API` then `value: https://...`),
    the name the entry gives."""
    name = key.rsplit(".", 1)[-1]
    if name == "value" and index > 0:
        named = _NAMED_ENTRY.match(lines[index - 1])
        if named is not None:
            return named.group(1)
    return name


def config_settings(files: Iterable[tuple[Path, str]]) -> ConfigSettings:
    """The Config URL settings of configuration files (path, text)."""
    named: set[str] = set()
    other: set[str] = set()
    patterns = config_patterns()
    for path, text in files:
        if not any(host in text for host in patterns.hosts):
            continue
        if path.suffix == ".json":
            for keys, _url in json_settings(text):
                (named if "segment" in " ".join(keys).lower() else other).add(keys[-1])
            continue
        lines = text.splitlines()
        for index, line in enumerate(lines):
            found = patterns.setting.match(line)
            if found is None:
                continue
            name = setting_name(lines, index, found.group(1))
            parents = " ".join(parent_keys(lines, index)) + " " + name
            (named if "segment" in parents.lower() else other).add(name)
    return ConfigSettings(frozenset(named), frozenset(other - named))


def json_settings(text: str) -> Iterator[tuple[tuple[str, ...], str]]:
    """The key paths of a JSON document's Config URL values (`("segment", "api_host")`), however it
    is laid out (one line or many)."""
    try:
        document = json.loads(text)
    except ValueError:
        return
    hosts = config_patterns().hosts
    waiting: list[tuple[tuple[str, ...], object]] = [((), document)]
    while waiting:
        keys, value = waiting.pop()
        if isinstance(value, dict):
            waiting += [((*keys, str(key)), item) for key, item in value.items()]
        elif isinstance(value, str) and keys and any(host in value for host in hosts):
            yield keys, value


def parent_keys(lines: list[str], index: int) -> Iterator[str]:
    """The keys an indented YAML line sits under, and the INI or TOML section it is in."""
    indent = len(lines[index]) - len(lines[index].lstrip())
    for line in reversed(lines[:index]):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            yield stripped
            return
        depth = len(line) - len(line.lstrip())
        if depth < indent:
            yield stripped.split(":", 1)[0].strip("\"' {")
            indent = depth


@dataclass(frozen=True)
class ImportedBase:
    """A Config base URL constant another module of the repository defines, as one module imports it."""

    dotted: str
    path: str
    """The file defining it."""
    url: str

    @property
    def name(self) -> str:
        """Its name where it is defined."""
        return self.dotted.rsplit(".", 1)[-1]


def config_constants(files: Iterable[tuple[Path, str]]) -> ConfigConstants:
    """Every module-level name bound to a Config URL or versioned Config path, or a function
    returning one (`url_functions`), and the classes holding one (read off the text: a
    repository's every file passes here, and a parse of each would cost more than the migration of
    the few that matter)."""
    patterns = config_patterns()
    found: set[str] = set()
    values: dict[str, str] = {}
    bases: list[tuple[str, str, str]] = []
    tables: dict[str, str] = {}
    classes: set[str] = set()
    for path, source in files:
        if not any(marker in source for marker in patterns.markers):
            continue
        classes.update(f"{module_name(path)}.{name}" for name, _body in classes_holding(source, patterns))
        found.update(f"{module_name(path)}.{name}" for name in url_functions(source, patterns))
        bound = patterns.constant.findall(source)
        if bound:
            module = module_name(path)
            found.update(f"{module}.{name}" for name, _value in bound)
            values.update(bound)
            for name, _quote, url in patterns.base.findall(source):
                if len(re.findall(rf"^{name}[ \t]*(?::[^=\n]*)?=[^=]", source, re.MULTILINE)) == 1:
                    bases.append((f"{module}.{name}", str(path), url))
        if SETTINGS_DICT.search(source) or SETTINGS_INSTANCE.search(source):
            for name, entries, instance in _settings_objects(source, patterns):
                found.add(f"{module_name(path)}.{name}")
                if instance:
                    fields = "; ".join(f"{key} = {value!r}" for key, value in entries.items() if key.isidentifier())
                    tables[name] = f"class {{local}}: {fields}"
                else:
                    tables[name] = f"{{local}} = {entries!r}"
    return ConfigConstants.of(found, values, bases, tables, classes)


def functions_on_imported(modules: Iterable[tuple[Path, str]], constants: ConfigConstants) -> set[str]:
    """The URL functions (dotted) of modules naming no Config URL themselves that build one on a
    constant they import from another module (`from .settings import BASE`, then `def
    sources_url(ws): return f"{BASE}/workspaces/{ws}/sources"`, or `settings.BASE` after `from . import
    settings`): `modules` are those importing one."""
    patterns = config_patterns()
    found: set[str] = set()
    for path, source in modules:
        imported = constants.read_in(source)
        if imported:
            found.update(f"{module_name(path)}.{name}" for name in url_functions(source, patterns, imported))
    return found


CLASS_STATEMENT = re.compile(r"^[ \t]*class[ \t]+\w+[ \t]*\(", re.MULTILINE)
TOP_LEVEL_CLASS = re.compile(r"^class[ \t]+([A-Za-z_]\w*)", re.MULTILINE)
TOP_LEVEL_DEF = re.compile(r"^def[ \t]+([A-Za-z_]\w*)", re.MULTILINE)
TOP_LEVEL_STATEMENT = re.compile(r"^[^\s#)\]}]", re.MULTILINE)


def subclasses(source: str, name: str) -> bool:
    """Whether a class statement of the module names `name` among its bases."""
    return bool(re.search(rf"^[ \t]*class[ \t]+\w+[ \t]*\([^)]*(?<![\w.]){re.escape(name)}\b", source, re.MULTILINE))


def top_level_blocks(source: str, opening: re.Pattern[str]) -> Iterator[tuple[str, str]]:
    """Each top-level statement `opening` starts (a class, a function), by name, with its source up
    to the next top-level statement (read off the text)."""
    for found in opening.finditer(source):
        line_end = source.find("\n", found.end())
        if line_end < 0:
            continue
        ends = TOP_LEVEL_STATEMENT.search(source, line_end + 1)
        yield found.group(1), source[found.start() : ends.start() if ends else len(source)]


def classes_holding(source: str, patterns: ConfigPatterns) -> Iterator[tuple[str, str]]:
    """The top-level classes of a module whose body holds a Config URL string, each with its source."""
    for name, body in top_level_blocks(source, TOP_LEVEL_CLASS):
        if patterns.string.search(body):
            yield name, body


HOLDER = re.compile(r"""^class[ \t]+(\w+)[ \t]*:[ \t]*(\w+)[ \t]*=[ \t]*(['"][^'"\n]*['"])""", re.MULTILINE)
"""A class on one line holding a constant: how a module imported whole is read with its constants."""
RETURNED = re.compile(r"^[ \t]+return[ \t]+([^\n]+)", re.MULTILINE)
SENDS_OR_READS = re.compile(r"\b(?:requests|httpx|urllib3?|urlopen|aiohttp|session|client)\b|\.(?:json|text|content)\b")
"""What a function that sends a request, or reads an answer, has in its body: no URL builder."""


def url_functions(source: str, patterns: ConfigPatterns, imported: Iterable[str] = ()) -> set[str]:
    """The top-level functions of a module that return a Config URL and send nothing: built from a
    Config string, the module's Config constants, the `imported` names standing for one another
    module defines, or each other (`def sources_url(ws): return f"{workspace_url(ws)}/sources"`)."""
    reads = {name for name, _value in patterns.constant.findall(source)} | set(imported)
    # a one-line holder a module is read as (`class settings: BASE = "https://platform..."`)
    reads |= {f"{holder}.{name}" for holder, name, value in HOLDER.findall(source) if patterns.string.search(value)}
    found: set[str] = set()
    candidates = [
        (name, RETURNED.findall(body))
        for name, body in top_level_blocks(source, TOP_LEVEL_DEF)
        if not SENDS_OR_READS.search(body)
    ]
    while True:
        names = "|".join(map(re.escape, sorted(reads | found)))
        read = re.compile(rf"(?<![\w.])(?:{names})\b") if names else None
        more = {
            name
            for name, returned in candidates
            if name not in found
            and any(patterns.string.search(value) or (read is not None and read.search(value)) for value in returned)
        }
        if not more:
            return found
        found |= more


SETTINGS_DICT = re.compile(r"^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*(?:dict\(|\{)", re.MULTILINE)
"""A module-level name bound to a dict (a cheap test before the module is parsed)."""


SETTINGS_INSTANCE = re.compile(r"^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*[A-Z]\w*\(", re.MULTILINE)
"""A module-level name bound to an instance of a class (`settings = Settings()`)."""


def _settings_objects(source: str, patterns: ConfigPatterns) -> Iterator[tuple[str, dict[str, str], bool]]:
    """The module's settings objects holding the Config host, each with its string entries and
    whether it is an instance of a class of the module (else a dict); see `ConfigConstants.tables`.
    Parsed by Python's own parser: only the few modules naming the Config API get here."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return
    yield from ((name, entries, False) for name, entries in _settings_dicts(tree, patterns))
    classes = {statement.name: statement for statement in tree.body if isinstance(statement, ast.ClassDef)}
    for statement in tree.body:
        if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
            continue
        target, value = statement.targets[0], statement.value
        if not isinstance(target, ast.Name) or not isinstance(value, ast.Call) or not isinstance(value.func, ast.Name):
            continue
        made = classes.get(value.func.id)
        if made is None:
            continue
        fields: dict[str, str] = {}
        for field in made.body:
            name: ast.expr | None = None
            if isinstance(field, ast.AnnAssign):
                name = field.target
            elif isinstance(field, ast.Assign) and len(field.targets) == 1:
                name = field.targets[0]
            text = _setting_text(field.value) if isinstance(field, ast.Assign | ast.AnnAssign) and field.value else None
            if isinstance(name, ast.Name) and text is not None:
                fields[name.id] = text
        if any(host in text for text in fields.values() for host in patterns.hosts):
            yield target.id, fields, True


def _settings_dicts(tree: ast.Module, patterns: ConfigPatterns) -> Iterator[tuple[str, dict[str, str]]]:
    """The module-level dicts (`{...}` or `dict(...)`) with a string entry that is the Config host,
    each with its string entries: a literal, or the default an `os.environ.get` falls back to."""
    prefixes = {prefix.strip("/") for prefix in patterns.markers if not any(host == prefix for host in patterns.hosts)}
    for statement in tree.body:
        target = statement.targets[0] if isinstance(statement, ast.Assign) and len(statement.targets) == 1 else None
        if isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target = statement.target
        value = getattr(statement, "value", None)
        if not isinstance(target, ast.Name) or value is None:
            continue
        pairs: list[tuple[ast.expr | None, ast.expr]] = []
        if isinstance(value, ast.Dict):
            pairs = list(zip(value.keys, value.values, strict=True))
        elif isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict":
            pairs = [(ast.Constant(keyword.arg), keyword.value) for keyword in value.keywords if keyword.arg]
        entries = {
            key.value: text
            for key, entry in pairs
            if isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and (text := _setting_text(entry)) is not None
        }
        # The Config host among them (a version alone is any vendor's `v1beta`), and its version
        # wherever it is (`"VERSION": "v1beta"` beside `"API_ROOT": "https://platform..."`)
        if any(host in text for text in entries.values() for host in patterns.hosts) and any(
            patterns.string.search(repr(text)) or text.strip("/") in prefixes for text in entries.values()
        ):
            yield target.id, entries


def _setting_text(node: ast.expr) -> str | None:
    """A string literal, or the string default of `os.environ.get(name, default)` / `os.getenv(...)`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and len(node.args) == 2 and isinstance(node.args[1], ast.Constant):
        called = ast.unparse(node.func)
        if called.endswith(("environ.get", "getenv")) and isinstance(node.args[1].value, str):
            return node.args[1].value
    return None


_IMPORT_LINE = re.compile(
    r"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+import[ \t]+(?:\([^)]*\)|[^\n]+)|import[ \t]+[^\n]+)", re.MULTILINE
)
_FROM_IMPORT = re.compile(r"^([ \t]*)from[ \t]+([.\w]+)[ \t]+import[ \t]+(\([^)]*\)|(?:[^\n\\]|\\\n)*)", re.MULTILINE)
_IMPORTED = re.compile(r"([A-Za-z_]\w*)(?:\s+as\s+([A-Za-z_]\w*))?")


_PLAIN_IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n#]+)", re.MULTILINE)


def _plainly_imported(source: str) -> Iterator[str]:
    """The dotted modules of a module's `import a.b as c, d` lines (a.b, d)."""
    for line in _PLAIN_IMPORT.findall(source):
        for part in line.split(","):
            yield part.split(" as ")[0].strip()


def modules_imported(source: str) -> set[str]:
    """The dotted modules a module's code imports: `import a.b as c, d` (a.b, d), and `from a
    import b` (a, and a.b, which may be a module too)."""
    found = set(_plainly_imported(source))
    for statement in from_imports(source):
        found |= {statement.module, *(f"{statement.module}.{name.name}" for name in statement.names)}
    return found


@dataclass(frozen=True)
class ImportedName:
    name: str
    local: str
    """The name it is bound to in the importing module (`as` it)."""
    line: int
    column: int
    """Of the imported name, 1-based."""


@dataclass(frozen=True)
class FromImport:
    """`from module import a, b as c`, over one line or several (parentheses, backslashes)."""

    module: str
    first_line: int
    last_line: int
    indent: str
    names: tuple[ImportedName, ...]

    def dotted(self, name: ImportedName) -> str:
        """What `name` of this statement imports, a relative module written without its dots
        (`from .settings import BASE`: `settings.BASE`; `import kit.settings as s`: `kit.settings`)."""
        return ".".join(part for part in (self.module.lstrip("."), name.name) if part)


def from_imports(source: str) -> Iterator[FromImport]:
    """Every `from ... import ...` statement of a module's text (read off the text, as the rest of
    this module: a parse would cost more than the passes that use it)."""
    for match in _FROM_IMPORT.finditer(source):
        first = source.count("\n", 0, match.start()) + 1
        body_start = match.start(3)
        names = []
        for part in _IMPORTED.finditer(re.sub(r"#[^\n]*", lambda comment: " " * len(comment.group()), match.group(3))):
            offset = body_start + part.start()
            line = source.count("\n", 0, offset) + 1
            column = offset - (source.rfind("\n", 0, offset) + 1) + 1
            names.append(ImportedName(part.group(1), part.group(2) or part.group(1), line, column))
        last = source.count("\n", 0, match.end()) + 1
        yield FromImport(match.group(2), first, last, match.group(1), tuple(names))


_ALIASED_MODULE = re.compile(r"([A-Za-z_][\w.]*)[ \t]+as[ \t]+([A-Za-z_]\w*)")


def aliased_imports(source: str) -> Iterator[FromImport]:
    """Every `import a.b as c` of a module's text, as a `FromImport` of no module importing `a.b` as
    `c` (the form that binds a name to the module itself; `import a.b` binds `a`)."""
    for match in _PLAIN_IMPORT.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        start = match.start(1)
        indent = source[match.start() : source.index("import", match.start())]
        names = []
        for part in _ALIASED_MODULE.finditer(match.group(1)):
            column = start + part.start() - (source.rfind("\n", 0, start) + 1) + 1
            names.append(ImportedName(part.group(1), part.group(2), line, column))
        if names:
            yield FromImport("", line, line, indent, tuple(names))


def import_words(source: str) -> frozenset[str]:
    """The words of a module's import lines: what `imported_modules` needs of each file, kept
    instead of its text while a whole repository is read."""
    if "import" not in source:
        return frozenset()
    return frozenset(word for line in _IMPORT_LINE.findall(source) for word in _WORD.findall(line))


def imported_objects(source: str) -> frozenset[str]:
    """The last part of each name a module's import lines bind, before any `as`: `from a import b,
    c as d` (b, c), `import a.b as e` (b)."""
    if "import" not in source:
        return frozenset()
    found = {module.rsplit(".", 1)[-1] for module in _plainly_imported(source)}
    found.update(name.name for statement in from_imports(source) for name in statement.names)
    return frozenset(found)


def imported_modules(imports: Iterable[tuple[Path, frozenset[str]]], candidates: Iterable[Path]) -> frozenset[str]:
    """Of `candidates` (modules that run as scripts), the paths of those another module of the
    repository imports (`imports`: each file's `import_words`): their functions have callers the
    codemods cannot see, so what those functions return is the module's contract, not the script's
    own business.

    Conservative by design: an import line naming the module's last part counts (`from . import
    generate`, `import tools.generate`), whichever package it is written from."""
    stems: dict[str, list[Path]] = {}
    for path in candidates:
        stems.setdefault(path.stem, []).append(path)
    if not stems:
        return frozenset()
    importers: dict[str, set[Path]] = {}
    for path, words in imports:
        for word in words & stems.keys():
            importers.setdefault(word, set()).add(path)
    return frozenset(
        str(candidate) for stem, paths in importers.items() for candidate in stems[stem] if paths - {candidate}
    )


_WORD = re.compile(r"\w+")


_SESSION_MADE = (
    r"(?:(?:requests|httpx|urllib3)\.(?:Session|session|Client|AsyncClient|PoolManager)"
    r"|segment_compat\.(?:Session|HttpxClient|HttpxAsyncClient|PoolManager))\("
)
"""A session of an HTTP library the layer stands in for made (`requests.Session(`); the layer's own
(`segment_compat.Session(`) once an earlier run routed it."""
SHARED_SESSION = re.compile(r"^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*" + _SESSION_MADE, re.MULTILINE)
"""A session a module makes at its top level (`session = requests.Session()`), for others to import."""
_SESSION_CLASS = re.compile(
    r"^class[ \t]+([A-Za-z_]\w*)[ \t]*\((?:[^)]*,)?[ \t]*(?:requests\.Session|httpx\.(?:Client|AsyncClient)"
    r"|segment_compat\.(?:Session|HttpxClient|HttpxAsyncClient))[ \t]*[,)]",
    re.MULTILINE,
)
"""A session class a module defines at its top level (`class RetrySession(requests.Session):`)."""
_TOP_FUNCTION = re.compile(r"^(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[^\n]*\n((?:(?:[ \t]+[^\n]*)?\n)*)", re.MULTILINE)
_BOUND_SESSION = re.compile(
    r"^[ \t]+(?:([A-Za-z_]\w*)[ \t]*=[ \t]*"
    + _SESSION_MADE
    + r"|(?:async[ \t]+)?with[ \t]+"
    + _SESSION_MADE
    + r"[^\n]*\)[ \t]+as[ \t]+([A-Za-z_]\w*)[ \t]*:)",
    re.MULTILINE,
)
_RETURNED_SESSION = re.compile(r"^[ \t]+(?:return|yield)[ \t]+" + _SESSION_MADE, re.MULTILINE)
_VERBS = "get|post|put|patch|delete|head|request"
_SENT = re.compile(
    rf"^[ \t]+[^#\n]*?(?<![\w.])(?:(?:requests|httpx|segment_compat)\.(?:{_VERBS}|urlopen)"
    rf"|(?:urllib\.request\.)?urlopen)\(",
    re.MULTILINE,
)
"""A request an HTTP library the layer stands in for sends, in a function's body (or the layer, once
an earlier run routed it)."""
PATH_PARAMETERS = frozenset({"path", "endpoint", "url", "uri", "resource", "route", "suffix", "subpath", "api_path"})
"""The names a parameter holding the path or URL a function sends to goes by."""
_SIGNATURE = re.compile(r"\(([^)]*)\)")
_TOP_CLASS = re.compile(r"^class[ \t]+([A-Za-z_]\w*)[^\n]*\n((?:(?:[ \t]+[^\n]*)?\n)*)", re.MULTILINE)
_SELF_SESSION = re.compile(r"^[ \t]+self\.\w+[ \t]*=[ \t]*(?:[^#\n]*\bor[ \t]+)?" + _SESSION_MADE, re.MULTILINE)
"""A session an object makes for itself (`self.session = requests.Session()`, `= session or requests.Session()`)."""
_METHOD = re.compile(r"^[ \t]+(?:async[ \t]+)?def[ \t]+\w+", re.MULTILINE)
_MAKING_OR_SENDING = (
    "Session",
    "session",
    "Client",
    "PoolManager",
    "requests.",
    "httpx.",
    "urlopen",
    "segment_compat.",
)
"""What a module making a session or sending a request spells, one of them at least."""


def module_sessions(source: str) -> dict[str, int]:
    """The sessions a module makes for others, and the functions it sends their requests through,
    each with its line: the names it binds at its top level to a session (`session =
    requests.Session()`), its top-level functions that make one and return it (`def
    make_session(token): s = requests.Session(); ...; return s`, or yield it, as a context manager
    does), its session classes (`class RetrySession(requests.Session):`), and its top-level
    functions sending to a URL they are handed (`def get_json(url, headers=None):` calling
    `requests.get(url, ...)`, an HTTP helper module's retries and error handling)."""
    if not any(word in source for word in _MAKING_OR_SENDING):
        return {}
    made = {found.group(1): source.count("\n", 0, found.start()) + 1 for found in SHARED_SESSION.finditer(source)}
    made.update({found.group(1): source.count("\n", 0, found.start()) + 1 for found in _SESSION_CLASS.finditer(source)})
    for client in _TOP_CLASS.finditer(source):
        body = client.group(2)
        handed = any(_sends_what_it_is_handed(body[method.start() :]) for method in _METHOD.finditer(body))
        if handed and (_SENT.search(body) or _SELF_SESSION.search(body)):
            made.setdefault(client.group(1), source.count("\n", 0, client.start()) + 1)
    for function in _TOP_FUNCTION.finditer(source):
        body = function.group(2)
        bound = {found.group(1) or found.group(2) for found in _BOUND_SESSION.finditer(body)}
        on_own = any(re.search(rf"(?<![\w.]){name}\.(?:{_VERBS})\(", body) for name in bound)
        if (on_own or _SENT.search(body)) and _sends_what_it_is_handed(function.group(0)):
            made[function.group(1)] = source.count("\n", 0, function.start()) + 1
            continue
        if _RETURNED_SESSION.search(body) or any(
            re.search(rf"^[ \t]+(?:return|yield)[ \t]+{name}[ \t]*(?:#[^\n]*)?$", body, re.MULTILINE) for name in bound
        ):
            made[function.group(1)] = source.count("\n", 0, function.start()) + 1
    return made


def _sends_what_it_is_handed(function: str) -> bool:
    """Whether a function's signature (the first in `function`) has a parameter named for a URL or
    path (`url`, `endpoint`): a method of a client class handed one (`def request(self, method, url)`)."""
    signature = _SIGNATURE.search(function)
    names = re.findall(r"([A-Za-z_]\w*)\s*(?:[:=,]|$)", signature.group(1)) if signature is not None else []
    return any(name.lower() in PATH_PARAMETERS for name in names)


def imported_pairs(source: str) -> frozenset[str]:
    """`module.name` of each name a `from module import name` binds (a relative module written
    without its dots): what a module imports, to be matched against the tail of a dotted name."""
    if "import" not in source:
        return frozenset()
    return frozenset(
        statement.dotted(name)
        for statement in from_imports(source)
        if statement.module.strip(".")
        for name in statement.names
    )


@dataclass(frozen=True)
class SharedSessions:
    """The sessions modules of the repository make at their top level (`pkg.http.session`) that a
    Config API client of the repository imports and sends its requests on: the layer must make them
    where they are made, though that module names no Config URL."""

    dotted: frozenset[str] = frozenset()

    def defined_in(self, module: str) -> frozenset[str]:
        """The names of those sessions that the module (dotted) binds."""
        return frozenset(name.rsplit(".", 1)[1] for name in self.dotted if name.rsplit(".", 1)[0] == module)

    def imported(self, aliases: dict[str, str]) -> frozenset[str]:
        """How a module reads those it imports: the local name (`session` of `from .http import
        session`), or the module's and the name (`http.session` of `from pkg import http`)."""
        found: set[str] = set()
        for local, target in aliases.items():
            for dotted in self.dotted:
                module, name = dotted.rsplit(".", 1)
                if dotted == target or dotted.endswith("." + target):
                    found.add(local)
                elif module == target or module.endswith("." + target):
                    found.add(f"{local}.{name}")
        return frozenset(found)


def shared_sessions(
    defined: Iterable[tuple[str, frozenset[str]]], importers: Iterable[tuple[frozenset[str], Callable[[], bool]]]
) -> SharedSessions:
    """Of the sessions `defined` ((module, names) of each module making one at its top level), those
    a Config client imports. `importers`: each module's `imported_pairs`, with whether it is a Config
    client (asked only of a module importing one of them: it may read its text again). A module is
    matched by the tail it is imported as (`http.session` of `pkg.http.session`), as constants are."""
    by_tail = {
        tail: f"{module}.{name}" for module, names in defined for name in names for tail in tails(f"{module}.{name}", 2)
    }
    wanted: set[str] = set()
    for imported, is_client in importers if by_tail else ():
        hit = {by_tail[tail] for tail in imported if tail in by_tail} - wanted
        if hit and is_client():
            wanted |= hit
    return SharedSessions(frozenset(wanted))


def sessions_imported_beside(path: Path, source: str) -> SharedSessions:
    """The top-level sessions of the repository's modules that one module imports (`from .http
    import session`), found by reading the modules its imports name beside it on disk: what a file
    judged alone (`migrate scan`) knows of `SharedSessions` without the whole repository read."""
    return SharedSessions(
        frozenset(f"{module_name(target)}.{name}" for target, name, _line in session_modules(path, source))
    )


def session_modules(
    path: Path, source: str, sessions_of: Callable[[Path], dict[str, int]] | None = None
) -> Iterator[tuple[Path, str, int]]:
    """(the module's file, the name, its line) of each top-level session of another module of the
    repository that this module imports by name. `sessions_of` reads a module's `module_sessions`
    (to remember them over a run); by default each is read from disk."""
    root = import_root(path.parent)
    for statement in from_imports(source) if "import" in source else ():
        dots = len(statement.module) - len(statement.module.lstrip("."))
        parts = [part for part in statement.module.lstrip(".").split(".") if part]
        if not parts:
            continue
        base = path.parent
        for _ in range(max(dots - 1, 0)):
            base = base.parent
        target = (base if dots else root).joinpath(*parts).with_suffix(".py")
        names = {name.name for name in statement.names}
        for name, line in (sessions_of or sessions_on_disk)(target).items():
            if name in names:
                yield target, name, line


def sessions_on_disk(path: Path) -> dict[str, int]:
    try:
        return module_sessions(path.read_text(encoding="utf-8", errors="replace")) if path.is_file() else {}
    except OSError:
        return {}


def sessions_signature(path: Path, source: str, sessions_of: Callable[[Path], dict[str, int]]) -> bytes:
    """What a module's verdicts take from the sessions other modules make for it (which, and where):
    part of its cache key, so a change there is never served from the cache."""
    return "\0".join(
        f"{target}:{name}:{line}" for target, name, line in session_modules(path, source, sessions_of)
    ).encode()
