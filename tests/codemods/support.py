"""What the codemod tests share: an ID map, a legacy header, and `migrate` (which also checks that a
second run changes nothing).

`migrate` runs the native codemods (every one but `compat`) unless told otherwise: most tests here
pin what the native rewrite proves, and the reason it gives where it cannot. What the compatibility
layer then does with such a call is `test_compat.py`'s."""

from __future__ import annotations

import textwrap

from codemods import REGISTRY
from codemods.engine import ApplyOptions, migrate_source
from migrator.idmap import Candidate, Entry, IdMap, Workspace

IDS = IdMap(
    workspace=Workspace(slug="acme", id="W1"),
    generated_at="2026-01-01T00:00:00Z",
    entries=[
        Entry(kind="source", config_name="workspaces/acme/sources/web", public_id="S_WEB", status="matched"),
        Entry(
            kind="destination",
            config_name="workspaces/acme/sources/web/destinations/amplitude",
            public_id="D_AMP",
            status="matched",
        ),
        Entry(
            kind="destination",
            config_name="workspaces/acme/sources/web/destinations/mixpanel",
            status="ambiguous",
            candidates=[Candidate(public_id="D1"), Candidate(public_id="D2")],
        ),
        Entry(kind="catalog_source", config_name="catalog/sources/ios", public_id="CAT_IOS", status="matched"),
        Entry(
            kind="catalog_destination",
            config_name="catalog/destinations/amplitude",
            public_id="CATD_AMP",
            status="matched",
        ),
        Entry(
            kind="tracking_plan", config_name="workspaces/acme/tracking-plans/rs_1", public_id="tp_1", status="matched"
        ),
    ],
)
NATIVE = frozenset(fixer.name for fixer in REGISTRY if fixer.name != "compat")
HEADER = 'import requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\nH = {"Authorization": "Bearer x"}\n'


def migrate(source: str, ids: IdMap | None = IDS, region: str = "us", only: frozenset[str] | None = NATIVE) -> str:
    outcome = migrate_source("module.py", textwrap.dedent(source), ApplyOptions(ids, region, only))
    assert outcome.error is None, outcome.error
    again = migrate_source("module.py", outcome.new_source, ApplyOptions(ids, region, only))
    assert again.error is None and again.new_source == outcome.new_source, "a second run changed the file"
    return outcome.new_source


def assert_codemod(before: str, after: str, **options: object) -> None:
    assert migrate(before, **options) == textwrap.dedent(after)  # type: ignore[arg-type]


def assert_todo_added(source: str, anchor: str, todo: str) -> None:
    """Nothing changes but one TODO comment line, `todo`, above the first line that starts with
    `anchor` (indentation included): the code keeps working as it was."""
    assert migrate(source) == textwrap.dedent(source).replace(anchor, todo + anchor, 1)
