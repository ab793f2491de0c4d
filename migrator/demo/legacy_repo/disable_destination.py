"""Turn a destination off (or on) with an update mask, as the on-call runbook says."""
import os
import sys

import requests

API = "https://platform.segmentapis.com/v1beta"
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_ACCESS_TOKEN"]}


def set_enabled(source, destination, enabled):
    resp = requests.patch(
        f"{API}/workspaces/acme/sources/{source}/destinations/{destination}",
        headers=HEADERS,
        json={"destination": {"enabled": enabled}, "update_mask": {"paths": ["destination.enabled"]}},
    )
    resp.raise_for_status()
    return resp.json()["enabled"]


if __name__ == "__main__":
    source, destination = (sys.argv[1:3] if len(sys.argv) > 2 else ("web", "google-analytics"))
    print(destination, "enabled:", set_enabled(source, destination, False))
    print(destination, "enabled:", set_enabled(source, destination, True))
