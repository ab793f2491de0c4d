"""The `migrate` command's entry point. A first scan starts readying its parser here, before the
command line's own imports (click, rich), so that they overlap too (`early_parser.py`)."""

from __future__ import annotations

import sys


def main() -> None:
    arguments = sys.argv[1:]
    if "scan" in arguments:
        from .early_parser import launch_for

        launch_for(arguments)
    from .cli import main as run

    run()
