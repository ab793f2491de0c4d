"""Files that reach the Config API through a client beside them are found, though their own text
never names it; files elsewhere that merely share a method name are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.scan import scan_paths

CLIENT_GO = """package segment

const defaultBaseURL = "https://platform.segmentapis.com"

func (c *Client) doRequest(method, endpoint string) ([]byte, error) {
	req, err := http.NewRequest(method, defaultBaseURL+"/v1beta/"+endpoint, nil)
	resp, err := c.client.Do(req)
	return read(resp), err
}
"""
SOURCES_GO = """package segment

func (c *Client) ListSources() (Sources, error) {
	data, err := c.doRequest(http.MethodGet, fmt.Sprintf("%s/%s/%s", WorkspacesEndpoint, c.workspace, SourceEndpoint))
	return decode(data), err
}
"""
CONST_GO = """package segment

const (
	WorkspacesEndpoint = "workspaces"
	SourceEndpoint = "sources"
)
"""
CLIENT_PY = """import requests


class ConfigApi:
    def __init__(self, token, base_url="https://platform.segmentapis.com", version="v1beta"):
        self.base = f"{base_url}/{version}"
        self.token = token

    def send_request(self, verb, path, payload=None):
        return requests.request(verb, f"{self.base}/{path}", json=payload).json()
"""
MODEL_PY = """class Sources:
    def __init__(self, api, workspace):
        self.api = api
        self.path = f"workspaces/{workspace}/sources"

    def list(self):
        return self.api.send_request("GET", self.path)
"""


def findings_by_file(root: Path) -> dict[str, set[tuple[str, str]]]:
    result = scan_paths([root], jobs=1)
    found: dict[str, set[tuple[str, str]]] = {}
    for finding in result.findings:
        found.setdefault(Path(finding.file).relative_to(root).as_posix(), set()).add((finding.kind, finding.confidence))
    return found


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_a_go_package_using_its_client_and_the_path_words_it_builds_from(tmp_path: Path):
    write(tmp_path, {"segment/client.go": CLIENT_GO, "segment/sources.go": SOURCES_GO, "segment/const.go": CONST_GO})
    found = findings_by_file(tmp_path)
    assert ("call", "medium") in found["segment/sources.go"]
    assert ("url", "medium") in found["segment/const.go"]


def test_a_python_model_calling_the_clients_chokepoint(tmp_path: Path):
    write(
        tmp_path,
        {
            "kit/__init__.py": "",
            "kit/client.py": CLIENT_PY,
            "kit/models/__init__.py": "",
            "kit/models/sources.py": MODEL_PY,
        },
    )
    assert ("call", "medium") in findings_by_file(tmp_path)["kit/models/sources.py"]


def test_no_op_the_same_method_name_in_another_go_package(tmp_path: Path):
    write(
        tmp_path,
        {
            "segment/client.go": CLIENT_GO,
            "billing/sources.go": SOURCES_GO.replace("package segment", "package billing"),
        },
    )
    assert "billing/sources.go" not in findings_by_file(tmp_path)


def test_no_op_the_http_librarys_own_request_function(tmp_path: Path):
    client = 'const request = (path) => https.request({host: "platform.segmentapis.com", path: "/v1beta/" + path})\n'
    other = "const req = https.request(options, (res) => res.pipe(process.stdout))\n"
    write(tmp_path, {"lib/client.js": client, "lib/other.js": other})
    assert "lib/other.js" not in findings_by_file(tmp_path)


def test_no_op_a_repository_without_a_config_client(tmp_path: Path):
    write(tmp_path, {"segment/sources.go": SOURCES_GO, "segment/const.go": CONST_GO})
    assert findings_by_file(tmp_path) == {}


def test_a_python_module_importing_a_config_url_another_module_defines(tmp_path: Path):
    write(
        tmp_path,
        {
            "kit/__init__.py": "",
            "kit/constants.py": 'CONFIG_URL = "https://platform.segmentapis.com/v1beta"\n',
            "kit/report.py": "import requests\nfrom .constants import CONFIG_URL\n\n"
            'def sources(ws):\n    return requests.get(CONFIG_URL + "/workspaces/" + ws + "/sources").json()\n',
            "kit/other.py": "from .settings import CONFIG_URL\n",
        },
    )
    found = findings_by_file(tmp_path)
    assert ("base_url", "medium") in found["kit/report.py"]
    assert "kit/other.py" not in found  # a name alike, imported from a module that does not define it


def test_a_module_importing_config_constants_over_several_lines_gets_its_calls(tmp_path: Path):
    """`from .constants import (\n    CONFIG_URL as BASE,\n    TIMEOUT,\n)`: each call built on the
    constant is found with its endpoint and its own line, as with a one-line import."""
    write(
        tmp_path,
        {
            "kit/__init__.py": "",
            "kit/constants.py": 'CONFIG_URL = "https://platform.segmentapis.com/v1beta"\nTIMEOUT = 10\n',
            "kit/report.py": "import requests\n\n"
            "from .constants import (\n    CONFIG_URL as BASE,\n    TIMEOUT,\n)\n\n\n"
            "def sources(ws):\n"
            '    return requests.get(BASE + "/workspaces/" + ws + "/sources", timeout=TIMEOUT).json()\n',
        },
    )
    found = {
        (f.line, f.kind, f.endpoint) for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("report.py")
    }
    assert found == {(4, "base_url", None), (10, "call", "sources.list")}


@pytest.mark.parametrize("imported", ["from kit import settings", "import kit.settings as settings"])
def test_a_module_reading_config_constants_through_the_module_it_imports_gets_its_calls(tmp_path: Path, imported: str):
    """`from kit import settings`, then `settings.CONFIG_URL`: the module and each call built on the
    constant are found; a module imported whole whose constants are not read is not."""
    write(
        tmp_path,
        {
            "kit/__init__.py": "",
            "kit/settings.py": 'CONFIG_URL = "https://platform.segmentapis.com/v1beta"\nTIMEOUT = 10\n',
            "kit/report.py": f"import requests\n\n{imported}\n\n\n"
            "def sources(ws):\n"
            '    return requests.get(settings.CONFIG_URL + "/workspaces/" + ws + "/sources").json()\n',
            "kit/timeouts.py": "from . import settings\n\nLIMIT = settings.TIMEOUT * 2  # CONFIG_URL unused\n",
        },
    )
    found = scan_paths([tmp_path], jobs=1).findings
    report = {(f.line, f.kind, f.endpoint) for f in found if f.file.endswith("report.py")}
    assert report == {(3, "base_url", None), (7, "call", "sources.list")}
    assert not [f for f in found if f.file.endswith("timeouts.py")]


REGULATION_CLIENT_PY = """import requests

BASE = "https://platform.segmentapis.com/v1beta"


class RegulationApi:
    def __init__(self, token, workspace):
        self.token, self.workspace = token, workspace

    def _send(self, path, body):
        return requests.post(f"{BASE}/workspaces/{self.workspace}/{path}", json=body)

    def suppress_users(self, ids):
        body = {"regulation_type": "SUPPRESS", "attributes": {"name": "userId", "values": ids}}
        return self._send("regulations", body)

    def get(self, regulation):
        return self._send("regulations/" + regulation, None)
"""
SCRIPT_PY = """from kit.regulation import RegulationApi


def main(token, settings):
    api = RegulationApi(token, settings.get("workspace"))
    api.suppress_users(["u1"])
"""
UNRELATED_PY = """def workspace_of(settings):
    return settings.get("workspace")
"""


def test_a_script_calling_a_public_method_that_reaches_the_chokepoint(tmp_path: Path):
    """Callers use the client's public methods, which reach its private request function."""
    write(
        tmp_path,
        {
            "kit/__init__.py": "",
            "kit/regulation.py": REGULATION_CLIENT_PY,
            "kit/scripts/__init__.py": "",
            "kit/scripts/suppress.py": SCRIPT_PY,
            "kit/settings.py": UNRELATED_PY,
        },
    )
    found = findings_by_file(tmp_path)
    assert ("call", "medium") in found["kit/scripts/suppress.py"]
    assert "kit/settings.py" not in found  # `settings.get(...)`: a method named `get` is not followed


def test_a_module_constructing_the_client_class(tmp_path: Path):
    """A command line that builds the client and hands it on (a click context) uses it, whatever
    it then calls."""
    entry = """import click

from .regulation import RegulationApi


@click.group()
@click.pass_context
def cli(ctx):
    ctx.obj = {"api": RegulationApi(ctx.params["token"], "acme")}
"""
    write(tmp_path, {"kit/__init__.py": entry, "kit/regulation.py": REGULATION_CLIENT_PY})
    # Building the client sends nothing: it is the client's use, not a call site of its own.
    assert findings_by_file(tmp_path)["kit/__init__.py"] == {("client", "medium")}


CONTEXT_ENTRY = """import click

from .regulation import RegulationApi


@click.group()
@click.option("--token", envvar="SEGMENT_TOKEN")
@click.pass_context
def cli(ctx, token):
    ctx.ensure_object(dict)
    api = RegulationApi(token, "acme")
    ctx.obj["api"] = api
    ctx.obj["verbose"] = False
"""
CONTEXT_COMMANDS = """import click


@click.group()
@click.pass_context
def regulations(ctx):
    ctx.obj["regs"] = ctx.obj["api"]


@regulations.command()
@click.argument("user")
@click.pass_context
def suppress(ctx, user):
    if ctx.obj["verbose"]:
        click.echo(user)
    click.echo(ctx.obj["regs"].get(user).status_code)
"""


def test_commands_calling_the_client_a_click_context_holds(tmp_path: Path):
    """The command group stores the client in `ctx.obj`; a command module, naming neither the client
    nor the API, calls it through a key derived from that one."""
    write(
        tmp_path,
        {
            "kit/__init__.py": CONTEXT_ENTRY,
            "kit/regulation.py": REGULATION_CLIENT_PY,
            "kit/commands/__init__.py": "",
            "kit/commands/regulations.py": CONTEXT_COMMANDS,
        },
    )
    result = scan_paths([tmp_path], jobs=1)
    lines = [f.line for f in result.findings if f.file.endswith("commands/regulations.py")]
    assert lines == [16]  # the call; not the store (line 7), nor the plain setting read on line 14


def test_no_op_a_context_that_holds_no_config_client(tmp_path: Path):
    write(
        tmp_path,
        {
            "kit/__init__.py": CONTEXT_ENTRY.replace('RegulationApi(token, "acme")', "dict(token=token)"),
            "kit/regulation.py": REGULATION_CLIENT_PY,
            "kit/commands/__init__.py": "",
            "kit/commands/regulations.py": CONTEXT_COMMANDS,
        },
    )
    assert "kit/commands/regulations.py" not in findings_by_file(tmp_path)


CLIENT_TS = """import axios, { AxiosInstance } from "axios";

let instance: AxiosInstance | undefined;

export const configClient = (token?: string) => {
  if (!instance) {
    instance = axios.create({ baseURL: "https://platform.segmentapis.com/v1beta" });
  }
  return instance;
};
"""
RESOURCE_TS = """import { configClient } from "../client";

export async function readSource(name: string) {
  const client = configClient();
  return (await client.get(`workspaces/acme/sources/${name}`)).data;
}
"""


def test_a_module_in_another_folder_importing_the_client_by_a_relative_path(tmp_path: Path):
    """The client is an arrow function whose body opens with an `if`, in `src/client/index.ts`; the
    resource module in `src/source/` imports it as `../client` and calls it."""
    write(tmp_path, {"src/client/index.ts": CLIENT_TS, "src/source/resource.ts": RESOURCE_TS})
    assert ("call", "medium") in findings_by_file(tmp_path)["src/source/resource.ts"]


PROVIDER_TS = """import { configClient } from "../client";

export class SourceProvider {
  async create(inputs: Inputs) {
    const client: AxiosInstance = configClient();
    const response = await client.post<Source>(
      `/workspaces/${inputs.workspace}/sources`,
      { source: { name: `workspaces/${inputs.workspace}/sources/${inputs.name}` } }
    );
    return response.data;
  }
  async delete(id: string, props: Source) {
    const client = configClient();
    await client.delete(`/${props.name}`);
  }
  async check() {
    return configClient();
  }
}
"""


def test_the_requests_sent_through_a_client_an_imported_function_makes_are_each_a_call(tmp_path: Path):
    """Each request through the client object: its method, and its endpoint when its literal path
    names one (a path on the line after the verb). The resource name in the body is no request; the
    line that made the client is not a call when its requests are; a client made and returned is."""
    write(tmp_path, {"src/client/index.ts": CLIENT_TS, "src/source/provider.ts": PROVIDER_TS})
    found = [f for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("provider.ts")]
    assert {(f.line, f.kind, f.method, f.endpoint) for f in found} == {
        (6, "call", "POST", "sources.create"),
        (14, "call", "DELETE", None),
        (17, "call", None, None),
    }
    delete = next(f for f in found if f.line == 14)
    assert "the path `/${props.name}` names no endpoint the scan can tell" in delete.message


def test_no_op_a_relative_import_of_a_module_that_is_not_the_client(tmp_path: Path):
    write(
        tmp_path,
        {
            "src/client/index.ts": CLIENT_TS,
            "src/format/index.ts": "export const configClient = (x: string) => x.trim();\n",
            "src/source/resource.ts": RESOURCE_TS.replace("../client", "../format"),
        },
    )
    assert "src/source/resource.ts" not in findings_by_file(tmp_path)


def test_no_op_a_script_beside_the_client_with_its_own_function_of_that_name(tmp_path: Path):
    """A sibling script that copied the client's helper and points it at the Public API calls its
    own function, not the client's."""
    public = (
        'const axios = require("axios");\n'
        "const configClient = () => axios.create({ baseURL: 'https://api.segmentapis.com' });\n"
        "configClient().get('/sources');\n"
    )
    write(tmp_path, {"src/client/index.ts": CLIENT_TS, "src/client/public.ts": public})
    assert "src/client/public.ts" not in findings_by_file(tmp_path)


def test_a_go_call_gets_its_endpoint_from_the_format_and_the_packages_constants(tmp_path: Path):
    """`fmt.Sprintf("%s/%s/%s", WorkspacesEndpoint, c.workspace, SourceEndpoint)` over constants of
    another file, and a path built into a variable before the call."""
    update = (
        "package segment\n\n"
        "func (c *Client) UpdateSource(name string, body Source) ([]byte, error) {\n"
        '\tpath := fmt.Sprintf("%s/%s/%s/%s",\n\t\tWorkspacesEndpoint, c.workspace, SourceEndpoint, name)\n'
        "\treturn c.doRequest(http.MethodPatch, path, body)\n}\n\n"
        "func (c *Client) Rename(source Source) ([]byte, error) {\n"
        "\treturn c.doRequest(http.MethodPatch, source.Name, source)\n}\n"
    )
    write(
        tmp_path,
        {"segment/client.go": CLIENT_GO, "segment/sources.go": SOURCES_GO, "segment/const.go": CONST_GO}
        | {"segment/update.go": update},
    )
    found = scan_paths([tmp_path], jobs=1).findings
    calls = {
        (Path(f.file).name, f.line): (f.method, f.endpoint) for f in found if f.kind == "call" and f.language == "go"
    }
    assert calls[("sources.go", 4)] == ("GET", "sources.list")
    assert calls[("update.go", 6)] == ("PATCH", "sources.update")
    # A name taken from an answer, but of a value whose type names the object (`source Source`): the
    # one PATCH addressing a single source (a type named for no object gets the method only).
    assert calls[("update.go", 10)] == ("PATCH", "sources.update")


def test_a_go_call_with_a_literal_path_gets_its_endpoint_and_the_apis_root_is_said_to_be_none(tmp_path: Path):
    calls_go = (
        "package segment\n\n"
        "func (c *Client) Catalog() ([]byte, error) {\n"
        '\treturn c.doRequest(http.MethodGet, "catalog/destinations")\n}\n\n'
        "func (c *Client) Create(body Source) ([]byte, error) {\n"
        '\treturn c.doRequest("POST", `workspaces/acme/sources`)\n}\n'
    )
    test_go = (
        "package segment\n\n"
        "func Test_doRequest(t *testing.T) {\n"
        '\t_, err := client.doRequest(http.MethodGet, "/")\n'
        "\tassert.NoError(t, err)\n}\n"
    )
    write(tmp_path, {"segment/client.go": CLIENT_GO, "segment/calls.go": calls_go, "segment/client_test.go": test_go})
    found = scan_paths([tmp_path], jobs=1).findings
    by_line = {(Path(f.file).name, f.line): f for f in found if f.language == "go" and f.kind in ("call", "test")}
    assert (by_line[("calls.go", 4)].method, by_line[("calls.go", 4)].endpoint) == ("GET", "catalog_destinations.list")
    assert (by_line[("calls.go", 8)].method, by_line[("calls.go", 8)].endpoint) == ("POST", "sources.create")
    root = by_line[("client_test.go", 4)]
    assert (root.method, root.endpoint) == ("GET", None)
    assert "the path `/` is the API's root, no endpoint of it (a test of the client's" in root.message


STRUCT_SENDER_GO = """package api

type Api struct {
\tbase  string
\ttoken string
\tws    string
}

func New(token, ws string) *Api {
\treturn &Api{base: "https://platform.segmentapis.com/v1beta", token: token, ws: ws}
}

type Call struct {
\tpath  string
\tverb  string
\tinto  interface{}
}

func (call *Call) Send(api *Api) error {
\tif !strings.HasPrefix(call.path, "workspaces/") {
\t\tcall.path = fmt.Sprintf("workspaces/%s/%s", api.ws, call.path)
\t}
\treq, err := http.NewRequest(call.verb, api.base+"/"+call.path, nil)
\tif err != nil {
\t\treturn err
\t}
\t_, err = http.DefaultClient.Do(req)
\treturn err
}
"""
STRUCT_CALLS_GO = """package api

func (api *Api) Sources() error {
\tcall := Call{
\t\tpath: "sources",
\t\tinto: new(Sources),
\t}
\treturn call.Send(api)
}

func (api *Api) RemoveDestination(source, name string) error {
\tcall := Call{path: "sources/" + source + "/destinations/" + name, verb: http.MethodDelete}
\treturn call.Send(api)
}

func (api *Api) Filters(source, destination string) error {
\tcall := &Call{verb: "GET"}
\tcall.path = fmt.Sprintf("workspaces/%s/sources/%s/destinations/%s/filters", api.ws, source, destination)
\treturn call.Send(api)
}

func (api *Api) Anything(path string) error {
\tcall := Call{path: path, verb: http.MethodPost}
\treturn call.Send(api)
}
"""


def test_a_go_request_struct_is_read_through_the_method_that_sends_it(tmp_path: Path):
    """`call := Call{path: "sources"}` then `call.Send(api)`: the path field and the verb field are
    the ones `Send` passes to `http.NewRequest` (no verb: GET), and the prefix `Send` adds to a path
    without one is added. A path the struct is handed whole keeps its method and no endpoint."""
    write(tmp_path, {"api/client.go": STRUCT_SENDER_GO, "api/calls.go": STRUCT_CALLS_GO})
    found = scan_paths([tmp_path], jobs=1).findings
    calls = {f.line: (f.method, f.endpoint) for f in found if f.kind == "call" and f.file.endswith("calls.go")}
    assert calls == {
        8: ("GET", "sources.list"),
        13: ("DELETE", "destinations.delete"),
        19: ("GET", "filters.list"),
        24: ("POST", None),
    }


CLIENT_CHOKEPOINT = """import requests


class Api:
    base = "https://platform.segmentapis.com/v1beta"

    def send(self, verb, path, body=None):
        return requests.request(verb, f"{self.base}/{path}", json=body).json()
"""
BASE_MODEL = """class Model:
    def __init__(self, api, path):
        self.api = api
        self.path = path

    def send(self, verb, suffix="", body=None):
        return self.api.send(verb, f"{self.path}{suffix}", body)
"""
WORKSPACE_MODELS = """from .model import Model
from .sources import Sources


class Workspaces(Model):
    def __init__(self, api):
        super().__init__(api, "workspaces")

    def workspace(self, slug):
        return Workspace(self, slug)


class Workspace(Model):
    def __init__(self, workspaces, slug):
        super().__init__(workspaces.api, f"{workspaces.path}/{slug}")

    def sources(self):
        return Sources(self)
"""
SOURCE_MODELS = """from .model import Model


class Sources(Model):
    def __init__(self, workspace):
        super().__init__(workspace.api, f"{workspace.path}/sources")

    def create(self, body):
        return self.send("POST", body=body)

    def source(self, slug):
        return Source(self, slug)


class Source(Model):
    def __init__(self, sources, slug):
        super().__init__(sources.api, f"{sources.path}/{slug}")

    def remove(self):
        return self.send("DELETE")

    def rename(self, suffix, body):
        return self.send("PATCH", suffix, body)
"""


def test_model_classes_call_their_own_path_built_through_their_parents(tmp_path: Path):
    files = {"kit/__init__.py": "", "kit/api.py": CLIENT_CHOKEPOINT, "kit/model.py": BASE_MODEL}
    write(tmp_path, files | {"kit/workspaces.py": WORKSPACE_MODELS, "kit/sources.py": SOURCE_MODELS})
    calls = {
        f.line: (f.method, f.endpoint)
        for f in scan_paths([tmp_path], jobs=1).findings
        if f.file.endswith("kit/sources.py") and f.kind == "call"
    }
    assert calls[9] == ("POST", "sources.create")
    assert calls[20] == ("DELETE", "sources.delete")
    assert calls[23] == ("PATCH", None), "a suffix the text does not spell: the method only"


def test_no_op_a_model_made_by_two_parents_has_no_path(tmp_path: Path):
    """`Sources(self)` built from a workspace and from something else: which path it has depends on
    the caller, so its calls keep their method and get no endpoint."""
    other = "from .sources import Sources\n\n\nclass Archive:\n    def sources(self):\n        return Sources(self)\n"
    files = {"kit/__init__.py": "", "kit/api.py": CLIENT_CHOKEPOINT, "kit/model.py": BASE_MODEL}
    write(tmp_path, files | {"kit/workspaces.py": WORKSPACE_MODELS, "kit/sources.py": SOURCE_MODELS})
    write(tmp_path, {"kit/archive.py": other})
    calls = {f.line: f.endpoint for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("kit/sources.py")}
    assert calls[9] is None and calls[20] is None


def test_a_parent_model_that_is_never_made_does_not_count(tmp_path: Path):
    """A leftover model class that also makes `Sources` is itself made nowhere: its construction
    never runs, so `Sources` keeps the one path its live parent gives it."""
    leftover = (
        "from .model import Model\nfrom .sources import Sources\n\n\nclass Archive(Model):\n"
        "    def __init__(self, workspace):\n"
        '        super().__init__(workspace.api, f"{workspace.path}/archive")\n\n'
        "    def sources(self):\n        return Sources(self)\n"
    )
    files = {"kit/__init__.py": "", "kit/api.py": CLIENT_CHOKEPOINT, "kit/model.py": BASE_MODEL}
    write(tmp_path, files | {"kit/workspaces.py": WORKSPACE_MODELS, "kit/sources.py": SOURCE_MODELS})
    write(tmp_path, {"kit/archive.py": leftover})
    calls = {f.line: f.endpoint for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("kit/sources.py")}
    assert calls[9] == "sources.create"


def test_a_model_never_made_says_so_instead_of_an_endpoint(tmp_path: Path):
    """No model makes `Sources`: its requests have no path, and the finding says why."""
    files = {"kit/__init__.py": "", "kit/api.py": CLIENT_CHOKEPOINT, "kit/model.py": BASE_MODEL}
    unmade = WORKSPACE_MODELS.replace("return Sources(self)", "return None")
    write(tmp_path, files | {"kit/workspaces.py": unmade, "kit/sources.py": SOURCE_MODELS})
    found = {f.line: f for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("kit/sources.py")}
    assert found[9].endpoint is None and found[9].method == "POST"
    assert "`Sources` is never made from a parent model" in found[9].message


def test_a_suffix_glued_to_the_models_path_without_a_slash_is_named_not_guessed(tmp_path: Path):
    """`Model.send` joins its path and a suffix as they are: `'schema-config'` (spelled in the call,
    or bound to a name first) glued to a source's slug makes one segment of both, a request for
    another source. The finding keeps its method, no endpoint, and says which the `/` would give."""
    glued = SOURCE_MODELS + (
        "\n    def schema(self):\n        return self.send('GET', 'schema-config')\n"
        "\n    def set_schema(self, body):\n        path = 'schema-config'\n"
        "        return self.send('PATCH', path, body)\n"
        "\n    def slashed(self):\n        return self.send('GET', '/schema-config')\n"
    )
    files = {"kit/__init__.py": "", "kit/api.py": CLIENT_CHOKEPOINT, "kit/model.py": BASE_MODEL}
    write(tmp_path, files | {"kit/workspaces.py": WORKSPACE_MODELS, "kit/sources.py": glued})
    found = {f.line: f for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("kit/sources.py")}
    for line, method in ((26, "GET"), (30, "PATCH")):
        assert (found[line].method, found[line].endpoint) == (method, None)
        assert "joins its path and `schema-config` without a `/`" in found[line].message
        assert f"{method} workspaces/{{workspace_slug}}/sources/{{source_slug}}/schema-config" in found[line].message
    assert found[33].endpoint == "schema_config.get", "with its own slash the suffix is a path of its own"


def test_no_op_a_chokepoint_forwarding_its_callers_request_has_no_endpoint_of_its_own(tmp_path: Path):
    """`Model.send(self, verb, suffix, ...)` passes its parameters on: the endpoints are its
    callers' (each model's request), and the finding says so instead of leaving it unexplained."""
    files = {"kit/__init__.py": "", "kit/api.py": CLIENT_CHOKEPOINT, "kit/model.py": BASE_MODEL}
    forwarding = BASE_MODEL.replace('f"{self.path}{suffix}"', "suffix")
    write(tmp_path, files | {"kit/model.py": forwarding, "kit/workspaces.py": WORKSPACE_MODELS})
    write(tmp_path, {"kit/sources.py": SOURCE_MODELS})
    found = [f for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("kit/model.py") and f.kind == "call"]
    assert [f.endpoint for f in found] == [None]
    assert "forwards the request its callers make of `send` (`verb` and `suffix`" in found[0].message


ROOT_CLIENT = """import requests

from .workspaces import Workspaces


class Api:
    base = "https://platform.segmentapis.com/v1beta"

    def send(self, verb, path, body=None):
        return requests.request(verb, f"{self.base}/{path}", json=body).json()

    def workspaces(self):
        return Workspaces(self)

    def workspace(self, slug):
        return self.workspaces().workspace(slug)
"""
GROUP = """import click

from kit.api import Api


@click.group()
@click.pass_context
def cli(ctx):
    api = Api()
    ctx.obj["api"] = api
    ctx.obj["workspace"] = api.workspace("acme")
"""
SOURCE_COMMANDS = """import click

from kit.group import cli


@cli.command()
@click.pass_context
def sources(ctx):
    ctx.obj["sources"] = ctx.obj["workspace"].sources()
    click.echo(ctx.obj["sources"].create({"source": {}}))
    ctx.obj["sources"].source("web").remove()
"""


def test_commands_calling_models_a_click_context_holds_get_their_endpoints(tmp_path: Path):
    """The object each context key holds is followed from the client the group constructs, through
    what its methods return, to the model whose request method the command calls."""
    files = {"kit/__init__.py": "", "kit/api.py": ROOT_CLIENT, "kit/model.py": BASE_MODEL}
    write(tmp_path, files | {"kit/workspaces.py": WORKSPACE_MODELS, "kit/sources.py": SOURCE_MODELS})
    write(tmp_path, {"kit/group.py": GROUP, "kit/commands.py": SOURCE_COMMANDS})
    calls = {f.line: f.endpoint for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("commands.py")}
    assert calls[10] == "sources.create"
    assert calls[11] == "sources.delete"


def test_a_property_called_as_a_method_is_named_as_the_reason_there_is_no_endpoint(tmp_path: Path):
    """`sources` is a property of `Workspace`: `.sources()` calls the `Sources` it gives, which fails
    before any request is sent. The command's finding says so rather than guessing an endpoint."""
    as_property = WORKSPACE_MODELS.replace("    def sources(self):", "    @property\n    def sources(self):")
    files = {"kit/__init__.py": "", "kit/api.py": ROOT_CLIENT, "kit/model.py": BASE_MODEL}
    write(tmp_path, files | {"kit/workspaces.py": as_property, "kit/sources.py": SOURCE_MODELS})
    write(tmp_path, {"kit/group.py": GROUP, "kit/commands.py": SOURCE_COMMANDS})
    found = {f.line: f for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("commands.py")}
    assert found[9].endpoint is None
    assert "`Workspace.sources` is a property, so `.sources(…)` calls the `Sources` it gives" in found[9].message


def test_a_context_key_stored_over_lines_and_a_method_sending_nothing(tmp_path: Path):
    """A key set by a chain continued with backslashes is followed like one on one line; a model
    method that sends nothing (it writes a file) is the client's use, not a call site."""
    base = BASE_MODEL + "\n    def save(self, folder):\n        open(folder + '/model.txt', 'w').write(self.path)\n"
    commands = """import click

from kit.group import cli


@cli.command()
@click.pass_context
def sources(ctx):
    ctx.obj["sources"] = ctx.obj["workspace"] \\
        .sources()
    click.echo(ctx.obj["sources"].create({"source": {}}))
    ctx.obj["sources"].save("out")
"""
    files = {"kit/__init__.py": "", "kit/api.py": ROOT_CLIENT, "kit/model.py": base}
    write(tmp_path, files | {"kit/workspaces.py": WORKSPACE_MODELS, "kit/sources.py": SOURCE_MODELS})
    write(tmp_path, {"kit/group.py": GROUP, "kit/commands.py": commands})
    found = {f.line: f for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("commands.py")}
    assert (found[11].kind, found[11].endpoint) == ("call", "sources.create")
    assert found[12].kind == "client" and "`save` sends no request" in found[12].message


def test_calls_of_the_go_client_librarys_methods_name_their_endpoints():
    """A Terraform provider on segment-config-go: each method call sends the endpoint the library's
    own code sends (the map's `go_client_methods`)."""
    from migrator.scan.text import scan_text

    provider = (
        "package provider\n\n"
        'import "github.com/someone/segment-config-go/segment"\n\n'
        "func read(client *segment.Client, name string) error {\n"
        "\t_, err := client.GetSource(name)\n"
        "\tclient.DeleteTrackingPlanSourceConnection(plan, name)\n"
        "\t// client.DeleteSource(name)\n"
        "\treturn err\n}\n"
    )
    found = {(f.line, f.endpoint) for f in scan_text("provider.go", provider) if f.kind == "wrapper"}
    assert found == {(3, None), (6, "sources.get"), (7, "source_connections.delete")}


def test_no_op_the_same_method_names_without_the_library_imported():
    from migrator.scan.text import scan_text

    other = 'package store\n\nimport "example.com/segment/store"\n\nfunc f(c *store.Client) { c.GetSource("x") }\n'
    assert [f for f in scan_text("store.go", other) if f.kind == "wrapper"] == []


def test_a_module_importing_a_class_that_holds_the_config_base(tmp_path: Path):
    """`class BaseClient: BASE = "https://platform..."` in one module, `class Sources(BaseClient)`
    in another building `f"{self.BASE}/workspaces/..."`: the second module's request is found, read
    with the class it builds on. A module importing another class of the same module is not."""
    write(
        tmp_path,
        {
            "kit/__init__.py": "",
            "kit/base.py": (
                "import requests\n\n\nclass Retry:\n    times = 3\n\n\n"
                'class BaseClient:\n    BASE = "https://platform.segmentapis.com/v1beta"\n\n'
                "    def __init__(self):\n        self.session = requests.Session()\n"
            ),
            "kit/sources.py": (
                "from .base import BaseClient\n\n\nclass Sources(BaseClient):\n"
                '    def names(self):\n        return self.session.get(f"{self.BASE}/workspaces/acme/sources").json()\n'
            ),
            "kit/retry.py": "from .base import Retry\n\nprint(Retry.times)\n",
        },
    )
    found = {(Path(f.file).name, f.line, f.kind) for f in scan_paths([tmp_path], jobs=1).findings}
    assert ("sources.py", 6, "call") in found
    assert not any(name == "retry.py" for name, *_rest in found)


def test_a_module_using_a_client_class_it_imports_is_reported_by_its_calls(tmp_path: Path):
    """A module that imports the client class holding the Config base and calls its request methods
    gets those calls as findings; the import alone is reported only where nothing more is found."""
    write(
        tmp_path,
        {
            "kit/__init__.py": "",
            "kit/api.py": (
                "import requests\n\n\nclass ConfigApi:\n"
                '    base = "https://platform.segmentapis.com/v1beta"\n\n'
                "    def list_sources(self, workspace):\n"
                '        return requests.get(f"{self.base}/workspaces/{workspace}/sources").json()\n'
            ),
            "kit/cli.py": "from .api import ConfigApi\n\n\ndef main():\n    print(ConfigApi().list_sources('acme'))\n",
        },
    )
    found = {(Path(f.file).name, f.line, f.kind) for f in scan_paths([tmp_path], jobs=1).findings}
    assert ("cli.py", 5, "call") in found
    assert ("cli.py", 1, "base_url") not in found


DELETION_CLIENT_PY = """\"\"\"User deletion through Segment's regulations.\"\"\"

import requests

REGULATIONS = "v1beta/workspaces/{}/regulations"
REGULATION = "v1beta/workspaces/{}/regulations/{}"


class DeletionApi:
    def __init__(self, base_url, token, workspace):
        self.base_url, self.token, self.workspace = base_url, token, workspace

    def _post(self, url, body):
        return requests.post(self.base_url + url, json=body, headers={"Authorization": self.token})

    def _get(self, url):
        return requests.get(self.base_url + url, headers={"Authorization": self.token})

    def _regulate(self, body):
        return self._post(REGULATIONS.format(self.workspace), body).json()["regulate_id"]

    def delete_users(self, ids):
        return self._regulate({"regulation_type": "Suppress_With_Delete", "attributes": {"values": ids}})

    def status(self, regulation):
        return self._get(REGULATION.format(self.workspace, regulation)).json()

    def delete_then_status(self, ids):
        return self.status(self.delete_users(ids))
"""
DELETION_SCRIPT_PY = """from kit.deletion import DeletionApi


def main(settings, users):
    api = DeletionApi(settings["host"], settings["token"], "acme")
    job = api.delete_users(users)
    print(api.status(job)["status"])
    print(api.delete_then_status(users))
"""


def test_a_call_of_a_client_method_gets_the_endpoint_the_method_sends(tmp_path: Path):
    """`delete_users` reaches the POST through two of the client's own methods: its callers in other
    modules get the endpoint, and a method sending two gets both named."""
    write(
        tmp_path,
        {"kit/__init__.py": "", "kit/deletion.py": DELETION_CLIENT_PY, "kit/run.py": DELETION_SCRIPT_PY},
    )
    result = scan_paths([tmp_path], jobs=1)
    in_script = [finding for finding in result.findings if finding.file.endswith("run.py")]
    calls = {finding.line: finding for finding in in_script if finding.kind == "call"}
    assert (calls[6].method, calls[6].endpoint) == ("POST", "regulations.create")
    assert (calls[7].method, calls[7].endpoint) == ("GET", "regulations.get")
    assert calls[8].endpoint is None
    assert "sends 2 Config API requests" in calls[8].message and "POST" in calls[8].message
    assert "GET" in calls[8].message
    assert {finding.kind for finding in in_script if finding.line == 5} == {"client"}


def test_no_op_a_method_name_two_client_classes_define_gets_no_endpoint(tmp_path: Path):
    """Two classes' `fetch` send different requests: a call of `fetch` could be either."""
    client = (
        DELETION_CLIENT_PY
        + """

class Other(DeletionApi):
    def fetch(self):
        return self._get(REGULATION.format(self.workspace, "r1"))


class Another(DeletionApi):
    def fetch(self):
        return self._post(REGULATIONS.format(self.workspace), {})
"""
    )
    script = "from kit.deletion import Other\n\n\ndef main(api):\n    return api.fetch()\n"
    write(tmp_path, {"kit/__init__.py": "", "kit/deletion.py": client, "kit/run.py": script})
    result = scan_paths([tmp_path], jobs=1)
    calls = [finding for finding in result.findings if finding.file.endswith("run.py") and finding.kind == "call"]
    assert len(calls) == 1
    assert calls[0].endpoint is None


def test_a_test_files_calls_of_the_client_are_tests_of_it(tmp_path: Path):
    """A Go `_test.go` calling the client's request function on a mock server, and a pytest module
    calling the client's method: tests of the client, to update with it, not Config call sites."""
    files = {"segment/client.go": CLIENT_GO, "segment/sources.go": SOURCES_GO, "segment/const.go": CONST_GO}
    test_go = 'package segment\n\nfunc TestRequest(t *testing.T) {\n\tc.doRequest(http.MethodGet, "/")\n}\n'
    write(tmp_path, files | {"segment/client_test.go": test_go})
    write(tmp_path, {"kit/__init__.py": "", "kit/deletion.py": DELETION_CLIENT_PY, "kit/run.py": DELETION_SCRIPT_PY})
    test_py = "from kit.deletion import DeletionApi\n\n\ndef test_delete(api):\n    assert api.delete_users(['u1'])\n"
    write(tmp_path, {"kit/test_deletion.py": test_py})
    found = findings_by_file(tmp_path)
    assert {kind for kind, _ in found["segment/client_test.go"]} == {"test"}
    assert "test" in {kind for kind, _ in found["kit/test_deletion.py"]}
    assert "call" not in {kind for kind, _ in found["kit/test_deletion.py"]}
    assert "call" in {kind for kind, _ in found["kit/run.py"]}


def test_a_script_or_notebook_outside_the_clients_package_that_imports_it(tmp_path: Path):
    """`scripts/run.py` and `notebooks/review.ipynb`, outside the `kit` package, import its client by
    name: their calls of its methods are found with their endpoints, as inside the package."""
    import json

    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": []}
    source = ["from kit import deletion\n", "api = deletion.DeletionApi(HOST, TOKEN, 'acme')\n", "api.status('r1')"]
    notebook = {"cells": [cell | {"source": source}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    write(
        tmp_path,
        {
            "kit/__init__.py": "",
            "kit/deletion.py": DELETION_CLIENT_PY,
            "scripts/run.py": DELETION_SCRIPT_PY,
            "notebooks/review.ipynb": json.dumps(notebook, indent=1, sort_keys=True) + "\n",
            "scripts/other.py": "from kit.other import status\n\nstatus('r1')\n",
            "scripts/plain.py": "import kit.deletion as d\n\nprint(d.DeletionApi(H, T, 'w').status('r1'))\n",
        },
    )
    result = scan_paths([tmp_path], jobs=1)
    calls = {(Path(f.file).name, f.endpoint) for f in result.findings if f.kind == "call"}
    assert ("run.py", "regulations.create") in calls and ("run.py", "regulations.get") in calls
    assert ("review.ipynb", "regulations.get") in calls
    assert ("plain.py", "regulations.get") in calls  # `import kit.deletion as d`
    assert not any(f.file.endswith("other.py") for f in result.findings)  # another module's `status`


def test_a_scripts_package_of_the_clients_project_and_no_other_package(tmp_path: Path):
    """Beside the client's package in its project (a `setup.py` above both), a `scripts` package
    calling the client is found; in a tree that is no project, another package's module importing
    it is not read (a whole site-packages may be scanned)."""
    project, loose = tmp_path / "project", tmp_path / "loose"
    for root in (project, loose):
        write(
            root,
            {
                "kit/__init__.py": "",
                "kit/deletion.py": DELETION_CLIENT_PY,
                "scripts/__init__.py": "",
                "scripts/run.py": DELETION_SCRIPT_PY,
            },
        )
    (project / "setup.py").write_text("from setuptools import setup\n\nsetup(name='kit')\n")
    found = {Path(f.file).relative_to(tmp_path).as_posix() for f in scan_paths([tmp_path], jobs=1).findings}
    assert "project/scripts/run.py" in found
    assert "loose/scripts/run.py" not in found


def test_a_context_key_each_command_sets_to_its_own_part_of_the_client(tmp_path: Path):
    """Two commands store different parts of the client under one key: each call reads what its own
    command stored last, not an agreement of every store."""
    commands = """import click

from kit.group import cli


@cli.command()
@click.pass_context
def add(ctx):
    ctx.obj["target"] = ctx.obj["workspace"].sources()
    click.echo(ctx.obj["target"].create({"source": {}}))


@cli.command()
@click.pass_context
def drop(ctx):
    ctx.obj["target"] = ctx.obj["workspace"].sources().source("web")
    click.echo(ctx.obj["target"].remove())
"""
    files = {"kit/__init__.py": "", "kit/api.py": ROOT_CLIENT, "kit/model.py": BASE_MODEL}
    write(tmp_path, files | {"kit/workspaces.py": WORKSPACE_MODELS, "kit/sources.py": SOURCE_MODELS})
    write(tmp_path, {"kit/group.py": GROUP, "kit/commands.py": commands})
    calls = {f.line: f.endpoint for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("commands.py")}
    assert calls[10] == "sources.create"
    assert calls[17] == "sources.delete"


def test_a_go_call_whose_path_is_an_objects_own_name_gets_the_endpoint_of_its_kind(tmp_path: Path):
    """`c.doRequest(http.MethodPatch, filter.Name, body)` with `filter DestinationFilter`: the one PATCH
    that addresses a single filter; with a type named for no Config object, nothing is guessed."""
    filters = """package segment

func (c *Client) UpdateDestinationFilter(src string, filter DestinationFilter) (*DestinationFilter, error) {
	data, err := c.doRequest(http.MethodPatch, filter.Name, filter)
	return decode(data), err
}

func (c *Client) Touch(item Widget) error {
	_, err := c.doRequest(http.MethodPatch, item.Name, item)
	return err
}
"""
    write(tmp_path, {"segment/client.go": CLIENT_GO, "segment/const.go": CONST_GO, "segment/filters.go": filters})
    calls = {f.line: f.endpoint for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("filters.go")}
    assert calls[4] == "filters.update"
    assert calls[9] is None


CONFIG_JS = 'module.exports = {\n  SEGMENT_API: "https://platform.segmentapis.com/v1beta",\n  RETRIES: 3,\n};\n'
CONFIG_TS = 'export const SEGMENT_API = "https://platform.segmentapis.com/v1beta";\nexport const RETRIES = 3;\n'
CREATE_BODY = (
    "async function createSource(ws, body) {\n"
    "  const res = await fetch(`${BASE}/workspaces/${ws}/sources`, {\n"
    '    method: "POST",\n    body: JSON.stringify(body),\n  });\n  return res.json();\n}\n'
)


@pytest.mark.parametrize(
    ("config", "importer", "base"),
    [
        ("config.js", 'const { SEGMENT_API } = require("./config");\n', "SEGMENT_API"),
        ("config.js", 'const { SEGMENT_API: API } = require("./config");\n', "API"),
        ("config.ts", 'import { SEGMENT_API as API } from "./config";\n', "API"),
        ("config.ts", 'import * as settings from "./config";\n', "settings.SEGMENT_API"),
        ("config.js", 'const settings = require("./config");\n', "settings.SEGMENT_API"),
    ],
)
def test_a_script_module_building_requests_on_a_base_another_module_exports(
    tmp_path: Path, config: str, importer: str, base: str
):
    suffix = Path(config).suffix
    write(
        tmp_path,
        {
            f"src/{config}": CONFIG_JS if suffix == ".js" else CONFIG_TS,
            f"src/sync{suffix}": importer + "\n" + CREATE_BODY.replace("BASE", base),
        },
    )
    found = [f for f in scan_paths([tmp_path], jobs=1).findings if Path(f.file).stem == "sync"]
    assert {(f.line, f.kind, f.method, f.endpoint) for f in found} == {
        (1, "base_url", None, None),
        (4, "call", "POST", "sources.create"),
    }


def test_no_op_a_script_module_reading_only_other_settings_of_that_module(tmp_path: Path):
    importer = 'const settings = require("./config");\n\nexport const tries = settings.RETRIES; // not SEGMENT_API\n'
    write(tmp_path, {"src/config.js": CONFIG_JS, "src/retry.js": importer})
    assert "src/retry.js" not in findings_by_file(tmp_path)


def test_no_op_a_script_module_importing_another_services_base(tmp_path: Path):
    other = CONFIG_JS.replace("platform.segmentapis.com/v1beta", "api.example.com/v1")
    body = 'const { SEGMENT_API } = require("./config");\n\n' + CREATE_BODY.replace("BASE", "SEGMENT_API")
    write(tmp_path, {"src/config.js": other, "src/sync.js": body})
    assert "src/sync.js" not in findings_by_file(tmp_path)


SESSION_PY = """from urllib.parse import urljoin

import requests


class ConfigSession(requests.Session):
    def __init__(self, token, base="https://platform.segmentapis.com/v1beta/"):
        super().__init__()
        self.base = base

    def request(self, method, url, *args, **kwargs):
        return super().request(method, urljoin(self.base, url), *args, **kwargs)
"""
MODELS_PY = """class Workspace:
    def __init__(self, session, slug):
        self.session = session
        self.slug = slug

    @property
    def path(self):
        return f"workspaces/{self.slug}"

    def sources(self):
        return self.session.get(f"{self.path}/sources").json()["sources"]

    def rename(self, source, name):
        body = {"source": {"display_name": name}, "update_mask": {"paths": ["source.display_name"]}}
        return self.session.request("PATCH", f"{self.path}/sources/{source}", json=body).json()

    def settings(self):
        return self.session.get("https://example.com/settings/workspaces/acme").json()
"""


def test_a_module_sending_relative_paths_through_its_packages_config_session(tmp_path: Path):
    """A `requests.Session` subclass holding the Config base joins the paths the package's models
    give it; the models spell only relative paths (a value they read is a placeholder)."""
    write(tmp_path, {"kit/__init__.py": "", "kit/session.py": SESSION_PY, "kit/models.py": MODELS_PY})
    found = [f for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("models.py")]
    assert {(f.line, f.kind, f.method, f.endpoint) for f in found} == {
        (11, "call", "GET", "sources.list"),
        (15, "call", "PATCH", "sources.update"),
    }
    assert all(f.via is not None and f.via.endswith("session.py") for f in found)


INVENTORY_PY = """class Inventory:
    def __init__(self, session, workspace):
        self.session = session
        self.workspace = workspace

    def _get(self, path, **params):
        return self.session.get(path, params=params).json()

    def sources(self):
        return self._get("workspaces/%s/sources" % self.workspace, page_size=100)["sources"]

    def destinations(self, source):
        return self._get("{}/destinations".format(source))["destinations"]
"""


def test_a_module_handing_relative_paths_to_its_own_helper_for_the_packages_session(tmp_path: Path):
    """`self._get("workspaces/%s/sources" % ws)`: a helper of the module, named for its verb, hands the
    path on to the package's Config session; each call is a request, with its endpoint."""
    write(tmp_path, {"kit/__init__.py": "", "kit/session.py": SESSION_PY, "kit/inventory.py": INVENTORY_PY})
    found = [f for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("inventory.py")]
    assert {(f.line, f.kind, f.method, f.endpoint) for f in found} == {
        (10, "call", "GET", "sources.list"),
        (13, "call", "GET", "destinations.list"),
    }


def test_relative_requests_move_with_the_client_apply_moves(tmp_path: Path):
    """What scan says of them is what apply does: it routes the package's session through the
    compatibility layer, so the models' requests move with it (`auto`), and scan says why."""
    from codemods.engine import ApplyOptions, apply
    from migrator.early_parser import APPLY_JUDGE

    write(tmp_path, {"kit/__init__.py": "", "kit/session.py": SESSION_PY, "kit/models.py": MODELS_PY})
    found = [f for f in scan_paths([tmp_path], jobs=1, judge=APPLY_JUDGE).findings if f.file.endswith("models.py")]
    assert [(f.line, f.fixability) for f in found if f.kind == "call"] == [(11, "auto"), (15, "auto")]
    assert all("`migrate apply`" in (f.reason or "") for f in found if f.kind == "call")
    outcomes = {Path(o.path).name: o for o in apply([tmp_path], ApplyOptions(), jobs=1).outcomes}
    assert "class ConfigSession(segment_compat.Session):" in outcomes["session.py"].new_source


def test_relative_requests_move_with_the_client_that_sends_them_not_the_settings_module(tmp_path: Path):
    """The base is in `settings.py`; `client.py` imports it as a parameter's default and sends through
    a session; `cli.py` gives relative paths. The client (the module apply routes) is the one the
    requests go through, so they move with it, as apply moves them."""
    from codemods.engine import ApplyOptions, apply
    from migrator.early_parser import APPLY_JUDGE

    settings = 'SEGMENT_API_URL = "https://platform.segmentapis.com/v1beta/"\n'
    client = (
        "from urllib.parse import urljoin\n\nimport requests\n\nfrom .settings import SEGMENT_API_URL\n\n\n"
        "class Client:\n"
        "    def __init__(self, token, base_url=SEGMENT_API_URL):\n"
        "        self.base_url = base_url\n"
        "        self.session = requests.Session()\n\n"
        "    def get(self, path):\n"
        "        return self.session.get(urljoin(self.base_url, path)).json()\n"
    )
    cli = (
        'from .client import Client\n\n\ndef plans(client):\n    return client.get("workspaces/acme/tracking-plans")\n'
    )
    write(tmp_path, {"kit/__init__.py": "", "kit/settings.py": settings, "kit/client.py": client, "kit/cli.py": cli})
    findings = scan_paths([tmp_path], jobs=1, judge=APPLY_JUDGE).findings
    [call] = [f for f in findings if f.file.endswith("cli.py") and f.kind == "call"]
    assert (call.endpoint, call.fixability) == ("tracking_plans.list", "auto")
    assert call.via is not None and call.via.endswith("client.py")
    outcomes = {Path(o.path).name: o for o in apply([tmp_path], ApplyOptions(), jobs=1).outcomes}
    assert "self.session = segment_compat.Session()" in outcomes["client.py"].new_source


def test_no_op_relative_paths_in_a_package_without_a_config_client(tmp_path: Path):
    other = SESSION_PY.replace("platform.segmentapis.com/v1beta", "api.example.com/v2")
    write(tmp_path, {"kit/__init__.py": "", "kit/session.py": other, "kit/models.py": MODELS_PY})
    assert "kit/models.py" not in findings_by_file(tmp_path)


KIT_CLIENT_PY = """import requests


class Client:
    def __init__(self, workspace, host="https://platform.segmentapis.com", version="v1beta"):
        self._base = f"{host}/{version}"
        self.workspace = workspace
        self._session = requests.Session()

    def _request(self, method, path, **kwargs):
        return self._session.request(method, f"{self._base}/{path.lstrip('/')}", **kwargs).json()

    def paginate(self, path, key):
        token = None
        while True:
            page = self._request("GET", path, params={"page_token": token} if token else {})
            yield from page.get(key, [])
            token = page.get("next_page_token")
            if not token:
                return
"""
KIT_SOURCES_PY = """class Sources:
    def __init__(self, client):
        self._client = client

    def list(self):
        return list(self._client.paginate(f"workspaces/{self._client.workspace}/sources", "sources"))

    def delete(self, slug):
        return self._client._request("DELETE", f"workspaces/{self._client.workspace}/sources/{slug}")
"""


def test_a_resource_module_calling_the_clients_chokepoint_and_its_paginator(tmp_path: Path):
    """A resource module hands relative paths to the client's chokepoint (`_request("DELETE", ...)`)
    and to its paginator, which sends with one verb (`paginate` calls `_request("GET", path)`):
    both are requests with their endpoints."""
    write(tmp_path, {"kit/__init__.py": "", "kit/client.py": KIT_CLIENT_PY, "kit/sources.py": KIT_SOURCES_PY})
    found = [f for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("sources.py")]
    assert {(f.line, f.kind, f.method, f.endpoint) for f in found} == {
        (6, "call", "GET", "sources.list"),
        (9, "call", "DELETE", "sources.delete"),
    }


WORKSPACE_CLIENT_PY = """import json

import requests

ROOT = "https://platform.segmentapis.com"


class Workspace:
    def __init__(self, slug):
        self.slug = slug
        self.http = requests.Session()

    def _url(self, path):
        return "{}/v1beta/workspaces/{}/{}".format(ROOT, self.slug, path.lstrip("/"))

    def _call(self, method, path, body=None, params=None):
        return self.http.request(method, self._url(path), data=json.dumps(body), params=params).json()

    def each(self, path, key):
        token = None
        while True:
            page = self._call("GET", path, params={"page_token": token})
            yield from page.get(key, [])
            token = page.get("next_page_token")
            if not token:
                return

    def remove_source(self, slug):
        return self._call("DELETE", "sources/" + slug)
"""
WORKSPACE_REPORT_PY = """from tool.workspace import Workspace

workspace = Workspace("acme")
print(len(list(workspace.each("tracking-plans", "tracking_plans"))))
workspace.remove_source("old")
"""


def test_paths_below_a_workspace_handed_to_a_chokepoint_through_a_url_builder(tmp_path: Path):
    """`self.http.request(method, self._url(path))`, `_url` putting the path after
    `.../workspaces/{slug}/`: a chokepoint (its URL builder is handed the path), each call of it a
    request below the workspace, and a path handed to its one-verb paginator from another module is
    read below the workspace too."""
    files = {"tool/__init__.py": "", "tool/workspace.py": WORKSPACE_CLIENT_PY, "report.py": WORKSPACE_REPORT_PY}
    write(tmp_path, files)
    found = scan_paths([tmp_path], jobs=1).findings
    assert any(f.line == 17 and f.message.startswith("chokepoint") for f in found if f.file.endswith("workspace.py"))
    requests = {(Path(f.file).name, f.line): (f.method, f.endpoint) for f in found if f.kind == "call"}
    assert requests[("workspace.py", 29)] == ("DELETE", "sources.delete")
    assert requests[("report.py", 4)] == ("GET", "tracking_plans.list")
    assert requests[("report.py", 5)] == ("DELETE", "sources.delete")


SHARED_HTTP_PY = """import requests

session = requests.Session()
session.headers["Authorization"] = "Bearer token-from-vault"
"""
SHARED_CLIENT_PY = """from .http import session

API = "https://platform.segmentapis.com/v1beta"


def plans(workspace):
    return session.get(f"{API}/workspaces/{workspace}/tracking-plans").json()["tracking_plans"]
"""


def test_the_session_a_routed_module_sends_on_is_reported_where_it_is_made(tmp_path: Path):
    """`plans` hands its answer to callers elsewhere: apply routes its request through the layer, on
    the session `http.py` makes, which apply makes by the layer though `http.py` names no Config URL:
    scan says so there, and says the request is routed (not left to a person)."""
    write(tmp_path, {"kit/__init__.py": "", "kit/http.py": SHARED_HTTP_PY, "kit/client.py": SHARED_CLIENT_PY})
    from migrator.early_parser import APPLY_JUDGE

    found = scan_paths([tmp_path], jobs=1, judge=APPLY_JUDGE).findings
    made = [f for f in found if f.file.endswith("http.py")]
    assert [(f.line, f.kind, f.fixability) for f in made] == [(3, "client", "auto")]
    [request] = [f for f in found if f.file.endswith("client.py") and f.kind == "call"]
    assert (request.endpoint, request.fixability) == ("tracking_plans.list", "auto")
    assert request.reason is not None and "compatibility layer" in request.reason


JOINED_PLANS_PY = """from .client import Client


class Plans(Client):
    def list(self):
        return self.session.get(self.root + "/tracking-plans").json()["tracking_plans"]

    def rename(self, plan_id, body):
        return self.session.put(self.root + "/tracking-plans/" + plan_id, json=body).json()

    def elsewhere(self):
        return self.session.get(API_BASE + "/tracking-plans")
"""
JOINED_CLIENT_PY = """import requests


class Client:
    def __init__(self, workspace, host="https://platform.segmentapis.com"):
        self.root = f"{host}/v1beta/workspaces/{workspace}"
        self.session = requests.Session()
"""


def test_paths_joined_to_the_clients_root_with_a_plus(tmp_path: Path):
    """`self.session.get(self.root + "/tracking-plans")` in a subclass's module: the path after the
    client's root, and a value after it (`+ plan_id`) the plan. A base of another name put first
    (`API_BASE + ...`) is not the client's."""
    write(tmp_path, {"kit/__init__.py": "", "kit/client.py": JOINED_CLIENT_PY, "kit/plans.py": JOINED_PLANS_PY})
    found = [f for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("plans.py")]
    assert [(f.line, f.method, f.endpoint) for f in found] == [
        (6, "GET", "tracking_plans.list"),
        (9, "PUT", "tracking_plans.update"),
    ]


SESSION_SUBCLASS_PY = """import os
from urllib.parse import urljoin

import requests


class ConfigSession(requests.Session):
    def __init__(self, base="https://platform.segmentapis.com/v1beta/"):
        super().__init__()
        self.base = base

    def request(self, method, url, *args, **kwargs):
        return super().request(method, urljoin(self.base, url), *args, **kwargs)


with ConfigSession() as session:
    print(session.get("workspaces/acme/sources").json())
    session.delete("workspaces/acme/sources/old")
"""


def test_relative_paths_sent_in_the_module_holding_the_config_base(tmp_path: Path):
    """The module defines a session subclass joining paths to the Config base and uses it itself:
    each relative path it sends is a request with its endpoint (only other modules were read)."""
    write(tmp_path, {"tool.py": SESSION_SUBCLASS_PY})
    found = {(f.line, f.method, f.endpoint) for f in scan_paths([tmp_path], jobs=1).findings if f.kind == "call"}
    assert {(17, "GET", "sources.list"), (18, "DELETE", "sources.delete")} <= found


TS_CLIENT = """import axios, { AxiosInstance } from "axios";

export class Workspace {
  private http: AxiosInstance;

  constructor(token: string, private slug: string) {
    this.http = axios.create({ baseURL: "https://platform.segmentapis.com/v1beta" });
  }

  public async plans(): Promise<Plan[]> {
    const { data } = await this.http.get<PlanList>(`/workspaces/${this.slug}/tracking-plans`);
    return data.tracking_plans;
  }
}
"""
TS_USER = """import { Workspace } from "./workspace";

const workspace = new Workspace(process.env.TOKEN!, "acme");
workspace.plans().then((plans) => console.log(plans.length));
"""


def test_a_typescript_class_method_typed_and_on_the_client_its_field_holds(tmp_path: Path):
    """`public async plans(): Promise<Plan[]> {` sending through `this.http.get<PlanList>(...)`: a
    request function of the client (its return type and modifiers aside), so the module importing the
    class and calling `workspace.plans()` sends that request."""
    write(tmp_path, {"src/workspace.ts": TS_CLIENT, "src/report.ts": TS_USER})
    found = [f for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("report.ts")]
    assert [(f.line, f.kind, f.endpoint) for f in found] == [(4, "call", "tracking_plans.list")]


RUBY_CLIENT = """require 'httparty'

class Regulations
  include HTTParty
  base_uri 'https://platform.segmentapis.com/v1beta'

  def initialize(workspace)
    @workspace = workspace
  end

  def suppress!(user_id)
    self.class.post("/workspaces/#{@workspace}/regulations", body: { regulation_type: 'Suppress' }.to_json)
  end

  def sources
    self.class.get("/workspaces/#{@workspace}/sources")['sources']
  end
end
"""
RUBY_USER = """require_relative 'regulations'

api = Regulations.new('acme')
api.suppress!(ARGV.first)
puts api.sources.length
"""


def test_a_ruby_clients_methods_called_from_another_file_without_parentheses(tmp_path: Path):
    """HTTParty class methods in `regulations.rb`; `forget.rb` beside it calls `api.suppress!(...)` and
    `api.sources.length` (Ruby needs no parentheses): each call is the request the method sends."""
    write(tmp_path, {"lib/regulations.rb": RUBY_CLIENT, "lib/forget.rb": RUBY_USER})
    found = [f for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("forget.rb")]
    assert [(f.line, f.kind, f.endpoint) for f in found] == [
        (4, "call", "regulations.create"),
        (5, "call", "sources.list"),
    ]


GET_CLIENT_PY = """import requests

API = "https://platform.segmentapis.com/v1beta"


def get(path):
    return requests.get(f"{API}/{path}").json()
"""
GET_USERS_PY = """from kit import client


def plans(answer):
    more = answer.get("next_page_token")
    return client.get("workspaces/acme/tracking-plans"), more
"""


def test_no_op_a_dict_get_beside_a_client_whose_module_function_is_named_get(tmp_path: Path):
    """The client module defines `get(path)`: `client.get(...)` calls it; `answer.get(...)` is a
    dict's, not the client's."""
    write(tmp_path, {"kit/__init__.py": "", "kit/client.py": GET_CLIENT_PY, "kit/users.py": GET_USERS_PY})
    found = [f for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("users.py") and f.kind == "call"]
    assert [f.line for f in found] == [6]


PLANS_API_PY = """import requests

API = "https://platform.segmentapis.com/v1beta"


class Plans:
    def __init__(self, workspace):
        self.base = f"{API}/workspaces/{workspace}/tracking-plans"

    def _call(self, method, suffix="", body=None):
        return requests.request(method, self.base + suffix, json=body).json()

    def create(self, name):
        return self._call("POST", body={"tracking_plan": {"display_name": name}})

    def update(self, plan_id, rules):
        return self._call("PUT", f"/{plan_id}", {"tracking_plan": {"rules": rules}})
"""
PLANS_SYNC_PY = """from .api import Plans

settings = {}


def sync(workspace):
    plans = Plans(workspace)
    settings.update(workspace=workspace)
    made = plans.create("Probe")
    plans.update(made["name"].split("/")[-1], {"events": []})
"""


def test_a_clients_common_named_methods_on_an_instance_of_it_and_not_a_dicts(tmp_path: Path):
    """`plans.create(...)` and `plans.update(...)`, `plans = Plans(workspace)` made here: requests
    through the client's methods; `settings.update(...)` is a dict's."""
    write(tmp_path, {"kit/__init__.py": "", "kit/api.py": PLANS_API_PY, "kit/sync.py": PLANS_SYNC_PY})
    found = [f for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("sync.py")]
    assert [(f.line, f.kind, f.endpoint) for f in found] == [
        (7, "client", None),
        (9, "call", "tracking_plans.create"),
        (10, "call", "tracking_plans.update"),
    ]


VOCABULARY_PY = """def names(answer):
    more = answer.get("next_page_token")
    return [plan["display_name"] for plan in answer["tracking_plans"]], more


def google(response):
    return response.next_page_token


MASK = {"update_mask": {"paths": ["tracking_plan.rules"]}}
"""


def test_config_vocabulary_far_from_any_call_is_likely_in_a_package_talking_to_the_config_api(tmp_path: Path):
    """An answer handed to `plans.py` (its `tracking_plans`, `next_page_token`) and a body built there
    (`update_mask`): low-confidence findings, in a package whose client talks to the Config API. An
    attribute `next_page_token` (a client library's) is not the Config answer's key."""
    write(tmp_path, {"kit/__init__.py": "", "kit/client.py": GET_CLIENT_PY, "kit/plans.py": VOCABULARY_PY})
    found = [f for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith("plans.py")]
    assert [(f.line, f.kind, f.confidence) for f in found] == [
        (2, "pagination", "low"),
        (3, "consumer", "low"),
        (10, "update_mask", "low"),
    ]


def test_no_op_config_vocabulary_in_a_package_that_does_not_talk_to_the_config_api(tmp_path: Path):
    other = GET_CLIENT_PY.replace("platform.segmentapis.com/v1beta", "api.example.com/v1beta")
    write(tmp_path, {"kit/__init__.py": "", "kit/client.py": other, "kit/plans.py": VOCABULARY_PY})
    assert scan_paths([tmp_path], jobs=1).findings == []


PARTS_CLIENT_PY = """import requests

from . import settings


class Client:
    def __init__(self, workspace):
        self.workspace = workspace
        self.session = requests.Session()

    def url(self, *parts):
        return "/".join([settings.API, "workspaces", self.workspace, *parts])

    def request(self, method, *parts, **kwargs):
        return self.session.request(method, self.url(*parts), **kwargs).json()

    def pages(self, *parts, key):
        return self.request("GET", *parts)[key]
"""
PARTS_SETTINGS_PY = 'API = "https://platform.segmentapis.com/v1beta"\n'
PARTS_SOURCES_PY = """class Sources:
    def __init__(self, client):
        self.client = client

    def destinations(self, slug):
        return self.client.request("GET", "sources", slug, "destinations")["destinations"]

    def disable(self, slug, destination, body):
        return self.client.request("PATCH", "sources", slug, "destinations", destination, json=body)

    def plans(self):
        return self.client.pages("tracking-plans", key="tracking_plans")

    def filters(self, slug, destination):
        return self.client.request("GET", "sources", slug, "destinations", destination, "filters")
"""


def test_a_chokepoint_taking_its_path_in_parts_and_the_parts_its_callers_hand_it(tmp_path: Path):
    """`request(self, method, *parts)` sends `self.url(*parts)`, the base read through the settings
    module: a chokepoint; `client.request("GET", "sources", slug, "destinations")` in a resource
    module is the request those parts spell below the workspace, and so are the parts handed to its
    one-verb paginator (`client.pages("tracking-plans", key=...)`)."""
    files = {
        "kit/__init__.py": "",
        "kit/settings.py": PARTS_SETTINGS_PY,
        "kit/client.py": PARTS_CLIENT_PY,
        "kit/sources.py": PARTS_SOURCES_PY,
    }
    write(tmp_path, files)
    found = scan_paths([tmp_path], jobs=1).findings
    assert any(f.file.endswith("client.py") and f.line == 15 and f.message.startswith("chokepoint") for f in found)
    requests = [(f.line, f.method, f.endpoint) for f in found if f.file.endswith("sources.py") and f.kind == "call"]
    assert requests == [
        (6, "GET", "destinations.list"),
        (9, "PATCH", "destinations.update"),
        (12, "GET", "tracking_plans.list"),
        (15, "GET", "filters.list"),
    ]


NATIVE_CLIENT_PY = """from .http import session

API = "https://platform.segmentapis.com/v1beta"


def main():
    answer = session.get(f"{API}/workspaces/acme/sources")
    answer.raise_for_status()
    print(len(answer.json()["sources"]))


if __name__ == "__main__":
    main()
"""


def test_the_session_a_config_client_imports_is_reported_even_where_its_calls_move_natively(tmp_path: Path):
    """apply makes the session by the layer wherever a Config client imports it (a Public URL goes
    through it untouched): scan reports it so, though the client's own call moves natively."""
    write(tmp_path, {"kit/__init__.py": "", "kit/http.py": SHARED_HTTP_PY, "kit/report.py": NATIVE_CLIENT_PY})
    from migrator.early_parser import APPLY_JUDGE

    found = scan_paths([tmp_path], jobs=1, judge=APPLY_JUDGE).findings
    assert [(f.line, f.kind) for f in found if f.file.endswith("http.py")] == [(3, "client")]


TS_CLASS_CLIENT = """import fetch from 'node-fetch';

const BASE = 'https://platform.segmentapis.com/v1beta/';

export class SegmentAPI {
  constructor(private token: string, public workspace: string) {}

  public async call<T>(method: string, path: string, body?: object): Promise<T> {
    const res = await fetch(BASE + path, { method, body: body && JSON.stringify(body) });
    return (await res.json()) as T;
  }
}
"""
TS_PLANS = """import { SegmentAPI } from './api';

export function getTrackingPlan(api: SegmentAPI, id: string) {
  return api.call('GET', `workspaces/${api.workspace}/tracking-plans/${id}`);
}

export const removePlan = (api: SegmentAPI, id: string) =>
  api.call("DELETE", `workspaces/${api.workspace}/tracking-plans/${id}`);
"""


def test_a_client_chokepoint_another_module_calls_with_its_verb_and_path(tmp_path: Path):
    """`api.call('GET', `workspaces/${ws}/tracking-plans/${id}`)` in a module beside the client class:
    the verb and path it hands the chokepoint say the endpoint."""
    (tmp_path / "api.ts").write_text(TS_CLASS_CLIENT)
    (tmp_path / "plans.ts").write_text(TS_PLANS)
    found = {(Path(f.file).name, f.line): (f.method, f.endpoint) for f in scan_paths([tmp_path], jobs=1).findings}
    assert found[("plans.ts", 4)] == ("GET", "tracking_plans.get")
    assert found[("plans.ts", 8)] == ("DELETE", "tracking_plans.delete")


GO_CLIENT_ON_A_SETTING = """package segment

import (
	"os"

	"github.com/go-resty/resty/v2"
)

type Client struct {
	http      *resty.Client
	workspace string
}

func New() *Client {
	return &Client{http: resty.New().SetBaseURL(os.Getenv("SEGMENT_API_URL")), workspace: os.Getenv("WS")}
}
"""
GO_SOURCES = """package segment

import "fmt"

var fixture = Source{Name: "workspaces/acme/sources/js"}

func (c *Client) ListSources() error {
	_, err := c.http.R().Get(fmt.Sprintf("/workspaces/%s/sources", c.workspace))
	return err
}

func (c *Client) DeleteSource(name string) error {
	_, err := c.http.R().Delete(fmt.Sprintf("/workspaces/%s/sources/%s", c.workspace, name))
	return err
}
"""


def test_go_requests_beside_a_client_reading_its_base_from_configuration(tmp_path: Path):
    """The client's base is an environment variable the repository's `.env.example` sets to the
    Config URL: the package's other files send Config paths with a verb (resty's `.Get(`), each
    found with its endpoint; a resource name its data holds is no request."""
    (tmp_path / ".env.example").write_text("SEGMENT_API_URL=https://platform.segmentapis.com/v1beta\n")
    (tmp_path / "segment").mkdir()
    (tmp_path / "segment" / "client.go").write_text(GO_CLIENT_ON_A_SETTING)
    (tmp_path / "segment" / "sources.go").write_text(GO_SOURCES)
    found = {(Path(f.file).name, f.line): (f.method, f.endpoint) for f in scan_paths([tmp_path], jobs=1).findings}
    assert found[("sources.go", 8)] == ("GET", "sources.list")
    assert found[("sources.go", 13)] == ("DELETE", "sources.delete")
    assert ("sources.go", 5) not in found


def test_no_op_go_paths_beside_a_client_of_another_api(tmp_path: Path):
    (tmp_path / ".env.example").write_text("SEGMENT_API_URL=https://api.example.com/v2\n")
    (tmp_path / "segment").mkdir()
    (tmp_path / "segment" / "client.go").write_text(GO_CLIENT_ON_A_SETTING)
    (tmp_path / "segment" / "sources.go").write_text(GO_SOURCES)
    assert not [f for f in scan_paths([tmp_path], jobs=1).findings if f.file.endswith(".go")]


SETTINGS_CLIENT = """import requests


class Client:
    def __init__(self, settings):
        self.base = settings["api_url"].rstrip("/") + "/workspaces/" + settings["workspace"]
        self.session = requests.Session()

    def _request(self, method, path, **kwargs):
        return self.session.request(method, f"{self.base}/{path}", **kwargs).json()

    def plans(self):
        return self._request("GET", "tracking-plans")["tracking_plans"]
"""


def test_a_base_built_on_a_setting_is_no_request(tmp_path: Path):
    """`self.base = settings["api_url"] + ...` reads the Config URL a YAML file sets: it is the base
    the client's requests start from, with no method of its own (`.get` near it is no verb)."""
    (tmp_path / "config.yaml").write_text("segment:\n  api_url: https://platform.segmentapis.com/v1beta/\n")
    (tmp_path / "client.py").write_text(SETTINGS_CLIENT)
    found = {(Path(f.file).name, f.line): (f.kind, f.method) for f in scan_paths([tmp_path], jobs=1).findings}
    assert found[("client.py", 6)] == ("base_url", None)


SETTINGS_COMMAND = """def run(client, args):
    for plan in client.plans():
        print(plan["display_name"])
"""


def test_the_callers_of_a_client_reading_its_base_from_configuration(tmp_path: Path):
    """A client whose base only a YAML file holds is a client like any other: a command module
    handed one (`run(client, args)`) and calling its methods sends its requests."""
    (tmp_path / "config.yaml").write_text("segment:\n  api_url: https://platform.segmentapis.com/v1beta/\n")
    (tmp_path / "tool").mkdir()
    (tmp_path / "tool" / "__init__.py").write_text("")
    (tmp_path / "tool" / "client.py").write_text(SETTINGS_CLIENT)
    (tmp_path / "tool" / "command.py").write_text(SETTINGS_COMMAND)
    found = {(Path(f.file).name, f.line): (f.method, f.endpoint) for f in scan_paths([tmp_path], jobs=1).findings}
    assert found[("command.py", 2)] == ("GET", "tracking_plans.list")


SCRIPT_API = """import requests


class Api:
    def __init__(self, token, base="https://platform.segmentapis.com/v1beta/"):
        self.base = base
        self.headers = {"Authorization": f"Bearer {token}"}

    def call(self, method, path, **params):
        kwargs = {"headers": self.headers}
        if params:
            kwargs["params"] = params
        return requests.request(method, self.base + path.lstrip("/"), **kwargs).json()
"""
SCRIPT_CLI = """import os
import sys

from api import Api

obj = {"api": Api(os.environ["SEGMENT_ACCESS_TOKEN"]), "ws": sys.argv[1]}
print(obj["api"].call("GET", f"workspaces/{obj['ws']}/sources"))
print(obj["api"].call("GET", f"/workspaces/{obj['ws']}/tracking-plans", page_size=10))
"""


def test_a_script_beside_a_client_module_outside_any_package_that_imports_it(tmp_path: Path):
    """`tools/api.py` and `tools/cli.py`, no package: `cli.py` imports the client by its name (it
    runs from its folder) and hands its chokepoint verbs and paths, an f-string path holding the
    other quote (`f"workspaces/{obj['ws']}/sources"`) too."""
    write(tmp_path, {"tools/api.py": SCRIPT_API, "tools/cli.py": SCRIPT_CLI})
    found = {
        (f.line, f.kind, f.method, f.endpoint)
        for f in scan_paths([tmp_path], jobs=1).findings
        if f.file.endswith("cli.py")
    }
    assert (7, "call", "GET", "sources.list") in found
    assert (8, "call", "GET", "tracking_plans.list") in found


def test_no_op_a_script_in_another_folder_importing_its_own_module_of_that_name(tmp_path: Path):
    """A module outside any package is imported by its name from its own folder only: `other/api.py`
    is another API's client, and what `other/cli.py` imports."""
    other = (
        "import requests\n\n\nclass Api:\n    def call(self, method, path):\n"
        '        return requests.request(method, "https://api.example.com/" + path)\n'
    )
    write(tmp_path, {"tools/api.py": SCRIPT_API, "other/api.py": other, "other/cli.py": SCRIPT_CLI})
    assert "other/cli.py" not in findings_by_file(tmp_path)


@pytest.mark.parametrize("settings_module", ["proj/settings.py", "proj/settings/production.py"])
def test_a_module_reading_a_config_url_through_djangos_settings(tmp_path: Path, settings_module: str):
    """`from django.conf import settings` in an app of another package, then `settings.CONFIG_URL`:
    Django reads the project's settings module (or a module of its settings package)."""
    write(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/settings/__init__.py" if "/settings/" in settings_module else "proj/urls.py": "",
            settings_module: 'CONFIG_URL = "https://platform.segmentapis.com/v1beta"\nDEBUG = False\n',
            "app/__init__.py": "",
            "app/sync.py": "import requests\nfrom django.conf import settings\n\n\n"
            "def sources(ws):\n"
            '    return requests.get(f"{settings.CONFIG_URL}/workspaces/{ws}/sources").json()["sources"]\n',
            "app/debug.py": "from django.conf import settings\n\nprint(settings.DEBUG)\n",
        },
    )
    found = scan_paths([tmp_path], jobs=1).findings
    assert (6, "call", "sources.list") in {(f.line, f.kind, f.endpoint) for f in found if f.file.endswith("sync.py")}
    assert not [f for f in found if f.file.endswith("debug.py")]


REST_BASE_PY = """import requests


class RestClient:
    BASE_URL = ""

    def __init__(self, token):
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path, **params):
        return self.session.get(self.BASE_URL + "/" + path, params=params).json()
"""
SEGMENT_SUBCLASS_PY = """from .base import RestClient


class SegmentConfig(RestClient):
    BASE_URL = "https://platform.segmentapis.com/v1beta"

    def sources(self, workspace):
        return self.get(f"workspaces/{workspace}/sources")["sources"]
"""
VENDOR_SCRIPT_PY = """from clients.segment import SegmentConfig

api = SegmentConfig("token")
print(api.sources("acme"))
"""


def test_a_script_calling_a_vendor_subclass_of_the_teams_rest_client(tmp_path: Path):
    """The subclass's methods send through a method the generic base defines (`self.get`): its own
    text sends nothing, its requests are read relative to the base it holds, and a script outside
    the package calling them is found, each call with its endpoint."""
    files = {"clients/__init__.py": "", "clients/base.py": REST_BASE_PY, "clients/segment.py": SEGMENT_SUBCLASS_PY}
    write(tmp_path, {**files, "report.py": VENDOR_SCRIPT_PY})
    result = scan_paths([tmp_path], jobs=1)
    script = {(f.line, f.kind, f.endpoint) for f in result.findings if f.file.endswith("report.py")}
    assert script == {(3, "client", None), (4, "call", "sources.list")}
    defined = [f for f in result.findings if f.file.endswith("segment.py") and f.kind == "client"]
    assert defined == [], "the class statement defines the client; it constructs nothing"
