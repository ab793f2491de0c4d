"""What every report resource builds on: the workspace's root, the token, and a way to read."""
import os

import requests


class Resource:
    ROOT = "https://platform.segmentapis.com/v1beta/workspaces/acme"

    def __init__(self):
        self.headers = {"Authorization": "Bearer " + os.environ["SEGMENT_ACCESS_TOKEN"]}

    def _link(self, *parts):
        return "/".join([self.ROOT, *parts])

    def _read(self, *parts):
        response = requests.get(self._link(*parts), headers=self.headers)
        response.raise_for_status()
        return response.json()
