"""A requests.Session subclass that knows the Config API, paths joined onto its base with urljoin."""
import os
from urllib.parse import urljoin

import requests


class ConfigSession(requests.Session):
    base = "https://platform.segmentapis.com/v1beta/"

    def __init__(self, token, workspace):
        super().__init__()
        self.workspace = workspace
        self.headers.update({"Authorization": f"Bearer {token}"})

    def fetch(self, path, **params):
        response = self.get(urljoin(self.base, f"workspaces/{self.workspace}/{path}"), params=params)
        response.raise_for_status()
        return response.json()


if __name__ == "__main__":
    session = ConfigSession(os.environ["SEGMENT_ACCESS_TOKEN"], "acme")
    plans = session.fetch("tracking-plans")["tracking_plans"]
    for plan in plans:
        print("plan", plan["display_name"], len(plan["rules"].get("events", [])), "event rule(s)")
    for destination in session.fetch("sources/ios-app/destinations", page_size=5)["destinations"]:
        print("ios-app ->", destination["display_name"], "enabled" if destination["enabled"] else "disabled")
