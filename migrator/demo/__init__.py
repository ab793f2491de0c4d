"""`migrate demo`: the whole toolkit on a sample legacy repository, offline, in under a minute.

Writes the sample repository (legacy_repo/ beside this module) into a git repository, starts the
emulator in this process, and shows scan, resolve, apply and verify as a new user would run them.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from ..clients import ConfigClient, PublicClient
from ..emulator.app import Emulator, Tokens
from ..emulator.seed import build_demo
from ..emulator.server import start_in_thread
from ..repository import module_name, modules_imported
from ..resolver import Resolver
from ..scan import scan_paths
from ..verify import verify

if TYPE_CHECKING:
    from codemods.engine import ApplyResult

SAMPLE = Path(__file__).resolve().parent / "legacy_repo"
CLEANUP = '''"""Nightly cleanup of retired sources and plans on the Config API."""
import os

import requests

API = "https://platform.segmentapis.com/v1beta"
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_ACCESS_TOKEN"]}


def drop_source(ws, src):
    requests.delete(f"{API}/workspaces/{ws}/sources/{src}", headers=HEADERS).raise_for_status()


if __name__ == "__main__":
    for retired in ("docs-site", "support-desk"):
        drop_source("acme", retired)
    requests.delete("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web-staging/destinations/amplitude",
                    headers=HEADERS).raise_for_status()
    print("cleanup done")
'''


def _scripts_by_outcome(repo: Path, applied: ApplyResult) -> tuple[list[str], list[str], list[str]]:
    """The scripts (in run_all's order, cleanup last) wholly rewritten natively by apply, those that
    use the compatibility layer (themselves or through a module they import), and the others."""
    module = ast.parse((repo / "run_all.py").read_text())
    listed = next(
        node.value
        for node in module.body
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "SCRIPTS" for t in node.targets)
    )
    scripts = [*ast.literal_eval(listed), "cleanup.py"]
    outcomes = {Path(outcome.path).name: outcome for outcome in applied.outcomes}
    modules = {
        module_name(Path(o.path)): o
        for o in applied.outcomes
        if Path(o.path).parent != repo or Path(o.path).name not in scripts
    }
    imported = {name: _imports(Path(o.path)) for name, o in modules.items()}
    # a module of the repository's own whose requests go through the layer (`ops_http.py`'s helpers,
    # `reports/plans.py`), itself or through one it imports (`admin_kit/__init__.py`)
    layered_modules = {name for name, o in modules.items() if o.uses_layer}
    while grown := {name for name in modules if imported[name] & layered_modules} - layered_modules:
        layered_modules |= grown
    moved_modules = {name for name, o in modules.items() if o.changed} - layered_modules

    def layered(name: str) -> bool:
        return outcomes[name].uses_layer or bool(_imports(repo / name) & layered_modules)

    settled = [
        name
        for name in scripts
        if (outcomes[name].changed or layered(name) or _imports(repo / name) & moved_modules)
        and not outcomes[name].todos
    ]
    through = [name for name in settled if layered(name)]
    native = [name for name in settled if name not in through]
    return native, through, [name for name in scripts if name not in settled]


def _imports(path: Path) -> set[str]:
    """The modules of the sample repository a file imports, relative imports resolved."""
    if path.suffix != ".py":
        return set()
    package = module_name(path).split(".")[: None if path.name == "__init__.py" else -1]
    found: set[str] = set()
    for module in modules_imported(path.read_text(encoding="utf-8")):
        dots = len(module) - len(module.lstrip("."))
        base = package[: len(package) - dots + 1] if dots else []
        found.add(".".join([*base, module.lstrip(".")]).strip("."))
    return found


def _git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(folder), "-c", "user.name=demo", "-c", "user.email=demo@example.com", *args],
        check=True,
        capture_output=True,
    )


def _step(console: Console, number: int, title: str) -> None:
    console.rule(f"[bold]{number}. {title}")


def run_demo(console: Console, keep: Path | None = None) -> bool:
    """Run the demo; True when the final verification is equal."""
    started = time.perf_counter()
    work = keep or Path(tempfile.mkdtemp(prefix="segment-migrator-demo-"))
    repo = work / "legacy-repo"
    if repo.exists():
        shutil.rmtree(repo)
    shutil.copytree(SAMPLE, repo, ignore=shutil.ignore_patterns("__pycache__"))
    (repo / "cleanup.py").write_text(CLEANUP)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "legacy code on the Config API")
    console.print(f"A sample legacy repository: [bold]{repo}[/bold] (git, one commit)")

    _step(console, 1, "migrate scan: every Config API use")
    result = scan_paths([repo], jobs=1)
    summary = result.summary()
    grid = Table("kind", "findings", title=f"{summary['findings']} findings in {summary['files_with_findings']} files")
    for kind, count in summary["by_kind"].items():
        grid.add_row(kind, str(count))
    console.print(grid)
    calls = [finding for finding in result.findings if finding.kind == "call" and finding.endpoint][:4]
    for finding in calls:
        name = Path(finding.file).name
        console.print(f"  {name}:{finding.line}  {finding.method} {finding.path}  ->  {', '.join(finding.public)}")

    emulator = Emulator(build_demo(), Tokens(), rate_limit=0)
    with start_in_thread(emulator) as running:
        _step(console, 2, "migrate resolve: the slug-to-ID map of the workspace")
        public = PublicClient.connect(running.base_url, emulator.tokens.public)
        config = ConfigClient.connect(running.config_url, emulator.tokens.config, per_minute=0)
        resolved = Resolver(public, config).run()
        ids_path = work / "ids.json"
        resolved.id_map.save(ids_path)
        table = Table("kind", "matched", "ambiguous", "missing", "public only", title="ID map of workspace 'acme'")
        for kind, row in resolved.id_map.summary().items():
            table.add_row(kind, *(str(row[key]) for key in ("matched", "ambiguous", "missing", "public_only")))
        console.print(table)
        for entry in resolved.id_map.entries:
            if entry.status == "ambiguous" and entry.kind == "destination":
                candidates = ", ".join(f"{c.public_id} ({c.display_name})" for c in entry.candidates)
                console.print(f"  ambiguous: {entry.config_name} -> {candidates}: never guessed")
        calls_made = resolved.summary()["api_calls"]
        console.print(
            f"  {calls_made['total']} API calls, the minimum being {resolved.minimum_calls}; written to {ids_path}"
        )

    _step(console, 3, "migrate apply: rewrite what is provably safe, the rest through the compatibility layer")
    from codemods.engine import ApplyOptions, apply, write

    applied = apply([repo], ApplyOptions(id_map=resolved.id_map), jobs=1)
    write(applied)
    stats = applied.summary()
    console.print(
        f"  {stats['changed']} files changed; {stats['by_codemod']}; {stats['todos_added']} TODO(migrate) left"
    )
    diff = subprocess.run(["git", "-C", str(repo), "diff", "--stat"], capture_output=True, text=True, check=False)
    console.print(diff.stdout.rstrip(), markup=False, highlight=False)
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "migrate apply")

    _step(console, 4, "migrate verify: the same behaviour before and after, on the emulator")
    rewritten, layered, kept = _scripts_by_outcome(repo, applied)
    console.print(f"  rewritten natively onto the Public API: {', '.join(rewritten)}")
    console.print(f"  through the compatibility layer (segment_compat/): {', '.join(layered)}")
    equal = True
    moved = ["SEGMENT_ACCESS_TOKEN=before:config-token,after:public-token"]
    checks = [
        (f"{len(rewritten)} rewritten scripts", [sys.executable, "run_all.py", *rewritten], moved),
        (
            f"{len(layered)} scripts through the compatibility layer",
            [sys.executable, "run_all.py", *layered],
            moved,
        ),
        ("the unit tests, mocks updated", [sys.executable, "-m", "unittest", "discover", "-s", "tests"], moved),
    ]
    if kept:
        console.print(f"  left with TODOs: {', '.join(kept)}")
        checks.insert(
            2,
            (
                f"{len(kept)} scripts left with TODOs (they keep working)",
                [sys.executable, "run_all.py", *kept],
                ["SEGMENT_ACCESS_TOKEN=config-token"],
            ),
        )
    for label, command, env in checks:
        outcome = verify(repo, command, before="HEAD~1", env=env, id_map=resolved.id_map, normalize=[r"in \d+\.\d+s"])
        before, after = outcome.before.requests, outcome.after.requests
        verdict = "[green]equal[/green]" if outcome.equal else "[red]different[/red]"
        console.print(
            f"  {verdict}: {label} (exit {outcome.after.returncode}): before {before['config']} Config calls, "
            f"after {after['config']} Config + {after['public']} Public calls"
        )
        for what, detail in outcome.differences.items():
            console.print(f"  [bold]{what}[/bold]\n{detail}", highlight=False)
        equal = equal and outcome.equal

    _step(console, 5, "on your own repository")
    for line in (
        "migrate scan .                                  what calls the Config API, and what replaces it",
        "migrate resolve -o ids.json                     with SEGMENT_PUBLIC_API_TOKEN (and the Config token)",
        "migrate apply . --ids ids.json --diff           review, then run it without --diff",
        "migrate verify --before HEAD~1 -- <your tests>  same behaviour before and after",
        "migrate proxy --ids ids.json                    keeps code you cannot change yet working",
    ):
        console.print(f"  {line}")
    console.print(
        f"[dim]demo finished in {time.perf_counter() - started:.1f} s; files in {work}"
        f"{'' if keep else ' (temporary)'}[/dim]"
    )
    if keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return equal
