"""What `migrate apply` will do with each Python Config API use `migrate scan` found, decided by
apply's own plan (the same fixers, the same refusals), so the two never disagree.

A call apply rewrites natively, or routes through the compatibility layer, is `auto`; a call it
leaves with a TODO is `manual`, with the TODO's reason. A read of an answer, a page loop or an
update mask apply rewrites is `auto`. In a module whose transport calls go through the layer, every
other Config use found there travels with them (`auto`: the layer answers as the Config API did),
except an endpoint without a Public twin, which stays `manual` as the scanner judged it. A call through a
client of the repository (`Finding.via`) moves with the client when apply routes that (the scan's
related pass reads it off the client's judged findings)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import libcst as cst

from migrator.analysis.literals import evaluated
from migrator.analysis.node_text import start_positions
from migrator.scan.findings import Finding
from migrator.scan.walk import LAYER_REASON

from .base import FileContext
from .engine import ApplyOptions, planned_file
from .finder import CallFinder
from .fixers.compat import CompatFixer
from .fixers.host import twin_name
from .fixers.pinned import is_test_file
from .plan import public_base
from .urls import CONFIG_BASE

REQUESTS = frozenset({"call", "url"})
"""Findings that are requests apply moves or leaves."""
JUDGED_KINDS = REQUESTS | {"consumer", "pagination", "update_mask"}
"""And those that are parts of a request or its answer, which move with it."""


@dataclass(frozen=True)
class Verdict:
    fixability: str
    reason: str | None = None


@dataclass
class FileVerdicts:
    by_line: dict[int, Verdict] = field(default_factory=dict)
    """Requests, by the line their call starts on."""
    edited: set[int] = field(default_factory=set)
    """Lines where a fixer changes something."""
    layered: bool = False
    """Apply routes some of the module's transport calls through the layer."""
    twinned: set[int] = field(default_factory=set)
    """Lines of Config base constants with their Public twin beside them (an earlier run wrote it):
    kept for what still reads them, which apply leaves to a person."""


TWINNED = (
    "kept beside its Public twin for the code that still reads it (other modules, calls left with a TODO); "
    "`migrate apply` leaves it: delete it once nothing reads it"
)


def file_verdicts(path: str, source: str, options: ApplyOptions, tree: cst.Module | None = None) -> FileVerdicts | None:
    """Apply's decision for each line of one file that holds a Config call; None when the file
    cannot be planned (it does not parse: the scanner's own judgement stands)."""
    try:
        module, file = planned_file(path, source, options, tree)
    except Exception:  # a file apply cannot parse is reported by apply; scan keeps its own reading
        return None
    context = file.context
    routed = [edit.node for edits in context.edits.values() for edit in edits if edit.fixer == CompatFixer.name]
    calls = [planned.call for planned in context.calls]
    edited = [edits[0].node for edits in context.edits.values()]
    twinned = _twinned_bases(file.finder, context)
    positions = start_positions(module, [*calls, *routed, *edited, *twinned], source, file.finder.bindings.parents)
    verdicts = FileVerdicts(
        layered=bool(routed),
        edited={positions[id(node)][0] for node in edited},
        twinned={positions[id(node)][0] for node in twinned},
    )
    for node in routed:
        verdicts.by_line[positions[id(node)][0]] = Verdict("auto", LAYER_REASON)
    for planned in context.calls:
        line = positions[id(planned.call)][0]
        if planned.todo is None and not planned.compat:
            verdicts.by_line[line] = Verdict("auto")
        elif planned.compat:
            verdicts.by_line[line] = Verdict("auto", f"{LAYER_REASON}; natively: {planned.todo}")
        elif line not in verdicts.by_line:
            verdicts.by_line[line] = Verdict("manual", planned.todo)
    return verdicts


def _twinned_bases(finder: CallFinder, context: FileContext) -> list[cst.SimpleString]:
    """The module-level Config base constants whose Public twin (either region's) is bound beside them."""
    publics = {public_base(context.api, region) for region in ("us", "eu")}
    found = []
    for name, value in finder.module.assignments.items():
        if type(value) is not cst.SimpleString or not CONFIG_BASE.match(str(evaluated(value))):
            continue
        twin = finder.module.assignments.get(twin_name(name))
        if type(twin) is cst.SimpleString and str(evaluated(twin)).rstrip("/") in publics:
            found.append(value)
    return found


def judge_file(path: str, text: str, findings: list[Finding], tree: cst.Module | None = None) -> list[Finding]:
    """One Python file's findings, each with apply's verdict (the scanner's own where apply has none).
    `tree`: the file as the scanner parsed it, planned on rather than parsed again."""
    if is_test_file(path) or not any(finding.kind in REQUESTS or finding.kind == "base_url" for finding in findings):
        return findings
    verdicts = file_verdicts(path, text, ApplyOptions(), tree)
    return [_judged(finding, verdicts) for finding in findings]


def _judged(finding: Finding, verdicts: FileVerdicts | None) -> Finding:
    if verdicts is not None and verdicts.layered and finding.kind == "base_url" and finding.language == "python":
        return replace(finding, fixability="auto", reason=LAYER_REASON)  # the base the routed calls are made on
    if verdicts is not None and finding.kind == "base_url" and finding.line in verdicts.twinned:
        return replace(finding, fixability="manual", reason=TWINNED)
    if verdicts is None or finding.language != "python" or finding.kind not in JUDGED_KINDS:
        return finding
    verdict = verdicts.by_line.get(finding.line) if finding.kind in REQUESTS else None
    if verdict is None and finding.kind not in REQUESTS and finding.line in verdicts.edited:
        verdict = Verdict("auto")
    if verdict is None and verdicts.layered and not (finding.fixability == "manual" and _without_twin(finding)):
        verdict = Verdict("auto", LAYER_REASON)
    if verdict is None:
        return finding
    return replace(finding, fixability=verdict.fixability, reason=verdict.reason)


def _without_twin(finding: Finding) -> bool:
    return finding.endpoint is not None and not finding.public
