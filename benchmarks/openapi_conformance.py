"""schemathesis with Segment's own OpenAPI document against the emulator: requests generated from the
document for every emulated operation, each answer checked for a documented status, a body that
matches the document's schema, and no server error.

schemathesis is not a dependency of the project; install it beside it, and give the document's path
(Segment published it with its Public API; the 2022 version is the one this was measured with):

    pip install schemathesis
    python benchmarks/openapi_conformance.py public-api-openapi-2022.yaml [--examples 20]

Failures are sorted into the differences already known between the document and today's API (the
document is from 2022; Segment's SDK 73.2.0 and the emulator follow today's), each with its reason,
and new ones. Exits 1 when there is a new one.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

from migrator.emulator.app import Emulator, Tokens
from migrator.emulator.public_api import emulated_operations
from migrator.emulator.seed import build_demo
from migrator.emulator.server import start_in_thread
from migrator.emulator.state import State

KNOWN: list[tuple[str, str, str]] = [
    # (operation, status received, why the emulator differs from the 2022 document)
    ("POST /labels", "201", "the 2022 document says 200; Segment's SDK 73.2.0 says 201, as the emulator answers"),
    ("POST /invites", "201", "the 2022 document says 200; Segment's SDK 73.2.0 says 201, as the emulator answers"),
    (
        "*",
        "409",
        "a duplicate (a label, an invite, a function name, a source slug) answers 409 conflict; neither the "
        "document nor the SDK gives any status for it (protocol.toml's public_error table)",
    ),
    (
        "PATCH /sources/{sourceId}/settings",
        "400",
        "a source without a tracking plan: Segment answers 400, as users of its Terraform provider report; "
        "the document lists no 400 (protocol.toml's [public_quirks])",
    ),
]

PATH_IDS = {
    "sourceId": "sources",
    "destinationId": "destinations",
    "filterId": "filters",
    "trackingPlanId": "tracking_plans",
    "functionId": "functions",
    "warehouseId": "warehouses",
    "userId": "users",
    "regulateId": "regulations",
    "sourceMetadataId": "catalog_sources",
    "destinationMetadataId": "catalog_destinations",
    "warehouseMetadataId": "catalog_warehouses",
}
"""Path parameters filled with a seeded id, so that generated requests reach past the 404."""


@dataclass
class Failure:
    operation: str
    check: str
    status: str
    text: str

    def known(self) -> str | None:
        for operation, status, reason in KNOWN:
            if operation in ("*", self.operation) and status == self.status:
                return reason
        return None


def operation_ids() -> list[str]:
    """The emulated operations, as the document names them (the SDK's method names in camelCase)."""
    split = (name.split("_") for name in emulated_operations())
    return [head + "".join(part.capitalize() for part in rest) for head, *rest in split]


def config(state: State) -> str:
    # schemathesis reads ${...} from its environment: the token stays off command lines and files.
    lines = ['headers = { Authorization = "Bearer ${SEGMENT_EMULATOR_TOKEN}" }', "", "[parameters]"]
    for name, collection in PATH_IDS.items():
        lines.append(f'"path.{name}" = "{next(iter(getattr(state, collection)))}"')
    return "\n".join(lines) + "\n"


def failures(report: Path) -> tuple[int, list[Failure]]:
    """(operations tested, each failure) from schemathesis's JUnit report."""
    root = ElementTree.parse(report).getroot()
    cases = root.iter("testcase")
    tested, found = 0, []
    for case in cases:
        tested += 1
        for failure in case.iter("failure"):
            for block in re.split(r"\n(?=\d+\. Test Case ID)", failure.text or ""):
                code = re.search(r"- (ST\d+) ", block)
                status = re.search(r"Received: (\d+)|^\[(\d+)\]", block, re.MULTILINE)
                received = next((group for group in status.groups() if group), "") if status else ""
                found.append(Failure(case.get("name", "?"), code.group(1) if code else "?", received, block))
    return tested, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("document", type=Path, help="Segment's Public API OpenAPI document (YAML or JSON)")
    parser.add_argument("--examples", type=int, default=20, help="generated requests per operation")
    parser.add_argument("--seed", default="1", help="schemathesis's seed, for a repeatable run")
    options = parser.parse_args()
    executable = shutil.which("schemathesis") or shutil.which("st")
    if executable is None:
        sys.exit("openapi_conformance: schemathesis is not installed here: pip install schemathesis")
    if not options.document.is_file():
        sys.exit(f"openapi_conformance: no such document: {options.document}")
    emulator = Emulator(build_demo(), Tokens(), rate_limit=0)
    with tempfile.TemporaryDirectory() as scratch, start_in_thread(emulator) as running:
        settings = Path(scratch, "schemathesis.toml")
        settings.write_text(config(emulator.state))
        command = [
            executable,
            "--config-file",
            str(settings),
            "run",
            str(options.document),
            "--url",
            running.base_url,
            "--checks",
            "status_code_conformance,response_schema_conformance,not_a_server_error",
            "--phases",
            "examples,fuzzing",
            "--max-examples",
            str(options.examples),
            "--continue-on-failure",
            "--workers",
            "1",
            "--seed",
            options.seed,
            "--report",
            "junit",
            "--report-dir",
            scratch,
        ]
        for operation in operation_ids():
            command += ["--include-operation-id", operation]
        environment = {**os.environ, "SEGMENT_EMULATOR_TOKEN": emulator.tokens.public}
        subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
        reports = sorted(Path(scratch).glob("junit*.xml"))
        if not reports:
            sys.exit("openapi_conformance: schemathesis wrote no report (is the document an OpenAPI document?)")
        tested, found = failures(reports[-1])
    new = [failure for failure in found if failure.known() is None]
    failing = {failure.operation for failure in new}
    for failure in found:
        reason = failure.known()
        if reason is not None:
            print(f"known  {failure.operation} {failure.check} {failure.status}: {reason}")
    for failure in new:
        print(f"NEW    {failure.operation} {failure.check} {failure.status}\n{failure.text}\n")
    print(
        f"{tested} operations tested, {tested - len(failing)} with no new failure; "
        f"{len(found) - len(new)} known differences from the 2022 document, {len(new)} new"
    )
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
