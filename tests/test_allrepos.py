"""The fleet through all-repos, end to end on local bare repositories: all-repos clones them from a
JSON source, the autofixer runs `migrate apply` in each one that calls the Config API, and the push
module leaves a migration branch on each remote; a repository without legacy code gets none."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .helpers import LEGACY_MODULE

GIT = ["git", "-c", "user.email=fleet@example.com", "-c", "user.name=fleet", "-c", "init.defaultBranch=main"]


def git(*args: str, cwd: Path) -> str:
    return subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def remote(tmp_path: Path, name: str, files: dict[str, str]) -> Path:
    work = tmp_path / "work" / name
    work.mkdir(parents=True)
    for file, text in files.items():
        (work / file).write_text(text)
    git("init", "-q", cwd=work)
    git("add", ".", cwd=work)
    git("commit", "-qm", "legacy", cwd=work)
    bare = tmp_path / "remotes" / f"{name}.git"
    bare.parent.mkdir(exist_ok=True)
    git("clone", "-q", "--bare", str(work), str(bare), cwd=tmp_path)
    return bare


def test_the_autofixer_leaves_a_migration_branch_on_every_legacy_repository(tmp_path: Path):
    remotes = {
        name: remote(tmp_path, name, files)
        for name, files in {
            "billing": {"jobs.py": LEGACY_MODULE},
            "growth": {"sync.py": LEGACY_MODULE, "README.md": "sync\n"},
            "ingest": {"load.py": LEGACY_MODULE.replace("sources", "tracking-plans")},
            "web": {"app.py": 'print("no Segment here")\n'},
        }.items()
    }
    source = tmp_path / "repos.json"
    source.write_text(json.dumps({name: str(path) for name, path in remotes.items()}))
    config = tmp_path / "all-repos.json"
    config.write_text(
        json.dumps(
            {
                "output_dir": str(tmp_path / "clones"),
                "source": "all_repos.source.json_file",
                "source_settings": {"filename": str(source)},
                "push": "migrator.allrepos.push_branch",
                "push_settings": {},
            }
        )
    )
    config.chmod(0o600)  # all-repos refuses a config others can read
    environment = {
        **os.environ,
        **{
            f"GIT_{who}_{what}": value
            for who in ("AUTHOR", "COMMITTER")
            for what, value in (("NAME", "fleet"), ("EMAIL", "fleet@example.com"))
        },
    }
    scripts = Path(sys.executable).parent
    cloned = subprocess.run(
        [str(scripts / "all-repos-clone"), "-C", str(config)], capture_output=True, text=True, env=environment
    )
    assert cloned.returncode == 0, cloned.stdout + cloned.stderr
    fixed = subprocess.run(
        [sys.executable, "-m", "migrator.allrepos.autofix", "-C", str(config), "--jobs", "1"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    for name, bare in remotes.items():
        branches = git("branch", "--format=%(refname:short)", cwd=bare).split()
        if name == "web":
            assert branches == ["main"]
            continue
        assert sorted(branches) == ["main", "segment-public-api-migration"], name
        changed = git("diff", "--name-only", "main", "segment-public-api-migration", cwd=bare).split()
        module = next(file for file in changed if file.endswith(".py"))
        migrated = git("show", f"segment-public-api-migration:{module}", cwd=bare)
        assert "platform.segmentapis.com" not in migrated and "https://api.segmentapis.com" in migrated
        message = git("log", "-1", "--format=%s", "segment-public-api-migration", cwd=bare).strip()
        assert message == "Migrate from Segment's Config API to the Public API"
