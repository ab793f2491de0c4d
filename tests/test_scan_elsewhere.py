"""Config API uses whose host is in another file of the repository: a setting in configuration read
by a service, a client's request table, its answer types, the build targets running a Config
script, and a vendored copy of a Config client library. Fixtures are written here in the patterns
of public Config API code; the no-op tests are named for why nothing is reported."""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_paths
from migrator.scan.findings import Finding

FEATURES_YML = """features: &default
  gdpr_erasure:
    enabled: false
    token: <%= ENV['SEGMENT_TOKEN'] %>
    root_uri: https://platform.segmentapis.com/v1beta
    workspace: acme
    api: regulations
"""
ERASURE_RB = """module Privacy
  module SegmentErasure
    module_function

    def call(user_ids)
      connection.post do |request|
        request.body = { regulation_type: 'Suppress_With_Delete', values: user_ids }.to_json
      end.body
    end

    def connection
      Faraday.new(uri)
    end

    def uri
      "#{config.root_uri}/workspaces/#{config.workspace}/#{config.api}"
    end
  end
end
"""
CLIENT_JS = """const axios = require('axios');
const table = require('./endpoints');
const VERBS = require('./verbs');

const BASE_URL = 'https://platform.segmentapis.com/v1beta';

class Api {
  constructor(token) { this.http = axios.create({ baseURL: BASE_URL, headers: { Authorization: `Bearer ${token}` } }); }
  call(name, ...args) { return this.http.request(table[name](...args)); }
}
module.exports = Api;
"""
ENDPOINTS_JS = """const VERBS = require('./verbs');

function listWorkspaces() {
  return { method: VERBS.GET, url: '/workspaces' };
}

function deleteSource(workspace, source) {
  return {
    method: VERBS.DELETE,
    url: `/workspaces/${workspace}/sources/${source}`,
  };
}

module.exports = { listWorkspaces, deleteSource };
"""
VERBS_JS = "module.exports = {\n  GET: 'GET',\n  POST: 'POST',\n  DELETE: 'DELETE',\n};\n"
CLIENT_GO = """package config

const base = "https://platform.segmentapis.com/v1beta/"

func (c *Client) get(path string) (*http.Response, error) {
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	return c.http.Do(req)
}
"""
TYPES_GO = """package config

type SourcePage struct {
	Sources       []Source `json:"sources"`
	NextPageToken string   `json:"next_page_token"`
}

type Source struct {
	Name        string `json:"name"`
	CatalogName string `json:"catalog_name"`
	WriteKeys   []string `json:"write_keys"`
}
"""
SCRIPT_JS = "const BASE = 'https://platform.segmentapis.com/v1beta';\nfetch(`${BASE}/catalog/sources`);\n"


def scan(root: Path, files: dict[str, str]) -> dict[str, list[Finding]]:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    found: dict[str, list[Finding]] = {}
    for finding in scan_paths([root], jobs=1).findings:
        found.setdefault(Path(finding.file).relative_to(root).as_posix(), []).append(finding)
    return found


def test_a_ruby_service_building_its_url_from_a_setting_in_yaml(tmp_path: Path):
    found = scan(tmp_path, {"config/features.yml": FEATURES_YML, "app/services/erasure.rb": ERASURE_RB})
    [reading] = found["app/services/erasure.rb"]
    assert (reading.kind, reading.confidence, reading.line) == ("call", "medium", 16)
    assert reading.endpoint == "regulations.create", "the sibling `api: regulations` and the one verb, POST"
    assert reading.via is not None and reading.via.endswith("config/features.yml")


def test_a_python_script_reading_the_setting_by_key(tmp_path: Path):
    script = "import requests\nimport yaml\n\n"
    script += "settings = yaml.safe_load(open('features.yml'))['features']['gdpr_erasure']\n"
    script += "url = f\"{settings['root_uri']}/workspaces/{settings['workspace']}/regulations\"\n"
    script += "requests.get(url, timeout=10)  # segment regulations\n"
    found = scan(tmp_path, {"features.yml": FEATURES_YML, "erase.py": script})
    paths = {f.path for f in found["erase.py"] if f.kind in ("call", "url")}
    assert paths == {"workspaces/{workspace_slug}/regulations"}


def test_a_setting_python_reads_for_layered_requests_is_kept_not_moved(tmp_path: Path):
    """The compatibility layer answers Config URLs only: the setting the layered requests are built
    on must keep its Config URL (moved by hand, the Config paths would go to the Public host). The
    scan says so on the setting, and judges the URL built from it as the request it is sent by."""
    script = "import requests\nimport yaml\n\n"
    script += "settings = yaml.safe_load(open('features.yml'))['features']['gdpr_erasure']\n"
    script += "url = settings['root_uri'] + '/workspaces/' + settings['workspace'] + '/regulations'\n"
    script += "requests.get(url, timeout=10)  # segment regulations\n"
    found = scan(tmp_path, {"features.yml": FEATURES_YML, "erase.py": script})
    [setting] = [f for f in found["features.yml"] if f.line == 5]
    assert (setting.kind, setting.fixability) == ("config", "auto")
    assert setting.reason is not None and setting.reason.startswith("keep it: ")
    assert "erase.py reads it for requests `migrate apply` routes through the compatibility layer" in setting.reason
    assert {(f.kind, f.fixability) for f in found["erase.py"]} == {("url", "auto"), ("call", "auto")}


def test_no_op_the_same_setting_name_read_by_code_about_another_service(tmp_path: Path):
    billing = 'module Billing\n  def uri\n    "#{config.root_uri}/invoices"\n  end\nend\n'
    found = scan(tmp_path, {"config/features.yml": FEATURES_YML, "app/billing.rb": billing})
    assert "app/billing.rb" not in found


def test_no_op_a_setting_holding_another_vendors_url(tmp_path: Path):
    settings = "mail:\n  root_uri: https://api.mailer.example/v1beta\n"
    reader = 'module SegmentMail\n  def uri\n    "#{config.root_uri}/workspaces/acme/messages"\n  end\nend\n'
    assert scan(tmp_path, {"config/features.yml": settings, "app/mail.rb": reader}) == {}


def test_a_clients_request_table_and_the_verbs_it_reads(tmp_path: Path):
    found = scan(tmp_path, {"lib/index.js": CLIENT_JS, "lib/endpoints.js": ENDPOINTS_JS, "lib/verbs.js": VERBS_JS})
    table = {(f.method, f.path) for f in found["lib/endpoints.js"]}
    assert ("GET", "workspaces") in table
    assert ("DELETE", "workspaces/{workspace_slug}/sources/{source_slug}") in table
    assert [f.confidence for f in found["lib/verbs.js"]] == ["low"]


def test_no_op_a_request_table_no_config_client_imports(tmp_path: Path):
    client = CLIENT_JS.replace("platform.segmentapis.com/v1beta", "api.example.com/v2")
    assert scan(tmp_path, {"lib/index.js": client, "lib/endpoints.js": ENDPOINTS_JS, "lib/verbs.js": VERBS_JS}) == {}


def test_go_types_declaring_the_config_answers_in_the_clients_package(tmp_path: Path):
    found = scan(tmp_path, {"config/client.go": CLIENT_GO, "config/types.go": TYPES_GO})
    [shapes] = found["config/types.go"]
    assert (shapes.kind, shapes.line) == ("consumer", 4)
    assert "`next_page_token`" in shapes.message


def test_no_op_go_types_with_one_config_like_key(tmp_path: Path):
    types = 'package config\n\ntype Page struct {\n\tNext string `json:"next_page_token"`\n}\n'
    assert "config/types.go" not in scan(tmp_path, {"config/client.go": CLIENT_GO, "config/types.go": types})


def test_build_targets_running_a_config_script(tmp_path: Path):
    makefile = ".PHONY: capi papi\ncapi:\n\t@node scripts/catalog.js\npapi:\n\t@node scripts/public.js\n"
    package = '{"scripts": {"catalog": "node scripts/catalog.js", "lint": "eslint ."}}\n'
    found = scan(
        tmp_path,
        {"scripts/catalog.js": SCRIPT_JS, "scripts/public.js": "fetch('https://api.segmentapis.com/sources')\n"}
        | {"Makefile": makefile, "package.json": package},
    )
    assert [(f.kind, f.line) for f in found["Makefile"]] == [("config", 3)]
    assert [f.line for f in found["package.json"]] == [1]


def test_an_entry_running_a_python_script_apply_moves_needs_nobody(tmp_path: Path):
    """After `migrate apply` the script runs as it is from the same entry; a JavaScript script is a
    person's to move, and so its entry is too."""
    script = 'import requests\nprint(requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme").json())\n'
    makefile = "ws:\n\tpython scripts/ws.py\ncatalog:\n\tnode scripts/catalog.js\n"
    found = scan(tmp_path, {"scripts/ws.py": script, "scripts/catalog.js": SCRIPT_JS, "Makefile": makefile})
    entries = {f.line: (f.fixability, f.reason) for f in found["Makefile"]}
    assert entries[2] == ("auto", "keep it: `migrate apply` moves scripts/ws.py, which this runs as it is")
    assert entries[4] == ("manual", "migrate the script (or retire it and this entry with it)")


def test_an_entry_running_a_package_as_a_module(tmp_path: Path):
    """`python -m segtool` runs the package whose `api.py` makes the Config requests."""
    api = 'import requests\n\ndef ws():\n    return requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme")\n'
    files = {"segtool/__init__.py": "", "segtool/api.py": api, "segtool/__main__.py": "from .api import ws\nws()\n"}
    found = scan(tmp_path, files | {"run.sh": "set -e\npython -m segtool\npython -m segtoolbox\n"})
    assert [(f.line, f.message, f.fixability) for f in found["run.sh"]] == [
        (2, "runs segtool, which calls the Config API", "auto")
    ]


def test_no_op_a_data_file_naming_the_script(tmp_path: Path):
    """Only files that run things are read: a JSON fixture listing file names is not an entry point."""
    found = scan(tmp_path, {"scripts/catalog.js": SCRIPT_JS, "fixtures/files.json": '["node scripts/catalog.js"]\n'})
    assert "fixtures/files.json" not in found


def test_a_vendored_copy_of_a_config_client_library(tmp_path: Path):
    vendored = "vendor/github.com/someone/segment-config-go/segment/client.go"
    found = scan(tmp_path, {vendored: CLIENT_GO, "vendor/github.com/other/lib/client.go": CLIENT_GO})
    assert set(found) == {vendored}, "the rest of vendor/ is not read"
    assert all(f.fixability == "manual" and "vendored copy" in (f.reason or "") for f in found[vendored])


def test_no_op_a_generic_setting_read_by_analytics_code_without_a_path(tmp_path: Path):
    """`config.root_uri` handed to an analytics client in a file that mentions Segment builds no
    Config path there."""
    tracking = "module Tracking\n  def client\n    Segment::Analytics.new(host: config.root_uri)\n  end\nend\n"
    found = scan(tmp_path, {"config/features.yml": FEATURES_YML, "app/tracking.rb": tracking})
    assert "app/tracking.rb" not in found


def test_outside_python_nothing_is_auto_since_apply_rewrites_python_only(tmp_path: Path):
    """A JavaScript call whose endpoint has a one-to-one Public twin: `auto` means `migrate apply`
    moves it, and apply reads Python files only. A notebook's code cells are Python, read and
    rewritten as such; a notebook whose cells are another language is read as text."""
    (tmp_path / "list.js").write_text(
        "const fetch = require('node-fetch');\n"
        "fetch('https://platform.segmentapis.com/v1beta/workspaces/acme/sources', { method: 'GET' });\n"
    )
    (tmp_path / "explore.ipynb").write_text(
        '{"cells": [{"cell_type": "code", "source": ["API = \\"https://platform.segmentapis.com/v1beta\\"\\n"]}]}\n'
    )
    (tmp_path / "query.ipynb").write_text(
        '{"cells": [{"cell_type": "code", "source": ["GET https://platform.segmentapis.com/v1beta/workspaces"]}]}\n'
    )
    found = scan_paths([tmp_path], jobs=1).findings
    by_file = {Path(f.file).name: f for f in found}
    assert by_file.keys() == {"list.js", "explore.ipynb", "query.ipynb"}
    outside = [f for f in found if Path(f.file).name != "explore.ipynb"]
    assert all(f.fixability == "manual" and "rewrites Python only" in (f.reason or "") for f in outside)
    assert any(f.endpoint == "sources.list" for f in found)
    assert (by_file["explore.ipynb"].language, by_file["explore.ipynb"].fixability) == ("python", "auto")


NESTED_YML = "segment:\n  api_url: https://platform.segmentapis.com/v1beta\n  workspace: acme\n"
CLIENT_READING_PY = """import requests

from app.settings import CONFIG


class Segment:
    def __init__(self):
        self.base = CONFIG["segment"]["api_url"]

    def _send(self, method, path, **kwargs):
        return requests.request(method, f"{self.base}/{path}", **kwargs).json()

    def sources(self, ws):
        return self._send("GET", f"workspaces/{ws}/sources")["sources"]
"""


def test_a_python_client_whose_base_is_a_setting_under_a_segment_key(tmp_path: Path):
    """`api_url` says nothing of Segment, the key it sits under does; the client's requests are read
    with the setting's URL in its place, and move through the layer as apply routes them."""
    found = scan(
        tmp_path,
        {"config.yaml": NESTED_YML, "app/__init__.py": "", "app/settings.py": "CONFIG = {}\n"}
        | {"app/client.py": CLIENT_READING_PY},
    )
    by_line = {f.line: f for f in found["app/client.py"]}
    assert by_line[8].via is not None and by_line[8].via.endswith("config.yaml")
    assert (by_line[14].method, by_line[14].endpoint) == ("GET", "sources.list")
    assert all(f.fixability == "auto" for f in by_line.values())


def test_no_op_a_python_client_reading_the_same_setting_name_of_another_service(tmp_path: Path):
    other = NESTED_YML.replace("segment:", "billing:").replace("platform.segmentapis.com/v1beta", "api.bill.example")
    found = scan(tmp_path, {"config.yaml": other, "app/__init__.py": "", "app/client.py": CLIENT_READING_PY})
    assert "app/client.py" not in found


def test_a_ruby_tests_stub_of_the_config_request_is_the_tests(tmp_path: Path):
    """A minitest or RSpec file stubbing the Config URL pins the request: kind `test`, to update with
    the code, not a request of its own."""
    stub = (
        "class DeleteUsersTest < ActiveSupport::TestCase\n  def stubbed\n"
        '    stub_request(:post, "https://platform.segmentapis.com/v1beta/workspaces/acme/regulations")\n'
        "  end\nend\n"
    )
    found = scan(tmp_path, {"test/delete_users_test.rb": stub, "spec/delete_users_spec.rb": stub})
    kinds = {(name, f.kind) for name, findings in found.items() for f in findings}
    assert kinds == {("test/delete_users_test.rb", "test"), ("spec/delete_users_spec.rb", "test")}


def test_a_request_on_the_line_reading_a_setting_of_a_one_line_json_file(tmp_path: Path):
    """`requests.get(settings["api_url"] + f"/workspaces/{ws}/sources")`, the setting in a JSON
    document on one line: the request there, with its endpoint, says more than the read."""
    client = (
        "import json\n\nimport requests\n\n"
        'settings = json.load(open("settings.json"))["segment"]\n\n\n'
        'def sources(ws):\n    return requests.get(settings["api_url"] + f"/workspaces/{ws}/sources").json()\n'
    )
    settings = '{"segment": {"api_url": "https://platform.segmentapis.com/v1beta"}}\n'
    found = scan(tmp_path, {"settings.json": settings, "sync.py": client})
    assert [(f.line, f.kind, f.endpoint, f.fixability) for f in found["sync.py"]] == [
        (9, "call", "sources.list", "auto")
    ]


SEGMENT_YML = "api_url: https://platform.segmentapis.com/v1beta/\nworkspace: acme\n"
FARADAY_RB = """require 'faraday'
require 'yaml'

config = YAML.load_file(File.expand_path('../config/segment.yml', __dir__))
conn = Faraday.new(url: config['api_url'], headers: { 'Authorization' => "Bearer #{ENV['SEGMENT_TOKEN']}" })
conn.delete("workspaces/#{config['workspace']}/sources/#{ARGV[0]}")
conn.get("https://status.example.com/workspaces/acme/sources")
"""
AXIOS_TS = """import axios from "axios";
import config from "config";

const api = axios.create({
  baseURL: config.get<string>("segment.apiUrl"),
});

export async function listSources(workspace: string) {
  return (await api.get(`workspaces/${workspace}/sources`)).data.sources;
}
"""


def test_requests_on_a_connection_made_on_a_configured_url(tmp_path: Path):
    """Faraday's connection or an axios instance made on the URL a settings file holds: each path
    given to its verbs is a request below that URL, with its endpoint (a full URL of another host is
    none)."""
    found = scan(
        tmp_path,
        {
            "config/segment.yml": SEGMENT_YML,
            "config/default.json": '{"segment": {"apiUrl": "https://platform.segmentapis.com/v1beta/"}}',
            "lib/client.rb": FARADAY_RB,
            "src/segment.ts": AXIOS_TS,
        },
    )
    assert [(f.line, f.kind, f.method, f.endpoint) for f in found["lib/client.rb"]] == [
        (6, "call", "DELETE", "sources.delete")
    ]
    assert [(f.line, f.kind, f.method, f.endpoint) for f in found["src/segment.ts"]] == [
        (9, "call", "GET", "sources.list")
    ]
    assert all(f.via is not None and f.via.endswith("default.json") for f in found["src/segment.ts"])


def test_no_op_a_connection_made_on_another_services_configured_url(tmp_path: Path):
    other = SEGMENT_YML.replace("platform.segmentapis.com/v1beta", "api.example.com/v1beta")
    assert "lib/client.rb" not in scan(tmp_path, {"config/segment.yml": other, "lib/client.rb": FARADAY_RB})


GO_CONFIG = 'package segment\n\nconst defaultBaseURL = "https://platform.segmentapis.com/v1beta"\n'
GO_CLIENT = """package segment

import (
\t"fmt"
\t"net/http"
\t"os"
)

type Client struct {
\tbaseURL   string
\tworkspace string
}

func New(workspace string) *Client {
\treturn &Client{baseURL: defaultBaseURL, workspace: workspace}
}

func (c *Client) do(method, path string, body interface{}) (*http.Response, error) {
\treq, err := http.NewRequest(method, c.baseURL+"/workspaces/"+c.workspace+path, nil)
\tif err != nil {
\t\treturn nil, err
\t}
\treq.Header.Set("Authorization", "Bearer "+os.Getenv("SEGMENT_TOKEN"))
\treturn http.DefaultClient.Do(req)
}

func (c *Client) Disable(source, destination string) error {
\t_, err := c.do(http.MethodPatch, fmt.Sprintf("/sources/%s/destinations/%s", source, destination), nil)
\treturn err
}
"""
GO_SOURCES = """package segment

func (c *Client) Sources() error {
\t_, err := c.do("GET", "/sources", nil)
\treturn err
}
"""


def test_a_go_client_on_its_packages_base_constant_and_the_calls_of_its_chokepoint(tmp_path: Path):
    """The base constant is declared in `config.go`; `client.go` reads it (a Go package shares its
    constants without an import) and sends every request through `do(method, path, ...)`; its calls,
    in any file of the package, are requests with their method and endpoint."""
    found = scan(
        tmp_path,
        {"segment/config.go": GO_CONFIG, "segment/client.go": GO_CLIENT, "segment/sources.go": GO_SOURCES},
    )
    assert ("base_url", 15) in {(f.kind, f.line) for f in found["segment/client.go"]}
    assert [(f.line, f.method, f.endpoint) for f in found["segment/client.go"] if f.kind == "call"] == [
        (28, "PATCH", "destinations.update")
    ]
    assert [(f.line, f.kind, f.method, f.endpoint) for f in found["segment/sources.go"]] == [
        (4, "call", "GET", "sources.list")
    ]


def test_no_op_a_go_package_whose_constant_is_another_apis(tmp_path: Path):
    other = GO_CONFIG.replace("platform.segmentapis.com/v1beta", "api.example.com/v1beta")
    found = scan(
        tmp_path, {"segment/config.go": other, "segment/client.go": GO_CLIENT, "segment/sources.go": GO_SOURCES}
    )
    assert found == {}


GO_ROUTES = """package segment

var routes = map[string]struct{ method, path string }{
\t"sources":   {method: "GET", path: "/workspaces/%s/sources"},
\t"forget":    {method: "POST", path: "/workspaces/%s/regulations"},
\t"catalog":   {method: "GET", path: "/catalog/destinations"},
}
"""
GO_PUBLIC = """package segment

const publicBase = "https://api.segmentapis.com"

var catalogPath = "/catalog/destinations"
"""
GO_RESOURCE_TEST = """package segment

var want = Source{Name: "workspaces/acme/sources/js", CatalogName: "catalog/sources/javascript"}
"""


def test_a_go_route_table_in_the_package_of_a_config_base_constant(tmp_path: Path):
    """`routes.go` holds the client's request table (`{method: "GET", path: "/workspaces/%s/sources"}`)
    and never reads the base constant `config.go` declares: its paths are Config paths all the same,
    each with its verb. A file of the package holding the Public host is the Public client's: its
    `/catalog/destinations` is a Public path, not flagged; nor are the resource names a test holds."""
    files = {
        "segment/config.go": GO_CONFIG,
        "segment/routes.go": GO_ROUTES,
        "segment/public.go": GO_PUBLIC,
        "segment/sources_test.go": GO_RESOURCE_TEST,
    }
    found = scan(tmp_path, files)
    assert [(f.line, f.method, f.endpoint) for f in found["segment/routes.go"]] == [
        (4, "GET", "sources.list"),
        (5, "POST", "regulations.create"),
        (6, "GET", "catalog_destinations.list"),
    ]
    assert "segment/public.go" not in found
    assert "segment/sources_test.go" not in found


def test_a_python_script_reading_its_base_from_a_variable_an_env_example_documents(tmp_path: Path):
    """`.env.example` holds `SEGMENT_API_URL=https://platform...`, the script reads
    `os.environ["SEGMENT_API_URL"]`: apply routes its session through the layer (the repository
    model reads `.env*` files), and scan reports its request, as apply moves it."""
    script = (
        "import os\n\nimport requests\n\n"
        'API = os.environ["SEGMENT_API_URL"]\n'
        "session = requests.Session()\n"
        'print(session.get(f"{API}/workspaces/acme/sources").json()["sources"])\n'
    )
    env = "SEGMENT_API_URL=https://platform.segmentapis.com/v1beta\n"
    found = scan(tmp_path, {".env.example": env, "audit.py": script})
    assert found[".env.example"][0].language == "dotenv"
    [call] = [f for f in found["audit.py"] if f.kind == "call"]
    assert (call.line, call.endpoint) == (7, "sources.list")


SEGMENT_JS = """const fetch = require('node-fetch');

const SEGMENT_API = process.env.SEGMENT_API || 'https://platform.segmentapis.com/v1beta';

async function request(method, path, body) {
  const res = await fetch(`${SEGMENT_API}/workspaces/${process.env.WS}/${path}`, { method, body });
  return res.json();
}

module.exports = {
  listSources: () => request('GET', 'sources'),
  deleteSource: (name) => request('DELETE', `sources/${name}`),
};
"""
REPORT_JS = """const segment = require('./segment');

segment.listSources().then(({ sources }) => sources.forEach((s) => console.log(s.name)));
"""


def test_a_script_clients_own_chokepoint_and_the_functions_it_exports(tmp_path: Path):
    """`request(method, path, body)` fetches `${SEGMENT_API}/workspaces/${ws}/${path}`: each call of
    it spelling the path is a request with its method and endpoint, and a module calling the
    exported `listSources` learns what that sends."""
    found = scan(tmp_path, {"src/segment.js": SEGMENT_JS, "src/report.js": REPORT_JS})
    calls = {(f.line, f.method, f.endpoint) for f in found["src/segment.js"] if f.kind == "call"}
    assert calls == {(11, "GET", "sources.list"), (12, "DELETE", "sources.delete")}
    assert [(f.line, f.endpoint) for f in found["src/report.js"]] == [(3, "sources.list")]


def test_no_op_a_script_chokepoint_on_another_api(tmp_path: Path):
    other = SEGMENT_JS.replace("platform.segmentapis.com/v1beta", "api.example.com/v1beta")
    assert scan(tmp_path, {"src/segment.js": other, "src/report.js": REPORT_JS}) == {}


CLIENT_TS = """import axios from "axios";

export class SegmentConfigClient {
  private readonly baseUrl = "https://platform.segmentapis.com/v1beta";

  constructor(private workspace: string) {}

  private async send<T>(method: "GET" | "DELETE", path: string): Promise<T> {
    return (await axios.request<T>({ method, url: `${this.baseUrl}/workspaces/${this.workspace}/${path}` })).data;
  }

  deleteSource(name: string) {
    return this.send("DELETE", `sources/${name}`);
  }
}
"""


def test_a_typescript_class_chokepoint_on_a_base_field(tmp_path: Path):
    """`private async send<T>(method, path)` on `this.baseUrl`, a class field holding the Config base:
    `this.send("DELETE", ...)` is a request with its endpoint."""
    found = scan(tmp_path, {"src/client.ts": CLIENT_TS})
    assert (13, "DELETE", "sources.delete") in {(f.line, f.method, f.endpoint) for f in found["src/client.ts"]}


def test_a_go_chokepoint_building_its_url_with_sprintf_in_a_variable(tmp_path: Path):
    """`url := fmt.Sprintf("%s/workspaces/%s%s", c.baseURL, c.workspace, path)`, then
    `http.NewRequestWithContext(ctx, method, url, nil)`: the same chokepoint as a `+` concatenation."""
    client = GO_CLIENT.replace(
        'req, err := http.NewRequest(method, c.baseURL+"/workspaces/"+c.workspace+path, nil)',
        'url := fmt.Sprintf("%s/workspaces/%s%s", c.baseURL, c.workspace, path)\n'
        "\treq, err := http.NewRequestWithContext(context.Background(), method, url, nil)",
    )
    assert 'Sprintf("%s/workspaces' in client
    found = scan(
        tmp_path, {"segment/config.go": GO_CONFIG, "segment/client.go": client, "segment/sources.go": GO_SOURCES}
    )
    assert [(f.line, f.kind, f.method, f.endpoint) for f in found["segment/sources.go"]] == [
        (4, "call", "GET", "sources.list")
    ]
    assert (29, "PATCH", "destinations.update") in {(f.line, f.method, f.endpoint) for f in found["segment/client.go"]}


def _script_reading(variable: str) -> str:
    """A script sending a request on the base an environment variable holds (its request on line 6)."""
    return (
        "import os\n\nimport requests\n\n"
        f'API = os.environ["{variable}"]\n'
        'print(requests.get(f"{API}/workspaces/acme/sources").json())\n'
    )


def test_a_script_reading_a_variable_a_compose_files_environment_list_sets(tmp_path: Path):
    """`environment: - SEGMENT_API=https://platform...` in docker-compose.yml, `os.environ["SEGMENT_API"]`
    in the script: the script is a Config client (scan reports its request, apply routes it)."""
    compose = "services:\n  sync:\n    environment:\n      - SEGMENT_API=https://platform.segmentapis.com/v1beta\n"
    script = _script_reading("SEGMENT_API")
    found = scan(tmp_path, {"docker-compose.yml": compose, "sync.py": script})
    assert [(f.line, f.endpoint) for f in found["sync.py"] if f.kind == "call"] == [(6, "sources.list")]


def test_a_script_reading_an_environment_variable_a_kubernetes_manifest_sets(tmp_path: Path):
    """`env: - name: CONFIG_API_URL` / `value: https://platform...` in a manifest, and a script reading
    `os.environ["CONFIG_API_URL"]` that never says Segment: an environment variable is one name
    everywhere, so the script is a Config client; a generic key read as an attribute is not."""
    manifest = (
        "spec:\n  containers:\n    - name: sync\n      env:\n"
        "        - name: CONFIG_API_URL\n          value: https://platform.segmentapis.com/v1beta\n"
    )
    script = _script_reading("CONFIG_API_URL")
    found = scan(tmp_path, {"k8s/deploy.yaml": manifest, "sync.py": script})
    assert [(f.line, f.endpoint) for f in found["sync.py"] if f.kind == "call"] == [(6, "sources.list")]
    other = script.replace('os.environ["CONFIG_API_URL"]', "settings.value")
    assert "other.py" not in scan(tmp_path, {"other.py": other})


def test_requests_a_script_builds_on_an_environment_variable_a_dotenv_sets(tmp_path: Path):
    """`.env` holds `SEGMENT_API=https://platform...`; a Node script reads `process.env.SEGMENT_API`
    into a constant and builds its requests on it: each has its endpoint, and a request's verb is
    never taken from the next request's options (`{ method: 'DELETE' }` two lines down)."""
    script = (
        "const API = process.env.SEGMENT_API;\n"
        "async function main() {\n"
        "  const res = await fetch(`${API}/workspaces/acme/sources`, { headers: {} });\n"
        "  console.log((await res.json()).sources.length);\n"
        "  await fetch(`${API}/workspaces/acme/sources/old`, { method: 'DELETE' });\n"
        "}\n"
    )
    found = scan(tmp_path, {".env": "SEGMENT_API=https://platform.segmentapis.com/v1beta\n", "sync.js": script})
    requests = {(f.line, f.method, f.endpoint) for f in found["sync.js"] if f.endpoint is not None}
    assert requests == {(3, "GET", "sources.list"), (5, "DELETE", "sources.delete")}


CONFIGURED_JS = """const API = process.env.SEGMENT_API_URL;
const WS = process.env.SEGMENT_WORKSPACE;

async function call(method, path, body) {
  const res = await fetch(`${API}/workspaces/${WS}/${path}`, { method, body: JSON.stringify(body) });
  return res.json();
}

export const listSources = () => call("GET", "sources");
export const disable = (source, dest) =>
  call("PATCH", `sources/${source}/destinations/${dest}`, { destination: { enabled: false } });
export default call;
"""
NIGHTLY_JS = """import call, { listSources, disable } from "../lib/segment.js";

const sources = await listSources();
await disable("web", "mixpanel");
const plans = await call("GET", "tracking-plans");
"""


def test_a_script_clients_request_function_on_a_base_its_configuration_holds(tmp_path: Path):
    """`const API = process.env.SEGMENT_API_URL` with the URL in `.env.example`: the request function
    built on it is the chokepoint, its one-line exported callers send their endpoints, and a module
    importing them (the chokepoint itself too, by its default export) gets each call's."""
    found = scan(
        tmp_path,
        {
            ".env.example": "SEGMENT_API_URL=https://platform.segmentapis.com/v1beta\n",
            "src/lib/segment.js": CONFIGURED_JS,
            "src/jobs/nightly.js": NIGHTLY_JS,
        },
    )
    client = {(f.line, f.method, f.endpoint) for f in found["src/lib/segment.js"] if f.kind == "call"}
    assert client == {(5, None, None), (9, "GET", "sources.list"), (11, "PATCH", "destinations.update")}
    assert {(f.line, f.method, f.endpoint) for f in found["src/jobs/nightly.js"]} == {
        (3, "GET", "sources.list"),
        (4, "PATCH", "destinations.update"),
        (5, "GET", "tracking_plans.list"),
    }
