"""The README's tour matches what the commands print today: each `console` block is run, and every
line it shows must still appear in the output (box-drawing and runs of spaces aside; `…` marks
where a shown line was cut)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from .helpers import ROOT, run_cli

BOX = re.compile(r"[┃│┏┓┗┛┡┩━┳╇┻└┘┴┬─╭╮╰╯┼]")


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", BOX.sub(" ", text)).strip()


def console_blocks() -> list[tuple[str, list[str]]]:
    text = (ROOT / "README.md").read_text()
    blocks = []
    for body in re.findall(r"```console\n(.*?)```", text, re.DOTALL):
        lines = body.splitlines()
        assert lines and lines[0].startswith("$ migrate "), lines[:1]
        blocks.append((lines[0][2:], [line for line in lines[1:] if line.strip()]))
    return blocks


@pytest.mark.parametrize(("command", "shown"), console_blocks(), ids=lambda value: str(value)[:40])
def test_readme_excerpt_still_appears(command, shown, request):
    arguments = shlex.split(command)[1:]
    result = request.getfixturevalue("demo_run")[0] if arguments == ["demo"] else run_cli(*arguments, timeout=300)
    output = normalized(result.stdout + "\n" + result.stderr)
    for line in shown:
        for part in line.split("…"):
            if normalized(part):
                assert normalized(part) in output, f"{command!r} no longer prints: {part!r}"


def test_the_readme_has_the_two_set_up_commands_ci_runs():
    text = (ROOT / "README.md").read_text()
    assert "pip install . && .venv/bin/migrate demo" in text
    assert "pip install -e '.[test]' && .venv/bin/python -m pytest" in text
    assert "python -m pytest" in (Path(ROOT) / ".ci" / "run").read_text()
