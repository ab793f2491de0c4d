"""A Config base URL one module defines and others import: the calls that move read its Public
twin, written beside it and imported from it; the base itself stays for whatever still reads it.

Repository-wide, so each test lays out a small tree and runs `apply` over it."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from codemods import engine
from codemods.engine import ApplyOptions, apply, unified_diff, write
from migrator.compat import PACKAGE
from tests.legacy_runner import BeforeAfter

from .support import IDS

CONSTANTS = '''\
    """Where the Config API lives."""
    CONFIG_URL = "https://platform.segmentapis.com/v1beta"  # the legacy host
    WORKSPACE = "acme"
    '''
REPORT = """\
    import requests

    from pkg.constants import CONFIG_URL, WORKSPACE


    def labels(headers):
        answer = requests.get(f"{CONFIG_URL}/workspaces/{WORKSPACE}/sources", headers=headers)
        answer.raise_for_status()
        return sorted(source["display_name"] for source in answer.json()["sources"])
    """


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def migrated(root: Path, ids: object = IDS) -> dict[str, str]:
    """Apply, write, and check that a second run changes nothing; the Python files after."""
    write(apply([root], ApplyOptions(id_map=ids), jobs=1))  # type: ignore[arg-type]
    assert unified_diff(apply([root], ApplyOptions(id_map=ids), jobs=1), root) == b"", "a second run changed it"  # type: ignore[arg-type]
    return {path.relative_to(root).as_posix(): path.read_text() for path in root.rglob("*.py")}


def migrated_beside(legacy: Path, ids: object = IDS) -> BeforeAfter:
    """`main.py` of the tree `legacy` run as it is and, in a migrated copy of it (a git repository of
    its own), on the Public side: what each printed and the sides the migrated run reached."""
    from tests.legacy_runner import before_and_after

    after = legacy.parent / f"{legacy.name}-migrated"
    shutil.copytree(legacy, after)
    subprocess.run(["git", "init", "-q", str(after)], check=True)
    migrated(after, ids)
    return before_and_after(legacy, after, "main.py")


def test_calls_on_an_imported_base_move_onto_its_twin_imported_in_its_place(tmp_path: Path):
    root = tree(tmp_path, {"pkg/__init__.py": "", "pkg/constants.py": CONSTANTS, "pkg/report.py": REPORT})
    assert apply([root], ApplyOptions(id_map=IDS), jobs=1).twins == [
        (str(root / "pkg" / "constants.py"), "CONFIG_URL_PUBLIC")
    ], "said in the summary"
    files = migrated(root)
    assert files["pkg/constants.py"] == textwrap.dedent('''\
        """Where the Config API lives."""
        CONFIG_URL = "https://platform.segmentapis.com/v1beta"  # the legacy host
        CONFIG_URL_PUBLIC = "https://api.segmentapis.com"
        WORKSPACE = "acme"
        ''')
    report = files["pkg/report.py"]
    assert "from pkg.constants import CONFIG_URL_PUBLIC\n" in report, "nothing here reads the base or the workspace now"
    assert 'requests.get(f"{CONFIG_URL_PUBLIC}/sources", headers=headers' in report
    assert 'source["name"] for source in answer.json()["data"]["sources"]' in report
    assert PACKAGE not in report


def test_a_module_other_modules_import_keeps_the_base_it_imported_beside_the_twin(tmp_path: Path):
    aliased = REPORT.replace(
        "from pkg.constants import CONFIG_URL, WORKSPACE",
        "from .constants import (\n        CONFIG_URL as BASE,  # shared by every tool\n        WORKSPACE,\n    )",
    ).replace("{CONFIG_URL}", "{BASE}")
    root = tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/constants.py": CONSTANTS,
            "pkg/report.py": aliased,
            "run.py": "from pkg import report\n\nprint(report.labels({}))\n",
        },
    )
    report = migrated(root)["pkg/report.py"]
    assert (
        "from .constants import (\n"
        "    CONFIG_URL as BASE,  # shared by every tool\n"
        "    CONFIG_URL_PUBLIC as BASE_PUBLIC,\n"
        "    WORKSPACE,\n"
        ")\n"
    ) in report, "`report.BASE` may be read where report is imported; the twin sits beside it, as isort puts it"
    assert 'requests.get(f"{BASE_PUBLIC}/sources"' in report


def test_a_base_another_module_imports_is_not_moved_in_place_under_its_calls_through_the_layer(tmp_path: Path):
    client = """\
        import requests

        API = "https://platform.segmentapis.com/v1beta"


        def labels():
            answer = requests.get(f"{API}/workspaces/acme/sources")
            answer.raise_for_status()
            return [source["display_name"] for source in answer.json()["sources"]]
        """
    other = """\
        import requests

        from pkg.client import API


        def sources():
            return requests.get(f"{API}/workspaces/acme/sources").json()
        """
    root = tree(tmp_path, {"pkg/__init__.py": "", "pkg/client.py": client, "pkg/other.py": other})
    files = migrated(root)
    assert (
        'API = "https://platform.segmentapis.com/v1beta"\nAPI_PUBLIC = "https://api.segmentapis.com"\n'
        in (files["pkg/client.py"])
    )
    assert 'requests.get(f"{API_PUBLIC}/sources"' in files["pkg/client.py"]
    # its answer goes back to callers unseen: through the layer, which must still see a Config URL
    assert 'segment_compat.get(f"{API}/workspaces/acme/sources")' in files["pkg/other.py"]


@pytest.mark.parametrize(
    ("constants", "why"),
    [
        (CONSTANTS + 'CONFIG_URL = "https://platform.segmentapis.com/v1alpha"\n', "bound twice"),
        (CONSTANTS + "CONFIG_URL_PUBLIC = None\n", "its twin's name is taken"),
        (
            CONSTANTS.replace('= "https', '= os.environ.get("SEGMENT_API", "https').replace('1beta"', '1beta")'),
            "a setting",
        ),
    ],
)
def test_no_op_a_base_that_cannot_hold_a_twin_leaves_its_importers_on_the_layer(
    tmp_path: Path, constants: str, why: str
):
    constants = "import os\n" + textwrap.dedent(constants)
    root = tree(tmp_path, {"pkg/__init__.py": "", "pkg/constants.py": constants, "pkg/report.py": REPORT})
    files = migrated(root)
    assert files["pkg/constants.py"] == constants, why
    assert "_PUBLIC" not in files["pkg/report.py"], why
    assert "segment_compat.get(" in files["pkg/report.py"], why


def test_the_module_defining_a_twin_is_written_before_the_modules_importing_it(tmp_path: Path, monkeypatch):
    """Ctrl-C after the first write: no module imports a twin that is not there yet, and a re-run
    finishes the migration."""
    root = tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/constants.py": CONSTANTS,
            "pkg/a_report.py": REPORT,  # sorted before the module it imports from
        },
    )
    real_write = engine.atomic_write_bytes
    written: list[str] = []

    def interrupted(path: Path, data: bytes) -> None:
        if written:
            raise KeyboardInterrupt
        written.append(path.name)
        real_write(path, data)

    monkeypatch.setattr(engine, "atomic_write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write(apply([root], ApplyOptions(id_map=IDS), jobs=1))
    monkeypatch.setattr(engine, "atomic_write_bytes", real_write)
    assert written == ["constants.py"]
    assert "CONFIG_URL_PUBLIC" not in (root / "pkg" / "a_report.py").read_text()
    files = migrated(root)
    assert "from pkg.constants import CONFIG_URL_PUBLIC\n" in files["pkg/a_report.py"]


def test_a_package_modules_id_lookups_go_where_the_package_is_imported_from(tmp_path: Path):
    by_slug = textwrap.dedent(REPORT) + textwrap.dedent("""\


        def destinations(source, headers):
            answer = requests.get(f"{CONFIG_URL}/workspaces/{WORKSPACE}/sources/{source}/destinations", headers=headers)
            answer.raise_for_status()
            return len(answer.json()["destinations"])
        """)
    root = tree(tmp_path, {"pkg/__init__.py": "", "pkg/constants.py": CONSTANTS, "pkg/report.py": by_slug})
    files = migrated(root)
    assert "segment_ids.source_id(source)" in files["pkg/report.py"]
    assert "segment_ids.py" in files and "pkg/segment_ids.py" not in files, "`import segment_ids` finds it there"


@pytest.mark.parametrize(
    ("names", "after"),
    [
        ("(\n        CONFIG_URL,\n        WORKSPACE,\n    )", "(\n    CONFIG_URL_PUBLIC,\n)"),
        ("WORKSPACE, CONFIG_URL", "CONFIG_URL_PUBLIC"),
        ("CONFIG_URL, WORKSPACE  # the legacy names", "CONFIG_URL_PUBLIC  # the legacy names"),
    ],
)
def test_a_workspace_name_only_the_moved_paths_read_leaves_the_import(tmp_path: Path, names: str, after: str):
    report = REPORT.replace("from pkg.constants import CONFIG_URL, WORKSPACE", f"from pkg.constants import {names}")
    root = tree(tmp_path, {"pkg/__init__.py": "", "pkg/constants.py": CONSTANTS, "pkg/report.py": report})
    assert f"from pkg.constants import {after}\n" in migrated(root)["pkg/report.py"]


def test_no_op_a_workspace_name_after_a_commented_name_stays_imported(tmp_path: Path):
    """Removing the last name hands its comma to the name before it: that one's comment would go."""
    report = REPORT.replace(
        "from pkg.constants import CONFIG_URL, WORKSPACE",
        "from pkg.constants import (\n        CONFIG_URL,  # the legacy host\n        WORKSPACE,\n    )",
    )
    root = tree(tmp_path, {"pkg/__init__.py": "", "pkg/constants.py": CONSTANTS, "pkg/report.py": report})
    assert "    CONFIG_URL_PUBLIC,  # the legacy host\n    WORKSPACE,\n)" in migrated(root)["pkg/report.py"]


def test_no_op_a_twin_its_module_cannot_be_given_leaves_the_importers_on_the_layer(tmp_path: Path):
    """The defining module fails to migrate (it does not parse): the importers that wanted its twin
    are migrated again without it, and import nothing that is not there."""
    broken = textwrap.dedent(CONSTANTS) + "def half(:\n"
    root = tree(tmp_path, {"pkg/__init__.py": "", "pkg/constants.py": broken, "pkg/report.py": REPORT})
    result = apply([root], ApplyOptions(id_map=IDS), jobs=1)
    write(result)
    assert (root / "pkg" / "constants.py").read_text() == broken
    report = (root / "pkg" / "report.py").read_text()
    assert "_PUBLIC" not in report and "segment_compat.get(" in report
    assert [outcome.error is not None for outcome in result.outcomes if outcome.path.endswith("constants.py")] == [True]


def test_the_pull_request_lists_each_config_base_kept_beside_its_twin(tmp_path: Path):
    from migrator.pr import PrOptions, pr_body

    root = tree(tmp_path, {"pkg/__init__.py": "", "pkg/constants.py": CONSTANTS, "pkg/report.py": REPORT})
    result = apply([root], ApplyOptions(id_map=IDS), jobs=1)
    write(result)
    body = pr_body(root, result, PrOptions(path=root), "", "main")
    assert "### Config base URLs kept beside their Public twins" in body
    assert "- [ ] `pkg/constants.py`: `CONFIG_URL_PUBLIC` beside `CONFIG_URL`" in body


def test_a_module_with_windows_line_endings_gets_its_twin_in_them(tmp_path: Path):
    root = tree(tmp_path, {"pkg/__init__.py": "", "pkg/report.py": REPORT})
    (root / "pkg" / "constants.py").write_bytes(textwrap.dedent(CONSTANTS).replace("\n", "\r\n").encode())
    files = migrated(root)
    assert (
        'CONFIG_URL_PUBLIC = "https://api.segmentapis.com"\r\n' in (root / "pkg" / "constants.py").read_bytes().decode()
    )
    assert "CONFIG_URL_PUBLIC" in files["pkg/report.py"]


@pytest.mark.parametrize("imported", ["from . import constants", "import pkg.constants as constants"])
def test_calls_on_a_base_read_through_its_module_move_onto_the_twin_there(tmp_path: Path, imported: str):
    report = (
        REPORT.replace("from pkg.constants import CONFIG_URL, WORKSPACE", imported)
        .replace("{CONFIG_URL}", "{constants.CONFIG_URL}")
        .replace("{WORKSPACE}", "{constants.WORKSPACE}")
    )
    root = tree(tmp_path, {"pkg/__init__.py": "", "pkg/constants.py": CONSTANTS, "pkg/report.py": report})
    files = migrated(root)
    assert 'CONFIG_URL_PUBLIC = "https://api.segmentapis.com"\n' in files["pkg/constants.py"]
    assert f"{imported}\n" in files["pkg/report.py"], "nothing to import: the module has the twin"
    assert 'requests.get(f"{constants.CONFIG_URL_PUBLIC}/sources", headers=headers' in files["pkg/report.py"]


SETTING = """\
    import os

    CONFIG_URL = os.environ.get("SEGMENT_CONFIG_URL", "https://platform.segmentapis.com/v1beta")
    DEBUG = False
    """
SESSION_REPORT = """\
    import requests

    from pkg import settings


    def plans(headers):
        session = requests.Session()
        session.headers.update(headers)
        return session.get(settings.CONFIG_URL + "/workspaces/acme/tracking-plans").json()
    """


def test_calls_on_a_setting_read_through_its_module_go_through_the_layer(tmp_path: Path):
    """A Config URL that is a setting's default (no twin can be written beside it), read as
    `settings.CONFIG_URL`: the module talks to the Config API, so its session goes through the layer."""
    root = tree(tmp_path, {"pkg/__init__.py": "", "pkg/settings.py": SETTING, "pkg/report.py": SESSION_REPORT})
    files = migrated(root)
    assert "session = segment_compat.Session()" in files["pkg/report.py"]
    assert files["pkg/settings.py"] == textwrap.dedent(SETTING)


def test_no_op_a_module_reading_only_other_settings_of_that_module(tmp_path: Path):
    other = SESSION_REPORT.replace('settings.CONFIG_URL + "/workspaces/acme/tracking-plans"', '"https://example.com/x"')
    other = other.replace("session.headers.update(headers)", "session.verify = settings.DEBUG  # not CONFIG_URL")
    root = tree(tmp_path, {"pkg/__init__.py": "", "pkg/settings.py": SETTING, "pkg/report.py": other})
    assert migrated(root)["pkg/report.py"] == textwrap.dedent(other)


def test_a_module_reading_a_config_url_setting_goes_through_the_layer(tmp_path: Path):
    """The base is `api_url` under `segment:` in config.yaml: the module never names the host, and
    its transport call goes through the layer, which translates what the setting still says."""
    client = """\
        import requests

        from pkg.settings import CONFIG


        def sources(ws):
            return requests.get(f"{CONFIG['segment']['api_url']}/workspaces/{ws}/sources").json()
        """
    root = tree(
        tmp_path,
        {
            "config.yaml": "segment:\n  api_url: https://platform.segmentapis.com/v1beta\n",
            "pkg/__init__.py": "",
            "pkg/settings.py": "CONFIG = {}\n",
            "pkg/client.py": client,
        },
    )
    files = migrated(root)
    assert "segment_compat.get(" in files["pkg/client.py"]
    assert (root / "config.yaml").read_text().count("platform.segmentapis.com") == 1, "the setting is left"


def test_no_op_a_module_reading_a_setting_of_another_service(tmp_path: Path):
    client = "import requests\n\nfrom pkg.settings import CONFIG\n\nrequests.get(CONFIG['billing']['api_url'])\n"
    root = tree(
        tmp_path,
        {"config.yaml": "billing:\n  api_url: https://api.bill.example/v1\n", "pkg/__init__.py": ""}
        | {"pkg/settings.py": "CONFIG = {}\n", "pkg/client.py": client},
    )
    assert migrated(root)["pkg/client.py"] == client


def test_a_setting_of_a_one_line_json_file_is_known_too(tmp_path: Path):
    """`{"segment": {"api_url": "https://platform..."}}` on one line, read as `settings["api_url"]`."""
    client = """\
        import json

        import requests

        settings = json.load(open("settings.json"))["segment"]


        def sources(ws):
            return requests.get(settings["api_url"] + f"/workspaces/{ws}/sources").json()
        """
    root = tree(
        tmp_path,
        {"settings.json": '{"segment": {"api_url": "https://platform.segmentapis.com/v1beta"}}\n', "sync.py": client},
    )
    assert "segment_compat.get(" in migrated(root)["sync.py"]


def test_the_twin_joins_the_one_line_import_of_a_base_still_read(tmp_path: Path):
    """The base stays imported (a module imports this one, and may read it): its twin comes right
    after it in the same import, as isort would put it, not in a second import of the module."""
    one_line = REPORT.replace("from pkg.constants import CONFIG_URL, WORKSPACE", "from pkg.constants import CONFIG_URL")
    one_line = one_line.replace("{WORKSPACE}", "acme")
    root = tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/constants.py": CONSTANTS,
            "pkg/report.py": one_line,
            "run.py": "from pkg import report\n\nprint(report.labels({}))\n",
        },
    )
    report = migrated(root)["pkg/report.py"]
    assert "from pkg.constants import CONFIG_URL, CONFIG_URL_PUBLIC\n" in report
    assert report.count("from pkg.constants import") == 1


@pytest.mark.parametrize("settings_module", ["proj/settings.py", "proj/settings/base.py"])
def test_calls_on_a_django_setting_go_through_the_layer(tmp_path: Path, settings_module: str):
    """`from django.conf import settings`, then `settings.CONFIG_URL`: Django reads it from the
    project's settings module (or a module of its settings package), which the repository holds."""
    report = SESSION_REPORT.replace("from pkg import settings", "from django.conf import settings")
    files = {"proj/__init__.py": "", settings_module: SETTING, "app/__init__.py": "", "app/report.py": report}
    if settings_module.endswith("base.py"):
        files["proj/settings/__init__.py"] = "from .base import *  # noqa: F403\n"
    root = tree(tmp_path, files)
    migrated_files = migrated(root)
    assert "session = segment_compat.Session()" in migrated_files["app/report.py"]


def test_calls_on_a_django_base_move_onto_its_twin_in_the_settings_module(tmp_path: Path):
    """Django's settings object reads every upper-case name of the settings module: the twin written
    there is read through it as the base was."""
    report = (
        REPORT.replace("from pkg.constants import CONFIG_URL, WORKSPACE", "from django.conf import settings")
        .replace("{CONFIG_URL}", "{settings.CONFIG_URL}")
        .replace("{WORKSPACE}", "{settings.WORKSPACE}")
    )
    root = tree(tmp_path, {"proj/__init__.py": "", "proj/settings.py": CONSTANTS, "app/report.py": report})
    files = migrated(root)
    assert 'CONFIG_URL_PUBLIC = "https://api.segmentapis.com"\n' in files["proj/settings.py"]
    assert 'requests.get(f"{settings.CONFIG_URL_PUBLIC}/sources", headers=headers' in files["app/report.py"]


def test_no_op_django_settings_of_a_project_whose_settings_hold_no_config_url(tmp_path: Path):
    report = SESSION_REPORT.replace("from pkg import settings", "from django.conf import settings")
    root = tree(
        tmp_path,
        {"proj/settings.py": "DEBUG = True\n", "other/constants.py": SETTING, "app/report.py": report},
    )
    assert migrated(root)["app/report.py"] == textwrap.dedent(report)
