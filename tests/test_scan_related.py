"""Files that reach the Config API through a client beside them are found, though their own text
never names it; files elsewhere that merely share a method name are not."""

from __future__ import annotations

from pathlib import Path

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
