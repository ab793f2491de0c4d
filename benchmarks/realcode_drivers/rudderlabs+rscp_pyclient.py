"""rscp_pyclient's Segment download, against whatever Segment host is routed: what it downloads."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, sys.argv[1])
from rscp_pyclient import getSegmentConfig as segment


def run(name, call):
    try:
        answer = call()
        print("method", name, "->", json.dumps(answer, sort_keys=True))
    except Exception as error:
        print("method", name, "-> error", type(error).__name__, str(error)[:80])


headers = {"Authorization": "Bearer " + os.environ["SEGMENT_TOKEN"]}
run("downloadSegmentAll", lambda: segment.downloadSegmentAll(os.environ["SEGMENT_TOKEN"])[1])
found = {}
run(
    "downloadSegmentListEndpoint(catalog/destinations)",
    lambda: segment.downloadSegmentListEndpoint(segment.segmentUrl, "catalog/destinations", headers, found, "out/x"),
)
run(
    "downloadSegmentEndpoint",
    lambda: (
        segment.downloadSegmentEndpoint(segment.segmentUrl + "/workspaces/acme/sources/web", headers, "out/web")
        or json.loads(Path("out/web.json").read_text())
    ),
)
