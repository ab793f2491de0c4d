"""Same behaviour before and after: run a command on the legacy code and on the migrated code, each
against a fresh emulator from the same seed, and compare exit codes, output and the final state.

The legacy code comes from a git worktree at `--before`; the migrated code is the working tree.
Python processes reach the emulator through the routing `sitecustomize` (Segment's hosts, any
client), so the user's code is run unchanged. The state is compared through the emulator's one
store, so a Config-side change and the equivalent Public-side change compare equal.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .emulator.app import Emulator, Tokens
from .emulator.seed import load_seed
from .emulator.server import start_in_thread
from .errors import MigratorError, UsageError
from .idmap import IdMap
from .losses import explained
from .routing import routed_env, segment_hosts

VOLATILE = frozenset({"createdAt", "updatedAt", "finishedAt", "deployedAt"})
TOKEN_NAMES = ("config-token", "public-token")


def comparable_state(fingerprint: Any) -> Any:
    """A state document without the timestamps that legitimately differ between two runs."""
    if isinstance(fingerprint, dict):
        return {key: comparable_state(value) for key, value in fingerprint.items() if key not in VOLATILE}
    if isinstance(fingerprint, list):
        return [comparable_state(item) for item in fingerprint]
    return fingerprint


@dataclass
class EnvRule:
    """`NAME=config-token`, `NAME=public-token`, or `NAME=before:config-token,after:public-token`."""

    name: str
    before: str
    after: str

    @classmethod
    def parse(cls, text: str) -> EnvRule:
        name, separator, value = text.partition("=")
        if not separator or not name:
            raise UsageError(f"--env {text!r}: use NAME=config-token, NAME=public-token or NAME=before:...,after:...")
        if value in TOKEN_NAMES:
            return cls(name, value, value)
        sides = dict(part.split(":", 1) for part in value.split(",") if ":" in part)
        if set(sides) != {"before", "after"} or not set(sides.values()) <= set(TOKEN_NAMES):
            raise UsageError(f"--env {text!r}: each side takes config-token or public-token")
        return cls(name, sides["before"], sides["after"])


@dataclass
class SideRun:
    label: str
    returncode: int
    stdout: str
    stderr: str
    state: Any
    requests: dict[str, int]


@dataclass
class VerifyResult:
    before: SideRun
    after: SideRun
    differences: dict[str, str] = field(default_factory=dict)
    explained: dict[str, str] = field(default_factory=dict)
    """Per differing stream, what alone tells the two apart when that is only what the Public API
    does not give back (`losses.explained`): still a difference, but an expected one."""
    unrouted: list[str] = field(default_factory=list)
    """The sides that made no call the emulator saw yet name a Segment host in their output: they
    reached for the real API, past the routing (see `unrouted_note`)."""

    @property
    def equal(self) -> bool:
        return not self.differences


def _git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = (done.stderr.strip() or done.stdout.strip()).splitlines()
        raise MigratorError(f"git {' '.join(args[:2])}: {message[-1] if message else 'failed'}")
    return done.stdout


DURATION = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds?|minutes?)\b")
"""A time a command prints of itself (pytest's `1 passed in 0.12s`, a script's `took 3.4 seconds`):
it differs from run to run whatever the code does, so it is compared as `<normalized>` unless
`exact` asks otherwise."""


TRACEBACK_LINE = re.compile(r'(?<=", line )\d+(?=, in )')
"""The line number of a traceback's frame (`File "sync.py", line 19, in main`): migrating a file
moves its lines (an import added, a TODO above a call), so the same failure of the same statement is
numbered differently after. The statement itself, printed below the frame, is still compared."""


def _normalize(text: str, patterns: Sequence[re.Pattern[str]]) -> str:
    for pattern in patterns:
        text = pattern.sub("<normalized>", text)
    return text


SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL", re.IGNORECASE)
"""Variables that hold secrets by their name: the user's real Segment, GitHub or cloud tokens."""


def sandboxed(environment: dict[str, str], kept: Sequence[str] = ()) -> dict[str, str]:
    """The command's environment: the user's, without the variables holding secrets. Only the
    emulator's tokens reach the command, and what the user passes on purpose (`kept`)."""
    return {name: value for name, value in environment.items() if name in kept or not SECRET_NAME.search(name)}


def _run_side(
    label: str,
    folder: Path,
    command: Sequence[str],
    seed: str,
    rules: Sequence[EnvRule],
    timeout: float,
    kept: Sequence[str] = (),
) -> tuple[SideRun, Emulator]:
    tokens = Tokens()
    emulator = Emulator(load_seed(seed), tokens, rate_limit=0)
    with start_in_thread(emulator) as running:
        env = routed_env(running.base_url, sandboxed(dict(os.environ), kept))
        values = {"config-token": tokens.config, "public-token": tokens.public}
        env["SEGMENT_CONFIG_API_TOKEN"] = tokens.config
        env["SEGMENT_PUBLIC_API_TOKEN"] = tokens.public
        for rule in rules:
            env[rule.name] = values[rule.before if label == "before" else rule.after]
        try:
            done = subprocess.run(
                list(command), cwd=folder, env=env, capture_output=True, text=True, timeout=timeout, check=False
            )
        except FileNotFoundError:
            raise MigratorError(f"cannot run {command[0]!r}: no such program") from None
        except subprocess.TimeoutExpired:
            raise MigratorError(f"the command ran past {timeout:g} s on the {label} side") from None
    secrets = (tokens.config, tokens.config_read, tokens.public)
    stdout, stderr = done.stdout, done.stderr
    for secret in secrets:  # the emulator's tokens differ per run and are never shown
        stdout, stderr = stdout.replace(secret, "<token>"), stderr.replace(secret, "<token>")
    state = comparable_state(emulator.state.fingerprint())
    return SideRun(label, done.returncode, stdout, stderr, state, dict(emulator.requests_by_side)), emulator


def _at_the_root(text: str, worktree: Path, root: Path) -> str:
    """The legacy side's output with its checkout's path read as the repository's: a traceback or a
    log naming its own files differs between the two sides only by where each side runs."""
    for place in {str(worktree), str(worktree.resolve())}:
        text = text.replace(place, str(root))
    return text


def verify(
    path: Path,
    command: Sequence[str],
    before: str = "HEAD",
    seed: str = "demo",
    env: Sequence[str] = (),
    normalize: Sequence[str] = (),
    timeout: float = 300.0,
    id_map: IdMap | None = None,
    pass_env: Sequence[str] = (),
    exact: bool = False,
) -> VerifyResult:
    if not command:
        raise UsageError("no command to run: put it after --, e.g. migrate verify -- python run_all.py")
    rules = [EnvRule.parse(text) for text in env]
    try:
        patterns = [re.compile(text) for text in normalize]
    except re.error as error:
        raise UsageError(f"--normalize: {error}") from None
    if not exact:
        patterns += [DURATION, TRACEBACK_LINE]
    path = path.resolve()
    folder = path if path.is_dir() else path.parent
    root = Path(_git(folder, "rev-parse", "--show-toplevel").strip())
    relative = folder.relative_to(root)
    _git(root, "rev-parse", "--verify", f"{before}^{{commit}}")
    if id_map is not None:
        _check_ids(id_map, seed)
    worktree = Path(tempfile.mkdtemp(prefix="migrate-verify-"))
    shutil.rmtree(worktree)
    _git(root, "worktree", "add", "--detach", "--quiet", str(worktree), before)
    try:
        old, _ = _run_side("before", worktree / relative, command, seed, rules, timeout, pass_env)
        new, _ = _run_side("after", folder, command, seed, rules, timeout, pass_env)
    finally:
        subprocess.run(
            ["git", "-C", str(root), "worktree", "remove", "--force", str(worktree)], capture_output=True, check=False
        )
    result = VerifyResult(old, new)
    result.unrouted = [side.label for side in (old, new) if _unrouted(side)]
    if old.returncode != new.returncode:
        result.differences["exit code"] = f"before {old.returncode}, after {new.returncode}"
    for stream in ("stdout", "stderr"):
        a = _normalize(_at_the_root(getattr(old, stream), worktree, root), patterns)
        b = _normalize(getattr(new, stream), patterns)
        if a != b:
            result.differences[stream] = "\n".join(
                difflib.unified_diff(a.splitlines(), b.splitlines(), "before", "after", lineterm="")
            )
            why = explained(a, b)
            if why is not None:
                result.explained[stream] = why
    if old.state != new.state:
        a_text = json.dumps(old.state, indent=1, sort_keys=True).splitlines()
        b_text = json.dumps(new.state, indent=1, sort_keys=True).splitlines()
        result.differences["workspace state"] = "\n".join(
            difflib.unified_diff(a_text, b_text, "state before", "state after", lineterm="", n=2)
        )
    return result


def _unrouted(side: SideRun) -> bool:
    if any(side.requests.values()):
        return False
    output = side.stdout + side.stderr
    return any(host in output for host in segment_hosts())


def unrouted_note(sides: Sequence[str]) -> str:
    """What to do when a side's calls went past the emulator."""
    return (
        f"the {' and '.join(sides)} run{'s' if len(sides) > 1 else ''} made no call the emulator saw, and "
        "named a Segment host: its processes reached for the real API. Verify routes Python through a "
        "`sitecustomize` it puts first on PYTHONPATH; a command that sets PYTHONPATH (`export PYTHONPATH=src`) "
        "drops it: add to it instead (`PYTHONPATH=src:$PYTHONPATH`)"
    )


def _check_ids(id_map: IdMap, seed: str) -> None:
    """An ID map made against another workspace would make the migrated side fail for that reason."""
    state = load_seed(seed)
    known = {*state.sources, *state.destinations, *state.tracking_plans, *state.functions, *state.filters}
    stale = [
        e.public_id
        for e in id_map.entries
        if e.status == "matched" and e.kind in ("source", "destination") and e.public_id not in known
    ]
    if stale or id_map.workspace.slug != state.workspace["slug"]:
        raise UsageError(f"the ID map does not describe the {seed!r} seed's workspace (resolve against the emulator)")


def environment_summary(result: VerifyResult) -> dict[str, Any]:
    return {
        "equal": result.equal,
        "before": {"exit": result.before.returncode, "requests": result.before.requests},
        "after": {"exit": result.after.returncode, "requests": result.after.requests},
        "differences": result.differences,
        "explained": result.explained,
        "unrouted": unrouted_note(result.unrouted) if result.unrouted else None,
    }
