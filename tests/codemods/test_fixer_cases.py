"""Every codemod's own examples (`Fixer.cases`, kept beside it), run through the whole engine."""

from __future__ import annotations

import textwrap

import pytest

from codemods import REGISTRY
from codemods.base import Case, Fixer
from codemods.engine import ApplyOptions, migrate_source
from migrator.idmap import Entry, IdMap, Workspace

EXAMPLES = [
    pytest.param(fixer, case, id=f"{fixer.name}: {case.why or 'changes'}") for fixer in REGISTRY for case in fixer.cases
]


def options(fixer: type[Fixer], case: Case) -> ApplyOptions:
    ids = IdMap(
        workspace=Workspace(slug="acme", id="W1"),
        generated_at="2026-01-01T00:00:00Z",
        entries=[
            Entry(kind=kind, config_name=name, public_id=public, status="matched") for kind, name, public in case.ids
        ],
    )
    only = None if fixer.name == "compat" else frozenset(other.name for other in REGISTRY if other.name != "compat")
    return ApplyOptions(ids if case.ids else None, only=only, moved_modules=frozenset(case.moved))


@pytest.mark.parametrize("fixer", REGISTRY, ids=[fixer.name for fixer in REGISTRY])
def test_every_codemod_shows_a_change_and_a_case_it_leaves_with_its_reason(fixer: type[Fixer]):
    assert any(case.after is not None for case in fixer.cases)
    assert any(case.after is None and case.why for case in fixer.cases)


@pytest.mark.parametrize(("fixer", "case"), EXAMPLES)
def test_the_codemods_own_examples(fixer: type[Fixer], case: Case):
    before = textwrap.dedent(case.before)
    outcome = migrate_source(case.path, before, options(fixer, case))
    assert outcome.error is None, outcome.error
    if case.after is not None:
        assert outcome.new_source == textwrap.dedent(case.after)
        assert outcome.counts[fixer.name] > 0
    else:
        assert outcome.counts[fixer.name] == 0
        if case.todo is not None:
            assert f"# TODO(migrate): {case.todo}\n" in outcome.new_source
    again = migrate_source(case.path, outcome.new_source, options(fixer, case))
    assert again.new_source == outcome.new_source, "a second run changed the file"
