"""`migrate apply` on real Config API code: per repository, what moved and how, and whether the code
still does what it did.

OUT is the folder `../shared/realcode/extract.sh --whole OUT` laid out (one folder per repository).
Each repository is copied to a scratch folder and migrated there: without an ID map, as a first run
would be, or with `--ids` the emulator's demo workspace's. Reported per repository: the Python
files, the Config calls the plan found and how many moved natively, the transport calls routed
through the compatibility layer, the TODOs left (by reason), files that failed, whether every output
parses, and whether a second run changes nothing.

With `--drivers DIR`, a repository with a driver `DIR/<owner>+<name>.py` is also run: the driver
calls each public method of the repository's client (its own code, imported from the tree given as
its first argument) and prints one line per method. It runs on the legacy tree against the
emulator's Config side, then on the migrated tree with the Config host unreachable and a Public
token; the lines are compared, strictly and leaving out the Config fields the map says the Public
API does not carry (`drop = true` in fields.toml: timestamps, `library_config`), and then also
allowing a secret setting to come back masked as the map says the Public API masks it (a
difference a caller can see, so it is counted apart, never folded in). `--python` runs
the drivers with another interpreter (one with the repositories' dependencies installed). The
legacy tree also runs, untouched, through `migrate proxy`'s app against a third emulator, and is
compared the same way (`through_the_proxy`).

    python benchmarks/realcode.py OUT [--ids] [--drivers DIR] [--python PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from codemods.engine import ApplyOptions, apply, unified_diff, write  # noqa: E402
from mappings import load_map  # noqa: E402
from migrator.clients import ConfigClient, PublicClient  # noqa: E402
from migrator.codec import masked_secret  # noqa: E402
from migrator.compat import PACKAGE  # noqa: E402
from migrator.emulator.app import Emulator, Tokens  # noqa: E402
from migrator.emulator.seed import build_demo  # noqa: E402
from migrator.emulator.server import start_in_thread  # noqa: E402
from migrator.idmap import IdMap  # noqa: E402
from migrator.proxy import ProxyApp  # noqa: E402
from migrator.resolver import Resolver  # noqa: E402
from migrator.routing import SITE, segment_hosts  # noqa: E402

UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens, the connection is refused


def _git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(folder), "-c", "user.name=m", "-c", "user.email=m@example.com", *args],
        check=True,
        capture_output=True,
    )


def demo_id_map() -> IdMap:
    """The ID map of the emulator's demo workspace (the same seed each time, so the same ids)."""
    emulator = Emulator(build_demo(), Tokens("config-token", "ro", "sgp_ids"), rate_limit=0)
    with start_in_thread(emulator) as server:
        public = PublicClient.connect(server.base_url, "sgp_ids")
        return Resolver(public, ConfigClient.connect(server.config_url, "config-token", per_minute=0)).run().id_map


def without(value: object, names: frozenset[str]) -> object:
    if isinstance(value, dict):
        return {key: without(item, names) for key, item in value.items() if key not in names}
    if isinstance(value, list):
        return [without(item, names) for item in value]
    return value


def masked_alike(before: object, after: object, masked: Callable[[str], object]) -> bool:
    """Equal, but where `after` holds a string the map's rule masks out of `before`'s."""
    if isinstance(before, dict) and isinstance(after, dict):
        return before.keys() == after.keys() and all(masked_alike(before[k], after[k], masked) for k in before)
    if isinstance(before, list) and isinstance(after, list):
        return len(before) == len(after) and all(masked_alike(b, a, masked) for b, a in zip(before, after, strict=True))
    if isinstance(before, str) and isinstance(after, str) and before and after != before:
        return after == masked(before)
    return before == after


def migrate(tree: Path, id_map: IdMap | None = None) -> dict[str, object]:
    result = apply([tree], ApplyOptions(id_map=id_map), jobs=2)
    write(result)
    changed = [outcome for outcome in result.outcomes if outcome.changed]
    unparsed = []
    for outcome in changed:
        try:
            compile(Path(outcome.path).read_text(encoding="utf-8"), outcome.path, "exec", dont_inherit=True)
        except SyntaxError:
            unparsed.append(outcome.display)
    reasons: Counter[str] = Counter()
    for outcome in changed:
        for line in Path(outcome.path).read_text(encoding="utf-8").splitlines():
            if "# TODO(migrate): " in line:
                reasons[line.split("# TODO(migrate): ", 1)[1][:90]] += 1
    again = unified_diff(apply([tree], ApplyOptions(id_map=id_map), jobs=2), tree)
    summary = result.summary()
    return {
        "python_files": len(result.outcomes),
        "changed": summary["changed"],
        "failed": [f"{o.display}: {o.error}" for o in result.outcomes if o.error],
        "config_calls": summary["config_calls"],
        "native": summary["moved_calls"],
        "compat_sites": summary["compat_calls"],
        "todos": dict(reasons),
        "outputs_parse": not unparsed,
        "second_run_changes_nothing": again == b"",
        "layer": [str(Path(layer).relative_to(tree)) for layer in result.layers],
    }


def _routes(config: str, public: str) -> dict[str, str]:
    hosts = segment_hosts()
    routes = {f"https://{host}": public for host in hosts}
    routes["https://platform.segmentapis.com"] = config
    return routes


def drive(python: str, driver: Path, tree: Path, routes: dict[str, str], token: str, work: Path) -> list[str]:
    env = dict(os.environ)
    env["SEGMENT_MIGRATOR_ROUTES"] = json.dumps(routes)
    env["PYTHONPATH"] = os.pathsep.join([str(SITE), str(tree)])
    env["SEGMENT_TOKEN"] = token
    work.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [python, str(driver.resolve()), str(tree)],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
        timeout=300,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("method ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{driver.name} failed on {tree}: {done.stderr.strip().splitlines()[-1:]}")
    return lines


def compared(before: list[str], after: list[str]) -> dict[str, object]:
    """How many of the methods that work on the Config API answer the same on the other side:
    strictly, leaving out the fields the map says the Public API does not carry, and also allowing
    a secret setting to come back masked as the map says the Public API masks it."""
    worked = [line for line in before if " -> error" not in line and line.startswith("method ")]
    api = load_map()
    dropped = api.not_carried
    answers = {line.split(" -> ", 1)[0]: line.split(" -> ", 1)[1] for line in after if " -> " in line}

    def same_but_dropped(line: str) -> bool:
        name, answer = line.split(" -> ", 1)
        if name not in answers:
            return False
        try:
            return without(json.loads(answer), dropped) == without(json.loads(answers[name]), dropped)
        except ValueError:
            return answer == answers[name]

    def same_but_masked(line: str) -> bool:
        name, answer = line.split(" -> ", 1)
        try:
            before_value, after_value = json.loads(answer), json.loads(answers.get(name, "null"))
        except ValueError:
            return False
        masked = lambda value: masked_secret(api, value)  # noqa: E731
        return masked_alike(without(before_value, dropped), without(after_value, dropped), masked)

    carried = [line for line in worked if same_but_dropped(line)]
    also_masked = [line for line in worked if line in carried or same_but_masked(line)]
    if os.environ.get("REALCODE_SHOW_DIFFERENCES"):
        for line in worked:
            if line not in carried:
                name = line.split(" -> ", 1)[0]
                print(f"  before: {line}\n  after:  {name} -> {answers.get(name)}", file=sys.stderr)
    return {
        "same_after": sum(1 for line in worked if line in after),
        "same_but_fields_the_map_drops": len(carried),
        "same_but_secrets_masked": len(also_masked),
        "differ": [line.split(" -> ")[0] for line in worked if line not in also_masked],
        "errors_before_same_after": sum(1 for line in before if " -> error" in line and line in after),
    }


def behaviour(
    python: str, driver: Path, legacy: Path, migrated: Path, scratch: Path, id_map: IdMap | None
) -> dict[str, object]:
    """The driver on the legacy tree against the Config side; on the migrated tree with the Config
    host unreachable; and on the legacy tree, untouched, through `migrate proxy` (the same
    translation, served): each on a fresh emulator from the same seed."""
    direct = Emulator(build_demo(), Tokens("config-token", "ro", "sgp_direct"), rate_limit=0)
    behind = Emulator(build_demo(), Tokens("config-token", "ro", "sgp_behind"), rate_limit=0)
    proxied = Emulator(build_demo(), Tokens("config-token", "ro", "sgp_proxied"), rate_limit=0)
    with start_in_thread(direct) as first, start_in_thread(behind) as second, start_in_thread(proxied) as third:
        before = drive(python, driver, legacy, _routes(first.base_url, first.base_url), "config-token", scratch / "b")
        config_calls = behind.requests_by_side["config"]
        after = drive(python, driver, migrated, _routes(UNREACHABLE, second.base_url), "sgp_behind", scratch / "a")
        assert behind.requests_by_side["config"] == config_calls
        with start_in_thread(ProxyApp(third.base_url, id_map)) as proxy:  # type: ignore[arg-type]
            routes = _routes(proxy.base_url.removesuffix("/v1beta"), UNREACHABLE)
            through = drive(python, driver, legacy, routes, "sgp_proxied", scratch / "p")
        assert proxied.requests_by_side["config"] == 0
    return {
        "methods": len([line for line in before if line.startswith("method ")]),
        "work_before": len([line for line in before if " -> error" not in line and line.startswith("method ")]),
        **compared(before, after),
        "public_calls": behind.requests_by_side["public"],
        "through_the_proxy": compared(before, through),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--drivers", type=Path)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--ids", action="store_true", help="migrate with the demo workspace's ID map")
    args = parser.parse_args()
    id_map = demo_id_map() if args.ids else None
    report: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="realcode-") as scratch_dir:
        scratch = Path(scratch_dir)
        for repo in sorted(
            path for path in args.out.iterdir() if path.is_dir() and not path.name.endswith(".migrated")
        ):
            if not any(repo.rglob("*.py")):
                continue
            legacy = scratch / repo.name / "legacy"
            tree = scratch / repo.name / "migrated"
            shutil.copytree(repo, legacy, symlinks=True)
            shutil.copytree(repo, tree, symlinks=True)
            _git(tree, "init", "-q")
            entry = migrate(tree, id_map)
            driver = args.drivers / f"{repo.name}.py" if args.drivers else None
            if driver is not None and driver.exists():
                run = scratch / repo.name / "run"
                entry["behaviour"] = behaviour(args.python, driver, legacy, tree, run, id_map)
            report[repo.name] = entry
            print(repo.name, json.dumps(entry, indent=1), file=sys.stderr)
    json.dump(report, sys.stdout, indent=1)
    print()
    uses = [e for e in report.values() if isinstance(e, dict)]
    print(
        f"\n{len(uses)} repositories: {sum(int(e['config_calls']) for e in uses)} planned Config calls, "
        f"{sum(int(e['native']) for e in uses)} native, {sum(int(e['compat_sites']) for e in uses)} transport "
        f"calls through {PACKAGE}, {sum(sum(e['todos'].values()) for e in uses)} TODOs",  # type: ignore[attr-defined]
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
