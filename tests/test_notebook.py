"""Jupyter notebooks: their code cells read and rewritten as the module they make, the notebook
written back byte for byte outside the changed lines, and the same behaviour after the rewrite."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migrator.notebook import Notebook, NotebookError
from migrator.scan import scan_paths

from .helpers import run_cli

CELLS = [
    ("markdown", ["# Sources of the workspace\n"]),
    (
        "code",
        [
            "import os\n",
            "import requests\n",
            "%matplotlib inline\n",
            'API = "https://platform.segmentapis.com/v1beta"\n',
            'HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_TOKEN"]}',
        ],
    ),
    ("code", ["%%bash\n", "echo listing\n"]),
    (
        "code",
        [
            'answer = requests.get(API + "/workspaces/acme/sources", headers=HEADERS)\n',
            "answer.raise_for_status()\n",
            "!echo fetched\n",
            'for source in answer.json()["sources"]:\n',
            '    print(source["display_name"])',
        ],
    ),
]


def notebook_text(cells: list[tuple[str, list[str]]] = CELLS, **layout: object) -> str:
    data = {
        "cells": [
            {"cell_type": kind, "metadata": {}, "source": source}
            | ({"execution_count": None, "outputs": []} if kind == "code" else {})
            for kind, source in cells
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    options = {"indent": 1, "sort_keys": True, "ensure_ascii": False} | layout
    return json.dumps(data, **options) + "\n"  # type: ignore[arg-type]


def test_a_notebook_reads_as_its_code_cells_module_and_back_byte_for_byte():
    text = notebook_text()
    notebook = Notebook.read(text)
    python = notebook.python
    assert "# segment-migrator: ipython %matplotlib inline" in python
    assert "# segment-migrator: ipython %%bash\n# segment-migrator: ipython echo listing" in python
    assert "# segment-migrator: ipython !echo fetched" in python
    compile(python, "notebook", "exec")
    assert notebook.with_python(python) == text
    # Each module line sits on its line of the notebook's text: the call is on the JSON line holding it.
    line = python.splitlines().index('answer = requests.get(API + "/workspaces/acme/sources", headers=HEADERS)') + 1
    json_line, column = notebook.json_position(line, 10)
    assert text.splitlines()[json_line - 1].strip().startswith('"answer = requests.get(')
    assert text.splitlines()[json_line - 1][column - 1 :].startswith("requests.get")


def test_what_a_rewrite_adds_lands_in_the_cell_it_was_added_to():
    notebook = Notebook.read(notebook_text())
    python = notebook.python.replace("import requests\n", "import requests\nimport segment_compat\n")
    cells = json.loads(notebook.with_python(python))["cells"]
    assert cells[1]["source"][:3] == ["import os\n", "import requests\n", "import segment_compat\n"]
    assert cells[2]["source"] == ["%%bash\n", "echo listing\n"]
    assert cells[3]["source"][-1] == '    print(source["display_name"])'  # still no line break at its end


def test_a_cell_indented_as_a_whole_reads_as_ipython_runs_it():
    """IPython strips the indentation every line of a cell shares when its first line has some."""
    text = notebook_text([("code", ["  shape = (2, 3)\n", "  print(shape)"])])
    notebook = Notebook.read(text)
    assert "\nshape = (2, 3)\nprint(shape)\n" in notebook.python
    assert notebook.with_python(notebook.python) == text
    moved = json.loads(notebook.with_python(notebook.python.replace("(2, 3)", "(4, 5)")))
    assert moved["cells"][0]["source"] == ["  shape = (4, 5)\n", "  print(shape)"]


TIMED_CELLS = [
    ("code", ["import requests\n", 'API = "https://platform.segmentapis.com/v1beta"']),
    ("code", ['%time plans = requests.get(API + "/workspaces/acme/tracking-plans").json()\n', "len(plans)"]),
    ("code", ["%%time\n", 'answer = requests.get(API + "/workspaces/acme/sources")\n', "print(answer.status_code)"]),
    ("code", ["%timeit -n 1 requests.get(API)\n", "%%capture out\n"]),
]


def test_the_python_a_timing_magic_runs_is_read_as_python():
    """`%time stmt` and a `%%time` cell run Python the scanner and the codemods must see (the Config
    call in them, the base constant they read); a magic with options stays IPython."""
    text = notebook_text(TIMED_CELLS)
    notebook = Notebook.read(text)
    lines = notebook.python.splitlines()
    assert (
        'plans = requests.get(API + "/workspaces/acme/tracking-plans").json()  # segment-migrator: magic %time' in lines
    )
    assert "# segment-migrator: ipython %%time" in lines
    assert 'answer = requests.get(API + "/workspaces/acme/sources")' in lines
    assert "# segment-migrator: ipython %timeit -n 1 requests.get(API)" in lines
    assert notebook.with_python(notebook.python) == text
    moved = notebook.with_python(notebook.python.replace("requests.get(API + ", "segment_compat.get(API + "))
    cells = json.loads(moved)["cells"]
    assert cells[1]["source"][0] == '%time plans = segment_compat.get(API + "/workspaces/acme/tracking-plans").json()\n'
    assert cells[2]["source"][:2] == ["%%time\n", 'answer = segment_compat.get(API + "/workspaces/acme/sources")\n']


def test_no_op_a_rewrite_splitting_a_timed_statement_is_not_written():
    notebook = Notebook.read(notebook_text(TIMED_CELLS))
    split = notebook.python.replace("plans = requests.get(", "plans = requests.get(\n    ")
    with pytest.raises(NotebookError, match="split the statement of a `%time` line"):
        notebook.with_python(split)


def test_a_source_kept_as_one_string_and_an_empty_cell_come_back_as_they_were():
    text = notebook_text([("code", []), ("code", 'import requests\nprint("hi")')])  # type: ignore[list-item]
    notebook = Notebook.read(text)
    assert notebook.with_python(notebook.python) == text
    cells = json.loads(notebook.with_python(notebook.python.replace('"hi"', '"ho"')))["cells"]
    assert cells[0]["source"] == [] and cells[1]["source"] == 'import requests\nprint("ho")'


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{not json", "invalid JSON"),
        ('{"cells": 3}', "no list of cells"),
        (notebook_text([("code", ["select * from sources\n"])]), "cell 0 is not Python"),
        (notebook_text(separators=(",", ":")), "JSON layout"),
    ],
    ids=["not JSON", "no cells", "a cell in another language", "a layout json.dumps does not give"],
)
def test_no_op_a_notebook_that_cannot_be_read_or_written_back_as_it_was(text: str, reason: str):
    with pytest.raises(NotebookError, match=reason):
        Notebook.read(text)


def test_scan_places_each_finding_on_the_notebooks_own_line(tmp_path: Path):
    text = notebook_text()
    (tmp_path / "report.ipynb").write_text(text)
    found = {(f.kind, f.endpoint): f for f in scan_paths([tmp_path], jobs=1).findings}
    call = found[("call", "sources.list")]
    assert '"answer = requests.get(' in text.splitlines()[call.line - 1]
    assert call.language == "python"
    assert ("consumer", None) in found


def test_scan_finds_a_token_a_cell_printed_into_its_output(tmp_path: Path):
    token = "sgp_" + "Qw7" * 21 + "Z"
    data = json.loads(notebook_text())
    data["cells"][3]["outputs"] = [{"name": "stdout", "output_type": "stream", "text": [f"token {token}\n"]}]
    (tmp_path / "report.ipynb").write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    secrets = [f for f in scan_paths([tmp_path], jobs=1).findings if f.kind == "secret"]
    assert len(secrets) == 1 and token not in secrets[0].snippet


RUN_CELLS = """import json, sys

namespace = {}
for cell in json.load(open(sys.argv[1]))["cells"]:
    code = "".join(cell["source"])
    if cell["cell_type"] != "code" or code.startswith("%%"):
        continue
    lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]
    exec("\\n".join(lines), namespace)
"""


def test_apply_rewrites_a_notebook_that_then_behaves_the_same(tmp_path: Path):
    """The notebook's calls move to the Public API, its IPython lines and layout stay, a second run
    changes nothing, and its cells, run before and after on the emulator, print the same."""
    repo = tmp_path / "repo"
    repo.mkdir()
    text = notebook_text()
    (repo / "report.ipynb").write_text(text)
    (repo / "run_cells.py").write_text(RUN_CELLS)
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "legacy"]):
        subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", *command], cwd=repo, check=True)
    applied = run_cli("apply", ".", cwd=repo)
    assert applied.returncode == 0, applied.stderr
    migrated = (repo / "report.ipynb").read_text()
    assert "platform.segmentapis.com" not in migrated and "%matplotlib inline" in migrated
    changed = [(a, b) for a, b in zip(text.splitlines(), migrated.splitlines(), strict=True) if a != b]
    assert len(changed) == 4, changed  # the base URL, the call, the list read, the field read: nothing else
    assert run_cli("apply", ".", "--check", "--allow-dirty", cwd=repo).returncode == 0
    subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qam", "migrated"], cwd=repo)
    verified = run_cli(
        "verify",
        ".",
        "--before",
        "HEAD~1",
        "--env",
        "SEGMENT_TOKEN=before:config-token,after:public-token",
        "--",
        sys.executable,
        "run_cells.py",
        "report.ipynb",
        cwd=repo,
        timeout=300,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "before: exit 0, 1 Config + 0 Public calls; after: exit 0, 0 Config + 1 Public calls" in verified.stdout


def test_a_notebooks_outputs_do_not_count_against_the_size_limit(tmp_path: Path):
    """A chart in a cell's output makes the file large; its code is small, and only code is parsed."""
    data = json.loads(notebook_text())
    chart = {"data": {"image/png": "iVBORw0KGgo" * 20_000}, "metadata": {}, "output_type": "display_data"}
    data["cells"][3]["outputs"] = [chart]
    text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    (tmp_path / "report.ipynb").write_text(text)
    assert len(text) > 200_000
    found = run_cli("scan", str(tmp_path), "--max-size", "100000", "--format", "json", "--no-cache")
    assert found.returncode == 1, found.stderr
    assert any(f["endpoint"] == "sources.list" for f in json.loads(found.stdout)["findings"] if "endpoint" in f)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    applied = run_cli("apply", ".", "--max-size", "100000", "--check", cwd=tmp_path)
    assert applied.returncode == 1 and "would change: report.ipynb" in applied.stdout, applied.stderr


def test_a_base_an_ipython_line_reads_stays_for_it():
    """`%timeit -n 3 ...` stays IPython, which the codemods cannot rewrite: the base constant it reads
    keeps the Config URL, and the call that moves reads a Public twin beside it."""
    from codemods.engine import ApplyOptions, migrate_source

    cells = [
        ("code", ["import requests\n", 'API = "https://platform.segmentapis.com/v1beta"']),
        ("code", ['sources = requests.get(f"{API}/workspaces/acme/sources").json()["sources"]']),
        ("code", ['%timeit -n 3 requests.get(API + "/workspaces/acme/tracking-plans")']),
    ]
    outcome = migrate_source("audit.ipynb", notebook_text(cells), ApplyOptions(None))
    assert outcome.error is None, outcome.error
    sources = [cell["source"] for cell in json.loads(outcome.new_source)["cells"]]
    assert 'API = "https://platform.segmentapis.com/v1beta"\n' in sources[0]
    assert any(line.startswith("API_PUBLIC = ") for line in sources[0])
    assert "{API_PUBLIC}/sources" in "".join(sources[1])
    assert sources[2] == cells[2][1]
