"""A chokepoint helper every internal tool goes through."""
import json
import os

import requests


class SegmentClient:
    base_url = "https://platform.segmentapis.com/v1beta/"

    def __init__(self, token=None, workspace="acme"):
        self.token = token or os.environ.get("SEGMENT_ACCESS_TOKEN")
        self.workspace = workspace

    def _call(self, method, path, body=None, params=None):
        response = requests.request(
            method,
            self.base_url + path,
            headers={"Authorization": "Bearer " + self.token, "Content-Type": "application/json"},
            data=json.dumps(body if body is not None else {}),
            params=params,
        )
        response.raise_for_status()
        return response.json()

    def destinations(self, source):
        path = "workspaces/%s/sources/%s/destinations" % (self.workspace, source)
        return self._call("GET", path, params={"page_size": 100})["destinations"]

    def destination(self, source, destination):
        return self._call("GET", "workspaces/%s/sources/%s/destinations/%s" % (self.workspace, source, destination))


if __name__ == "__main__":
    client = SegmentClient()
    for item in client.destinations("backend"):
        print(item["name"].split("/")[-1], item["display_name"], item["enabled"])
    slack = client.destination("backend", "slack")
    print("slack enabled:", slack["enabled"], "mode:", slack["connection_mode"])
