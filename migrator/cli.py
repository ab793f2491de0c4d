"""The `migrate` command line: parses options, calls the library, formats, picks exit codes."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from mappings import load_map

from . import __version__
from .catalogue import catalogue, table
from .errors import MigratorError
from .output import emit, stderr_console, stdout_console


@dataclass
class Settings:
    no_color: bool
    quiet: bool
    verbose: bool


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="migrate")
@click.option("--no-color", is_flag=True, help="Plain output (NO_COLOR is honoured too).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.option("-v", "--verbose", is_flag=True, help="More detail on stderr (tokens are always redacted).")
@click.pass_context
def cli(context: click.Context, no_color: bool, quiet: bool, verbose: bool) -> None:
    """Move code and data from Segment's Config API to its Public API.

    \b
    The Config API (https://platform.segmentapis.com/v1beta) names things by slug; the Public API
    (https://api.segmentapis.com, EU https://eu1.api.segmentapis.com) by id, with new payloads,
    pagination and errors. New Config API tokens can no longer be created.

    \b
    Typical order:
      migrate endpoints          what maps to what, and what needs a person
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
    """
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
