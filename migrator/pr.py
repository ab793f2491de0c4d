"""`migrate pr`: the migration of one repository as a reviewable pull request.

Checks the tree, fetches the base, rebuilds the migration branch from it, runs the codemods (the
same engine and safety rules as `migrate apply`), commits, pushes with the user's own git, and opens
or updates the pull request through the GitHub REST API. Designed to be called in a loop (a fleet
mode): `open_pull_request` returns a typed `PrResult` and raises `MigratorError` on failure, leaving
the repository on the branch it started on. No token is ever put in a URL, a message or a commit.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from .errors import MigratorError
from .idmap import IdMap

DEFAULT_BRANCH = "segment-public-api-migration"
DEFAULT_TITLE = "Migrate from Segment's Config API to the Public API"
LABEL = "segment-migration"
COMMIT_MESSAGE = """Migrate Segment Config API calls to the Public API

Rewritten by `migrate apply` (segment-migrator) where the rewrite is proven
safe; every other Config API call keeps working and carries a
`# TODO(migrate): ...` comment. See the pull request for the checklist.
"""


class GitError(MigratorError):
    """A git command failed."""


class GitHubError(MigratorError):
    """The GitHub REST API refused or could not be reached."""


@dataclass
class PrOptions:
    path: Path
    id_map: IdMap | None = None
    base: str | None = None
    branch: str = DEFAULT_BRANCH
    remote: str = "origin"
    repo: str | None = None
    github_url: str = "https://api.github.com"
    draft: bool = False
    dry_run: bool = False
    title: str = DEFAULT_TITLE
    region: str = "us"
    force: bool = False
    """Rebuild the branch even when it holds commits `migrate pr` did not make (they are lost)."""


@dataclass
class PrResult:
    action: str  # created | updated | dry-run | nothing-to-change
    branch: str
    base: str
    title: str
    body: str
    files_changed: int
    todos: int
    diff_stat: str
    number: int | None = None
    url: str | None = None
    commit: str | None = None
    notes: list[str] = field(default_factory=list)


class Git:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __call__(self, *args: str, check: bool = True) -> str:
        try:
            done = subprocess.run(
                ["git", "-C", str(self.folder), *args], capture_output=True, text=True, timeout=300, check=False
            )
        except FileNotFoundError:
            raise GitError("git is not installed") from None
        except subprocess.TimeoutExpired:
            raise GitError(f"git {args[0]} did not finish in 300 s") from None
        if check and done.returncode != 0:
            lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
            raise GitError(f"git {args[0]}: {_scrub(lines[-1]) if lines else 'failed'}")
        return done.stdout.strip()


def _scrub(text: str) -> str:
    """Credentials a remote URL may carry (`https://user:token@host`) never reach a message."""
    return re.sub(r"(https?://)[^/@\s]+@", r"\1", text)


def repo_from_remote(url: str) -> str | None:
    found = re.search(r"[:/]([^/:]+)/([^/]+?)(?:\.git)?/?$", url)
    if found and ("github" in url or url.startswith("git@")):
        return f"{found.group(1)}/{found.group(2)}"
    return None


class GitHub:
    def __init__(self, base_url: str, token: str, transport: httpx.BaseTransport | None = None) -> None:
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": "segment-migrator",
            },
            timeout=30,
            transport=transport,
        )

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise GitHubError(f"GitHub {method} {path}: cannot connect ({type(error).__name__})") from None
        if response.status_code >= 400:
            try:
                body = response.json()
                message = body.get("message", "")
                details = "; ".join(str(item.get("message", item)) for item in body.get("errors", []) if item)
            except ValueError:
                message, details = response.text[:100], ""
            hint = {
                401: " (is GITHUB_TOKEN valid?)",
                403: " (does GITHUB_TOKEN have pull request access?)",
                404: " (wrong --repo, or no access)",
            }.get(response.status_code, "")
            raise GitHubError(
                f"GitHub {method} {path}: {response.status_code} {message}{': ' + details if details else ''}{hint}"
            )
        return response.json() if response.content else None

    def close(self) -> None:
        self.client.close()


def open_pull_request(
    options: PrOptions,
    github_token: str | None,
    transport: httpx.BaseTransport | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> PrResult:
    from codemods.engine import ApplyOptions, apply, write

    git = Git(options.path)
    try:
        top = Path(git("rev-parse", "--show-toplevel"))
    except GitError:
        raise GitError(f"{options.path}: not a git repository") from None
    git = Git(top)
    start = git("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
    if not start:
        raise GitError("HEAD is detached: check out a branch first")
    if git("status", "--porcelain"):
        raise GitError("the working tree has uncommitted changes: commit or stash them first")
    remote_url = git("remote", "get-url", options.remote, check=False)
    if not remote_url:
        raise GitError(f"no remote {options.remote!r}: add one or pass --remote")
    repo = options.repo or repo_from_remote(remote_url)
    if not repo and not options.dry_run:
        raise MigratorError("cannot tell the GitHub repository from the remote: pass --repo OWNER/NAME")
    if not options.dry_run and not github_token:
        raise GitHubError("no GITHUB_TOKEN: set it to a token that may open pull requests (or use --dry-run)")
    log(f"fetching {options.remote}")
    git("fetch", "--quiet", options.remote)
    base = options.base or _default_branch(git, options.remote)
    if not git("rev-parse", "--verify", "--quiet", f"refs/remotes/{options.remote}/{base}", check=False):
        raise GitError(f"base branch {base!r} is not on {options.remote}")
    github = GitHub(options.github_url, github_token or "", transport) if not options.dry_run else None
    existing: dict[str, Any] | None = None
    if github is not None and repo is not None:
        try:  # token and repository checked before anything is pushed
            existing = _open_pull(github, repo, options.branch)
        except BaseException:
            github.close()
            raise
    if not options.force:
        _refuse_foreign_commits(git, options, base)
    try:
        git("checkout", "--quiet", "-B", options.branch, f"{options.remote}/{base}")
        try:
            applied = apply([top], ApplyOptions(id_map=options.id_map, region=options.region), jobs=1)
            write(applied)
            summary = applied.summary()
            if not git("status", "--porcelain"):
                return _nothing_to_change(options, github, repo, base, existing)
            git("add", "--all")
            git("-c", "commit.gpgsign=false", "commit", "--quiet", "-m", COMMIT_MESSAGE)
        except BaseException:
            git("reset", "--quiet", "--hard", check=False)
            git("clean", "--quiet", "-fd", check=False)
            raise
        commit = git("rev-parse", "HEAD")
        diff_stat = git("diff", "--stat", f"{options.remote}/{base}", "HEAD")
        body = pr_body(top, applied, options, repo or "", base)
        changed, todos = summary["changed"], summary["todos_added"]
        assert isinstance(changed, int) and isinstance(todos, int)
        result = PrResult(
            "dry-run", options.branch, base, options.title, body, changed, todos, diff_stat, commit=commit
        )
        if options.dry_run:
            result.notes.append("nothing was pushed; the branch is local")
            return result
        log(f"pushing {options.branch} to {options.remote}")
        git("push", "--quiet", "--force-with-lease", options.remote, f"{options.branch}:{options.branch}")
        assert github is not None and repo is not None
        try:
            _publish(github, repo, options, base, result, existing)
        except MigratorError as error:  # say what already exists: a re-run updates it rather than doubling it
            done = f"{options.branch} was pushed to {options.remote} ({commit[:12]})"
            if result.number is not None:
                done += f" and pull request #{result.number} exists ({result.url})"
            raise type(error)(f"{done}, but then: {error}") from None
        return result
    finally:
        git("checkout", "--quiet", "--force", start, check=False)
        if github is not None:
            github.close()


def _refuse_foreign_commits(git: Git, options: PrOptions, base: str) -> None:
    """The branch is rebuilt from the base and force-pushed: refuse when that would drop a commit
    someone else made on it, locally or on the remote (a branch of the same name made for something
    else, a reviewer's fix pushed to the pull request's branch)."""
    upstream = f"{options.remote}/{base}"
    subject = COMMIT_MESSAGE.splitlines()[0]
    for ref in (f"refs/heads/{options.branch}", f"refs/remotes/{options.remote}/{options.branch}"):
        if not git("rev-parse", "--verify", "--quiet", ref, check=False):
            continue
        theirs = [
            line
            for line in git("log", "--format=%h %s", f"{upstream}..{ref}").splitlines()
            if line.split(" ", 1)[-1] != subject
        ]
        if theirs:
            where = "local branch" if ref.startswith("refs/heads/") else f"branch on {options.remote}"
            shown = "; ".join(theirs[:3]) + (f"; and {len(theirs) - 3} more" if len(theirs) > 3 else "")
            raise GitError(
                f"the {where} {options.branch!r} has {len(theirs)} commit(s) migrate pr did not make ({shown}): "
                "pass --branch with another name, or --force to rebuild it and drop them"
            )


def _default_branch(git: Git, remote: str) -> str:
    head = git("symbolic-ref", "--quiet", "--short", f"refs/remotes/{remote}/HEAD", check=False)
    if head:
        return head.split("/", 1)[1]
    for candidate in ("main", "master"):
        if git("rev-parse", "--verify", "--quiet", f"refs/remotes/{remote}/{candidate}", check=False):
            return candidate
    raise GitError(f"cannot tell the base branch of {remote}: pass --base")


def _open_pull(github: GitHub, repo: str, branch: str) -> dict[str, Any] | None:
    owner = repo.split("/")[0]
    pulls = github.call("GET", f"/repos/{repo}/pulls", params={"head": f"{owner}:{branch}", "state": "open"})
    return pulls[0] if pulls else None


def _publish(
    github: GitHub, repo: str, options: PrOptions, base: str, result: PrResult, existing: dict[str, Any] | None
) -> None:
    if existing is None:
        pull = github.call(
            "POST",
            f"/repos/{repo}/pulls",
            json={
                "title": options.title,
                "head": options.branch,
                "base": base,
                "body": result.body,
                "draft": options.draft,
                "maintainer_can_modify": True,
            },
        )
        result.action = "created"
    else:
        pull = github.call(
            "PATCH",
            f"/repos/{repo}/pulls/{existing['number']}",
            json={"title": options.title, "body": result.body, "base": base},
        )
        result.action = "updated"
    result.number, result.url = int(pull["number"]), str(pull["html_url"])
    labels = {label["name"] for label in github.call("GET", f"/repos/{repo}/labels") or []}
    if LABEL in labels:
        github.call("POST", f"/repos/{repo}/issues/{result.number}/labels", json={"labels": [LABEL]})


def _nothing_to_change(
    options: PrOptions, github: GitHub | None, repo: str | None, base: str, existing: dict[str, Any] | None
) -> PrResult:
    result = PrResult("nothing-to-change", options.branch, base, options.title, "", 0, 0, "")
    result.notes.append(f"{base} has nothing left to migrate")
    if github is not None and repo is not None and existing is not None:
        github.call(
            "POST",
            f"/repos/{repo}/issues/{existing['number']}/comments",
            json={
                "body": f"`{base}` no longer has anything for `migrate apply` to change: this pull request is no "
                "longer needed. Nothing was deleted; close it when you are ready."
            },
        )
        result.number, result.url = int(existing["number"]), str(existing["html_url"])
        result.notes.append(f"commented on #{existing['number']} that it is no longer needed")
    return result


def _html_base(github_url: str) -> str:
    if "api.github.com" in github_url:
        return "https://github.com"
    return re.sub(r"/api/v3/?$", "", github_url.rstrip("/"))


def pr_body(top: Path, applied: Any, options: PrOptions, repo: str, base: str) -> str:
    """The reviewer's page: what changed, what is left (with links), what needs a person, how to check."""
    from .scan import scan_paths

    summary = applied.summary()
    link_base = f"{_html_base(options.github_url)}/{repo}/blob/{options.branch}"

    def place(relative: str, line: int) -> str:
        """A link to the line on GitHub, or the plain place when the repository is not known (a
        dry run against a remote that is not on GitHub): never a link that leads nowhere."""
        shown = f"`{relative}:{line}`"
        return f"[{shown}]({link_base}/{relative}#L{line})" if repo else shown

    lines = [
        "This pull request moves Segment Config API calls to the Public API. It was made by "
        "`migrate apply` (segment-migrator): a call is rewritten only where the rewrite is proven safe; every "
        "other call keeps working as it was and carries a `# TODO(migrate): ...` comment listed below.",
        "",
        f"**{summary['changed']} files changed**, {summary['todos_added']} TODOs left. Codemods: "
        + ", ".join(f"{name} {count}" for name, count in summary["by_codemod"].items())
        + ".",
        "",
        "### Changes per file",
        "",
        "| file | rewrites | TODOs |",
        "|---|---|---|",
    ]
    for outcome in sorted(applied.outcomes, key=lambda item: item.path):
        if outcome.changed:
            relative = Path(outcome.path).resolve().relative_to(top.resolve()).as_posix()
            rewrites = sum(count for name, count in outcome.counts.items() if name != "todos")
            lines.append(f"| `{relative}` | {rewrites} | {outcome.counts.get('todos', 0)} |")
    for name in summary["lookup_modules"]:
        lines.append(f"| `{Path(name).resolve().relative_to(top.resolve()).as_posix()}` | generated id lookups | 0 |")
    for layer in applied.layers:
        where = Path(layer).resolve().relative_to(top.resolve()).as_posix()
        lines.append(f"| `{where}/` | generated compatibility layer (do not edit) | 0 |")
    scanned = scan_paths([top], jobs=1)
    todos = [finding for finding in scanned.findings if finding.kind == "todo"]
    if todos:
        lines += ["", "### Left for a person", ""]
        for finding in todos:
            relative = Path(finding.file).resolve().relative_to(top.resolve()).as_posix()
            lines.append(f"- [ ] {place(relative, finding.line)} {finding.message.removeprefix('TODO(migrate): ')}")
    layered = [finding for finding in scanned.findings if finding.kind == "compat"]
    if layered:
        lines += [
            "",
            "### Through the compatibility layer",
            "",
            "These calls could not be proven safe to rewrite natively, so they go through `segment_compat/` "
            "(generated): it sends the Public API request(s) and answers as the Config API did. They need a "
            "Public API token where they had a Config one. Retire each for a native Public call when its callers "
            "are ready:",
            "",
        ]
        for finding in layered:
            relative = Path(finding.file).resolve().relative_to(top.resolve()).as_posix()
            lines.append(f"- [ ] {place(relative, finding.line)} `{finding.snippet}`")
    twins = getattr(applied, "twins", [])
    if twins:
        lines += [
            "",
            "### Config base URLs kept beside their Public twins",
            "",
            "Other modules import these constants: the calls that moved read the Public twin written beside each, "
            "and the Config constant stays for whatever still reads it. Delete it once nothing does:",
            "",
        ]
        for path, twin in twins:
            relative = Path(path).resolve().relative_to(top.resolve()).as_posix()
            lines.append(
                f"- [ ] `{relative}`: `{twin}` beside `{twin.removesuffix('_PUBLIC').removesuffix('_public')}`"
            )
    manual = sorted(
        {
            (f.endpoint, f.reason)
            for f in scanned.findings
            if f.endpoint and f.reason and "no Public API twin" in (f.reason or "")
        }
    )
    if manual:
        lines += ["", "### Endpoints with no Public twin", ""]
        lines += [f"- `{endpoint}`: {reason}" for endpoint, reason in manual]
    if options.id_map is not None:
        texts = [
            Path(file).read_text(encoding="utf-8", errors="replace")
            for file in {finding.file for finding in scanned.findings}
        ]
        problems = [
            entry
            for entry in options.id_map.entries
            if entry.status in ("ambiguous", "missing")
            and entry.config_name
            and any(re.search(rf"\b{re.escape(entry.config_name.rsplit('/', 1)[-1])}\b", text) for text in texts)
        ]
        if problems:
            lines += ["", "### From the ID map: names that need a decision", ""]
            for entry in problems:
                candidates = ", ".join(c.public_id for c in entry.candidates)
                lines.append(f"- `{entry.config_name}`: {entry.status}" + (f" ({candidates})" if candidates else ""))
    lines += [
        "",
        "### Before merging",
        "",
        "- [ ] Create a **Public API token** (Settings > Workspace settings > Access Management > Tokens; "
        "Workspace Owners only) and give it to this code's environment: Config API tokens do not work on the "
        "Public API.",
        f"- [ ] Check the behaviour on the emulator: `migrate verify --before {base} -- <your tests>`",
        "- [ ] Look for anything left: `migrate scan .`",
    ]
    return "\n".join(lines) + "\n"
