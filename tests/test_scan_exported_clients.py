"""A JavaScript or TypeScript module makes an HTTP client on the Config base and exports it; the
modules importing it send their requests on it with paths alone. Each such request is found with
its method and endpoint, read below the client's base."""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_paths
from migrator.scan.exported_clients import exported

SETTINGS = """{
  "segment": {
    "apiBase": "https://platform.segmentapis.com/v1beta",
    "workspace": "acme"
  }
}
"""
CLIENT_ON_A_SETTING = """const axios = require('axios');
const config = require('config');

const http = axios.create({
  baseURL: config.get('segment.apiBase'),
  headers: { Authorization: `Bearer ${process.env.SEGMENT_TOKEN}` },
});

module.exports = http;
"""
SOURCES_JS = """const http = require('./client');

async function listSources(ws) {
  const { data } = await http.get(`/workspaces/${ws}/sources`);
  return data.sources;
}

const disable = (ws, s, d) => http.patch(`/workspaces/${ws}/sources/${s}/destinations/${d}`, { destination: {} });

module.exports = { listSources, disable };
"""
PLANS_TS = """import http from './client';

export const plans = (ws: string) => http.get<{ tracking_plans: unknown[] }>(`/workspaces/${ws}/tracking-plans`);
"""
CLIENT_WITH_ITS_BASE = """import axios from 'axios';

export const segment = axios.create({
  baseURL: 'https://platform.segmentapis.com/v1beta/workspaces/acme',
});
"""
SYNC_TS = """import { segment as api } from './segment';
import { other } from './other';

export async function sync(source: string) {
  const current = await api.get(`/sources/${source}/destinations`);
  await other.get('/sources');
  return api.post(`/sources/${source}/destinations`, current.data);
}
"""
OTHER_TS = """import axios from 'axios';
export const other = axios.create({ baseURL: 'https://api.example.com/v2' });
"""


def requests_found(root: Path, files: dict[str, str]) -> dict[tuple[str, int], tuple[str, str | None, str | None]]:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return {
        (str(Path(f.file).relative_to(root)), f.line): (f.kind, f.method, f.endpoint)
        for f in scan_paths([root], jobs=1).findings
    }


def test_requests_on_a_client_made_on_a_setting_in_another_module(tmp_path: Path):
    found = requests_found(
        tmp_path,
        {
            "config/default.json": SETTINGS,
            "src/client.js": CLIENT_ON_A_SETTING,
            "src/sources.js": SOURCES_JS,
            "src/plans.ts": PLANS_TS,
        },
    )
    assert found[("src/client.js", 5)] == ("base_url", None, None)  # where the client's requests start: no GET
    assert found[("src/sources.js", 4)] == ("call", "GET", "sources.list")
    assert found[("src/sources.js", 8)] == ("call", "PATCH", "destinations.update")
    assert found[("src/plans.ts", 3)] == ("call", "GET", "tracking_plans.list")


def test_requests_on_a_client_with_its_base_written_out_imported_by_another_name(tmp_path: Path):
    """`import { segment as api }`: the requests on `api` are on the Config client; those on a client
    of another API in the same module are not."""
    found = requests_found(tmp_path, {"segment.ts": CLIENT_WITH_ITS_BASE, "sync.ts": SYNC_TS, "other.ts": OTHER_TS})
    assert found[("sync.ts", 5)] == ("call", "GET", "destinations.list")
    assert found[("sync.ts", 7)] == ("call", "POST", "destinations.create")
    assert ("sync.ts", 6) not in found
    assert not any(file == "other.ts" for file, _line in found)


def test_no_op_a_client_the_module_keeps_to_itself(tmp_path: Path):
    """A client that is not exported is not the one another module's `segment` is."""
    kept = CLIENT_WITH_ITS_BASE.replace("export const segment", "const segment")
    found = requests_found(tmp_path, {"segment.ts": kept, "sync.ts": SYNC_TS, "other.ts": OTHER_TS})
    assert not any(file == "sync.ts" for file, _line in found)


def test_no_op_a_client_of_the_same_name_from_another_module(tmp_path: Path):
    """`import { segment } from './analytics'` is not the Config client of `./segment`."""
    sync = SYNC_TS.replace(
        "import { segment as api } from './segment';", "import { segment as api } from './analytics';"
    )
    analytics = (
        "import axios from 'axios';\nexport const segment = axios.create({ baseURL: 'https://api.segment.io/v1' });\n"
    )
    found = requests_found(
        tmp_path, {"segment.ts": CLIENT_WITH_ITS_BASE, "sync.ts": sync, "analytics.ts": analytics, "other.ts": OTHER_TS}
    )
    assert not any(file == "sync.ts" for file, _line in found)


def test_the_forms_of_an_export():
    assert exported("module.exports = http;\n", "http") == "default"
    assert exported("export default http\n", "http") == "default"
    assert exported("export const http = axios.create({})\n", "http") == "named"
    assert exported("exports.http = http\n", "http") == "named"
    assert exported("module.exports = { http, other }\n", "http") == "named"
    assert exported("export { other, http as client }\n", "http") == "named"
    assert exported("module.exports = httpClient;\nconst http = 1\n", "http") is None


def test_a_client_exported_under_another_name(tmp_path: Path):
    """`export { segment as configClient }`: its importers know it by the alias."""
    client = CLIENT_WITH_ITS_BASE.replace("export const segment", "const segment") + (
        "export { segment as configClient };\n"
    )
    sync = SYNC_TS.replace("import { segment as api }", "import { configClient as api }")
    found = requests_found(tmp_path, {"segment.ts": client, "sync.ts": sync, "other.ts": OTHER_TS})
    assert found[("sync.ts", 5)] == ("call", "GET", "destinations.list")
