"""A client whose Config base the scan cannot follow to the request (a dataclass field's default, a
CLI option's, handed through `__init__`), in a module that spells it out: the request is the
chokepoint and its callers' endpoints are read below it, in the module and in those importing it.
The same request shape in a module holding no Config base is another API's, and stays unflagged."""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_paths

SETTINGS_CLIENT = """from dataclasses import dataclass

import requests


@dataclass
class Settings:
    workspace: str
    base_url: str = "https://platform.segmentapis.com/v1beta"


class Client:
    def __init__(self, settings):
        self.settings = settings
        self.session = requests.Session()

    def _send(self, method, path, **kwargs):
        url = f"{self.settings.base_url}/workspaces/{self.settings.workspace}/{path}"
        return self.session.request(method, url, **kwargs).json()

    def sources(self):
        return self._send("GET", "sources")["sources"]

    def disable(self, source, destination):
        return self._send("PATCH", f"sources/{source}/destinations/{destination}", json={})
"""
CALLER = """from client import Client, Settings

client = Client(Settings("acme"))
print(client.sources())
client.disable("web", "amplitude")
"""
OPTION_CLI = """import click
import requests


class Api:
    def __init__(self, base, workspace):
        self.base, self.workspace = base, workspace

    def get(self, path):
        return requests.get(f"{self.base}/workspaces/{self.workspace}/{path}").json()


@click.command()
@click.option("--base", default="https://platform.segmentapis.com/v1beta")
def main(base):
    print(Api(base, "acme").get("tracking-plans"))
"""
OTHER_API = """import requests


class Workspaces:
    def __init__(self, base_url, organization):
        self.base_url, self.organization = base_url, organization

    def _send(self, method, path):
        return requests.request(method, f"{self.base_url}/workspaces/{self.organization}/{path}").json()

    def sources(self):
        return self._send("GET", "sources")
"""


def requests_found(root: Path) -> dict[str, set[tuple[int, str | None, str | None]]]:
    found: dict[str, set[tuple[int, str | None, str | None]]] = {}
    for finding in scan_paths([root], jobs=1).findings:
        if finding.kind == "call":
            name = Path(finding.file).relative_to(root).as_posix()
            found.setdefault(name, set()).add((finding.line, finding.method, finding.endpoint))
    return found


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).write_text(text)


def test_a_base_in_a_dataclass_default_reaches_the_callers_endpoints(tmp_path: Path):
    write(tmp_path, {"client.py": SETTINGS_CLIENT, "caller.py": CALLER})
    found = requests_found(tmp_path)
    assert (19, None, None) in found["client.py"]  # the chokepoint
    assert (22, "GET", "sources.list") in found["client.py"]
    assert (25, "PATCH", "destinations.update") in found["client.py"]
    assert found["caller.py"] == {(4, "GET", "sources.list"), (5, "PATCH", "destinations.update")}


def test_a_base_in_a_cli_options_default_handed_to_a_client(tmp_path: Path):
    write(tmp_path, {"cli.py": OPTION_CLI})
    found = requests_found(tmp_path)
    assert (16, "GET", "tracking_plans.list") in found["cli.py"]


def test_the_same_shape_in_a_module_holding_no_config_base_is_another_apis(tmp_path: Path):
    write(tmp_path, {"workspaces.py": OTHER_API})
    assert requests_found(tmp_path) == {}
