"""Which destinations of a source are on? Reads every page."""
import os

import requests

API = "https://platform.segmentapis.com/v1beta"
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_ACCESS_TOKEN"]}


def destinations(source):
    found = []
    token = ""
    while True:
        query = {"page_size": 2}
        if token:
            query["page_token"] = token
        page = requests.get(f"{API}/workspaces/acme/sources/{source}/destinations", headers=HEADERS, params=query)
        page.raise_for_status()
        answer = page.json()
        found.extend(answer["destinations"])
        token = answer.get("next_page_token", "")
        if not token:
            return found


if __name__ == "__main__":
    for source in ("web", "ios-app"):
        items = destinations(source)
        enabled = sorted(item["display_name"] for item in items if item["enabled"])
        print(f"{source}: {len(items)} destinations, on: {', '.join(enabled)}")
