"""`migrate scan` judges each Python Config call by what `migrate apply` does with it: the two agree."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

from ..helpers import run_cli

DEMO_REPO = Path(__file__).resolve().parents[2] / "migrator" / "demo" / "legacy_repo"

CHOKEPOINT = """\
import requests

API = "https://platform.segmentapis.com/v1beta"


class Client:
    def __init__(self, token):
        self.token = token

    def send(self, verb, path, payload=None):
        answer = requests.request(verb, f"{API}/{path}", json=payload, headers={"Authorization": self.token})
        return answer.json()

    def sources(self, workspace):
        return self.send("GET", f"workspaces/{workspace}/sources")
"""
NO_TWIN = """\
import requests

API = "https://platform.segmentapis.com/v1beta"
token = requests.post(f"{API}/access-tokens", auth=("me", "secret"), json={}).json()["token"]
"""
NATIVE = """\
import requests

API = "https://platform.segmentapis.com/v1beta"

if __name__ == "__main__":
    for source in requests.get(f"{API}/workspaces/acme/sources").json()["sources"]:
        print(source["display_name"])
"""


def scanned(root: Path) -> list[dict[str, object]]:
    result = run_cli("scan", ".", "--format", "json", "--no-cache", cwd=root)
    assert result.returncode in (0, 1), result.stderr
    findings: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return findings


def only(findings: list[dict[str, object]], kind: str, file: str) -> list[dict[str, object]]:
    return [finding for finding in findings if finding["kind"] == kind and str(finding["file"]).endswith(file)]


def write(root: Path, name: str, text: str) -> None:
    (root / name).write_text(textwrap.dedent(text))


def test_a_chokepoint_apply_routes_through_the_layer_is_auto(tmp_path: Path):
    write(tmp_path, "client.py", CHOKEPOINT)
    calls = only(scanned(tmp_path), "call", "client.py") + only(scanned(tmp_path), "url", "client.py")
    assert calls and all(finding["fixability"] == "auto" for finding in calls)
    assert all("compatibility layer" in str(finding["reason"]) for finding in calls)


def test_after_apply_the_callers_of_the_routed_chokepoint_say_so(tmp_path: Path):
    """A scan of migrated code: the callers' requests go through the layer the chokepoint now
    calls. They are left to retire with it, not reported as sent by a library apply cannot route."""
    write(tmp_path, "client.py", CHOKEPOINT.replace("requests.request(", "segment_compat.request("))
    [call] = only(scanned(tmp_path), "call", "client.py")
    assert call["endpoint"] == "sources.list"
    assert call["fixability"] == "manual"
    assert str(call["reason"]).startswith("sent through the compatibility layer by `send`")
    bases = only(scanned(tmp_path), "base_url", "client.py")
    assert bases and all("earlier `migrate apply` routed" in str(base["reason"]) for base in bases)


def test_a_call_with_no_public_twin_stays_manual_with_the_todo_apply_leaves(tmp_path: Path):
    write(tmp_path, "mint.py", NO_TWIN)
    [call] = only(scanned(tmp_path), "call", "mint.py")
    assert call["fixability"] == "manual"
    assert str(call["reason"]).startswith("POST access-tokens has no Public API twin")


def test_a_call_apply_rewrites_natively_is_auto_with_no_reason(tmp_path: Path):
    write(tmp_path, "report.py", NATIVE)
    [call] = only(scanned(tmp_path), "call", "report.py")
    assert call["fixability"] == "auto" and "reason" not in call
    reads = only(scanned(tmp_path), "consumer", "report.py")
    assert reads and all(read["fixability"] == "auto" for read in reads)


def package_importing_its_base(root: Path) -> None:
    """`pkg/constants.py` defines the Config base; `pkg/report.py`, the NATIVE script, imports it."""
    (root / "pkg").mkdir()
    write(root, "pkg/__init__.py", "")
    write(root, "pkg/constants.py", 'API = "https://platform.segmentapis.com/v1beta"\n')
    write(
        root,
        "pkg/report.py",
        NATIVE.replace('API = "https://platform.segmentapis.com/v1beta"', "from .constants import API"),
    )


def test_calls_on_a_base_imported_from_another_module_are_judged_as_apply_moves_them(tmp_path: Path):
    package_importing_its_base(tmp_path)
    write(
        tmp_path,
        "pkg/client.py",
        "import requests\n\nfrom pkg.constants import API\n\n\n"
        'def sources():\n    return requests.get(f"{API}/workspaces/acme/sources").json()\n',
    )
    findings = scanned(tmp_path)
    [native] = only(findings, "call", "pkg/report.py")
    assert native["fixability"] == "auto" and "reason" not in native, "onto the twin apply writes beside the base"
    [layered] = only(findings, "call", "pkg/client.py")
    assert layered["fixability"] == "auto"
    assert "compatibility layer" in str(layered["reason"]) and "returns the answer to callers" in str(layered["reason"])


def test_on_the_demo_repository_scan_says_manual_exactly_where_apply_leaves_a_todo(tmp_path: Path):
    repo = tmp_path / "repo"
    shutil.copytree(DEMO_REPO, repo)
    manual = {
        (finding["file"], finding["line"])
        for finding in scanned(repo)
        if finding["language"] == "python" and finding["kind"] == "call" and finding["fixability"] == "manual"
    }
    assert run_cli("apply", ".", cwd=repo).returncode == 0
    after = scanned(repo)
    todos = {str(finding["file"]) for finding in after if finding["kind"] == "todo"}
    layered = {str(finding["file"]) for finding in after if finding["kind"] == "compat"}
    layered |= {str(finding["file"]) for finding in after if finding.get("via") in layered}  # through a routed client
    left = {
        str(finding["file"])
        for finding in after
        if finding["language"] == "python" and finding["kind"] == "call" and "tests/" not in str(finding["file"])
    }
    assert {str(file) for file, _line in manual} == todos
    assert left - layered <= todos  # every call scan said apply moves left the Config API, or goes through the layer
    assert layered  # the demo has both kinds


def test_the_judge_the_scan_names_is_this_one():
    import importlib

    from codemods.judge import judge_file
    from migrator.early_parser import APPLY_JUDGE

    module, _, name = APPLY_JUDGE.partition(":")
    assert getattr(importlib.import_module(module), name) is judge_file


def test_the_judge_plans_on_the_tree_the_scanner_parsed(monkeypatch):
    """The parse is most of the cost of either: a judged file is parsed once."""
    import sys
    import types

    import libcst as cst

    from codemods.judge import judge_file
    from migrator import scan

    trees: list[object] = []

    def recording(path: str, text: str, findings: list[object], tree: cst.Module | None = None) -> list[object]:
        trees.append(tree)
        return judge_file(path, text, findings, tree)  # type: ignore[arg-type]

    monkeypatch.setitem(sys.modules, "recording_judge", types.SimpleNamespace(judge=recording))
    monkeypatch.setattr(scan, "judge_with", "recording_judge:judge")
    findings, error = scan.scan_source("report.py", textwrap.dedent(NATIVE))
    assert error is None and any(finding.kind == "call" and finding.fixability == "auto" for finding in findings)
    [tree] = trees
    assert isinstance(tree, cst.Module) and tree.code == textwrap.dedent(NATIVE)


def test_a_base_kept_beside_its_twin_is_left_to_a_person(tmp_path: Path):
    """After apply: nothing more for apply to do with it, so scan does not call it `auto`."""
    package_importing_its_base(tmp_path)
    [before] = only(scanned(tmp_path), "base_url", "pkg/constants.py")
    assert before["fixability"] == "auto"
    assert run_cli("apply", ".", "--allow-dirty", cwd=tmp_path).returncode == 0
    assert 'API_PUBLIC = "https://api.segmentapis.com"' in (tmp_path / "pkg" / "constants.py").read_text()
    findings = scanned(tmp_path)
    [after] = only(findings, "base_url", "pkg/constants.py")
    assert after["fixability"] == "manual" and "delete it once nothing reads it" in str(after["reason"])
    assert not only(findings, "call", "pkg/report.py"), "the call moved"


FETCHER = """\
import requests

from .constants import API


def fetch_one(url, headers):
    return requests.get(url, headers=headers)


def fetch_list(base, endpoint, headers):
    full = base + "/" + endpoint
    return requests.get(full, headers=headers).json()


def everything(headers):
    return [fetch_list(API, name, headers) for name in ("workspaces", "catalog/sources")]
"""


def test_a_request_apply_routes_that_the_scanner_cannot_place_is_reported_where_it_is_sent(tmp_path: Path):
    """The URL reaches `requests.get` through parameters (`fetch_list(API, name, ...)`): apply routes
    the module's requests through the layer, so scan reports each, with its method, where it is sent,
    and says whose the endpoints are."""
    (tmp_path / "pkg").mkdir()
    write(tmp_path, "pkg/__init__.py", "")
    write(tmp_path, "pkg/constants.py", 'API = "https://platform.segmentapis.com/v1beta"\n')
    write(tmp_path, "pkg/fetch.py", FETCHER)
    calls = {finding["line"]: finding for finding in only(scanned(tmp_path), "call", "pkg/fetch.py")}
    assert sorted(calls) == [7, 12]
    assert all(call["method"] == "GET" and call["fixability"] == "auto" for call in calls.values())
    assert "built from its function's `url`: the endpoints are its callers'" in str(calls[7]["message"])
    assert "built from its function's `base`, `endpoint`" in str(calls[12]["message"])  # through the local `full`
    assert run_cli("apply", ".", cwd=tmp_path).returncode == 0
    assert (tmp_path / "pkg" / "fetch.py").read_text().count("segment_compat.get(") == 2


def test_no_op_requests_of_a_module_with_no_config_url_in_reach(tmp_path: Path):
    write(tmp_path, "fetch.py", FETCHER.replace("from .constants import API\n", 'API = "https://example.com/v1"\n'))
    assert only(scanned(tmp_path), "call", "fetch.py") == []


URLLIB = """\
import json
import urllib.request

from .constants import API


def delete_source(ws, name, token):
    request = urllib.request.Request(
        f"{API}/workspaces/{ws}/sources/{name}", method="DELETE", headers={"Authorization": token}
    )
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def send(path, token):
    request = urllib.request.Request(API + "/" + path, headers={"Authorization": token})
    return json.load(urllib.request.urlopen(request))
"""


def test_a_request_object_sent_is_reported_where_it_is_built_once(tmp_path: Path):
    """`urlopen(request)` sends the `Request` built above it: found there (with its endpoint, or as
    the chokepoint its callers' paths go through), it is not reported again at the `urlopen`."""
    (tmp_path / "pkg").mkdir()
    write(tmp_path, "pkg/__init__.py", "")
    write(tmp_path, "pkg/constants.py", 'API = "https://platform.segmentapis.com/v1beta"\n')
    write(tmp_path, "pkg/jobs.py", URLLIB)
    calls = {finding["line"]: finding for finding in only(scanned(tmp_path), "call", "pkg/jobs.py")}
    assert calls[8]["endpoint"] == "sources.delete"
    assert "chokepoint" in str(calls[16]["message"])
    assert sorted(calls) == [8, 16]  # not the sends at 11 and 17


JOINED = """\
from urllib.parse import urljoin

import requests


class Api:
    def __init__(self, token, base_url="https://platform.segmentapis.com/v1beta/"):
        self.base_url = base_url
        self.headers = {"Authorization": token}

    def destinations(self, ws, source):
        url = urljoin(self.base_url, f"workspaces/{ws}/sources/{source}/destinations")
        return requests.get(url, headers=self.headers).json()["destinations"]
"""


def test_a_request_on_a_base_a_parameters_default_gives(tmp_path: Path):
    """The base is `__init__`'s parameter default, kept on `self`: the scanner reads it, so the
    request is found with its endpoint, and apply routes it."""
    write(tmp_path, "api.py", JOINED)
    [call] = only(scanned(tmp_path), "call", "api.py")
    assert (call["line"], call["method"], call["endpoint"]) == (13, "GET", "destinations.list")
    assert call["fixability"] == "auto" and "compatibility layer" in str(call["reason"])


def test_a_routed_request_whose_path_is_written_in_its_function_gets_that_endpoint(tmp_path: Path):
    """The base is a parameter the callers give (no default the scanner could read), but the path
    joined to it is written out: the endpoint is that path's, whatever fills its values."""
    text = JOINED.replace('base_url="https://platform.segmentapis.com/v1beta/"', "base_url")
    text += '\n\nDEFAULT_BASE = "https://platform.segmentapis.com/v1beta/"\n'
    write(tmp_path, "api.py", text)
    [call] = only(scanned(tmp_path), "call", "api.py")
    assert (call["line"], call["method"], call["endpoint"]) == (13, "GET", "destinations.list")
    assert "its path is written here: `workspaces/{}/sources/{}/destinations`" in str(call["message"])
    assert call["fixability"] == "auto" and "compatibility layer" in str(call["reason"])


SESSION_ON_OPTIONS = """\
import argparse

import requests


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api-url", default="https://platform.segmentapis.com/v1beta")
    args = parser.parse_args()
    session = requests.Session()
    for source in session.get(f"{args.api_url}/workspaces/acme/sources").json()["sources"]:
        print(source["name"])
    print(session.get("https://status.example.com/api").ok)
"""


def test_a_request_on_a_session_the_layer_makes_is_reported_where_it_is_sent(tmp_path: Path):
    """The URL's base is a command-line option (read at run time), and the session it is sent on
    is the layer's after apply: the request goes through the layer with its path written out. The
    same session's request to another service is handed on as it is, and not reported."""
    write(tmp_path, "audit.py", SESSION_ON_OPTIONS)
    [call] = only(scanned(tmp_path), "call", "audit.py")
    assert (call["line"], call["method"], call["endpoint"]) == (11, "GET", "sources.list")
    assert call["fixability"] == "auto" and "compatibility layer" in str(call["reason"])


FRAMEWORK_CLIENT = """\
from airflow.providers.http.hooks.http import HttpHook


def list_sources(workspace):
    hook = HttpHook(method="GET", http_conn_id="segment_config_api")
    answer = hook.run(endpoint=f"v1beta/workspaces/{workspace}/sources", data={"page_size": 100})
    return [source["name"] for source in answer.json()["sources"]]


def disable(name):
    body = {"destination": {"enabled": False}, "update_mask": {"paths": ["destination.enabled"]}}
    return HttpHook(method="PATCH", http_conn_id="segment_config_api").run(endpoint=f"v1beta/{name}", json=body)
"""


def test_a_request_a_framework_client_sends_is_manual_as_apply_leaves_it(tmp_path: Path):
    """Airflow's `HttpHook.run(endpoint=...)` with the host in a connection: scan finds the Config
    path, apply routes nothing (no HTTP library it knows sends it) and leaves a TODO saying so, and
    scan says manual with that TODO's reason, and for what travels with it (its update mask)."""
    write(tmp_path, "dag.py", FRAMEWORK_CLIENT)
    findings = scanned(tmp_path)
    [url] = only(findings, "url", "dag.py")
    assert (url["endpoint"], url["fixability"]) == ("sources.list", "manual")
    assert {f["fixability"] for f in only(findings, "update_mask", "dag.py")} == {"manual"}
    result = run_cli("apply", ".", "--diff", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    added = [line[1:].strip() for line in result.stdout.splitlines() if line.startswith("+") and "TODO" in line]
    assert added == [f"# TODO(migrate): {url['reason']}"]
    assert str(url["reason"]).startswith("`hook.run` sends this Config request")


def test_scanning_migrated_code_leaves_nothing_for_apply(tmp_path: Path):
    """After `migrate apply`, what the layer carries is the layer's to retire, not apply's to do: no
    finding says apply routes it (a connection the layer makes, a helper module routed for a client)."""
    write(tmp_path, "client.py", CHOKEPOINT)
    (tmp_path / "ops").mkdir()
    write(tmp_path, "ops/__init__.py", "")
    write(
        tmp_path,
        "ops/http.py",
        """\
        import requests


        def get_json(url, headers=None):
            return requests.get(url, headers=headers).json()
        """,
    )
    write(
        tmp_path,
        "ops/jobs.py",
        """\
        from ops.http import get_json

        API = "https://platform.segmentapis.com/v1beta/workspaces/acme"


        def plans():
            return get_json(f"{API}/tracking-plans")["tracking_plans"]
        """,
    )
    applied = run_cli("apply", ".", "--allow-dirty", cwd=tmp_path)
    assert applied.returncode == 0, applied.stderr
    assert "segment_compat.get(url" in (tmp_path / "ops" / "http.py").read_text()
    findings = scanned(tmp_path)
    assert [f for f in findings if f["kind"] == "compat"], "the layer's uses are listed, to retire"
    assert not [f for f in findings if f["fixability"] == "auto"], [f for f in findings if f["fixability"] == "auto"]
