"""Suppress and delete a user, then read the regulation's status (stdlib only)."""
import json
import os
import urllib.request

BASE_URL = "https://platform.segmentapis.com/v1beta/workspaces/acme"
TOKEN = os.environ["SEGMENT_ACCESS_TOKEN"]


def call(method, path, payload=None):
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(
        BASE_URL + path,
        data=data,
        headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"},
        method=method,
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


if __name__ == "__main__":
    created = call("POST", "/regulations", {"regulation_type": "Suppress_With_Delete", "attributes": {"name": "userId", "values": ["user-9001"]}})
    regulate_id = created["regulate_id"]
    status = call("GET", "/regulations/" + regulate_id)
    print("regulation", regulate_id, status["overall_status"])
    entries = call("GET", "/regulations?regulation_types=Suppress_With_Delete")["entries"]
    print("suppress+delete regulations:", len(entries))
