"""Secrets a legacy call spells out (a password in its URL, an `access_token=` parameter, a
basic-auth pair, a Public token in a constant) never reach scan's reports or apply's printed patch."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from migrator.scan.secrets import redact

from .helpers import run_cli

PASSWORD, QUERY_TOKEN, URL_PASSWORD = "hunter2-correct-horse", "q9f8e7d6c5b4a3", "pw-0123456789"
PUBLIC_TOKEN = "sgp_" + "Zx9" * 21 + "Q"
LEGACY = (
    "import requests\n\n"
    f'TOKEN = "{PUBLIC_TOKEN}"\n'
    f'requests.get("https://platform.segmentapis.com/v1beta/workspaces?access_token={QUERY_TOKEN}", '
    f'auth=("admin", "{PASSWORD}"))\n'
    f'requests.get("https://admin:{URL_PASSWORD}@platform.segmentapis.com/v1beta/workspaces")\n'
)
SECRETS = (PASSWORD, QUERY_TOKEN, URL_PASSWORD, PUBLIC_TOKEN)


def test_scan_reports_carry_none_of_them(tmp_path: Path):
    (tmp_path / "legacy.py").write_text(LEGACY)
    for fmt in ("json", "sarif", "concise", "markdown"):
        result = run_cli("scan", str(tmp_path), "--format", fmt, "--no-cache", "--fail-on", "never")
        assert result.returncode == 0, result.stderr
        assert not [secret for secret in SECRETS if secret in result.stdout + result.stderr], fmt
    snippets = [f["snippet"] for f in json.loads(run_cli("scan", str(tmp_path), "--format", "json").stdout)["findings"]]
    assert any("access_token=…[14 characters]" in snippet for snippet in snippets)


def test_the_printed_patch_carries_none_of_them_and_says_where_it_will_not_apply(tmp_path: Path):
    (tmp_path / "legacy.py").write_text(LEGACY)
    (tmp_path / "clean.py").write_text(
        'import requests\nrequests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources")\n'
    )
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    result = run_cli("apply", ".", "--diff", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not [secret for secret in SECRETS if secret in result.stdout]
    assert "legacy.py: its patch shows hard-coded secrets redacted" in result.stderr
    assert "clean.py: its patch" not in result.stderr
    (tmp_path / "change.patch").write_text(result.stdout)
    checked = subprocess.run(
        ["git", "apply", "--check", "--include=clean.py", "change.patch"], cwd=tmp_path, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr  # the parts without secrets still apply


def test_no_op_placeholders_and_already_redacted_values():
    text = 'requests.get("https://x:$PASSWORD@platform.segmentapis.com/v1beta?access_token=<token>")'
    assert redact(text) == text
    once = redact(f'auth=("admin", "{PASSWORD}")')
    assert redact(once) == once


def test_a_secret_only_near_a_change_is_left_out_of_the_patch_which_still_applies(tmp_path: Path):
    """A token two lines above one change and between two others: the hunks are cut around its
    line, so the patch hides it and `git apply` takes it, giving the very files apply writes. A token
    on the line right after a change is what git places that change by: that part is redacted."""
    near = (
        "import requests\n\n"
        f'TOKEN = "{PUBLIC_TOKEN}"\n'
        "HEADERS = {'Authorization': 'Bearer ' + TOKEN}\n"
        'API = "https://platform.segmentapis.com/v1beta"\n\n'
        'requests.get(API + "/workspaces/acme/sources", headers=HEADERS)\n\n'
        f'OTHER = "{PUBLIC_TOKEN}"\n\n'
        'requests.get(API + "/workspaces/acme/sources", headers=HEADERS)\n'
    )
    adjacent = (
        "import requests\n\n"
        'requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources")\n'
        f'TOKEN = "{PUBLIC_TOKEN}"\n'
    )
    (tmp_path / "near.py").write_text(near)
    (tmp_path / "adjacent.py").write_text(adjacent)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    result = run_cli("apply", ".", "--diff", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert PUBLIC_TOKEN not in result.stdout
    assert "near.py: its patch" not in result.stderr
    assert "adjacent.py: its patch shows hard-coded secrets redacted" in result.stderr
    (tmp_path / "change.patch").write_text(result.stdout)
    applied = subprocess.run(
        ["git", "apply", "--exclude=adjacent.py", "change.patch"], cwd=tmp_path, capture_output=True, text=True
    )
    assert applied.returncode == 0, applied.stderr
    patched = (tmp_path / "near.py").read_text()
    (tmp_path / "near.py").write_text(near)
    assert run_cli("apply", "near.py", "--allow-dirty", cwd=tmp_path).returncode == 0
    assert patched == (tmp_path / "near.py").read_text()
    assert "api.segmentapis.com" in patched
