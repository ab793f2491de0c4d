"""Disable a destination with an update mask, then enable it again."""
import os

import requests

PLATFORM = "https://platform.segmentapis.com"
VERSION = "v1beta"
TOKEN = os.environ["SEGMENT_ACCESS_TOKEN"]

session = requests.Session()
session.headers.update({"Authorization": "Bearer %s" % TOKEN})


def set_enabled(source, destination, enabled):
    url = "{}/{}/workspaces/acme/sources/{}/destinations/{}".format(PLATFORM, VERSION, source, destination)
    body = {"destination": {}, "update_mask": {"paths": ["destination.enabled"]}}
    if enabled:
        body["destination"]["enabled"] = True
    # a masked path without a value turns the destination off
    resp = session.request("PATCH", url, json=body)
    resp.raise_for_status()
    return resp.json()["enabled"]


if __name__ == "__main__":
    print("google-analytics enabled:", set_enabled("web", "google-analytics", False))
    print("google-analytics enabled:", set_enabled("web", "google-analytics", True))
    print("amplitude enabled:", set_enabled("ios-app", "amplitude", False))
