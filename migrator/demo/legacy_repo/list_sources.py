"""List every source of the workspace, page by page."""
import os

import requests

API = "https://platform.segmentapis.com/v1beta"
TOKEN = os.environ["SEGMENT_ACCESS_TOKEN"]
WORKSPACE = os.environ.get("SEGMENT_WORKSPACE", "acme")
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


def list_sources():
    sources = []
    page_token = None
    while True:
        params = {"page_size": 5}
        if page_token:
            params["page_token"] = page_token
        resp = requests.get(f"{API}/workspaces/{WORKSPACE}/sources", headers=HEADERS, params=params)
        resp.raise_for_status()
        body = resp.json()
        sources.extend(body["sources"])
        page_token = body.get("next_page_token")
        if not page_token:
            break
    return sources


if __name__ == "__main__":
    for source in list_sources():
        slug = source["name"].split("/")[-1]
        print(f"{slug}\t{source['display_name']}\t{source['catalog_name']}")
