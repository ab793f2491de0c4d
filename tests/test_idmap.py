"""ID map files: versioned JSON that validates on load, CSV with stable columns, atomic writes."""

from __future__ import annotations

import csv
import io
import json

import pytest

from migrator.errors import IdMapError
from migrator.idmap import CSV_COLUMNS, Candidate, Entry, IdMap, Workspace, load_id_map


def sample() -> IdMap:
    return IdMap(
        workspace=Workspace(slug="acme", id="W1", config_id="w1"),
        generated_at="2026-01-01T00:00:00Z",
        entries=[
            Entry(
                kind="source",
                config_name="workspaces/acme/sources/web",
                slug="web",
                public_id="S1",
                status="matched",
                evidence=["slug"],
            ),
            Entry(
                kind="destination",
                config_name="workspaces/acme/sources/web/destinations/mixpanel",
                slug="mixpanel",
                source_id="S1",
                metadata_id="M1",
                status="ambiguous",
                candidates=[
                    Candidate(public_id="D1", display_name="prod"),
                    Candidate(public_id="D2", display_name="dev"),
                ],
            ),
            Entry(kind="warehouse", public_id="WH1", status="public_only"),
        ],
    )


def test_json_round_trip(tmp_path):
    path = tmp_path / "ids.json"
    sample().save(path)
    loaded = load_id_map(path)
    assert loaded == sample()
    assert json.loads(path.read_text())["version"] == 1
    assert loaded.by_name("source", "workspaces/acme/sources/web").public_id == "S1"


def test_csv_has_stable_columns(tmp_path):
    path = tmp_path / "ids.csv"
    sample().save(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1]["candidates"] == "D1;D2" and rows[1]["status"] == "ambiguous"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{nope", "not JSON"),
        (json.dumps({"version": 9, "workspace": {"slug": "a"}, "generated_at": "x"}), "version 9 is not supported"),
        (json.dumps({"version": 1, "generated_at": "x"}), "workspace"),
        (
            json.dumps(
                {
                    "version": 1,
                    "workspace": {"slug": "a"},
                    "generated_at": "x",
                    "entries": [{"kind": "source", "status": "matched", "config_name": "workspaces/a/sources/b"}],
                }
            ),
            "needs public_id",
        ),
        (
            json.dumps(
                {
                    "version": 1,
                    "workspace": {"slug": "a"},
                    "generated_at": "x",
                    "entries": [{"kind": "gadget", "status": "matched", "public_id": "x", "config_name": "n"}],
                }
            ),
            "entries.0.kind",
        ),
        (
            json.dumps(
                {
                    "version": 1,
                    "workspace": {"slug": "a"},
                    "generated_at": "x",
                    "entries": [
                        {
                            "kind": "source",
                            "status": "matched",
                            "public_id": "1",
                            "config_name": "workspaces/a/sources/b",
                        },
                        {
                            "kind": "source",
                            "status": "matched",
                            "public_id": "2",
                            "config_name": "workspaces/a/sources/b",
                        },
                    ],
                }
            ),
            "appears twice",
        ),
    ],
)
def test_a_broken_id_map_is_one_clear_line(tmp_path, content, message):
    path = tmp_path / "ids.json"
    path.write_text(content)
    with pytest.raises(IdMapError) as caught:
        load_id_map(path)
    text = str(caught.value)
    assert "\n" not in text and str(path) in text and message in text


def test_a_missing_file(tmp_path):
    with pytest.raises(IdMapError, match="no such ID map file"):
        load_id_map(tmp_path / "nope.json")


def test_an_unknown_extension_is_refused(tmp_path):
    with pytest.raises(IdMapError, match=r"\.json or \.csv"):
        sample().save(tmp_path / "ids.yaml")
    assert not (tmp_path / "ids.yaml").exists()


def test_the_csv_form_is_refused_as_an_id_map_with_what_to_pass_instead(tmp_path):
    from migrator.errors import IdMapError
    from migrator.idmap import load_id_map

    (tmp_path / "ids.csv").write_text("kind,status\n")
    with pytest.raises(IdMapError, match="pass the JSON one"):
        load_id_map(tmp_path / "ids.csv")


def test_written_files_get_the_mode_a_plain_write_gives_and_keep_their_own(tmp_path):
    import os
    import stat

    from migrator.output import atomic_write

    atomic_write(tmp_path / "new.json", "{}")
    plain = tmp_path / "plain.json"
    plain.write_text("{}")
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)
    os.chmod(plain, 0o751)
    atomic_write(plain, "[]")
    assert stat.S_IMODE(plain.stat().st_mode) == 0o751 and plain.read_text() == "[]"
