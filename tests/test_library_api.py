"""`migrator.api`: the four jobs as functions with typed results, as a script would use them."""

from __future__ import annotations

from pathlib import Path

from migrator import api
from migrator.emulator.app import Emulator, Tokens
from migrator.emulator.seed import build_demo
from migrator.emulator.server import start_in_thread

from .helpers import LEGACY_MODULE, ROOT


def test_scan_apply_and_write_as_a_script_would(tmp_path: Path):
    (tmp_path / "jobs.py").write_text(LEGACY_MODULE)
    found = api.scan([tmp_path], cache=False)
    assert found.complete
    assert [(finding.kind, finding.line, finding.confidence) for finding in found.findings] == [
        ("base_url", 3, "high"),
        ("call", 4, "high"),
    ]
    changes = api.apply([tmp_path])
    assert changes.summary()["changed"] == 1
    assert (tmp_path / "jobs.py").read_text() == LEGACY_MODULE  # computed, not written
    api.write(changes)
    assert "https://api.segmentapis.com" in (tmp_path / "jobs.py").read_text()
    assert api.scan([tmp_path], cache=False, min_confidence="high").findings == []


def test_translate_names_the_public_calls():
    translation = api.translate("PATCH", "/v1beta/workspaces/acme/sources/web", {"source": {"enabled": False}})
    calls = translation.to_json()["calls"]
    assert [(call["method"], call["path"]) for call in calls] == [
        ("PATCH", "/sources/<source id of workspaces/acme/sources/web>")
    ]


def test_resolve_returns_the_id_map(tmp_path: Path):
    emulator = Emulator(build_demo(), Tokens("config-token", "ro", "sgp_library"), rate_limit=0)
    with start_in_thread(emulator) as server:
        result = api.resolve(
            public_token="sgp_library",
            config_token="config-token",
            public_url=server.base_url,
            config_url=server.config_url,
        )
    web = emulator.state.source_by_slug("web")
    assert web is not None
    assert result.id_map.complete
    entry = result.id_map.by_name("source", "workspaces/acme/sources/web")
    assert entry is not None and entry.public_id == web["id"]


def test_the_distribution_says_where_the_project_lives_as_its_reports_do():
    """Project-URLs in the package metadata, and the SARIF report's `informationUri` naming the
    same home: one address, not two."""
    from importlib import metadata

    from migrator.scan.report import INFORMATION_URI

    urls = dict(entry.split(", ", 1) for entry in metadata.metadata("segment-migrator").get_all("Project-URL") or [])
    assert urls["Homepage"] == INFORMATION_URI
    assert {"Documentation", "Changelog", "Issues"} <= urls.keys()
    assert all(url.startswith(INFORMATION_URI) for url in urls.values())
    assert (ROOT / "CHANGELOG.md").exists() and (ROOT / "LICENSE").exists()
    assert (ROOT / "migrator" / "py.typed").exists() and (ROOT / "codemods" / "py.typed").exists()
