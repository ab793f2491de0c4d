"""Every call found with its right method and endpoint, in the forms real Config API code takes:
a request helper named for its verb, a verb passed beside the URL, a URL variable reassigned
between two calls."""

from __future__ import annotations

from pathlib import Path

from migrator.early_parser import APPLY_JUDGE
from migrator.scan import scan_paths
from migrator.scan.findings import Finding


def requests_of(
    root: Path, files: dict[str, str]
) -> tuple[dict[tuple[str, int], tuple[str, str | None, str | None]], list[Finding]]:
    """Each request found in `files` written under `root`, by (file name, line): (kind, method,
    endpoint); and every finding."""
    for name, text in files.items():
        (root / name).write_text(text)
    findings = scan_paths([root], jobs=1).findings
    found = {(Path(f.file).name, f.line): (f.kind, f.method, f.endpoint) for f in findings if f.kind in ("call", "url")}
    return found, findings


def endpoints(tmp_path: Path, name: str, text: str) -> list[tuple[int, str, str | None]]:
    (tmp_path / name).write_text(text)
    return [
        (finding.line, finding.kind, finding.endpoint)
        for finding in scan_paths([tmp_path], jobs=1).findings
        if finding.kind in ("call", "url")
    ]


HELPER_NAMED_FOR_ITS_VERB = """import requests

REGULATE = 'v1beta/workspaces/{}/regulations'


class Api:
    def __init__(self, base_url, workspace):
        self.base_url = base_url
        self.workspace = workspace

    def _call_segment_post(self, url, params):
        return requests.post(self.base_url + url, json=params)

    def suppress(self, users):
        return self._call_segment_post(REGULATE.format(self.workspace), {"values": users})
"""


def test_a_url_sent_through_a_helper_named_for_its_verb_is_a_post(tmp_path: Path):
    found = endpoints(tmp_path, "segment_api.py", HELPER_NAMED_FOR_ITS_VERB)
    assert (15, "url", "regulations.create") in found


def test_no_op_the_verb_of_a_helper_whose_name_only_starts_with_one(tmp_path: Path):
    """`post_process(url)` is not a request: the verb counts only as the name's last word."""
    text = HELPER_NAMED_FOR_ITS_VERB.replace("self._call_segment_post(REGULATE", "post_process(REGULATE")
    found = endpoints(tmp_path, "segment_api.py", text)
    assert (15, "url", "regulations.create") not in found


def test_a_verb_passed_beside_the_url_in_javascript(tmp_path: Path):
    text = (
        "const api = 'https://platform.segmentapis.com';\n"
        "const list = (s) => send(token, 'GET', `${api}/v1beta/${s}/destinations`);\n"
        'const add = (s, d) => send(token, "POST", `${api}/v1beta/${s}/destinations`, d);\n'
        "const change = (s, d) => send(token, 'PATCH', `${api}/v1beta/${s}/destinations/${d.id}`, d);\n"
    )
    found = endpoints(tmp_path, "index.js", text)
    assert [endpoint for _line, _kind, endpoint in found] == [
        "destinations.list",
        "destinations.create",
        "destinations.update",
    ]


def test_a_url_variable_reassigned_between_two_calls(tmp_path: Path):
    text = (
        "import requests\n\n"
        'base = "https://platform.segmentapis.com/v1beta/"\n'
        'url = base + "workspaces/acme/tracking-plans"\n'
        'plans = requests.request("GET", url).json()["tracking_plans"]\n'
        'url = base + "workspaces/acme/sources"\n'
        'sources = requests.request("GET", url).json()["sources"]\n'
    )
    calls = [(line, endpoint) for line, kind, endpoint in endpoints(tmp_path, "report.py", text) if kind == "call"]
    assert calls == [(5, "tracking_plans.list"), (7, "sources.list")]


def test_no_op_a_path_prefix_is_not_an_endpoint(tmp_path: Path):
    """`".../v1beta/workspaces/"` and a Go `"workspaces/"` prefix test are the start of every path
    under them: the base URL, not `GET workspaces`."""
    (tmp_path / "client.go").write_text(
        'package client\n\nconst base = "https://platform.segmentapis.com/v1beta"\n\n'
        'func prefixed(e string) bool { return strings.HasPrefix(e, "workspaces/") }\n'
    )
    (tmp_path / "base.py").write_text('BASE = "https://platform.segmentapis.com/v1beta/workspaces/"\n')
    found = [(Path(f.file).name, f.line, f.kind, f.endpoint) for f in scan_paths([tmp_path], jobs=1).findings]
    assert ("client.go", 5, "base_url", None) in found
    assert ("base.py", 1, "base_url", None) in found
    assert not any(endpoint == "workspaces.list" for *_rest, endpoint in found)


WORKSPACE_BASES = """import httpx
import requests
from urllib.parse import urljoin

WORKSPACE = "https://platform.segmentapis.com/v1beta/workspaces/acme"
JOINED = "https://platform.segmentapis.com/v1beta/workspaces/acme/"
CLIENT_BASE = "https://platform.segmentapis.com/v1beta/workspaces/acme"
SOURCES = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"


class Api:
    root = "https://platform.segmentapis.com/v1beta/workspaces/acme"

    def plans(self):
        return requests.get(self.root + "/tracking-plans").json()


def sources():
    return requests.get(f"{WORKSPACE}/sources").json(), requests.get(SOURCES).json()


def functions():
    return requests.get(urljoin(JOINED, "functions")).json()


client = httpx.Client(base_url=CLIENT_BASE)
"""


def test_a_workspace_url_the_code_builds_longer_urls_on_is_a_base(tmp_path: Path):
    """`WORKSPACE = ".../workspaces/acme"` read as the start of `f"{WORKSPACE}/sources"`, of `+`, of
    `urljoin` or as an httpx `base_url` is where the paths start, not `GET workspaces/{ws}`. A URL
    constant sent as it is stays the endpoint it names."""
    (tmp_path / "bases.py").write_text(WORKSPACE_BASES)
    found = {(f.line, f.kind, f.endpoint) for f in scan_paths([tmp_path], jobs=1).findings}
    assert {(5, "base_url", None), (6, "base_url", None), (7, "base_url", None), (12, "base_url", None)} <= found
    assert (8, "url", "sources.list") in found
    assert not any(endpoint == "workspaces.get" for *_rest, endpoint in found)


BASE_BUILT_FROM_PARAMETERS = """import urllib.request


class Config:
    def __init__(self, token, workspace, host="https://platform.segmentapis.com"):
        self.token = token
        self.base = host + "/v1beta/workspaces/" + workspace

    def _call(self, method, path, body=None):
        request = urllib.request.Request(self.base + path, data=body, method=method)
        return urllib.request.urlopen(request)

    def destinations(self, source):
        return self._call("GET", f"/sources/{source}/destinations")

    def disable(self, source, destination):
        return self._call("PATCH", f"/sources/{source}/destinations/{destination}", b"{}")
"""


def test_a_chokepoints_callers_when_its_base_is_built_from_parameters(tmp_path: Path):
    """`self.base = host + "/v1beta/workspaces/" + workspace` in `__init__`, then `self.base + path`
    in the chokepoint: the base is where the paths start (workspace included), and each caller's
    request is found with its endpoint."""
    found, _ = requests_of(tmp_path, {"config.py": BASE_BUILT_FROM_PARAMETERS})
    assert found[("config.py", 14)] == ("call", "GET", "destinations.list")
    assert found[("config.py", 17)] == ("call", "PATCH", "destinations.update")
    assert ("config.py", 7) not in found, "the base is no request of its own"


BASE_FROM_A_PARAMETERS_DEFAULT = """from urllib.parse import urljoin

import requests


class Client:
    def __init__(self, token, base_url="https://platform.segmentapis.com/v1beta/"):
        self.base_url = base_url
        self.session = requests.Session()

    def send(self, verb, path, body=None):
        url = urljoin(self.base_url, path)
        return self.session.request(verb, url, json=body).json()


def plans(client):
    return client.send("GET", "workspaces/acme/tracking-plans")["tracking_plans"]
"""


def test_a_chokepoint_on_a_base_a_parameters_default_gives_and_a_local_url(tmp_path: Path):
    """The base is `__init__`'s parameter default, kept on `self`; the chokepoint joins it in a local
    variable: it is a chokepoint, and its caller's request is found with its endpoint."""
    found, findings = requests_of(tmp_path, {"client.py": BASE_FROM_A_PARAMETERS_DEFAULT})
    assert found[("client.py", 17)] == ("call", "GET", "tracking_plans.list")
    assert any(f.line == 13 and f.message.startswith("chokepoint") for f in findings)


PATH_DEFAULTING_TO_NOTHING = """import requests


class Admin:
    BASE_URL = "https://platform.segmentapis.com/v1beta/workspaces/{workspace}"

    def __init__(self, workspace):
        self.workspace = workspace
        self.session = requests.Session()

    def _call(self, method, path="", **kwargs):
        url = self.BASE_URL.format(workspace=self.workspace) + path
        return self.session.request(method, url, **kwargs).json()

    def workspace_info(self):
        return self._call("GET")

    def source(self, slug):
        return self._call("GET", f"/sources/{slug}")
"""


def test_a_chokepoint_whose_path_defaults_to_nothing(tmp_path: Path):
    """`def _call(self, method, path="")`: the empty default is no value of the path (callers give
    it), so `_call` is a chokepoint; a caller giving no path sends to the base itself."""
    found, findings = requests_of(tmp_path, {"admin.py": PATH_DEFAULTING_TO_NOTHING})
    assert any(f.line == 13 and f.message.startswith("chokepoint") for f in findings)
    assert found[("admin.py", 16)] == ("call", "GET", "workspaces.get")
    assert found[("admin.py", 19)] == ("call", "GET", "sources.get")


SHELL_BASE = """#!/usr/bin/env bash
set -euo pipefail
API="https://platform.segmentapis.com/v1beta/workspaces/${SEGMENT_WORKSPACE}"
curl -sf -H "Authorization: Bearer ${SEGMENT_TOKEN}" "$API/sources" | jq -r '.sources[].name'
curl -sf -X PATCH -H "Authorization: Bearer ${SEGMENT_TOKEN}" \\
  -d '{"destination":{"enabled":false},"update_mask":{"paths":["destination.enabled"]}}' \\
  "${API}/sources/web/destinations/google-analytics"
"""
MAKEFILE_BASE = """API := https://platform.segmentapis.com/v1beta

plans:
\tcurl -s -H "Authorization: Bearer $$TOKEN" $(API)/workspaces/acme/tracking-plans
"""
WORKFLOW_BASE = """on: push
env:
  SEGMENT_API: https://platform.segmentapis.com/v1beta/workspaces/acme
jobs:
  sync:
    runs-on: ubuntu-latest
    steps:
      - run: curl -X DELETE -H "Authorization: Bearer $TOKEN" "${{ env.SEGMENT_API }}/sources/old"
"""


def test_a_base_url_a_shell_makefile_or_workflow_variable_holds(tmp_path: Path):
    """`API="https://.../workspaces/$WS"` then `curl "$API/sources"`: the variable is the base (not a
    request with the verb of the curl after it), and each curl the request its path and flags say."""
    files = {"sync.sh": SHELL_BASE, "Makefile": MAKEFILE_BASE, "sync.yml": WORKFLOW_BASE}
    found, findings = requests_of(tmp_path, files)
    assert found == {
        ("sync.sh", 4): ("call", "GET", "sources.list"),
        ("sync.sh", 7): ("call", "PATCH", "destinations.update"),
        ("Makefile", 4): ("call", "GET", "tracking_plans.list"),
        ("sync.yml", 8): ("call", "DELETE", "sources.delete"),
    }
    definitions = {(Path(f.file).name, f.line): f.kind for f in findings if f.line in (1, 3)}
    assert definitions == {("sync.sh", 3): "base_url", ("Makefile", 1): "base_url", ("sync.yml", 3): "config"}


SHELL_FALLBACK = """#!/usr/bin/env bash
API="${SEGMENT_API:-https://platform.segmentapis.com/v1beta}"
for src in web ios-app; do
  curl -sf -X PATCH "$API/workspaces/$WS/sources/$src/destinations/amplitude" \\
    -d '{"destination":{"enabled":false},"update_mask":{"paths":["destination.enabled"]}}'
done
curl -s "$API/workspaces/$WS/tracking-plans" | jq '.tracking_plans[].display_name'
"""


def test_a_shell_variable_falling_back_on_the_config_url(tmp_path: Path):
    """`API="${SEGMENT_API:-https://...}"`: the Config URL wherever the other is not set, so each
    curl on `$API` is a request with its endpoint."""
    found, findings = requests_of(tmp_path, {"disable.sh": SHELL_FALLBACK})
    assert found == {
        ("disable.sh", 4): ("call", "PATCH", "destinations.update"),
        ("disable.sh", 7): ("call", "GET", "tracking_plans.list"),
    }
    assert any(f.line == 2 and f.kind == "base_url" for f in findings)


def test_a_request_outside_python_is_a_persons_to_move_whatever_apply_does_in_python(tmp_path: Path):
    """A tracking plan update is several Public calls: in a workflow that is said, with how to move
    it by hand, not what apply does where the code's shape allows."""
    workflow = WORKFLOW_BASE.replace("-X DELETE", "-X PUT").replace("/sources/old", "/tracking-plans/rs_1")
    _found, findings = requests_of(tmp_path, {"sync.yml": workflow})
    [put] = [f for f in findings if f.kind == "call"]
    assert put.endpoint == "tracking_plans.update" and put.fixability == "manual"
    assert put.reason is not None and put.reason.startswith("one Config call becomes several Public calls: ")
    assert "rewrites Python only" in put.reason and "code's shape" not in put.reason


GO_VERB_CONSTANT = """package segment

const apiBase = "https://platform.segmentapis.com/v1beta"

func (c *Client) DeleteSource(name string) error {
	_, err := c.do(http.MethodDelete, "/workspaces/"+c.workspace+"/sources/"+name, nil)
	return err
}
"""


def test_a_go_verb_constant_passed_beside_the_path(tmp_path: Path):
    found, _ = requests_of(tmp_path, {"sources.go": GO_VERB_CONSTANT})
    assert found == {("sources.go", 6): ("call", "DELETE", "sources.delete")}


URL_BUILDERS = """import os

import requests

BASE = "https://platform.segmentapis.com/v1beta/"


def joined(ws):
    return requests.get(os.path.join(BASE, "workspaces", ws, "sources")).json()


def stripped(ws):
    return requests.get(BASE.rstrip("/") + "/workspaces/" + ws + "/tracking-plans").json()


def paged(ws, size):
    return requests.get(url=f"{BASE}workspaces/{ws}/sources?page_size={size}").json()
"""


def test_urls_built_by_path_joins_stripped_bases_and_queries_from_parameters(tmp_path: Path):
    """`os.path.join(BASE, "workspaces", ws, "sources")` is sources, not workspaces; a base stripped of
    its slash still leads to its path; a parameter in the query makes no chokepoint of a call."""
    found, _ = requests_of(tmp_path, {"builders.py": URL_BUILDERS})
    assert found == {
        ("builders.py", 9): ("call", "GET", "sources.list"),
        ("builders.py", 13): ("call", "GET", "tracking_plans.list"),
        ("builders.py", 17): ("call", "GET", "sources.list"),
    }


CONSTANT_BASES = {
    "sync.js": """const axios = require('axios');
const BASE = 'https://platform.segmentapis.com/v1beta/workspaces/acme';

async function main() {
  const sources = await axios.get(`${BASE}/sources`);
  const plans = await axios.get(BASE + '/tracking-plans');
  await axios.delete(`${BASE}/sources/old`);
}
""",
    "sync.go": """package main

const base = "https://platform.segmentapis.com/v1beta/workspaces/acme"

func list() {
	req, _ := http.NewRequest("GET", base+"/sources", nil)
	req2, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/tracking-plans", base), body)
}
""",
    "sync.php": """<?php
$base = 'https://platform.segmentapis.com/v1beta/workspaces/acme';
$sources = $http->get($base . '/sources');
$http->delete("$base/sources/old");
""",
}


def test_requests_on_a_constant_holding_the_workspaces_url(tmp_path: Path):
    """`const BASE = ".../v1beta/workspaces/acme"` then `${BASE}/sources`, `BASE + '/tracking-plans'`,
    Go's `base+"/sources"` and `Sprintf("%s/...", base)`, PHP's `$base . '/sources'` and `"$base/..."`:
    each request is found with its endpoint, and the constant is the base, not `GET workspaces`."""
    found, findings = requests_of(tmp_path, CONSTANT_BASES)
    assert found == {
        ("sync.js", 5): ("call", "GET", "sources.list"),
        ("sync.js", 6): ("call", "GET", "tracking_plans.list"),
        ("sync.js", 7): ("call", "DELETE", "sources.delete"),
        ("sync.go", 6): ("call", "GET", "sources.list"),
        ("sync.go", 7): ("call", "POST", "tracking_plans.create"),
        ("sync.php", 3): ("call", "GET", "sources.list"),
        ("sync.php", 4): ("call", "DELETE", "sources.delete"),
    }
    assert {(Path(f.file).name, f.line) for f in findings if f.kind == "base_url"} == {
        ("sync.js", 2),
        ("sync.go", 3),
        ("sync.php", 2),
    }


PHP_CURL = """<?php
$base = 'https://platform.segmentapis.com/v1beta/workspaces/acme';
$ch = curl_init("$base/sources/web/destinations/google-analytics");
curl_setopt($ch, CURLOPT_CUSTOMREQUEST, 'DELETE');
curl_exec($ch);
$ch = curl_init($base . '/sources');
curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
"""


def test_a_php_curl_handles_verb_set_after_it_and_not_past_the_next_handle(tmp_path: Path):
    found, _ = requests_of(tmp_path, {"sync.php": PHP_CURL})
    assert found[("sync.php", 3)] == ("call", "DELETE", "destinations.delete")
    assert found[("sync.php", 6)][1:] == ("GET", "sources.list")


CLIENT_OPTIONS = """import got from 'got';

const api = got.extend({ prefixUrl: 'https://platform.segmentapis.com/v1beta/workspaces/acme' });

const source = { name: 'workspaces/acme/sources/new', catalog_name: 'catalog/sources/javascript' };
await api.post('sources', { json: { source } });
"""


def test_a_client_base_option_is_a_base_and_a_resource_name_in_a_body_no_request(tmp_path: Path):
    """`prefixUrl: '.../workspaces/acme'` is where paths start, not `GET workspaces`; `name:
    'workspaces/acme/sources/new'` in a body names a resource, it is no path; the request is the
    client's `post('sources')`."""
    found, findings = requests_of(tmp_path, {"client.mjs": CLIENT_OPTIONS})
    assert found == {("client.mjs", 6): ("call", "POST", "sources.create")}
    assert [(f.line, f.kind) for f in findings] == [(3, "base_url"), (6, "call")]  # none on line 5


CSHARP_CLIENT = """public class SegmentConfig
{
    private const string Base = "https://platform.segmentapis.com/v1beta/workspaces/acme";

    public async Task<string> Sources() => await client.GetStringAsync($"{Base}/sources");

    public async Task Delete() => await client.DeleteAsync(Base + "/sources/old");
}
"""


def test_csharp_http_client_verbs_on_a_constant_base(tmp_path: Path):
    found, _ = requests_of(tmp_path, {"Segment.cs": CSHARP_CLIENT})
    assert found == {
        ("Segment.cs", 5): ("call", "GET", "sources.list"),
        ("Segment.cs", 7): ("call", "DELETE", "sources.delete"),
    }


CLIENT_ON_A_WORKSPACE_BASE = """const axios = require('axios');

const segment = axios.create({
  baseURL: `https://platform.segmentapis.com/v1beta/workspaces/${process.env.SEGMENT_WORKSPACE}`,
});
const other = axios.create({ baseURL: 'https://api.example.com/v2' });

async function main(source) {
  const { data } = await segment.get('/sources');
  await segment.patch(`/sources/${source}/destinations/ga`, { destination: { enabled: false } });
  await other.get('/sources');
  return (await segment.get('tracking-plans')).data;
}
"""


def test_requests_on_a_client_made_with_a_workspaces_base_option(tmp_path: Path):
    """`axios.create({ baseURL: ".../workspaces/${ws}" })`, then `segment.get('/sources')`: each call on
    that client is the request its path makes on the base; another client's calls are not."""
    found, _ = requests_of(tmp_path, {"api.js": CLIENT_ON_A_WORKSPACE_BASE})
    assert found == {
        ("api.js", 9): ("call", "GET", "sources.list"),
        ("api.js", 10): ("call", "PATCH", "destinations.update"),
        ("api.js", 12): ("call", "GET", "tracking_plans.list"),
    }


def test_a_curl_commands_method_however_far_its_url_is(tmp_path: Path):
    """Documentation's curl examples: `-X PATCH` ten lines above the URL, past a JSON body; `-d`
    without `-X` is a POST, as curl sends it; a bare curl is a GET."""
    body = "\n".join(["  -d '{", '    "destination": {', '      "enabled": false', "    }"] * 2) + "\n  }'\n"
    readme = (
        "```shell\n$ curl -X PATCH \\\n  -H 'Authorization: Bearer $TOKEN' \\\n"
        + body
        + "  'https://platform.segmentapis.com/v1beta/workspaces/acme/sources/js/destinations/amplitude'\n```\n\n"
        "```shell\ncurl -H 'Authorization: Bearer $TOKEN' -d '{\"source\": {}}' \\\n"
        "  https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n```\n\n"
        "```shell\ncurl https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n```\n"
    )
    (tmp_path / "README.md").write_text(readme)
    found = [f.endpoint for f in scan_paths([tmp_path], jobs=1).findings if f.kind in ("call", "url")]
    assert found == ["destinations.update", "sources.create", "sources.list"]


BASE_FIRST = {
    "client.go": (
        'package gocl\n\nconst baseURL = "https://platform.segmentapis.com/v1beta"\n\n'
        "func ListDestinations(ws, source string) (*http.Response, error) {\n"
        '\turl := fmt.Sprintf("%s/workspaces/%s/sources/%s/destinations", baseURL, ws, source)\n'
        '\treq, _ := http.NewRequest("GET", url, nil)\n'
        "\treturn http.DefaultClient.Do(req)\n}\n"
    ),
    "regulate.rb": (
        "class Regulate\n  BASE = 'https://platform.segmentapis.com/v1beta'.freeze\n\n"
        "  def suppress(workspace, ids)\n"
        '    HTTParty.post("#{BASE}/workspaces/#{workspace}/regulations", body: ids.to_json)\n'
        "  end\nend\n"
    ),
    "sync.js": (
        'const SEGMENT_API = "https://platform.segmentapis.com/v1beta";\n\n'
        "async function createSource(ws, body) {\n"
        "  const res = await fetch(`${SEGMENT_API}/workspaces/${ws}/sources`, {\n"
        '    method: "POST",\n    body: JSON.stringify(body),\n  });\n  return res.json();\n}\n'
    ),
}


def test_a_path_put_after_the_base_in_go_ruby_and_javascript(tmp_path: Path):
    """`"%s/workspaces/%s/..."` with the base first, `"#{BASE}/workspaces/..."`, `${API}/workspaces/...`:
    in a file that holds the host, the path after the base is the endpoint."""
    found, findings = requests_of(tmp_path, BASE_FIRST)
    assert found == {
        ("client.go", 6): ("call", "GET", "destinations.list"),
        ("regulate.rb", 5): ("call", "POST", "regulations.create"),
        ("sync.js", 4): ("call", "POST", "sources.create"),
    }
    bases = [f for f in findings if f.kind == "base_url"]
    assert bases and all(f.method is None for f in bases)  # a base is no request: no method of its own


def test_no_op_another_apis_workspaces_path_after_its_own_base(tmp_path: Path):
    """The host guard: a file whose only URL is another service's (Terraform Cloud's workspaces)."""
    text = BASE_FIRST["regulate.rb"].replace("platform.segmentapis.com/v1beta", "app.terraform.io/api/v2")
    assert endpoints(tmp_path, "tfc.rb", text) == []


def test_a_path_whose_last_part_is_a_value_says_so_rather_than_listing_every_candidate(tmp_path: Path):
    text = (
        'package seg\n\nconst host = "https://platform.segmentapis.com/v1beta"\n\n'
        "func (r *Request) Do(c *Client) {\n"
        '\tr.endpoint = fmt.Sprintf("workspaces/%s/%s", c.workspace, r.endpoint)\n}\n'
    )
    (tmp_path / "main.go").write_text(text)
    [finding] = [f for f in scan_paths([tmp_path], jobs=1).findings if f.kind in ("call", "url")]
    assert finding.endpoint is None and finding.path == "/workspaces/{…}/{…}"
    assert "whose last part is a value the scan cannot read" in finding.message and "\x00" not in finding.message


CONCATENATED = {
    "api.js": (
        'const BASE = process.env.SEGMENT_API || "https://platform.segmentapis.com/v1beta";\n'
        "function toggle(ws, source, dest) {\n"
        '  return axios.patch(BASE + "/workspaces/" + ws + "/sources/" + source + "/destinations/" + dest, {});\n'
        "}\n"
    ),
    "resty.go": (
        'package seg\n\nconst base = "https://platform.segmentapis.com/v1beta"\n\n'
        "func Create(c *resty.Client, ws string) {\n"
        '\tc.R().Post(base + "/workspaces/" + ws + "/sources")\n}\n'
    ),
    "Sync.java": (
        "class Sync {\n"
        '  static final String BASE = "https://platform.segmentapis.com/v1beta";\n'
        "  HttpRequest get(String ws, String source) {\n"
        '    URI uri = URI.create(BASE + "/workspaces/" + ws + "/sources/" + source);\n'
        "    return HttpRequest.newBuilder(uri).GET().build();\n"
        "  }\n}\n"
    ),
    "sync.php": (
        "<?php\n$base = 'https://platform.segmentapis.com/v1beta';\n"
        "$client->delete($base . '/workspaces/' . $ws . '/sources/' . $source->name);\n"
    ),
}


def test_a_path_concatenated_from_pieces_and_values(tmp_path: Path):
    """`BASE + "/workspaces/" + ws + "/sources"` (PHP: `.`): the pieces and the values between them
    read as one path, each value a placeholder; not a base URL for each piece."""
    found, _findings = requests_of(tmp_path, CONCATENATED)
    assert found == {
        ("api.js", 3): ("call", "PATCH", "destinations.update"),
        ("resty.go", 6): ("call", "POST", "sources.create"),
        ("Sync.java", 4): ("call", "GET", "sources.get"),  # the verb on the line after
        ("sync.php", 3): ("call", "DELETE", "sources.delete"),
    }


NET_HTTP = """require 'net/http'

API = 'https://platform.segmentapis.com/v1beta'

def sources(ws)
  JSON.parse(RestClient.get("#{API}/workspaces/#{ws}/sources"))
end

def delete_source(ws, name)
  uri = URI("#{API}/workspaces/#{ws}/sources/#{name}")
  request = Net::HTTP::Delete.new(uri)
  Net::HTTP.start(uri.host, uri.port, use_ssl: true) { |http| http.request(request) }
end
"""


def test_the_verb_on_the_line_after_and_not_the_one_in_the_function_before(tmp_path: Path):
    """`Net::HTTP::Delete.new(uri)` after the URL is built; the `RestClient.get` above it is another
    function's request, past the `end` and the `def` between them."""
    assert endpoints(tmp_path, "sources.rb", NET_HTTP) == [(6, "call", "sources.list"), (10, "call", "sources.delete")]


def test_a_url_holding_a_workflow_expression_with_spaces(tmp_path: Path):
    """`${{ vars.WS }}` in a GitHub Actions step: its spaces do not end the URL."""
    workflow = (
        "jobs:\n  sync:\n    steps:\n      - run: |\n"
        '          curl -X PATCH "https://platform.segmentapis.com/v1beta/workspaces/${{ vars.WS }}/sources/web"\n'
    )
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    assert endpoints(tmp_path, ".github/workflows/sync.yml", workflow) == [(5, "call", "sources.update")]


BASE_URL_SESSION = """import os

from requests_toolbelt.sessions import BaseUrlSession

session = BaseUrlSession(base_url="https://platform.segmentapis.com/v1beta/workspaces/acme/")
session.headers["Authorization"] = "Bearer " + os.environ["TOKEN"]
names = [source["name"] for source in session.get("sources").json()["sources"]]
session.delete("sources/old")
"""


def test_requests_on_a_session_made_with_a_base_keyword(tmp_path: Path):
    """requests-toolbelt's `BaseUrlSession(base_url=...)`: the keyword's URL is a base (not a
    `GET workspaces/{ws}` request), and each path given to the session is a request below it."""
    found, findings = requests_of(tmp_path, {"tb.py": BASE_URL_SESSION})
    assert found == {("tb.py", 7): ("call", "GET", "sources.list"), ("tb.py", 8): ("call", "DELETE", "sources.delete")}
    assert [f.kind for f in findings if f.line == 5] == ["base_url"]


PATH_AFTER_A_WORKSPACE_BASE = """import requests

HOST = "platform.segmentapis.com"


class Client:
    def __init__(self, workspace, host=HOST, version="v1beta"):
        self.base = f"https://{host}/{version}/workspaces/{workspace}"
        self.session = requests.Session()

    def call(self, method, path, **kwargs):
        return self.session.request(method, f"{self.base}/{path}", **kwargs).json()

    def sources(self):
        return self.call("GET", "sources")["sources"]
"""


def test_a_chokepoint_whose_path_parameter_follows_a_workspace_base(tmp_path: Path):
    """`f"{self.base}/{path}"` on `.../workspaces/{workspace}`: what precedes the path could end an
    endpoint (a workspace), but a parameter named `path` carries the rest: a chokepoint, whose
    caller's request has its endpoint."""
    found, findings = requests_of(tmp_path, {"client.py": PATH_AFTER_A_WORKSPACE_BASE})
    assert any(f.line == 12 and f.message.startswith("chokepoint") for f in findings)
    assert found[("client.py", 15)] == ("call", "GET", "sources.list")


BASE_FROM_AN_OPTION = """import argparse

import requests


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api-url", default="https://platform.segmentapis.com/v1beta")
    args = parser.parse_args()
    requests.get(f"{args.api_url}/workspaces/acme/sources/web/destinations").raise_for_status()
"""


def test_a_path_after_a_base_read_from_an_option_is_the_endpoint_it_spells(tmp_path: Path):
    """`f"{args.api_url}/workspaces/acme/sources/web/destinations"`: the value before `workspaces`
    is the base, no segment of the path, so the request lists destinations (it was read as a
    destination's GET, the value taken for a path segment)."""
    (tmp_path / "cli.py").write_text(BASE_FROM_AN_OPTION)
    findings = scan_paths([tmp_path], jobs=1, judge=APPLY_JUDGE).findings
    assert [(f.line, f.method, f.endpoint) for f in findings if f.kind == "call"] == [(10, "GET", "destinations.list")]


ROOT_IN_INIT = """import requests


class Api:
    def __init__(self, workspace, host="https://platform.segmentapis.com"):
        self.root = f"{host}/v1beta/workspaces/{workspace}"
        self.session = requests.Session()
"""


def test_a_url_bound_to_a_name_that_says_base_is_a_base_not_a_workspaces_get(tmp_path: Path):
    """`self.root = f".../workspaces/{workspace}"`: what the client's requests (in other modules,
    maybe) start with, not a request for the workspace."""
    (tmp_path / "api.py").write_text(ROOT_IN_INIT)
    assert [(f.line, f.kind, f.endpoint) for f in scan_paths([tmp_path], jobs=1).findings] == [
        (5, "base_url", None),
        (6, "base_url", None),
    ]


HTTP_CLIENT_CONNECTION = """import http.client
import json

HOST = "platform.segmentapis.com"


def call(method, path, body=None):
    connection = http.client.HTTPSConnection(HOST, timeout=30)
    connection.request(method, "/v1beta/" + path, body=json.dumps(body) if body else None)
    return json.loads(connection.getresponse().read())


def sources(workspace):
    return call("GET", "workspaces/%s/sources" % workspace)["sources"]
"""


def test_an_http_client_connection_made_with_the_config_host(tmp_path: Path):
    """`HTTPSConnection("platform.segmentapis.com")` then `.request(method, "/v1beta/" + path)`: the
    host the connection was made with is where the path starts (apply already routed it; scan found
    nothing)."""
    found, _ = requests_of(tmp_path, {"report.py": HTTP_CLIENT_CONNECTION})
    assert found[("report.py", 9)][0] == "call"
    assert found[("report.py", 14)] == ("call", "GET", "sources.list")


def test_no_op_an_http_client_connection_to_another_host(tmp_path: Path):
    """Another vendor's `v1beta` on its own host is not the Config API."""
    text = HTTP_CLIENT_CONNECTION.replace("platform.segmentapis.com", "api.example.com")
    found, findings = requests_of(tmp_path, {"report.py": text})
    assert found == {}
    assert findings == []


VERB_LOOKED_UP = """import requests


class Api:
    base = "https://platform.segmentapis.com/v1beta"

    def _send(self, verb, path, payload=None):
        url = "{}/workspaces/acme/{}".format(self.base, path)
        return getattr(requests, verb.lower())(url, json=payload).json()

    def sources(self):
        return self._send("GET", "sources")["sources"]

    def rename(self, source, name):
        return self._send("PATCH", "sources/" + source, {"source": {"display_name": name}})

    def catalog(self):
        return getattr(requests, "get")(self.base + "/catalog/destinations").json()
"""


def test_a_chokepoint_looking_its_verb_up_on_requests(tmp_path: Path):
    """`getattr(requests, verb.lower())(url, ...)`: the verb is the chokepoint's parameter, so each
    caller's request is found with its own method."""
    found, _ = requests_of(tmp_path, {"api.py": VERB_LOOKED_UP})
    assert found[("api.py", 9)][0] == "call"
    assert found[("api.py", 12)] == ("call", "GET", "sources.list")
    assert found[("api.py", 15)] == ("call", "PATCH", "sources.update")
    assert found[("api.py", 18)] == ("call", "GET", "catalog_destinations.list")


PAGINATOR_OVER_THE_CHOKEPOINT = """import requests


class Client:
    root = "https://platform.segmentapis.com/v1beta/"

    def _request(self, method, endpoint, **kwargs):
        return requests.request(method, self.root + endpoint, **kwargs).json()

    def _paginate(self, endpoint, key):
        token = None
        while True:
            page = self._request("GET", endpoint, params={"page_token": token})
            yield from page[key]
            token = page.get("next_page_token")
            if not token:
                return

    def _each(self, endpoint, key):
        return list(self._paginate(endpoint, key))

    def sources(self, ws):
        return list(self._paginate(f"workspaces/{ws}/sources", "sources"))

    def plans(self, ws):
        return self._each(f"workspaces/{ws}/tracking-plans", "tracking_plans")

    def _send(self, verb, endpoint, body=None):
        return self._request(verb, endpoint, json=body)

    def disable(self, ws, source):
        return self._send("PATCH", f"workspaces/{ws}/sources/{source}", {"source": {"enabled": False}})
"""


def test_a_paginator_handing_its_path_to_the_chokepoint(tmp_path: Path):
    """`_paginate(self, endpoint, key)` sends `self._request("GET", endpoint)`: its callers' paths are
    requests with the verb it gives, as are those of a function over it, or one passing its own verb
    on (`_send(self, verb, endpoint)`)."""
    found, _ = requests_of(tmp_path, {"client.py": PAGINATOR_OVER_THE_CHOKEPOINT})
    assert found[("client.py", 23)] == ("call", "GET", "sources.list")
    assert found[("client.py", 26)] == ("call", "GET", "tracking_plans.list")
    assert found[("client.py", 32)] == ("call", "PATCH", "sources.update")


def test_no_op_a_function_that_builds_its_own_path_from_a_parameter(tmp_path: Path):
    """`self._request("GET", "workspaces/" + ws)` is a request of its own, with an endpoint, not a
    helper its callers' paths go through: `ws` is a value, not a path."""
    text = PAGINATOR_OVER_THE_CHOKEPOINT + (
        '\n    def workspace(self, ws):\n        return self._request("GET", "workspaces/" + ws)\n\n'
        '    def named(self):\n        return self.workspace("acme")\n'
    )
    found, _ = requests_of(tmp_path, {"client.py": text})
    assert found[("client.py", 35)] == ("call", "GET", "workspaces.get")
    assert ("client.py", 38) not in found


ENDPOINT_TABLE = """import requests

BASE = "https://platform.segmentapis.com/v1beta/"
ENDPOINTS = {
    "sources": "workspaces/{ws}/sources",
    "destinations": "workspaces/{ws}/sources/{source}/destinations",
}


def fetch(name, **parts):
    return requests.get(BASE + ENDPOINTS[name].format(ws="acme", **parts)).json()


def post(name, body, **parts):
    return requests.post(BASE + ENDPOINTS[name].format(ws="acme", **parts), json=body).json()


fetch("sources")
fetch("destinations", source="web")
post("sources", {"source": {}})
fetch("unknown")
"""


def test_paths_kept_in_a_table_the_helper_reads_by_key(tmp_path: Path):
    """`fetch("sources")` with the helper sending `BASE + ENDPOINTS[name].format(...)`: the path is the
    table's entry for the key the call gives; a key the table lacks names no endpoint."""
    assert endpoints(tmp_path, "table.py", ENDPOINT_TABLE) == [
        (11, "call", None),
        (15, "call", None),
        (18, "call", "sources.list"),
        (19, "call", "destinations.list"),
        (20, "call", "sources.create"),
    ]


GETTER_FACTORY = """import requests

BASE = "https://platform.segmentapis.com/v1beta"


def make_getter(path):
    def get():
        return requests.get(BASE + path).json()
    return get


plans = make_getter("/workspaces/acme/tracking-plans")
web = make_getter("/workspaces/acme/sources/web")
"""


def test_a_getter_factory_whose_closure_sends_on_its_path(tmp_path: Path):
    """`make_getter(path)` returns a function getting `BASE + path`: each call of the factory names the
    endpoint its getter will send to, with the closure's verb."""
    assert endpoints(tmp_path, "getters.py", GETTER_FACTORY) == [
        (8, "call", None),
        (12, "call", "tracking_plans.list"),
        (13, "call", "sources.get"),
    ]
