"""What the modules of a repository give each other (`migrator.repository`), and what scan says of
the code apply routed through the compatibility layer."""

from __future__ import annotations

import json
from pathlib import Path

from codemods.engine import ApplyOptions, apply
from migrator.repository import (
    ConfigConstants,
    config_constants,
    from_imports,
    import_root,
    import_words,
    imported_modules,
    module_name,
    module_sessions,
)

from .helpers import run_cli


def _tree(root: Path, files: dict[str, str]) -> list[tuple[Path, str]]:
    made = []
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        made.append((path, text))
    return made


def test_constants_are_named_by_their_module_within_its_packages(tmp_path: Path):
    files = _tree(
        tmp_path,
        {
            "kit/__init__.py": "",
            "kit/settings/__init__.py": "",
            "kit/settings/hosts.py": 'HOST = "https://platform.segmentapis.com"\nOTHER = "https://example.com"\n',
            "scripts/paths.py": "REGULATIONS: str = 'v1beta/workspaces/{}/regulations'\n",
            "docs/notes.py": '"""The Config host."""\nTEXT = "see platform.segmentapis.com"\n',
        },
    )
    found = config_constants(files)
    assert found.dotted == {"kit.settings.hosts.HOST", "paths.REGULATIONS"}
    assert found.names == {"HOST", "REGULATIONS"}
    assert import_root(tmp_path / "kit" / "settings") == tmp_path
    assert module_name(tmp_path / "kit" / "settings" / "__init__.py") == "kit.settings"


def test_an_import_stands_for_a_constant_whether_absolute_or_relative():
    constants = ConfigConstants.of({"kit.settings.hosts.HOST"})
    aliases = {
        "HOST": "hosts.HOST",  # from .hosts import HOST
        "H": "kit.settings.hosts.HOST",  # from kit.settings.hosts import HOST as H
        "requests": "requests",
        "OTHER": "hosts.OTHER",
        "HOSTS": "HOST",  # a module named HOST: not the constant
    }
    assert constants.imported(aliases) == {"HOST", "H"}
    assert constants.named_in("print(HOST)") and not constants.named_in("print(host)")


def test_scan_lists_every_use_of_the_layer_and_never_reads_the_layer_itself(tmp_path: Path):
    _tree(
        tmp_path,
        {
            "client.py": (
                "import segment_compat\n\n\ndef send(verb, url, **options):\n"
                "    return segment_compat.request(verb, url, **options)\n"
            ),
            "segment_compat/__init__.py": 'BASE = "https://platform.segmentapis.com/v1beta"\n',
        },
    )
    done = run_cli("scan", str(tmp_path), "--format", "json", "--no-cache")
    findings = json.loads(done.stdout)["findings"]
    assert [(Path(f["file"]).name, f["line"], f["kind"]) for f in findings] == [("client.py", 5, "compat")]
    assert "segment_compat.request" in findings[0]["message"]


SCRIPT = """\
import requests

API = "https://platform.segmentapis.com/v1beta"


def label(source):
    return source["display_name"]


if __name__ == "__main__":
    for source in requests.get(f"{API}/workspaces/acme/sources").json()["sources"]:
        print(label(source))
"""


def test_a_script_another_module_imports_is_told_apart_whatever_the_import_form(tmp_path: Path):
    files = _tree(
        tmp_path,
        {
            "tools/__init__.py": "",
            "tools/graph.py": SCRIPT,
            "tools/alone.py": SCRIPT,
            "tools/report.py": "from . import graph\n",
            "tools/later.py": "from . import (\n    json_out,\n    alone,  # the quiet one\n)\n",
            "notes.py": "# graph and alone are scripts\nimport json\n",
        },
    )
    scripts = [tmp_path / "tools" / "graph.py", tmp_path / "tools" / "alone.py"]
    imports = [(path, import_words(text)) for path, text in files]
    imported = {str(tmp_path / "tools" / "graph.py"), str(tmp_path / "tools" / "alone.py")}
    assert imported_modules(imports, scripts) == imported  # `alone` on the second line of its import


def test_apply_follows_an_answer_into_a_scripts_function_only_when_no_other_module_imports_it(tmp_path: Path):
    _tree(tmp_path, {"graph.py": SCRIPT, "alone.py": SCRIPT, "report.py": "import graph\n\nprint(graph.label)\n"})
    outcomes = {Path(o.path).name: o for o in apply([tmp_path], ApplyOptions(), jobs=1).outcomes}
    assert 'return source["name"]' in outcomes["alone.py"].new_source
    assert outcomes["alone.py"].moved_calls == 1
    imported = outcomes["graph.py"]
    assert imported.moved_calls == 0 and 'return source["display_name"]' in imported.new_source


def test_a_notebook_importing_a_script_makes_its_functions_contracts(tmp_path: Path):
    """A notebook's cells calling a script's function are callers the script cannot see: the
    script's answers are followed no further than they are when a module imports it."""
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": ["import graph\n"]}
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    notebook_text = json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    _tree(tmp_path, {"graph.py": SCRIPT, "alone.py": SCRIPT, "explore.ipynb": notebook_text})
    outcomes = {Path(o.path).name: o for o in apply([tmp_path], ApplyOptions(), jobs=1).outcomes}
    assert outcomes["alone.py"].moved_calls == 1
    assert outcomes["graph.py"].moved_calls == 0


def test_a_setting_that_defaults_to_the_config_url_is_a_constant_its_importers_use(tmp_path: Path):
    """`CONFIG_API = os.environ.get("SEGMENT_API", "https://platform.segmentapis.com/v1beta")`: the
    Config URL wherever the variable is unset. The module importing it is a Config client: scan
    reports the import, and apply routes its calls through the layer."""
    files = _tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/settings.py": (
                "import os\n\n"
                'CONFIG_API = os.environ.get("SEGMENT_API", "https://platform.segmentapis.com/v1beta")\n'
                "TIMEOUT = os.getenv('TIMEOUT', '30')\n"
            ),
            "app/report.py": (
                "import requests\n\nfrom .settings import CONFIG_API\n\n\n"
                "def sources():\n"
                '    return requests.get(f"{CONFIG_API}/workspaces/acme/sources").json()["sources"]\n'
            ),
        },
    )
    assert config_constants(files).dotted == {"app.settings.CONFIG_API"}
    found = json.loads(run_cli("scan", str(tmp_path), "--format", "json", "--no-cache").stdout)["findings"]
    report = str(tmp_path / "app" / "report.py")
    assert (report, 3, "base_url") in {(f["file"], f["line"], f["kind"]) for f in found}
    [call] = [f for f in found if f["file"] == report and f["kind"] == "call"]
    assert (call["line"], call["endpoint"], call["fixability"]) == (7, "sources.list", "auto")
    assert "compatibility layer" in call["reason"]
    outcomes = {Path(o.path).name: o for o in apply([tmp_path], ApplyOptions(), jobs=1).outcomes}
    assert 'segment_compat.get(f"{CONFIG_API}/workspaces/acme/sources")' in outcomes["report.py"].new_source


def test_from_imports_reads_statements_over_several_lines_with_their_aliases():
    source = (
        "import os\n"
        "from .constants import (\n    CONFIG_URL,  # the base, TIMEOUT\n    TIMEOUT as WAIT,\n)\n"
        "from kit.urls import a, b as c\n"
        "if True:\n    from kit.more import d, \\\n        e\n"
    )
    found = [
        (statement.module, statement.first_line, statement.last_line, statement.indent, names)
        for statement in from_imports(source)
        for names in [[(name.name, name.local, name.line, name.column) for name in statement.names]]
    ]
    assert found == [
        (".constants", 2, 5, "", [("CONFIG_URL", "CONFIG_URL", 3, 5), ("TIMEOUT", "WAIT", 4, 5)]),
        ("kit.urls", 6, 6, "", [("a", "a", 6, 22), ("b", "c", 6, 25)]),
        ("kit.more", 8, 9, "    ", [("d", "d", 8, 26), ("e", "e", 9, 9)]),
    ]


SETTINGS_DICT_PY = """import os

SEGMENT = {
    "API_ROOT": os.environ.get("SEGMENT_API_ROOT", "https://platform.segmentapis.com"),
    "VERSION": "v1beta",
    "WORKSPACE": os.environ.get("SEGMENT_WORKSPACE", "acme"),
    "TIMEOUT": 30,
}
CACHE = {"BACKEND": "redis", "URL": "redis://localhost"}
"""
REGULATIONS_PY = """import requests

from conf.settings import SEGMENT


def _url(*parts):
    return "%s/%s/workspaces/%s/%s" % (SEGMENT["API_ROOT"], SEGMENT["VERSION"], SEGMENT["WORKSPACE"], "/".join(parts))


def status(regulate_id):
    return requests.get(_url("regulations", regulate_id)).json()["overall_status"]
"""


def test_a_settings_dict_holding_the_config_host_is_read_by_the_apps_importing_it(tmp_path: Path):
    """Django-style settings (`SEGMENT = {"API_ROOT": ..., "VERSION": "v1beta"}`) in a package of
    their own, read by another package's URL builder: the dict is a constant of the repository model
    (its string entries, an `os.environ.get` default among them); the importer's call has its
    endpoint, and apply routes it through the layer."""
    files = _tree(
        tmp_path,
        {
            "conf/__init__.py": "",
            "conf/settings.py": SETTINGS_DICT_PY,
            "app/__init__.py": "",
            "app/regulations.py": REGULATIONS_PY,
        },
    )
    constants = config_constants(files)
    assert constants.dotted == {"conf.settings.SEGMENT"}
    assert dict(constants.tables)["SEGMENT"] == "{local} = " + repr(
        {"API_ROOT": "https://platform.segmentapis.com", "VERSION": "v1beta", "WORKSPACE": "acme"}
    )
    found = json.loads(run_cli("scan", str(tmp_path), "--format", "json", "--no-cache").stdout)["findings"]
    [call] = [f for f in found if f["file"].endswith("regulations.py") and f["kind"] == "call"]
    assert (call["line"], call["method"], call["endpoint"], call["fixability"]) == (
        11,
        "GET",
        "regulations.get",
        "auto",
    )
    outcomes = {Path(o.path).name: o for o in apply([tmp_path], ApplyOptions(), jobs=1).outcomes}
    assert 'segment_compat.get(_url("regulations", regulate_id))' in outcomes["regulations.py"].new_source


def test_no_op_a_settings_dict_without_a_config_url(tmp_path: Path):
    files = _tree(tmp_path, {"conf/__init__.py": "", "conf/settings.py": SETTINGS_DICT_PY.replace("v1beta", "v2")})
    other = [(path, text.replace("platform.segmentapis.com", "api.example.com")) for path, text in files]
    assert config_constants(other).dotted == frozenset()


def test_no_op_a_settings_dict_of_another_vendors_v1beta_api(tmp_path: Path):
    """`{"root": "https://generativelanguage.example.com", "version": "v1beta"}`: a version alone is
    any vendor's; only a dict holding the Config host is a Config constant."""
    text = 'GEMINI = {"root": "https://generativelanguage.example.com", "version": "v1beta"}\n'
    assert config_constants(_tree(tmp_path, {"conf/__init__.py": "", "conf/settings.py": text})).dotted == frozenset()


SETTINGS_CLASS_PY = """from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    segment_api_url: str = "https://platform.segmentapis.com/v1beta"
    segment_workspace: str = "acme"
    timeout: int = 10


settings = Settings()
"""
SETTINGS_READER_PY = """import httpx

from .config import settings


def sources():
    url = f"{settings.segment_api_url}/workspaces/{settings.segment_workspace}/sources"
    return httpx.get(url).json()["sources"]
"""


def test_a_settings_instance_whose_class_holds_the_config_host_is_read_by_its_importers(tmp_path: Path):
    """pydantic's `BaseSettings` (or a dataclass): `settings = Settings()`, the class's field defaults
    the Config URL. The module reading `settings.segment_api_url` is a Config client: scan reports its
    request with the endpoint, apply routes it through the layer."""
    files = _tree(
        tmp_path, {"svc/__init__.py": "", "svc/config.py": SETTINGS_CLASS_PY, "svc/api.py": SETTINGS_READER_PY}
    )
    constants = config_constants(files)
    assert constants.dotted == {"svc.config.settings"}
    found = json.loads(run_cli("scan", str(tmp_path), "--format", "json", "--no-cache").stdout)["findings"]
    [call] = [f for f in found if f["file"].endswith("api.py") and f["kind"] == "call"]
    assert (call["line"], call["endpoint"], call["fixability"]) == (8, "sources.list", "auto")
    outcomes = {Path(o.path).name: o for o in apply([tmp_path], ApplyOptions(), jobs=1).outcomes}
    assert "segment_compat.httpx_get(url)" in outcomes["api.py"].new_source


def test_the_sessions_a_module_makes_for_others():
    """A top-level session, a top-level function returning (or yielding) the session it makes, and a
    session class count, and so does a function sending to the URL it is handed on a session of its
    own; a session made in a class does not."""
    source = (
        "import requests\n\n"
        "session = requests.Session()\n\n\n"
        "def make(token):\n"
        "    made = requests.Session()\n"
        '    made.headers["Authorization"] = token\n'
        "    return made\n\n\n"
        "def fetch(url):\n"
        "    own = requests.Session()\n"
        "    return own.get(url).json()\n\n\n"
        "class Holder:\n"
        "    session = requests.Session()\n\n\n"
        "class Retrying(requests.Session):\n"
        "    pass\n\n\n"
        "@contextmanager\n"
        "def opened():\n"
        "    with requests.Session() as made:\n"
        "        yield made\n"
    )
    assert module_sessions(source) == {"session": 3, "make": 6, "fetch": 12, "Retrying": 21, "opened": 26}


def test_the_functions_a_module_sends_others_requests_through():
    """A top-level function handed a URL or path (`url`, `endpoint`) that sends with requests, httpx
    or urllib; not one sending a URL of its own."""
    source = (
        "import requests\n"
        "from urllib.request import urlopen\n\n\n"
        "def get_json(url, headers=None):\n"
        "    return requests.get(url, headers=headers).json()\n\n\n"
        "def call(method, endpoint, **kwargs):\n"
        "    return requests.request(method, BASE + endpoint, **kwargs)\n\n\n"
        "def read(url):\n"
        "    return urlopen(url).read()\n\n\n"
        "def ping():\n"
        '    return requests.get("https://status.example.com").ok\n'
    )
    assert module_sessions(source) == {"get_json": 5, "call": 9, "read": 13}


def test_the_client_classes_a_module_sends_others_requests_through():
    """A class making its own session, with a method handed a URL; not one handed no URL."""
    source = (
        "import requests\n\n\n"
        "class HttpClient:\n"
        "    def __init__(self, token, session=None):\n"
        "        self.session = session or requests.Session()\n\n"
        "    def request(self, method, url, **kwargs):\n"
        "        return self.session.request(method, url, **kwargs)\n\n\n"
        "class Status:\n"
        "    def __init__(self):\n"
        "        self.session = requests.Session()\n\n"
        "    def ok(self):\n"
        '        return self.session.get("https://status.example.com").ok\n'
    )
    assert module_sessions(source) == {"HttpClient": 4}


def test_functions_returning_a_config_url_are_read_as_its_constants_are(tmp_path: Path):
    """`sources_url` returns a URL built on another function of the module built on the base: the
    module's importers build their requests on the Config API. A function sending the request, or
    one building another service's URL, is none."""
    urls = (
        'BASE = "https://platform.segmentapis.com/v1beta"\n\n\n'
        'def workspace_url(ws):\n    return f"{BASE}/workspaces/{ws}"\n\n\n'
        'def sources_url(ws):\n    return workspace_url(ws) + "/sources"\n\n\n'
        "def sources(ws):\n    return requests.get(sources_url(ws)).json()\n\n\n"
        'def status_url():\n    return "https://status.example.com/api"\n'
    )
    constants = config_constants(_tree(tmp_path, {"kit/__init__.py": "", "kit/urls.py": urls}))
    assert {"kit.urls.workspace_url", "kit.urls.sources_url"} <= constants.dotted
    assert not {"kit.urls.sources", "kit.urls.status_url"} & constants.dotted
    assert constants.imported({"sources_url": "kit.urls.sources_url", "other": "kit.urls.status_url"}) == {
        "sources_url"
    }


def test_a_class_holding_the_config_url_is_known_to_the_modules_subclassing_it(tmp_path: Path):
    base = (
        'import requests\n\n\nclass Resource:\n    API = "https://platform.segmentapis.com/v1beta"\n\n\n'
        "class Plain:\n    pass\n"
    )
    constants = config_constants(_tree(tmp_path, {"kit/__init__.py": "", "kit/base.py": base}))
    assert constants.classes == {"kit.base.Resource"}
    subclass = "from .base import Resource\n\n\nclass Sources(Resource):\n    pass\n"
    assert constants.subclassed({"Resource": "base.Resource"}, subclass) == {"Resource"}
    assert (
        constants.subclassed({"Resource": "base.Resource"}, "from .base import Resource\n\nprint(Resource)\n") == set()
    )
