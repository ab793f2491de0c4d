"""The `migrate` command line: parses options, calls the library, formats, picks exit codes."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import TaskID
    from rich.table import Table

    from codemods.engine import ApplyResult

    from .codec import Names
from .errors import MigratorError, UsageError
from .output import check_writable, emit, stderr_console, stdout_console

# Codemod names, spelled here so that `migrate --help` need not import libcst (a test keeps them equal).
CODEMODS = ("paths", "pagination", "payloads", "wrapper", "answers", "pinned", "compat", "host", "todos")
# The resolver's kinds, spelled here so that `migrate --help` and `scan` need not import the clients.
RESOLVE_KINDS = ("workspace", "catalog", "source", "destination", "tracking_plan", "function", "filter", "warehouse")


@dataclass
class Settings:
    no_color: bool
    quiet: bool
    verbose: bool


GLOBAL_FLAGS = (
    ("no_color", ("--no-color",), "Plain output (NO_COLOR is honoured too)."),
    ("quiet", ("-q", "--quiet"), "Only errors on stderr."),
    ("verbose", ("-v", "--verbose"), "More detail on stderr (tokens are always redacted)."),
)


def _set_flag(context: click.Context, parameter: click.Parameter, value: bool) -> None:
    if value and isinstance(context.obj, Settings) and parameter.name:
        setattr(context.obj, parameter.name, True)


class _Commands(click.Group):
    """The group whose flags (`-q`, `-v`, `--no-color`) each command takes too, before or after its
    name: `migrate scan . -q` is how people write it."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        for attribute, flags, help_text in GLOBAL_FLAGS:
            cmd.params.append(
                click.Option(flags, attribute, is_flag=True, expose_value=False, callback=_set_flag, help=help_text)
            )
        super().add_command(cmd, name)


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="migrate")
@click.option("--no-color", is_flag=True, help=GLOBAL_FLAGS[0][2])
@click.option("-q", "--quiet", is_flag=True, help=GLOBAL_FLAGS[1][2])
@click.option("-v", "--verbose", is_flag=True, help=GLOBAL_FLAGS[2][2])
@click.pass_context
def cli(context: click.Context, no_color: bool, quiet: bool, verbose: bool) -> None:
    """Move code and data from Segment's Config API to its Public API.

    \b
    The Config API (https://platform.segmentapis.com/v1beta) names things by slug; the Public API
    (https://api.segmentapis.com, EU https://eu1.api.segmentapis.com) by id, with new payloads,
    pagination and errors. New Config API tokens can no longer be created.

    \b
    Typical order:
      migrate demo               all of it on a sample repository, offline
      migrate scan .             every Config API use in a repository
      migrate endpoints          what maps to what, and what needs a person
      migrate resolve -o ids.json   the slug-to-ID map of your workspace
      migrate apply . --ids ids.json --diff   rewrite Python code (then without --diff)
      migrate pr .               the same as a pull request (GitHub)
      migrate translate METHOD PATH   the Public calls for one Config call
      migrate proxy              keep legacy code working through the Public API
      migrate verify -- CMD      same behaviour before and after, on the emulator
      migrate emulator           both APIs locally, over one demo workspace
      migrate config             the project settings in force ([tool.segment-migrator])
      migrate report *.json      one table for many repositories' scan reports
      migrate fleet --batch-spec a Sourcegraph batch spec running migrate apply everywhere
    Results go to stdout (or -o FILE); progress and summaries go to stderr.
    Exit codes: 0 success, 1 findings or differences, 2 error.
    """
    context.obj = Settings(no_color=no_color, quiet=quiet, verbose=verbose)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--family", help="Only one endpoint family (sources, destinations, filters, tracking_plans, ...).")
@click.option(
    "--automation",
    type=click.Choice(["auto", "partial", "manual"]),
    help="Only endpoints with this automation status.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of stdout."
)
@click.pass_obj
def endpoints(settings: Settings, fmt: str, family: str | None, automation: str | None, output: Path | None) -> None:
    """Every Config API endpoint, its Public API twin, and how far its migration is automated.

    \b
    automation: auto     the codemods rewrite it
                partial  rewritten where the code's shape allows, otherwise a TODO(migrate)
                manual   a person must act (the manual step is given)
    conf.: how sure we are of the Config side (confirmed / likely / uncertain)
    Examples:
      migrate endpoints --family sources
      migrate endpoints --automation manual --format json -o manual.json
    """
    from mappings import load_map

    from .catalogue import catalogue, table

    api = load_map()
    families = sorted({endpoint.family for endpoint in api.endpoints})
    if family is not None and family not in families:
        raise click.BadParameter(f"unknown family {family!r}; one of: {', '.join(families)}", param_hint="--family")
    data = catalogue(api, family=family, automation=automation)
    if fmt == "json":
        emit(json.dumps(data, indent=2), output)
        return
    if output is not None:
        console = stdout_console(no_color=True)
        with console.capture() as captured:
            console.print(table(data))
        emit(captured.get(), output)
    else:
        stdout_console(settings.no_color).print(table(data))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port.")
@click.option(
    "--seed",
    default="demo",
    show_default=True,
    help="demo (a realistic workspace), empty (catalog only), or a snapshot FILE.",
)
@click.option("--workspace", help="Workspace slug (default: acme, or the snapshot's).")
@click.option("--config-token", envvar="EMULATOR_CONFIG_TOKEN", help="Read/write Config API token to accept.")
@click.option("--config-read-token", envvar="EMULATOR_CONFIG_READ_TOKEN", help="Read-only Config API token to accept.")
@click.option("--public-token", envvar="EMULATOR_PUBLIC_TOKEN", help="Public API token to accept.")
@click.option(
    "--rate-limit",
    default=200,
    show_default=True,
    type=click.IntRange(0),
    help="Config requests per minute per token (the Public budget scales with it); 0 turns limits off.",
)
@click.option(
    "--faults", help="Injected failures, e.g. 429=0.1,500=0.05,503=0.02,envoy=0.01,slow=0.05,drop=0.01,seed=7."
)
@click.option("--save", type=click.Path(dir_okay=False, path_type=Path), help="Write a state snapshot here on exit.")
@click.pass_obj
def emulator(
    settings: Settings,
    host: str,
    port: int,
    seed: str,
    workspace: str | None,
    config_token: str | None,
    config_read_token: str | None,
    public_token: str | None,
    rate_limit: int,
    faults: str | None,
    save: Path | None,
) -> None:
    """Serve both APIs over one local workspace: the Config API under /v1beta (and /v1alpha), the
    Public API at /, on one port. A change made through one API is seen through the other.

    \b
    It prints its base URL and the tokens it accepts (generated unless given). Stop with Ctrl-C.
    Example:
      migrate emulator --port 8765 &
      curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8765/v1beta/workspaces/acme/sources
    """
    from .emulator.app import Emulator, Tokens
    from .emulator.protocol import Faults
    from .emulator.seed import load_seed
    from .emulator.server import serve_forever
    from .guard import checked_token, is_loopback

    given = {"--config-token": config_token, "--config-read-token": config_read_token, "--public-token": public_token}
    for what, token in given.items():
        if token:
            checked_token(token, what)
    state = load_seed(seed, workspace)
    defaults = Tokens()
    tokens = Tokens(
        config=config_token or defaults.config,
        config_read=config_read_token or defaults.config_read,
        public=public_token or defaults.public,
    )
    instance = Emulator(state, tokens, rate_limit=rate_limit, faults=Faults.parse(faults))

    def ready(bound: int) -> None:
        base = f"http://{host}:{bound}"
        lines = [
            f"Segment emulator: workspace {state.workspace['slug']!r} (seed {seed})",
            f"  base URL                 {base}",
            f"  Config API               {base}/v1beta",
            f"  Public API               {base}",
            f"  config token (write)     {tokens.config}",
            f"  config token (read only) {tokens.config_read}",
            f"  public token             {tokens.public}",
            f"  workspace id (functions) {state.workspace['configId']}",
            "",
            f"export SEGMENT_CONFIG_URL={base}/v1beta SEGMENT_PUBLIC_URL={base}",
            f"export SEGMENT_CONFIG_API_TOKEN={tokens.config} SEGMENT_PUBLIC_API_TOKEN={tokens.public}",
        ]
        emit("\n".join(lines), None)
        if not settings.quiet:
            console = stderr_console(settings.no_color)
            if not is_loopback(host):
                console.print(
                    f"[yellow]warning:[/yellow] listening on {host}: anyone who can reach this machine uses it"
                )
            console.print("[dim]Serving; Ctrl-C stops.[/dim]")

    try:
        serve_forever(instance, host, port, ready)
    except OSError as error:
        raise MigratorError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    finally:
        if save is not None:
            state.save(save)


def _summary_table(summary: dict[str, Any]) -> Table:
    from rich.table import Table

    grid = Table(title=f"ID map of workspace {summary['workspace']!r}")
    for column in ("kind", "matched", "ambiguous", "missing", "public only"):
        grid.add_column(column, justify="left" if column == "kind" else "right")
    for kind, row in summary["kinds"].items():
        grid.add_row(
            kind,
            str(row["matched"]),
            f"[yellow]{row['ambiguous']}[/yellow]" if row["ambiguous"] else "0",
            f"[red]{row['missing']}[/red]" if row["missing"] else "0",
            str(row["public_only"]),
        )
    calls = summary["api_calls"]
    grid.caption = (
        f"{calls['total']} API calls (minimum {summary['minimum_calls']}), {summary['retries']['total']} retries"
        + ("" if summary["complete"] else "; [red]incomplete[/red]")
    )
    return grid


@cli.command()
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the ID map: FILE.json or FILE.csv."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="The summary: a table on stderr, or JSON on stdout.",
)
@click.option("--workspace", help="Expected workspace slug; a token of another workspace is an error.")
@click.option(
    "--region", type=click.Choice(["us", "eu"]), envvar="SEGMENT_REGION", help="Public API region (default us)."
)
@click.option("--config-url", envvar="SEGMENT_CONFIG_URL", help="Config API base URL (default the real host).")
@click.option("--public-url", envvar="SEGMENT_PUBLIC_URL", help="Public API base URL (default by region).")
@click.option("--config-token", envvar="SEGMENT_CONFIG_API_TOKEN", help="Config API token (optional).")
@click.option("--public-token", envvar="SEGMENT_PUBLIC_API_TOKEN", help="Public API token (required).")
@click.option("--kinds", multiple=True, type=click.Choice(list(RESOLVE_KINDS)), help="Only these kinds (repeatable).")
@click.option("--concurrency", default=8, show_default=True, type=click.IntRange(1, 64), help="Parallel list calls.")
@click.option(
    "--config-rate",
    default=200,
    show_default=True,
    type=click.IntRange(0),
    help="Client-side pacing of Config calls per minute (0: none).",
)
@click.option(
    "--retries",
    default=5,
    show_default=True,
    type=click.IntRange(0, 20),
    help="Retries on 429, 5xx and connection errors, with backoff.",
)
@click.option("--emulator", "use_emulator", is_flag=True, help="Resolve against the embedded emulator (demo seed).")
@click.pass_obj
def resolve(
    settings: Settings,
    output: Path | None,
    fmt: str,
    workspace: str | None,
    region: str | None,
    config_url: str | None,
    public_url: str | None,
    config_token: str | None,
    public_token: str | None,
    kinds: tuple[str, ...],
    concurrency: int,
    config_rate: int,
    retries: int,
    use_emulator: bool,
) -> None:
    """Build the slug-to-ID map of a workspace from both APIs, with the evidence for each match.

    \b
    Needs a Public API token; a Config API token adds what only the Config API knows (tracking
    plan rs_ ids, function ids, filter ids). Ambiguous matches (two instances of one integration
    on a source, two plans of one name) list every candidate; nothing is guessed.
    Exit 0: complete map; 1: written but incomplete (the Config API failed part way); 2: error.
    Examples:
      SEGMENT_PUBLIC_API_TOKEN=... SEGMENT_CONFIG_API_TOKEN=... migrate resolve --workspace acme -o ../ids.json
      migrate resolve --emulator -o /tmp/ids.json      # offline, on the embedded demo workspace
    """
    from contextlib import ExitStack

    from .clients import ConfigClient, Endpoints, PublicClient
    from .resolver import ALL_KINDS, Resolver
    from .transport import RetryPolicy

    if output is not None and output.suffix.lower() not in (".json", ".csv"):
        raise click.BadParameter("write the ID map as FILE.json or FILE.csv", param_hint="-o")
    if fmt == "json" and output is None:  # stdout holds one of them, and the map is the work of every call
        raise UsageError("--format json prints the summary on stdout: write the ID map with -o ids.json")
    if output is not None:
        check_writable(output)  # before the calls whose result it is to hold
    console = stderr_console(settings.no_color, settings.quiet)
    with ExitStack() as stack:
        if use_emulator:
            running = stack.enter_context(_embedded_emulator())
            config_url, public_url = running.config_url, running.base_url
            config_token, public_token = running.emulator.tokens.config, running.emulator.tokens.public
            config_rate = 0
        if not public_token:
            raise MigratorError("no Public API token: set SEGMENT_PUBLIC_API_TOKEN or pass --public-token")
        endpoints = Endpoints.resolve(region, config_url, public_url)
        verbose = (lambda line: console.print(f"[dim]{line}[/dim]")) if settings.verbose else None
        retry = RetryPolicy(attempts=retries + 1)
        public = PublicClient.connect(endpoints.public_url, public_token, retry=retry, verbose=verbose)
        stack.callback(public.close)
        config = None
        if config_token:
            config = ConfigClient.connect(
                endpoints.config_url, config_token, per_minute=config_rate, retry=retry, verbose=verbose
            )
            stack.callback(config.close)
        with _progress(console) as report:
            resolver = Resolver(
                public,
                config,
                workspace=workspace,
                region=endpoints.region,
                kinds=kinds or ALL_KINDS,
                concurrency=concurrency,
                progress=report,
            )
            result = resolver.run()
    summary = result.summary()
    if output is not None:
        result.id_map.save(output)
    if fmt == "json":
        emit(json.dumps(summary, indent=2), None)
    elif output is None:
        emit(result.id_map.to_json(), None)
    if fmt == "table":
        console.print(_summary_table(summary))
        for reason in summary["incomplete"]:
            console.print(f"[red]incomplete:[/red] {reason}")
        if output is not None:
            console.print(f"ID map written to {output}")
    if not result.id_map.complete:
        sys.exit(1)


@cli.command()
@click.argument("method", type=click.Choice(["GET", "POST", "PUT", "PATCH", "DELETE"], case_sensitive=False))
@click.argument("path")
@click.option("--body", help="The Config request body: JSON text, or @FILE.")
@click.option("--ids", type=click.Path(dir_okay=False), help="ID map (migrate resolve -o ids.json) for real ids.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def translate(settings: Settings, method: str, path: str, body: str | None, ids: str | None, fmt: str) -> None:
    """Print the Public API request(s) that do what a Config API request did.

    \b
    PATH is a Config path, with or without https://platform.segmentapis.com and /v1beta, and may
    carry a query (?page_size=50). Without --ids, ids are shown as the Config names they stand for.
    Example:
      migrate translate PATCH /v1beta/workspaces/acme/sources/web/destinations/google-analytics \\
        --body '{"destination": {}, "update_mask": {"paths": ["destination.enabled"]}}'
    """
    from urllib.parse import parse_qs, urlsplit

    from .translator import ConfigRequest, IdMapNames, SymbolicNames, Translator

    parts = urlsplit(path)
    request_body: Any = None
    if body is not None:
        text = body
        if body.startswith("@"):
            try:
                text = Path(body[1:]).read_text(encoding="utf-8")
            except OSError as error:
                raise MigratorError(f"{body[1:]}: cannot read ({error.strerror})") from None
        try:
            request_body = json.loads(text)
        except json.JSONDecodeError as error:
            raise MigratorError(
                f"--body is not JSON: {error.msg} at line {error.lineno} column {error.colno}"
            ) from None
    request = ConfigRequest(method.upper(), parts.path, parse_qs(parts.query, keep_blank_values=True), request_body)
    names: Names = SymbolicNames()
    if ids is not None:
        from .idmap import load_id_map

        names = IdMapNames(load_id_map(ids))
    translation = Translator(names).translate(request)
    data = translation.to_json()
    if fmt == "json":
        emit(json.dumps(data, indent=2), None)
        return
    console = stdout_console(settings.no_color)
    endpoint = data["endpoint"]
    kind = f"{endpoint['key']}, {data['translation']}, {data['automation']}"
    console.print(f"[bold]{endpoint['method']} {endpoint['path']}[/bold]  [dim]({kind})[/dim]")
    if translation.untranslatable:
        console.print(f"[red]No Public API twin:[/red] {translation.untranslatable.reason}")
        console.print(f"[bold]Manual step:[/bold] {translation.untranslatable.manual_step}")
    for number, call in enumerate(data["calls"], 1):
        query = "&".join(f"{key}={value}" for key, value in (call.get("query") or {}).items())
        console.print(
            f"{number}. [green]{call['method']} {call['path']}{'?' + query if query else ''}[/green]"
            + (f"  [dim]{call['purpose']}[/dim]" if call.get("purpose") else "")
        )
        if "body" in call:
            console.print("   " + json.dumps(call["body"], indent=2).replace("\n", "\n   "), highlight=False)
    for note in data["notes"]:
        console.print(f"[dim]note:[/dim] {note}")
    if translation.untranslatable:
        sys.exit(1)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8766, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port.")
@click.option("--public-url", envvar="SEGMENT_PUBLIC_URL", help="Public API base URL (default by region).")
@click.option("--region", type=click.Choice(["us", "eu"]), envvar="SEGMENT_REGION")
@click.option(
    "--shared-token",
    is_flag=True,
    help="Answer every caller with SEGMENT_PUBLIC_API_TOKEN (or --public-token), whatever it sends: the old "
    "behaviour, for one trusted script on this machine. Loopback only.",
)
@click.option(
    "--public-token", envvar="SEGMENT_PUBLIC_API_TOKEN", help="The token --shared-token answers with (else unused)."
)
@click.option("--ids", type=click.Path(dir_okay=False), help="ID map; names not in it are looked up live and cached.")
@click.pass_obj
def proxy(
    settings: Settings,
    host: str,
    port: int,
    public_url: str | None,
    region: str | None,
    shared_token: bool,
    public_token: str | None,
    ids: str | None,
) -> None:
    """Serve the Config API locally, answered through the Public API.

    \b
    Point legacy code's Config API base URL at the printed address, and give it a Public API token
    where it sent its Config token: it keeps working while it waits to be migrated. Each request is
    answered with its caller's token, checked by the Public API (none, or a rejected one: the Config
    API's 401, code 16); the proxy holds no token unless --shared-token gives it one. Web pages and
    foreign Host names are refused. Calls with no Public twin get a Config-style error (501, code 12)
    naming the manual step; ambiguous names get 409 with the candidates.
    Example:
      migrate proxy --port 8766 --ids ids.json &
      curl -H "Authorization: Bearer $PUBLIC_TOKEN" http://127.0.0.1:8766/v1beta/workspaces/acme/sources
    """
    from .clients import Endpoints
    from .emulator.server import serve_forever
    from .guard import checked_token, is_loopback
    from .idmap import load_id_map
    from .proxy import ProxyApp

    token: str | None = None
    if shared_token:
        if not public_token:
            raise MigratorError("--shared-token needs a token: set SEGMENT_PUBLIC_API_TOKEN or pass --public-token")
        if not is_loopback(host):
            raise MigratorError(f"--shared-token serves its token on loopback only, not on {host}")
        token = checked_token(public_token, "the Public API token")
    id_map = load_id_map(ids) if ids else None
    endpoints = Endpoints.resolve(region, None, public_url)
    app = ProxyApp(endpoints.public_url, id_map, shared_token=token)

    def warn(message: str) -> None:
        if not settings.quiet:
            stderr_console(settings.no_color).print(f"[yellow]warning:[/yellow] {message}", highlight=False)

    def ready(bound: int) -> None:
        emit(
            f"Config API proxy on http://{host}:{bound}/v1beta -> {endpoints.public_url}"
            + (f" (ID map {ids})" if ids else " (ids looked up live)")
            + ("; every caller answered with the shared token" if token else "; each caller's own Public API token"),
            None,
        )
        if not ids:
            warn("without --ids, Config tracking plan ids (rs_...) kept in code cannot be mapped: pass --ids")
        if not is_loopback(host):
            warn(f"listening on {host}: anyone who can reach this machine can use the proxy with their own token")

    try:
        serve_forever(app, host, port, ready)
    except OSError as error:
        raise MigratorError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


max_size_option = click.option(
    "--max-size",
    default=2_000_000,
    show_default=True,
    type=click.IntRange(1),
    help="Skip larger files (bytes); one that holds Config API markers is reported, and the exit is non-zero.",
)


def _from_project(start: Path, values: dict[str, Any]) -> dict[str, Any]:
    """`values` (this command's parameters) with what the project's pyproject.toml sets in place of
    each left at its built-in default: the command line and the environment win over the file."""
    from click.core import ParameterSource

    from .settings import find

    context = click.get_current_context()
    project = find(start)
    merged = dict(values)
    for name, value in project.for_parameters().items():
        if name in merged and context.get_parameter_source(name) in (ParameterSource.DEFAULT, None):
            merged[name] = tuple(value) if isinstance(merged[name], tuple) else value
    return merged


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "sarif", "markdown", "concise"]),
    default="table",
    show_default=True,
    help="concise: one `path:line:col: kind message` line per finding, as editors and grep read them.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of stdout."
)
@click.option(
    "--fail-on",
    type=click.Choice(["any", "manual", "never"]),
    default="any",
    show_default=True,
    help="Exit 1 when there are findings (any), findings a person must handle (manual), or never.",
)
@click.option(
    "--min-confidence",
    type=click.Choice(["low", "medium", "high"]),
    default="low",
    show_default=True,
    help="Report only findings at least this sure (high: a resolved Config URL or wrapper call).",
)
@click.option("--include", multiple=True, help="Only files matching this glob (repeatable).")
@click.option("--exclude", multiple=True, help="Skip files or folders matching this glob (repeatable).")
@click.option("--no-gitignore", is_flag=True, help="Read files .gitignore excludes too.")
@max_size_option
@click.option("--jobs", type=click.IntRange(1, 64), help="Processes for parsing (default: the CPU count).")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Parse every file again. By default a file whose content was scanned before (same scanner and map) "
    "reuses its findings; the cache is in $SEGMENT_MIGRATOR_CACHE, else ~/.cache/segment-migrator.",
)
@click.pass_obj
def scan(
    settings: Settings,
    paths: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    fail_on: str,
    min_confidence: str,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    no_gitignore: bool,
    max_size: int,
    jobs: int | None,
    no_cache: bool,
) -> None:
    """Find every Config API use in files and folders (default: the current folder).

    \b
    Python is read precisely (libcst); JavaScript/TypeScript, Go, shell, Markdown code blocks, YAML,
    JSON (Postman), Terraform, Makefiles and Dockerfiles by text. Each finding names the file and
    line, the Config endpoint, its Public twin, and whether `migrate apply` can rewrite it. Also
    reported: TODO(migrate) markers, commented-out legacy code, and hard-coded tokens (redacted).
    Exit 0 when clean, 1 when findings match --fail-on, 2 on error or when a file or folder could
    not be read (the result is incomplete: each one is listed, in the output and on stderr).
    Examples:
      migrate scan .
      migrate scan src --format sarif -o segment.sarif --fail-on manual
      migrate scan . --format concise --min-confidence high
    """
    from .early_parser import APPLY_JUDGE
    from .scan import WalkOptions, scan_paths
    from .scan.report import to_concise, to_json, to_markdown, to_sarif, to_table

    roots = list(paths) or [Path(".")]
    for root in roots:
        if not root.exists():
            raise MigratorError(f"{root}: no such file or folder")
    given = {
        "fail_on": fail_on,
        "min_confidence": min_confidence,
        "include": include,
        "exclude": exclude,
        "no_gitignore": no_gitignore,
        "max_size": max_size,
        "jobs": jobs,
    }
    project = _from_project(roots[0], given)
    fail_on, min_confidence, include, exclude = (
        project["fail_on"],
        project["min_confidence"],
        project["include"],
        project["exclude"],
    )
    no_gitignore, max_size, jobs = project["no_gitignore"], project["max_size"], project["jobs"]
    options = WalkOptions(include=list(include), exclude=list(exclude), gitignore=not no_gitignore, max_bytes=max_size)
    # A spinner is for a person watching: CI logs and pipes get the summary line alone, and no rich.
    console = stderr_console(settings.no_color, settings.quiet) if sys.stderr.isatty() else None
    if console is not None:
        with console.status("scanning", spinner="dots") as status:
            result = scan_paths(
                roots,
                options,
                jobs,
                progress=lambda seen: status.update(f"scanning: {seen} files"),
                cache=not no_cache,
                judge=APPLY_JUDGE,
            )
    else:
        result = scan_paths(roots, options, jobs, cache=not no_cache, judge=APPLY_JUDGE)
    result = result.at_least(min_confidence)
    if fmt == "table":
        if output is not None:
            plain = stdout_console(no_color=True)
            with plain.capture() as captured:
                plain.print(to_table(result))
            emit(captured.get(), output)
        else:
            stdout_console(settings.no_color).print(to_table(result))
    else:
        render = {"json": to_json, "sarif": to_sarif, "markdown": to_markdown, "concise": to_concise}[fmt]
        emit(render(result), output)
    if fmt != "table" and not settings.quiet:
        summary = result.summary()
        line = (
            f"{summary['findings']} findings in {summary['files_with_findings']} files "
            f"({summary['files_seen']} scanned, {summary['errors']} not fully read)"
        )
        if console is not None:
            console.print(line)
        else:
            print(line, file=sys.stderr)
    if not result.complete:
        skipped = [error for error in result.errors if error.skipped]
        warn = stderr_console(settings.no_color)  # even with -q: a result that is not whole is an error
        warn.print(f"[red]incomplete:[/red] {len(skipped)} file(s) or folder(s) not scanned", soft_wrap=True)
        if fmt != "table":  # the table lists them already
            for error in skipped[:20]:
                warn.print(f"  {error.file}: {error.message}", markup=False, soft_wrap=True)
            if len(skipped) > 20:
                warn.print(f"  ... and {len(skipped) - 20} more (all are in the report)", soft_wrap=True)
        sys.exit(2)
    failing = [f for f in result.findings if fail_on == "any" or (fail_on == "manual" and f.fixability == "manual")]
    if failing and fail_on != "never":
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--ids", type=click.Path(dir_okay=False), help="ID map (migrate resolve -o ids.json) for slugs to ids.")
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Print a patch (git apply takes it) instead of writing; coloured only on a terminal.",
)
@click.option(
    "--check", is_flag=True, help="Write nothing; list the files that would change and exit 1 when there are any."
)
@click.option("--only", multiple=True, help="Only this codemod (repeatable): " + ", ".join(CODEMODS) + ".")
@click.option("--region", type=click.Choice(["us", "eu"]), default="us", show_default=True, envvar="SEGMENT_REGION")
@click.option("--jobs", type=click.IntRange(1, 64), help="Processes (default: the CPU count).")
@click.option("--allow-dirty", is_flag=True, help="Write even when the git working tree has uncommitted changes.")
@click.option("--include", multiple=True, help="Only files matching this glob (repeatable).")
@click.option("--exclude", multiple=True, help="Skip files or folders matching this glob (repeatable).")
@max_size_option
@click.pass_obj
def apply(
    settings: Settings,
    paths: tuple[Path, ...],
    ids: str | None,
    show_diff: bool,
    check: bool,
    only: tuple[str, ...],
    region: str,
    jobs: int | None,
    allow_dirty: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    max_size: int,
) -> None:
    """Rewrite Python code from Config API calls to Public API calls.

    \b
    A call is rewritten only when the rewrite is proven safe (endpoint known, URL re-assembled,
    ids named, body and answer handled); otherwise it keeps working as it was, with a precise
    `# TODO(migrate): ...` above it that `migrate scan` reports. Every output is re-parsed before
    it counts; writes are atomic; a second run changes nothing. Variables holding slugs are looked
    up through a generated `segment_ids.py` (plain Python, from the ID map).
    Exit 0 when done (or nothing to change), 1 when --check finds changes or a file failed or could
    not be read (each is listed), 2 on error.
    Examples:
      migrate apply . --ids ../ids.json
      migrate apply src --diff > migration.patch
      migrate apply . --check      # in CI: list what would change, exit 1 if anything would
    """
    from codemods.engine import MIGRATED, ApplyOptions, unified_diff, write
    from codemods.engine import apply as run_apply

    from .scan import WalkOptions

    project = _from_project(
        paths[0],
        {"ids": ids, "region": region, "jobs": jobs, "include": include, "exclude": exclude, "max_size": max_size},
    )
    ids, region, jobs = project["ids"], project["region"], project["jobs"]
    include, exclude, max_size = project["include"], project["exclude"], project["max_size"]
    unknown = sorted(set(only) - set(CODEMODS))
    if unknown:
        raise click.BadParameter(f"unknown codemod {unknown[0]!r}; one of: {', '.join(CODEMODS)}", param_hint="--only")
    if show_diff and check:
        raise click.BadParameter("--diff and --check are two ways of not writing: choose one", param_hint="--check")
    writing = not (show_diff or check)
    if writing and not allow_dirty:
        _refuse_dirty(paths, ids)
    id_map = None
    if ids:
        from .idmap import load_id_map  # pydantic only when there is an ID map to check

        id_map = load_id_map(ids)
    console = stderr_console(settings.no_color, settings.quiet)
    if id_map is not None and not id_map.complete:
        missing = "; ".join(id_map.incomplete) or "a step of its resolve failed"
        console.print(
            f"[yellow]warning:[/yellow] {ids} is incomplete ({missing}): a call needing an id it lacks keeps "
            "its TODO, or goes through the compatibility layer; run `migrate resolve` again for the rest",
            highlight=False,
            soft_wrap=True,  # a path folded at the terminal's width cannot be copied or searched
        )
    options = ApplyOptions(
        id_map=id_map,
        region=region,
        only=frozenset(only) if only else None,
        patch_root=Path.cwd() if show_diff else None,
    )
    walk_options = WalkOptions(include=list(include) or list(MIGRATED), exclude=list(exclude), max_bytes=max_size)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.table import Table

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console, transient=True
    ) as bar:
        task = bar.add_task("migrating", total=None)
        result = run_apply(
            paths, options, walk_options, jobs, lambda done, total: bar.update(task, completed=done, total=total)
        )
    summary = result.summary()
    if show_diff:
        patch = unified_diff(result)
        if patch:
            from .output import patch_for, redacted_patch

            patch, secret_files = redacted_patch(patch)
            for name in secret_files:
                console.print(
                    f"[yellow]warning:[/yellow] {name}: its patch shows hard-coded secrets redacted, so it will not "
                    "apply there; `migrate apply` without --diff writes the real change",
                    highlight=False,
                    soft_wrap=True,
                )

            sys.stdout.flush()
            sys.stdout.buffer.write(patch_for(patch, settings.no_color))
            sys.stdout.buffer.flush()
    elif writing:
        write(
            result,
            (lambda name: console.print(f"wrote {name}", highlight=False, soft_wrap=True))
            if settings.verbose
            else None,
        )
    grid = Table(title="migrate apply" + (" (nothing written)" if not writing else ""))
    for column in ("files changed", "unchanged", "failed", "TODOs added"):
        grid.add_column(column, justify="right")
    grid.add_row(*(str(summary[key]) for key in ("changed", "unchanged", "failed", "todos_added")))
    console.print(grid)
    codemods = summary["by_codemod"]
    assert isinstance(codemods, dict)
    per_codemod = Table("codemod", "changes", title="per codemod")
    for name in CODEMODS:
        per_codemod.add_row(name, str(codemods.get(name, 0)))
    console.print(per_codemod)
    for outcome in result.outcomes:
        if outcome.error:
            console.print(
                f"[yellow]failed, left as it was:[/yellow] {outcome.display}: {outcome.error}", soft_wrap=True
            )
    if check:  # what would change, one file a line on stdout, as `ruff format --check` names them
        for outcome in result.outcomes:
            if outcome.changed:
                print(f"would change: {outcome.display}")
    lookups = summary["lookup_modules"]
    assert isinstance(lookups, list)
    for name in lookups:
        console.print(f"id lookups {'in' if writing else 'would go to'} {name}")
    if result.twins:
        console.print(
            f"Public twins {'written' if writing else 'to write'} beside Config base URLs other modules import "
            "(the calls that moved read them; the Config ones stay for what still reads them):"
        )
        shown = {outcome.path: outcome.display for outcome in result.outcomes}
        for path, twin in result.twins[:20]:
            console.print(f"  {shown.get(path, path)}: {twin}")
        if len(result.twins) > 20:
            console.print(f"  ... and {len(result.twins) - 20} more")
    _print_compat(console, result, writing, with_ids=id_map is not None)
    if summary["failed"] or (check and summary["changed"]):
        sys.exit(1)


def _print_compat(console: Console, result: ApplyResult, writing: bool, with_ids: bool) -> None:
    """Where the compatibility layer serves, so that each use can be retired later, and what to change."""
    uses = result.compat_uses()
    if not uses and not result.layers:
        return
    routed = sum(count for _, count in uses)
    console.print(
        f"{routed} transport call(s) in {len(uses)} file(s) go through the compatibility layer "
        "(Config API calls answered by the Public API, as the Config API answered):"
    )
    shown = 20  # a person reads a few; `migrate scan` lists them all
    for display, count in uses[:shown]:
        console.print(f"  {display}: {count}")
    if len(uses) > shown:
        console.print(f"  ... and {len(uses) - shown} more files")
    for layer in result.layers:
        console.print(f"compatibility layer {'in' if writing else 'would go to'} {layer}")
        root = Path(layer).parent
        if (root / "setup.py").exists() or (root / "pyproject.toml").exists():
            console.print(
                f"  {root} is packaged: its distribution must ship segment_compat too (find_packages() finds it; "
                "a list of packages needs it added)"
            )
    console.print(
        "Give the migrated code a Public API token where it had a Config API token: the layer sends the token "
        "the code sends. `migrate scan` lists every use of the layer, to retire them call by call."
    )
    if not with_ids:
        console.print(
            "Without --ids, the layer looks ids up through the Public API as the code runs; it cannot know a "
            "Config tracking plan id (rs_...) or the Config workspace id: run `migrate resolve -o ids.json`, "
            "then `migrate apply --ids ids.json` to write them into the layer."
        )


def _refuse_dirty(paths: tuple[Path, ...], ids: str | None = None) -> None:
    """Refuse to write into a git working tree with uncommitted changes (they would mix with ours).
    The ID map given with --ids is not one, even untracked in the tree: the README's own steps write
    it there (`migrate resolve -o ids.json`, then `migrate apply . --ids ids.json`)."""
    import subprocess

    own = Path(ids).resolve() if ids else None

    for path in paths:
        folder = path if path.is_dir() else path.parent
        try:
            found = subprocess.run(
                ["git", "-C", str(folder), "status", "--porcelain", "--", "."],
                capture_output=True,
                text=True,
                check=False,
                timeout=60,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        changes = found.stdout.splitlines()
        if own is not None and any(line.startswith("?? ") for line in changes):  # porcelain paths: from the top
            top = subprocess.run(
                ["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False
            ).stdout.strip()
            changes = [
                line for line in changes if not (top and line[:3] == "?? " and (Path(top) / line[3:]).resolve() == own)
            ]
        if found.returncode == 0 and changes:
            raise MigratorError(
                f"{path}: the git working tree has uncommitted changes; commit or stash them, or pass --allow-dirty"
            )


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
@click.option("--before", default="HEAD", show_default=True, help="The git revision holding the legacy code.")
@click.option("--seed", default="demo", show_default=True, help="Emulator seed for both sides: demo, empty, or FILE.")
@click.option(
    "--ids", type=click.Path(dir_okay=False), help="The ID map the migration used (checked against the seed)."
)
@click.option(
    "--env",
    "env_rules",
    multiple=True,
    help="NAME=config-token|public-token, or NAME=before:config-token,after:public-token (repeatable).",
)
@click.option(
    "--pass-env",
    multiple=True,
    help="Hand this variable to the command even though its name says it holds a secret (repeatable).",
)
@click.option("--normalize", multiple=True, help="A regular expression whose matches are ignored in output.")
@click.option(
    "--exact",
    is_flag=True,
    help="Compare durations and traceback line numbers too (by default `0.12s` and a frame's `line 19` are ignored).",
)
@click.option("--timeout", default=300.0, show_default=True, type=click.FloatRange(1), help="Seconds per side.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def verify(
    settings: Settings,
    arguments: tuple[str, ...],
    before: str,
    seed: str,
    ids: str | None,
    env_rules: tuple[str, ...],
    pass_env: tuple[str, ...],
    normalize: tuple[str, ...],
    exact: bool,
    timeout: float,
    fmt: str,
) -> None:
    """Prove the migrated code behaves as the legacy code: `migrate verify [PATH] -- COMMAND...`.

    \b
    The legacy code is checked out from --before (default HEAD) into a temporary git worktree; the
    working tree at PATH is the migrated code. Each side runs COMMAND against a fresh emulator from
    the same seed, with Segment's hosts (platform, api, eu1) routed to it for Python processes
    (requests, httpx, urllib, aiohttp), unchanged. SEGMENT_CONFIG_API_TOKEN and
    SEGMENT_PUBLIC_API_TOKEN hold the emulator's tokens; --env names other variables. Variables
    whose names say they hold secrets (*TOKEN*, *SECRET*, *PASSWORD*, *API_KEY*, ...) are not handed
    to the command, unless --pass-env names them.
    Compared: exit codes, stdout and stderr (after --normalize, and with durations such as pytest's
    `in 0.12s` and traceback line numbers, which a migration moves, ignored unless --exact), and the
    final workspace state.
    Exit 0 when equal, 1 when they differ, 2 on error.
    Examples:
      migrate verify --before HEAD~1 -- pytest -q
      migrate verify --ids ../ids.json -- python scripts/nightly_sync.py
    """
    from .idmap import load_id_map
    from .verify import environment_summary, unrouted_note
    from .verify import verify as run_verify

    argv = sys.argv
    if "--" in argv:
        command = argv[argv.index("--") + 1 :]
        path_arguments = [value for value in arguments if value not in command]
    else:
        command, path_arguments = list(arguments[1:]), list(arguments[:1])
    if len(path_arguments) > 1:
        raise MigratorError(f"one PATH at most before --, got {' '.join(path_arguments)}")
    path = Path(path_arguments[0]) if path_arguments else Path(".")
    if not path.exists():
        raise MigratorError(f"{path}: no such file or folder")
    id_map = load_id_map(ids) if ids else None
    result = run_verify(path, command, before, seed, env_rules, normalize, timeout, id_map, pass_env, exact)
    if fmt == "json":
        emit(json.dumps(environment_summary(result), indent=2), None)
    else:
        console = stdout_console(settings.no_color)
        sides = (
            f"before: exit {result.before.returncode}, {result.before.requests['config']} Config + "
            f"{result.before.requests['public']} Public calls; after: exit {result.after.returncode}, "
            f"{result.after.requests['config']} Config + {result.after.requests['public']} Public calls"
        )
        if result.equal:
            console.print(f"[green]equal[/green]: same exit code, output and workspace state ({sides})")
        else:
            console.print(f"[red]different[/red] ({sides})")
            for what, detail in result.differences.items():
                console.print(f"[bold]{what}[/bold]")
                if what in result.explained:  # expected: see the README's "What it will not do"
                    console.print(f"differs {result.explained[what]}", markup=False, highlight=False)
                console.print(detail, markup=False, highlight=False)
        if result.unrouted:
            console.print(f"[yellow]note[/yellow]: {unrouted_note(result.unrouted)}")
    if not result.equal:
        sys.exit(1)


@contextmanager
def _terminated_as_interrupted() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt while the block runs, so its clean-up runs as on Ctrl-C."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@cli.command(name="pr")
@click.argument("path", type=click.Path(exists=True, path_type=Path), default=".")
@click.option("--ids", type=click.Path(dir_okay=False), help="ID map for slugs to ids (migrate resolve -o ids.json).")
@click.option("--base", help="Base branch (default: the remote's default branch).")
@click.option("--branch", default="segment-public-api-migration", show_default=True, help="The migration branch.")
@click.option("--remote", default="origin", show_default=True)
@click.option("--repo", help="OWNER/NAME on GitHub (default: from the remote's URL).")
@click.option(
    "--github-url",
    default="https://api.github.com",
    show_default=True,
    envvar="GITHUB_API_URL",
    help="GitHub's REST API (GitHub Enterprise: https://HOST/api/v3); in GitHub Actions, the runner's GITHUB_API_URL.",
)
@click.option("--draft", is_flag=True, help="Open the pull request as a draft.")
@click.option("--dry-run", is_flag=True, help="Everything up to the push; print the title, body and diff stat.")
@click.option("--title", default="Migrate from Segment's Config API to the Public API", show_default=True)
@click.option("--region", type=click.Choice(["us", "eu"]), default="us", show_default=True, envvar="SEGMENT_REGION")
@click.option("--force", is_flag=True, help="Rebuild the branch even if it holds commits migrate pr did not make.")
@click.pass_obj
def pull_request(
    settings: Settings,
    path: Path,
    ids: str | None,
    base: str | None,
    branch: str,
    remote: str,
    repo: str | None,
    github_url: str,
    draft: bool,
    dry_run: bool,
    title: str,
    region: str,
    force: bool,
) -> None:
    """Open (or update) a pull request with the migration of one repository.

    \b
    Refuses a dirty tree or a detached HEAD; fetches the base; rebuilds the migration branch from
    it; runs the codemods (as `migrate apply`); commits (author from your git config); pushes with
    your git and its credentials; opens the pull request through the GitHub REST API with
    GITHUB_TOKEN, or updates the open one from the same branch. The body lists the changes per
    file, the TODO(migrate) checklist with links, what has no Public twin, and how to verify.
    When nothing is left to change, it says so and comments on the open pull request.
    Examples:
      migrate pr --ids ../ids.json --dry-run
      GITHUB_TOKEN=... migrate pr --ids ../ids.json --draft
    """
    import os

    from .idmap import load_id_map
    from .pr import PrOptions, open_pull_request

    console = stderr_console(settings.no_color, settings.quiet)
    options = PrOptions(
        path=path,
        id_map=load_id_map(ids) if ids else None,
        base=base,
        branch=branch,
        remote=remote,
        repo=repo,
        github_url=github_url,
        draft=draft,
        dry_run=dry_run,
        title=title,
        region=region,
        force=force,
    )
    with _terminated_as_interrupted():  # CI cancels with SIGTERM: the start branch is restored as on Ctrl-C
        result = open_pull_request(
            options, os.environ.get("GITHUB_TOKEN"), log=lambda line: console.print(f"[dim]{line}[/dim]")
        )
    if result.action == "dry-run":
        emit("\n".join([f"# {result.title}", "", result.body, "```", result.diff_stat, "```"]), None)
    elif result.action == "nothing-to-change":
        emit(f"nothing left to change on {result.base}" + (f"; commented on {result.url}" if result.url else ""), None)
    else:
        emit(f"{result.action} pull request #{result.number}: {result.url}", None)
    for note in result.notes:
        console.print(note)
    if result.action != "nothing-to-change":
        console.print(f"{result.files_changed} files changed, {result.todos} TODOs left, on branch {result.branch}")


@cli.command()
@click.argument("reports", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["markdown", "csv"]), default="markdown", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of stdout."
)
@click.pass_obj
def report(settings: Settings, reports: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """One table for many repositories, from each one's `migrate scan --format json` report.

    \b
    Per repository: files and findings, Config API calls, how many `migrate apply` rewrites and how
    many need a person, calls already through the compatibility layer, TODOs left, tokens found,
    and whether its scan read every file. Most work left first; a total row last.
    Example, over a folder of clones:
      for repo in clones/*; do migrate scan "$repo" --format json -o "reports/${repo##*/}.json"; done
      migrate report reports/*.json --format csv -o fleet.csv
    """
    from .fleet import rows, to_csv, to_markdown

    if output is not None:
        check_writable(output)
    table = rows(list(reports))
    emit((to_csv if fmt == "csv" else to_markdown)(table), output)


@cli.command()
@click.option("--batch-spec", is_flag=True, required=True, help="Write a Sourcegraph Batch Changes spec.")
@click.option("--ids", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="ID map to ship in it.")
@click.option(
    "--package",
    default="segment-migrator",
    show_default=True,
    help="What the step pip-installs (a version pin, or a git URL of your fork).",
)
@click.option("--container", default="python:3.11-slim", show_default=True, help="The step's Docker image.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of stdout."
)
def fleet(batch_spec: bool, ids: Path | None, package: str, container: str, output: Path | None) -> None:
    """Migrate many repositories through an engine made for it.

    \b
    --batch-spec writes a Sourcegraph Batch Changes spec: every repository whose files name the
    Config API gets `migrate apply` in a container, one unpublished changeset each:
      migrate fleet --batch-spec --ids ids.json -o segment.batch.yaml
      src batch preview -f segment.batch.yaml
    For all-repos, see `all-repos-segment-migrate` (pip install 'segment-migrator[fleet]').
    """
    from .fleet import batch_spec as spec

    if output is not None:
        check_writable(output)
    text = None
    if ids is not None:
        from .idmap import load_id_map

        load_id_map(str(ids))  # a broken map fails here, in one line, not in a hundred containers
        text = ids.read_text(encoding="utf-8")
    emit(spec(package=package, container=container, ids=text), output)


@cli.command(name="config")
@click.argument("path", type=click.Path(exists=True, path_type=Path), default=".")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def show_config(settings: Settings, path: Path, fmt: str) -> None:
    """Show the project settings in force for PATH and the file they come from.

    \b
    Settings live in `[tool.segment-migrator]` of a pyproject.toml, the nearest one from PATH
    upwards; options on the command line (and SEGMENT_REGION) win over them:
      [tool.segment-migrator]
      exclude = ["vendor/**"]
      ids = "ids.json"
      fail-on = "manual"
    Keys: include, exclude, gitignore, region, ids, fail-on, min-confidence, max-size, jobs.
    Example:
      migrate config . --format json
    """
    from .settings import KEYS, find

    project = find(path)
    source = str(project.source) if project.source else None
    if fmt == "json":
        print(json.dumps({"source": source, "settings": project.values}, indent=2))
        return
    from rich.table import Table

    grid = Table("setting", "value", "from", title="migrate settings for " + str(path))
    for name in KEYS:
        if name in project.values:
            grid.add_row(name, json.dumps(project.values[name]), source or "")
        else:
            grid.add_row(name, "", "built-in default")
    stdout_console(settings.no_color).print(grid)


@cli.command()
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path), help="Keep the sample repository here.")
@click.pass_obj
def demo(settings: Settings, keep: Path | None) -> None:
    """The whole toolkit on a sample legacy repository, offline, with no Segment account: scan,
    resolve (against the embedded emulator), apply, and verify before and after.

    \b
    Example:
      migrate demo --keep /tmp/segment-demo
    """
    from .demo import run_demo

    console = stdout_console(settings.no_color)
    if not run_demo(console, keep):
        sys.exit(1)


def _embedded_emulator() -> Any:
    from .emulator.app import Emulator, Tokens
    from .emulator.seed import build_demo
    from .emulator.server import start_in_thread

    return start_in_thread(Emulator(build_demo(), Tokens(), rate_limit=0))


@contextmanager
def _progress(console: Console) -> Iterator[Callable[[str, int, int | None], None]]:
    """A rich progress display on stderr, fed by (phase, advance, total) reports."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    )
    tasks: dict[str, TaskID] = {}

    def report(phase: str, advance: int, total: int | None) -> None:
        if phase not in tasks:
            tasks[phase] = progress.add_task(phase, total=total)
        elif total is not None:
            progress.update(tasks[phase], total=total)
        if advance:
            progress.advance(tasks[phase], advance)

    with progress:
        yield report


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        stderr_console().print("migrate: aborted")
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(2)
    except MigratorError as error:
        sys.stderr.write(f"migrate: error: {error}\n")
        sys.exit(error.exit_code)
    except SystemExit:
        raise
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)


if __name__ == "__main__":
    main()
